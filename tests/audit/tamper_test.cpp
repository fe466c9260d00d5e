// One test per kind of tampering `verify --log` must name: edited, deleted, reordered, inserted,
// truncated, forked; each names the receipt id and index (or the checkpoint size) it found.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "audit/receipt_log.hpp"
#include "audit/tools.hpp"
#include "audit/verify_log.hpp"
#include "tests/audit/audit_fixture.hpp"

using namespace vectimus;
using namespace vectimus::audit;
namespace fs = std::filesystem;

namespace {

struct Issued5 {
  testing::AuditProject p;
  std::vector<Issued> issued;
  Issued5() {
    for (int i = 0; i < 5; ++i) issued.push_back(*p.issue("command " + std::to_string(i)));
  }
  LogReport verify(std::vector<std::string> checkpoints = {}) const {
    return verify_log(p.th.host, p.receipts(), {p.home(), std::move(checkpoints)});
  }
  std::string entries() const { return p.receipts() + "/log/entries"; }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void spill(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

bool names(const LogReport& r, const std::string& kind, const std::string& id,
           std::optional<uint64_t> index) {
  for (const LogProblem& p : r.problems) {
    if (p.kind == kind && p.receipt_id == id && p.index == index) return true;
  }
  return false;
}

std::string all(const LogReport& r) {
  std::string out;
  for (const LogProblem& p : r.problems) out += render_problem(p) + "\n";
  return out;
}

}  // namespace

TEST_CASE("Tamper: an untouched log verifies, also after pruning", "[audit][tamper]") {
  Issued5 t;
  LogReport r = t.verify();
  INFO(all(r));
  CHECK(r.ok());
  CHECK(r.size == 5);
  CHECK(r.receipts_checked == 5);
  CHECK_FALSE(r.interrupted.has_value());
  REQUIRE(*prune_receipts(t.p.th.host, LogPaths(t.p.receipts()), "") == 5);
  r = t.verify();
  INFO(all(r));
  CHECK(r.ok());
  CHECK(r.pruned == 5);
}

TEST_CASE("Tamper: edited receipt, and edited log record", "[audit][tamper]") {
  Issued5 t;
  std::string text = slurp(t.issued[2].path);
  text.replace(text.find("blocked"), 7, "allowed");
  spill(t.issued[2].path, text);
  LogReport r = t.verify();
  INFO(all(r));
  CHECK(names(r, "edited", t.issued[2].receipt_id, 2));
  CHECK(r.problems.size() == 1);

  Issued5 u;
  std::string entries = slurp(u.entries());
  entries[1 * kEntrySize] = entries[1 * kEntrySize] == 'a' ? 'b' : 'a';
  spill(u.entries(), entries);
  r = u.verify();
  INFO(all(r));
  CHECK(names(r, "edited", u.issued[1].receipt_id, 1));
}

TEST_CASE("Tamper: deleted receipt file", "[audit][tamper]") {
  Issued5 t;
  fs::remove(t.issued[3].path);
  const LogReport r = t.verify();
  INFO(all(r));
  CHECK(names(r, "deleted", t.issued[3].receipt_id, 3));
  CHECK(r.problems.size() == 1);
}

TEST_CASE("Tamper: reordered log records", "[audit][tamper]") {
  Issued5 t;
  std::string entries = slurp(t.entries());
  const std::string one = entries.substr(kEntrySize, kEntrySize);
  entries.replace(kEntrySize, kEntrySize, entries.substr(2 * kEntrySize, kEntrySize));
  entries.replace(2 * kEntrySize, kEntrySize, one);
  spill(t.entries(), entries);
  const LogReport r = t.verify();
  INFO(all(r));
  CHECK(names(r, "reordered", t.issued[2].receipt_id, 1));
  CHECK(names(r, "reordered", t.issued[1].receipt_id, 2));
}

TEST_CASE("Tamper: inserted receipt file, and inserted log record", "[audit][tamper]") {
  Issued5 t;
  // A genuine receipt, signed by the same key, from another project: not in this log.
  testing::AuditProject other;
  fs::copy(t.p.home(), other.home(),
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  const Issued foreign = *other.issue("echo hi");
  fs::copy_file(foreign.path, t.p.receipts() + "/2026-01-01/" + foreign.receipt_id + ".json");
  LogReport r = t.verify();
  INFO(all(r));
  CHECK(names(r, "inserted", foreign.receipt_id, 0));
  CHECK(r.problems.size() == 1);

  Issued5 u;
  std::string entries = slurp(u.entries());
  spill(u.entries(), entries + entries.substr(0, kEntrySize));
  r = u.verify();
  INFO(all(r));
  CHECK(names(r, "inserted", u.issued[0].receipt_id, 5));
}

TEST_CASE("Tamper: truncated log", "[audit][tamper]") {
  Issued5 t;
  spill(t.entries(), slurp(t.entries()).substr(0, 3 * kEntrySize));
  const LogReport r = t.verify();
  INFO(all(r));
  CHECK(names(r, "truncated", "", 3));
  CHECK(names(r, "truncated", t.issued[3].receipt_id, 3));
  CHECK(names(r, "truncated", t.issued[4].receipt_id, 4));
}

TEST_CASE("Tamper: forked log, against a checkpoint kept elsewhere", "[audit][tamper]") {
  Issued5 t;
  const std::string checkpoint = parse_state(slurp(t.p.receipts() + "/log/state"))->checkpoint;
  // Someone with the key restores an older copy (3 receipts) and writes a different history.
  testing::AuditProject fork;
  fs::copy(t.p.home(), fork.home(),
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  fs::copy(t.p.project(), fork.project(),
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  spill(fork.receipts() + "/log/entries",
        slurp(fork.receipts() + "/log/entries").substr(0, 3 * kEntrySize));
  {
    // Rewind the head to size 3: rebuild the state from the first three records.
    std::string state = slurp(fork.receipts() + "/log/state");
    LogState s = *parse_state(state);
    bool torn = false;
    const auto entries = *parse_entries(slurp(fork.receipts() + "/log/entries"), torn);
    s.range = CompactRange();
    for (const LogEntry& e : entries) s.range.append(e.leaf);
    s.checkpoint.clear();
    spill(fork.receipts() + "/log/state", format_state(s));
    fs::remove(t.issued[3].path.substr(0, 0) + fork.receipts() + "/2026-01-01/" +
               t.issued[3].receipt_id + ".json");
    fs::remove(fork.receipts() + "/2026-01-01/" + t.issued[4].receipt_id + ".json");
  }
  for (int i = 0; i < 3; ++i) REQUIRE(fork.issue("other " + std::to_string(i)).ok());
  LogReport r = verify_log(fork.th.host, fork.receipts(), {fork.home(), {}});
  INFO(all(r));
  CHECK(r.ok());  // on its own, the fork is a consistent log
  r = verify_log(fork.th.host, fork.receipts(), {fork.home(), {checkpoint}});
  INFO(all(r));
  CHECK(names(r, "forked", "", 5));
  CHECK(r.problems.size() == 1);
}
