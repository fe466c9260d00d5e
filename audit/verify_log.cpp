#include "audit/verify_log.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "audit/json.hpp"
#include "audit/keys.hpp"
#include "audit/note.hpp"
#include "audit/receipt.hpp"
#include "audit/receipt_log.hpp"

namespace vectimus::audit {
namespace {

constexpr std::size_t kMaxReceipt = 1 << 20;
constexpr std::size_t kMaxLogFile = std::size_t{1} << 40;

struct ReceiptFile {
  std::string path;
  std::string leaf;  // empty when the file is not JSON
  ReceiptCheck check;
  bool referenced = false;
};

bool is_day(std::string_view name) {
  if (name.size() != 10 || name[4] != '-' || name[7] != '-') return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
}

std::string parent_dir(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  const std::size_t slash = dir.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : dir.substr(0, slash);
}

class Checker {
 public:
  Checker(const Host& host, const std::string& dir, const VerifyLogOptions& options)
      : host_(host), paths_(dir), options_(options) {
    keys_ = public_keys_in(host, join_path(parent_dir(dir), "keys"));
    if (!options.home.empty()) {
      for (PublicKey& k : public_keys_in(host, home_keys_dir(options.home)))
        keys_.push_back(std::move(k));
    }
  }

  LogReport run() {
    Result<std::optional<LogState>> state = read_log_state(host_, paths_);
    if (!state) return damaged(state.errors()[0].message);
    if (!state->has_value()) return damaged("no receipt log at `" + paths_.log + "`");
    state_ = std::move(**state);
    report_.origin = state_.origin;
    report_.size = state_.range.size();
    if (!read_entries()) return report_;
    read_pruned();
    read_receipt_files();
    check_records();
    check_unreferenced_files();
    check_checkpoints();
    return std::move(report_);
  }

 private:
  void problem(std::string kind, std::string id, std::optional<uint64_t> index,
               std::string detail) {
    report_.problems.push_back({std::move(kind), std::move(id), index, std::move(detail)});
  }

  LogReport damaged(std::string why) {
    problem("damaged", "", std::nullopt, std::move(why));
    return std::move(report_);
  }

  bool read_entries() {
    FileRead r = host_.fs->read(paths_.entries, kMaxLogFile);
    if (r.status != FileRead::Status::ok && r.status != FileRead::Status::missing) {
      damaged("cannot read `" + paths_.entries + "`: " + r.error);
      return false;
    }
    bool torn = false;
    Result<std::vector<LogEntry>> entries = parse_entries(r.text, torn);
    if (!entries) {
      damaged(entries.errors()[0].message);
      return false;
    }
    entries_ = std::move(entries).value();
    const uint64_t size = state_.range.size();
    if (state_.pending) {
      const PendingAppend& p = *state_.pending;
      report_.interrupted =
          LogProblem{"interrupted", p.entry.receipt_id, p.index,
                     "an append was cut short; the next append finishes or rolls it back"};
      // The interrupted append's record may or may not have landed: it is not part of the log.
      if (entries_.size() == size + 1 && entries_.back().leaf == p.entry.leaf) entries_.pop_back();
      torn = false;
    }
    if (torn) problem("truncated", "", entries_.size(), "the log ends in a partial record");
    if (entries_.size() > size) {
      for (uint64_t i = size; i < entries_.size(); ++i) {
        problem("inserted", entries_[i].receipt_id, i,
                "a log record past the signed head (size " + std::to_string(size) + ")");
      }
      entries_.resize(size);
    } else if (entries_.size() < size) {
      problem("truncated", "", entries_.size(),
              "the log holds " + std::to_string(entries_.size()) +
                  " records but its signed head covers " + std::to_string(size));
    }
    return true;
  }

  void read_pruned() {
    FileRead r = host_.fs->read(paths_.pruned, kMaxLogFile);
    std::string_view rest = r.text;
    while (!rest.empty()) {
      const std::size_t nl = rest.find('\n');
      const std::string_view line = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      pruned_.insert(std::string(line.substr(0, line.find(' '))));
    }
  }

