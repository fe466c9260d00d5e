// Cedar JSON data: entities, context and UIDs; exact i64; errors with codes and locations.
#include <catch2/catch.hpp>

#include <string>

#include "interpreter/json.hpp"

namespace {

using namespace vectimus;
using interpreter::Value;

Result<Value> context(const std::string& text) {
  return interpreter::parse_context_json(make_source("ctx.json", text));
}

// The one diagnostic of a failed result, rendered as "code: message".
template <class T>
std::string failure(const Result<T>& r) {
  if (r.ok()) return "ok";
  REQUIRE(r.errors().size() == 1);
  return r.errors()[0].code + ": " + r.errors()[0].message;
}

// The source text the diagnostic points at.
template <class T>
std::string pointed(const Result<T>& r) {
  REQUIRE_FALSE(r.ok());
  const Diagnostic& d = r.errors()[0];
  REQUIRE(d.where.has_value());
  REQUIRE(d.where->source != nullptr);
  return std::string(
      d.where->source->text.substr(d.where->span.begin, d.where->span.end - d.where->span.begin));
}

}  // namespace

TEST_CASE("json: entities with parents, __entity references and ignored tags", "[json]") {
  const char* text = R"([
    {"uid": {"type": "User", "id": "alice"},
     "attrs": {"manager": {"__entity": {"type": "User", "id": "bob"}}, "age": 30,
               "plain": {"type": "T", "id": "x"}},
     "parents": [{"type": "Group", "id": "staff"}],
     "tags": {"anything": 1.5}},
    {"uid": {"__entity": {"type": "Group", "id": "staff"}}, "attrs": {},
     "parents": [{"__entity": {"type": "Ns::Group", "id": "all"}}]},
    {"uid": {"type": "Ns::Group", "id": "all"}}
  ])";
  Result<interpreter::Entities> r = interpreter::parse_entities_json(make_source("e.json", text));
  INFO(failure(r));
  REQUIRE(r.ok());
  const interpreter::Entities& es = r.value();
  CHECK(es.size() == 3);
  const ir::EntityUid alice{"User", "alice"};
  CHECK(es.is_in(alice, ir::EntityUid{"Group", "staff"}));
  CHECK(es.is_in(alice, ir::EntityUid{"Ns::Group", "all"}));
  const interpreter::Entity* e = es.find(alice);
  REQUIRE(e != nullptr);
  CHECK(interpreter::to_text(e->attrs) ==
        "{\"age\": 30, \"manager\": User::\"bob\", \"plain\": {\"id\": \"x\", \"type\": \"T\"}}");
  REQUIRE(es.find(ir::EntityUid{"Ns::Group", "all"}) != nullptr);
  CHECK(es.find(ir::EntityUid{"Ns::Group", "all"})->attrs.as_record().empty());
}

TEST_CASE("json: context values, exact i64", "[json]") {
  Result<Value> r = context(
      R"({"max": 9223372036854775807, "min": -9223372036854775808, "s": "caf\u00e9",
          "set": [2, 1, 2], "b": false, "r": {"x": {"__entity": {"type": "A::B", "id": ""}}}})");
  INFO(failure(r));
  REQUIRE(r.ok());
  const Value& v = r.value();
  CHECK(v.field("max")->as_long() == INT64_MAX);
  CHECK(v.field("min")->as_long() == INT64_MIN);
  CHECK(v.field("s")->as_string() == "caf\xC3\xA9");
  CHECK(interpreter::to_text(*v.field("set")) == "[1, 2]");
  CHECK(interpreter::to_text(*v.field("r")) == "{\"x\": A::B::\"\"}");
  CHECK(interpreter::to_text(v).find("9223372036854775807") != std::string::npos);
  CHECK(context("{}").ok());
}

TEST_CASE("json: numbers that are not i64 are errors naming the path", "[json]") {
  const Result<Value> f = context(R"({"a": {"b": [0, 1.5]}})");
  CHECK(failure(f) ==
        "json: context attribute `a.b[1]` is the number 1.5, but Cedar numbers are 64-bit "
        "integers (no fractions, exponents or values out of range)");
  CHECK(pointed(f) == "1.5");
  const Result<Value> big = context(R"({"n": 9223372036854775808})");
  CHECK(failure(big) ==
        "json: context attribute `n` is the number 9223372036854775808, outside the range of "
        "Cedar's 64-bit integers");
  CHECK(pointed(big) == "9223372036854775808");
  const Result<Value> below = context(R"({"n": [1, -9223372036854775809]})");
  CHECK(failure(below) ==
        "json: the number -9223372036854775809 is outside the range of Cedar's 64-bit integers");
  CHECK(pointed(below) == "-9223372036854775809");
  CHECK(
      failure(context(R"({"s": "-99999999999999999999", "n": 123456789012345678901234567890})")) ==
      "json: the number 123456789012345678901234567890 is outside the range of Cedar's 64-bit "
      "integers");
  CHECK(failure(context(R"({"n": 1e3})"))
            .rfind("json: context attribute `n` is the number 1000", 0) == 0);
  CHECK(failure(context(R"({"n": 1.0})")).rfind("json: context attribute `n`", 0) == 0);
}

