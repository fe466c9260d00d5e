// Runs tests/shell/shell_cases.txt: each line is a command and the dump its analysis must give.
// Keeping the table as data makes each expectation one readable line, and a failure names it.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "normalise/shell/analysis.hpp"

namespace {

struct Case {
  int line = 0;
  std::string input;
  std::string expected;
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size())
    s.replace(p, from.size(), to);
  return s;
}

std::vector<Case> load_cases() {
  std::ifstream in(VECTIMUS_SHELL_CASES);
  std::vector<Case> cases;
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    if (text.empty() || text[0] == '#') continue;
    std::size_t sep = text.find("  =>  ");
    if (sep == std::string::npos) {
      cases.push_back(Case{line, text, "<missing `  =>  ` separator>"});
      continue;
    }
    cases.push_back(Case{line, replace_all(text.substr(0, sep), "⏎", "\n"), text.substr(sep + 6)});
  }
  return cases;
}

}  // namespace

TEST_CASE("shell: the command table gives the expected simple commands", "[shell][table]") {
  const std::vector<Case> cases = load_cases();
  REQUIRE(cases.size() >= 300);
  for (const Case& c : cases) {
    INFO("shell_cases.txt:" << c.line << ": " << c.input);
    CHECK(vectimus::shell::dump(vectimus::shell::analyse(c.input)) == c.expected);
  }
}
