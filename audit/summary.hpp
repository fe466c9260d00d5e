// The audit log read back for `vectimus report`: the records of a time window, counted.
//
//   log folder ─ day files of the window (audit-YYYY-MM-DD[-N].jsonl, log.hpp) ─ line by line ─▶
//   parse (simdjson, in summary.cpp) ─▶ in the window? ─▶ counted into a Summary
//
// Nothing is dropped silently: a line that is not a record (torn, foreign, not JSON) is counted
// and its place kept as an UnreadLine; a file too large to read is one too; records outside the
// window are counted; records that carry a `gap` note (earlier records that could not be
// written) are listed, since an auditor must see what is missing. The Summary holds only counts
// and a bounded number of listed items, whatever the log's size; the formats (text, JSON, HTML)
// are in summary_format.hpp.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "support/host.hpp"
#include "support/result.hpp"

namespace vectimus::audit {

// The four outcomes a record's `decision.decision` can hold, in the order reports show them.
enum class Outcome : uint8_t { allow, deny, escalate, observe };
inline constexpr std::size_t kOutcomeCount = 4;
std::string_view outcome_name(Outcome outcome);
using OutcomeCounts = std::array<uint64_t, kOutcomeCount>;  // indexed by Outcome

// Bounds of what a Summary lists (counts are always complete).
inline constexpr std::size_t kMostBlockedListed = 10;   // the most-blocked commands
inline constexpr std::size_t kEscalationsListed = 500;  // the latest ones
inline constexpr std::size_t kUnreadListed = 100;       // the first ones, in file order
inline constexpr std::size_t kGapsListed = 500;         // the first ones, in file order
inline constexpr uint64_t kMaxLogFileBytes = 1ull << 30;

// The start of the window `since` names, in nanoseconds since the epoch: `7d`, `12h`, `30m`
// before `now_ns` (at most 5 digits; never before 1970), or an ISO date (`2026-01-31`, UTC
// midnight) or date-time (`2026-01-31T09:30:00Z`, `...+02:00`, no zone: UTC). Anything else is
// an error saying what is accepted.
Result<int64_t> parse_since(std::string_view since, int64_t now_ns);
// Nanoseconds since the epoch of `2026-12-05T09:30:00.123456+00:00` (the record's form), or of a
// date alone (UTC midnight); false when `text` is neither.
bool parse_iso_time(std::string_view text, int64_t& ns);

// A key (an agent, a control, a project; "" when the records had none) and how many decisions.
struct Count {
  std::string key;
  uint64_t count = 0;
};

struct RuleCount {
  std::string id;
  std::string pack;
  std::string enforcement;  // as recorded: an override may change it within the window
  uint64_t count = 0;
};

struct DayCounts {
  std::string day;  // YYYY-MM-DD (UTC)
  OutcomeCounts outcomes{};
};

struct Escalation {
  std::string at;  // the record's timestamp
  std::string agent;
  std::string project;  // "" when none
  std::string command;  // what was asked (see Summary::most_blocked)
  std::vector<std::string> rules;
  std::string reason;
};

struct GapNote {
  std::string recorded_at;  // of the record that carried the note
  uint64_t missed = 0;
  std::string first_at;
  std::string last_at;
  std::string why;
};

struct UnreadLine {
  std::string file;   // the file's name in the log folder
  uint64_t line = 0;  // 1-based; 0: the whole file
  std::string why;
};

struct Summary {
  std::string log_dir;
  std::string since;  // the window, as ISO timestamps
  std::string until;
  std::vector<std::string> files;  // the files read, by name
  uint64_t decisions = 0;          // records in the window
  OutcomeCounts outcomes{};
  std::vector<DayCounts> by_day;  // days with records, in order
  // Most first, then by key; every rule, control, agent and project seen.
  std::vector<RuleCount> rules;
  std::vector<Count> controls;  // decisions matching a rule with the control
  std::vector<Count> agents;    // `event.source.tool`
  std::vector<Count> projects;  // `event.context.repository`
  // Denied or escalated calls by what was asked, as recorded (redacted): the command, else the
  // file path, else the URL, else the MCP tool. The kMostBlockedListed most frequent.
  std::vector<Count> most_blocked;
  std::vector<Escalation> escalations;  // the latest kEscalationsListed, oldest first
  std::vector<GapNote> gaps;            // the first kGapsListed
  uint64_t missed = 0;                  // every gap's `missed`, summed
  std::vector<UnreadLine> unread;       // the first kUnreadListed
  uint64_t unread_count = 0;            // every line or file that was not a record
  uint64_t outside_window = 0;          // records in the files read but outside the window
};

// Reads the day files of [since_ns, until_ns] in `log_dir` and counts their records. A missing
// folder is an empty Summary (nothing was recorded there yet); the one error is a path that
// exists and is not a folder.
Result<Summary> summarise_log(const Host& host, const std::string& log_dir, int64_t since_ns,
                              int64_t until_ns);

}  // namespace vectimus::audit
