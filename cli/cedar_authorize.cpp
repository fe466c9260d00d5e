// `vectimus cedar authorize`: one Cedar request against a policy file, in the shape of the
// reference Cedar CLI. Prints ALLOW or DENY, then one `reason:` line per determining policy and
// one `error:` line per policy that failed to evaluate. Exit 0 allow, 2 deny, 1 bad input.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/files.hpp"
#include "grammar/parse.hpp"
#include "interpreter/authorizer.hpp"
#include "interpreter/json.hpp"

namespace vectimus::cli {
namespace {

struct AuthorizeOptions {
  std::string policies;
  std::string entities;
  std::string principal;
  std::string action;
  std::string resource;
  std::string context;
};

// Prints the diagnostics of a failed Result to stderr and tells whether it failed.
template <class T>
bool failed(const Result<T>& result) {
  if (result.ok()) return false;
  std::cerr << render(result.errors());
  return true;
}

Result<ir::EntityUid> uid_argument(const std::string& flag, const std::string& text) {
  return grammar::parse_entity_uid(make_source(flag, text));
}

int run_authorize(const AuthorizeOptions& opt) {
  auto policy_text = read_source(opt.policies);
  if (failed(policy_text)) return kExitBadInput;
  auto policies = grammar::parse_policies(*policy_text);
  if (failed(policies)) return kExitBadInput;

  interpreter::Entities entities;
  if (!opt.entities.empty()) {
    auto text = read_source(opt.entities);
    if (failed(text)) return kExitBadInput;
    auto parsed = interpreter::parse_entities_json(*text);
    if (failed(parsed)) return kExitBadInput;
    entities = std::move(parsed).value();
  }

  interpreter::Request request;
  auto principal = uid_argument("--principal", opt.principal);
  auto action = uid_argument("--action", opt.action);
  auto resource = uid_argument("--resource", opt.resource);
  if (failed(principal) || failed(action) || failed(resource)) return kExitBadInput;
  request.principal = *principal;
  request.action = *action;
  request.resource = *resource;
  request.context = interpreter::Value::record({});
  if (!opt.context.empty()) {
    auto text = read_source(opt.context);
    if (failed(text)) return kExitBadInput;
    auto context = interpreter::parse_context_json(*text);
    if (failed(context)) return kExitBadInput;
    request.context = *context;
  }

  const auto response = interpreter::authorize(*policies, request, entities);
  const auto& set = policies->policies;
  const bool allow = response.decision == interpreter::Decision::allow;
  std::cout << (allow ? "ALLOW" : "DENY") << '\n';
  for (const uint32_t i : response.reasons) std::cout << "reason: " << set[i].id() << '\n';
  for (const auto& e : response.errors) {
    std::cout << "error: " << set[e.policy].id() << ": " << e.message << '\n';
  }
  return allow ? kExitOk : kExitDeny;
}

}  // namespace

void add_run_tests_command(CLI::App& cedar, int& exit_code);

void add_cedar_command(CLI::App& app, int& exit_code) {
  auto* cedar = app.add_subcommand("cedar", "Cedar tools: authorize one request, run Cedar tests");
  cedar->require_subcommand(1);

  auto opt = std::make_shared<AuthorizeOptions>();
  auto* auth = cedar->add_subcommand("authorize", "Decide one request against a policy file");
  auth->add_option("--policies", opt->policies, "Cedar policy file")->required();
  auth->add_option("--entities", opt->entities, "entities JSON file");
  auth->add_option("--principal", opt->principal, "principal, e.g. 'User::\"alice\"'")->required();
  auth->add_option("--action", opt->action, "action, e.g. 'Action::\"view\"'")->required();
  auth->add_option("--resource", opt->resource, "resource, e.g. 'Photo::\"a.jpg\"'")->required();
  auth->add_option("--context", opt->context, "context JSON file (an object)");
  auth->callback([opt, &exit_code] { exit_code = run_authorize(*opt); });

  add_run_tests_command(*cedar, exit_code);
}

}  // namespace vectimus::cli
