// `like`: the fast matcher against a naive reference over Unicode scalar values.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "interpreter/like.hpp"

namespace {

using vectimus::interpreter::like_match;
using vectimus::ir::Pattern;
using vectimus::ir::PatternElem;

// Decodes valid UTF-8 into scalar values (the tests only build valid UTF-8).
std::u32string decode(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out += cp;
    i += static_cast<size_t>(n);
  }
  return out;
}

// The reference: Cedar's definition read literally, as dynamic programming over scalar
// values. kStar marks a wildcard; every other entry is a literal scalar value.
constexpr char32_t kStar = 0xFFFFFFFF;

bool reference_match(const std::u32string& text, const std::u32string& pat) {
  // ok[j] = pat[0..i) matches text[0..j)
  std::vector<char> ok(text.size() + 1, 0);
  ok[0] = 1;
  for (char32_t p : pat) {
    std::vector<char> next(text.size() + 1, 0);
    for (size_t j = 0; j <= text.size(); ++j) {
      if (p == kStar) {
        next[j] = ok[j] || (j > 0 && next[j - 1]);
      } else {
        next[j] = j > 0 && ok[j - 1] && text[j - 1] == p;
      }
    }
    ok.swap(next);
  }
  return ok[text.size()];
}

std::u32string flatten(const Pattern& pattern) {
  std::u32string out;
  for (const PatternElem& e : pattern) {
    if (e.wildcard) {
      out += kStar;
    } else {
      out += decode(e.literal);
    }
  }
  return out;
}

bool reference(std::string_view text, const Pattern& pattern) {
  return reference_match(decode(text), flatten(pattern));
}

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) return false;  // a continuation byte without a lead byte
    const size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

PatternElem star() {
  return PatternElem{true, {}};
}
PatternElem lit(std::string s) {
  return PatternElem{false, std::move(s)};
}

}  // namespace

TEST_CASE("like: cedar.md examples", "[like]") {
  struct Row {
    std::string text;
    Pattern pattern;
    bool expected;
  };
  const std::vector<Row> rows = {
      {"xrm", {lit("rm"), star()}, false},
      {"rm -rf", {star(), lit("rm")}, false},
      {"", {}, true},
      {"", {star()}, true},
      {"", {star(), star()}, true},
      {"a", {}, false},
      {"a?c", {lit("a?c")}, true},
      {"abc", {lit("a?c")}, false},
      {"\xF0\x9F\x98\x80", {lit("?")}, false},
      {"\xF0\x9F\x98\x80", {star()}, true},
      {"sudo rm -rf / --no-preserve-root", {star(), lit("rm -rf /"), star()}, true},
      {"ls -la", {star(), lit("rm -rf /"), star()}, false},
      {"a\nb", {lit("a"), star(), lit("b")}, true},
      {std::string("a\0b", 3), {lit("a"), star(), lit("b")}, true},
      // `*%TEMP%\\*` = wildcard, `%TEMP%\`, wildcard.
      {"C:\\x\\%TEMP%\\y", {star(), lit("%TEMP%\\"), star()}, true},
      // A literal star (from `\*`) next to other literal elements.
      {"a*b", {lit("a"), lit("*"), lit("b")}, true},
      {"axb", {lit("a"), lit("*"), lit("b")}, false},
      {"a\\*b", {lit("a\\"), lit("*"), lit("b")}, true},
      {"aaa", {lit("a"), star(), lit("a"), star(), lit("a")}, true},
      {"aa", {lit("a"), star(), lit("a"), star(), lit("a")}, false},
      {"abcabd", {star(), lit("ab"), lit("d")}, true},
      {"abab", {star(), lit("ab"), star(), lit("ab")}, true},
      {"ab", {lit("ab"), star(), lit("ab")}, false},
      {"", {lit("")}, true},
      {"x", {lit(""), star(), lit("")}, true},
  };
  for (const Row& row : rows) {
    INFO("text: " << row.text);
    CHECK(like_match(row.text, row.pattern) == row.expected);
    CHECK(reference(row.text, row.pattern) == row.expected);
  }
}

TEST_CASE("like: random texts and patterns agree with the reference", "[like]") {
  // Pieces include multi-byte characters, a literal `*`, newline and NUL.
  const std::vector<std::string> pieces = {
      "a", "b", "ab", "\xC3\xA9", "\xF0\x9F\x98\x80", "*", "\n", std::string(1, '\0'), "e\xCC\x81"};
  std::mt19937 rng(20240611);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  auto random_text = [&](size_t max_pieces) {
    std::string s;
    const size_t n = pick(max_pieces + 1);
    for (size_t i = 0; i < n; ++i) s += pieces[pick(pieces.size())];
    return s;
  };
  size_t matches = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    Pattern pattern;
    const size_t elems = pick(7);
    for (size_t i = 0; i < elems; ++i) {
      if (pick(3) == 0) {
        pattern.push_back(star());
      } else {
        pattern.push_back(lit(random_text(2)));
      }
    }
    std::string text;
    if (pick(2) == 0) {
      text = random_text(8);
    } else {
      // Build a text that the pattern likely matches: fill wildcards with random text.
      for (const PatternElem& e : pattern) text += e.wildcard ? random_text(3) : e.literal;
      if (pick(4) == 0 && !text.empty()) text.erase(pick(text.size()), 1);  // may break UTF-8
    }
    // The byte-wise equivalence holds for valid UTF-8 only; skip texts a deletion broke.
    const bool valid = valid_utf8(text);
    if (!valid) continue;
    const bool expected = reference(text, pattern);
    matches += expected ? 1 : 0;
    INFO("iteration " << iter << ", text bytes " << text.size());
    REQUIRE(like_match(text, pattern) == expected);
  }
  CHECK(matches > 2000);  // the generator produces plenty of positive cases
}

TEST_CASE("like: long inputs stay fast", "[like]") {
  // Worst-ish case for star backtracking: many near-misses.
  const std::string text(100000, 'a');
  const Pattern pattern = {star(), lit("aaaaaaaaab"), star(), lit("b")};
  CHECK_FALSE(like_match(text, pattern));
  const Pattern yes = {star(), lit("aaaa"), star(), lit("aaaa"), star()};
  CHECK(like_match(text, yes));
}
