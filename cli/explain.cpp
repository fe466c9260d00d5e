// `vectimus explain --source SRC`: how one payload (stdin) is decided, as JSON on stdout
// (pipeline/report.hpp, explain_json). Every enabled rule is evaluated (not only the rule
// index's candidates), so `errors` lists the errors of every rule, also those the hook never
// computes. With `--index`, each request also shows what the rule index made of it: the atoms
// that held and the candidate rules (the always-candidates listed apart as well).
// Exit 0 when a decision was explained (even a fail-closed deny), 1 on a bad command line.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/doc.hpp"
#include "cli/stdin.hpp"
#include "normalise/payload.hpp"
#include "pipeline/decide.hpp"
#include "pipeline/report.hpp"

namespace vectimus::cli {
namespace {

struct ExplainOptions {
  std::string source;
  std::string policy_dir;
  bool index = false;
};

int run_explain(const ExplainOptions& opt) {
  pipeline::SessionOptions options;
  if (!opt.policy_dir.empty()) options.policy_dir = opt.policy_dir;
  options.always_resolve_identity = true;
  options.use_index = false;  // every rule, so every error is shown
  pipeline::Session session(real_host(), options);
  const pipeline::Outcome outcome = session.decide_payload(opt.source, read_all_stdin());
  std::cout << pipeline::explain_json(outcome, {opt.source, opt.index}) << '\n';
  return kExitOk;
}

}  // namespace

void add_explain_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<ExplainOptions>();
  auto* cmd = app.add_subcommand("explain", "Show how one payload (stdin) is decided, as JSON");
  auto* source =
      cmd->add_option("--source", opt->source, "the agent the payload comes from")->required();
  list_values(*source, normalise::source_tool_names());
  cmd->add_option("--policy-dir", opt->policy_dir, "use only the packs in this folder");
  cmd->add_flag("--index", opt->index,
                "also show, per request, the rule index's matched atoms and candidate rules");
  cmd->callback([opt, &exit_code] { exit_code = run_explain(*opt); });
}

}  // namespace vectimus::cli
