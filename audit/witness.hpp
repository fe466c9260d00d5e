// A witness for developers' receipt logs (C2SP tlog-witness, cosignatures C2SP
// tlog-cosignature/v1), so a copy of each project's log head lives where the agent cannot
// reach it: the team server keeps, per log origin, the latest checkpoint it cosigned, and
// cosigns a new one only when it extends that one. A log that was rolled back (a smaller size)
// or forked (a different root for a size, or no consistency proof from the size it holds) is
// refused, and the refusal says which, for the audit log.
//
//   request body:  old <size>\n  <base64 consistency proof hash>\n ...  \n  <signed checkpoint>
//   200:           — <witness name> base64(key id || u64 time || Ed25519 signature)\n
//   409:           <size the witness holds>\n   (Content-Type text/x.tlog.size)
//
// Which key may sign a log: the keys configured for the server (`[server.witness] logs`,
// verifier keys), and, when `trust_on_first_use` is on, the key a project sends with its first
// checkpoint (header `X-Vectimus-Log-Key`, a verifier key), pinned from then on. State: one file
// per origin in `state_dir`, replaced atomically under a lock before the answer, so two requests
// for one log cannot roll it back between check and write (tlog-witness requires this).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/keys.hpp"
#include "audit/note.hpp"
#include "support/host.hpp"

namespace vectimus::audit {

struct WitnessRequest {
  uint64_t old_size = 0;
  std::vector<std::string> proof;  // raw 32-byte hashes
  std::string checkpoint;          // the signed note
  // Not part of the body: the verifier key of the log (sent as X-Vectimus-Log-Key, so a witness
  // that has not seen the log can pin it).
  std::string log_key;
};

Result<WitnessRequest> parse_witness_request(std::string_view body);
std::string format_witness_request(const WitnessRequest& request);

// The cosignature/v1 line of `name` over `note_text` (a checkpoint's text) at `time` (seconds).
Result<std::string> cosign(std::string_view note_text, std::string_view name, const Ed25519Key& key,
                           uint64_t time);
// The time of the cosignature by (`name`, `public_key`) among `note`'s signatures, if it has a
// valid one.
std::optional<uint64_t> verify_cosignature(const SignedNote& note, std::string_view name,
                                           std::string_view public_key);

struct WitnessSettings {
  std::string name;               // the witness's key name, e.g. "vectimus.witness/team-server"
  std::string state_dir;          // one file per log origin
  std::vector<VerifierKey> logs;  // logs whose keys are configured
  bool trust_on_first_use = true;
};

struct WitnessAnswer {
  int status = 500;
  std::string content_type = "text/plain";
  std::string body;
  // Why a checkpoint was refused, or what was pinned: one line for the audit log (empty when a
  // routine checkpoint was cosigned). `suspicious` marks a rollback or a fork.
  std::string note;
  bool suspicious = false;
};

class Witness {
 public:
  Witness(const Host& host, WitnessSettings settings, SigningKey key);
  // `log_key`: the X-Vectimus-Log-Key header, if any. `now`: seconds since the epoch.
  WitnessAnswer add_checkpoint(std::string_view body, std::optional<std::string_view> log_key,
                               uint64_t now);
  // The witness's verifier key for cosignatures (type 0x04), for the logs that check them.
  std::string vkey() const;

 private:
  const Host* host_;
  WitnessSettings settings_;
  SigningKey key_;
  std::mutex mutex_;  // check and persist are one step (see the header comment)
};

// A project's request to a witness that holds `old_size` of its log: the consistency proof from
// there to the current signed head, and the log's key (the project key in `<receipts>/../keys`
// that signed the head). Errors when the log has no head, is smaller than that, or its head is
// signed by no key the project has.
Result<WitnessRequest> witness_request_for(const Host& host, const std::string& receipts_dir,
                                           uint64_t old_size);

}  // namespace vectimus::audit
