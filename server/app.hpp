// The team server's routes (docs/server.md; the contract in the repo's brief): authentication,
// the decision endpoints as a thin shell over pipeline::decide_payload_with, the live event
// stream, held approvals, health and the page. No Beast here: server/http.cpp parses the bytes
// into a Request and hands each to App::handle with an Exchange to answer through.
//
// A decision: check the key -> decide the payload with the one policy set now serving (its
// evidence written by the pipeline, the key's name in the record) -> publish it to /events ->
// answer, or, for an escalation with approvals on, hold the answer until a person or the
// timeout settles it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "audit/witness.hpp"
#include "pipeline/decide.hpp"
#include "server/approvals.hpp"
#include "server/auth.hpp"
#include "server/exchange.hpp"
#include "server/flood.hpp"
#include "server/hub.hpp"
#include "server/policy_store.hpp"
#include "server/routes.hpp"
#include "server/settings.hpp"

namespace vectimus::server {

class App {
 public:
  // `store` must be loaded; `runtime` runs timers and webhooks. Both outlive the App.
  App(Settings settings, PolicyStore& store, Runtime& runtime);

  void handle(const Request& request, const std::shared_ptr<Exchange>& exchange);

  Hub& hub() { return hub_; }
  const Settings& settings() const { return settings_; }
  // The URL people reach the server at (webhook links); set once the listener is bound.
  void set_base_url(std::string url) { base_url_ = std::move(url); }

 private:
  Settings settings_;
  PolicyStore& store_;
  Runtime& runtime_;
  KeyRing keys_;
  Hub hub_;
  Approvals approvals_;
  FloodCounter flood_;
  std::string base_url_;
  int64_t started_ns_;
  // Receipts go under the server's project root (or its working folder when it has none).
  std::optional<std::string> data_project_;
  // The witness of developers' receipt logs (POST /v1/checkpoints), made on first use.
  std::once_flag witness_once_;
  std::unique_ptr<audit::Witness> witness_;
  std::string witness_error_;

  void decide(const Request& request, const std::shared_ptr<Exchange>& exchange,
              std::string_view source, bool hook, const std::string* key_name);
  void hold(const std::shared_ptr<const LoadedSet>& set, pipeline::Outcome outcome,
            const std::shared_ptr<Exchange>& exchange, std::string source, bool hook,
            std::optional<std::string> key_name);
  void approve(const Route& route, const Request& request, Exchange& exchange,
               const std::string* key_name);
  void approve_link(const Route& route, Exchange& exchange);
  audit::Witness* witness();
  void record_witness(const audit::WitnessAnswer& answer, const std::string* key_name);
  Response health() const;
  Response policies() const;
  Response bundle() const;
  Response approvals_list() const;
  int64_t now_ns() const;
};

// `{"error":"..."}` with `status`.
Response json_error(unsigned status, std::string_view message);

}  // namespace vectimus::server
