// The audit record: one JSON line per decision, in the shape the tool we rebuild writes
// (docs: evidence-formats.md, "Audit record"), so queries written for it keep working, with
// what ours adds: the matched rules with their enforcement, the Cedar trace (each request and
// the rules it matched), the receipt's log index, what redaction removed, and a gap note when
// earlier records could not be written.
//
// Every string passes through redact() (audit/redact.hpp) before it is written; written file
// content is recorded as its SHA-256, its length and the lines that matched, never in full.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "normalise/event.hpp"
#include "support/host.hpp"

namespace vectimus::audit {

// Earlier decisions whose records could not be written (audit/log.hpp).
struct Gap {
  uint64_t missed = 0;
  std::string first_at;  // ISO 8601 UTC timestamps of the first and the last missed record
  std::string last_at;
  std::string why;  // the last failure
};

struct RecordFacts {
  const normalise::Event* event = nullptr;  // null: the payload could not be read
  std::string source;                       // the `--source` value
  // The decision and the engine that made it; null when none was made (a payload or pack that
  // did not load: the fail-closed deny below is then what was decided).
  const engine::Engine* engine = nullptr;
  const engine::Decision* decision = nullptr;
  std::string verdict;  // what the agent was told: allow, deny, escalate (or observe)
  std::string reason;
  int64_t timestamp_ns = 0;
  double evaluation_ms = 0;
  std::optional<std::string> project;  // the project root
  std::optional<std::string> branch;   // the project's checked-out git branch
  std::string hostname;
  std::optional<std::string> receipt_id;
  std::optional<uint64_t> log_index;
  std::optional<Gap> gap;
  // Server mode: the name of the API key the payload came with (`source.api_key_name`).
  std::optional<std::string> api_key_name;
};

// A person's answer to an escalation the server held (server/approvals.hpp): one audit line of
// its own, `{"type":"approval", ...}`, beside the decision's record it refers to.
struct ApprovalFacts {
  int64_t timestamp_ns = 0;
  std::string approval_id;
  std::string state;                      // approved, denied, expired
  std::optional<std::string> by;          // who answered (a key's name, a `by`, "webhook link")
  std::optional<std::string> receipt_id;  // the held decision's receipt
  std::vector<std::string> rules;         // the rules that escalated
  std::string source;
  std::optional<std::string> session_id;
  std::optional<std::string> api_key_name;  // the key the held payload came with
};
std::string approval_record(const ApprovalFacts& facts);

// One record, without the trailing newline.
std::string audit_record(const RecordFacts& facts);

// `2026-12-05T09:30:00.123456+00:00` for nanoseconds since the epoch.
std::string iso_timestamp(int64_t ns);
// The gap to note when `missed` records could not be written at `now_ns` because of `why`:
// `carried` (the gap those records were to report, which is now unreported too) grown by them.
Gap missed_records(std::optional<Gap> carried, uint64_t missed, int64_t now_ns, std::string why);
// A random UUID (version 4), from the kernel's random source.
std::string random_uuid();
// The branch checked out in the git work tree at `root` (read from .git/HEAD, no process), or
// nullopt when it is not a work tree or HEAD is detached.
std::optional<std::string> git_branch(const Host& host, const std::string& root);

}  // namespace vectimus::audit
