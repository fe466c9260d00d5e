// vectimus: a thin main over the library folders. Each command is in its own file
// (cli/commands.hpp lists them); main only parses the command line and returns the exit code.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"vectimus: Cedar policies for what AI coding agents do"};
  app.require_subcommand(1);
  int exit_code = vectimus::cli::kExitOk;
  vectimus::cli::add_cedar_command(app, exit_code);
  vectimus::cli::add_lint_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? vectimus::cli::kExitOk : vectimus::cli::kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "error: internal error: " << e.what() << '\n';
    return vectimus::cli::kExitBadInput;
  }
  return exit_code;
}
