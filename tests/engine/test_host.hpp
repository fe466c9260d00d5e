// A Host over real files in a TempTree, with a map of environment variables and fake identity
// look-ups, so no engine test reads the developer's real ~/.vectimus or runs git.
#pragma once

#include <optional>
#include <string>

#include "engine/host.hpp"
#include "tests/engine/temp_tree.hpp"

namespace vectimus::testing {

// A Host over real files, with `env` for variables, cwd `cwd`, git answering `git_email`.
struct TestHost {
  engine::MapEnvironment env;
  engine::Host host;
  int git_calls = 0;
  std::optional<std::string> git_answer;

  explicit TestHost(std::string cwd, std::string home) {
    env.set("HOME", std::move(home));
    host.fs = &engine::real_file_system();
    host.env = &env;
    host.cwd = std::move(cwd);
    host.git_email = [this](const std::string&) {
      ++git_calls;
      return git_answer;
    };
    host.os_user = [] { return std::string("os-user"); };
  }
  TestHost(const TestHost&) = delete;
};

}  // namespace vectimus::testing
