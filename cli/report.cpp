#include "cli/report.hpp"

#include <algorithm>

namespace vectimus::cli {
namespace {

void opt(JsonWriter& w, const char* key, const std::optional<std::string>& v) {
  if (v) w.key(key).value(*v);
}

void list(JsonWriter& w, const char* key, const std::vector<std::string>& items) {
  if (items.empty()) return;
  w.key(key).begin_array();
  for (const std::string& s : items) w.value(s);
  w.end_array();
}

}  // namespace

void write_uid(JsonWriter& w, const ir::EntityUid& uid) {
  w.begin_object().key("type").value(uid.type).key("id").value(uid.id).end_object();
}

void write_value(JsonWriter& w, const interpreter::Value& v) {
  using interpreter::Kind;
  switch (v.kind()) {
    case Kind::boolean: w.value(v.as_bool()); break;
    case Kind::long_: w.value(v.as_long()); break;
    case Kind::string: w.value(v.as_string()); break;
    case Kind::entity:
      w.begin_object().key("__entity");
      write_uid(w, v.as_entity());
      w.end_object();
      break;
    case Kind::set:
      w.begin_array();
      for (const auto& e : v.as_set()) write_value(w, e);
      w.end_array();
      break;
    case Kind::record:
      w.begin_object();
      for (const auto& [k, e] : v.as_record()) {
        w.key(k);
        write_value(w, e);
      }
      w.end_object();
      break;
  }
}

void write_event(JsonWriter& w, const normalise::Event& e) {
  w.begin_object();
  w.key("source").value(e.source_tool);
  w.key("dialect").value(normalise::dialect_name(e.dialect));
  w.key("action").value(normalise::action_type_name(e.action_type));
  w.key("tool").value(e.raw_tool_name);
  opt(w, "session", e.session_id);
  opt(w, "hook_event_name", e.hook_event_name);
  opt(w, "tool_use_id", e.tool_use_id);
  opt(w, "user_email", e.user_email);
  opt(w, "agent_id", e.agent_id);
  opt(w, "agent_type", e.agent_type);
  opt(w, "permission_mode", e.permission_mode);
  opt(w, "command", e.command);
  opt(w, "file_path", e.file_path);
  list(w, "file_paths", e.file_paths);
  opt(w, "url", e.url);
  list(w, "urls", e.urls);
  opt(w, "mcp_server", e.mcp_server);
  opt(w, "mcp_tool", e.mcp_tool);
  opt(w, "mcp_plugin", e.mcp_plugin);
  opt(w, "mcp_server_command", e.mcp_server_command);
  opt(w, "package_name", e.package_name);
  list(w, "package_names", e.package_names);
  opt(w, "content", e.content);
  opt(w, "cwd", e.cwd);
  w.key("tool_input").raw(e.tool_input_json);
  w.end_object();
}

std::vector<std::string> matched_rule_ids(const engine::Engine& engine,
                                          const engine::Decision& decision) {
  std::vector<std::string> ids;
  for (const auto& m : decision.matches) {
    const std::string id(engine.packs().rules[m.rule].id);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

}  // namespace vectimus::cli
