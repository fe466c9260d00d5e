// The real Host's writers: appends from many processes never interleave, a replace is whole or
// absent, folders and files get the modes asked for, and a lock excludes other processes.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "support/host.hpp"
#include "tests/support/temp_tree.hpp"

namespace vectimus {
namespace {

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::string read_whole(const std::string& path) {
  FileRead r = real_file_system().read(path, 64u << 20);
  REQUIRE(r.status == FileRead::Status::ok);
  return r.text;
}

TEST_CASE("append from concurrent processes keeps every record whole", "[host]") {
  testing::TempTree tree;
  const std::string log = tree.path("log.jsonl");
  constexpr int kProcesses = 6;
  constexpr int kRecords = 200;
  for (int p = 0; p < kProcesses; ++p) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      // Records of different lengths, each far larger than a pipe's atomic size would need.
      for (int i = 0; i < kRecords; ++i) {
        const std::string record = std::to_string(p) + ":" + std::to_string(i) + ":" +
                                   std::string(100 + 37 * p, 'x') + "\n";
        if (!real_file_system().append(log, record, 0600, false).ok()) ::_exit(1);
      }
      ::_exit(0);
    }
  }
  for (int p = 0; p < kProcesses; ++p) {
    int status = 0;
    REQUIRE(::wait(&status) > 0);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
  }
  const std::string text = read_whole(log);
  std::set<std::string> seen;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    REQUIRE(end != std::string::npos);
    const std::string line = text.substr(start, end - start);
    const std::size_t a = line.find(':');
    const std::size_t b = line.find(':', a + 1);
    const int p = std::stoi(line.substr(0, a));
    CHECK(line.substr(b + 1) == std::string(100 + 37 * p, 'x'));
    seen.insert(line.substr(0, b));
    start = end + 1;
  }
  CHECK(seen.size() == kProcesses * kRecords);
  CHECK(mode_of(log) == 0600);
}

TEST_CASE("replace writes the whole new content with the mode asked for", "[host]") {
  testing::TempTree tree;
  const std::string file = tree.write("config.toml", "old = 1\n");
  REQUIRE(real_file_system().replace(file, "new = 2\n", 0640).ok());
  CHECK(read_whole(file) == "new = 2\n");
  CHECK(mode_of(file) == 0640);
  // No temporary file is left beside it.
  CHECK(real_file_system().list(tree.root(), false) == std::vector<std::string>{"config.toml"});
}

TEST_CASE("replace into a folder that does not exist fails and names the path", "[host]") {
  testing::TempTree tree;
  const IoStatus status = real_file_system().replace(tree.path("missing/x"), "x", 0600);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error.find(tree.path("missing/x")) != std::string::npos);
  CHECK(status.error.find("No such file or directory") != std::string::npos);
}

TEST_CASE("make_directories creates parents with the mode; remove and set_mode", "[host]") {
  testing::TempTree tree;
  const std::string deep = tree.path("a/b/c");
  REQUIRE(real_file_system().make_directories(deep, 0700).ok());
  CHECK(real_file_system().is_directory(deep));
  CHECK(mode_of(tree.path("a")) == 0700);
  CHECK(mode_of(deep) == 0700);
  REQUIRE(real_file_system().make_directories(deep, 0700).ok());  // again: nothing to do
  const std::string file = tree.write("a/f", "x");
  REQUIRE(real_file_system().set_mode(file, 0604).ok());
  CHECK(mode_of(file) == 0604);
  REQUIRE(real_file_system().remove(file).ok());
  CHECK_FALSE(real_file_system().exists(file));
  CHECK(real_file_system().remove(file).ok());  // already gone
}

TEST_CASE("a lock excludes another process until it is released", "[host]") {
  testing::TempTree tree;
  const std::string lock_path = tree.path("log.lock");
  int to_child[2];
  int from_child[2];
  REQUIRE(::pipe(to_child) == 0);
  REQUIRE(::pipe(from_child) == 0);
  // Fork before locking: a child would inherit the parent's descriptor, and with it the lock.
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    char c = 0;
    if (::read(to_child[0], &c, 1) != 1) ::_exit(1);  // the parent holds the lock now
    auto mine = real_file_system().lock(lock_path, 0600);
    if (!mine) ::_exit(2);
    if (::write(from_child[1], "l", 1) != 1) ::_exit(3);
    ::_exit(0);
  }
  char c = 0;
  {
    auto held = real_file_system().lock(lock_path, 0600);
    REQUIRE(held);
    CHECK(held->held());
    REQUIRE(::write(to_child[1], "g", 1) == 1);
    // While the parent holds the lock the child cannot have taken it, so it cannot have said
    // 'l': read without blocking (nothing here waits on the clock).
    const int flags = ::fcntl(from_child[0], F_GETFL);
    ::fcntl(from_child[0], F_SETFL, flags | O_NONBLOCK);
    CHECK(::read(from_child[0], &c, 1) == -1);
    ::fcntl(from_child[0], F_SETFL, flags);
  }  // released here
  REQUIRE(::read(from_child[0], &c, 1) == 1);
  CHECK(c == 'l');
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

}  // namespace
}  // namespace vectimus
