// See decode.hpp. Every function is one linear pass over its input.
#include "normalise/shell/decode.hpp"

#include <algorithm>
#include <cstdint>

#include "support/text.hpp"

namespace vectimus::shell {
namespace {

// Reads up to `max` digits of `base` at text[i], advancing i; returns -1 when there are none.
long read_number(std::string_view text, std::size_t& i, int base, std::size_t max) {
  long value = 0;
  std::size_t n = 0;
  while (n < max && i < text.size()) {
    int d = hex_value(text[i]);
    if (d < 0 || d >= base) break;
    value = value * base + d;
    ++i;
    ++n;
  }
  return n == 0 ? -1 : value;
}

// The escapes common to $'...', echo -e and printf. `i` is just past the backslash. Returns false
// when the character is not an escape this table knows.
bool simple_escape(char c, std::string& out) {
  switch (c) {
    case 'a': out.push_back('\a'); return true;
    case 'b': out.push_back('\b'); return true;
    case 'e':
    case 'E': out.push_back('\x1b'); return true;
    case 'f': out.push_back('\f'); return true;
    case 'n': out.push_back('\n'); return true;
    case 'r': out.push_back('\r'); return true;
    case 't': out.push_back('\t'); return true;
    case 'v': out.push_back('\v'); return true;
    case '\\': out.push_back('\\'); return true;
    default: return false;
  }
}

}  // namespace

std::string ansi_c_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i++];
    if (c != '\\' || i >= text.size()) {
      out.push_back(c);
      continue;
    }
    char e = text[i++];
    if (simple_escape(e, out)) continue;
    long v = -1;
    switch (e) {
      case '\'':
      case '"':
      case '?': out.push_back(e); continue;
      case 'x': v = read_number(text, i, 16, 2); break;
      case 'u':
        v = read_number(text, i, 16, 4);
        if (v >= 0) {
          append_utf8(out, static_cast<uint32_t>(v));
          continue;
        }
        break;
      case 'U':
        v = read_number(text, i, 16, 8);
        if (v >= 0) {
          append_utf8(out, static_cast<uint32_t>(v));
          continue;
        }
        break;
      case 'c':
        if (i < text.size()) {
          out.push_back(static_cast<char>(text[i++] & 0x1F));
          continue;
        }
        break;
      default:
        if (e >= '0' && e <= '7') {
          --i;
          v = read_number(text, i, 8, 3);
        }
    }
    if (v < 0) {  // not an escape: both characters stay
      out.push_back('\\');
      out.push_back(e);
      continue;
    }
    out.push_back(static_cast<char>(v & 0xFF));
  }
  std::size_t nul = out.find('\0');
  if (nul != std::string::npos) out.resize(nul);
  return out;
}

std::string echo_decode(std::string_view text, bool& stopped) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i++];
    if (c != '\\' || i >= text.size()) {
      out.push_back(c);
      continue;
    }
    char e = text[i++];
    if (simple_escape(e, out)) continue;
    if (e == 'c') {
      stopped = true;
      return out;
    }
    long v = -1;
    if (e == '0')
      v = std::max(0L, read_number(text, i, 8, 3));
    else if (e == 'x')
      v = read_number(text, i, 16, 2);
    if (v < 0) {
      out.push_back('\\');
      out.push_back(e);
    } else {
      out.push_back(static_cast<char>(v & 0xFF));
    }
  }
  return out;
}

