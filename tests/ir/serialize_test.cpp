// ir/serialize: a policy set survives serialize -> deserialize exactly (dump, spans, ids,
// sources), and a truncated, corrupted or mismatched blob is a clear error, never a crash.
#include <catch2/catch.hpp>
#include <limits>

#include "grammar/parse.hpp"
#include "ir/print.hpp"
#include "ir/serialize.hpp"

namespace vectimus::test {
namespace {

using namespace vectimus::ir;

const char* const kFirst =
    "@id(\"a-1\") @severity(\"critical\") @bare\n"
    "forbid(principal, action == Vectimus::Action::\"shell_command\", resource)\n"
    "when { context.command like \"*rm -rf /*\" || context.command like \"*\\\\*x\\*\" };\n"
    "@id(\"a-2\")\n"
    "permit(principal is User in Group::\"g\", action in [Action::\"r\", NS::Action::\"w\"], "
    "resource is File) when { context has a.b.c && -9223372036854775808 < -5 } "
    "unless { {k: [1, \"two\", false], \"q r\": context.x}.k.containsAny([1]) };\n";
const char* const kSecond =
    "@id(\"b-1\")\n"
    "forbid(principal == User::\"a\\\"b\", action, resource in Folder::\"f\")\n"
    "when { if context.a then principal.name == \"\\u{1F600}\" else !(context.n * 3 >= "
    "9223372036854775807) }"
    " when { resource is NS::T && context.list.isEmpty() && context.s.containsAll([]) };\n";

bool same(const Expr& a, const Expr& b) {
  if (a.op != b.op || !(a.span == b.span) || a.boolean != b.boolean || a.number != b.number ||
      a.text != b.text || a.uid != b.uid || a.var != b.var || a.pattern != b.pattern ||
      a.keys != b.keys || a.children.size() != b.children.size()) {
    return false;
  }
  for (size_t i = 0; i < a.children.size(); ++i) {
    if (!same(a.children[i], b.children[i])) return false;
  }
  return true;
}

bool same(const ScopeConstraint& a, const ScopeConstraint& b) {
  return a.kind == b.kind && a.entities == b.entities && a.entity_type == b.entity_type &&
         a.span == b.span;
}

// Every field of every policy, spans and source pointers included (dump leaves spans out).
bool same_policy_set(const PolicySet& a, const PolicySet& b) {
  if (a.policies.size() != b.policies.size()) return false;
  for (size_t i = 0; i < a.policies.size(); ++i) {
    const Policy& p = a.policies[i];
    const Policy& q = b.policies[i];
    if (dump(p) != dump(q) || p.positional_id != q.positional_id || p.effect != q.effect ||
        p.source != q.source || !(p.span == q.span) ||
        !same(p.scope.principal, q.scope.principal) || !same(p.scope.action, q.scope.action) ||
        !same(p.scope.resource, q.scope.resource) || p.conditions.size() != q.conditions.size() ||
        p.annotations.size() != q.annotations.size()) {
      return false;
    }
    for (size_t c = 0; c < p.conditions.size(); ++c) {
      if (p.conditions[c].is_when != q.conditions[c].is_when ||
          !(p.conditions[c].span == q.conditions[c].span) ||
          !same(p.conditions[c].body, q.conditions[c].body)) {
        return false;
      }
    }
    for (size_t k = 0; k < p.annotations.size(); ++k) {
      const Annotation& x = p.annotations[k];
      const Annotation& y = q.annotations[k];
      if (x.key != y.key || x.value != y.value || !(x.span == y.span)) return false;
    }
  }
  return true;
}

struct Fixture {
  std::vector<SourcePtr> sources = {make_source("first.cedar", kFirst),
                                    make_source("second.cedar", kSecond)};
  PolicySet set;
  std::string bytes;

