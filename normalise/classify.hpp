// Classification tables: which action a tool call is, which tool-input fields carry its
// resource, what an MCP tool name means, and how a shell command's program refines a
// shell_command into package_operation / git_operation / infrastructure.
//
// Data flows one way: payload.cpp looks a (family, tool name) pair up in the tool table, reads
// the fields the row names, and for shell commands classifies the shell analysis of the line
// (normalise/shell/): classify_command() once per simple command the shell would run, whether
// at the top level, behind `sudo`, in `$(...)` or in a `bash -c` body. The engine does the same
// per simple command and per line of inspected content.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "normalise/event.hpp"
#include "normalise/shell/analysis.hpp"

namespace vectimus::normalise {

// Agents that share tool names. Claude Code, the Agent SDK, Codex and the Copilot CLI PascalCase
// dialect all use Claude's names.
enum class ToolFamily : uint8_t {
  claude = 1,
  cursor = 2,
  vscode = 4,
  copilot_cli = 8,
  gemini = 16
};
ToolFamily tool_family(Dialect dialect);

// Which tool-input fields a row reads (bit set).
namespace reads {
inline constexpr uint16_t kCommand = 1 << 0;    // `command` / `cmd` (string, or argv array)
inline constexpr uint16_t kPath = 1 << 1;       // file_path, path, filePath, notebook_path, ...
inline constexpr uint16_t kUrl = 1 << 2;        // `url` / `uri`, and every `urls[]` string
inline constexpr uint16_t kContent = 1 << 3;    // content, new_string, new_str, newString, ...
inline constexpr uint16_t kPatch = 1 << 4;      // apply_patch text in command/patch/input
inline constexpr uint16_t kPromptUrl = 1 << 5;  // http(s) URLs inside `prompt` (Gemini)
inline constexpr uint16_t kFiles = 1 << 6;      // `files` / `paths`: array of paths
inline constexpr uint16_t kAgent = 1 << 7;      // agent_spawn parameters
inline constexpr uint16_t kMessage = 1 << 8;    // SendMessage parameters
inline constexpr uint16_t kEdits = 1 << 9;      // `edits[].new_string` (MultiEdit, afterFileEdit)
}  // namespace reads

struct ToolRule {
  std::string_view name;  // exact, case-sensitive tool name
  uint8_t families;       // bit set of ToolFamily
  ActionType action;
  uint16_t reads;
};

// The whole table, for documentation and tests.
std::span<const ToolRule> tool_rules();
// The row for `tool_name` in `family`, or nullptr (then: MCP name? command? else tool_call).
const ToolRule* find_tool_rule(ToolFamily family, std::string_view tool_name);

// An MCP tool name taken apart.
struct McpName {
  std::string server;  // empty when the name does not say (Cursor `MCP:<tool>`)
  std::string tool;
  std::optional<std::string> plugin;
};
// `mcp__<server>__<tool>` (all families; the tool part may itself contain `__`),
// `mcp__plugin_<plugin>_<server>__<tool>` (server kept whole as `plugin_<plugin>_<server>`, so a
// plugin cannot pose as an allowlisted server; plugin is the kebab-case name up to the next `_`),
// `MCP:<tool>` (Cursor matcher form), and for Gemini `mcp_<server>_<tool>` (split at the first
// `_` after the prefix: a server name with `_` is ambiguous there, which is why payload.cpp
// prefers Gemini's `mcp_context`).
std::optional<McpName> parse_mcp_tool_name(std::string_view tool_name, ToolFamily family);

// Whether an MCP tool changes the files named in its arguments, judged from its name: a word of
// it (split at `_`, `-`, `.` and case changes) is a writing verb (write, edit, create, move,
// delete, …). The engine makes the tool's paths file_write requests then, file_read ones else.
bool mcp_tool_writes(std::string_view tool);

// A shell command's classification.
struct CommandClass {
  ActionType action = ActionType::shell_command;
  // Packages named by an install-like subcommand, version suffix removed (`lodash@4` -> `lodash`,
  // `requests==2.31` -> `requests`), in order, without duplicates.
  std::vector<std::string> packages;
};

// Classifies one simple command: `program` as written (a path such as `/usr/bin/git` and a
// `.exe` suffix are reduced to `git`; matching ignores case) and its arguments without quoting.
// Tables (classify.cpp): git -> git_operation; language package managers (npm, npx, pnpm,
// yarn, bun, bunx, pip, pip3, pipx, uv, uvx, poetry, cargo, gem, conda, composer) ->
// package_operation whatever the subcommand; `go get|install|mod`, `python -m pip`, and system
// package managers (apt, apt-get, brew, dnf, yum, apk, pacman, snap, choco, winget, port, zypper)
// with an install/remove/upgrade-like subcommand -> package_operation; terraform, tofu,
// terragrunt, pulumi, kubectl, helm, aws, gcloud, gsutil, az, docker, docker-compose, podman,
// eksctl, kustomize, ansible, ansible-playbook, cdk, oc, doctl, flyctl, heroku, vercel ->
// infrastructure; anything else -> shell_command.
CommandClass classify_command(std::string_view program, std::span<const std::string> args);

// Classifies every simple command of an analysis; the result is the first class that is not
// shell_command (so `cd app && npm install x` and `sudo bash -c 'npm i x'` are package
// operations), with the packages of all.
CommandClass classify_commands(const shell::Analysis& analysis);

// The synthetic command lines of agent events, kept from the Python tool so its `like` patterns
// still apply: `spawn subagent_type=X mode=Y max_turns=N background=true name=Z` (absent fields
// left out), `team_create team_name=X`, `message type=X recipient=Y`.
std::string agent_spawn_command(std::string_view tool_name, const AgentParams& params);
std::string agent_message_command(const AgentParams& params);

}  // namespace vectimus::normalise