std::optional<std::string> printf_format(std::string_view format,
                                         const std::vector<std::string>& args) {
  std::string out;
  std::size_t next = 0;
  // printf reuses the format while arguments remain; a format that consumes none runs once.
  for (int round = 0; round < 1024; ++round) {
    const std::size_t before = next;
    for (std::size_t i = 0; i < format.size();) {
      char c = format[i++];
      if (c == '\\' && i < format.size()) {
        char e = format[i];
        long v = -1;
        if (e >= '0' && e <= '7') {
          v = read_number(format, i, 8, 3);  // \NNN: octal without a leading 0
        } else if (e == 'x') {
          std::size_t j = i + 1;
          v = read_number(format, j, 16, 2);
          if (v >= 0) i = j;
        }
        if (v >= 0) {
          out.push_back(static_cast<char>(v & 0xFF));
        } else if (e == 'c') {
          return out;
        } else if (simple_escape(e, out) || e == '"' || e == '\'') {
          if (e == '"' || e == '\'') out.push_back(e);
          ++i;
        } else {
          out.push_back('\\');
        }
        continue;
      }
      if (c != '%') {
        out.push_back(c);
        continue;
      }
      if (i >= format.size()) return std::nullopt;
      char d = format[i++];
      std::string arg = next < args.size() ? args[next] : std::string();
      switch (d) {
        case '%': out.push_back('%'); continue;
        case 's': out += arg; break;
        case 'b': {
          bool stopped = false;
          out += echo_decode(arg, stopped);
          break;
        }
        case 'c':
          if (!arg.empty()) out.push_back(arg[0]);
          break;
        case 'd':
        case 'i': {
          for (char ch : arg)
            if ((ch < '0' || ch > '9') && ch != '-') return std::nullopt;
          if (arg.empty()) out.push_back('0');
          out += arg;
          break;
        }
        default: return std::nullopt;
      }
      ++next;
    }
    if (next >= args.size() || next == before) return out;
    if (out.size() > (1u << 20)) return std::nullopt;  // a format reused over many arguments
  }
  return std::nullopt;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  bool padding = false;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    else if (c == '=') {
      padding = true;
      continue;
    } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
      continue;
    else
      return std::nullopt;
    if (padding) return std::nullopt;  // data after padding
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::optional<std::string> hex_decode(std::string_view text) {
  std::string out;
  int high = -1;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    int v = hex_value(c);
    if (v < 0) return std::nullopt;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<char>(high * 16 + v));
      high = -1;
    }
  }
  return out;
}

namespace {

// A tr set with ranges and escapes expanded; nullopt for what tr_translate does not model.
std::optional<std::string> tr_set(std::string_view set) {
  std::string chars;
  for (std::size_t i = 0; i < set.size(); ++i) {
    char c = set[i];
    if (c == '[' && i + 1 < set.size() && (set[i + 1] == ':' || set[i + 1] == '='))
      return std::nullopt;
    if (c == '\\' && i + 1 < set.size()) {
      char e = set[++i];
      if (e >= '0' && e <= '7') {
        c = static_cast<char>(read_number(set, i, 8, 3) & 0xFF);
        --i;
      } else {
        std::string one;
        c = simple_escape(e, one) ? one[0] : e;
      }
    }
    if (i + 2 < set.size() && set[i + 1] == '-') {
      unsigned char hi = static_cast<unsigned char>(set[i + 2]);
      if (hi < static_cast<unsigned char>(c)) return std::nullopt;  // tr rejects a reverse range
      for (unsigned v = static_cast<unsigned char>(c); v <= hi; ++v)
        chars.push_back(static_cast<char>(v));
      i += 2;
      continue;
    }
    if (c == '*' && !chars.empty() && chars.back() == '[') return std::nullopt;
    chars.push_back(c);
  }
  return chars;
}

}  // namespace

std::optional<std::string> tr_translate(std::string_view text, std::string_view set1,
                                        std::string_view set2) {
  std::optional<std::string> from = tr_set(set1), to = tr_set(set2);
  if (!from || !to || to->empty()) return std::nullopt;
  char map[256];
  for (int v = 0; v < 256; ++v) map[v] = static_cast<char>(v);
  for (std::size_t k = 0; k < from->size(); ++k) {
    map[static_cast<unsigned char>((*from)[k])] = k < to->size() ? (*to)[k] : to->back();
  }
  std::string out(text);
  for (char& c : out) c = map[static_cast<unsigned char>(c)];
  return out;
}

std::string rev_lines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    out.append(line.rbegin(), line.rend());
    if (nl == std::string_view::npos) break;
    out.push_back('\n');
    text.remove_prefix(nl + 1);
  }
  return out;
}

}  // namespace vectimus::shell