TEST_CASE("json: null, __extn, non-object context, duplicates", "[json]") {
  const Result<Value> n = context(R"({"a": null})");
  CHECK(failure(n) == "json: context attribute `a` is null; JSON nulls are not allowed in Cedar");
  CHECK(pointed(n) == "null");
  const Result<Value> x = context(R"({"ip": {"__extn": {"fn": "ip", "arg": "1.2.3.4"}}})");
  CHECK(failure(x) ==
        "unsupported: context attribute `ip` is an extension value (`__extn`); extension values "
        "are not supported");
  CHECK(pointed(x).rfind("{\"__extn\"", 0) == 0);
  CHECK(failure(context("null")) == "json: context is null; JSON nulls are not allowed in Cedar");
  CHECK(failure(context("[1]")) == "json: the context must be a JSON object, not set");
  CHECK(failure(context("{\"a\": 1, \"a\": 2}")) == "json: context has the key `a` more than once");
  CHECK(failure(context("{\"r\": {\"k\": 1, \"k\": 1}}")) ==
        "json: context attribute `r` has the key `k` more than once");
  CHECK(failure(context("{")).rfind("json: invalid JSON: ", 0) == 0);
}

TEST_CASE("json: nesting is bounded", "[json]") {
  std::string deep = "{\"a\": ";
  for (int i = 0; i < 200; ++i) deep += "[";
  for (int i = 0; i < 200; ++i) deep += "]";
  deep += "}";
  CHECK(failure(context(deep)).rfind("limit: context attribute `a[0][0]", 0) == 0);
  std::string ok = "{\"a\": ";
  for (int i = 0; i < 100; ++i) ok += "[";
  for (int i = 0; i < 100; ++i) ok += "]";
  ok += "}";
  CHECK(context(ok).ok());
}

TEST_CASE("json: entity errors", "[json]") {
  auto entities = [](const char* text) {
    return interpreter::parse_entities_json(make_source("e.json", text));
  };
  CHECK(failure(entities("{}")) == "json: entities must be a JSON array of entity objects");
  CHECK(failure(entities("[1]")) ==
        "json: entity #0 must be an object with `uid`, `attrs` and `parents`");
  CHECK(failure(entities(R"([{"attrs": {}}])")) == "json: entity #0 has no `uid`");
  CHECK(failure(entities(R"([{"uid": {"type": "T"}}])")) ==
        "json: the `uid` of entity #0 must be an object with string fields `type` and `id`");
  CHECK(failure(entities(R"([{"uid": {"type": "not a type", "id": "x"}}])")) ==
        "json: the `uid` of entity #0 has the invalid entity type `not a type`");
  CHECK(failure(entities(
            R"([{"uid": {"type": "T", "id": "x"}}, {"uid": {"type": "T", "id": "x"}}])")) ==
        "json: duplicate entity entry `T::\"x\"`");
  const auto bad_attr =
      entities(R"([{"uid": {"type": "T", "id": "x"}, "attrs": {"a": [1, 2.5]}}])");
  CHECK(failure(bad_attr) ==
        "json: attribute `a[1]` of entity `T::\"x\"` is the number 2.5, but Cedar numbers are "
        "64-bit integers (no fractions, exponents or values out of range)");
  CHECK(pointed(bad_attr) == "2.5");
  CHECK(
      failure(entities(R"([{"uid": {"type": "T", "id": "x"}, "attrs": {"e": {"__extn": {}}}}])")) ==
      "unsupported: attribute `e` of entity `T::\"x\"` is an extension value (`__extn`); "
      "extension values are not supported");
  CHECK(failure(entities(R"([{"uid": {"type": "T", "id": "x"}, "parents": [{"id": "p"}]}])")) ==
        "json: a parent of entity `T::\"x\"` must be an object with string fields `type` and `id`");
  CHECK(failure(entities(R"([{"uid": {"type": "T", "id": "x"}, "attrs": []}])")) ==
        "json: the `attrs` of entity `T::\"x\"` must be an object");
}

TEST_CASE("json: entity UIDs in both forms", "[json]") {
  auto uid = [](const char* text) {
    return interpreter::parse_entity_uid_json(make_source("uid.json", text));
  };
  const auto a = uid(R"({"type": "Vectimus::User", "id": "alice"})");
  REQUIRE(a.ok());
  CHECK(a.value() == ir::EntityUid{"Vectimus::User", "alice"});
  const auto b = uid(R"({"__entity": {"type": "Vectimus::User", "id": "al\"ice"}})");
  REQUIRE(b.ok());
  CHECK(b.value() == ir::EntityUid{"Vectimus::User", "al\"ice"});
  CHECK(failure(uid("\"User::alice\"")) ==
        "json: an entity UID must be an object `{\"type\": ..., \"id\": ...}`");
}
