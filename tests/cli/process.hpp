// Runs a real process for end-to-end tests: argv, optional stdin, captured stdout, stderr and
// exit status. Used to test the built `vectimus` binary exactly as agents and people run it.
#pragma once

#include <string>
#include <vector>

namespace vectimus::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when the process did not exit normally
  std::string out;
  std::string err;
};

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input = {});

}  // namespace vectimus::testing
