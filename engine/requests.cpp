#include "engine/requests.hpp"

#include "normalise/classify.hpp"
#include "normalise/file_access.hpp"

namespace vectimus::engine {
namespace {

using interpreter::Value;
using Fields = std::vector<std::pair<std::string, Value>>;

void put(Fields& f, const char* key, const std::optional<std::string>& v) {
  if (v) f.emplace_back(key, Value::string(*v));
}

void put_set(Fields& f, const char* key, const std::vector<std::string>& items) {
  if (items.empty()) return;
  std::vector<Value> values;
  for (const std::string& s : items) values.push_back(Value::string(s));
  f.emplace_back(key, Value::set(std::move(values)));
}

Fields base_fields(const normalise::Event& e) {
  Fields f;
  f.emplace_back("tool_name", Value::string(e.raw_tool_name));
  f.emplace_back("source", Value::string(e.source_tool));
  put(f, "hook_event_name", e.hook_event_name);
  put(f, "permission_mode", e.permission_mode);
  put(f, "agent_id", e.agent_id);
  put(f, "agent_type", e.agent_type);
  put(f, "cwd", e.cwd);
  return f;
}

// A request about the event's tool, from `origin`, with `action` and the context `fields`.
PlannedRequest planned(const char* origin, const normalise::Event& e, const RequestFacts& facts,
                       normalise::ActionType action, Fields fields) {
  PlannedRequest out;
  out.origin = origin;
  out.request.principal = facts.principal;
  out.request.action = action_uid(action);
  out.request.resource = resource_uid(e);
  out.request.context = Value::record(std::move(fields));
  return out;
}

// `NAME=value` given to a command (before it, or through `env`/`sudo`) as a record, so rules
// can ask `context has env && context.env has LD_PRELOAD`.
void put_env(Fields& f, const std::vector<std::string>& assignments) {
  if (assignments.empty()) return;
  Fields env;
  for (const std::string& a : assignments) {
    const size_t eq = a.find('=');
    env.emplace_back(a.substr(0, eq),
                     Value::string(eq == std::string::npos ? "" : a.substr(eq + 1)));
  }
  f.emplace_back("env", Value::record(std::move(env)));
}

// A file the command reads or writes is also a file_read or file_write request, so file rules
// apply whichever tool touches the file (normalise/file_access.hpp).
void add_file_accesses(const normalise::Event& e, const RequestFacts& facts,
                       const shell::SimpleCommand& c, std::string_view raw,
                       std::vector<PlannedRequest>& out) {
  for (const normalise::FileAccess& access : normalise::file_accesses(c, e.cwd.value_or(""))) {
    Fields f = base_fields(e);
    f.emplace_back("file_path", Value::string(access.path));
    f.emplace_back("command", Value::string(c.canonical()));
    f.emplace_back("raw_command", Value::string(std::string(raw)));
    f.emplace_back("program", Value::string(c.program));
    f.emplace_back("provenance", Value::string(std::string(shell::provenance_name(c.provenance))));
    out.push_back(
        planned("command", e, facts,
                access.write ? normalise::ActionType::file_write : normalise::ActionType::file_read,
                std::move(f)));
  }
}

// One request per simple command the shell would run; `raw` is the line they came from.
void add_simple_commands(const normalise::Event& e, const RequestFacts& facts,
                         const shell::Analysis& analysis, std::string_view raw,
                         std::vector<PlannedRequest>& out) {
  for (const shell::SimpleCommand& c : analysis.commands) {
    Fields f = base_fields(e);
    f.emplace_back("command", Value::string(c.canonical()));
    f.emplace_back("raw_command", Value::string(std::string(raw)));
    f.emplace_back("program", Value::string(c.program));
    put_set(f, "args", c.args);
    put_set(f, "flags", c.flags);
    f.emplace_back("provenance", Value::string(std::string(shell::provenance_name(c.provenance))));
    put_set(f, "unresolved", c.unresolved);
    put_env(f, c.assignments);
    if (!c.language.empty()) {
      f.emplace_back("language", Value::string(c.language));
      f.emplace_back("code", Value::string(c.code));
    }
    const std::vector<std::string> operands(c.argv.begin() + (c.argv.empty() ? 0 : 1),
                                            c.argv.end());
    const normalise::CommandClass cls = normalise::classify_command(c.program, operands);
    put_set(f, "package_names", cls.packages);
    if (!cls.packages.empty()) f.emplace_back("package_name", Value::string(cls.packages.front()));
    out.push_back(planned("command", e, facts, cls.action, std::move(f)));
    add_file_accesses(e, facts, c, raw, out);
  }
}

}  // namespace

ir::EntityUid action_uid(normalise::ActionType type) {
  return ir::EntityUid{"Vectimus::Action", std::string(normalise::action_type_name(type))};
}

ir::EntityUid resource_uid(const normalise::Event& event) {
  return ir::EntityUid{"Vectimus::Tool", event.raw_tool_name};
}

std::vector<PlannedRequest> requests_for_event(const normalise::Event& e,
                                               const RequestFacts& facts) {
  Fields f = base_fields(e);
  put(f, "command", e.command);
  put(f, "file_path", e.file_path);
  put_set(f, "file_paths", e.file_paths);
  put(f, "url", e.url);
  put_set(f, "urls", e.urls);
  put(f, "mcp_server", e.mcp_server);
  put(f, "mcp_tool", e.mcp_tool);
  put(f, "mcp_plugin", e.mcp_plugin);
  put(f, "mcp_server_command", e.mcp_server_command);
  put(f, "package_name", e.package_name);
  put_set(f, "package_names", e.package_names);
  put(f, "content", e.content);
  const auto& a = e.agent;
  put(f, "subagent_type", a.subagent_type);
  put(f, "mode", a.mode);
  if (a.max_turns) f.emplace_back("max_turns", Value::long_(*a.max_turns));
  if (a.run_in_background)
    f.emplace_back("run_in_background", Value::boolean(*a.run_in_background));
  put(f, "model", a.model);
  put(f, "name", a.name);
  put(f, "description", a.description);
  put(f, "prompt", a.prompt);
  put(f, "team_name", a.team_name);
  put(f, "recipient", a.recipient);
  put(f, "message_type", a.message_type);
  put(f, "message", a.message);
  if (a.session_spawn_count)
    f.emplace_back("session_spawn_count", Value::long_(*a.session_spawn_count));
  if (a.session_message_count)
    f.emplace_back("session_message_count", Value::long_(*a.session_message_count));
  if (e.action_type == normalise::ActionType::mcp_tool) {
    f.emplace_back("mcp_server_approved", Value::boolean(facts.mcp_server_approved));
  }
  if (e.action_type == normalise::ActionType::mcp_tool ||
      e.action_type == normalise::ActionType::tool_call) {
    f.emplace_back("tool_input", Value::string(e.tool_input_json));
  }
  const shell::Analysis* analysis = e.analysis ? &*e.analysis : nullptr;
  if (analysis != nullptr) put_set(f, "unresolved", analysis->unresolved);
  std::vector<PlannedRequest> out;
  out.push_back(planned("event", e, facts, e.action_type, std::move(f)));
  // A tool that writes several files (apply_patch) is one file_write per file, so a rule on
  // `file_path` sees each of them, not only the first.
  if (e.action_type == normalise::ActionType::file_write) {
    for (size_t i = 1; i < e.file_paths.size(); ++i) {
      Fields g = base_fields(e);
      g.emplace_back("file_path", Value::string(e.file_paths[i]));
      put(g, "content", e.content);
      out.push_back(planned("event", e, facts, e.action_type, std::move(g)));
    }
  }
  if (analysis != nullptr) add_simple_commands(e, facts, *analysis, e.command.value_or(""), out);
  return out;
}

PlannedRequest request_for_content_line(const normalise::Event& e, const RequestFacts& facts,
                                        const std::string& path, bool from_script,
                                        uint32_t line_number, std::string_view line,
                                        const shell::Analysis& analysis) {
  const normalise::CommandClass cls = normalise::classify_commands(analysis);
  Fields f = base_fields(e);
  f.emplace_back("command", Value::string(std::string(line)));
  f.emplace_back("content_path", Value::string(path));
  f.emplace_back("content_line", Value::long_(line_number));
  put_set(f, "package_names", cls.packages);
  if (!cls.packages.empty()) f.emplace_back("package_name", Value::string(cls.packages.front()));
  PlannedRequest out = planned("content", e, facts, cls.action, std::move(f));
  out.content_path = path;
  out.from_script = from_script;
  out.content_line = line_number;
  return out;
}

std::vector<PlannedRequest> requests_for_script_line(const normalise::Event& e,
                                                     const RequestFacts& facts,
                                                     const std::string& path, bool from_script,
                                                     uint32_t line_number, std::string_view line,
                                                     const shell::Analysis& analysis) {
  std::vector<PlannedRequest> out;
  add_simple_commands(e, facts, analysis, line, out);
  for (PlannedRequest& p : out) {
    interpreter::RecordFields fields = p.request.context.as_record();
    fields.emplace_back("content_path", Value::string(path));
    fields.emplace_back("content_line", Value::long_(line_number));
    p.request.context = Value::record(std::move(fields));
    p.origin = "content";
    p.content_path = path;
    p.from_script = from_script;
    p.content_line = line_number;
  }
  return out;
}

}  // namespace vectimus::engine
