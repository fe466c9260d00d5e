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

// Where and with what environment the child runs.
struct ProcessOptions {
  std::vector<std::string> env;  // `NAME=value` entries: the child's whole environment
  std::string cwd;               // empty: the parent's working folder
};
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input,
                          const ProcessOptions& options);

// `text` without the ` (receipt vtms-…)` a hook adds to every reason that is not an allow: the
// ids are random, so tests that compare whole answers compare them without.
std::string without_receipt_ids(std::string text);

}  // namespace vectimus::testing
