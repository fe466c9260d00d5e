// Evaluator semantics, as tables of Cedar expression → expected value text or error message.
// Every row states the exact expected outcome (docs/cedar.md; ✓ rows were checked there against
// the reference implementation).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "interpreter/evaluator.hpp"
#include "tests/interpreter/cedar_text.hpp"
#include "tests/interpreter/fixture.hpp"

namespace {

using namespace vectimus;

struct Row {
  const char* expr;
  const char* expected;  // to_text of the value, or "error: <message>"
};

std::string run(const char* text) {
  std::string parse_error;
  const std::optional<ir::Expr> expr = test::cedar_expr(text, &parse_error);
  if (!expr) return "parse failure: " + parse_error;
  const test::Fixture& f = test::fixture();
  const interpreter::EvalResult r = interpreter::evaluate(*expr, f.request, f.entities);
  if (!r.ok()) return "error: " + r.error().message;
  return interpreter::to_text(r.value());
}

void check_rows(const std::vector<Row>& rows) {
  for (const Row& row : rows) {
    INFO("expression: " << row.expr);
    CHECK(run(row.expr) == row.expected);
  }
}

}  // namespace

TEST_CASE("evaluator: boolean operators short-circuit and type-check", "[evaluator]") {
  check_rows({
      {"true || context.nope", "true"},
      {"true || \"a\"", "true"},
      {"false || \"a\"", "error: type error: expected bool, got string"},
      {"false || true", "true"},
      {"false || false", "false"},
      {"false && context.nope", "false"},
      {"false && 1", "false"},
      {"true && context.nope", "error: record does not have the attribute `nope`"},
      {"true && 1", "error: type error: expected bool, got long"},
      {"\"a\" || true", "error: type error: expected bool, got string"},
      {"1 && true", "error: type error: expected bool, got long"},
      {"true && true", "true"},
      {"!true", "false"},
      {"!false", "true"},
      {"!\"x\"", "error: type error: expected bool, got string"},
      {"!principal", "error: type error: expected bool, got (entity of type `User`)"},
      {"if true then 1 else context.nope", "1"},
      {"if false then context.nope else 2", "2"},
      {"if 1 then 2 else 3", "error: type error: expected bool, got long"},
      {"if context.nope then 1 else 2", "error: record does not have the attribute `nope`"},
      {"if true then \"a\" else 2", "\"a\""},
  });
}

TEST_CASE("evaluator: equality never errors on kinds and is structural", "[evaluator]") {
  check_rows({
      {"1 == true", "false"},
      {"\"1\" == 1", "false"},
      {"principal == {a: 1}", "false"},
      {"[1, 2] == [2, 1, 1]", "true"},
      {"{a: 1} == {\"a\": 1}", "true"},
      {"{a: 1, b: [1, 2]} == {b: [2, 1], a: 1}", "true"},
      {"{a: 1} == {a: 1, b: 2}", "false"},
      {"\"caf\\u{e9}\" == \"cafe\\u{301}\"", "false"},
      {"\"A\" == \"a\"", "false"},
      {"U::\"a\" == V::\"a\"", "false"},
      {"U::\"a\" == U::\"a\"", "true"},
      {"principal == User::\"alice\"", "true"},
      {"User::\"alice\" == principal", "true"},
      {"1 != 2", "true"},
      {"1 != 1", "false"},
      {"\"a\" != 1", "true"},
      {"context.nope == 1", "error: record does not have the attribute `nope`"},
      {"1 == context.nope", "error: record does not have the attribute `nope`"},
      {"context.nested == {y: {z: true}, x: 1}", "true"},
      {"[principal] == [User::\"alice\"]", "true"},
  });
}

TEST_CASE("evaluator: set methods", "[evaluator]") {
  check_rows({
      {"[[1], [2]].contains([2])", "true"},
      {"[{a: 1}].contains({a: 1})", "true"},
      {"[1, 2].contains(3)", "false"},
      {"[1, \"1\"].contains(\"1\")", "true"},
      {"[].containsAny([])", "false"},
      {"[1, 2].containsAll([])", "true"},
      {"[1, 2].containsAll([2, 1])", "true"},
      {"[1].containsAll([1, 2])", "false"},
      {"[1, 2].containsAny([3, 2])", "true"},
      {"[1, 2].containsAny([3])", "false"},
      {"context.tags.contains(\"b\")", "true"},
      {"context.tags.isEmpty()", "false"},
      {"[].isEmpty()", "true"},
      {"\"a\".isEmpty()", "error: type error: expected set, got string"},
      {"1.contains(1)", "error: type error: expected set, got long"},
      {"[1].containsAll(1)", "error: type error: expected set, got long"},
      {"[1].containsAny(\"a\")", "error: type error: expected set, got string"},
      {"{a: 1}.contains(1)", "error: type error: expected set, got record"},
  });
}

