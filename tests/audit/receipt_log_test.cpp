// The project log: list, kept checkpoints, proofs checked offline, the auditor's bundle, and
// every point an append can be cut short at, finished or rolled back by the next append.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "audit/keys.hpp"
#include "audit/receipt_log.hpp"
#include "audit/tools.hpp"
#include "audit/verify_log.hpp"
#include "tests/audit/audit_fixture.hpp"

using namespace vectimus;
using namespace vectimus::audit;
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void spill(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::string all(const LogReport& r) {
  std::string out;
  for (const LogProblem& p : r.problems) out += render_problem(p) + "\n";
  return out;
}

}  // namespace

TEST_CASE("Log: list, and a kept checkpoint every 100 appends", "[audit][log]") {
  testing::AuditProject p;
  for (int i = 0; i < 101; ++i) REQUIRE(p.issue("c" + std::to_string(i), false).ok());
  const LogPaths paths(p.receipts());
  const auto listed = *list_receipts(p.th.host, paths);
  REQUIRE(listed.size() == 101);
  CHECK(listed[100].index == 100);
  CHECK(listed[100].present);
  CHECK(fs::exists(paths.kept_checkpoint(100)));
  CHECK_FALSE(fs::exists(paths.kept_checkpoint(200)));
  LogReport r = verify_log(p.th.host, p.receipts(), {p.home(), {}});
  INFO(all(r));
  CHECK(r.ok());
  CHECK(r.checkpoints_checked == 2);  // the head and the kept one
  fs::remove(paths.kept_checkpoint(100));
  r = verify_log(p.th.host, p.receipts(), {p.home(), {}});
  CHECK(r.problems.size() == 1);
  CHECK(r.problems[0].kind == "deleted");
}

TEST_CASE("Log: a tlog-proof with the receipt and the key is enough offline", "[audit][log]") {
  testing::AuditProject p;
  std::vector<Issued> issued;
  for (int i = 0; i < 7; ++i) issued.push_back(*p.issue("c" + std::to_string(i)));
  const LogPaths paths(p.receipts());
  const Result<SigningKey> key = load_or_create_signing_key(p.th.host, p.home());
  const std::vector<PublicKey> keys{{key->key.public_key, key->id, ""}};
  for (const Issued& i : issued) {
    const Result<std::string> proof = prove_receipt(p.th.host, paths, i.receipt_id);
    REQUIRE(proof.ok());
    CHECK(proof->rfind("c2sp.org/tlog-proof@v1\nindex " + std::to_string(i.log_index) + "\n", 0) ==
          0);
    const Result<uint64_t> size = check_proof(slurp(i.path), *proof, keys);
    INFO((size.ok() ? std::string() : size.errors()[0].message));
    CHECK(size.ok());
    // Another receipt with this proof does not pass.
    CHECK_FALSE(check_proof(slurp(issued[(i.log_index + 1) % 7].path), *proof, keys).ok());
  }
  CHECK_FALSE(prove_receipt(p.th.host, paths, "vtms-nope").ok());
}

TEST_CASE("Log: an auditor's bundle verifies on its own", "[audit][log]") {
  testing::AuditProject p;
  for (int i = 0; i < 4; ++i) REQUIRE(p.issue("c" + std::to_string(i)).ok());
  const std::string out = p.tree.path("bundle");
  REQUIRE(*write_bundle(p.th.host, p.project(), out) == 4);
  CHECK(fs::exists(out + "/README.md"));
  CHECK(fs::exists(out + "/checkpoint"));
  CHECK(std::distance(fs::directory_iterator(out + "/proofs"), fs::directory_iterator()) == 4);
  // Without the user's home: the bundle's own keys.
  const LogReport r = verify_log(p.th.host, out + "/receipts", {"", {}});
  INFO(all(r));
  CHECK(r.ok());
  CHECK(r.receipts_checked == 4);
}

// Rebuilds what a process killed during the append of `last` (index n) left behind.
struct Interrupted {
  testing::AuditProject p;
  Issued last;
  std::string entries_before;
  explicit Interrupted(int point) {
    for (int i = 0; i < 3; ++i) REQUIRE(p.issue("c" + std::to_string(i)).ok());
    const std::string state_path = p.receipts() + "/log/state";
    const std::string state_before = slurp(state_path);
    entries_before = slurp(p.receipts() + "/log/entries");
    last = *p.issue("interrupted");
    const std::string entries_after = slurp(p.receipts() + "/log/entries");
    LogState s = *parse_state(state_before);
    bool torn = false;
    s.pending = PendingAppend{parse_entries(entries_after, torn)->back(), 3};
    spill(state_path, format_state(s));
    if (point <= 1) fs::remove(last.path);  // before the receipt file
    if (point <= 2) spill(p.receipts() + "/log/entries", entries_before);  // before the record
    if (point == 5) {  // a partial receipt file: killed inside its one write
      spill(last.path, slurp(last.path).substr(0, 100));
      spill(p.receipts() + "/log/entries", entries_before);
    }
    if (point == 3)
      spill(p.receipts() + "/log/entries",
            entries_before + entries_after.substr(entries_before.size(), 50));  // torn record
  }
  LogReport verify() const { return verify_log(p.th.host, p.receipts(), {p.home(), {}}); }
};