  void read_receipt_files() {
    auto key_for = [this](const std::string& id) -> Result<PublicKey> {
      for (const PublicKey& k : keys_) {
        if (k.id == id) return k;
      }
      return make_error("key", "public key `" + id + "` not found");
    };
    for (const std::string& day : host_.fs->list(paths_.receipts, true)) {
      if (!is_day(day)) continue;
      const std::string dir = join_path(paths_.receipts, day);
      for (const std::string& name : host_.fs->list(dir, false)) {
        if (name.size() < 6 || name.substr(name.size() - 5) != ".json") continue;
        const std::string id = name.substr(0, name.size() - 5);
        ReceiptFile f;
        f.path = join_path(dir, name);
        FileRead r = host_.fs->read(f.path, kMaxReceipt);
        Result<JsonValue> json = r.status == FileRead::Status::ok
                                     ? parse_json(r.text)
                                     : Result<JsonValue>(make_error("io", "cannot read"));
        if (json) {
          f.leaf = leaf_hash(receipt_entry(*json));
          f.check = check_receipt(*json, key_for);
        } else {
          f.check.problem = "not a readable JSON receipt";
        }
        ++report_.receipts_checked;
        if (files_.count(id) != 0) {
          problem("inserted", id, f.check.log ? std::optional(f.check.log->index) : std::nullopt,
                  "a second receipt file with this id at `" + f.path + "`");
          continue;
        }
        files_.emplace(id, std::move(f));
      }
    }
  }

  void check_records() {
    for (uint64_t i = 0; i < entries_.size(); ++i) {
      const LogEntry& e = entries_[i];
      const auto it = files_.find(e.receipt_id);
      if (it == files_.end()) {
        if (pruned_.count(e.receipt_id) != 0) {
          ++report_.pruned;
        } else {
          problem("deleted", e.receipt_id, i, "its receipt file is gone and was not pruned");
        }
        continue;
      }
      ReceiptFile& f = it->second;
      f.referenced = true;
      const std::optional<uint64_t> claimed =
          f.check.log ? std::optional(f.check.log->index) : std::nullopt;
      if (claimed && *claimed != i) {
        problem("reordered", e.receipt_id, i,
                "the log records it at index " + std::to_string(i) +
                    " but it was issued at index " + std::to_string(*claimed));
      } else if (f.leaf != e.leaf) {
        problem("edited", e.receipt_id, i,
                f.check.valid ? "its bytes differ from the log's record"
                              : "its bytes differ from the log's record (" + f.check.problem + ")");
      } else if (!f.check.valid) {
        problem("edited", e.receipt_id, i, f.check.problem);
      } else if (f.check.log && f.check.log->origin != state_.origin) {
        problem("inserted", e.receipt_id, i,
                "it was issued for the log `" + f.check.log->origin + "`");
      }
    }
  }

  void check_unreferenced_files() {
    for (const auto& [id, f] : files_) {
      if (f.referenced) continue;
      if (state_.pending && state_.pending->entry.receipt_id == id) continue;
      const std::optional<uint64_t> claimed =
          f.check.log ? std::optional(f.check.log->index) : std::nullopt;
      if (claimed && *claimed >= entries_.size() && *claimed < state_.range.size()) {
        problem("truncated", id, claimed, "its record was cut from the end of the log");
      } else {
        problem("inserted", id, claimed,
                std::string("a receipt file the log does not hold") +
                    (f.check.valid ? "" : " (" + f.check.problem + ")"));
      }
    }
  }

  // A signed checkpoint text, where it came from, checked against the log's leaves.
  struct Claim {
    std::string where;
    std::string text;
  };

