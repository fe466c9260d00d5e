// Values (equality, canonical sets and records, messages' words) and the entity store.
#include <catch2/catch.hpp>

#include "interpreter/entities.hpp"
#include "interpreter/value.hpp"

namespace {

using namespace vectimus::interpreter;
using vectimus::ir::EntityUid;

Value L(int64_t n) {
  return Value::long_(n);
}
Value S(const char* s) {
  return Value::string(s);
}
Value E(const char* type, const char* id) {
  return Value::entity(EntityUid{type, id});
}

}  // namespace

TEST_CASE("values of different kinds are unequal", "[value]") {
  CHECK_FALSE(L(1) == Value::boolean(true));
  CHECK_FALSE(S("1") == L(1));
  CHECK_FALSE(E("U", "a") == E("V", "a"));
  CHECK(E("U", "a") == E("U", "a"));
  CHECK_FALSE(Value::set({}) == Value::record({}));
}

TEST_CASE("sets are canonical: sorted, without duplicates", "[value]") {
  const Value a = Value::set({L(1), L(2)});
  const Value b = Value::set({L(2), L(1), L(1)});
  CHECK(a == b);
  CHECK(b.as_set().size() == 2);
  CHECK(to_text(Value::set({S("a"), L(3), Value::boolean(true), L(1)})) == "[true, 1, 3, \"a\"]");
  // Nested sets are compared as sets too.
  CHECK(Value::set({Value::set({L(2), L(1)})}) == Value::set({Value::set({L(1), L(2)})}));
}

TEST_CASE("records are sorted by key and compared structurally", "[value]") {
  const Value a = Value::record({{"b", L(1)}, {"a", S("x")}});
  const Value b = Value::record({{"a", S("x")}, {"b", L(1)}});
  CHECK(a == b);
  CHECK(to_text(a) == "{\"a\": \"x\", \"b\": 1}");
  CHECK_FALSE(a == Value::record({{"a", S("x")}}));
  // A later duplicate replaces an earlier one.
  CHECK(Value::record({{"k", L(1)}, {"k", L(2)}}) == Value::record({{"k", L(2)}}));
  REQUIRE(a.field("b") != nullptr);
  CHECK(*a.field("b") == L(1));
  CHECK(a.field("c") == nullptr);
}

TEST_CASE("strings compare by exact bytes (no normalisation)", "[value]") {
  CHECK_FALSE(S("caf\xC3\xA9") == S("cafe\xCC\x81"));
  CHECK_FALSE(S("A") == S("a"));
}

TEST_CASE("compare is a total order consistent with equality", "[value]") {
  const std::vector<Value> all = {Value::boolean(false),
                                  Value::boolean(true),
                                  L(-1),
                                  L(7),
                                  S(""),
                                  S("b"),
                                  E("A", "x"),
                                  E("B", "a"),
                                  Value::set({}),
                                  Value::set({L(1)}),
                                  Value::record({}),
                                  Value::record({{"a", L(1)}})};
  for (size_t i = 0; i < all.size(); ++i) {
    for (size_t j = 0; j < all.size(); ++j) {
      const int c = compare(all[i], all[j]);
      CHECK((c == 0) == (i == j));
      CHECK((c < 0) == (i < j));
      CHECK(compare(all[j], all[i]) == -c);
    }
  }
}

TEST_CASE("describe_type uses Cedar's words", "[value]") {
  CHECK(describe_type(Value::boolean(true)) == "bool");
  CHECK(describe_type(L(1)) == "long");
  CHECK(describe_type(S("")) == "string");
  CHECK(describe_type(Value::set({})) == "set");
  CHECK(describe_type(Value::record({})) == "record");
  CHECK(describe_type(E("Vectimus::User", "a")) == "(entity of type `Vectimus::User`)");
}

TEST_CASE("to_text writes Cedar-like text", "[value]") {
  CHECK(to_text(L(-9223372036854775807 - 1)) == "-9223372036854775808");
  CHECK(to_text(S("a\"b\n")) == "\"a\\\"b\\n\"");
  CHECK(to_text(E("T", "x")) == "T::\"x\"");
}

TEST_CASE("entity store: reflexive, transitive `in`; absent entities only in themselves",
          "[entities]") {
  Entities store;
  const EntityUid alice{"User", "alice"};
  const EntityUid staff{"Group", "staff"};
  const EntityUid all{"Group", "all"};
  const EntityUid ghost{"User", "ghost"};
  store.add(Entity{alice, Value::record({}), {staff}, {}});
  store.add(Entity{staff, Value::record({}), {all}, {}});
  store.finish();
  CHECK(store.is_in(alice, alice));
  CHECK(store.is_in(alice, staff));
  CHECK(store.is_in(alice, all));  // via staff
  CHECK_FALSE(store.is_in(all, alice));
  CHECK(store.is_in(all, all));  // `all` is not in the store but is in itself
  CHECK(store.is_in(ghost, ghost));
  CHECK_FALSE(store.is_in(ghost, all));
  CHECK(store.find(ghost) == nullptr);
  REQUIRE(store.find(alice) != nullptr);
  CHECK(store.find(alice)->ancestors == std::vector<EntityUid>{all, staff});
}

TEST_CASE("entity store: cycles terminate", "[entities]") {
  Entities store;
  const EntityUid a{"G", "a"};
  const EntityUid b{"G", "b"};
  const EntityUid c{"G", "c"};
  store.add(Entity{a, Value::record({}), {b}, {}});
  store.add(Entity{b, Value::record({}), {c}, {}});
  store.add(Entity{c, Value::record({}), {a}, {}});
  store.finish();
  CHECK(store.is_in(a, c));
  CHECK(store.is_in(c, b));
  CHECK(store.is_in(b, a));
  CHECK(store.size() == 3);
}

TEST_CASE("entity store: add replaces an entity", "[entities]") {
  Entities store;
  const EntityUid a{"G", "a"};
  store.add(Entity{a, Value::record({{"x", L(1)}}), {}, {}});
  store.add(Entity{a, Value::record({{"x", L(2)}}), {}, {}});
  store.finish();
  REQUIRE(store.find(a) != nullptr);
  CHECK(*store.find(a)->attrs.field("x") == L(2));
  CHECK(store.size() == 1);
}