// A set written as literals is compared as written, not built (evaluator.cpp, is_literal_set):
// mixed kinds, each kind present and absent, and errors in the same order as a built set's.
TEST_CASE("evaluator: sets of literals answer as built sets do", "[evaluator]") {
  check_rows({
      {"[true, 2, \"a\", \"b\", User::\"alice\", false, -1].containsAll([User::\"alice\", \"a\", "
       "-1, "
       "false])",
       "true"},
      {"[true, 2, \"a\", \"b\", User::\"alice\"].containsAll([User::\"alice\", \"c\"])", "false"},
      {"[true, 2, \"a\", User::\"alice\"].containsAny([\"c\", 3, User::\"bob\", false])", "false"},
      {"[true, 2, \"a\", User::\"alice\"].containsAny([\"c\", 3, User::\"alice\"])", "true"},
      {"[true, 2, \"a\"].containsAny([1 + 1])", "true"},
      {"[true, 2, \"a\"].containsAny([true])", "true"},
      {"[1, \"a\", User::\"alice\"].contains(User::\"alice\")", "true"},
      {"[1, \"a\", User::\"alice\"].contains(\"1\")", "false"},
      {"[false, true].contains(true)", "true"},
      {"[1, \"a\"].contains(context.nope)", "error: record does not have the attribute `nope`"},
      {"context.nope.containsAny([\"a\"])", "error: record does not have the attribute `nope`"},
      {"1.containsAny([\"a\"])", "error: type error: expected set, got long"},
      {"context.tags.containsAll([\"b\"])", "true"},
      {"context.tags.containsAny([\"zz\", 1])", "false"},
  });
}

TEST_CASE("evaluator: comparisons are for Longs only", "[evaluator]") {
  check_rows({
      {"1 < 2", "true"},
      {"2 < 2", "false"},
      {"2 <= 2", "true"},
      {"3 > 2", "true"},
      {"2 > 2", "false"},
      {"2 >= 3", "false"},
      {"3 >= 3", "true"},
      {"-1 < 0", "true"},
      {"\"a\" < \"b\"",
       "error: type error: expected one of [long, datetime, duration], got string"},
      {"\"a\" > \"b\"",
       "error: type error: expected one of [long, datetime, duration], got string"},
      {"1 < \"b\"", "error: type error: expected long, got string"},
      {"\"a\" <= 1", "error: type error: expected long, got string"},
      {"true > 1", "error: type error: expected long, got bool"},
      {"1 >= [1]", "error: type error: expected long, got set"},
      {"context.n > 4", "true"},
      {"context.nope < 1", "error: record does not have the attribute `nope`"},
  });
}

TEST_CASE("evaluator: checked i64 arithmetic", "[evaluator]") {
  check_rows({
      {"2 + 3 * 4", "14"},
      {"5 - 7", "-2"},
      {"-context.n", "-5"},
      {"- -3", "3"},
      {"-9223372036854775808", "-9223372036854775808"},
      {"9223372036854775807", "9223372036854775807"},
      {"9223372036854775807 + 1",
       "error: integer overflow while attempting to add the values `9223372036854775807` and `1`"},
      {"-9223372036854775808 - 1",
       "error: integer overflow while attempting to subtract the values `-9223372036854775808` "
       "and `1`"},
      {"9223372036854775807 * 2",
       "error: integer overflow while attempting to multiply the values `9223372036854775807` "
       "and `2`"},
      {"-9223372036854775808 * -1",
       "error: integer overflow while attempting to multiply the values `-9223372036854775808` "
       "and `-1`"},
      {"-(-9223372036854775808)",
       "error: integer overflow while attempting to negate the value `-9223372036854775808`"},
      {"9223372036854775807 + -9223372036854775808", "-1"},
      {"1 + \"a\"", "error: type error: expected long, got string"},
      {"\"a\" + 1", "error: type error: expected long, got string"},
      {"\"a\" + context.nope", "error: record does not have the attribute `nope`"},
      {"-\"a\"", "error: type error: expected long, got string"},
      {"context.a * context.b", "error: record does not have the attribute `a`"},
  });
}

TEST_CASE("evaluator: entity hierarchy `in`", "[evaluator]") {
  check_rows({
      {"principal in principal", "true"},
      {"principal in Group::\"staff\"", "true"},
      {"principal in Group::\"all\"", "true"},
      {"Group::\"all\" in principal", "false"},
      {"User::\"ghost\" in User::\"ghost\"", "true"},
      {"User::\"ghost\" in Group::\"all\"", "false"},
      {"principal in []", "false"},
      {"principal in [Group::\"x\", Group::\"all\"]", "true"},
      {"principal in [Group::\"x\"]", "false"},
      {"action in Action::\"read\"", "true"},
      {"1 in Group::\"all\"",
       "error: type error: expected (entity of type `any_entity_type`), got long"},
      {"principal in 1",
       "error: type error: expected one of [set, (entity of type `any_entity_type`)], got long"},
      {"principal in [1]",
       "error: type error: expected (entity of type `any_entity_type`), got long"},
      {"principal in [principal, 1]",
       "error: type error: expected (entity of type `any_entity_type`), got long"},
      {"\"a\" in [\"a\"]",
       "error: type error: expected (entity of type `any_entity_type`), got string"},
      {"resource.owner in Group::\"staff\"", "true"},
  });
}

