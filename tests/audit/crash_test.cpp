// Concurrency and crashes: forked processes appending into one project at once, and appenders
// killed with SIGKILL at random points (after a random number of their own appends, so the
// kill lands anywhere inside an append; no wall-clock sleeps).
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "audit/receipt_log.hpp"
#include "audit/tools.hpp"
#include "audit/verify_log.hpp"
#include "tests/audit/audit_fixture.hpp"

using namespace vectimus;
using namespace vectimus::audit;

namespace {

std::string all(const LogReport& r) {
  std::string out;
  for (const LogProblem& p : r.problems) out += render_problem(p) + "\n";
  return out;
}

// A child that appends `count` receipts (or forever when count < 0), writing one byte to `fd`
// after each, then exits.
pid_t spawn_appender(const testing::AuditProject& p, int count, int fd) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  for (int i = 0; count < 0 || i < count; ++i) {
    if (!p.issue("child " + std::to_string(::getpid()) + " " + std::to_string(i), false).ok())
      ::_exit(3);
    if (fd >= 0 && ::write(fd, "x", 1) != 1) ::_exit(4);
  }
  ::_exit(0);
}

}  // namespace

TEST_CASE("Crash: 4 processes x 100 appends at once give a log that verifies", "[audit][crash]") {
  testing::AuditProject p;
  REQUIRE(p.issue("first").ok());  // the key and the log exist before the race
  std::vector<pid_t> kids;
  for (int k = 0; k < 4; ++k) kids.push_back(spawn_appender(p, 100, -1));
  for (pid_t pid : kids) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  const LogReport r = verify_log(p.th.host, p.receipts(), {p.home(), {}});
  INFO(all(r));
  CHECK(r.ok());
  CHECK(r.size == 401);
  CHECK(r.receipts_checked == 401);
  CHECK_FALSE(r.interrupted.has_value());
}

TEST_CASE("Crash: 4 processes racing to make the first key and the log make one of each",
          "[audit][crash]") {
  testing::AuditProject p;
  std::vector<pid_t> kids;
  for (int k = 0; k < 4; ++k) kids.push_back(spawn_appender(p, 5, -1));
  for (pid_t pid : kids) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WEXITSTATUS(status) == 0);
  }
  int keys = 0;
  for (const auto& e : std::filesystem::directory_iterator(p.home() + "/.vectimus/keys")) {
    keys += e.path().extension() == ".key" ? 1 : 0;
  }
  CHECK(keys == 1);
  const LogReport r = verify_log(p.th.host, p.receipts(), {p.home(), {}});
  INFO(all(r));
  CHECK(r.ok());
  CHECK(r.size == 20);
}

TEST_CASE("Crash: 50 SIGKILLs at random points; verify names at most one interrupted append",
          "[audit][crash]") {
  testing::AuditProject p;
  REQUIRE(p.issue("first").ok());
  std::mt19937 rng(11);
  int interrupted = 0;
  for (int round = 0; round < 50; ++round) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = spawn_appender(p, -1, fds[1]);
    ::close(fds[1]);
    // Let it finish a random number of appends (0..3), then kill it wherever it is.
    const int wait_for = std::uniform_int_distribution<int>(0, 3)(rng);
    char c = 0;
    for (int i = 0; i < wait_for; ++i) REQUIRE(::read(fds[0], &c, 1) == 1);
    // ... plus a random count of spins (not a clock), so the kill lands anywhere in the next one.
    const long spins = std::uniform_int_distribution<long>(0, 60'000'000)(rng);
    for (long s = 0; s < spins; ++s) __asm__ __volatile__("" ::: "memory");
    ::kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    ::close(fds[0]);
    const LogReport r = verify_log(p.th.host, p.receipts(), {p.home(), {}});
    INFO("round " << round << "\n" << all(r));
    REQUIRE(r.ok());
    if (r.interrupted) ++interrupted;
    // The next append repairs whatever the kill left.
    REQUIRE(p.issue("after kill").ok());
    const LogReport after = verify_log(p.th.host, p.receipts(), {p.home(), {}});
    INFO(all(after));
    REQUIRE(after.ok());
    REQUIRE_FALSE(after.interrupted.has_value());
  }
  WARN(interrupted << " of 50 kills landed inside an append");
  CHECK(interrupted > 0);  // else the test did not test the repair
}
