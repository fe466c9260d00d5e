// `vectimus eval --source SRC`: replays recorded payloads against the current policies. One
// JSON payload per stdin line (JSONL; blank lines skipped), one line per payload on stdout:
// `{"decision":"allow"|"deny"|"escalate","rules":[ids in document order],"reason":"..."}`.
// Decisions are the hook's, fail-closed paths included; nothing is written anywhere else.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/hook_answer.hpp"
#include "cli/report.hpp"
#include "cli/stdin.hpp"
#include "engine/engine.hpp"
#include "normalise/payload.hpp"

namespace vectimus::cli {
namespace {

struct EvalOptions {
  std::string source;
  std::string policy_dir;
  bool no_index = false;
};

std::string line_for(engine::Verdict verdict, const std::vector<std::string>& rules,
                     const std::string& reason) {
  JsonWriter w;
  w.begin_object().key("decision").value(engine::verdict_name(verdict));
  w.key("rules").begin_array();
  for (const auto& id : rules) w.value(id);
  w.end_array().key("reason").value(reason).end_object();
  return w.take();
}

std::string eval_line(engine::Session& session, const std::string& source, std::string_view line) {
  const normalise::PayloadOutcome outcome =
      normalise::normalise_payload(source, line, normalise::payload_options(session.host()));
  if (outcome.status == normalise::PayloadStatus::error) {
    return line_for(
        engine::Verdict::deny, {},
        "vectimus: the hook payload could not be read: " + outcome.errors.front().message);
  }
  const auto& engine = session.engine_for(outcome.event.cwd);
  if (!engine) {
    return line_for(engine::Verdict::deny, {},
                    "vectimus: policies could not be loaded, so every call is denied: " +
                        short_diagnostic(engine.errors().front()));
  }
  const engine::Decision d = engine->decide(outcome.event);
  return line_for(d.verdict, matched_rule_ids(*engine, d), d.reason);
}

int run_eval(const EvalOptions& opt) {
  engine::EngineOptions options;
  if (!opt.policy_dir.empty()) options.policy_dir = opt.policy_dir;
  options.use_index = !opt.no_index;
  engine::Session session(real_host(), options);
  const std::string input = read_all_stdin();
  std::size_t start = 0;
  while (start < input.size()) {
    std::size_t end = input.find('\n', start);
    if (end == std::string::npos) end = input.size();
    const std::string_view line = std::string_view(input).substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    std::cout << eval_line(session, opt.source, line) << '\n';
  }
  return kExitOk;
}

}  // namespace

void add_eval_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<EvalOptions>();
  auto* cmd = app.add_subcommand("eval", "Decide recorded payloads (JSONL on stdin), one per line");
  cmd->add_option("--source", opt->source, "the agent the payloads come from")->required();
  cmd->add_option("--policy-dir", opt->policy_dir, "use only the packs in this folder");
  cmd->add_flag("--no-index", opt->no_index,
                "evaluate every rule instead of the rule index's candidates (same decisions; "
                "for A/B checks)");
  cmd->callback([opt, &exit_code] { exit_code = run_eval(*opt); });
}

}  // namespace vectimus::cli
