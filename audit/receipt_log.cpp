#include "audit/receipt_log.hpp"

#include <cstdio>

#include "audit/crypto.hpp"
#include "audit/json.hpp"
#include "audit/note.hpp"
#include "audit/receipt.hpp"

namespace vectimus::audit {
namespace {

constexpr std::size_t kMaxState = 1 << 20;
constexpr std::size_t kMaxLogFile = std::size_t{1} << 40;
constexpr std::string_view kStateMagic = "vectimus-log 1";
// log/state is two slots of kStateSlot bytes. Each write goes into the slot the current state is
// not in, as `vectimus-log-slot <seq> <length> <sha256 hex>\n<state>`, so a write cut short (a
// killed process, a full disk) leaves the other slot, the previous state, whole; the reader
// takes the whole slot with the higher sequence number. Rewriting a slot in place is one
// pwrite: replacing the file (temporary file and rename) cost about 0.4 ms on ext4, whose rename
// over an existing file starts writing the new one out, and an append writes the state twice.
constexpr std::size_t kStateSlot = 16 * 1024;
constexpr std::string_view kSlotMagic = "vectimus-log-slot";

bool unhex(std::string_view text, std::string& out) {
  out.clear();
  if (text.size() % 2 != 0) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int hi = nibble(text[i]);
    const int lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi * 16 + lo);
  }
  return true;
}

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  while (!line.empty()) {
    const std::size_t start = line.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    line.remove_prefix(start);
    const std::size_t end = line.find(' ');
    out.push_back(line.substr(0, end));
    if (end == std::string_view::npos) break;
    line.remove_prefix(end);
  }
  return out;
}

bool parse_u64(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > 19) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

Diagnostic io_error(const std::string& what, const IoStatus& s) {
  return make_error("io", what + ": " + s.error);
}

std::string new_origin(const std::string& project_root, const std::string& random) {
  std::string base = project_root.substr(project_root.find_last_of('/') + 1);
  for (char& c : base) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '-';
    if (!plain) c = '-';
  }
  if (base.empty()) base = "project";
  return "vectimus.local/" + base + "/" + hex(random);
}

Result<bool> write_state(const Host& host, const LogPaths& paths, LogState& state, bool durable) {
  const uint64_t seq = state.seq + 1;
  const std::string body = format_state(state);
  std::string slot = std::string(kSlotMagic) + " " + std::to_string(seq) + " " +
                     std::to_string(body.size()) + " " + sha256_hex(body) + "\n";
  if (slot.size() + body.size() > kStateSlot) {
    return make_error("log", "the receipt log's state (" + std::to_string(body.size()) +
                                 " bytes) outgrew its slot in `" + paths.state + "`");
  }
  slot += body;
  if (IoStatus s = host.fs->write_at(paths.state, slot, (seq % 2) * kStateSlot, 0644, durable);
      !s.ok()) {
    return io_error("cannot write the receipt log's state", s);
  }
  state.seq = seq;
  return true;
}

// Adds `leaf` to the tree, signs the new checkpoint, keeps it when due, and writes the state
// without `pending`: the moment the append becomes part of the log.
Result<bool> commit(const Host& host, const LogPaths& paths, const SigningKey& key, LogState& state,
                    const std::string& leaf, bool durable) {
  state.range.append(leaf);
  const Checkpoint cp{state.origin, state.range.size(), state.range.root()};
  Result<std::string> note = sign_note(checkpoint_text(cp), state.origin, key.key);
  if (!note) return std::move(note).take_errors();
  if (cp.size % kKeepEvery == 0) {
    if (IoStatus s = host.fs->make_directories(paths.checkpoints, 0755); !s.ok()) {
      return io_error("cannot create the checkpoint folder", s);
    }
    if (IoStatus s = host.fs->replace(paths.kept_checkpoint(cp.size), *note, 0644); !s.ok()) {
      return io_error("cannot keep the checkpoint", s);
    }
  }
  state.checkpoint = std::move(note).value();
  state.pending.reset();
  return write_state(host, paths, state, durable);
}

