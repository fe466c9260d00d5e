// The per-project receipt log: an append-only RFC 6962 Merkle tree whose leaves are receipts,
// with a signed C2SP checkpoint after every append.
//
// Layout, in `<project>/.vectimus/receipts/` beside the day folders of receipt files:
//   log/entries        fixed 128-byte text records, one per leaf, in log order:
//                      `<leaf hash hex> <receipt id> <YYYY-MM-DD>`, space-padded, `\n`
//   log/state          the log's head: origin, size, the compact range (O(log n) appends), an
//                      optional `pending` line (an append in progress), a blank line, and the
//                      signed checkpoint of the current size; in two slots written in turn, so
//                      a write cut short leaves the previous head whole
//   log/checkpoints/   every 100th signed checkpoint, kept for good (`<size, 10 digits>`)
//   log/pruned         `<receipt id> <index>` lines: receipt files removed on purpose
//   log/lock           held (flock) by every writer
//
// An append, under the lock: (1) state with `pending` (the other slot), (2) the receipt file
// (a new file, one write), (3) the entries record (one O_APPEND write), (4) the kept checkpoint
// when due, (5) state with the new size, range and checkpoint and no `pending` (the other slot). A
// process killed anywhere leaves either a clean state or a `pending` line naming the one
// interrupted append; the next append finishes it (its record is in entries, or its receipt
// file is complete) or rolls it back, before its own.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/keys.hpp"
#include "audit/merkle.hpp"
#include "support/host.hpp"

namespace vectimus::audit {

inline constexpr std::size_t kEntrySize = 128;
inline constexpr uint64_t kKeepEvery = 100;

struct LogPaths {
  std::string receipts;  // <project>/.vectimus/receipts (or a DIR given to verify)
  std::string log, state, entries, checkpoints, pruned, lock;
  explicit LogPaths(const std::string& receipts_dir);
  static LogPaths for_project(const std::string& project_root);
  std::string receipt_file(const std::string& day, const std::string& receipt_id) const;
  std::string kept_checkpoint(uint64_t size) const;
};

struct LogEntry {
  std::string leaf;  // 32 raw bytes
  std::string receipt_id;
  std::string day;
};

struct PendingAppend {
  LogEntry entry;
  uint64_t index = 0;
};

struct LogState {
  std::string origin;
  CompactRange range;
  std::optional<PendingAppend> pending;
  std::string checkpoint;  // the signed note for range.size(); empty when size is 0
  uint64_t seq = 0;        // the sequence number of the state slot it was read from
};

std::string format_entry(const LogEntry& entry);
// Parses whole records; `torn` is set when a partial record trails them.
Result<std::vector<LogEntry>> parse_entries(std::string_view bytes, bool& torn);
// One state as text (what a slot holds).
std::string format_state(const LogState& state);
// A state file: the newer whole slot, or one state written whole by format_state.
Result<LogState> parse_state(std::string_view file);

// Reads log/state; nullopt when the log does not exist yet.
Result<std::optional<LogState>> read_log_state(const Host& host, const LogPaths& paths);

struct AppendOptions {
  // fsync the receipt file, the entries record and the state (a kept checkpoint always is).
  // Without it a killed process still loses nothing (the page cache has it); a machine that
  // loses power may lose the last appends, never the log's shape.
  bool durable = true;
};

// A receipt made for its place in the log: the file's text and the log entry (its canonical
// bytes, whose leaf hash the log records).
struct BuiltReceipt {
  std::string file_text;
  std::string entry;
};
using ReceiptMaker = std::function<Result<BuiltReceipt>(const std::string& origin, uint64_t index)>;

struct Appended {
  uint64_t index = 0;
  std::string path;
  std::optional<std::string> kept_checkpoint;  // the signed note, when this append kept one
};

// Adds `.vectimus/receipts/` to the project's .gitignore unless a line already covers it (best
// effort: the receipts matter more). The receipt log calls it on first use, and `init` too.
void ensure_gitignore(const Host& host, const std::string& project_root);

// Appends one receipt, built by `make` for its position, to the project's log (`paths`), and
// writes its file. Creates the log (and the .gitignore line) on first use; finishes or rolls
// back an interrupted append first.
Result<Appended> append_to_log(const Host& host, const std::string& project_root,
                               const SigningKey& key, const std::string& receipt_id,
                               const std::string& day, const ReceiptMaker& make,
                               const AppendOptions& options);

}  // namespace vectimus::audit
