// vectimus: a thin main over the library folders. Each command is in its own file
// (cli/commands.hpp lists them); main only parses the command line and returns the exit code.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <string_view>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"vectimus: Cedar policies for what AI coding agents do"};
  app.require_subcommand(1);
  int exit_code = vectimus::cli::kExitOk;
  vectimus::cli::add_cedar_command(app, exit_code);
  vectimus::cli::add_lint_command(app, exit_code);
  vectimus::cli::add_hook_command(app, exit_code);
  vectimus::cli::add_test_command(app, exit_code);
  vectimus::cli::add_explain_command(app, exit_code);
  vectimus::cli::add_eval_command(app, exit_code);
  // An agent treats exit 1 as "let the call through": a broken hook command line must block.
  const bool hook = argc > 1 && std::string_view(argv[1]) == "hook";
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
