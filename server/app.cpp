#include "server/app.hpp"

#include <unistd.h>

#include <cstdio>

#include "audit/json.hpp"
#include "audit/record.hpp"
#include "audit/redact.hpp"
#include "normalise/payload.hpp"
#include "pipeline/answer.hpp"
#include "pipeline/evidence.hpp"
#include "server/page.hpp"
#include "support/json_writer.hpp"
#include "support/utc.hpp"

namespace vectimus::server {
namespace {

constexpr std::size_t kSummaryChars = 200;

Response text(unsigned status, std::string body, std::string content_type = "text/plain") {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

// `2026-12-06T01:02:03.456Z`
std::string iso_ms(int64_t ns) {
  return utc_iso(utc_time(ns), 3) + "Z";
}

// At most `limit` bytes, cut at a UTF-8 character boundary.
std::string clip(std::string text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text;
}

// What the call did, for the stream: the command, else the path, else the URL, redacted.
std::string summary_of(const normalise::Event& e) {
  const std::optional<std::string>* what = &e.command;
  if (!*what) what = &e.file_path;
  if (!*what) what = &e.url;
  if (!*what) return {};
  uint32_t redactions = 0;
  return clip(audit::redact(**what, redactions), kSummaryChars);
}

// The verdict shown on the stream: `observe` when observe mode let through what it would not.
std::string_view stream_verdict(const pipeline::Outcome& out) {
  if (out.decision && out.decision->observe_mode &&
      out.decision->evaluated != engine::Verdict::allow) {
    return "observe";
  }
  return engine::verdict_name(out.verdict);
}

void write_rules(JsonWriter& w, const std::vector<std::string>& ids) {
  w.begin_array();
  for (const std::string& id : ids) w.value(id);
  w.end_array();
}

void write_optional(JsonWriter& w, const std::optional<std::string>& value) {
  if (value) {
    w.value(*value);
  } else {
    w.null();
  }
}

// One decision as /events and the approvals API show it.
std::string decision_json(uint64_t id, int64_t now_ns, std::string_view source,
                          const pipeline::Outcome& out, const std::optional<std::string>& key_name,
                          const std::optional<std::string>& approval_id) {
  // Fields with nothing to say are left out rather than written as null or empty: every event
  // goes to every subscriber, so its size is what the stream costs (readers treat a missing
  // field as none).
  JsonWriter w;
  w.begin_object();
  w.key("id").value(id);
  w.key("time").value(iso_ms(now_ns));
  w.key("source").value(source);
  // Only an identity the payload or the server's config gave.
  if (out.decision && out.decision->identity.origin != "unresolved" &&
      out.decision->identity.origin != "unknown" && !out.decision->identity.id.empty()) {
    w.key("developer").value(out.decision->identity.id);
  }
  if (key_name) w.key("key_name").value(*key_name);
  w.key("decision").value(stream_verdict(out));
  if (const std::vector<std::string> rules = out.matched_rule_ids(); !rules.empty()) {
    w.key("rules");
    write_rules(w, rules);
  }
  w.key("tool").value(out.event ? std::string_view(out.event->raw_tool_name) : "");
  w.key("action").value(out.event ? normalise::action_type_name(out.event->action_type) : "");
  w.key("summary").value(out.event ? summary_of(*out.event) : std::string());
  if (!out.reason.empty()) {
    uint32_t redactions = 0;
    w.key("reason").value(audit::redact(out.reason, redactions));
  }
  if (out.receipt_id) w.key("receipt_id").value(*out.receipt_id);
  if (approval_id) w.key("approval_id").value(*approval_id);
  w.end_object();
  return w.take();
}

bool claude_shaped(std::string_view source) {
  return source == "claude-code" || source == "claude-agent-sdk";
}

// The /evaluate body: the decision, and for Claude Code the PreToolUse document its command
// hook would print (allow spelled out, since the JSON always carries one).
std::string evaluate_json(std::string_view source, engine::Verdict verdict,
                          const std::string& reason, const std::vector<std::string>& rules,
                          const std::optional<std::string>& receipt_id, double evaluation_ms,
                          const pipeline::Answer& answer) {
  JsonWriter w;
  w.begin_object();
  w.key("decision").value(engine::verdict_name(verdict));
  w.key("reason").value(reason);
  w.key("matched_rules");
  write_rules(w, rules);
  w.key("receipt_id");
  write_optional(w, receipt_id);
  w.key("evaluation_time_ms").raw(fixed3(evaluation_ms));
  if (claude_shaped(source)) {
    constexpr std::string_view kPrefix = "{\"hookSpecificOutput\":";
    std::string_view doc = answer.out;
    while (!doc.empty() && (doc.back() == '\n' || doc.back() == '\r')) doc.remove_suffix(1);
    if (doc.starts_with(kPrefix) && doc.ends_with("}")) {
      w.key("hookSpecificOutput").raw(doc.substr(kPrefix.size(), doc.size() - kPrefix.size() - 1));
    } else if (verdict == engine::Verdict::allow && doc.empty()) {
      w.key("hookSpecificOutput")
          .raw("{\"hookEventName\":\"PreToolUse\",\"permissionDecision\":\"allow\"}");
    }
  }
  w.end_object();
  return w.take();
}

// A /v1/hooks/ answer: exactly what `vectimus hook --source <source>` prints on stdout. Its
// exit-2 answers (no document for an unknown dialect) become the source's own deny document
// when it has one, else a 403 with the reason.
Response hook_response(std::string_view source, const pipeline::Answer& answer,
                       engine::Verdict verdict, const std::string& reason) {
  Response r;
  r.decision = std::string(engine::verdict_name(verdict));
  if (answer.exit_code == 2) {
    if (auto tool = normalise::parse_source_tool(source)) {
      const pipeline::Answer doc =
          pipeline::hook_answer(normalise::fallback_dialect(*tool), std::nullopt, verdict, reason);
      if (doc.exit_code == 0 && !doc.out.empty()) {
        r.body = doc.out;
        return r;
      }
    }
    r.status = 403;
    r.content_type = "text/plain";
    r.body = answer.err.empty() ? reason + "\n" : answer.err;
    return r;
  }
  r.body = answer.out;
  return r;
}

}  // namespace

Response json_error(unsigned status, std::string_view message) {
  JsonWriter w;
  w.begin_object().key("error").value(message).end_object();
  Response r;
  r.status = status;
  r.body = w.take();
  return r;
}

App::App(Settings settings, PolicyStore& store, Runtime& runtime)
    : settings_(std::move(settings)),
      store_(store),
      runtime_(runtime),
      keys_(settings_.keys),
      hub_(settings_.limits.subscriber_queue, settings_.limits.max_subscribers),
      approvals_(settings_.approvals.webhook_secret),
      flood_(static_cast<int64_t>(settings_.flood_window_seconds) * 1000),
      started_ns_(store.host().now_ns()) {
  const auto& set = store_.current();
  if (set && set->engine && set->engine->locations().project) {
    data_project_ = set->engine->locations().project;
  } else {
    data_project_ = store_.host().cwd;
  }
}

audit::Witness* App::witness() {
  std::call_once(witness_once_, [this] {
    const Host& host = store_.host();
    Result<audit::SigningKey> key =
        audit::load_or_create_signing_key(host, host.env->get("HOME").value_or(""));
    if (!key) {
      witness_error_ = pipeline::short_diagnostic(key.errors().front());
      return;
    }
    char name[256] = {};
    (void)::gethostname(name, sizeof name - 1);
    audit::WitnessSettings settings;
    settings.name = std::string("vectimus.witness/") + (name[0] != '\0' ? name : "server");
    settings.state_dir = join_path(data_project_.value_or(host.cwd), ".vectimus/witness");
    settings.trust_on_first_use = true;
    witness_ = std::make_unique<audit::Witness>(host, std::move(settings), std::move(*key));
  });
  return witness_.get();
}

// A pinned log, a refused rollback or fork: one audit record, and stderr for the suspicious.
void App::record_witness(const audit::WitnessAnswer& answer, const std::string* key_name) {
  JsonWriter w;
  w.begin_object();
  w.key("type").value("witness");
  w.key("timestamp").value(audit::iso_timestamp(now_ns()));
  w.key("status").value(static_cast<int64_t>(answer.status));
  w.key("suspicious").value(answer.suspicious);
  w.key("note").value(answer.note);
  w.key("api_key_name");
  write_optional(w, key_name != nullptr ? std::optional<std::string>(*key_name) : std::nullopt);
  w.end_object();
  const auto& set = store_.current();
  const engine::Config* config = set && set->engine ? &set->engine->config() : nullptr;
  const IoStatus written =
      pipeline::append_audit_record(store_.host(), config, data_project_, w.take());
  if (answer.suspicious || !written.ok()) {
    std::fprintf(stderr, "vectimus: %s%s%s\n", answer.note.c_str(),
                 written.ok() ? "" : "; the audit record could not be written: ",
                 written.ok() ? "" : written.error.c_str());
  }
}

int64_t App::now_ns() const {
  return store_.host().now_ns();
}

void App::handle(const Request& request, const std::shared_ptr<Exchange>& exchange) {
  const Route route = route_of(request.method, request.target);
  const std::string* key_name = nullptr;
  if (keys_.enabled() && needs_key(route.kind)) {
    const auto presented = presented_key(request.api_key_header, request.authorization);
    if (!presented) {
      exchange->respond(json_error(401,
                                   "an API key is required: send it as `X-Vectimus-API-Key` "
                                   "or `Authorization: Bearer`"));
      return;
    }
    key_name = keys_.match(*presented);
    if (key_name == nullptr) {
      exchange->respond(json_error(401, "the API key is not valid"));
      return;
    }
  }
  switch (route.kind) {
    case RouteKind::evaluate: {
      const std::string_view source =
          request.source_header.empty() ? std::string_view("claude-code") : request.source_header;
      decide(request, exchange, source, false, key_name);
      return;
    }
    case RouteKind::hook: decide(request, exchange, route.param, true, key_name); return;
    case RouteKind::health: exchange->respond(health()); return;
    case RouteKind::healthz: exchange->respond(text(200, "ok\n")); return;
    case RouteKind::ready: {
      const auto& set = store_.current();
      const bool ready = set && set->engine;
      exchange->respond(ready ? text(200, "ready\n")
                              : text(503, "not ready: the policies did not load\n"));
      return;
    }
    case RouteKind::policies: exchange->respond(policies()); return;
    case RouteKind::bundle: exchange->respond(bundle()); return;
    case RouteKind::events: {
      std::optional<uint64_t> last;
      if (!request.last_event_id.empty()) {
        uint64_t n = 0;
        bool digits = true;
        for (char c : request.last_event_id) {
          if (c < '0' || c > '9' || n > (UINT64_MAX - 9) / 10) {
            digits = false;
            break;
          }
          n = n * 10 + static_cast<uint64_t>(c - '0');
        }
        if (!digits) {
          exchange->respond(json_error(400, "`Last-Event-ID` must be an event id (a number)"));
          return;
        }
        last = n;
      }
      exchange->stream(hub_.start_after(last));
      return;
    }
    case RouteKind::approvals: exchange->respond(approvals_list()); return;
    case RouteKind::approve: approve(route, request, *exchange, key_name); return;
    case RouteKind::approve_link: approve_link(route, *exchange); return;
    case RouteKind::checkpoints: {
      audit::Witness* const w = witness();
      if (w == nullptr) {
        exchange->respond(
            json_error(500, "the server cannot witness checkpoints: " + witness_error_));
        return;
      }
      const audit::WitnessAnswer a = w->add_checkpoint(
          request.body,
          request.log_key.empty() ? std::nullopt : std::optional<std::string_view>(request.log_key),
          static_cast<uint64_t>(now_ns() / 1'000'000'000));
      if (!a.note.empty()) record_witness(a, key_name);
      exchange->respond(text(a.status, a.body, a.content_type));
      return;
    }
    case RouteKind::page: {
      for (const PageFile& file : page_files()) {
        if (file.name == route.param) {
          Response r = text(200, std::string(file.body), std::string(file.content_type));
          r.page = true;
          exchange->respond(std::move(r));
          return;
        }
      }
      exchange->respond(json_error(404, "no such page or endpoint"));
      return;
    }
    case RouteKind::bad_method: {
      Response r = json_error(405, "this endpoint does not take that method");
      r.allow = route.allow;
      exchange->respond(std::move(r));
      return;
    }
    case RouteKind::not_found: exchange->respond(json_error(404, "no such endpoint")); return;
  }
}

void App::decide(const Request& request, const std::shared_ptr<Exchange>& exchange,
                 std::string_view source, bool hook, const std::string* key_name) {
  const std::shared_ptr<const LoadedSet> set = store_.current();
  if (!hook && request.body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    exchange->respond(json_error(400, "the request body is empty: send the agent's hook payload"));
    return;
  }
  const int64_t now = now_ns();
  pipeline::DecideOptions options;
  options.leave_evidence = true;
  if (key_name != nullptr) options.api_key_name = *key_name;
  options.project = data_project_;
  options.audit_writer = set->audit_writer.get();
  if (set->audit_writer) {
    options.queue_record = [this, writer = set->audit_writer](std::string&& record, int64_t at,
                                                              const audit::Gap* carried) {
      return runtime_.queue_record(writer, std::move(record), at, carried);
    };
  }
  options.signing_key = set->signing_key.get();
  options.before_decide = [this, now](normalise::Event& event) {
    if (!event.session_id) return;
    const FloodCounter::Counts counts =
        flood_.record(*event.session_id, event.action_type == normalise::ActionType::agent_spawn,
                      event.action_type == normalise::ActionType::agent_message, now / 1'000'000);
    event.agent.session_spawn_count = counts.spawns;
    event.agent.session_message_count = counts.messages;
  };
  const auto start = std::chrono::steady_clock::now();
  pipeline::Outcome out =
      pipeline::decide_payload_with(store_.host(), set->engine, source, request.body, options);
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;

  if (!hook && out.stage == pipeline::Stage::payload_error) {
    Response r = json_error(400, out.reason);
    r.decision = "deny";
    exchange->respond(std::move(r));
    return;
  }
  std::optional<std::string> key;
  if (key_name != nullptr) key = *key_name;
  const bool held = settings_.approvals.enabled && out.stage == pipeline::Stage::decided &&
                    out.verdict == engine::Verdict::escalate;
  if (held) {
    // The stream shows the decision with its approval id; hold() opens it.
    hold(set, std::move(out), exchange, std::string(source), hook, std::move(key));
    return;
  }
  if (out.stage != pipeline::Stage::empty) {
    hub_.publish("decision", [&](uint64_t id) {
      return decision_json(id, now, source, out, key, std::nullopt);
    });
  }
  if (hook) {
    exchange->respond(hook_response(source, out.answer, out.verdict, out.reason));
    return;
  }
  Response r;
  r.decision = std::string(engine::verdict_name(out.verdict));
  r.body = evaluate_json(source, out.verdict, out.reason, out.matched_rule_ids(), out.receipt_id,
                         took.count(), out.answer);
  exchange->respond(std::move(r));
}

void App::hold(const std::shared_ptr<const LoadedSet>& set, pipeline::Outcome out,
               const std::shared_ptr<Exchange>& exchange, std::string source, bool hook,
               std::optional<std::string> key_name) {
  const int64_t now = now_ns();
  const int64_t timeout_ms = static_cast<int64_t>(settings_.approvals.timeout_seconds) * 1000;
  // What the release needs, kept apart from the Outcome (which points into the engine).
  struct Held {
    std::shared_ptr<const LoadedSet> set;
    std::shared_ptr<Exchange> exchange;
    std::string source;
    bool hook = false;
    std::optional<std::string> key_name;
    normalise::Dialect dialect = normalise::Dialect::unknown;
    std::optional<std::string> permission_mode;
    std::optional<std::string> session_id;
    std::string reason;
    std::vector<std::string> rules;
    std::optional<std::string> receipt_id;
    std::string decision;  // the decision JSON, with the approval id
    std::string approval_id;
    std::string expires;
    int64_t started_ns = 0;
  };
  auto held = std::make_shared<Held>();
  held->set = set;
  held->exchange = exchange;
  held->source = source;
  held->hook = hook;
  held->key_name = key_name;
  held->dialect = out.dialect;
  if (out.event) {
    held->permission_mode = out.event->permission_mode;
    held->session_id = out.event->session_id;
  }
  held->reason = out.reason;
  held->rules = out.matched_rule_ids();
  held->receipt_id = out.receipt_id;
  held->started_ns = now;

  auto release = [this, held](ApprovalState state, const std::optional<std::string>& by) {
    const bool approved = state == ApprovalState::approved;
    const engine::Verdict verdict = approved ? engine::Verdict::allow : engine::Verdict::deny;
    std::string reason;
    if (approved) {
      reason = "vectimus: approved by " + by.value_or("someone");
    } else if (state == ApprovalState::expired) {
      reason = held->reason + " (no one approved it in time, so it is denied)";
    } else {
      reason = held->reason + " (denied by " + by.value_or("someone") + ")";
    }
    const int64_t at = now_ns();
    // The evidence first: who answered, in the audit log beside the held decision's record.
    audit::ApprovalFacts facts;
    facts.timestamp_ns = at;
    facts.approval_id = held->approval_id;
    facts.state = std::string(approval_state_name(state));
    facts.by = by;
    facts.receipt_id = held->receipt_id;
    facts.rules = held->rules;
    facts.source = held->source;
    facts.session_id = held->session_id;
    facts.api_key_name = held->key_name;
    const engine::Config* config = held->set->engine ? &held->set->engine->config() : nullptr;
    const IoStatus written = pipeline::append_audit_record(store_.host(), config, data_project_,
                                                           audit::approval_record(facts));
    if (!written.ok()) {
      std::fprintf(stderr, "vectimus: the approval record could not be written: %s\n",
                   written.error.c_str());
    }
    hub_.publish("approval", [&](uint64_t) {
      JsonWriter w;
      w.begin_object();
      w.key("id").value(held->approval_id);
      w.key("state").value(approval_state_name(state));
      w.key("by");
      write_optional(w, by);
      w.key("expires").value(held->expires);
      w.key("decision").raw(held->decision);
      w.end_object();
      return w.take();
    });
    const pipeline::Answer answer =
        pipeline::hook_answer(held->dialect, held->permission_mode, verdict, reason);
    if (held->hook) {
      held->exchange->respond(hook_response(held->source, answer, verdict, reason));
      return;
    }
    Response r;
    r.decision = std::string(engine::verdict_name(verdict));
    const double waited_ms = static_cast<double>(at - held->started_ns) / 1e6;
    r.body = evaluate_json(held->source, verdict, reason, held->rules, held->receipt_id, waited_ms,
                           answer);
    held->exchange->respond(std::move(r));
  };
  // The decision as the stream shows it, with the approval's id, is also what the approvals
  // API lists; the approval opens only once it is complete.
  const std::string approval_id = Approvals::new_id();
  held->approval_id = approval_id;
  hub_.publish("decision", [&](uint64_t id) {
    held->decision = decision_json(id, now, source, out, key_name, approval_id);
    return held->decision;
  });
  const Approval a =
      approvals_.open(approval_id, held->decision, now / 1'000'000, timeout_ms, release);
  held->expires = iso_ms(a.expires_ms * 1'000'000);
  hub_.publish("approval", [&](uint64_t) {
    JsonWriter w;
    w.begin_object();
    w.key("id").value(a.id);
    w.key("state").value("pending");
    w.key("by").null();
    w.key("expires").value(held->expires);
    w.key("decision").raw(held->decision);
    w.end_object();
    return w.take();
  });
  const std::string id = a.id;
  runtime_.after(std::chrono::milliseconds(timeout_ms),
                 [this, id] { approvals_.settle(id, ApprovalState::expired, std::nullopt); });
  if (!settings_.approvals.webhook_url.empty()) {
    const std::string base =
        settings_.approvals.public_url.empty() ? base_url_ : settings_.approvals.public_url;
    std::string message = "vectimus: approval needed for `" +
                          (out.event ? summary_of(*out.event) : std::string()) + "` (" + source +
                          ", rules: ";
    for (std::size_t i = 0; i < held->rules.size(); ++i) {
      message += (i ? ", " : "") + held->rules[i];
    }
    message += ")";
    JsonWriter w;
    w.begin_object();
    if (approvals_.can_sign()) {
      const int64_t expires = a.expires_ms / 1000;
      const auto link = [&](std::string_view action) {
        return base + "/v1/approvals/" + a.id + "/" + std::string(action) +
               "?expires=" + std::to_string(expires) +
               "&sig=" + approvals_.sign(a.id, action, expires);
      };
      message += "\nApprove: " + link("approve") + "\nDeny: " + link("deny");
      w.key("text").value(message);
      w.key("approve_url").value(link("approve"));
      w.key("deny_url").value(link("deny"));
    } else {
      w.key("text").value(message);
    }
    w.key("approval_id").value(a.id);
    w.key("expires").value(held->expires);
    w.key("decision").raw(held->decision);
    w.end_object();
    runtime_.send_webhook(settings_.approvals.webhook_url, w.take());
  }
}

void App::approve(const Route& route, const Request& request, Exchange& exchange,
                  const std::string* key_name) {
  std::optional<std::string> by;
  if (key_name != nullptr) by = *key_name;
  const std::string_view body = request.body;
  if (body.find_first_not_of(" \t\r\n") != std::string_view::npos) {
    auto parsed = audit::parse_json(body);
    if (!parsed || parsed->kind != audit::JsonValue::Kind::object) {
      exchange.respond(json_error(400, "the body must be JSON like {\"by\":\"name\"}"));
      return;
    }
    if (const audit::JsonValue* who = parsed->find("by")) {
      if (who->kind != audit::JsonValue::Kind::string || who->text.empty()) {
        exchange.respond(json_error(400, "`by` must be a non-empty string"));
        return;
      }
      by = who->text;
    }
  }
  if (!by) by = "anonymous";
  const ApprovalState state =
      route.action == "approve" ? ApprovalState::approved : ApprovalState::denied;
  switch (approvals_.settle(route.param, state, by)) {
    case Approvals::Settle::unknown: exchange.respond(json_error(404, "no such approval")); return;
    case Approvals::Settle::already:
      exchange.respond(json_error(409, "this approval was already settled"));
      return;
    case Approvals::Settle::done: break;
  }
  JsonWriter w;
  w.begin_object().key("id").value(route.param).key("state").value(approval_state_name(state));
  w.end_object();
  Response r;
  r.body = w.take();
  exchange.respond(std::move(r));
}

void App::approve_link(const Route& route, Exchange& exchange) {
  const std::string expires_text = query_value(route.query, "expires");
  const std::string sig = query_value(route.query, "sig");
  int64_t expires = 0;
  bool number = !expires_text.empty() && expires_text.size() < 19;
  for (char c : expires_text) {
    if (c < '0' || c > '9') number = false;
    if (number) expires = expires * 10 + (c - '0');
  }
  const int64_t now_s = now_ns() / 1'000'000'000;
  if (!number || !approvals_.verify(route.param, route.action, expires, sig, now_s)) {
    exchange.respond(json_error(403, "this approval link is not valid or has expired"));
    return;
  }
  const ApprovalState state =
      route.action == "approve" ? ApprovalState::approved : ApprovalState::denied;
  switch (approvals_.settle(route.param, state, std::string("webhook link"))) {
    case Approvals::Settle::unknown: exchange.respond(text(404, "no such approval\n")); return;
    case Approvals::Settle::already:
      exchange.respond(text(409, "this approval was already settled\n"));
      return;
    case Approvals::Settle::done: break;
  }
  exchange.respond(text(200, std::string("vectimus: ") +
                                 (state == ApprovalState::approved ? "approved" : "denied") + " " +
                                 std::string(route.param) + "\n"));
}

Response App::health() const {
  const auto& set = store_.current();
  const auto reload_error = store_.reload_error();
  JsonWriter w;
  w.begin_object();
  const bool loaded = set && set->engine;
  w.key("status").value(loaded && !reload_error ? "ok" : "degraded");
  w.key("policies").value(static_cast<uint64_t>(loaded ? set->rules : 0));
  w.key("uptime_seconds").value((now_ns() - started_ns_) / 1'000'000'000);
  w.key("policy_set_hash");
  if (loaded) {
    w.value(set->hash);
  } else {
    w.null();
  }
  if (reload_error) {
    w.key("reload_error").value(*reload_error);
  } else if (!loaded && set) {
    w.key("load_error").value(pipeline::short_diagnostic(set->engine.errors().front()));
  }
  w.end_object();
  Response r;
  r.body = w.take();
  return r;
}

Response App::policies() const {
  const auto& set = store_.current();
  if (!set || !set->engine) return json_error(503, "the policies did not load");
  const engine::Engine& engine = *set->engine;
  JsonWriter w;
  w.begin_object().key("policies").begin_array();
  const auto& rules = engine.packs().rules;
  for (uint32_t i = 0; i < rules.size(); ++i) {
    w.begin_object();
    w.key("id").value(rules[i].id);
    w.key("description").value(rules[i].description);
    w.key("pack").value(engine.packs().packs[rules[i].pack].manifest.name);
    w.key("enforcement").value(engine::enforcement_name(engine.enforcement_of(i)));
    w.key("enabled").value(engine.rule_enabled(i));
    w.end_object();
  }
  w.end_array();
  w.key("policy_set_hash").value(set->hash);
  w.end_object();
  Response r;
  r.body = w.take();
  return r;
}

// The bundle file as it is on disk, read per request: the signature is the publisher's (the
// server holds no signing key), and a new bundle dropped in place is served at once. Open like
// /policies: packs are not secret, and a client trusts a bundle for its signature, not for where
// it came from.
Response App::bundle() const {
  if (!settings_.bundle) {
    return json_error(404, "this server serves no bundle (`[server] bundle` is not set)");
  }
  // Well over any bundle (bundle/bundle.hpp's limit is 32 MiB); a bigger file is not one.
  constexpr std::size_t kMaxBundleBytes = 32u << 20;
  FileRead read = real_file_system().read(*settings_.bundle, kMaxBundleBytes);
  if (read.status != FileRead::Status::ok) {
    return json_error(503, "the bundle `" + *settings_.bundle + "` cannot be read");
  }
  return text(200, std::move(read.text), "application/json");
}

Response App::approvals_list() const {
  JsonWriter w;
  w.begin_object().key("approvals").begin_array();
  for (const Approval& a : approvals_.pending()) {
    w.begin_object();
    w.key("id").value(a.id);
    w.key("created").value(iso_ms(a.created_ms * 1'000'000));
    w.key("expires").value(iso_ms(a.expires_ms * 1'000'000));
    w.key("decision").raw(a.decision_json.empty() ? "null" : a.decision_json);
    w.end_object();
  }
  w.end_array().end_object();
  Response r;
  r.body = w.take();
  return r;
}

}  // namespace vectimus::server
