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

// The body without the whitespace around it (a server may end its document with a newline).
std::string_view trimmed(std::string_view s) {
  const std::size_t first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// VECTIMUS_TIMEOUT when the config did not load (seconds; the default otherwise).
std::chrono::seconds env_timeout(const Environment& env) {
  const std::optional<std::string> text = env.get("VECTIMUS_TIMEOUT");
  if (!text || text->empty() || text->size() > 4) return std::chrono::seconds(5);
  unsigned value = 0;
  for (const char c : *text) {
    if (c < '0' || c > '9') return std::chrono::seconds(5);
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return std::chrono::seconds(value);
}

// Client mode: the server's answer for `event`, or nullopt to decide locally (`note` then says
// why, when a server was configured).
std::optional<Outcome> ask_server(const Host& host, const SessionOptions& options,
                                  std::string_view source, std::string_view bytes,
                                  const normalise::Event& event,
                                  const Result<engine::Engine>& engine, std::string& note) {
  const engine::Config* config = engine ? &engine->config() : nullptr;
  ServerTarget target;
  if (config && config->server_url) {
    target.url = *config->server_url;
  } else if (!config) {  // the config did not load: the variable still names a server
    target.url = host.env->get("VECTIMUS_SERVER_URL").value_or("");
  }
  if (target.url.empty()) return std::nullopt;
  if (config) {
    target.api_key = config->server_api_key;
    target.timeout = std::chrono::seconds(config->server_timeout);
  } else {
    target.api_key = host.env->get("VECTIMUS_API_KEY");
    target.timeout = env_timeout(*host.env);
  }
  if (target.api_key && target.api_key->empty()) target.api_key.reset();
  const ServerReply reply = options.ask_server(target, source, bytes);
  const auto local = [&](const std::string& why) -> std::optional<Outcome> {
    note = "vectimus: server " + target.url + " " + why + ": decided locally\n";
    return std::nullopt;
  };
  if (reply.error) return local("could not answer: " + *reply.error);
  if (reply.status != 200) return local("answered with status " + std::to_string(reply.status));
  Outcome out;
  out.stage = Stage::remote;
  out.dialect = event.dialect;
  const std::string_view body = trimmed(reply.body);
  if (body.empty()) {
    // An empty 200 is an allow only when it says so: a proxy or another service on that port
    // answering an empty 200 must not let the call through.
    if (reply.decision != "allow") {
      return local("answered an empty 200 without `X-Vectimus-Decision: allow`");
    }
    out.verdict = engine::Verdict::allow;
    return out;
  }
  std::string why;
  const std::optional<engine::Verdict> verdict =
      check_answer(event.dialect, event.permission_mode, body, why);
  if (!verdict) {
    return local("answered something " + std::string(normalise::dialect_name(event.dialect)) +
                 " would not accept (" + why + ")");
  }
  out.verdict = *verdict;
  out.answer.out = std::string(body) + "\n";
  return out;
}

// Decides `event` with `engine`; `load_project` says which project a load failure belongs to
// (for its evidence). One `out` is returned everywhere, so it is built in place (NRVO) rather
// than moved out.
template <typename LoadProject>
Outcome decide_event(normalise::Event event, const Result<engine::Engine>& engine,
                     const LoadProject& load_project) {
  Outcome out;
  if (!engine) {
    out = refused(Stage::load_error, event.dialect,
                  "vectimus: policies could not be loaded, so every call is denied: " +
                      short_diagnostic(engine.errors().front()),
                  engine.errors());
    out.project = load_project(event);
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

// The shared path of Session::decide_payload and decide_payload_with: read, decide, leave the
// evidence, answer; every failure denies. `pick` chooses the event's engine; `remote` may answer
// in its place (client mode: an Outcome, or nullopt and a note for stderr).
template <typename Pick, typename LoadProject, typename Remote>
Outcome decide_bytes(const Host& host, std::string_view source, std::string_view bytes,
                     const DecideOptions& options, const Pick& pick,
                     const LoadProject& load_project, const Remote& remote) {
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
      case normalise::PayloadStatus::event: {
        if (options.before_decide) options.before_decide(payload.event);
        // One engine (config and packs) per call, for the server URL and the local decision.
        const Result<engine::Engine>& engine = pick(payload.event);
        std::string note;
        if (std::optional<Outcome> answered = remote(payload.event, engine, note)) {
          return std::move(*answered);  // the server wrote the evidence of its decision
        }
        out = decide_event(std::move(payload.event), engine, load_project);
        if (!note.empty()) out.human.insert(0, note);
        break;
      }
    }
    if (options.project && out.stage != Stage::empty) out.project = options.project;
    if (options.leave_evidence && out.stage != Stage::empty) {
      const std::chrono::duration<double, std::milli> took =
          std::chrono::steady_clock::now() - start;
      leave_evidence(host, source, took.count(), out, options);
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
      },
      [this, source, bytes](const normalise::Event& event, const Result<engine::Engine>& engine,
                            std::string& note) -> std::optional<Outcome> {
        if (!options_.ask_server) return std::nullopt;
        return ask_server(host(), options_, source, bytes, event, engine, note);
      });
}

Outcome decide_payload_with(const Host& host, const Result<engine::Engine>& engine,
                            std::string_view source, std::string_view bytes,
                            const DecideOptions& options) {
  return decide_bytes(
      host, source, bytes, options,
      [&engine](const normalise::Event&) -> const Result<engine::Engine>& { return engine; },
      [&options](const normalise::Event&) { return options.project; },
      [](const normalise::Event&, const Result<engine::Engine>&,
         std::string&) -> std::optional<Outcome> { return std::nullopt; });
}

}  // namespace vectimus::pipeline
