// Authorizer: decisions, reasons and skip-on-error, as tables of Cedar policy text.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "interpreter/authorizer.hpp"
#include "tests/interpreter/cedar_text.hpp"
#include "tests/interpreter/fixture.hpp"

namespace {

using namespace vectimus;
using interpreter::Decision;

struct Row {
  const char* name;
  const char* policies;
  Decision decision;
  std::vector<uint32_t> reasons;
  std::vector<std::string> errors;  // "<index>: <message>"
};

std::vector<std::string> error_texts(const interpreter::Response& r) {
  std::vector<std::string> out;
  for (const auto& e : r.errors) out.push_back(std::to_string(e.policy) + ": " + e.message);
  return out;
}

interpreter::Response authorize_text(const char* text, const interpreter::Request& request) {
  std::string error;
  const std::optional<ir::PolicySet> set = test::cedar_policies(text, &error);
  INFO(error);
  REQUIRE(set.has_value());
  return interpreter::authorize(*set, request, test::fixture().entities);
}

void check_rows(const std::vector<Row>& rows, const interpreter::Request& request) {
  for (const Row& row : rows) {
    INFO("case: " << row.name);
    const interpreter::Response r = authorize_text(row.policies, request);
    CHECK((r.decision == Decision::allow ? "allow" : "deny") ==
          std::string(row.decision == Decision::allow ? "allow" : "deny"));
    CHECK(r.reasons == row.reasons);
    CHECK(error_texts(r) == row.errors);
  }
}

constexpr const char* kAllowAll = "permit(principal, action, resource);";

}  // namespace

TEST_CASE("authorizer: decisions and reasons", "[authorizer]") {
  const std::string forbid_rm =
      std::string(kAllowAll) +
      "forbid(principal, action, resource) when { context.command like \"*rm -rf /*\" };";
  check_rows(
      {
          {"empty set is a default deny", "", Decision::deny, {}, {}},
          {"permit only", kAllowAll, Decision::allow, {0}, {}},
          {"forbid overrides permit", forbid_rm.c_str(), Decision::deny, {1}, {}},
          {"unsatisfied forbid alone: default deny, no reasons",
           "forbid(principal, action, resource) when { false };",
           Decision::deny,
           {},
           {}},
          {"several permits are all reasons",
           "permit(principal, action, resource); forbid(principal, action, resource) when "
           "{ false }; permit(principal == User::\"alice\", action, resource);",
           Decision::allow,
           {0, 2},
           {}},
          {"several forbids are all reasons",
           "forbid(principal, action, resource); permit(principal, action, resource); "
           "forbid(principal, action, resource) unless { false };",
           Decision::deny,
           {0, 2},
           {}},
          {"unless negates",
           "permit(principal, action, resource) unless { false };",
           Decision::allow,
           {0},
           {}},
          {"unless true blocks",
           "permit(principal, action, resource) unless { true };",
           Decision::deny,
           {},
           {}},
          {"when and unless in any order",
           "permit(principal, action, resource) unless { false } when { true } unless { 1 == 2 };",
           Decision::allow,
           {0},
           {}},
      },
      test::fixture().request);
}

TEST_CASE("authorizer: skip-on-error", "[authorizer]") {
  check_rows(
      {
          {"erroring forbid is skipped and reported",
           "permit(principal, action, resource); forbid(principal, action, resource) when "
           "{ context.nope };",
           Decision::allow,
           {0},
           {"1: record does not have the attribute `nope`"}},
          {"erroring permit is skipped: deny",
           "permit(principal, action, resource) when { context.nope == 1 };",
           Decision::deny,
           {},
           {"0: record does not have the attribute `nope`"}},
          {"a false clause before the error stops evaluation",
           "permit(principal, action, resource) when { false } when { context.nope };",
           Decision::deny,
           {},
           {}},
          {"the error before a false clause is reported",
           "permit(principal, action, resource) when { context.nope } when { false };",
           Decision::deny,
           {},
           {"0: record does not have the attribute `nope`"}},
          {"when body must be a bool",
           "permit(principal, action, resource) when { 1 };",
           Decision::deny,
           {},
           {"0: type error: expected bool, got long"}},
          {"unless body must be a bool",
           "permit(principal, action, resource) unless { \"x\" };",
           Decision::deny,
           {},
           {"0: type error: expected bool, got string"}},
          {"every erroring policy is reported, whatever its effect",
           "forbid(principal, action, resource) when { context.a }; permit(principal, action, "
           "resource) when { principal.nope }; permit(principal, action, resource);",
           Decision::allow,
           {2},
           {"0: record does not have the attribute `a`",
            "1: `User::\"alice\"` does not have the attribute `nope`"}},
          {"overflow is an error",
           "forbid(principal, action, resource) when { 9223372036854775807 + context.n > 0 }; "
           "permit(principal, action, resource);",
           Decision::allow,
           {1},
           {"0: integer overflow while attempting to add the values `9223372036854775807` and "
            "`5`"}},
      },
      test::fixture().request);
}

