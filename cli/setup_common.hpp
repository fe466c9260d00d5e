// What `init`, `remove` and `status` share: where they work (the project root, or HOME with
// `--user`), the path of the running binary, questions at a terminal, and the config keys init
// stores (through engine/config_edit.hpp, so they are written as the engine reads them).
#pragma once

#include <string>
#include <vector>

#include "setup/install.hpp"
#include "support/host.hpp"
#include "support/result.hpp"

namespace vectimus::cli {

struct SetupPlace {
  std::string root;  // the project root (nearest folder up with .vectimus/ or .git), or HOME
  std::string home;
};
Result<SetupPlace> setup_place(const Host& host, bool user);

// The absolute path of this process's binary; empty when it cannot be known.
std::string running_binary();

// True when stdin and stdout are terminals: the only time a command asks a question.
bool interactive();
// Asks `question` on stdout and reads one line from stdin; false at end of input.
bool ask(const std::string& question, std::string& answer);

struct ConfigChoices {
  setup::ConfigEditor editor;      // the config keys init stores
  std::vector<std::string> notes;  // what was decided, for the user (MCP servers, identity)
};

// Discovers MCP servers and decides which to approve (all with --allow-mcp; none with --ci
// alone; on a terminal, the user's answer; else none), and the other keys init stores.
Result<ConfigChoices> choose_config(const Host& host, const SetupPlace& place, bool user, bool ci,
                                    bool allow_mcp, const std::string& server_url,
                                    const std::string& policy_dir);

}  // namespace vectimus::cli
