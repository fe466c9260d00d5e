// AuditWriter (audit/writer.hpp): records from many threads and from hooks' AuditLog in one file
// never interleave or vanish; a new UTC day, a full file and a file renamed away by logrotate each
// lead to the right file.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "audit/writer.hpp"
#include "tests/support/temp_tree.hpp"
#include "tests/support/test_host.hpp"

using namespace vectimus;
using namespace vectimus::audit;

namespace {

constexpr int64_t kDay1 = 1'767'225'600'000'000'000;  // 2026-01-01T00:00:00Z
constexpr int64_t kDay2 = kDay1 + 86'400'000'000'000;

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("the audit writer's records and hooks' records never interleave", "[audit][writer]") {
  testing::TempTree tree;
  testing::TestHost th{tree.mkdir("cwd"), tree.mkdir("home")};
  const LogSettings settings{tree.path("logs"), 100ull << 20, false};
  AuditWriter writer(th.host, settings, tree.path("home"));
  const AuditLog hook_log(th.host, settings, tree.path("home"));
  constexpr int kThreads = 4;
  constexpr int kEach = 250;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string pad(200 + t * 50, 'x');
      for (int i = 0; i < kEach; ++i) {
        REQUIRE(writer
                    .append("{\"t\":" + std::to_string(t) + ",\"i\":" + std::to_string(i) +
                                ",\"pad\":\"" + pad + "\"}",
                            kDay1)
                    .ok());
      }
    });
  }
  for (int i = 0; i < 50; ++i)
    REQUIRE(hook_log.append("{\"hook\":" + std::to_string(i) + "}", kDay1).ok());
  for (std::thread& t : threads) t.join();
  const std::vector<std::string> lines = lines_of(tree.path("logs/audit-2026-01-01.jsonl"));
  REQUIRE(lines.size() == kThreads * kEach + 50);
  std::set<std::string> seen;
  for (const std::string& line : lines) {
    INFO(line.substr(0, 80));
    REQUIRE(line.front() == '{');
    REQUIRE(line.back() == '}');
    seen.insert(line.substr(0, line.find(",\"pad\"")));
  }
  CHECK(seen.size() == lines.size());
  struct stat st {};
  REQUIRE(::stat(tree.path("logs/audit-2026-01-01.jsonl").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("the audit writer follows the day, the size limit and logrotate", "[audit][writer]") {
  testing::TempTree tree;
  testing::TestHost th{tree.mkdir("cwd"), tree.mkdir("home")};
  AuditWriter writer(th.host, {tree.path("logs"), 64, false}, tree.path("home"));
  const std::string record = "{\"record\":\"" + std::string(40, 'r') + "\"}";  // 53 bytes
  REQUIRE(writer.append(record, kDay1).ok());
  REQUIRE(writer.append(record, kDay1).ok());  // 54 bytes are below the limit: the same file
  REQUIRE(writer.append(record, kDay1).ok());  // 108 are past it: the next file
  CHECK(lines_of(tree.path("logs/audit-2026-01-01.jsonl")).size() == 2);
  CHECK(lines_of(tree.path("logs/audit-2026-01-01-1.jsonl")).size() == 1);
  REQUIRE(writer.append(record, kDay2).ok());
  CHECK(lines_of(tree.path("logs/audit-2026-01-02.jsonl")).size() == 1);
  // logrotate renames the file; a record within a tenth of a second still goes into the renamed
  // file (kept, so nothing is lost), and the next one after it to a new file under the name.
  std::filesystem::rename(tree.path("logs/audit-2026-01-02.jsonl"),
                          tree.path("logs/audit-2026-01-02.jsonl.1"));
  REQUIRE(writer.append("{\"soon\":1}", kDay2 + 1'000'000).ok());
  REQUIRE(writer.append("{}", kDay2 + 200'000'000).ok());
  CHECK(lines_of(tree.path("logs/audit-2026-01-02.jsonl")) == std::vector<std::string>{"{}"});
  CHECK(lines_of(tree.path("logs/audit-2026-01-02.jsonl.1")).size() == 2);
  // A removed file is seen at once: the very next record makes a new one.
  std::filesystem::remove(tree.path("logs/audit-2026-01-02.jsonl"));
  REQUIRE(writer.append("{\"after\":1}", kDay2 + 201'000'000).ok());
  CHECK(lines_of(tree.path("logs/audit-2026-01-02.jsonl")) ==
        std::vector<std::string>{"{\"after\":1}"});
}

TEST_CASE("the audit writer says why it cannot write", "[audit][writer]") {
  testing::TempTree tree;
  testing::TestHost th{tree.mkdir("cwd"), tree.mkdir("home")};
  tree.write("logs", "a file where the folder should be");
  AuditWriter writer(th.host, {tree.path("logs"), 100ull << 20, false}, tree.path("home"));
  const IoStatus s = writer.append("{}", kDay1);
  CHECK_FALSE(s.ok());
  CHECK(s.error.find("logs") != std::string::npos);
}
