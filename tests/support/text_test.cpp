// The text helpers the parsers and the typo suggestions share.
#include "support/text.hpp"

#include <catch2/catch.hpp>

TEST_CASE("append_utf8 encodes each length, and what is beyond Unicode as U+FFFD") {
  std::string out;
  vectimus::append_utf8(out, 0x41);
  vectimus::append_utf8(out, 0xE9);
  vectimus::append_utf8(out, 0x20AC);
  vectimus::append_utf8(out, 0x1F600);
  CHECK(out == "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  out.clear();
  vectimus::append_utf8(out, 0x110000);
  CHECK(out == "\xEF\xBF\xBD");
}

TEST_CASE("edit_distance counts insertions, deletions and substitutions") {
  CHECK(vectimus::edit_distance("", "") == 0);
  CHECK(vectimus::edit_distance("kitten", "sitting") == 3);
  CHECK(vectimus::edit_distance("vectimus-git-001", "vectimus-git-01") == 1);
  CHECK(vectimus::edit_distance("abc", "") == 3);
}

TEST_CASE("in_words finds a whole word of a space-separated list") {
  CHECK(vectimus::in_words("user group chdir", "user"));
  CHECK(vectimus::in_words("user group chdir", "group"));
  CHECK(vectimus::in_words("user group chdir", "chdir"));
  CHECK_FALSE(vectimus::in_words("user group chdir", "use"));
  CHECK_FALSE(vectimus::in_words("user group chdir", "user group"));
  CHECK_FALSE(vectimus::in_words("", ""));
  CHECK_FALSE(vectimus::in_words("user", ""));
}