// The leaf hash of a receipt file, or "" when it is missing, partial or not JSON.
std::string file_leaf(const Host& host, const std::string& path) {
  FileRead r = host.fs->read(path, kMaxState);
  if (r.status != FileRead::Status::ok) return {};
  Result<JsonValue> json = parse_json(r.text);
  if (!json) return {};
  return leaf_hash(receipt_entry(*json));
}

// Finishes (the record or the receipt file made it) or rolls back the append `pending` names.
Result<bool> recover(const Host& host, const LogPaths& paths, const SigningKey& key,
                     LogState& state, bool durable) {
  const PendingAppend p = *state.pending;
  FileRead r = host.fs->read(paths.entries, kMaxLogFile);
  if (r.status != FileRead::Status::ok && r.status != FileRead::Status::missing) {
    return make_error("io", "cannot read `" + paths.entries + "`: " + r.error);
  }
  bool torn = false;
  Result<std::vector<LogEntry>> entries = parse_entries(r.text, torn);
  if (!entries) return std::move(entries).take_errors();
  const uint64_t count = entries->size();
  if (torn) {
    if (IoStatus s = host.fs->replace(paths.entries, r.text.substr(0, count * kEntrySize), 0644);
        !s.ok()) {
      return io_error("cannot repair the receipt log", s);
    }
  }
  if (count == p.index + 1 && entries->back().leaf == p.entry.leaf) {
    return commit(host, paths, key, state, p.entry.leaf, durable);
  }
  if (count != p.index) {
    return make_error("log", "the receipt log `" + paths.log + "` is damaged (" +
                                 std::to_string(count) + " entries, its head says " +
                                 std::to_string(p.index) + "); run `vectimus verify --log`");
  }
  const std::string file = paths.receipt_file(p.entry.day, p.entry.receipt_id);
  if (file_leaf(host, file) == p.entry.leaf) {
    if (IoStatus s = host.fs->append(paths.entries, format_entry(p.entry), 0644, durable);
        !s.ok()) {
      return io_error("cannot append to the receipt log", s);
    }
    return commit(host, paths, key, state, p.entry.leaf, durable);
  }
  (void)host.fs->remove(file);
  if ((p.index + 1) % kKeepEvery == 0) (void)host.fs->remove(paths.kept_checkpoint(p.index + 1));
  state.pending.reset();
  return write_state(host, paths, state, durable);
}

}  // namespace

void ensure_gitignore(const Host& host, const std::string& project_root) {
  const std::string path = join_path(project_root, ".gitignore");
  FileRead r = host.fs->read(path, kMaxState);
  if (r.status != FileRead::Status::ok && r.status != FileRead::Status::missing) return;
  std::string_view rest = r.text;
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    if (!line.empty() && line.front() == '/') line.remove_prefix(1);
    if (!line.empty() && line.back() == '/') line.remove_suffix(1);
    if (line == ".vectimus/receipts" || line == ".vectimus") return;
  }
  std::string text = std::move(r.text);
  if (!text.empty() && text.back() != '\n') text += '\n';
  text += ".vectimus/receipts/\n";
  (void)host.fs->replace(path, text, 0644);  // best effort: the receipts matter more
}

LogPaths::LogPaths(const std::string& receipts_dir)
    : receipts(receipts_dir),
      log(join_path(receipts_dir, "log")),
      state(join_path(log, "state")),
      entries(join_path(log, "entries")),
      checkpoints(join_path(log, "checkpoints")),
      pruned(join_path(log, "pruned")),
      lock(join_path(log, "lock")) {}

LogPaths LogPaths::for_project(const std::string& project_root) {
  return LogPaths(join_path(join_path(project_root, ".vectimus"), "receipts"));
}

std::string LogPaths::receipt_file(const std::string& day, const std::string& receipt_id) const {
  return join_path(join_path(receipts, day), receipt_id + ".json");
}

std::string LogPaths::kept_checkpoint(uint64_t size) const {
  char name[32];
  std::snprintf(name, sizeof name, "%010llu", static_cast<unsigned long long>(size));
  return join_path(checkpoints, name);
}

std::string format_entry(const LogEntry& entry) {
  std::string out = hex(entry.leaf) + " " + entry.receipt_id + " " + entry.day;
  if (out.size() < kEntrySize - 1) out.append(kEntrySize - 1 - out.size(), ' ');
  return out + "\n";
}

