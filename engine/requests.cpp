#include "engine/requests.hpp"

#include <span>

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
  values.reserve(items.size());
  for (const std::string& s : items) values.push_back(Value::string(s));
  f.emplace_back(key, Value::set(std::move(values)));
}

// Each request's context is its own fields merged into the event's base fields. Both are
// written below in key order, so the merge gives Value::record fields that are already sorted,
// which it then takes as they are (sorting them moves every field). The order is a matter of
// speed only: record() sorts whatever it is given, and a field of the request's own wins over a
// base field of the same key either way.

// The fields every request about the event starts with, in key order. Built once per event and
// merged into each of its requests.
Fields base_fields(const normalise::Event& e) {
  Fields f;
  f.reserve(7);
  put(f, "agent_id", e.agent_id);
  put(f, "agent_type", e.agent_type);
  put(f, "cwd", e.cwd);
  put(f, "hook_event_name", e.hook_event_name);
  put(f, "permission_mode", e.permission_mode);
  f.emplace_back("source", Value::string(e.source_tool));
  f.emplace_back("tool_name", Value::string(e.raw_tool_name));
  return f;
}

// `base` (copied) and `own` (moved) in key order when each is; on a key in both, own's.
Fields merged(const Fields& base, Fields own) {
  Fields out;
  out.reserve(base.size() + own.size());
  size_t b = 0;
  for (auto& field : own) {
    while (b < base.size() && base[b].first < field.first) out.push_back(base[b++]);
    if (b < base.size() && base[b].first == field.first) ++b;
    out.push_back(std::move(field));
  }
  out.insert(out.end(), base.begin() + static_cast<std::ptrdiff_t>(b), base.end());
  return out;
}

