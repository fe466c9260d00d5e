// `vectimus explain --source SRC`: how one payload (stdin) is decided, as JSON on stdout: the
// normalised event, the principal, where config and packs came from, each Cedar request
// (principal, action, resource, context) with the rules it matched and the rules that errored,
// the matched rules with their enforcement, the final decision and the exact hook answer.
// Exit 0 when a decision was explained (even a fail-closed deny), 1 on a bad command line.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/hook_answer.hpp"
#include "cli/report.hpp"
#include "cli/stdin.hpp"
#include "engine/engine.hpp"
#include "normalise/payload.hpp"

namespace vectimus::cli {
namespace {

struct ExplainOptions {
  std::string source;
  std::string policy_dir;
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

void write_requests(JsonWriter& w, const engine::Engine& engine, const engine::Decision& d) {
  const auto& rules = engine.packs().rules;
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
    w.end_array().end_object();
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
  const normalise::PayloadOutcome outcome = normalise::normalise_payload(opt.source, input);
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
    const engine::Host host = engine::real_host();
    engine::EngineOptions options;
    if (!opt.policy_dir.empty()) options.policy_dir = opt.policy_dir;
    options.always_resolve_identity = true;
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
      write_requests(w, *engine, d);
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
  cmd->callback([opt, &exit_code] { exit_code = run_explain(*opt); });
}

}  // namespace vectimus::cli
