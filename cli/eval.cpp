// `vectimus eval --source SRC`: replays recorded payloads against the current policies. One
// JSON payload per stdin line (JSONL; blank lines skipped), one line per payload on stdout:
// `{"decision":"allow"|"deny"|"escalate","rules":[ids in document order],"reason":"..."}`.
// Decisions are the hook's (pipeline/decide.hpp), fail-closed paths included.
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

struct EvalOptions {
  std::string source;
  std::string policy_dir;
  bool no_index = false;
};

int run_eval(const EvalOptions& opt) {
  pipeline::SessionOptions options;
  if (!opt.policy_dir.empty()) options.policy_dir = opt.policy_dir;
  options.use_index = !opt.no_index;
  pipeline::Session session(real_host(), options);
  const std::string input = read_all_stdin();
  std::size_t start = 0;
  while (start < input.size()) {
    std::size_t end = input.find('\n', start);
    if (end == std::string::npos) end = input.size();
    const std::string_view line = std::string_view(input).substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    std::cout << pipeline::summary_json(session.decide_payload(opt.source, line)) << '\n';
  }
  return kExitOk;
}

}  // namespace

void add_eval_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<EvalOptions>();
  auto* cmd = app.add_subcommand("eval", "Decide recorded payloads (JSONL on stdin), one per line");
  auto* source =
      cmd->add_option("--source", opt->source, "the agent the payloads come from")->required();
  list_values(*source, normalise::source_tool_names());
  cmd->add_option("--policy-dir", opt->policy_dir, "use only the packs in this folder");
  cmd->add_flag("--no-index", opt->no_index,
                "evaluate every rule instead of the rule index's candidates (same decisions; "
                "for A/B checks)");
  cmd->callback([opt, &exit_code] { exit_code = run_eval(*opt); });
}

}  // namespace vectimus::cli