  void check_checkpoints() {
    std::vector<Claim> claims;
    if (state_.range.size() > 0) claims.push_back({"the signed head", state_.checkpoint});
    std::set<uint64_t> kept;
    for (const std::string& name : host_.fs->list(paths_.checkpoints, false)) {
      if (name.find('.') != std::string::npos) continue;  // temporary files of a replace
      const std::string path = join_path(paths_.checkpoints, name);
      FileRead r = host_.fs->read(path, kMaxReceipt);
      claims.push_back({"the kept checkpoint `" + name + "`", r.text});
    }
    for (std::size_t i = 0; i < options_.extra_checkpoints.size(); ++i) {
      claims.push_back(
          {"the given checkpoint " + std::to_string(i + 1), options_.extra_checkpoints[i]});
    }
    // Roots of the records' tree at each size a claim names, in one pass over the leaves.
    std::map<uint64_t, std::string> roots;
    std::vector<std::pair<Claim, Checkpoint>> parsed;
    for (Claim& c : claims) {
      Result<SignedNote> note = parse_note(c.text);
      Result<Checkpoint> cp =
          note ? parse_checkpoint(note->text) : Result<Checkpoint>(note.errors());
      if (!cp) {
        problem("damaged", "", std::nullopt, c.where + ": " + cp.errors()[0].message);
        continue;
      }
      if (cp->origin != state_.origin) {
        problem("forked", "", cp->size, c.where + " is of another log (`" + cp->origin + "`)");
        continue;
      }
      if (Result<std::string> who = verify_note(*note, cp->origin, keys_); !who) {
        problem("edited", "", cp->size, c.where + ": " + who.errors()[0].message);
        continue;
      }
      ++report_.checkpoints_checked;
      if (c.where.rfind("the kept", 0) == 0) kept.insert(cp->size);
      if (c.where == "the signed head" &&
          (cp->size != state_.range.size() || cp->root != state_.range.root())) {
        problem("edited", "", cp->size, "the log state's tree does not match its signed head");
      }
      roots[cp->size];
      parsed.emplace_back(std::move(c), std::move(cp).value());
    }
    CompactRange range;
    if (roots.count(0) != 0) roots[0] = range.root();
    for (const LogEntry& e : entries_) {
      range.append(e.leaf);
      if (const auto it = roots.find(range.size()); it != roots.end()) it->second = range.root();
    }
    const bool leaf_problems = !report_.problems.empty();
    for (const auto& [claim, cp] : parsed) {
      if (cp.size > entries_.size()) {
        problem("truncated", "", cp.size,
                claim.where + " covers " + std::to_string(cp.size) + " receipts; the log holds " +
                    std::to_string(entries_.size()));
      } else if (roots[cp.size] != cp.root && !leaf_problems) {
        problem("forked", "", cp.size,
                claim.where + " (size " + std::to_string(cp.size) +
                    ") has a root the log's first leaves do not give");
      }
    }
    for (uint64_t s = kKeepEvery; s <= state_.range.size(); s += kKeepEvery) {
      if (kept.count(s) == 0)
        problem("deleted", "", s, "the kept checkpoint of size " + std::to_string(s) + " is gone");
    }
  }

  const Host& host_;
  LogPaths paths_;
  const VerifyLogOptions& options_;
  std::vector<PublicKey> keys_;
  LogState state_;
  std::vector<LogEntry> entries_;
  std::set<std::string> pruned_;
  std::map<std::string, ReceiptFile> files_;
  LogReport report_;
};

}  // namespace

LogReport verify_log(const Host& host, const std::string& receipts_dir,
                     const VerifyLogOptions& options) {
  // A consistent snapshot when the folder is writable; a read-only copy is read as it is.
  Result<FileLock> lock = host.fs->lock(LogPaths(receipts_dir).lock, 0644);
  return Checker(host, receipts_dir, options).run();
}

std::string render_problem(const LogProblem& p) {
  std::string out = p.kind;
  if (!p.receipt_id.empty()) out += ": receipt " + p.receipt_id;
  if (p.index)
    out += (p.receipt_id.empty() ? " at log size " : " at index ") + std::to_string(*p.index);
  return out + ": " + p.detail;
}

}  // namespace vectimus::audit
