#include "normalise/attributes.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace vectimus::normalise {
namespace {

using A = ActionType;
using T = AttributeType;
constexpr ActionSet bits(std::initializer_list<ActionType> types) {
  ActionSet out = 0;
  for (const ActionType t : types) out |= action_bit(t);
  return out;
}

// A command line's actions: what classify_commands() makes of a line (the event's own request,
// each simple command, each line of inspected content).
constexpr ActionSet kCommands =
    bits({A::shell_command, A::package_operation, A::git_operation, A::infrastructure});
// A file a simple command reads or writes is a file_read / file_write request of its own,
// carrying the command it came from (normalise/file_access.hpp); an MCP tool's path argument is
// one too, carrying its server and tool.
constexpr ActionSet kFiles = bits({A::file_read, A::file_write});
constexpr ActionSet kSpawn = action_bit(A::agent_spawn);
constexpr ActionSet kMessage = action_bit(A::agent_message);
constexpr ActionSet kMcp = action_bit(A::mcp_tool);
// Web requests, Cursor's MCP calls to a URL, and unknown tools with a `url` input.
constexpr ActionSet kUrls = action_bit(A::web_request) | kMcp | action_bit(A::tool_call);
constexpr AttributeShape kPath = AttributeShape::absolute_path;

// In name order (find_context_attribute() searches it by halves).
constexpr std::array<ContextAttribute, 48> kRows{{
    {"agent_id", T::string, kAllActions},
    {"agent_type", T::string, kAllActions},
    {"args", T::string_set, kCommands},
    {"code", T::string, kCommands},
    {"command", T::string, kCommands | kFiles | kSpawn | kMessage | kMcp},
    {"content", T::string, action_bit(A::file_write)},
    {"content_line", T::long_, kCommands | kFiles},
    {"content_path", T::string, kCommands | kFiles, kPath},
    {"cwd", T::string, kAllActions, kPath},
    {"description", T::string, kSpawn},
    {"env", T::record, kCommands},
    {"file_path", T::string, kFiles | kMcp | action_bit(A::tool_call), kPath},
    {"file_paths", T::string_set, kFiles | kMcp | action_bit(A::tool_call), kPath},
    {"flags", T::string_set, kCommands | kFiles},
    {"hook_event_name", T::string, kAllActions},
    {"in_project", T::boolean, kFiles},
    {"language", T::string, kCommands},
    {"max_turns", T::long_, kSpawn},
    {"mcp_plugin", T::string, kMcp},
    {"mcp_server", T::string, kMcp | kFiles},
    {"mcp_server_approved", T::boolean, kMcp},
    {"mcp_server_command", T::string, kMcp},
    {"mcp_tool", T::string, kMcp | kFiles},
    {"message", T::string, kMessage},
    {"message_type", T::string, kMessage},
    {"mode", T::string, kSpawn},
    {"model", T::string, kSpawn},
    {"name", T::string, kSpawn},
    {"package_name", T::string, kCommands},
    {"package_names", T::string_set, kCommands},
    {"permission_mode", T::string, kAllActions},
    {"program", T::string, kCommands | kFiles},
    {"prompt", T::string, kSpawn},
    {"provenance", T::string, kCommands | kFiles},
    {"raw_command", T::string, kCommands | kFiles},
    {"recipient", T::string, kMessage},
    {"run_in_background", T::boolean, kSpawn},
    // Server mode only (server/flood.hpp): counted for every call of a session.
    {"session_message_count", T::long_, kAllActions},
    {"session_spawn_count", T::long_, kAllActions},
    {"source", T::string, kAllActions},
    {"sql", T::string, kCommands | kMcp},
    {"subagent_type", T::string, kSpawn},
    {"team_name", T::string, kSpawn},
    {"tool_input", T::string, kMcp | action_bit(A::tool_call)},
    {"tool_name", T::string, kAllActions},
    {"unresolved", T::string_set, kCommands},
    {"url", T::string, kUrls},
    {"urls", T::string_set, kUrls},
}};

}  // namespace

std::string_view attribute_type_name(AttributeType type) {
  switch (type) {
    case AttributeType::string: return "String";
    case AttributeType::long_: return "Long";
    case AttributeType::boolean: return "Bool";
    case AttributeType::string_set: return "Set of String";
    case AttributeType::record: return "Record of String";
  }
  return "String";
}

std::span<const ContextAttribute> context_attributes() {
  return kRows;
}

const ContextAttribute* find_context_attribute(std::string_view name) {
  const auto it = std::lower_bound(
      kRows.begin(), kRows.end(), name,
      [](const ContextAttribute& row, std::string_view key) { return row.name < key; });
  return it != kRows.end() && it->name == name ? &*it : nullptr;
}

bool shape_can_start_with(AttributeShape shape, std::string_view prefix) {
  if (shape == AttributeShape::any || prefix.empty()) return true;
  const char first = prefix.front();
  if (first == '/' || first == '~' || first == '\\') return true;
  // A drive letter: `C`, `C:`, `C:/...`.
  return std::isalpha(static_cast<unsigned char>(first)) != 0 &&
         (prefix.size() == 1 || prefix[1] == ':');
}

}  // namespace vectimus::normalise
