// `vectimus explain --source SRC`: how one payload (stdin) is decided, as JSON on stdout: the
// normalised event, the principal, where config and packs came from, each Cedar request
// (principal, action, resource, context) with the rules it matched and the rules that errored,
// the matched rules with their enforcement, the final decision and the exact hook answer.
// Every enabled rule is evaluated (not only the rule index's candidates), so `errors` lists the
// errors of every rule, also those the hook never computes. With `--index`, each request also
// shows what the rule index made of it: the atoms that held and the candidate rules (the
// always-candidates, whose prefilter has no usable atom, listed apart as well).
// Exit 0 when a decision was explained (even a fail-closed deny), 1 on a bad command line.
#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "cli/commands.hpp"
#include "cli/hook_answer.hpp"
#include "cli/report.hpp"
#include "cli/stdin.hpp"
#include "engine/engine.hpp"
#include "index/policy_index.hpp"
#include "normalise/payload.hpp"

namespace vectimus::cli {
namespace {

struct ExplainOptions {
  std::string source;
  std::string policy_dir;
  bool index = false;
};

void write_answer(JsonWriter& w, normalise::Dialect dialect, engine::Verdict verdict,
                  const std::string& reason) {
  const HookAnswer answer = hook_answer(dialect, verdict, reason);
  w.key("decision").value(engine::verdict_name(verdict));
  w.key("reason").value(reason);
  w.key("answer").begin_object();
  w.key("exit_code").value(answer.exit_code).key("stdout").value(answer.out);
  w.key("stderr").value(answer.err).end_object();
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

// `idx` non-null: each request also shows the index's view of it (--index).
void write_requests(JsonWriter& w, const engine::Engine& engine, const engine::Decision& d,
                    const index::PolicyIndex* idx) {
  const auto& rules = engine.packs().rules;
  const interpreter::Entities entities = engine::Engine::entities_for(d.identity);
  w.key("requests").begin_array();
  for (const auto& r : d.requests) {
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
  w.end_array();
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
}

int run_explain(const ExplainOptions& opt) {
  const std::string input = read_all_stdin();
  const normalise::PayloadOutcome outcome =
      normalise::normalise_payload(opt.source, input, normalise::payload_options(real_host()));
  JsonWriter w;
  w.begin_object().key("source").value(opt.source);
  w.key("dialect").value(normalise::dialect_name(outcome.dialect));
  if (outcome.status == normalise::PayloadStatus::empty) {
    w.key("status").value("empty");
    write_answer(w, outcome.dialect, engine::Verdict::allow, "");
  } else if (outcome.status == normalise::PayloadStatus::error) {
    w.key("status").value("error").key("errors").raw(render_json(outcome.errors));
    write_answer(w, outcome.dialect, engine::Verdict::deny,
                 "vectimus: the hook payload could not be read: " + outcome.errors.front().message);
  } else {
    w.key("status").value("event").key("events").begin_array();
    write_event(w, outcome.event);
    w.end_array();
    const Host host = real_host();
    engine::EngineOptions options;
    if (!opt.policy_dir.empty()) options.policy_dir = opt.policy_dir;
    options.always_resolve_identity = true;
    options.use_index = false;  // every rule, so every error is shown
    const engine::Locations where = engine::locate(host, outcome.event.cwd, options.policy_dir);
    w.key("project");
    if (where.project) {
      w.value(*where.project);
    } else {
      w.null();
    }
    auto engine = engine::Engine::load(host, where, options);
    if (!engine) {
      w.key("load_errors").raw(render_json(engine.errors()));
      write_answer(w, outcome.dialect, engine::Verdict::deny,
                   "vectimus: policies could not be loaded, so every call is denied: " +
                       short_diagnostic(engine.errors().front()));
    } else {
      const engine::Decision d = engine->decide(outcome.event);
      w.key("config_files").begin_array();
      for (const auto& f : engine->config().files) w.value(f);
      w.end_array().key("packs").begin_array();
      for (const auto& p : engine->packs().packs) {
        w.begin_object()
            .key("name")
            .value(p.manifest.name)
            .key("version")
            .value(p.manifest.version);
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
      if (opt.index) idx = index::PolicyIndex::build(engine->packs().set());
      write_requests(w, *engine, d, idx ? &*idx : nullptr);
      w.key("bounds").begin_array();  // analysis bounds hit: the call was not fully checked
      for (const std::string& bound : d.bounds) w.value(bound);
      w.end_array();
      w.key("observe_mode").value(d.observe_mode);
      w.key("evaluated").value(engine::verdict_name(d.evaluated));
      write_answer(w, outcome.dialect, d.verdict, d.reason);
    }
  }
  w.end_object();
  std::cout << w.str() << '\n';
  return kExitOk;
}

}  // namespace

void add_explain_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<ExplainOptions>();
  auto* cmd = app.add_subcommand("explain", "Show how one payload (stdin) is decided, as JSON");
  cmd->add_option("--source", opt->source, "the agent the payload comes from")->required();
  cmd->add_option("--policy-dir", opt->policy_dir, "use only the packs in this folder");
  cmd->add_flag("--index", opt->index,
                "also show, per request, the rule index's matched atoms and candidate rules");
  cmd->callback([opt, &exit_code] { exit_code = run_explain(*opt); });
}

}  // namespace vectimus::cli