Result<std::vector<LogEntry>> parse_entries(std::string_view bytes, bool& torn) {
  std::vector<LogEntry> out;
  torn = bytes.size() % kEntrySize != 0;
  const std::size_t whole = bytes.size() / kEntrySize;
  out.reserve(whole);
  for (std::size_t i = 0; i < whole; ++i) {
    const std::string_view rec = bytes.substr(i * kEntrySize, kEntrySize);
    const std::vector<std::string_view> w = words(rec.substr(0, kEntrySize - 1));
    LogEntry e;
    if (rec.back() != '\n' || w.size() != 3 || !unhex(w[0], e.leaf) || e.leaf.size() != 32) {
      return make_error("log", "log entry " + std::to_string(i) + " is malformed");
    }
    e.receipt_id = std::string(w[1]);
    e.day = std::string(w[2]);
    out.push_back(std::move(e));
  }
  return out;
}

std::string format_state(const LogState& state) {
  std::string out = std::string(kStateMagic) + "\norigin " + state.origin + "\nsize " +
                    std::to_string(state.range.size()) + "\n";
  for (const std::string& h : state.range.hashes()) out += "range " + hex(h) + "\n";
  if (state.pending) {
    const PendingAppend& p = *state.pending;
    out += "pending " + std::to_string(p.index) + " " + hex(p.entry.leaf) + " " +
           p.entry.receipt_id + " " + p.entry.day + "\n";
  }
  return out + "\n" + state.checkpoint;
}

namespace {

// The sequence number and state of the slot at `offset` of a state file, when it is whole.
std::optional<std::pair<uint64_t, std::string_view>> slot_at(std::string_view file,
                                                             std::size_t offset) {
  if (file.size() <= offset) return std::nullopt;
  const std::string_view slot = file.substr(offset, kStateSlot);
  const std::size_t nl = slot.find('\n');
  if (nl == std::string_view::npos) return std::nullopt;
  const std::vector<std::string_view> w = words(slot.substr(0, nl));
  uint64_t seq = 0;
  uint64_t length = 0;
  if (w.size() != 4 || w[0] != kSlotMagic || !parse_u64(w[1], seq) || !parse_u64(w[2], length) ||
      length > slot.size() - nl - 1) {
    return std::nullopt;
  }
  const std::string_view body = slot.substr(nl + 1, length);
  if (sha256_hex(body) != w[3]) return std::nullopt;
  return std::pair{seq, body};
}

Result<LogState> parse_state_text(std::string_view text) {
  LogState state;
  uint64_t size = 0;
  std::vector<std::string> range;
  bool magic = false;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return make_error("log", "the log state is cut short");
    const std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    if (line.empty()) break;
    const std::vector<std::string_view> w = words(line);
    bool ok = true;
    if (!magic) {
      ok = line == kStateMagic;
      magic = true;
    } else if (w.size() == 2 && w[0] == "origin") {
      state.origin = std::string(w[1]);
    } else if (w.size() == 2 && w[0] == "size") {
      ok = parse_u64(w[1], size);
    } else if (w.size() == 2 && w[0] == "range") {
      std::string h;
      ok = unhex(w[1], h);
      range.push_back(std::move(h));
    } else if (w.size() == 5 && w[0] == "pending") {
      PendingAppend p;
      ok = parse_u64(w[1], p.index) && unhex(w[2], p.entry.leaf) && p.entry.leaf.size() == 32;
      p.entry.receipt_id = std::string(w[3]);
      p.entry.day = std::string(w[4]);
      state.pending = std::move(p);
    } else {
      ok = false;
    }
    if (!ok)
      return make_error("log", "the log state has a malformed line `" + std::string(line) + "`");
  }
  if (!magic || state.origin.empty()) return make_error("log", "the log state has no origin");
  if (!state.range.assign(size, std::move(range))) {
    return make_error("log", "the log state's compact range does not match its size");
  }
  state.checkpoint = std::string(text);
  return state;
}

}  // namespace

