// `vectimus remove [--force] [--user]`: the inverse of init (setup/install.hpp's uninstall):
// files init created are deleted, files it edited are given back byte for byte minus our
// entries. Asks first on a terminal unless --force; elsewhere it refuses without --force, since
// nobody is there to ask.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/setup_common.hpp"
#include "cli/table.hpp"
#include "setup/install.hpp"

namespace vectimus::cli {
namespace {

struct RemoveOptions {
  bool force = false;
  bool user = false;
};

void print(const std::vector<setup::FileOutcome>& files) {
  Table table({"FILE", "AGENT", "CHANGE"});
  for (const setup::FileOutcome& f : files) table.add({f.path, f.agent, f.what});
  std::cout << table.render(use_colour());
}

int run_remove(const RemoveOptions& opt) {
  const Host host = real_host();
  const Result<SetupPlace> place = setup_place(host, opt.user);
  if (!place) {
    std::cerr << render(place.errors());
    return kExitBadInput;
  }
  const Result<std::vector<setup::FileOutcome>> plan =
      setup::removal_plan(host, place->root, opt.user);
  if (!plan) {
    std::cerr << render(plan.errors());
    return kExitBadInput;
  }
  if (plan->empty()) {
    std::cout << "vectimus is not set up in " << place->root << ": nothing to remove\n";
    return kExitOk;
  }
  if (!opt.force) {
    if (!interactive()) {
      std::cerr << "error: vectimus remove would change " << plan->size()
                << " files and cannot ask for confirmation (not a terminal)\n"
                   "help: run it on a terminal, or pass --force\n";
      return kExitBadInput;
    }
    std::cout << "vectimus remove will change:\n";
    print(*plan);
    std::string answer;
    if (!ask("Remove vectimus from these files? [y/N]: ", answer) || answer.empty() ||
        (answer[0] != 'y' && answer[0] != 'Y')) {
      std::cout << "nothing was changed\n";
      return kExitBadInput;
    }
  }
  const Result<std::vector<setup::FileOutcome>> done =
      setup::uninstall(host, place->root, opt.user);
  if (!done) {
    std::cerr << render(done.errors());
    return kExitBadInput;
  }
  print(*done);
  std::cout << "The signing key stays in " << place->home
            << "/.vectimus/keys: receipts already written need it to verify.\n";
  return kExitOk;
}

}  // namespace

void add_remove_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<RemoveOptions>();
  auto* cmd = app.add_subcommand("remove", "Undo vectimus init, byte for byte");
  cmd->add_flag("--force", opt->force, "do not ask for confirmation");
  cmd->add_flag("--user", opt->user, "undo init --user (the agents' user-level files)");
  cmd->callback([opt, &exit_code] { exit_code = run_remove(*opt); });
}

}  // namespace vectimus::cli
