// The one entry point from an agent's bytes to its answer. `vectimus hook`, `eval`, `explain`,
// `test`, the benchmarks and (later) the server all call decide_payload(); none of them puts the
// steps together itself. The steps, in order:
//
//   bytes ─normalise/─▶ Event ─engine/ (per project, cached)─▶ Decision ─▶ answer (answer.hpp)
//
// and the fail-closed rules between them (docs/hook-protocols.md, "Failure handling"):
//   - empty input: nothing to judge, allow;
//   - a payload that cannot be read: deny, the reason says why;
//   - packs or config that do not load: deny every call, the reason names file:line:col;
//   - any exception: deny, "internal error".
// Client mode (issue 13): with a server URL (`[server] url` or VECTIMUS_SERVER_URL in the
// event's config) and an AskServer, a payload that normalised to an
// event is sent to the server first, once its config is known (the engine for its project is
// loaded anyway, so a local run pays nothing for the check). The server's answer is used only
// when it is a 200 carrying an answer the agent accepts (answer.hpp, check_answer); anything
// else (no connection, a timeout, another status, a document of the wrong shape) is decided
// here as without a server, and `human` says why. A server error is never an allow.
// The audit record and the receipt (issue 11, audit/) are written from decide_payload() once the
// decision is known and before the answer is returned, so no answer leaves without its evidence.
//
// The Session owns its engines (one per project root) and the Host; an Outcome points into the
// engine it was decided by, so it is valid as long as the Session.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "engine/engine.hpp"
#include "normalise/event.hpp"
#include "pipeline/answer.hpp"
#include "support/diagnostic.hpp"
#include "support/host.hpp"

namespace vectimus::audit {
class AuditWriter;
struct Gap;
struct SigningKey;
}  // namespace vectimus::audit

namespace vectimus::pipeline {

enum class Stage : uint8_t {
  empty,           // nothing to judge: allowed
  payload_error,   // the payload could not be read: `diagnostics` says why
  load_error,      // the packs or the config did not load: `diagnostics` says why
  decided,         // `decision` holds the engine's decision
  remote,          // a server decided (client mode): `answer` is its checked answer
  internal_error,  // an exception: `reason` says what
};

struct Outcome {
  Stage stage = Stage::internal_error;
  normalise::Dialect dialect = normalise::Dialect::unknown;  // how to answer
  std::optional<normalise::Event> event;                     // from load_error on
  std::optional<std::string> project;               // the event's project root, when it has one
  const engine::Engine* engine = nullptr;           // decided: the engine used
  std::optional<engine::Decision> decision;         // decided
  engine::Verdict verdict = engine::Verdict::deny;  // what the agent is told
  std::string reason;                               // for the agent; empty on allow
  Answer answer;                                    // the exact hook answer
  Diagnostics diagnostics;                          // payload_error, load_error: the full errors
  std::optional<std::string> receipt_id;            // the receipt the evidence issued, if any
  // For the human on stderr: what observe mode let through, the debug log (when enabled), and
  // how to turn the matched rules off. Never shown to the agent (answer.err is the agent's).
  std::string human;

  // The ids of the matched rules, each once, in document order (empty unless decided).
  std::vector<std::string> matched_rule_ids() const;
};

// Where client mode sends a payload, from the config.
struct ServerTarget {
  std::string url;  // the server's base URL, as configured
  std::optional<std::string> api_key;
  std::chrono::seconds timeout{5};
};

// What came back from the server: the status, body and `X-Vectimus-Decision` header of its
// response, or why there is none (`error`: "connection refused (...)", "no answer within 5 s").
struct ServerReply {
  std::optional<std::string> error;
  int status = 0;
  std::string body;
  std::optional<std::string> decision;
};

// Posts `bytes` from `source` to the server (client/hook_client.hpp has the real one). Must not
// throw.
using AskServer = std::function<ServerReply(const ServerTarget& target, std::string_view source,
                                            std::string_view bytes)>;

struct SessionOptions {
  std::optional<std::string> policy_dir;  // --policy-dir
  bool use_index = true;                  // false: evaluate every rule (same decisions)
  bool always_resolve_identity = false;   // explain shows who, even if no rule asks
  // Write the audit record of each decision (the hook; `eval`, `test` and `explain` replay and
  // leave nothing behind).
  bool leave_evidence = false;
  // Client mode: how to ask a server (empty: never ask, whatever the config says).
  AskServer ask_server;
};

// What a caller that brings its own engine adds to a decision (the server, which decides every
// event against one policy set, whatever the event's cwd).
struct DecideOptions {
  bool leave_evidence = false;
  // The server's name of the API key the payload came with; recorded in the audit record.
  std::optional<std::string> api_key_name;
  // A long-lived audit log writer (the server's: its file stays open); null: the hook's
  // open-append-close. Used only when its folder is the one the decision's config names.
  audit::AuditWriter* audit_writer = nullptr;
  // The server's group commit: takes the record (for `audit_writer`) to be written together
  // with the others of its event loop's turn, before any answer of that turn is sent, and says
  // whether it did; otherwise the record is written here. `carried` is the gap the record
  // reports, if any (noted again if the write fails). Not asked under `[audit] required`, where the
  // answer depends on the write. May be empty.
  std::function<bool(std::string&& record, int64_t now_ns, const audit::Gap* carried)> queue_record;
  // The signing key, loaded once by a long-lived caller (the server); null: each receipt reads
  // the user's key, as a hook does.
  const audit::SigningKey* signing_key = nullptr;
  // Receipts go to this project root instead of the engine's (the server's data folder).
  std::optional<std::string> project;
  // Called with the event after it is read and before the engine decides it (the server adds
  // its per-session counts). May be empty.
  std::function<void(normalise::Event&)> before_decide;
};

// Decides one payload from `source` with `engine` (a failed load denies every call, as in a
// Session). `host` is the one the engine was loaded with. Never throws.
Outcome decide_payload_with(const Host& host, const Result<engine::Engine>& engine,
                            std::string_view source, std::string_view bytes,
                            const DecideOptions& options);

class Session {
 public:
  Session(Host host, const SessionOptions& options);
  // Decides one payload from `source` (a `--source` value). Never throws.
  Outcome decide_payload(std::string_view source, std::string_view bytes);
  const Host& host() const { return engines_.host(); }
  // The engine for calls whose cwd is `cwd`, loaded as decide_payload() would load it.
  const Result<engine::Engine>& engine_for(const std::optional<std::string>& cwd) {
    return engines_.engine_for(cwd);
  }

 private:
  engine::Session engines_;
  SessionOptions options_;
};

}  // namespace vectimus::pipeline