Result<LogState> parse_state(std::string_view file) {
  std::optional<std::pair<uint64_t, std::string_view>> newest;
  for (const std::size_t offset : {std::size_t{0}, kStateSlot}) {
    auto slot = slot_at(file, offset);
    if (slot && (!newest || slot->first > newest->first)) newest = slot;
  }
  if (!newest) {
    if (file.rfind(kSlotMagic, 0) == 0) {
      return make_error("log", "the log state is damaged: neither of its two slots is whole");
    }
    return parse_state_text(file);  // one state, written whole (by hand, or a test)
  }
  Result<LogState> state = parse_state_text(newest->second);
  if (state) state->seq = newest->first;
  return state;
}

Result<std::optional<LogState>> read_log_state(const Host& host, const LogPaths& paths) {
  FileRead r = host.fs->read(paths.state, kMaxState);
  if (r.status == FileRead::Status::missing) return std::optional<LogState>();
  if (r.status != FileRead::Status::ok) {
    return make_error("io", "cannot read `" + paths.state + "`: " + r.error);
  }
  Result<LogState> state = parse_state(r.text);
  if (!state) return std::move(state).take_errors();
  return std::optional<LogState>(std::move(state).value());
}

Result<Appended> append_to_log(const Host& host, const std::string& project_root,
                               const SigningKey& key, const std::string& receipt_id,
                               const std::string& day, const ReceiptMaker& make,
                               const AppendOptions& options) {
  const LogPaths paths = LogPaths::for_project(project_root);
  if (IoStatus s = host.fs->make_directories(paths.log, 0755); !s.ok()) {
    return io_error("cannot create the receipt log folder", s);
  }
  Result<FileLock> lock = host.fs->lock(paths.lock, 0644);
  if (!lock) return std::move(lock).take_errors();
  Result<std::optional<LogState>> read = read_log_state(host, paths);
  // A state that never made it whole (the very first write cut short) while no entry exists:
  // nothing was ever committed, so the log starts afresh rather than refusing every append.
  if (!read && read.errors().front().code == "log" &&
      host.fs->size(paths.entries).value_or(0) == 0) {
    read = std::optional<LogState>();
  }
  if (!read) return std::move(read).take_errors();
  LogState state;
  if (read->has_value()) {
    state = std::move(**read);
  } else {
    Result<std::string> random = random_bytes(4);
    if (!random) return std::move(random).take_errors();
    state.origin = new_origin(project_root, *random);
    ensure_gitignore(host, project_root);
  }
  if (state.pending) {
    if (Result<bool> r = recover(host, paths, key, state, options.durable); !r)
      return std::move(r).take_errors();
  }
  const uint64_t index = state.range.size();
  Result<BuiltReceipt> built = make(state.origin, index);
  if (!built) return std::move(built).take_errors();
  const LogEntry entry{leaf_hash(built->entry), receipt_id, day};
  state.pending = PendingAppend{entry, index};
  if (Result<bool> r = write_state(host, paths, state, options.durable); !r) {
    return std::move(r).take_errors();
  }

  const std::string file = paths.receipt_file(day, receipt_id);
  if (IoStatus s = host.fs->make_directories(join_path(paths.receipts, day), 0755); !s.ok()) {
    return io_error("cannot create the receipt folder", s);
  }
  // A new file under a random name: one append creates it, with no temporary file, rename or
  // (unless durable) flush. A kill mid-write leaves a partial file, which the next append finds
  // does not hash to the pending leaf, and removes (a roll back).
  if (IoStatus s = host.fs->append(file, built->file_text, 0644, options.durable); !s.ok()) {
    return io_error("cannot write the receipt", s);
  }
  if (IoStatus s = host.fs->append(paths.entries, format_entry(entry), 0644, options.durable);
      !s.ok()) {
    return io_error("cannot append to the receipt log", s);
  }
  if (Result<bool> r = commit(host, paths, key, state, entry.leaf, options.durable); !r) {
    return std::move(r).take_errors();
  }
  Appended appended{index, file, std::nullopt};
  if ((index + 1) % kKeepEvery == 0) appended.kept_checkpoint = state.checkpoint;
  return appended;
}

}  // namespace vectimus::audit
