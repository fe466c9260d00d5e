// The audit log file: where records go (UTC day, size cap), the modes of what it creates, and
// the gap note a record carries when earlier ones could not be written.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <string>

#include "audit/log.hpp"
#include "tests/support/temp_tree.hpp"
#include "tests/support/test_host.hpp"

using namespace vectimus;
using vectimus::testing::TempTree;
using vectimus::testing::TestHost;

namespace {

constexpr int64_t kDay = 86'400'000'000'000;
constexpr int64_t kDec5 = 1'796'428'800'000'000'000;  // 2026-12-05T00:00:00Z

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::string read_text(const std::string& path) {
  const FileRead r = real_file_system().read(path, 1u << 20);
  REQUIRE(r.status == FileRead::Status::ok);
  return r.text;
}

}  // namespace

TEST_CASE("records go to the UTC day's file, one line each, in a private folder", "[log]") {
  TempTree tree;
  TestHost host(tree.mkdir("work"), tree.mkdir("home"));
  audit::LogSettings settings;
  settings.dir = tree.path("logs/deep");
  const audit::AuditLog log(host.host, settings, tree.path("home"));
  REQUIRE(log.append("{\"n\":1}", kDec5 + 5).ok());
  REQUIRE(log.append("{\"n\":2}", kDec5 + kDay - 1).ok());
  REQUIRE(log.append("{\"n\":3}", kDec5 + kDay).ok());
  const std::string day1 = tree.path("logs/deep/audit-2026-12-05.jsonl");
  CHECK(read_text(day1) == "{\"n\":1}\n{\"n\":2}\n");
  CHECK(read_text(tree.path("logs/deep/audit-2026-12-06.jsonl")) == "{\"n\":3}\n");
  CHECK(mode_of(tree.path("logs/deep")) == 0700);
  CHECK(mode_of(day1) == 0600);
}

TEST_CASE("past the size cap a day continues in -1, -2", "[log]") {
  TempTree tree;
  TestHost host(tree.mkdir("work"), tree.mkdir("home"));
  audit::LogSettings settings;
  settings.dir = tree.path("logs");
  settings.max_file_bytes = 20;
  const audit::AuditLog log(host.host, settings, "");
  const std::string record(15, 'x');  // 16 bytes with its newline
  for (int i = 0; i < 5; ++i) REQUIRE(log.append(record, kDec5).ok());
  CHECK(read_text(tree.path("logs/audit-2026-12-05.jsonl")).size() == 32);
  CHECK(read_text(tree.path("logs/audit-2026-12-05-1.jsonl")).size() == 32);
  CHECK(read_text(tree.path("logs/audit-2026-12-05-2.jsonl")).size() == 16);
}

TEST_CASE("a missed record is noted, claimed once, and merged with others", "[log]") {
  TempTree tree;
  TestHost host(tree.mkdir("work"), tree.mkdir("home"));
  audit::LogSettings settings;
  settings.dir = tree.path("logs");
  const audit::AuditLog log(host.host, settings, tree.path("home"));
  CHECK_FALSE(log.claim_gap().has_value());
  log.note_missed({1, "2026-12-05T01:00:00+00:00", "2026-12-05T01:00:00+00:00", "disk full"});
  log.note_missed({2, "2026-12-05T02:00:00+00:00", "2026-12-05T03:00:00+00:00", "read-only"});
  CHECK(real_file_system().exists(tree.path("home/.vectimus/audit-gaps")));
  const auto gap = log.claim_gap();
  REQUIRE(gap.has_value());
  CHECK(gap->missed == 3);
  CHECK(gap->first_at == "2026-12-05T01:00:00+00:00");
  CHECK(gap->last_at == "2026-12-05T03:00:00+00:00");
  CHECK(gap->why == "read-only");
  CHECK_FALSE(log.claim_gap().has_value());  // claimed once
}

TEST_CASE("a log folder that cannot be made gives the reason", "[log]") {
  TempTree tree;
  TestHost host(tree.mkdir("work"), tree.mkdir("home"));
  tree.write("blocker", "a file where the folder should be");
  audit::LogSettings settings;
  settings.dir = tree.path("blocker/logs");
  const audit::AuditLog log(host.host, settings, "");
  const IoStatus status = log.append("{}", kDec5);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error.find(tree.path("blocker/logs")) != std::string::npos);
}
