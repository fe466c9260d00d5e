// Accept table for expressions: condition text -> IR dump (notation in ir/print.hpp).
// Each row was checked against the reference (cedar-wasm 4.13 policyToJson) for its shape.
#include <catch2/catch.hpp>

#include "tests/grammar/helpers.hpp"

namespace vectimus::test {
namespace {

struct Row {
  const char* text;
  const char* dump;
};

constexpr Row kLiterals[] = {
    {"true", "true"},
    {"false", "false"},
    {"0", "0"},
    {"01", "1"},
    {"9223372036854775807", "9223372036854775807"},
    {"-9223372036854775808", "-9223372036854775808"},
    {"- 9223372036854775808", "-9223372036854775808"},
    {"-5", "-5"},
    {"--5", "neg(-5)"},
    {"----1", "neg(neg(neg(-1)))"},
    {"-(5)", "neg(5)"},
    {"-(-9223372036854775808)", "neg(-9223372036854775808)"},
    {"- -9223372036854775808", "neg(-9223372036854775808)"},
    {"-5.isEmpty()", "neg(isEmpty(5))"},
    {"-context.a", "neg(.(var(context),\"a\"))"},
    {"\"\"", "\"\""},
    {"\"a b\"", "\"a b\""},
    {"principal", "var(principal)"},
    {"action", "var(action)"},
    {"resource", "var(resource)"},
    {"context", "var(context)"},
    {"User::\"alice\"", "User::\"alice\""},
    {"A :: B :: \"x\"", "A::B::\"x\""},
    {"principal::\"a\"", "principal::\"a\""},
    {"Vectimus::Action::\"shell_command\"", "Vectimus::Action::\"shell_command\""},
    {"[]", "set()"},
    {"[1, 2,]", "set(1,2)"},
    {"[[1], []]", "set(set(1),set())"},
    {"{}", "rec()"},
    {"{a: 1, \"b c\": true,}", "rec(\"a\":1,\"b c\":true)"},
    {"{principal: 1, if_: 2}", "rec(\"principal\":1,\"if_\":2)"},
    {"{\"if\": {x: []}}", "rec(\"if\":rec(\"x\":set()))"},
};

constexpr Row kOperators[] = {
    {"true || false && true", "or(true,and(false,true))"},
    {"true && false || true", "or(and(true,false),true)"},
    {"a || b", "ERR syntax@1:44 `a` is not a valid variable"},
    {"true || false || true", "or(or(true,false),true)"},
    {"true && true && false", "and(and(true,true),false)"},
    {"!true", "!(true)"},
    {"!!!!true", "!(!(!(!(true))))"},
    {"! ! context.a", "!(!(.(var(context),\"a\")))"},
    {"1 + 2 * 3", "+(1,*(2,3))"},
    {"1 - 2 - 3", "-(-(1,2),3)"},
    {"1 - -1", "-(1,-1)"},
    {"1-1", "-(1,1)"},
    {"context.a * context.b", "*(.(var(context),\"a\"),.(var(context),\"b\"))"},
    {"(1 + 2) * 3", "*(+(1,2),3)"},
    {"1 == 1", "==(1,1)"},
    {"1 != 2", "!=(1,2)"},
    {"1 < 2", "<(1,2)"},
    {"1 <= 2", "<=(1,2)"},
    {"1 > 2", ">(1,2)"},
    {"1 >= 2", ">=(1,2)"},
    {"1 + 1 == 2", "==(+(1,1),2)"},
    {"(1 == 1) == true", "==(==(1,1),true)"},
    {"principal in Group::\"g\"", "in(var(principal),Group::\"g\")"},
    {"principal in [A::\"a\", B::\"b\"]", "in(var(principal),set(A::\"a\",B::\"b\"))"},
    {"if true then 1 else 2", "if(true,1,2)"},
    {"if true then 1 else 2 == 1", "if(true,1,==(2,1))"},
    {"if if true then false else true then 1 else 2", "if(if(true,false,true),1,2)"},
    {"true && (if true then true else false)", "and(true,if(true,true,false))"},
};

constexpr Row kMembers[] = {
    {"context.command", ".(var(context),\"command\")"},
    {"context[\"if\"]", ".(var(context),\"if\")"},
    {"context[\"a\"][\"b\"].c", ".(.(.(var(context),\"a\"),\"b\"),\"c\")"},
    {"context.principal", ".(var(context),\"principal\")"},
    {"context.permit", ".(var(context),\"permit\")"},
    {"context.__cedarx", ".(var(context),\"__cedarx\")"},
    {"context.isEmpty", ".(var(context),\"isEmpty\")"},
    {"context.a.isEmpty()", "isEmpty(.(var(context),\"a\"))"},
    {"[1].contains(1)", "contains(set(1),1)"},
    {"[1].contains(1,)", "contains(set(1),1)"},
    {"[1].containsAll([1])", "containsAll(set(1),set(1))"},
    {"[1].containsAny([])", "containsAny(set(1),set())"},
    {"context.tags.contains(\"x\") && true", "and(contains(.(var(context),\"tags\"),\"x\"),true)"},
    {"principal.manager.name", ".(.(var(principal),\"manager\"),\"name\")"},
};

constexpr Row kRelations[] = {
    {"context has a", "has(var(context),\"a\")"},
    {"context has \"a b\"", "has(var(context),\"a b\")"},
    {"context has \"if\"", "has(var(context),\"if\")"},
    {"context has principal", "has(var(context),\"principal\")"},
    {"1 has a", "has(1,\"a\")"},
    {"context has a.b", "and(has(var(context),\"a\"),has(.(var(context),\"a\"),\"b\"))"},
    {"context has a.b.c",
     "and(and(has(var(context),\"a\"),has(.(var(context),\"a\"),\"b\")),"
     "has(.(.(var(context),\"a\"),\"b\"),\"c\"))"},
    {"context has a && context.a", "and(has(var(context),\"a\"),.(var(context),\"a\"))"},
    {"context.command like \"*rm -rf*\"", "like(.(var(context),\"command\"),[*,\"rm -rf\",*])"},
    {"context.a like \"\"", "like(.(var(context),\"a\"),[])"},
    {"context.a like \"**\"", "like(.(var(context),\"a\"),[*,*])"},
    {"\"a\" like \"\\*\"", "like(\"a\",[\"*\"])"},
    {"\"a\" like \"a\\*\"", "like(\"a\",[\"a*\"])"},
    {"\"a\" like \"\\x2a\"", "like(\"a\",[*])"},
    {"\"a\" like \"\\u{2a}x\"", "like(\"a\",[*,\"x\"])"},
    {"\"a\" like \"\\u{2_a}\"", "like(\"a\",[*])"},
    {"\"a\" like \"*%TEMP%\\\\*\"", "like(\"a\",[*,\"%TEMP%\\\\\",*])"},
    {"\"a\" like \"a\\\\\\*b\"", "like(\"a\",[\"a\\\\*b\"])"},
    {"\"a\" like \"a?c\"", "like(\"a\",[\"a?c\"])"},
    {"principal is User", "is(var(principal),User)"},
    {"principal is A::B", "is(var(principal),A::B)"},
    {"principal is principal", "is(var(principal),principal)"},
    {"principal is A::B in Group::\"g\"",
     "and(is(var(principal),A::B),in(var(principal),Group::\"g\"))"},
    {"context.a is A in []", "and(is(.(var(context),\"a\"),A),in(.(var(context),\"a\"),set()))"},
    {"principal is A && true", "and(is(var(principal),A),true)"},
};

constexpr Row kLexical[] = {
    {"true // comment }\n", "true"},
    {"// lead\n true", "true"},
    {"1\t+\n2", "+(1,2)"},
    {"true\u00a0&&\u2028false\u3000", "and(true,false)"},
    {"true\v&&\ffalse", "and(true,false)"},
    {"\"a\nb\"", "\"a\\nb\""},
    {"\"caf\u00e9\"", "\"caf\u00e9\""},
};

void check(const Row* begin, const Row* end) {
  for (const Row* row = begin; row != end; ++row) {
    INFO(row->text);
    CHECK(expr_dump(row->text) == row->dump);
  }
}

TEST_CASE("literals, variables and entity uids", "[grammar][accept]") {
  check(std::begin(kLiterals), std::end(kLiterals));
}
TEST_CASE("operators and precedence", "[grammar][accept]") {
  check(std::begin(kOperators), std::end(kOperators));
}
TEST_CASE("member access and methods", "[grammar][accept]") {
  check(std::begin(kMembers), std::end(kMembers));
}
TEST_CASE("has, like and is", "[grammar][accept]") {
  check(std::begin(kRelations), std::end(kRelations));
}
TEST_CASE("whitespace and comments", "[grammar][accept]") {
  check(std::begin(kLexical), std::end(kLexical));
}

}  // namespace
}  // namespace vectimus::test
