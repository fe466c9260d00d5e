// Error recovery (one diagnostic per broken policy), the nesting limits, and the grammar's
// self-check.
#include <catch2/catch.hpp>

#include "grammar/self_check.hpp"
#include "support/limits.hpp"
#include "tests/grammar/helpers.hpp"

namespace vectimus::test {
namespace {

TEST_CASE("analyze<grammar>() finds no problems", "[grammar]") {
  CHECK(grammar::analyze_grammar() == 0);
}

TEST_CASE("every broken policy is reported once", "[grammar][recovery]") {
  const std::string text =
      "@id(\"one\")\n"
      "forbid(principal, action, resource) when { context.a == };\n"
      "permit(principal, action, resource);\n"
      "  forbid(principal, action == A::\"x\", resource);\n"
      "@id(\"ok\") forbid(principal, action, resource) when { true };\n"
      "forbid(principal, action, resource) when { ip(\"1\") }\n"
      "@id(\"last\") permit(principal, action, resource) when { \"\\q\" };\n";
  auto r = grammar::parse_policies(src(text));
  REQUIRE_FALSE(r.ok());
  CHECK(brief(r.errors()) ==
        "syntax@2:57 expected an expression after the operator, found `}` | "
        "syntax@4:31 expected an entity of type `Action`, found `A::\"x\"` | "
        "unsupported@6:44 the extension function `ip` is not supported | "
        "syntax@7:1 expected `when`, `unless` or `;` after the policy scope, found `@` | "
        "syntax@7:57 the escape `\\q` is not valid");
}

TEST_CASE("a missing `;` resumes at the next policy on the same line's successor",
          "[grammar][recovery]") {
  auto r =
      grammar::parse_policies(src("permit(principal, action, resource)\n"
                                  "permit(principal, action, resource) when { x };\n"
                                  "forbid(principal, action, resource) when { y };\n"));
  REQUIRE_FALSE(r.ok());
  CHECK(brief(r.errors()) ==
        "syntax@2:1 expected `when`, `unless` or `;` after the policy scope, found `permit` | "
        "syntax@2:44 `x` is not a valid variable | syntax@3:44 `y` is not a valid variable");
}

std::string nested(size_t depth, const char* open, const char* leaf, const char* close) {
  std::string s;
  for (size_t i = 0; i < depth; ++i) s += open;
  s += leaf;
  for (size_t i = 0; i < depth; ++i) s += close;
  return s;
}

TEST_CASE("nesting beyond the limit is a \"limit\" error, not a crash", "[grammar][limit]") {
  const size_t max = limits::kMaxExpressionDepth;
  CHECK(expr_dump(nested(max - 2, "(", "true", ")")) == "true");
  CHECK(expr_dump(nested(max - 3, "[", "1", "]")).rfind("set(set(", 0) == 0);
  for (const auto& [open, close] :
       {std::pair{"(", ")"}, std::pair{"[", "]"}, std::pair{"{a:", "}"}, std::pair{"!(", ")"},
        std::pair{"if true then 1 else ", ""}, std::pair{"[].contains(", ")"}}) {
    INFO(open);
    const std::string deep = expr_dump(nested(100000, open, "1", close));
    CHECK(deep.rfind("ERR limit@1:", 0) == 0);
    CHECK(deep.find("expression is nested too deeply") != std::string::npos);
  }
  // Long operator chains build deep trees without parser recursion; they are bounded too.
  std::string chain = "1";
  for (int i = 0; i < 5000; ++i) chain += " + 1";
  CHECK(expr_dump(chain).rfind("ERR limit@1:", 0) == 0);
  std::string ok_chain = "true";
  for (size_t i = 0; i < max - 10; ++i) ok_chain += " || true";
  CHECK(expr_dump(ok_chain).rfind("or(or(", 0) == 0);
}

}  // namespace
}  // namespace vectimus::test
