// `vectimus hook --source SRC`: the product's main path. Reads one payload from stdin,
// normalises it, loads the packs and config for the payload's project, decides, and answers in
// the agent's protocol (cli/hook_answer.hpp). Every failure denies (docs/hook-protocols.md,
// "Failure handling"); stdout carries only the answer document, everything for humans goes to
// stderr, and the hint on how to turn a rule off is printed there only with exit 0.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "cli/commands.hpp"
#include "cli/hook_answer.hpp"
#include "cli/stdin.hpp"
#include "engine/engine.hpp"
#include "normalise/payload.hpp"

namespace vectimus::cli {
namespace {

struct HookOptions {
  std::string source;
  std::string policy_dir;
  bool no_index = false;
};

void write_out(const std::string& text, FILE* stream) {
  if (!text.empty()) std::fwrite(text.data(), 1, text.size(), stream);
}

// Writes the answer; `human` goes to stderr unless stderr is the agent's reason (exit 2).
int emit(normalise::Dialect dialect, engine::Verdict verdict, const std::string& reason,
         const std::string& human) {
  const HookAnswer answer = hook_answer(dialect, verdict, reason);
  write_out(answer.out, stdout);
  write_out(answer.exit_code == 0 ? human : answer.err, stderr);
  std::fflush(stdout);
  return answer.exit_code;
}

std::string disable_hint(const engine::Engine& engine, const engine::Decision& decision) {
  std::string ids;
  for (const auto& m : decision.matches) {
    const std::string id(engine.packs().rules[m.rule].id);
    if (ids.find("\"" + id + "\"") != std::string::npos) continue;
    ids += (ids.empty() ? "\"" : ", \"") + id + "\"";
  }
  if (ids.empty()) return {};
  const auto& loc = engine.locations();
  const std::string file = loc.project ? *loc.project + "/.vectimus/config.toml"
                                       : std::string("~/.vectimus/config.toml");
  return "vectimus: to turn this off, add " + ids + " to `[rules] disabled` in " + file +
         ", or set its level under `[rules.enforcement]`\n";
}

int decide_and_answer(const HookOptions& opt, normalise::Dialect& dialect) {
  const std::string input = read_all_stdin();
  const Host host = real_host();
  normalise::PayloadOutcome outcome =
      normalise::normalise_payload(opt.source, input, normalise::payload_options(host));
  dialect = outcome.dialect;
  if (outcome.status == normalise::PayloadStatus::empty) return kExitOk;
  if (outcome.status == normalise::PayloadStatus::error) {
    const std::string reason =
        "vectimus: the hook payload could not be read: " + outcome.errors.front().message;
    return emit(dialect, engine::Verdict::deny, reason, render(outcome.errors));
  }
  engine::EngineOptions options;
  if (!opt.policy_dir.empty()) options.policy_dir = opt.policy_dir;
  options.use_index = !opt.no_index;
  auto engine = engine::Engine::load(
      host, engine::locate(host, outcome.event.cwd, options.policy_dir), options);
  if (!engine) {
    const std::string reason = "vectimus: policies could not be loaded, so every call is denied: " +
                               short_diagnostic(engine.errors().front());
    return emit(dialect, engine::Verdict::deny, reason, render(engine.errors()));
  }
  const engine::Decision decision = engine->decide(outcome.event);
  std::string human;
  for (const std::string& line : decision.log) human += line + "\n";
  if (engine->config().debug) {
    for (const std::string& line : decision.debug_log) human += line + "\n";
  }
  if (decision.verdict != engine::Verdict::allow) human += disable_hint(*engine, decision);
  const int code = emit(dialect, decision.verdict, decision.reason, human);
  // The answer is out; the process ends here, because freeing the packs' trees one node at a
  // time would cost the agent more than deciding did (about an eighth of a hook call).
  std::fflush(stderr);
  std::_Exit(code);
}

int run_hook(const HookOptions& opt) {
  normalise::Dialect dialect = normalise::Dialect::unknown;
  if (auto tool = normalise::parse_source_tool(opt.source)) {
    dialect = normalise::fallback_dialect(*tool);
  }
  try {
    return decide_and_answer(opt, dialect);
  } catch (const std::exception& e) {
    return emit(dialect, engine::Verdict::deny,
                std::string("vectimus: internal error, the call is denied: ") + e.what(),
                std::string("vectimus: internal error: ") + e.what() + "\n");
  } catch (...) {
    return emit(dialect, engine::Verdict::deny, "vectimus: internal error, the call is denied",
                "vectimus: internal error\n");
  }
}

}  // namespace

void add_hook_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<HookOptions>();
  auto* cmd = app.add_subcommand("hook", "Decide one agent tool call (payload on stdin)");
  cmd->add_option("--source", opt->source,
                  "the calling agent: claude-code, claude-agent-sdk, cursor, copilot, "
                  "gemini-cli, codex")
      ->required();
  cmd->add_option("--policy-dir", opt->policy_dir, "use only the packs in this folder");
  // Hidden: the end-to-end tests run every hook case with and without the rule index. It cannot
  // change a decision (engine/engine.hpp), only make the call slower.
  cmd->add_flag("--no-index", opt->no_index, "evaluate every rule, without the rule index")
      ->group("");
  cmd->callback([opt, &exit_code] { exit_code = run_hook(*opt); });
}

}  // namespace vectimus::cli
