#include "normalise/event.hpp"

#include <array>
#include <utility>

#include "support/json_writer.hpp"

namespace vectimus::normalise {
namespace {

constexpr std::array<std::pair<ActionType, std::string_view>, 11> kActionNames{{
    {ActionType::shell_command, "shell_command"},
    {ActionType::file_write, "file_write"},
    {ActionType::file_read, "file_read"},
    {ActionType::web_request, "web_request"},
    {ActionType::mcp_tool, "mcp_tool"},
    {ActionType::package_operation, "package_operation"},
    {ActionType::git_operation, "git_operation"},
    {ActionType::infrastructure, "infrastructure"},
    {ActionType::agent_spawn, "agent_spawn"},
    {ActionType::agent_message, "agent_message"},
    {ActionType::tool_call, "tool_call"},
}};

class Dumper {
 public:
  void field(std::string_view name, const std::optional<std::string>& value) {
    if (value) text(name, *value);
  }
  void text(std::string_view name, std::string_view value) {
    start(name);
    append_json_string(out_, value);
    out_ += '\n';
  }
  void plain(std::string_view name, std::string_view value) {
    start(name);
    out_ += value;
    out_ += '\n';
  }
  void list(std::string_view name, const std::vector<std::string>& values) {
    if (values.empty()) return;
    start(name);
    out_ += '[';
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out_ += ',';
      append_json_string(out_, values[i]);
    }
    out_ += "]\n";
  }
  std::string take() { return std::move(out_); }

 private:
  void start(std::string_view name) {
    out_ += name;
    out_ += ": ";
  }
  std::string out_;
};

}  // namespace

std::string_view action_type_name(ActionType type) {
  for (const auto& [value, name] : kActionNames) {
    if (value == type) return name;
  }
  return "tool_call";
}

std::optional<ActionType> parse_action_type(std::string_view name) {
  for (const auto& [value, text] : kActionNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

std::string_view dialect_name(Dialect dialect) {
  switch (dialect) {
    case Dialect::unknown: return "unknown";
    case Dialect::claude_code: return "claude-code";
    case Dialect::claude_agent_sdk: return "claude-agent-sdk";
    case Dialect::codex: return "codex";
    case Dialect::cursor_pre_tool_use: return "cursor-pre-tool-use";
    case Dialect::cursor_before_shell: return "cursor-before-shell-execution";
    case Dialect::cursor_before_mcp: return "cursor-before-mcp-execution";
    case Dialect::cursor_before_read_file: return "cursor-before-read-file";
    case Dialect::cursor_after_file_edit: return "cursor-after-file-edit";
    case Dialect::copilot_vscode: return "copilot-vscode";
    case Dialect::copilot_cli: return "copilot-cli";
    case Dialect::copilot_cli_pascal: return "copilot-cli-pascal";
    case Dialect::gemini_cli: return "gemini-cli";
  }
  return "unknown";
}

std::string dump(const Event& event) {
  Dumper d;
  d.text("source", event.source_tool);
  d.plain("dialect", dialect_name(event.dialect));
  d.field("session", event.session_id);
  d.field("event", event.hook_event_name);
  d.field("tool_use_id", event.tool_use_id);
  d.field("user_email", event.user_email);
  d.field("agent_id", event.agent_id);
  d.field("agent_type", event.agent_type);
  d.field("permission_mode", event.permission_mode);
  d.plain("action", action_type_name(event.action_type));
  d.text("tool", event.raw_tool_name);
  d.field("command", event.command);
  if (event.analysis) d.plain("analysis", shell::dump(*event.analysis));
  d.field("file_path", event.file_path);
  if (event.file_paths.size() > 1 || (event.file_paths.size() == 1 && event.file_path &&
                                      event.file_paths.front() != *event.file_path)) {
    d.list("file_paths", event.file_paths);
  }
  d.field("url", event.url);
  d.field("sql", event.sql);
  if (event.urls.size() > 1) d.list("urls", event.urls);
  d.field("mcp_server", event.mcp_server);
  d.field("mcp_tool", event.mcp_tool);
  d.field("mcp_plugin", event.mcp_plugin);
  d.field("mcp_server_command", event.mcp_server_command);
  d.field("package_name", event.package_name);
  if (event.package_names.size() > 1) d.list("package_names", event.package_names);
  d.field("content", event.content);
  const AgentParams& a = event.agent;
  d.field("agent.subagent_type", a.subagent_type);
  d.field("agent.mode", a.mode);
  if (a.max_turns) d.plain("agent.max_turns", std::to_string(*a.max_turns));
  if (a.session_spawn_count)
    d.plain("agent.session_spawn_count", std::to_string(*a.session_spawn_count));
  if (a.session_message_count)
    d.plain("agent.session_message_count", std::to_string(*a.session_message_count));
  if (a.run_in_background)
    d.plain("agent.run_in_background", *a.run_in_background ? "true" : "false");
  d.field("agent.model", a.model);
  d.field("agent.name", a.name);
  d.field("agent.description", a.description);
  d.field("agent.prompt", a.prompt);
  d.field("agent.team_name", a.team_name);
  d.field("agent.recipient", a.recipient);
  d.field("agent.message_type", a.message_type);
  d.field("agent.message", a.message);
  d.field("cwd", event.cwd);
  d.plain("input", event.tool_input_json);
  return d.take();
}

}  // namespace vectimus::normalise