TEST_CASE("Log: every interrupted append is named once and repaired by the next", "[audit][log]") {
  for (int point : {1, 2, 3, 4, 5}) {
    INFO("cut at point " << point);
    Interrupted t(point);
    LogReport r = t.verify();
    INFO(all(r));
    CHECK(r.ok());
    REQUIRE(r.interrupted.has_value());
    CHECK(r.interrupted->receipt_id == t.last.receipt_id);
    CHECK(r.interrupted->index == 3);
    const Issued next = *t.p.issue("next");
    r = t.verify();
    INFO(all(r));
    CHECK(r.ok());
    CHECK_FALSE(r.interrupted.has_value());
    // Rolled forward when the receipt file or its record made it; rolled back otherwise.
    const bool forward = point >= 2 && point != 5;
    CHECK(next.log_index == (forward ? 4u : 3u));
    CHECK(r.size == (forward ? 5u : 4u));
    CHECK(fs::exists(t.last.path) == forward);
  }
}

TEST_CASE("Log: a state write cut short leaves the previous head whole", "[audit][log]") {
  testing::AuditProject p;
  std::vector<Issued> issued;
  for (int i = 0; i < 3; ++i) issued.push_back(*p.issue("c" + std::to_string(i)));
  const std::string state_path = p.receipts() + "/log/state";
  const std::string file = slurp(state_path);
  const LogState newest = *parse_state(file);
  REQUIRE(newest.range.size() == 3);
  REQUIRE_FALSE(newest.pending.has_value());
  // The newest slot loses its tail, as when the process is killed inside that write: the
  // other slot holds the state written just before, the last append still pending.
  const std::size_t slot = newest.seq % 2 == 0 ? 0 : 16 * 1024;
  std::string torn = file;
  torn.replace(slot + 200, 40, std::string(40, '\0'));
  spill(state_path, torn);
  const LogState before = *parse_state(torn);
  CHECK(before.seq == newest.seq - 1);
  REQUIRE(before.pending.has_value());
  CHECK(before.pending->entry.receipt_id == issued[2].receipt_id);
  LogReport r = verify_log(p.th.host, p.receipts(), {p.home(), {}});
  INFO(all(r));
  CHECK(r.ok());
  REQUIRE(r.interrupted.has_value());
  CHECK(r.interrupted->receipt_id == issued[2].receipt_id);
  const Issued next = *p.issue("next");
  CHECK(next.log_index == 3);  // the interrupted append was finished first
  r = verify_log(p.th.host, p.receipts(), {p.home(), {}});
  CHECK(r.ok());
  CHECK(r.size == 4);
  CHECK_FALSE(r.interrupted.has_value());
  // Both slots damaged: a clear error, never an empty log.
  std::string both = slurp(state_path);
  both.replace(200, 40, std::string(40, '\0'));
  both.replace(16 * 1024 + 200, 40, std::string(40, '\0'));
  const Result<LogState> damaged = parse_state(both);
  REQUIRE_FALSE(damaged);
  CHECK(render(damaged.errors()).find("neither of its two slots") != std::string::npos);
}

TEST_CASE("Log: a first state write cut short starts the log afresh", "[audit][log]") {
  testing::AuditProject p;
  // The first write goes to slot 1 (seq 1): the file is a hole, then part of that slot.
  fs::create_directories(p.receipts() + "/log");
  spill(p.receipts() + "/log/state", std::string(16 * 1024, '\0') + "vectimus-log-slot 1 400 ab");
  const Result<Issued> first = p.issue("first");
  REQUIRE(first.ok());
  CHECK(first->log_index == 0);
  const LogReport r = verify_log(p.th.host, p.receipts(), {p.home(), {}});
  INFO(all(r));
  CHECK(r.ok());
  CHECK(r.size == 1);
  // With entries committed, a damaged state is never taken for a new log.
  // (Bytes 30..70 of each slot: inside its header line, which every written slot has.)
  std::string state = slurp(p.receipts() + "/log/state");
  state.resize(std::max<std::size_t>(state.size(), 16 * 1024 + 70), '\0');
  state.replace(16 * 1024 + 30, 40, std::string(40, '\0'));
  state.replace(30, 40, std::string(40, '\0'));
  spill(p.receipts() + "/log/state", state);
  CHECK_FALSE(p.issue("second").ok());
}

TEST_CASE("Log: prune --days removes older days only; the log still verifies", "[audit][log]") {
  testing::AuditProject p;
  std::vector<Issued> issued;
  for (int day = 0; day < 3; ++day) {
    ReceiptFacts f = testing::AuditProject::facts("day " + std::to_string(day));
    f.timestamp_ns += int64_t{day} * 86'400'000'000'000;
    issued.push_back(*issue_receipt(p.th.host, p.home(), p.project(), f));
  }
  CHECK(issued[2].path.find("/2026-01-03/") != std::string::npos);
  REQUIRE(*prune_receipts(p.th.host, LogPaths(p.receipts()), "2026-01-02") == 1);
  CHECK_FALSE(fs::exists(issued[0].path));
  CHECK(fs::exists(issued[1].path));
  const LogReport r = verify_log(p.th.host, p.receipts(), {p.home(), {}});
  INFO(all(r));
  CHECK(r.ok());
  CHECK(r.pruned == 1);
  CHECK_FALSE((*list_receipts(p.th.host, LogPaths(p.receipts())))[0].present);
}