// A request about the event's tool, from `origin`, with `action` and the context `base` and
// `own` fields.
PlannedRequest planned(const char* origin, const normalise::Event& e, const RequestFacts& facts,
                       normalise::ActionType action, const Fields& base, Fields own) {
  PlannedRequest out;
  out.origin = origin;
  out.request.principal = facts.principal;
  out.request.action = action_uid(action);
  out.request.resource = resource_uid(e);
  out.request.context = Value::record(merged(base, std::move(own)));
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

bool at_or_below(std::string_view path, std::string_view dir) {
  if (dir.empty() || !path.starts_with(dir)) return false;
  return path.size() == dir.size() || dir == "/" || path[dir.size()] == '/';
}

// The folder that stands for the project: the engine's project root when the event's cwd lies
// in it (a cwd that does not exist on this machine makes locate() fall back to the process's
// own folder), else the cwd itself. Empty when neither is known.
std::string_view project_of(const normalise::Event& e, const RequestFacts& facts) {
  const std::string_view cwd = e.cwd ? std::string_view(*e.cwd) : std::string_view();
  if (!facts.project.empty() && at_or_below(cwd, facts.project) && facts.project != "/") {
    return facts.project;
  }
  return cwd == "/" ? std::string_view() : cwd;
}

// A file the command reads or writes is also a file_read or file_write request, so file rules
// apply whichever tool touches the file (normalise/file_access.hpp).
void add_file_accesses(const normalise::Event& e, const RequestFacts& facts, const Fields& base,
                       const shell::SimpleCommand& c, std::string_view raw,
                       std::vector<PlannedRequest>& out) {
  const std::string_view project = project_of(e, facts);
  for (const normalise::FileAccess& access : normalise::file_accesses(c, e.cwd.value_or(""))) {
    Fields f;
    f.reserve(8);
    f.emplace_back("command", Value::string(c.canonical()));
    f.emplace_back("file_path", Value::string(access.path));
    put_set(f, "flags", c.flags);
    if (!project.empty()) {
      f.emplace_back("in_project", Value::boolean(at_or_below(access.path, project)));
    }
    f.emplace_back("program", Value::string(c.program));
    f.emplace_back("provenance", Value::string(std::string(shell::provenance_name(c.provenance))));
    f.emplace_back("raw_command", Value::string(std::string(raw)));
    out.push_back(
        planned("command", e, facts,
                access.write ? normalise::ActionType::file_write : normalise::ActionType::file_read,
                base, std::move(f)));
  }
}

// One request per simple command the shell would run; `raw` is the line they came from.
void add_simple_commands(const normalise::Event& e, const RequestFacts& facts, const Fields& base,
                         const shell::Analysis& analysis, std::string_view raw,
                         std::vector<PlannedRequest>& out) {
  for (const shell::SimpleCommand& c : analysis.commands) {
    const std::span<const std::string> operands =
        c.argv.empty() ? std::span<const std::string>() : std::span(c.argv).subspan(1);
    const normalise::CommandClass cls = normalise::classify_command(c.program, operands);
    Fields f;
    f.reserve(12);
    put_set(f, "args", c.args);
    if (!c.language.empty()) f.emplace_back("code", Value::string(c.code));
    f.emplace_back("command", Value::string(c.canonical()));
    put_env(f, c.assignments);
    put_set(f, "flags", c.flags);
    if (!c.language.empty()) f.emplace_back("language", Value::string(c.language));
    if (!cls.packages.empty()) f.emplace_back("package_name", Value::string(cls.packages.front()));
    put_set(f, "package_names", cls.packages);
    f.emplace_back("program", Value::string(c.program));
    f.emplace_back("provenance", Value::string(std::string(shell::provenance_name(c.provenance))));
    f.emplace_back("raw_command", Value::string(std::string(raw)));
    if (!c.sql.empty()) f.emplace_back("sql", Value::string(c.sql));
    put_set(f, "unresolved", c.unresolved);
    out.push_back(planned("command", e, facts, cls.action, base, std::move(f)));
    add_file_accesses(e, facts, base, c, raw, out);
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
  const Fields base = base_fields(e);
  const shell::Analysis* analysis = e.analysis ? &*e.analysis : nullptr;
  const auto& a = e.agent;
  const bool mcp = e.action_type == normalise::ActionType::mcp_tool;
  Fields f;
  f.reserve(16);
  put(f, "command", e.command);
  put(f, "content", e.content);
  put(f, "description", a.description);
  put(f, "file_path", e.file_path);
  put_set(f, "file_paths", e.file_paths);
  if (a.max_turns) f.emplace_back("max_turns", Value::long_(*a.max_turns));
  put(f, "mcp_plugin", e.mcp_plugin);
  put(f, "mcp_server", e.mcp_server);
  if (mcp) f.emplace_back("mcp_server_approved", Value::boolean(facts.mcp_server_approved));
  put(f, "mcp_server_command", e.mcp_server_command);
  put(f, "mcp_tool", e.mcp_tool);
  put(f, "message", a.message);
  put(f, "message_type", a.message_type);
  put(f, "mode", a.mode);
  put(f, "model", a.model);
  put(f, "name", a.name);
  put(f, "package_name", e.package_name);
  put_set(f, "package_names", e.package_names);
  put(f, "prompt", a.prompt);
  put(f, "recipient", a.recipient);
  if (a.run_in_background) {
    f.emplace_back("run_in_background", Value::boolean(*a.run_in_background));
  }
  if (a.session_message_count) {
    f.emplace_back("session_message_count", Value::long_(*a.session_message_count));
  }
  if (a.session_spawn_count) {
    f.emplace_back("session_spawn_count", Value::long_(*a.session_spawn_count));
  }
  put(f, "sql", e.sql);
  put(f, "subagent_type", a.subagent_type);
  put(f, "team_name", a.team_name);
  if (mcp || e.action_type == normalise::ActionType::tool_call) {
    f.emplace_back("tool_input", Value::string(e.tool_input_json));
  }
  if (analysis != nullptr) put_set(f, "unresolved", analysis->unresolved);
  put(f, "url", e.url);
  put_set(f, "urls", e.urls);
  std::vector<PlannedRequest> out;
  out.reserve(1 + (analysis != nullptr ? 2 * analysis->commands.size() : 0));
  out.push_back(planned("event", e, facts, e.action_type, base, std::move(f)));
  // A tool that writes several files (apply_patch) is one file_write per file, so a rule on
  // `file_path` sees each of them, not only the first.
  if (e.action_type == normalise::ActionType::file_write) {
    for (size_t i = 1; i < e.file_paths.size(); ++i) {
      Fields g;
      put(g, "content", e.content);
      g.emplace_back("file_path", Value::string(e.file_paths[i]));
      out.push_back(planned("event", e, facts, e.action_type, base, std::move(g)));
    }
  }
  // The files an MCP tool names are judged as the agent's own file tools would be: a write when
  // the tool's name says it changes them, a read else.
  if (mcp && e.mcp_tool) {
    const auto action = normalise::mcp_tool_writes(*e.mcp_tool) ? normalise::ActionType::file_write
                                                                : normalise::ActionType::file_read;
    for (const std::string& path : e.file_paths) {
      Fields g;
      g.emplace_back("file_path", Value::string(path));
      put(g, "mcp_server", e.mcp_server);
      g.emplace_back("mcp_tool", Value::string(*e.mcp_tool));
      out.push_back(planned("event", e, facts, action, base, std::move(g)));
    }
  }
  if (analysis != nullptr) {
    add_simple_commands(e, facts, base, *analysis, e.command.value_or(""), out);
  }
  return out;
}

PlannedRequest request_for_content_line(const normalise::Event& e, const RequestFacts& facts,
                                        const std::string& path, bool from_script,
                                        uint32_t line_number, std::string_view line,
                                        const shell::Analysis& analysis) {
  const normalise::CommandClass cls = normalise::classify_commands(analysis);
  Fields f;
  f.emplace_back("command", Value::string(std::string(line)));
  f.emplace_back("content_line", Value::long_(line_number));
  f.emplace_back("content_path", Value::string(path));
  if (!cls.packages.empty()) f.emplace_back("package_name", Value::string(cls.packages.front()));
  put_set(f, "package_names", cls.packages);
  PlannedRequest out = planned("content", e, facts, cls.action, base_fields(e), std::move(f));
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
  add_simple_commands(e, facts, base_fields(e), analysis, line, out);
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