TEST_CASE("authorizer: scope constraints never error", "[authorizer]") {
  check_rows(
      {
          {"other action: no missing-attribute error",
           "forbid(principal, action == Action::\"edit\", resource) when { context.nope }; "
           "permit(principal, action, resource);",
           Decision::allow,
           {1},
           {}},
          {"principal ==",
           "permit(principal == User::\"alice\", action, resource);",
           Decision::allow,
           {0},
           {}},
          {"principal == other",
           "permit(principal == User::\"bob\", action, resource);",
           Decision::deny,
           {},
           {}},
          {"principal in (transitive)",
           "permit(principal in Group::\"all\", action, resource);",
           Decision::allow,
           {0},
           {}},
          {"action in set",
           "permit(principal, action in [Action::\"edit\", Action::\"view\"], resource);",
           Decision::allow,
           {0},
           {}},
          {"action in group",
           "permit(principal, action in Action::\"read\", resource);",
           Decision::allow,
           {0},
           {}},
          {"action not in the set",
           "permit(principal, action in [Action::\"edit\"], resource);",
           Decision::deny,
           {},
           {}},
          {"resource is", "permit(principal, action, resource is Doc);", Decision::allow, {0}, {}},
          {"resource is other",
           "permit(principal, action, resource is User);",
           Decision::deny,
           {},
           {}},
          {"principal is in",
           "permit(principal is User in Group::\"staff\", action == Action::\"view\", "
           "resource == Doc::\"d1\");",
           Decision::allow,
           {0},
           {}},
          {"principal is in, wrong type",
           "permit(principal is Group in Group::\"staff\", action, resource);",
           Decision::deny,
           {},
           {}},
          {"resource in itself",
           "permit(principal, action, resource in Doc::\"d1\");",
           Decision::allow,
           {0},
           {}},
      },
      test::fixture().request);
}

TEST_CASE("authorizer: the cedar.md demonstration", "[authorizer]") {
  const char* policies =
      "@id(\"vectimus-destruct-001\")\n"
      "forbid(principal, action == Vectimus::Action::\"shell_command\", resource)\n"
      "when { context.command like \"*rm -rf /*\" || context.command like \"*rm -rf ~*\" };\n"
      "@id(\"allow-all\") permit(principal, action, resource);\n";
  interpreter::Request request;
  request.principal = ir::EntityUid{"Vectimus::Agent", "coding_agent"};
  request.action = ir::EntityUid{"Vectimus::Action", "shell_command"};
  request.resource = ir::EntityUid{"Vectimus::Tool", "Bash"};
  const auto with_command = [&](const char* command) {
    interpreter::Request r = request;
    r.context = interpreter::Value::record({{"command", interpreter::Value::string(command)}});
    return r;
  };
  check_rows({{"rm -rf /", policies, Decision::deny, {0}, {}}},
             with_command("sudo rm -rf / --no-preserve-root"));
  check_rows({{"ls", policies, Decision::allow, {1}, {}}}, with_command("ls -la"));
  check_rows({{"no command",
               policies,
               Decision::allow,
               {1},
               {"0: record does not have the attribute `command`"}}},
             request);
}

TEST_CASE("authorizer: only the candidates are evaluated", "[authorizer]") {
  std::string error;
  const std::optional<ir::PolicySet> set = test::cedar_policies(
      "forbid(principal, action, resource); permit(principal, action, resource); "
      "permit(principal, action, resource) when { context.nope };",
      &error);
  REQUIRE(set.has_value());
  const auto& f = test::fixture();
  const std::vector<uint32_t> only_permit = {1};
  const interpreter::Response a = interpreter::authorize(*set, only_permit, f.request, f.entities);
  CHECK(a.decision == Decision::allow);
  CHECK(a.reasons == std::vector<uint32_t>{1});
  CHECK(a.errors.empty());
  const std::vector<uint32_t> all = {0, 1, 2};
  const interpreter::Response b = interpreter::authorize(*set, all, f.request, f.entities);
  const interpreter::Response c = interpreter::authorize(*set, f.request, f.entities);
  CHECK(b.decision == Decision::deny);
  CHECK(b.reasons == c.reasons);
  CHECK(error_texts(b) == error_texts(c));
  CHECK(error_texts(c) == std::vector<std::string>{"2: record does not have the attribute `nope`"});
}
