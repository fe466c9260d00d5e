// The audit log: one JSON line per decision (audit/record.hpp) in `audit-YYYY-MM-DD.jsonl` (the
// UTC day of the record) under the log folder, which is made 0700 with files 0600. Each record is
// one write(2) on an O_APPEND descriptor under an exclusive flock (support/host.hpp, append), so
// concurrent hooks never interleave. Past `max_file_bytes` a day continues in
// `audit-YYYY-MM-DD-1.jsonl`, `-2`, … .
//
// A record that cannot be written (read-only folder, full disk) must not vanish without a trace:
// the failure is noted in a gap file outside the log folder (`~/.vectimus/audit-gaps`, else
// `/tmp/vectimus-audit-gaps-<uid>`), and the next record that is written claims the gap files
// and carries a `gap` note (how many were missed, when, why). Claiming is a rename, so two hooks
// never both report the same gap.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/record.hpp"
#include "support/host.hpp"

namespace vectimus::audit {

struct LogSettings {
  std::string dir;                         // absolute
  uint64_t max_file_bytes = 100ull << 20;  // `[audit] max_file_size_mb`
  bool durable = false;                    // fsync each record (see the README for the cost)
};

class AuditLog {
 public:
  // `home`: the user's home folder (for the gap file); empty when unknown.
  AuditLog(const Host& host, LogSettings settings, const std::string& home);

  // The file a record written at `now_ns` goes to.
  std::string file_for(int64_t now_ns) const;
  // Appends one record (a line without its newline).
  IoStatus append(std::string_view record, int64_t now_ns) const;

  // Takes the gaps noted by earlier failures, or nullopt when there are none.
  std::optional<Gap> claim_gap() const;
  // The gaps noted and not yet claimed, read without claiming them (for `vectimus status`).
  std::optional<Gap> pending_gap() const;
  // Notes that a record could not be written (with a gap claimed for it, if any, put back).
  void note_missed(const Gap& gap) const;

 private:
  const Host* host_;
  LogSettings settings_;
  std::vector<std::string> gap_files_;  // in order of preference
};

}  // namespace vectimus::audit
