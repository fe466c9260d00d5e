// Event: one agent tool call, normalised. The adapters in normalise/payload.hpp build it from an
// agent's hook payload; the engine turns it into Cedar request(s); the audit log records it.
//
// Conventions: every string is an owned copy (nothing points into the parsed JSON). A field the
// payload did not carry is std::nullopt (an empty string means the agent sent an empty string).
// Paths are lexically normalised (normalise/path.hpp) and absolute whenever the payload gave a
// cwd to resolve them against. `file_paths` lists every path the call touches, in payload order,
// without duplicates; `file_path` is its first element (a tool such as apply_patch or VS Code's
// editFiles touches several files, and a policy must see them all). `urls` (Gemini web_fetch
// prompts, VS Code fetch_webpage) and `package_names` follow the same rule for `url` and
// `package_name`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "normalise/shell/analysis.hpp"

namespace vectimus::normalise {

// What the call does, as policies see it (`Action::"shell_command"` ...). `tool_call` is a tool
// no table knows and that carries no command: its raw tool name is the only resource.
enum class ActionType : uint8_t {
  shell_command,
  file_write,
  file_read,
  web_request,
  mcp_tool,
  package_operation,
  git_operation,
  infrastructure,
  agent_spawn,
  agent_message,
  tool_call,
};
std::string_view action_type_name(ActionType type);
std::optional<ActionType> parse_action_type(std::string_view name);

// The payload's shape. The answer format depends on it, not only on `--source`: a
// `--source claude-code` hook also receives Cursor, VS Code and Copilot CLI payloads (they all
// read .claude/settings.json). See docs/hook-protocols.md, "Payloads in" and "Answers out".
enum class Dialect : uint8_t {
  unknown,                  // not determinable (e.g. the payload is not JSON)
  claude_code,              // PreToolUse, snake_case, transcript_path
  claude_agent_sdk,         // same shape, `--source claude-agent-sdk`
  codex,                    // Claude-shaped, with turn_id
  cursor_pre_tool_use,      // Cursor `preToolUse` (tool_name + tool_input)
  cursor_before_shell,      // Cursor legacy `beforeShellExecution`
  cursor_before_mcp,        // Cursor legacy `beforeMCPExecution`
  cursor_before_read_file,  // Cursor legacy `beforeReadFile`
  cursor_after_file_edit,   // Cursor legacy `afterFileEdit` (after the fact, cannot block)
  copilot_vscode,           // VS Code Local harness: hookEventName, sessionId, tool_name
  copilot_cli,              // Copilot CLI camelCase config: toolName, toolArgs
  copilot_cli_pascal,       // Copilot CLI PascalCase config: Claude tool names, ISO timestamp
  gemini_cli,               // Gemini CLI BeforeTool
};
std::string_view dialect_name(Dialect dialect);

// Parameters of an agent_spawn (Claude `Agent`/`Task`, Cursor `Task`, Copilot `task`,
// `TeamCreate`) or an agent_message (`SendMessage`), copied from the tool input so policies can
// see them. Absent fields stay nullopt.
struct AgentParams {
  std::optional<std::string> subagent_type;
  std::optional<std::string> mode;  // `mode`, else `permission_mode`
  std::optional<int64_t> max_turns;
  std::optional<bool> run_in_background;
  std::optional<std::string> model;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> prompt;
  std::optional<std::string> team_name;     // TeamCreate
  std::optional<std::string> recipient;     // SendMessage
  std::optional<std::string> message_type;  // SendMessage `type`
  std::optional<std::string> message;       // SendMessage `message`/`content`
  // Server mode only (server/flood.hpp): the session's agent spawns and messages within the
  // server's flood window, this call included. A hook never sets them.
  std::optional<int64_t> session_spawn_count;
  std::optional<int64_t> session_message_count;
  friend bool operator==(const AgentParams&, const AgentParams&) = default;
};

struct Event {
  // Source: who sent it.
  std::string source_tool;  // the `--source` value
  Dialect dialect = Dialect::unknown;
  std::optional<std::string> session_id;  // session_id / sessionId / conversation_id
  std::optional<std::string> hook_event_name;
  std::optional<std::string> tool_use_id;  // tool_use_id / generation_id (Cursor legacy)

  // Identity hints (the engine decides the principal).
  std::optional<std::string> user_email;       // Cursor
  std::optional<std::string> agent_id;         // Claude Code, inside a subagent
  std::optional<std::string> agent_type;       // Claude Code, inside a subagent
  std::optional<std::string> permission_mode;  // the session's mode (Claude Code, Codex)

  // Action: what the call does.
  ActionType action_type = ActionType::tool_call;
  std::string raw_tool_name;  // as the agent named it; for Cursor legacy events, the event name
  // The shell command text. For agent_spawn/agent_message, a synthetic `spawn key=value ...` /
  // `message key=value ...` line (see classify.hpp) so `like` patterns written for the Python
  // tool keep working. Never a patch text (that is in `content`).
  std::optional<std::string> command;
  // The shell analysis of `command` (normalise/shell/analysis.hpp), made once, by the adapters,
  // for a call that runs a command line (shell_command, or what its commands made of it:
  // package_operation, git_operation, infrastructure): every simple command the line would run,
  // why some cannot be resolved, the scripts it runs, and the bounds the analysis stopped at.
  // The action type above was classified from it; the engine maps it to requests and never
  // parses the line again. nullopt for every other call.
  std::optional<shell::Analysis> analysis;
  std::optional<std::string> file_path;
  std::vector<std::string> file_paths;
  std::optional<std::string> url;
  std::vector<std::string> urls;
  std::optional<std::string> mcp_server;  // `plugin_<plugin>_<server>` kept whole for plugins
  std::optional<std::string> mcp_tool;
  std::optional<std::string> mcp_plugin;          // Claude plugin servers only
  std::optional<std::string> mcp_server_command;  // Cursor beforeMCPExecution stdio server
  // An MCP tool's `sql` argument (database servers), normalised as a shell command's `sql`
  // (normalise/shell/sql.hpp), so one rule reads both.
  std::optional<std::string> sql;
  std::optional<std::string> package_name;
  std::vector<std::string> package_names;
  std::optional<std::string> content;  // text being written (Write, Edit new_string, a patch)
  AgentParams agent;
  std::optional<std::string> cwd;  // the directory the call runs in (tool's own dir if given)
  // The tool input as compact JSON (MCP arguments, unmapped tools); "{}" when there was none.
  std::string tool_input_json = "{}";
};

// A compact, deterministic text form: one `name: value` line per present field, strings as
// JSON strings, in declaration order. Tests compare whole dumps.
std::string dump(const Event& event);

}  // namespace vectimus::normalise
