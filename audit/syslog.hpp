// Syslog export (`[audit] syslog`): a copy of each audit record, and of each checkpoint the
// receipt log keeps, sent to a collector the agent cannot rewrite, so the head of the log
// lives somewhere a compromised agent cannot reach.
//
//   record JSON ─┐  decision_message()     ┌─ udp:  one datagram
//                ├─────────────────────────┼─ tcp:  octet counting, `LEN SP MSG` (RFC 6587 §3.4.1)
//   signed note ─┘  checkpoint_message()   └─ unix: one datagram on a local socket (/dev/log)
//                   RFC 5424 text             send_syslog(), bounded by a deadline
//
// A message is `<PRI>1 TIMESTAMP HOSTNAME vectimus PROCID MSGID [vectimus@32473 …] BOM MSG`:
// MSGID `decision` carries the record (structured data: decision, receipt id, log index, the
// matched rules), MSGID `checkpoint` the signed note (origin, tree size). The message is the
// record or note unchanged, after the UTF-8 BOM that RFC 5424 §6.4 uses to mark it as UTF-8.
//
// A send never blocks past its deadline (name look-up, connect and write included), so a dead
// collector costs the hook at most that long; every failure is an IoStatus naming the target
// and the system's reason. Nothing here throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/endpoint.hpp"
#include "support/host.hpp"
#include "support/result.hpp"

namespace vectimus::audit {

// What a whole send (look-up, connect, write) may take before it gives up.
inline constexpr int kSyslogDeadlineMs = 500;

// The header fields that describe the sender (RFC 5424 §6.2).
struct SyslogHeader {
  int64_t timestamp_ns = 0;
  std::string hostname;  // empty: the NILVALUE `-`
  int64_t pid = 0;
};
// This machine's name and this process's id, at `now_ns`.
SyslogHeader local_syslog_header(int64_t now_ns);

struct DecisionExport {
  std::string_view verdict;  // as recorded: allow, deny, escalate or observe
  std::optional<std::string> receipt_id;
  std::optional<uint64_t> log_index;
  std::vector<std::string> rule_ids;  // the matched rules
  std::string_view record;            // the audit record, one JSON line
};

std::string decision_message(const SyslogHeader& header, const DecisionExport& decision);
// `signed_note`: a checkpoint signed as a note (audit/note.hpp), as the receipt log keeps it;
// an error when it is not one.
Result<std::string> checkpoint_message(const SyslogHeader& header, std::string_view signed_note);

// Sends one message to `to`, giving up after `deadline_ms`.
IoStatus send_syslog(const Endpoint& to, std::string_view message,
                     int deadline_ms = kSyslogDeadlineMs);

// The receipt log's kept checkpoint to `target` (the `[audit] syslog` text), stamped `now_ns`.
// The caller decides what a failure means; the pipeline reports it like a failed record export.
IoStatus send_checkpoint(std::string_view target, std::string_view signed_note, int64_t now_ns);

}  // namespace vectimus::audit
