#include "pipeline/decide.hpp"

#include <algorithm>
#include <chrono>
#include <exception>

#include "normalise/payload.hpp"
#include "pipeline/evidence.hpp"

namespace vectimus::pipeline {
namespace {

engine::EngineOptions engine_options(const SessionOptions& options) {
  engine::EngineOptions out;
  out.policy_dir = options.policy_dir;
  out.use_index = options.use_index;
  out.always_resolve_identity = options.always_resolve_identity;
  return out;
}

// The answer for a call the pipeline decided without the engine (fail-closed paths).
Outcome refused(Stage stage, normalise::Dialect dialect, std::string reason,
                Diagnostics diagnostics) {
  Outcome out;
  out.stage = stage;
  out.dialect = dialect;
  out.verdict = engine::Verdict::deny;
  out.reason = std::move(reason);
  out.human = render(diagnostics);
  out.diagnostics = std::move(diagnostics);
  return out;
}

// stderr only, for the human: how to turn the matched rules off. The agent never sees it.
std::string disable_hint(const engine::Engine& engine, const std::vector<std::string>& ids) {
  if (ids.empty()) return {};
  std::string quoted;
  for (const std::string& id : ids) quoted += (quoted.empty() ? "\"" : ", \"") + id + "\"";
  const auto& loc = engine.locations();
  const std::string file = loc.project ? *loc.project + "/.vectimus/config.toml"
                                       : std::string("~/.vectimus/config.toml");
  return "vectimus: to turn this off, add " + quoted + " to `[rules] disabled` in " + file +
         ", or set its level under `[rules.enforcement]`\n"
         "vectimus: or run `vectimus rule disable <id>` (`--for 30m`: for a while, `--global`: "
         "everywhere) or `vectimus rule enforce <id> --level escalate`\n";
}

}  // namespace

std::vector<std::string> Outcome::matched_rule_ids() const {
  std::vector<std::string> ids;
  if (!decision || engine == nullptr) return ids;
  for (const auto& m : decision->matches) {
    const std::string id(engine->packs().rules[m.rule].id);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

Session::Session(Host host, const SessionOptions& options)
    : engines_(std::move(host), engine_options(options)), options_(options) {}

Outcome Session::decide_event(normalise::Event event) {
  // One `out` returned everywhere, so it is built in place (NRVO) rather than moved out.
  Outcome out;
  const Result<engine::Engine>& engine = engines_.engine_for(event.cwd);
  if (!engine) {
    out = refused(Stage::load_error, event.dialect,
                  "vectimus: policies could not be loaded, so every call is denied: " +
                      short_diagnostic(engine.errors().front()),
                  engine.errors());
    out.project = engine::locate(host(), event.cwd, options_.policy_dir).project;
    out.event = std::move(event);
    return out;
  }
  out.stage = Stage::decided;
  out.dialect = event.dialect;
  out.engine = &*engine;
  out.project = engine->locations().project;
  out.decision = engine->decide(event);
  const engine::Decision& d = *out.decision;
  out.verdict = d.verdict;
  out.reason = d.reason;
  for (const std::string& line : d.log) out.human += line + "\n";
  if (engine->config().debug) {
    for (const std::string& line : d.debug_log) out.human += line + "\n";
  }
  if (d.verdict != engine::Verdict::allow)
    out.human += disable_hint(*engine, out.matched_rule_ids());
  out.event = std::move(event);
  return out;
}

Outcome Session::decide_payload(std::string_view source, std::string_view bytes) {
  normalise::Dialect dialect = normalise::Dialect::unknown;
  if (auto tool = normalise::parse_source_tool(source)) {
    dialect = normalise::fallback_dialect(*tool);
  }
  const auto start = std::chrono::steady_clock::now();
  Outcome out;
  try {
    normalise::PayloadOutcome payload =
        normalise::normalise_payload(source, bytes, normalise::payload_options(host()));
    dialect = payload.dialect;
    switch (payload.status) {
      case normalise::PayloadStatus::empty:
        out.stage = Stage::empty;
        out.dialect = dialect;
        out.verdict = engine::Verdict::allow;
        break;
      case normalise::PayloadStatus::error: {
        std::string reason =
            "vectimus: the hook payload could not be read: " + payload.errors.front().message;
        out = refused(Stage::payload_error, dialect, std::move(reason), std::move(payload.errors));
        break;
      }
      case normalise::PayloadStatus::event: out = decide_event(std::move(payload.event)); break;
    }
    if (options_.leave_evidence && out.stage != Stage::empty) {
      const std::chrono::duration<double, std::milli> took =
          std::chrono::steady_clock::now() - start;
      leave_evidence(host(), source, took.count(), out);
    }
    out.answer = hook_answer(out.dialect, out.event ? out.event->permission_mode : std::nullopt,
                             out.verdict, out.reason);
  } catch (const std::exception& e) {
    out = refused(Stage::internal_error, dialect,
                  std::string("vectimus: internal error, the call is denied: ") + e.what(), {});
    out.human = std::string("vectimus: internal error: ") + e.what() + "\n";
    out.answer = hook_answer(dialect, std::nullopt, out.verdict, out.reason);
  } catch (...) {
    out =
        refused(Stage::internal_error, dialect, "vectimus: internal error, the call is denied", {});
    out.human = "vectimus: internal error\n";
    out.answer = hook_answer(dialect, std::nullopt, out.verdict, out.reason);
  }
  return out;
}

}  // namespace vectimus::pipeline
