// Reject tables: policy text -> "code@line:col message" of every diagnostic (helpers.hpp), and
// the exact rendered text for a sample. Every row here is also rejected by the reference
// (checked with cedar-wasm 4.13 checkParsePolicySet).
#include <catch2/catch.hpp>

#include "tests/grammar/helpers.hpp"

namespace vectimus::test {
namespace {

struct Row {
  const char* text;
  const char* errors;
};

constexpr Row kRejects[] = {
    {"permit(principal, action, resource) when { 9223372036854775808 };",
     "syntax@1:44 integer literal `9223372036854775808` is too large"},
    {"permit(principal, action, resource) when { -9223372036854775809 };",
     "syntax@1:45 integer literal `9223372036854775809` is too large"},
    {"permit(principal, action, resource) when { !!!!!true };",
     "syntax@1:44 too many occurrences of `!`"},
    {"permit(principal, action, resource) when { -----1 };",
     "syntax@1:44 too many occurrences of `-`"},
    {"permit(principal, action, resource) when { !-1 };",
     "syntax@1:45 expected an expression after the unary operator, found `-`"},
    {"permit(principal, action, resource) when { 1 == 1 == true };",
     "syntax@1:51 relational operators cannot be chained"},
    {"permit(principal, action, resource) when { 1 in 2 in 3 };",
     "syntax@1:51 relational operators cannot be chained"},
    {"permit(principal, action, resource) when { context has a == 1 };",
     "syntax@1:58 relational operators cannot be chained"},
    {"permit(principal, action, resource) when { context like \"a\" like \"b\" };",
     "syntax@1:61 relational operators cannot be chained"},
    {"permit(principal, action, resource) when { principal is A in B::\"a\" in B::\"b\" };",
     "syntax@1:69 relational operators cannot be chained"},
    {"permit(principal, action, resource) when { true && if true then 1 else 2 };",
     "syntax@1:52 an `if` expression must be in parentheses here"},
    {"permit(principal, action, resource) when { context.if };",
     "syntax@1:52 `if` is a reserved identifier and cannot be used as a name here"},
    {"permit(principal, action, resource) when { context has if };",
     "syntax@1:56 `if` is a reserved identifier and cannot be used as a name here"},
    {"permit(principal, action, resource) when { context has a.true };",
     "syntax@1:58 `true` is a reserved identifier and cannot be used as a name here"},
    {"permit(principal, action, resource) when { {if: 1} };",
     "syntax@1:45 `if` is a reserved identifier and cannot be used as a name here"},
    {"permit(principal, action, resource) when { A::if::\"a\" };",
     "syntax@1:47 `if` is a reserved identifier and cannot be used as a name here"},
    {"permit(principal, action, resource) when { context.__cedar };",
     "syntax@1:52 `__cedar` is a reserved identifier and cannot be used as a name here"},
    {"permit(principal, action, resource) when { context[context.a] };",
     "syntax@1:52 expected a string literal inside `[ ]`, found `context`"},
    {"permit(principal, action, resource) when { context.a like context.b };",
     "syntax@1:59 expected a string literal after `like`, found `context`"},
    {"permit(principal, action, resource) when { context.a like (\"a\") };",
     "syntax@1:59 expected a string literal after `like`, found `(`"},
    {"permit(principal, action, resource) when { foo(1) };",
     "syntax@1:44 `foo` is not a valid function"},
    {"permit(principal, action, resource) when { A::foo(1) };",
     "syntax@1:44 `A::foo` is not a valid function"},
    {"permit(principal, action, resource) when { context.foo() };",
     "syntax@1:52 `foo` is not a valid method"},
    {"permit(principal, action, resource) when { context.contains() };",
     "syntax@1:44 call to `contains` requires exactly 1 argument, but got 0 arguments"},
    {"permit(principal, action, resource) when { context.isEmpty(1) };",
     "syntax@1:44 call to `isEmpty` requires exactly 0 arguments, but got 1 argument"},
    {"permit(principal, action, resource) when { context.getTag() };",
     "syntax@1:44 call to `getTag` requires exactly 1 argument, but got 0 arguments"},
    {"permit(principal, action, resource) when { x };", "syntax@1:44 `x` is not a valid variable"},
    {"permit(principal, action, resource) when { A::B };",
     "syntax@1:44 `A::B` is not a valid variable"},
    {"permit(principal, action, resource) when { ?principal == principal };",
     "syntax@1:44 found the template slot `?principal` in a condition"},
    {"permit(principal, action, resource) when { ?other };",
     "syntax@1:44 `?other` is not a valid template slot"},
    {"permit(principal, action, resource) when { {a: 1, \"a\": 2} };",
     "syntax@1:51 duplicate key `a` in record literal"},
    {"permit(principal, action, resource) when { [1,,2] };",
     "syntax@1:47 expected `,` or `]` in the set literal, found `,`"},
    {"permit(principal, action, resource) when { \"\\*\" };",
     "syntax@1:45 the escape `\\*` is not valid"},
    {"permit(principal, action, resource) when { \"a\tb\" } unless { \"\\x80\" };",
     "syntax@1:62 the escape `\\x80` is not valid"},
    {"permit(principal, action, resource) when { context.a is A::\"x\" };",
     "syntax@1:58 expected an operator or `}` after the condition, found `::`"},
    {"permit(principal, action, resource) when { (context.contains)(1) };",
     "syntax@1:62 expected an operator or `}` after the condition, found `(`"},
    {"permit(principal, action, resource) when { 1 / 2 };",
     "syntax@1:46 expected an operator or `}` after the condition, found `/`"},
    {"permit(principal, action, resource) when { true & false };",
     "syntax@1:49 expected an operator or `}` after the condition, found `&`"},
    {"permit(principal, action, resource) when { context has a + 1 };",
     "syntax@1:58 expected an operator or `}` after the condition, found `+`"},
    {"permit(principal, action, resource) when { context.a. };",
     "syntax@1:55 expected an attribute name after `.`, found `}`"},
    {"permit(principal, action, resource) when { context.a[\"b\" };",
     "syntax@1:58 expected `]` after the attribute name, found `}`"},
    {"permit(principal, action, resource) when { if true then 1 };",
     "syntax@1:59 expected `else` after the `then` branch, found `}`"},
    {"permit(principal, action, resource) when { true",
     "syntax@1:48 expected an operator or `}` after the condition, found end of input"},
    {"permit(principal, action, resource) when { \"abc };",
     "syntax@1:51 unterminated string literal"},
    {"permit(principal, action, resource) when {};",
     "syntax@1:43 a `when` or `unless` clause cannot be empty"},
    {"permit(principal, action, resource);;",
     "syntax@1:37 expected `permit` or `forbid`, found `;`"},
    {"permit(principal, action, resource) advice { true };",
     "syntax@1:37 expected `when`, `unless` or `;` after the policy scope, found `advice`"},
    {"permit(action, principal, resource);",
     "syntax@1:8 expected `principal` as the first scope element, found `action`"},
    {"permit(principal, action);", "syntax@1:25 expected `,` between scope elements, found `)`"},
    {"permit(principal == A::B, action, resource);",
     "syntax@1:25 expected `::` followed by an entity id in quotes, found `,`"},
    {"permit(principal is A::\"x\", action, resource);",
     "syntax@1:22 expected `,` between scope elements, found `::`"},
    {"permit(principal, action is Action, resource);",
     "syntax@1:26 `is` cannot appear in the action scope"},
    {"permit(principal, action == ?principal, resource);",
     "syntax@1:29 expected an action entity uid, found `?`"},
    {"permit(principal == principal, action, resource);",
     "syntax@1:30 expected `::` followed by an entity id in quotes, found `,`"},
    {"permit(principal, action in [Action::\"a\", A::\"b\"], resource);",
     "syntax@1:43 expected an entity of type `Action`, found `A::\"b\"`"},
    {"@A::b permit(principal, action, resource);",
     "syntax@1:3 expected `permit` or `forbid`, found `::`"},
    {"@id(x) permit(principal, action, resource);",
     "syntax@1:5 expected a string literal as the annotation value, found `x`"},
    {"@id(\"a\" permit(principal, action, resource);",
     "syntax@1:9 expected `)` after the annotation value, found `permit`"},
    {"perm(principal, action, resource);",
     "syntax@1:1 expected `permit` or `forbid`, found `perm`"},
    {"permit principal, action, resource);",
     "syntax@1:8 expected `(` after the effect, found `principal`"},
    {"permit(principal, action, resource) when { context.a == \"é\" } when { context.é };",
     "syntax@1:78 expected an attribute name after `.`, found `é`"},
    {"permit(principal, action, resource) when { 5a };",
     "syntax@1:45 expected an operator or `}` after the condition, found `a`"},
    {"permit(principal, action, resource) when { [1 2] };",
     "syntax@1:47 expected `,` or `]` in the set literal, found `2`"},
    {"permit(principal, action, resource) when { {a 1} };",
     "syntax@1:47 expected `:` after the record key, found `1`"},
    {"permit(principal, action, resource) when { {a: 1 b: 2} };",
     "syntax@1:50 expected `,` or `}` in the record literal, found `b`"},
    {"permit(principal, action, resource) when { context.contains(1 2) };",
     "syntax@1:63 expected `,` or `)` in the argument list, found `2`"},
};

TEST_CASE("syntax errors name the offending token", "[grammar][reject]") {
  for (const Row& row : kRejects) {
    INFO(row.text);
    CHECK(parse_dump(row.text) == std::string("ERR ") + row.errors);
  }
}

std::string rendered(const std::string& text) {
  auto r = grammar::parse_policies(src(text));
  REQUIRE_FALSE(r.ok());
  return render(r.errors());
}

TEST_CASE("rendered diagnostics: file:line:col, source line, caret, help", "[grammar][reject]") {
  CHECK(rendered("permit(principal, action, resource)\nwhen { context.command like context.pattern "
                 "};\n") ==
        "test.cedar:2:29: error: expected a string literal after `like`, found `context`\n"
        "when { context.command like context.pattern };\n"
        "                            ^~~~~~~\n"
        "help: a `like` pattern must be a string literal, e.g. `context.command like \"*rm *\"`\n");
  CHECK(rendered("permit(principal, action == Tool::\"bash\", resource);") ==
        "test.cedar:1:29: error: expected an entity of type `Action`, found `Tool::\"bash\"`\n"
        "permit(principal, action == Tool::\"bash\", resource);\n"
        "                            ^~~~~~~~~~~~\n"
        "help: the action scope requires an entity of type `Action`, optionally in a namespace, "
        "e.g. `Action::\"read\"`\n");
  CHECK(rendered("permit(principal, action, resource) when { context.if == 1 };") ==
        "test.cedar:1:52: error: `if` is a reserved identifier and cannot be used as a name here\n"
        "permit(principal, action, resource) when { context.if == 1 };\n"
        "                                                   ^~\n"
        "help: quote it: `e[\"if\"]`, `e has \"if\"`, `{\"if\": ...}`\n");
  CHECK(rendered("permit(principal, action, resource)\n  when { 1 == 1 == 1 };") ==
        "test.cedar:2:17: error: relational operators cannot be chained\n"
        "  when { 1 == 1 == 1 };\n"
        "                ^~\n"
        "help: add parentheses to make the order explicit, e.g. `(a == b) == c`\n");
  CHECK(rendered("@id(\"a\")\n@id(\"b\")\nforbid(principal, action, resource);") ==
        "test.cedar:2:2: error: duplicate annotation `@id`\n"
        "@id(\"b\")\n"
        " ^~\n"
        "test.cedar:1:1: note: first defined here\n"
        "@id(\"a\")\n"
        "^~~~~~~~\n"
        "help: each annotation key may appear once per policy\n");
  CHECK(rendered("permit(principal, action, resource) when { \"\\x80\" };") ==
        "test.cedar:1:45: error: the escape `\\x80` is not valid\n"
        "permit(principal, action, resource) when { \"\\x80\" };\n"
        "                                            ^~~~\n"
        "help: `\\x` takes two hex digits up to `7f`; use `\\u{...}` above that\n");
}

TEST_CASE("unsupported features are told apart from syntax errors", "[grammar][unsupported]") {
  const Row rows[] = {
      {"permit(principal, action, resource) when { ip(\"1.2.3.4\").isIpv4() };",
       "unsupported@1:44 the extension function `ip` is not supported | "
       "unsupported@1:44 the extension method `isIpv4` is not supported"},
      {"permit(principal, action, resource) when { decimal(\"1.0\").lessThan(decimal(\"2.0\")) };",
       "unsupported@1:44 the extension function `decimal` is not supported | "
       "unsupported@1:68 the extension function `decimal` is not supported | "
       "unsupported@1:44 the extension method `lessThan` is not supported"},
      {"permit(principal, action, resource) when { datetime(\"x\").offset(duration(\"1h\")) };",
       "unsupported@1:44 the extension function `datetime` is not supported | "
       "unsupported@1:65 the extension function `duration` is not supported | "
       "unsupported@1:44 the extension method `offset` is not supported"},
      {"permit(principal, action, resource) when { context.toDays() == 1 };",
       "unsupported@1:44 the extension method `toDays` is not supported"},
      {"permit(principal, action, resource) when { ip() };",
       "unsupported@1:44 the extension function `ip` is not supported"},
      {"permit(principal, action, resource) when { principal.getTag(\"a\") };",
       "unsupported@1:44 entity tags (`getTag`) are not supported"},
      {"permit(principal, action, resource) when { principal.hasTag(\"a\") };",
       "unsupported@1:44 entity tags (`hasTag`) are not supported"},
      {"permit(principal == ?principal, action, resource);",
       "unsupported@1:21 templates are not supported (found `?principal`)"},
      {"permit(principal, action, resource is R in ?resource);",
       "unsupported@1:44 templates are not supported (found `?resource`)"},
      // Cedar itself rejects these, so they stay syntax errors even next to unsupported ones.
      {"permit(principal, action, resource) when { foo(1) };",
       "syntax@1:44 `foo` is not a valid function"},
      {"permit(principal, action, resource) when { context.isIPv4() };",
       "syntax@1:52 `isIPv4` is not a valid method"},
      {"permit(principal, action, resource) when { ip(\"1\") == x };",
       "unsupported@1:44 the extension function `ip` is not supported | "
       "syntax@1:55 `x` is not a valid variable"},
      {"permit(principal, action, resource) when { principal.hasTag() };",
       "syntax@1:44 call to `hasTag` requires exactly 1 argument, but got 0 arguments"},
      {"permit(principal, action, resource) when { ?resource };",
       "syntax@1:44 found the template slot `?resource` in a condition"},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    CHECK(parse_dump(row.text) == std::string("ERR ") + row.errors);
  }
}

}  // namespace
}  // namespace vectimus::test
