// Runs tests/shell/shell_cases.txt: each line is a command and the dump its analysis must give.
// Keeping the table as data makes each expectation one readable line, and a failure names it.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "normalise/shell/analysis.hpp"
#include "tests/shell/shell_cases.hpp"

namespace {

using Case = vectimus::testing::ShellCase;

}  // namespace

TEST_CASE("shell: the command table gives the expected simple commands", "[shell][table]") {
  const std::vector<Case> cases = vectimus::testing::load_shell_cases();
  REQUIRE(cases.size() >= 300);
  for (const Case& c : cases) {
    INFO("shell_cases.txt:" << c.line << ": " << c.input);
    CHECK(vectimus::shell::dump(vectimus::shell::analyse(c.input)) == c.expected);
  }
}
