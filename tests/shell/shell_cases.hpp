// The shell analysis table (tests/shell/shell_cases.txt), read by the table test and by the
// bash agreement test: one command per line, `input  =>  expected dump`, `⏎` for a newline.
#pragma once

#include <fstream>
#include <string>
#include <vector>

namespace vectimus::testing {

struct ShellCase {
  int line = 0;
  std::string input;
  std::string expected;  // "<missing `  =>  ` separator>" when the line has none
};

inline std::vector<ShellCase> load_shell_cases() {
  std::ifstream in(VECTIMUS_SHELL_CASES);
  std::vector<ShellCase> cases;
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    if (text.empty() || text[0] == '#') continue;
    const std::size_t sep = text.find("  =>  ");
    if (sep == std::string::npos) {
      cases.push_back(ShellCase{line, text, "<missing `  =>  ` separator>"});
      continue;
    }
    std::string input = text.substr(0, sep);
    for (std::size_t p = 0; (p = input.find("⏎", p)) != std::string::npos; ++p) {
      input.replace(p, std::string("⏎").size(), "\n");
    }
    cases.push_back(ShellCase{line, std::move(input), text.substr(sep + 6)});
  }
  return cases;
}

}  // namespace vectimus::testing
