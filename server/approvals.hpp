// Escalations held for a person (`[server.approvals]`): an /evaluate or /v1/hooks/ request whose
// decision is `escalate` opens an approval and its answer waits (the connection waits, no thread
// does) until someone approves or denies it through the API, the live page or a signed webhook
// link, or until the timeout denies it. Settling runs the approval's `release` exactly once,
// outside the lock, from whichever thread settled it.
//
// Webhook links carry `expires=<unix seconds>&sig=<hex HMAC-SHA256>` over
// "<id>:<approve|deny>:<expires>" with `[server.approvals] webhook_secret`, so whoever holds the
// link can act on that one approval, that way, until it expires, and nothing else.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vectimus::server {

enum class ApprovalState : uint8_t { pending, approved, denied, expired };
std::string_view approval_state_name(ApprovalState state);

// HMAC-SHA256 of `message` with `key`, as lowercase hex.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

struct Approval {
  std::string id;
  int64_t created_ms = 0;  // Unix milliseconds
  int64_t expires_ms = 0;
  std::string decision_json;  // the held decision, as /events shows it
};

class Approvals {
 public:
  // Called once when the approval is settled; `by` is who answered (none when it expired).
  using Release = std::function<void(ApprovalState state, const std::optional<std::string>& by)>;

  explicit Approvals(std::string webhook_secret) : secret_(std::move(webhook_secret)) {}

  // A fresh approval id (`apr-` and a random UUID).
  static std::string new_id();
  // Opens approval `id` that expires `timeout_ms` after `now_ms`.
  Approval open(std::string id, std::string decision_json, int64_t now_ms, int64_t timeout_ms,
                Release release);
  // The pending ones, oldest first.
  std::vector<Approval> pending() const;

  enum class Settle : uint8_t { done, unknown, already };
  // Approves or denies (or, from the timeout, expires) `id`. already: it was settled before.
  Settle settle(std::string_view id, ApprovalState state, const std::optional<std::string>& by);
  // The state of a settled or pending approval (bounded memory of settled ones).
  std::optional<ApprovalState> state_of(std::string_view id) const;

  // The link signature, and its check (a wrong, foreign or expired signature is refused).
  std::string sign(std::string_view id, std::string_view action, int64_t expires_unix) const;
  bool verify(std::string_view id, std::string_view action, int64_t expires_unix,
              std::string_view signature, int64_t now_unix) const;
  bool can_sign() const { return !secret_.empty(); }

 private:
  struct Pending {
    Approval approval;
    Release release;
  };
  std::string secret_;
  mutable std::mutex mutex_;
  std::map<std::string, Pending, std::less<>> pending_;
  std::map<std::string, ApprovalState, std::less<>> settled_;
  std::vector<std::string> settled_order_;  // oldest first, to forget the oldest
};

}  // namespace vectimus::server
