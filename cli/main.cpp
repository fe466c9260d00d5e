// vectimus: a thin main over the library folders. Each command is in its own file
// (cli/commands.hpp lists them); main only parses the command line and returns the exit code.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <exception>
#include <iostream>
#include <iterator>
#include <string_view>

#include "cli/commands.hpp"

namespace {

struct Command {
  std::string_view name;
  void (*add)(CLI::App&, int&);
};

// Every command, in the order `--help` lists them.
constexpr Command kCommands[] = {
    {"cedar", vectimus::cli::add_cedar_command},
    {"lint", vectimus::cli::add_lint_command},
    {"hook", vectimus::cli::add_hook_command},
    {"test", vectimus::cli::add_test_command},
    {"explain", vectimus::cli::add_explain_command},
    {"eval", vectimus::cli::add_eval_command},
    {"verify", vectimus::cli::add_verify_command},
    {"receipts", vectimus::cli::add_receipts_command},
    {"report", vectimus::cli::add_report_command},
    {"init", vectimus::cli::add_init_command},
    {"remove", vectimus::cli::add_remove_command},
    {"status", vectimus::cli::add_status_command},
    {"rule", vectimus::cli::add_rule_command},
    {"mcp", vectimus::cli::add_mcp_command},
    {"observe", vectimus::cli::add_observe_command},
    {"pack", vectimus::cli::add_pack_command},
    {"server", vectimus::cli::add_server_command},
#ifdef VECTIMUS_HAS_CLIENT
    {"approvals", vectimus::cli::add_approvals_command},
    {"policy", vectimus::cli::add_policy_command},
#endif
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vectimus: Cedar policies for what AI coding agents do"};
  app.require_subcommand(1);
  vectimus::cli::add_version_flag(app);
  int exit_code = vectimus::cli::kExitOk;
  // When the first argument names a command, only that command is set up: building every
  // command's options costs the hook, which runs before every tool call, more than its own
  // parsing. Anything else (no command, `--help`, a typo) gets them all, for help and errors.
  const std::string_view first = argc > 1 ? argv[1] : "";
  const auto named = std::find_if(std::begin(kCommands), std::end(kCommands),
                                  [&](const Command& c) { return c.name == first; });
  if (named != std::end(kCommands)) {
    named->add(app, exit_code);
  } else {
    for (const Command& command : kCommands) command.add(app, exit_code);
    vectimus::cli::add_doc_command(app, exit_code);  // hidden; it describes all of the above
  }
  // An agent treats exit 1 as "let the call through": a broken hook command line must block.
  const bool hook = first == "hook";
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    if (code == 0) return vectimus::cli::kExitOk;
    return hook ? vectimus::cli::kExitDeny : vectimus::cli::kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "error: internal error: " << e.what() << '\n';
    return hook ? vectimus::cli::kExitDeny : vectimus::cli::kExitBadInput;
  }
  return exit_code;
}
