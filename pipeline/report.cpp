#include "pipeline/report.hpp"

#include "index/policy_index.hpp"

namespace vectimus::pipeline {
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

std::string summary_json(const Outcome& outcome) {
  JsonWriter w;
  w.begin_object().key("decision").value(engine::verdict_name(outcome.verdict));
  w.key("rules").begin_array();
  for (const auto& id : outcome.matched_rule_ids()) w.value(id);
  w.end_array().key("reason").value(outcome.reason).end_object();
  return w.take();
}

namespace {

std::string_view stage_name(Stage stage) {
  switch (stage) {
    case Stage::empty: return "empty";
    case Stage::payload_error: return "error";
    case Stage::load_error:
    case Stage::decided:
    case Stage::remote: return "event";
    case Stage::internal_error: return "internal-error";
  }
  return "internal-error";
}

void write_index(JsonWriter& w, const index::PolicyIndex& idx, const ir::PolicySet& set,
                 const interpreter::Request& request, const interpreter::Entities& entities) {
  const index::Explanation x = idx.explain(request, entities);
  w.key("index").begin_object().key("atoms").begin_array();
  for (const index::Atom& atom : x.matched) w.value(index::dump(atom));
  w.end_array().key("always").begin_array();
  for (uint32_t p : x.always) w.value(set.policies[p].id());
  w.end_array().key("candidates").begin_array();
  for (uint32_t p : x.candidates) w.value(set.policies[p].id());
  w.end_array().end_object();
}

void write_request(JsonWriter& w, const engine::Engine& engine, const engine::EvaluatedRequest& r,
                   const index::PolicyIndex* idx, const interpreter::Entities& entities) {
  const auto& rules = engine.packs().rules;
  w.begin_object().key("origin").value(r.planned.origin);
  if (r.planned.origin == "content") {
    w.key("content_path").value(r.planned.content_path);
    w.key("content_line").value(static_cast<uint64_t>(r.planned.content_line));
  }
  w.key("principal");
  write_uid(w, r.planned.request.principal);
  w.key("action");
  write_uid(w, r.planned.request.action);
  w.key("resource");
  write_uid(w, r.planned.request.resource);
  w.key("context");
  write_value(w, r.planned.request.context);
  w.key("matched").begin_array();
  for (uint32_t i : r.matched) w.value(rules[i].id);
  w.end_array();
  w.key("errors").begin_array();
  for (const auto& e : r.errors) {
    if (e.policy >= rules.size()) continue;
    w.begin_object().key("rule").value(rules[e.policy].id).key("message").value(e.message);
    w.end_object();
  }
  w.end_array();
  if (idx) write_index(w, *idx, engine.packs().set(), r.planned.request, entities);
  w.end_object();
}

// Where config and packs came from, who the principal is, and every request of the decision.
void write_decision(JsonWriter& w, const engine::Engine& engine, const engine::Decision& d,
                    bool with_index) {
  w.key("config_files").begin_array();
  for (const auto& f : engine.config().files) w.value(f);
  w.end_array().key("packs").begin_array();
  for (const auto& p : engine.packs().packs) {
    w.begin_object().key("name").value(p.manifest.name).key("version").value(p.manifest.version);
    w.key("location").value(p.location).end_object();
  }
  w.end_array();
  w.key("identity").begin_object();
  w.key("type").value(d.identity.type == engine::IdentityType::agent ? "agent" : "user");
  w.key("id").value(d.identity.id).key("origin").value(d.identity.origin);
  w.key("groups").begin_array();
  for (const auto& g : d.identity.groups) w.value(g);
  w.end_array().end_object();
  std::optional<index::PolicyIndex> idx;
  if (with_index) idx = index::PolicyIndex::build(engine.packs().set());
  const interpreter::Entities entities = engine::Engine::entities_for(d.identity);
  w.key("requests").begin_array();
  for (const auto& r : d.requests) write_request(w, engine, r, idx ? &*idx : nullptr, entities);
  w.end_array();
  const auto& rules = engine.packs().rules;
  w.key("matched").begin_array();
  for (const auto& m : d.matches) {
    const auto& rule = rules[m.rule];
    w.begin_object().key("id").value(rule.id);
    w.key("pack").value(engine.packs().packs[rule.pack].manifest.name);
    w.key("enforcement").value(engine::enforcement_name(m.level));
    w.key("description").value(rule.description);
    w.key("suggested_alternative").value(rule.suggested_alternative);
    w.key("request").value(static_cast<uint64_t>(m.request)).end_object();
  }
  w.end_array();
  w.key("bounds").begin_array();  // analysis bounds hit: the call was not fully checked
  for (const std::string& bound : d.bounds) w.value(bound);
  w.end_array();
  w.key("observe_mode").value(d.observe_mode);
  w.key("evaluated").value(engine::verdict_name(d.evaluated));
}

}  // namespace

std::string explain_json(const Outcome& outcome, const ExplainDetail& detail) {
  JsonWriter w;
  w.begin_object().key("source").value(detail.source);
  w.key("dialect").value(normalise::dialect_name(outcome.dialect));
  w.key("status").value(stage_name(outcome.stage));
  if (outcome.stage == Stage::payload_error) {
    w.key("errors").raw(render_json(outcome.diagnostics));
  }
  if (outcome.event) {
    w.key("events").begin_array();
    write_event(w, *outcome.event);
    w.end_array();
    w.key("project");
    if (outcome.project) {
      w.value(*outcome.project);
    } else {
      w.null();
    }
  }
  if (outcome.stage == Stage::load_error) {
    w.key("load_errors").raw(render_json(outcome.diagnostics));
  }
  if (outcome.decision && outcome.engine) {
    write_decision(w, *outcome.engine, *outcome.decision, detail.index);
  }
  w.key("decision").value(engine::verdict_name(outcome.verdict));
  w.key("reason").value(outcome.reason);
  w.key("answer").begin_object();
  w.key("exit_code").value(outcome.answer.exit_code).key("stdout").value(outcome.answer.out);
  w.key("stderr").value(outcome.answer.err).end_object();
  w.end_object();
  return w.take();
}

}  // namespace vectimus::pipeline
