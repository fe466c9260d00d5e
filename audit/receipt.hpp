// One receipt: the signed statement of one decision, built from ReceiptFacts, checked by
// `vectimus verify`.
//
// Ours (`spec_version` "2.0") carries the other tool's fields plus `log` {origin, index}, its
// place in the project's Merkle log, inside the signed body. The signature is Ed25519 over the
// RFC 8785 canonical bytes of the receipt without `signature` (fingerprint filled): the bytes
// themselves, so `openssl pkeyutl -verify -rawin` checks it by hand. The other tool's receipts
// (`spec_version` "1.0") are verified its way: Python-canonical bytes, signature over their
// SHA-256 digest. In both, the fingerprint is the first 16 hex digits of SHA-256 over the
// canonical receipt with `fingerprint` "" and no `signature`.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "audit/json.hpp"
#include "audit/keys.hpp"

namespace vectimus::audit {

inline constexpr std::string_view kSpecVersion = "2.0";
inline constexpr std::string_view kLegacySpecVersion = "1.0";

// What the pipeline knows about one decision.
struct ReceiptFacts {
  int64_t timestamp_ns = 0;    // when the decision was made, UTC
  std::string principal_type;  // "developer" | "agent"
  std::string principal_id;
  std::string tool;             // the agent's raw tool name
  std::string normalised_tool;  // our action type
  // Should already be redacted: the first 256 characters of the first present one become
  // `command_summary`, and all three enter `context_hash`.
  std::optional<std::string> command, file_path, url;
  std::string policy_set_hash;  // "sha256:…"
  std::string policy_pack_version;
  std::optional<std::string> matched_policy_id;
  std::string outcome;  // "allow" | "deny" | "escalate" | "observe"
  std::string reason;
  double evaluation_time_ms = 0;
};

struct LogPosition {
  std::string origin;
  uint64_t index = 0;
};

// `2026-01-01T00:00:00.123456Z` (no fraction when the microseconds are 0) and `2026-01-01`.
std::string receipt_timestamp(int64_t ns);
std::string receipt_day(int64_t ns);

// The signed receipt (spec 2.0), fingerprint and signature filled.
Result<JsonValue> make_receipt(const ReceiptFacts& facts, const std::string& receipt_id,
                               const SigningKey& key, const LogPosition& position);

// The log's entry for a receipt: its RFC 8785 canonical bytes, signature included.
std::string receipt_entry(const JsonValue& receipt);

struct ReceiptCheck {
  bool valid = false;
  std::string problem;  // when not valid: e.g. "signature verification failed"
  std::string receipt_id, fingerprint, outcome, signer, spec_version;
  std::optional<LogPosition> log;
};

using KeyLookup = std::function<Result<PublicKey>(const std::string& key_id)>;

// Checks the fingerprint, then the signature. Never fails on content: problems are reported
// in the ReceiptCheck.
ReceiptCheck check_receipt(const JsonValue& receipt, const KeyLookup& key_for);

}  // namespace vectimus::audit
