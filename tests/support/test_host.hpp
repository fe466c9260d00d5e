// A Host over real files in a TempTree, with a map of environment variables and fake identity
// look-ups and a clock that stands still, so no engine test reads the developer's real ~/.vectimus
// or runs git.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "support/host.hpp"
#include "tests/support/temp_tree.hpp"

namespace vectimus::testing {

// A Host over real files, with `env` for variables, cwd `cwd`, git answering `git_email`.
struct TestHost {
  MapEnvironment env;
  Host host;
  int git_calls = 0;
  std::optional<std::string> git_answer;
  int64_t clock_ns = 1'767'225'600'000'000'000;  // 2026-01-01T00:00:00Z

  explicit TestHost(std::string cwd, std::string home) {
    env.set("HOME", std::move(home));
    host.fs = &real_file_system();
    host.env = &env;
    host.cwd = std::move(cwd);
    host.git_email = [this](const std::string&) {
      ++git_calls;
      return git_answer;
    };
    host.os_user = [] { return std::string("os-user"); };
    host.now_ns = [this] { return clock_ns; };
  }
  TestHost(const TestHost&) = delete;
};

}  // namespace vectimus::testing
