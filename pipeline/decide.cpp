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

namespace {

// Decides `event` with the engine `pick` chooses for it; `load_project` says which project a
// load failure belongs to (for its evidence).
template <typename Pick, typename LoadProject>
Outcome decide_event(normalise::Event event, const Pick& pick, const LoadProject& load_project) {
  const Result<engine::Engine>& engine = pick(event);
  if (!engine) {
    Outcome out = refused(Stage::load_error, event.dialect,
                          "vectimus: policies could not be loaded, so every call is denied: " +
                              short_diagnostic(engine.errors().front()),
                          engine.errors());
    out.project = load_project(event);
    out.event = std::move(event);
    return out;
  }
  Outcome out;
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

// The shared path of Session::decide_payload and decide_payload_with: read, decide, leave the
// evidence, answer; every failure denies.
template <typename Pick, typename LoadProject>
Outcome decide_bytes(const Host& host, std::string_view source, std::string_view bytes,
                     const DecideOptions& options, const Pick& pick,
                     const LoadProject& load_project) {
  normalise::Dialect dialect = normalise::Dialect::unknown;
  if (auto tool = normalise::parse_source_tool(source)) {
    dialect = normalise::fallback_dialect(*tool);
  }
  const auto start = std::chrono::steady_clock::now();
  Outcome out;
  try {
    normalise::PayloadOutcome payload =
        normalise::normalise_payload(source, bytes, normalise::payload_options(host));
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
      case normalise::PayloadStatus::event:
        if (options.before_decide) options.before_decide(payload.event);
        out = decide_event(std::move(payload.event), pick, load_project);
        break;
    }
    if (options.project && out.stage != Stage::empty) out.project = options.project;
    if (options.leave_evidence && out.stage != Stage::empty) {
      const std::chrono::duration<double, std::milli> took =
          std::chrono::steady_clock::now() - start;
      leave_evidence(host, source, took.count(), out, options.api_key_name);
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

}  // namespace

Session::Session(Host host, const SessionOptions& options)
    : engines_(std::move(host), engine_options(options)), options_(options) {}

Outcome Session::decide_payload(std::string_view source, std::string_view bytes) {
  DecideOptions options;
  options.leave_evidence = options_.leave_evidence;
  return decide_bytes(
      host(), source, bytes, options,
      [this](const normalise::Event& event) -> const Result<engine::Engine>& {
        return engines_.engine_for(event.cwd);
      },
      [this](const normalise::Event& event) {
        return engine::locate(host(), event.cwd, options_.policy_dir).project;
      });
}

Outcome decide_payload_with(const Host& host, const Result<engine::Engine>& engine,
                            std::string_view source, std::string_view bytes,
                            const DecideOptions& options) {
  return decide_bytes(
      host, source, bytes, options,
      [&engine](const normalise::Event&) -> const Result<engine::Engine>& { return engine; },
      [&options](const normalise::Event&) { return options.project; });
}

}  // namespace vectimus::pipeline
