#include <catch2/catch.hpp>

#include "normalise/path.hpp"

using vectimus::normalise::is_absolute_path;
using vectimus::normalise::normalise_path;

TEST_CASE("paths are normalised lexically", "[normalise][path]") {
  struct Case {
    const char* path;
    const char* cwd;
    const char* expected;
  };
  const Case cases[] = {
      {"/etc/passwd", "", "/etc/passwd"},
      {"/etc/./passwd", "", "/etc/passwd"},
      {"/tmp/../etc//passwd", "", "/etc/passwd"},
      {"//etc///passwd/", "", "/etc/passwd"},
      {"/..", "", "/"},
      {"/../../etc", "", "/etc"},
      {"/", "", "/"},
      {"/a/b/..", "", "/a"},
      {"passwd", "/etc", "/etc/passwd"},
      {"../.ssh/id_rsa", "/home/dev/shop", "/home/dev/.ssh/id_rsa"},
      {"./src/../.env", "/home/dev/shop/", "/home/dev/shop/.env"},
      {"/abs/path", "/ignored", "/abs/path"},
      {"a/./b", "", "a/b"},
      {"a/../..", "", ".."},
      {"./a/../../b", "", "../b"},
      {".", "", "."},
      {"a/..", "", "."},
      {"~/.aws/credentials", "", "~/.aws/credentials"},
      {"~/.aws/credentials", "/home/dev", "~/.aws/credentials"},
      {"~/a/../../b", "", "~/b"},
      {"~root//.ssh/./x", "/w", "~root/.ssh/x"},
      {"~", "/w", "~"},
      {"~/", "/w", "~"},
      {"", "/home/dev", ""},
      {"src/app.py", "relative/cwd", "src/app.py"},
      {"C:\\Users\\dev\\..\\admin\\.ssh\\id_rsa", "", "C:/Users/admin/.ssh/id_rsa"},
      {"c:/Users/dev/./a.txt", "", "C:/Users/dev/a.txt"},
      {"src\\app.ts", "C:\\work\\shop", "C:/work/shop/src/app.ts"},
      {"C:\\..\\Windows", "", "C:/Windows"},
      {"\\\\server\\share\\x\\..\\y", "", "//server/share/y"},
      {"a\\b", "", "a\\b"},  // a POSIX file name may contain a backslash
  };
  for (const Case& c : cases) {
    INFO(c.path << " under " << c.cwd);
    CHECK(normalise_path(c.path, c.cwd) == c.expected);
  }
}

TEST_CASE("absolute paths", "[normalise][path]") {
  CHECK(is_absolute_path("/x"));
  CHECK(is_absolute_path("C:\\x"));
  CHECK(is_absolute_path("d:/x"));
  CHECK(is_absolute_path("\\\\server\\share"));
  CHECK_FALSE(is_absolute_path("x/y"));
  CHECK_FALSE(is_absolute_path("C:x"));
  CHECK_FALSE(is_absolute_path("~/x"));
  CHECK_FALSE(is_absolute_path(""));
}