TEST_CASE("evaluator: `has` and attribute access", "[evaluator]") {
  check_rows({
      {"context has command", "true"},
      {"context has c", "false"},
      {"context has \"command\"", "true"},
      {"context has \"if\"", "true"},
      {"principal has name", "true"},
      {"principal has nope", "false"},
      {"User::\"ghost\" has name", "false"},
      {"Group::\"all\" has name", "false"},
      {"1 has a",
       "error: type error: expected one of [record, (entity of type `any_entity_type`)], got long"},
      {"context.nope has a", "error: record does not have the attribute `nope`"},
      {"context.command", "\"sudo rm -rf / --no-preserve-root\""},
      {"context[\"command\"]", "\"sudo rm -rf / --no-preserve-root\""},
      {"context[\"if\"]", "\"reserved word as a key\""},
      {"context.nope", "error: record does not have the attribute `nope`"},
      {"context.nested.x", "1"},
      {"context.nested.y.z", "true"},
      {"context.nested.y.w", "error: record does not have the attribute `w`"},
      {"principal.name", "\"Alice\""},
      {"principal.manager.name", "\"Bob\""},
      {"principal.nope", "error: `User::\"alice\"` does not have the attribute `nope`"},
      {"User::\"ghost\".name", "error: entity `User::\"ghost\"` does not exist"},
      {"principal.manager.manager", "error: `User::\"bob\"` does not have the attribute `manager`"},
      {"resource.owner.name", "\"Alice\""},
      {"resource.tags", "[\"x\", \"y\"]"},
      {"\"a\".b",
       "error: type error: expected one of [record, (entity of type `any_entity_type`)], got "
       "string"},
      {"{a: 1}.a", "1"},
      {"{a: {b: [1]}}.a.b", "[1]"},
      {"{a: 1}.b", "error: record does not have the attribute `b`"},
  });
}

TEST_CASE("evaluator: like", "[evaluator]") {
  check_rows({
      {"context.command like \"*rm -rf /*\"", "true"},
      {"context.command like \"*rm -rf ~*\"", "false"},
      {"\"xrm\" like \"rm*\"", "false"},
      {"\"rm -rf\" like \"*rm\"", "false"},
      {"\"\" like \"\"", "true"},
      {"\"\" like \"*\"", "true"},
      {"\"\" like \"**\"", "true"},
      {"\"a\" like \"\"", "false"},
      {"\"a?c\" like \"a?c\"", "true"},
      {"\"abc\" like \"a?c\"", "false"},
      {"\"a*b\" like \"a\\*b\"", "true"},
      {"\"axb\" like \"a\\*b\"", "false"},
      {"\"line1\\nline2\" like \"*\\n*\"", "true"},
      {"\"a\\0b\" like \"a*b\"", "true"},
      {"\"\\u{1F600}\" like \"?\"", "false"},
      {"\"\\u{1F600}\" like \"*\"", "true"},
      {"\"caf\\u{e9}\" like \"caf*\"", "true"},
      {"1 like \"*\"", "error: type error: expected string, got long"},
      {"principal like \"*\"", "error: type error: expected string, got (entity of type `User`)"},
      {"context.nope like \"*\"", "error: record does not have the attribute `nope`"},
  });
}

TEST_CASE("evaluator: is", "[evaluator]") {
  check_rows({
      {"principal is User", "true"},
      {"principal is Group", "false"},
      {"Vectimus::User::\"x\" is Vectimus::User", "true"},
      {"Vectimus::User::\"x\" is User", "false"},
      {"principal is User in Group::\"all\"", "true"},
      {"principal is User in Group::\"other\"", "false"},
      {"1 is User", "error: type error: expected (entity of type `any_entity_type`), got long"},
  });
}

TEST_CASE("evaluator: variables and literals", "[evaluator]") {
  check_rows({
      {"principal", "User::\"alice\""},
      {"action", "Action::\"view\""},
      {"resource", "Doc::\"d1\""},
      {"[3, 1, 2, 1]", "[1, 2, 3]"},
      {"[1, true, \"a\"]", "[true, 1, \"a\"]"},
      {"{b: 1, a: \"x\"}", "{\"a\": \"x\", \"b\": 1}"},
      {"[1, context.nope]", "error: record does not have the attribute `nope`"},
      {"{a: context.nope}", "error: record does not have the attribute `nope`"},
      {"[context.n, context.tags]", "[5, [\"a\", \"b\"]]"},
      {"\"tab\\there\"", "\"tab\\there\""},
  });
}
