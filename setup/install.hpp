// `init` and `remove` as operations on a Host: add our hook entry to each chosen agent's file,
// create the project's `.vectimus/config.toml`, signing key copy and .gitignore line, and record
// all of it (setup/record.hpp) so `remove` can undo it byte for byte.
//
// Every file is read and every edit computed first; if any file does not parse or has a shape
// the agent would not accept, nothing is written and the error names the file (and line:col).
// Then each file is replaced atomically, the first original of each edited file is copied to
// `<state>/backups/`, and the record is written last.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "setup/agents.hpp"
#include "setup/record.hpp"
#include "support/host.hpp"
#include "support/result.hpp"

namespace vectimus::setup {

// Edits of the config file's text (config keys go through engine/config_edit.hpp, so what init
// writes is what the engine reads); `file` names it in errors.
using ConfigEditor = std::function<Result<std::string>(std::string text, const std::string& file)>;

struct InstallRequest {
  std::string root;  // the project root; HOME with `user`
  std::string home;
  bool user = false;   // the agents' user-level files, and ~/.vectimus/
  std::string binary;  // the absolute path the hooks run
  std::vector<const AgentSpec*> agents;
  ConfigEditor configure;  // may be empty
  // What `<program> --version` printed, by agent name, for agents whose entry depends on it
  // (AgentSpec::newer_entry); an agent missing here gets the entry every version accepts.
  std::map<std::string, std::string> versions;
  // A team server: agents with a server_entry are wired to it directly, the others run the hook
  // in client mode (`hook --server-url`). Empty: the local hook.
  std::string server_url;
};

struct FileOutcome {
  std::string path;
  std::string agent;  // hook files
  std::string what;   // "created", "updated", "unchanged", "deleted", "restored", ...
};

struct InstallResult {
  std::vector<FileOutcome> files;
  std::vector<std::string> todo;  // what the user must still do in the agents
  std::string key_id;
};

// The state folder of a project root (or of HOME with `user`): `<root>/.vectimus`.
std::string state_dir(const std::string& root);
std::string hook_file(const AgentSpec& agent, const std::string& root, bool user);
// The permission bits of `path`, so a rewritten file keeps them; 0644 for a new file.
unsigned file_mode(const std::string& path);

Result<InstallResult> install(const Host& host, const InstallRequest& request);

// What `remove` will change, without changing it (for the confirmation question).
Result<std::vector<FileOutcome>> removal_plan(const Host& host, const std::string& root, bool user);
// Undoes what the record says init did; files the user changed since keep their changes and
// lose only our entries. Hook files not in the record lose our entries too.
Result<std::vector<FileOutcome>> uninstall(const Host& host, const std::string& root, bool user);

}  // namespace vectimus::setup
