#include "cli/table.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using vectimus::cli::Cell;
using vectimus::cli::Colour;
using vectimus::cli::Table;

TEST_CASE("a table aligns columns on display width and leaves no trailing spaces", "[table]") {
  Table table({"ID", "STATE", "NOTE"});
  table.add({"vectimus-destruct-001", Cell("on", Colour::green), "é"});
  table.add({"x", Cell("temp (24m)", Colour::yellow)});
  CHECK(table.render(false) ==
        "ID                     STATE       NOTE\n"
        "vectimus-destruct-001  on          é\n"
        "x                      temp (24m)\n");
}

TEST_CASE("colour wraps cells in escape codes only when asked", "[table]") {
  Table table({"A"});
  table.add({Cell("deny", Colour::red)});
  const std::string coloured = table.render(true);
  CHECK(coloured == "\x1b[1mA\x1b[0m\n\x1b[31mdeny\x1b[0m\n");
  CHECK(table.render(false) == "A\ndeny\n");
}

TEST_CASE("NO_COLOR turns colour off", "[table]") {
  ::setenv("NO_COLOR", "1", 1);
  CHECK_FALSE(vectimus::cli::use_colour());
  ::unsetenv("NO_COLOR");
}
