#include "grammar/unescape.hpp"

#include <algorithm>

#include "support/text.hpp"

namespace vectimus::grammar {
namespace {

// Length of the valid UTF-8 sequence at body[i], or 0 when it is not valid UTF-8.
size_t utf8_length(std::string_view body, size_t i) {
  const auto c = static_cast<unsigned char>(body[i]);
  if (c < 0x80) return 1;
  size_t n = 0;
  uint32_t cp = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > body.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto d = static_cast<unsigned char>(body[i + k]);
    if ((d & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// One unit of a literal: a run of raw bytes, or one decoded escape (at most 4 bytes).
struct Piece {
  std::string text;          // a decoded escape
  std::string_view raw;      // or a run of source bytes, when text is empty
  bool star_escape = false;  // the source was `\*` (pattern only)
  std::string_view view() const { return raw.empty() ? std::string_view(text) : raw; }
};

UnescapeError escape_error(std::string_view body, size_t begin, size_t end, std::string help = {}) {
  // Show the whole offending character, not half of a UTF-8 sequence.
  while (end < body.size() && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80) ++end;
  return {begin, end - begin,
          "the escape `" + std::string(body.substr(begin, end - begin)) + "` is not valid",
          std::move(help)};
}

// Decodes the escape starting at body[i] == '\\'; advances i past it.
std::optional<UnescapeError> decode_escape(std::string_view body, size_t& i, bool pattern,
                                           Piece& piece) {
  const size_t begin = i;
  if (i + 1 >= body.size()) return escape_error(body, begin, body.size());
  const char c = body[i + 1];
  i += 2;
  switch (c) {
    case 'n': piece.text = "\n"; return {};
    case 'r': piece.text = "\r"; return {};
    case 't': piece.text = "\t"; return {};
    case '0': piece.text = std::string(1, '\0'); return {};
    case '\\': piece.text = "\\"; return {};
    case '\'': piece.text = "'"; return {};
    case '"': piece.text = "\""; return {};
    case '*':
      if (!pattern) {
        return escape_error(body, begin, i, "`\\*` is only allowed in `like` patterns");
      }
      piece.text = "*";
      piece.star_escape = true;
      return {};
    case 'x': {
      const int hi = i < body.size() ? hex_value(body[i]) : -1;
      const int lo = i + 1 < body.size() ? hex_value(body[i + 1]) : -1;
      if (hi < 0 || lo < 0 || hi > 7) {
        const size_t end = std::min(body.size(), i + (hi < 0 ? 0 : lo < 0 ? 1 : 2));
        return escape_error(body, begin, end,
                            "`\\x` takes two hex digits up to `7f`; use `\\u{...}` above that");
      }
      piece.text = std::string(1, static_cast<char>(hi * 16 + lo));
      i += 2;
      return {};
    }
    case 'u': {
      const char* help = "write `\\u{...}` with 1 to 6 hex digits, e.g. `\\u{e9}`";
      if (i >= body.size() || body[i] != '{') {
        return escape_error(body, begin, std::min(i + 1, body.size()), help);
      }
      ++i;
      uint32_t value = 0;
      int count = 0;
      while (i < body.size() && body[i] != '}') {
        const int h = hex_value(body[i]);
        if (body[i] == '_' && count > 0) {
          ++i;
          continue;
        }
        if (h < 0 || count == 6) return escape_error(body, begin, i + 1, help);
        value = value * 16 + static_cast<uint32_t>(h);
        ++count;
        ++i;
      }
      if (i >= body.size()) return escape_error(body, begin, i, help);
      ++i;  // '}'
      if (count == 0) return escape_error(body, begin, i, help);
      if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
        return escape_error(body, begin, i, "the value must be a unicode scalar value");
      }
      append_utf8(piece.text, value);
      return {};
    }
    default: return escape_error(body, begin, i);
  }
}

// Walks the body and hands each piece to `sink(piece, raw)`; `raw` is true for unescaped
// source bytes.
template <class Sink>
std::optional<UnescapeError> walk(std::string_view body, bool pattern, Sink&& sink) {
  size_t i = 0;
  while (i < body.size()) {
    const char c = body[i];
    if (c == '\\') {
      Piece piece;
      if (auto error = decode_escape(body, i, pattern, piece)) return error;
      sink(piece);
      continue;
    }
    if (c == '\r') {
      return UnescapeError{i, 1, "a carriage return is not allowed in a string literal",
                           "write `\\r` instead"};
    }
    // A run of plain characters in one piece; a pattern's `*` stands alone.
    const size_t begin = i;
    do {
      const size_t n = utf8_length(body, i);
      if (n == 0) return UnescapeError{i, 1, "invalid utf-8 in a string literal", {}};
      i += n;
    } while (i < body.size() && body[i] != '\\' && body[i] != '\r' && body[i] != '*' &&
             body[begin] != '*');
    sink(Piece{{}, body.substr(begin, i - begin), false});
  }
  return {};
}

}  // namespace
std::optional<UnescapeError> unescape_string(std::string_view body, std::string& out) {
  out.clear();
  return walk(body, false, [&](const Piece& piece) { out += piece.view(); });
}

std::optional<UnescapeError> unescape_pattern(std::string_view body, ir::Pattern& out) {
  out.clear();
  return walk(body, true, [&](const Piece& piece) {
    const std::string_view text = piece.view();
    if (text == "*" && !piece.star_escape) {
      out.push_back(ir::PatternElem{true, {}});
      return;
    }
    if (out.empty() || out.back().wildcard) out.push_back(ir::PatternElem{false, {}});
    out.back().literal += text;
  });
}

}  // namespace vectimus::grammar
