// Unescaping Cedar string literals and `like` patterns (docs/cedar.md, "String literal
// escapes"). Private to grammar/: the actions call it on the text between the quotes.
//
// Cedar uses Rust's escape rules (`\" \\ \n \r \t \0 \'`, `\xHH` up to 7F, `\u{...}` with 1 to 6
// hex digits and underscores after the first, no surrogates, at most 10FFFF); a raw CR is an
// error. A pattern additionally accepts `\*`, the only way to write a literal star: every
// other `*`, however it was written (`*`, `\x2a`, `\u{2a}`), is a wildcard.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ir/ir.hpp"

namespace vectimus::grammar {

struct UnescapeError {
  size_t offset = 0;  // byte offset into the body
  size_t length = 1;
  std::string message;
  std::string help;
};

std::optional<UnescapeError> unescape_string(std::string_view body, std::string& out);
std::optional<UnescapeError> unescape_pattern(std::string_view body, ir::Pattern& out);

}  // namespace vectimus::grammar
