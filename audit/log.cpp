#include "audit/log.hpp"

#include <unistd.h>

#include <cstdio>

namespace vectimus::audit {
namespace {

constexpr unsigned kFolderMode = 0700;
constexpr unsigned kFileMode = 0600;

// `count\tfirst_at\tlast_at\twhy` (tabs and newlines in `why` become spaces).
std::string gap_line(const Gap& gap) {
  std::string why = gap.why;
  for (char& c : why) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return std::to_string(gap.missed) + "\t" + gap.first_at + "\t" + gap.last_at + "\t" + why + "\n";
}

// Adds the gaps listed in `text` to `into`.
void merge_gap_lines(std::string_view text, std::optional<Gap>& into) {
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    std::string_view fields[4];
    std::string_view rest = line;
    for (int i = 0; i < 4; ++i) {
      const std::size_t tab = i < 3 ? rest.find('\t') : std::string_view::npos;
      fields[i] = rest.substr(0, tab);
      rest = tab == std::string_view::npos ? std::string_view() : rest.substr(tab + 1);
    }
    uint64_t missed = 0;
    for (char c : fields[0]) {
      if (c < '0' || c > '9') break;
      missed = missed * 10 + static_cast<uint64_t>(c - '0');
    }
    if (missed == 0) continue;  // a torn or foreign line: nothing to count
    if (!into) {
      into = Gap{0, std::string(fields[1]), std::string(fields[2]), std::string(fields[3])};
    }
    into->missed += missed;
    if (fields[1] < into->first_at) into->first_at = std::string(fields[1]);
    if (fields[2] > into->last_at) {
      into->last_at = std::string(fields[2]);
      into->why = std::string(fields[3]);
    }
  }
}

std::string utc_day(int64_t ns) {
  return iso_timestamp(ns).substr(0, 10);
}

}  // namespace

AuditLog::AuditLog(const Host& host, LogSettings settings, const std::string& home)
    : host_(&host), settings_(std::move(settings)) {
  if (!home.empty()) gap_files_.push_back(join_path(home, ".vectimus/audit-gaps"));
  gap_files_.push_back("/tmp/vectimus-audit-gaps-" + std::to_string(::getuid()));
}

std::string AuditLog::file_for(int64_t now_ns) const {
  const std::string stem = join_path(settings_.dir, "audit-" + utc_day(now_ns));
  std::string path = stem + ".jsonl";
  for (int n = 1; n < 10000; ++n) {
    const std::optional<uint64_t> size = host_->fs->size(path);
    if (!size || *size < settings_.max_file_bytes) break;
    path = stem + "-" + std::to_string(n) + ".jsonl";
  }
  return path;
}

IoStatus AuditLog::append(std::string_view record, int64_t now_ns) const {
  if (IoStatus made = host_->fs->make_directories(settings_.dir, kFolderMode); !made.ok()) {
    return made;
  }
  std::string line;
  line.reserve(record.size() + 1);
  line.append(record).push_back('\n');
  return host_->fs->append(file_for(now_ns), line, kFileMode, settings_.durable);
}

std::optional<Gap> AuditLog::claim_gap() const {
  std::optional<Gap> gap;
  for (const std::string& path : gap_files_) {
    const std::string claimed = path + "." + std::to_string(::getpid());
    if (!host_->fs->rename(path, claimed).ok()) continue;  // usually: no gap file
    const FileRead read = host_->fs->read(claimed, 1u << 20);
    if (read.status == FileRead::Status::ok || read.status == FileRead::Status::too_large) {
      merge_gap_lines(read.text, gap);
    }
    (void)host_->fs->remove(claimed);
  }
  return gap;
}

std::optional<Gap> AuditLog::pending_gap() const {
  std::optional<Gap> gap;
  for (const std::string& path : gap_files_) {
    const FileRead read = host_->fs->read(path, 1u << 20);
    if (read.status == FileRead::Status::ok || read.status == FileRead::Status::too_large) {
      merge_gap_lines(read.text, gap);
    }
  }
  return gap;
}

void AuditLog::note_missed(const Gap& gap) const {
  const std::string line = gap_line(gap);
  for (const std::string& path : gap_files_) {
    const std::size_t slash = path.find_last_of('/');
    (void)host_->fs->make_directories(path.substr(0, slash), kFolderMode);
    if (host_->fs->append(path, line, kFileMode, false).ok()) return;
  }
}

}  // namespace vectimus::audit
