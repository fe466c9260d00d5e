#include "audit/writer.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "support/utc.hpp"

namespace vectimus::audit {
namespace {

constexpr unsigned kFolderMode = 0700;
constexpr int64_t kGapClaimEveryNs = 1'000'000'000;
constexpr int64_t kNameCheckNs = 100'000'000;

IoStatus errno_status(const std::string& what) {
  return {what + ": " + std::strerror(errno)};
}

// Holds the file's flock for one record.
class Flock {
 public:
  explicit Flock(int fd) : fd_(fd) {
    while ((held_ = ::flock(fd_, LOCK_EX) == 0) == false && errno == EINTR) {
    }
  }
  ~Flock() {
    if (held_) ::flock(fd_, LOCK_UN);
  }
  Flock(const Flock&) = delete;
  Flock& operator=(const Flock&) = delete;
  bool held() const { return held_; }

 private:
  int fd_;
  bool held_ = false;
};

}  // namespace

AuditWriter::AuditWriter(const Host& host, LogSettings settings, const std::string& home)
    : host_(&host), settings_(settings), log_(host, std::move(settings), home) {}

AuditWriter::~AuditWriter() {
  close_file();
}

void AuditWriter::close_file() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

IoStatus AuditWriter::open_for(int64_t now_ns) {
  close_file();
  if (IoStatus made = host_->fs->make_directories(settings_.dir, kFolderMode); !made.ok()) {
    return made;
  }
  path_ = log_.file_for(now_ns);
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) return errno_status("cannot open `" + path_ + "`");
  day_ = utc_days(now_ns);
  return {};
}

IoStatus AuditWriter::append(std::string_view record, int64_t now_ns) {
  std::string line;
  line.reserve(record.size() + 1);
  line.append(record).push_back('\n');
  const std::lock_guard<std::mutex> hold(mutex_);
  // At most three opens: the day's file, the next one when it is full, and once more when the
  // file we held was rotated away meanwhile.
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (fd_ < 0 || utc_days(now_ns) != day_) {
      if (IoStatus opened = open_for(now_ns); !opened.ok()) return opened;
    }
    const Flock lock(fd_);
    if (!lock.held()) return errno_status("cannot lock the audit log");
    struct stat held {};
    if (::fstat(fd_, &held) != 0) return errno_status("cannot stat the audit log");
    // A removed file shows at once (no link left). A renamed one is found by looking the name
    // up, at most every kNameCheckNs: until then records go on into the renamed file, which
    // logrotate keeps, so none is lost, and a record costs no path lookup.
    bool moved = held.st_nlink == 0;
    // (A clock set back starts the wait again rather than skipping checks until it catches up.)
    if (!moved && (now_ns >= next_name_check_ns_ || now_ns < next_name_check_ns_ - kNameCheckNs)) {
      struct stat named {};
      moved = ::stat(path_.c_str(), &named) != 0 || named.st_ino != held.st_ino ||
              named.st_dev != held.st_dev;
      next_name_check_ns_ = now_ns + kNameCheckNs;
    }
    if (moved || static_cast<uint64_t>(held.st_size) >= settings_.max_file_bytes) {
      close_file();  // renamed or removed by another process (logrotate), or full: reopen
      continue;
    }
    const ssize_t wrote = ::write(fd_, line.data(), line.size());
    if (wrote < 0) return errno_status("cannot write the audit log");
    if (static_cast<std::size_t>(wrote) != line.size()) {
      return {"the audit log took " + std::to_string(wrote) + " of " + std::to_string(line.size()) +
              " bytes (disk full?)"};
    }
    if (settings_.durable && ::fdatasync(fd_) != 0) {
      return errno_status("cannot flush the audit log");
    }
    return {};
  }
  return {"the audit log file kept changing under the writer"};
}

std::optional<Gap> AuditWriter::claim_gap(int64_t now_ns) {
  // Not under the record's mutex: every decision asks, and waiting for another thread's write
  // here was most of the server's lock contention.
  int64_t due = next_gap_claim_ns_.load(std::memory_order_relaxed);
  if (now_ns < due) return std::nullopt;
  // One thread claims per second; one that loses the race does not claim as well.
  if (!next_gap_claim_ns_.compare_exchange_strong(due, now_ns + kGapClaimEveryNs,
                                                  std::memory_order_relaxed)) {
    return std::nullopt;
  }
  return log_.claim_gap();
}

}  // namespace vectimus::audit
