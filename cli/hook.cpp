// `vectimus hook --source SRC`: the product's main path. Reads one payload from stdin and hands
// it to the pipeline (pipeline/decide.hpp), which decides and writes the answer in the agent's
// protocol; every failure denies there. Here: stdout carries only the answer document,
// everything for humans goes to stderr, except with exit 2, when stderr is the agent's reason.
// With a server URL (`[server] url`, VECTIMUS_SERVER_URL) the pipeline asks the server first
// (client mode, client/hook_client.hpp) and decides locally when it cannot. No flag for it: a
// CLI11 option costs every hook call ~9k instructions at start, and the config already has it.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "cli/commands.hpp"
#include "cli/doc.hpp"
#include "cli/policy_sync.hpp"
#include "cli/stdin.hpp"
#include "client/hook_client.hpp"
#include "normalise/payload.hpp"
#include "pipeline/decide.hpp"

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

int emit(const pipeline::Answer& answer, const std::string& human) {
  write_out(answer.out, stdout);
  write_out(answer.exit_code == 0 ? human : answer.err, stderr);
  std::fflush(stdout);
  std::fflush(stderr);
  return answer.exit_code;
}

int run_hook(const HookOptions& opt) {
  try {
    pipeline::SessionOptions options;
    if (!opt.policy_dir.empty()) options.policy_dir = opt.policy_dir;
    options.use_index = !opt.no_index;
    options.leave_evidence = true;
    options.ask_server = client::ask_hook_server;
    pipeline::Session session(real_host(), options);
    const pipeline::Outcome outcome = session.decide_payload(opt.source, read_all_stdin());
    const int code = emit(outcome.answer, outcome.human);
    // Only now, with the answer out: `[updates] auto_sync` (never delays a decision).
    if (outcome.engine) start_sync_if_due(session.host(), outcome.engine->config());
    // The answer is out; the process ends here, because freeing the packs' trees one node at a
    // time would cost the agent more than deciding did (about an eighth of a hook call).
    std::_Exit(code);
  } catch (const std::exception& e) {
    // Only reading stdin or setting up can get here (decide_payload never throws): deny.
    normalise::Dialect dialect = normalise::Dialect::unknown;
    if (auto tool = normalise::parse_source_tool(opt.source)) {
      dialect = normalise::fallback_dialect(*tool);
    }
    return emit(pipeline::hook_answer(dialect, std::nullopt, engine::Verdict::deny,
                                      std::string("vectimus: internal error, the call is "
                                                  "denied: ") +
                                          e.what()),
                std::string("vectimus: internal error: ") + e.what() + "\n");
  }
}

}  // namespace

void add_hook_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<HookOptions>();
  auto* cmd = app.add_subcommand("hook", "Decide one agent tool call (payload on stdin)");
  auto* source = cmd->add_option("--source", opt->source, "the calling agent")->required();
  list_values(*source, normalise::source_tool_names());
  cmd->add_option("--policy-dir", opt->policy_dir, "use only the packs in this folder");
  // Hidden: the end-to-end tests run every hook case with and without the rule index. It cannot
  // change a decision (engine/engine.hpp), only make the call slower.
  cmd->add_flag("--no-index", opt->no_index, "evaluate every rule, without the rule index")
      ->group("");
  cmd->callback([opt, &exit_code] { exit_code = run_hook(*opt); });
}

}  // namespace vectimus::cli
