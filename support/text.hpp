// Small text helpers shared by the parsers (Cedar string escapes, shell ANSI-C quoting, JSON)
// by the commands that suggest a name for a typo, and by the editors of users' files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vectimus {

// The value of a hexadecimal digit, or -1 when `c` is not one.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Appends the UTF-8 encoding of one scalar value.
void append_utf8(std::string& out, uint32_t cp);

// `text` with the bytes [begin, end) replaced by `with`: how the config and agent-file editors
// change one value and leave every other byte of the user's file as it was.
std::string splice(std::string_view text, std::size_t begin, std::size_t end,
                   std::string_view with);

// Whether `name` is one of the space-separated words of `words`: the tables of programs and
// their options list names this way (`"user group chdir"`).
bool in_words(std::string_view words, std::string_view name);

// Levenshtein distance (insertions, deletions, substitutions; bytes).
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace vectimus
