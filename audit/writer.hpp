// The audit log for a long-lived process that writes many records from several threads (the
// team server): the same folder, files, format, rotation and gap notes as AuditLog
// (audit/log.hpp), with the current file kept open. A record is then one write(2) under the
// process's mutex and the file's flock, instead of a folder check, a size check, an open and a
// close per record; hooks and other servers writing the same file still never interleave.
//
// The file is opened again when the UTC day changes, when it grew past the size limit (checked
// under the lock, so another writer's records count), when it was removed under us, and within
// kNameCheckNs of its being renamed (logrotate), so no record goes to a file nobody reads. Gap
// notes left by failed hooks are claimed at most once a second.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "audit/log.hpp"

namespace vectimus::audit {

class AuditWriter {
 public:
  AuditWriter(const Host& host, LogSettings settings, const std::string& home);
  ~AuditWriter();
  AuditWriter(const AuditWriter&) = delete;
  AuditWriter& operator=(const AuditWriter&) = delete;

  // Appends one record (a line without its newline). Thread-safe.
  IoStatus append(std::string_view record, int64_t now_ns);
  // AuditLog::claim_gap, at most once a second (nullopt in between). Thread-safe.
  std::optional<Gap> claim_gap(int64_t now_ns);
  void note_missed(const Gap& gap) const { log_.note_missed(gap); }
  const LogSettings& settings() const { return settings_; }

 private:
  const Host* host_;
  LogSettings settings_;
  AuditLog log_;
  std::mutex mutex_;
  int fd_ = -1;
  std::string path_;
  int64_t day_ = 0;  // the UTC day of the open file, in days since 1970-01-01
  std::atomic<int64_t> next_gap_claim_ns_{0};
  int64_t next_name_check_ns_ = 0;  // when to look the file's name up again

  IoStatus open_for(int64_t now_ns);
  void close_file();
};

}  // namespace vectimus::audit