  Fixture() {
    for (const SourcePtr& s : sources) {
      auto parsed = grammar::parse_policies(s, set.policies.size());
      REQUIRE(parsed.ok());
      for (Policy& p : parsed->policies) set.policies.push_back(std::move(p));
    }
    auto encoded = serialize(set, sources);
    REQUIRE(encoded.ok());
    bytes = *encoded;
  }
};

}  // namespace

TEST_CASE("a policy set round-trips through serialize exactly") {
  Fixture f;
  REQUIRE(f.set.policies.size() == 3);
  auto back = deserialize(f.bytes, f.sources);
  REQUIRE(back.ok());
  CHECK(same_policy_set(f.set, *back));
  CHECK(back->policies[2].positional_id == "policy2");
  CHECK(back->policies[2].source->name == "second.cedar");
  // Serialising the decoded set gives the same bytes.
  auto again = serialize(*back, f.sources);
  REQUIRE(again.ok());
  CHECK(*again == f.bytes);
}

TEST_CASE("an empty policy set round-trips") {
  const std::vector<SourcePtr> none;
  auto bytes = serialize(PolicySet{}, none);
  REQUIRE(bytes.ok());
  auto back = deserialize(*bytes, none);
  REQUIRE(back.ok());
  CHECK(back->policies.empty());
}

TEST_CASE("a policy from a source not listed cannot be serialised") {
  Fixture f;
  const std::vector<SourcePtr> only_first = {f.sources[0]};
  auto bytes = serialize(f.set, only_first);
  REQUIRE_FALSE(bytes.ok());
  CHECK(bytes.errors()[0].code == "serialized");
}

TEST_CASE("every truncation of a blob is an error, never a crash") {
  Fixture f;
  for (size_t n = 0; n < f.bytes.size(); ++n) {
    auto back = deserialize(std::string_view(f.bytes).substr(0, n), f.sources);
    REQUIRE_FALSE(back.ok());
    CHECK(back.errors()[0].code == "serialized");
  }
  auto longer = deserialize(f.bytes + "x", f.sources);
  REQUIRE_FALSE(longer.ok());
  CHECK(longer.errors()[0].message.find("bytes after the last policy") != std::string::npos);
}

TEST_CASE("corrupted bytes give an error or a set, never a crash") {
  Fixture f;
  size_t errors = 0;
  for (size_t i = 0; i < f.bytes.size(); ++i) {
    for (const unsigned char value : {0x00, 0x01, 0x7f, 0x80, 0xff}) {
      std::string bad = f.bytes;
      bad[i] = static_cast<char>(value);
      auto back = deserialize(bad, f.sources);
      if (!back.ok()) {
        ++errors;
        CHECK(back.errors()[0].code == "serialized");
        CHECK(back.errors()[0].message.find("(at byte ") != std::string::npos);
      }
    }
  }
  CHECK(errors > 0);
}

TEST_CASE("a wrong magic, version, or set of sources is a clear error") {
  Fixture f;
  std::string bad = f.bytes;
  bad[0] = 'X';
  auto wrong_magic = deserialize(bad, f.sources);
  REQUIRE_FALSE(wrong_magic.ok());
  CHECK(wrong_magic.errors()[0].message.find("magic") != std::string::npos);

  bad = f.bytes;
  bad[12] = static_cast<char>(kFormatVersion + 1);  // the version follows the 12-byte magic
  auto wrong_version = deserialize(bad, f.sources);
  REQUIRE_FALSE(wrong_version.ok());
  const std::string expected = "format version " + std::to_string(kFormatVersion + 1) +
                               ", expected " + std::to_string(kFormatVersion);
  CHECK(wrong_version.errors()[0].message.find(expected) != std::string::npos);

  const std::vector<SourcePtr> swapped = {f.sources[1], f.sources[0]};
  auto wrong_sources = deserialize(f.bytes, swapped);
  REQUIRE_FALSE(wrong_sources.ok());
  CHECK(wrong_sources.errors()[0].message.find("`first.cedar`") != std::string::npos);

  const std::vector<SourcePtr> edited = {make_source("first.cedar", std::string(kFirst) + " "),
                                         f.sources[1]};
  REQUIRE_FALSE(deserialize(f.bytes, edited).ok());
  REQUIRE_FALSE(deserialize(f.bytes, std::span<const SourcePtr>(f.sources).first(1)).ok());
}

TEST_CASE("hostile counts and nesting are refused without allocating or recursing far") {
  const std::vector<SourcePtr> one = {make_source("x.cedar", std::string(100, ' '))};
  Writer w;
  w.raw("VECTIMUS-IR\n");
  w.u64(kFormatVersion);
  w.u64(1);
  w.str("x.cedar");
  w.u64(100);
  SECTION("a huge policy count") {
    w.u64(std::numeric_limits<uint32_t>::max());
    auto back = deserialize(w.bytes(), one);
    REQUIRE_FALSE(back.ok());
    CHECK(back.errors()[0].message.find("count is larger") != std::string::npos);
  }
  SECTION("a number past 64 bits") {
    w.raw(std::string(11, '\xff'));
    REQUIRE_FALSE(deserialize(w.bytes(), one).ok());
  }
  // One policy: the count, its length, then its bytes (written by `body`).
  const auto one_policy = [&](const Writer& body) {
    Writer out = w;
    out.u64(1);
    out.u64(body.bytes().size());
    out.raw(body.bytes());
    return out.bytes();
  };
  SECTION("policy lengths past the end") {
    w.u64(1);
    w.u64(1000);
    w.raw(std::string(20, ' '));  // enough for the count, not for the length
    auto back = deserialize(w.bytes(), one);
    REQUIRE_FALSE(back.ok());
    CHECK(back.errors()[0].message.find("run past the end") != std::string::npos);
  }
  SECTION("deep nesting") {
    Writer b;
    b.str("policy0");
    b.u64(1);  // forbid
    b.u64(0);  // source
    b.u64(0);
    b.u64(10);
    for (int s = 0; s < 3; ++s) {
      b.u64(0);
      b.u64(0);
      b.str("");
      b.u64(0);
      b.u64(0);
    }
    b.u64(1);  // one condition
    b.u64(1);
    b.u64(0);
    b.u64(10);
    for (int d = 0; d < 100000; ++d) {  // not_(not_(...)): each one child
      b.u64(static_cast<uint64_t>(Op::not_));
      b.u64(0);
      b.u64(1);
      b.u64(128);
      b.u64(1);
    }
    auto back = deserialize(one_policy(b), one);
    REQUIRE_FALSE(back.ok());
    CHECK(back.errors()[0].message.find("nested too deeply") != std::string::npos);
  }
  SECTION("a span past the source") {
    Writer b;
    b.str("policy0");
    b.u64(0);
    b.u64(0);
    b.u64(90);
    b.u64(11);
    auto back = deserialize(one_policy(b), one);
    REQUIRE_FALSE(back.ok());
    CHECK(back.errors()[0].message.find("span lies outside") != std::string::npos);
  }
}

TEST_CASE("one policy decodes on its own, exactly as in the whole set") {
  Fixture f;
  auto whole = deserialize(f.bytes, f.sources);
  REQUIRE(whole.ok());
  auto opened = SerializedSet::open(f.bytes, f.sources);
  REQUIRE(opened.ok());
  REQUIRE(opened->size() == whole->policies.size());
  // Backwards, so no policy's decoding can lean on an earlier one's.
  for (size_t i = opened->size(); i-- > 0;) {
    auto policy = opened->policy(i);
    REQUIRE(policy.ok());
    CHECK(dump(*policy) == dump(whole->policies[i]));
    CHECK(policy->source == whole->policies[i].source);
  }
}

}  // namespace vectimus::test
