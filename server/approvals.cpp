#include "server/approvals.hpp"

#include <openssl/hmac.h>

#include <algorithm>
#include <atomic>

#include "audit/crypto.hpp"
#include "server/auth.hpp"

namespace vectimus::server {
namespace {

// Settled ids remembered to tell "already decided" (409) from "unknown" (404).
constexpr std::size_t kSettledKept = 10'000;

}  // namespace

std::string_view approval_state_name(ApprovalState state) {
  switch (state) {
    case ApprovalState::pending: return "pending";
    case ApprovalState::approved: return "approved";
    case ApprovalState::denied: return "denied";
    case ApprovalState::expired: return "expired";
  }
  return "pending";
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest,
           &length) == nullptr) {
    return {};
  }
  return audit::hex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string Approvals::new_id() {
  static std::atomic<uint64_t> fallback{0};
  auto uuid = audit::uuid4();
  return uuid ? "apr-" + *uuid : "apr-local-" + std::to_string(++fallback);
}

Approval Approvals::open(std::string id, std::string decision_json, int64_t now_ms,
                         int64_t timeout_ms, Release release) {
  Approval a;
  a.id = std::move(id);
  a.created_ms = now_ms;
  a.expires_ms = now_ms + timeout_ms;
  a.decision_json = std::move(decision_json);
  const std::lock_guard lock(mutex_);
  pending_.emplace(a.id, Pending{a, std::move(release)});
  return a;
}

std::vector<Approval> Approvals::pending() const {
  std::vector<Approval> out;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [id, p] : pending_) out.push_back(p.approval);
  }
  std::sort(out.begin(), out.end(),
            [](const Approval& a, const Approval& b) { return a.created_ms < b.created_ms; });
  return out;
}

Approvals::Settle Approvals::settle(std::string_view id, ApprovalState state,
                                    const std::optional<std::string>& by) {
  Release release;
  {
    const std::lock_guard lock(mutex_);
    const auto it = pending_.find(id);
    if (it == pending_.end()) {
      return settled_.contains(id) ? Settle::already : Settle::unknown;
    }
    release = std::move(it->second.release);
    settled_.emplace(it->first, state);
    settled_order_.push_back(it->first);
    pending_.erase(it);
    if (settled_order_.size() > kSettledKept) {
      settled_.erase(settled_order_.front());
      settled_order_.erase(settled_order_.begin());
    }
  }
  if (release) release(state, by);
  return Settle::done;
}

std::optional<ApprovalState> Approvals::state_of(std::string_view id) const {
  const std::lock_guard lock(mutex_);
  if (pending_.contains(id)) return ApprovalState::pending;
  const auto it = settled_.find(id);
  if (it == settled_.end()) return std::nullopt;
  return it->second;
}

std::string Approvals::sign(std::string_view id, std::string_view action,
                            int64_t expires_unix) const {
  std::string message(id);
  message += ':';
  message += action;
  message += ':';
  message += std::to_string(expires_unix);
  return hmac_sha256_hex(secret_, message);
}

bool Approvals::verify(std::string_view id, std::string_view action, int64_t expires_unix,
                       std::string_view signature, int64_t now_unix) const {
  if (secret_.empty() || expires_unix < now_unix) return false;
  return constant_time_equal(signature, sign(id, action, expires_unix));
}

}  // namespace vectimus::server
