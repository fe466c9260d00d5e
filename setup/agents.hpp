// What we know about each agent's own files, as one table: where its hook file is (project and
// user level), how to tell it is installed, what our hook entry looks like, where it goes, and
// how to recognise an entry as ours. `init`, `remove` and `status` read this table; none of
// them branches on an agent's name. The entry shapes are those of
// shared/docs/hook-protocols.md ("Wiring the hook into each agent").
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "setup/json_doc.hpp"
#include "setup/json_edit.hpp"
#include "support/host.hpp"

namespace vectimus::setup {

struct AgentSpec {
  std::string_view name;          // also the hook's `--source` and `init --agent NAME`
  std::string_view display;       // for people
  std::string_view program;       // on PATH when installed
  std::string_view home_dir;      // under HOME; present when the agent has run as this user
  std::string_view project_file;  // relative to the project root
  std::string_view user_file;     // relative to HOME
  std::string_view skeleton;      // a new hook file's text before our entry goes in
  JsonPath path;                  // object keys to the array of hook entries
  std::string_view entry;         // compact JSON; `{cmd}` is the hook command (JSON-escaped)
  std::string_view project_todo;  // what to do in the agent itself after a project `init`
  std::string_view user_todo;     // after `init --user`
  // A TOML config (relative to the project root and to HOME) whose `[features] hooks` switch
  // turns the agent's hooks off; init turns it on when it is off (Codex only).
  std::string_view switch_file;
  // The entry to write instead when the installed agent is at least `newer_since` (Claude Code
  // 2.1.295 added `onFailure: "block"`; an unknown key can invalidate an older one's settings).
  std::string_view newer_entry;
  std::string_view newer_since;
  // With a team server (`init --server-url`): the entry to write instead, `{url}` standing for
  // the agent's hook endpoint on the server (`<url>/v1/hooks/<name>`), and its form for the
  // newer version; empty: `entry` with the client-mode command (hook_command).
  std::string_view server_entry;
  std::string_view server_newer_entry;
};

std::span<const AgentSpec> agents();
const AgentSpec* find_agent(std::string_view name);

// `<binary> hook --source <agent>`, the binary quoted for the shell when it needs to be; with a
// server URL, `... --server-url <url>` (client mode: the hook asks the server, and decides
// locally when it cannot).
std::string hook_command(std::string_view binary, const AgentSpec& agent,
                         std::string_view server_url = {});
// `<server_url>/v1/hooks/<agent>`, for agents wired to the server directly (Claude Code's http
// hook).
std::string server_hook_url(std::string_view server_url, const AgentSpec& agent);
// Our entry for `agent` with `command` in it, as compact JSON; `newer`: the agent's newer_entry.
// With `server_url`, the agent's server_entry when it has one (`command` is then unused).
std::string hook_entry(const AgentSpec& agent, std::string_view command, bool newer = false,
                       std::string_view server_url = {});
// True when the agent's server entry makes the agent post to the server itself (`{url}`).
bool posts_to_server(const AgentSpec& agent);
// What identifies our entry in the hook file: the URL of a server_entry, else the command.
std::string entry_key(const AgentSpec& agent, std::string_view command,
                      std::string_view server_url);
// True when the first `N.N.N` in `version_output` (what `<program> --version` printed) is at
// least `since`; false when there is none.
bool version_at_least(std::string_view version_output, std::string_view since);

// True when `command` runs a `vectimus` binary as `hook --source <agent>`.
bool runs_our_hook(std::string_view command, const AgentSpec& agent);
// True when `text` is a server's hook endpoint for `agent` (http(s)://…/v1/hooks/<agent>).
bool is_our_hook_url(std::string_view text, const AgentSpec& agent);
// True when an element of the hook array is ours: one of its strings runs our hook or is our
// server's hook endpoint.
bool is_our_entry(const JsonNode& element, const AgentSpec& agent);
// The hook commands (or server URLs) of our entries in `root` (a hook file's parse), in order.
std::vector<std::string> our_commands(const JsonNode& root, const AgentSpec& agent);
// The first word of a hook command (quotes removed): the binary it runs.
std::string command_binary(std::string_view command);

// Installed: `program` is on PATH, or HOME holds `home_dir`, or the project holds the folder of
// its project file.
bool agent_installed(const Host& host, const AgentSpec& agent, const std::string& home,
                     const std::string& project);

}  // namespace vectimus::setup
