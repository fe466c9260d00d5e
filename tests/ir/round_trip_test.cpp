// parse -> print -> parse yields the same IR (compared through dump), for a large table of
// policies; the printed text of each row was also accepted by the reference (cedar-wasm 4.13).
#include <catch2/catch.hpp>

#include "grammar/parse.hpp"
#include "ir/print.hpp"

namespace vectimus::test {
namespace {

const char* const kPolicies[] = {
    "permit(principal, action, resource);",
    "forbid(principal, action, resource,);",
    "@id(\"vectimus-destruct-001\") @severity(\"critical\") @bare\n"
    "forbid(principal, action == Vectimus::Action::\"shell_command\", resource)\n"
    "when { context.command like \"*rm -rf /*\" || context.command like \"*rm -rf ~*\" };",
    "permit(principal == User::\"a\\\"b\", action in [Action::\"r\", NS::Action::\"w\"], "
    "resource in Folder::\"f\");",
    "permit(principal is User in Group::\"g\", action in Action::\"all\", resource is File);",
    "permit(principal is principal, action, resource is NS::T);",
    "permit(principal, action in [], resource) when { true } unless { false };",
    "forbid(principal, action, resource) when { -9223372036854775808 < -5 && --5 == 5 };",
    "forbid(principal, action, resource) when { -(5) == -(-5) && - -5 == 5 };",
    "forbid(principal, action, resource) when { -5.isEmpty() || (-5).isEmpty() };",
    "forbid(principal, action, resource) when { !!!!true && !(!!!!true) };",
    "forbid(principal, action, resource) when { ----1 == 1 };",
    "forbid(principal, action, resource) when { 1 - 2 - 3 == 1 - (2 - 3) };",
    "forbid(principal, action, resource) when { 1 + 2 * 3 - 4 * (5 + 6) * 7 > 0 };",
    "forbid(principal, action, resource) when { context.a * context.b <= context.c };",
    "forbid(principal, action, resource) when { (true || false) && (false || (true && true)) };",
    "forbid(principal, action, resource) when { true || (false || true) };",
    "forbid(principal, action, resource) when { true && (false && true) };",
    "forbid(principal, action, resource) when { (1 == 1) == (2 != 3) };",
    "forbid(principal, action, resource) when { (1 < 2) in [true] };",
    "forbid(principal, action, resource) when { if context.a then 1 else 2 == 3 };",
    "forbid(principal, action, resource) when { (if true then 1 else 2) == 3 };",
    "forbid(principal, action, resource) when { if if true then true else false then "
    "(if false then 1 else 2) else 3 + 4 > 5 };",
    "forbid(principal, action, resource) when { [if true then 1 else 2, {a: if false then 1 else "
    "2}].contains(1) };",
    "forbid(principal, action, resource) when { !(if true then false else true) };",
    "forbid(principal, action, resource) when { (if true then [1] else [2]).contains(1) };",
    "forbid(principal, action, resource) when { context has a.b.c && context.a.b.c == 1 };",
    "forbid(principal, action, resource) when { context has \"a b\" && context[\"a b\"] };",
    "forbid(principal, action, resource) when { context has \"if\" && context[\"if\"] };",
    "forbid(principal, action, resource) when { context has principal && context.permit };",
    "forbid(principal, action, resource) when { (context.a has b) == true };",
    "forbid(principal, action, resource) when { (1 + 1) has a };",
    "forbid(principal, action, resource) when { (context has a) has b };",
    "forbid(principal, action, resource) when { context[\"\"] == \"\" };",
    "forbid(principal, action, resource) when { context.x like \"\" && context.x like \"**\" };",
    "forbid(principal, action, resource) when { context.x like \"a\\*b*c\\\\*\\x2a\" };",
    "forbid(principal, action, resource) when { context.x like \"\\u{2a}\\n\\t\\\"\\0\\x7f\" };",
    "forbid(principal, action, resource) when { (context.x like \"a\") like \"b\" };",
    "forbid(principal, action, resource) when { (\"a\" + context.x) like \"b\" };",
    "forbid(principal, action, resource) when { principal is User && resource is A::B in "
    "principal };",
    "forbid(principal, action, resource) when { (principal is User) is Bool };",
    "forbid(principal, action, resource) when { principal is User in (Group::\"a\") };",
    "forbid(principal, action, resource) when { principal in [G::\"a\", G::\"b\"] };",
    "forbid(principal, action, resource) when { principal.manager in resource.owners };",
    "forbid(principal, action, resource) when { [1, [2, [3]], {}].containsAll([]) };",
    "forbid(principal, action, resource) when { {a: 1, \"b c\": {d: [true]}, if_: \"x\", "
    "\"if\": 2}.a == 1 };",
    "forbid(principal, action, resource) when { {}.isEmpty() == [].isEmpty() };",
    "forbid(principal, action, resource) when { context.tags.containsAny([\"a\", \"b\"]) };",
    "forbid(principal, action, resource) when { (context.a + 1).contains(2) };",
    "forbid(principal, action, resource) when { (!context.a).b };",
    "forbid(principal, action, resource) when { -context.a.b * -2 };",
    "forbid(principal, action, resource) when { A::B::\"x\" == principal::\"y\" };",
    "forbid(principal, action, resource) when { User::\"caf\\u{e9} \\u{1F600}\" != User::\"\" };",
    "forbid(principal, action, resource) when { \"line\nbreak\" == \"line\\nbreak\" };",
    "forbid(principal, action, resource) // comment\n when { true // inside\n };",
    "@a(\"1\") @b(\"\\u{1F600}\") permit(principal, action, resource) when { 9223372036854775807 "
    "> 0 };",
};

std::string dump_all(const ir::PolicySet& set) {
  std::string out;
  for (const ir::Policy& p : set.policies) out += ir::dump(p) + "\n";
  return out;
}

TEST_CASE("parse(print(parse(text))) has the same IR", "[ir][round-trip]") {
  for (const char* text : kPolicies) {
    INFO(text);
    auto first = grammar::parse_policies(make_source("a.cedar", text));
    REQUIRE(first.ok());
    const std::string printed = ir::print(*first);
    INFO(printed);
    auto second = grammar::parse_policies(make_source("b.cedar", printed));
    REQUIRE(second.ok());
    CHECK(dump_all(*second) == dump_all(*first));
    CHECK(ir::print(*second) == printed);  // printing is a fixed point
  }
}

TEST_CASE("a whole set round-trips and keeps its order", "[ir][round-trip]") {
  std::string all;
  for (const char* text : kPolicies) all += std::string(text) + "\n";
  auto first = grammar::parse_policies(make_source("all.cedar", all));
  REQUIRE(first.ok());
  auto second = grammar::parse_policies(make_source("again.cedar", ir::print(*first)));
  REQUIRE(second.ok());
  REQUIRE(second->policies.size() == std::size(kPolicies));
  CHECK(dump_all(*second) == dump_all(*first));
  CHECK(second->policies.back().positional_id ==
        "policy" + std::to_string(std::size(kPolicies) - 1));
}

}  // namespace
}  // namespace vectimus::test
