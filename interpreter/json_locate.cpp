#include "interpreter/json_locate.hpp"

namespace vectimus::interpreter {

namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  void skip_ws() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool at(char c) {
    skip_ws();
    return pos_ < text_.size() && text_[pos_] == c;
  }
  // Consumes a string token; returns its raw contents (escapes left as written).
  std::string_view string() {
    const size_t begin = ++pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') pos_ += text_[pos_] == '\\' ? 2 : 1;
    const std::string_view raw = text_.substr(begin, pos_ - begin);
    ++pos_;
    return raw;
  }
  // Consumes one value of any kind.
  void value() {
    skip_ws();
    if (pos_ >= text_.size()) return;
    const char c = text_[pos_];
    if (c == '"') {
      string();
      return;
    }
    if (c == '{' || c == '[') {
      int depth = 0;
      while (pos_ < text_.size()) {
        const char d = text_[pos_];
        if (d == '"') {
          string();
          continue;
        }
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') --depth;
        ++pos_;
        if (depth == 0) return;
      }
      return;
    }
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' && text_[pos_] != ']' &&
           text_[pos_] != ' ' && text_[pos_] != '\n' && text_[pos_] != '\r' &&
           text_[pos_] != '\t') {
      ++pos_;
    }
  }
  size_t pos() const { return pos_; }
  void advance() { ++pos_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<Span> locate_json_path(std::string_view text, const std::vector<JsonPathStep>& path) {
  Scanner s(text);
  for (const JsonPathStep& step : path) {
    if (step.is_key) {
      if (!s.at('{')) return std::nullopt;
      s.advance();
      bool found = false;
      while (!s.at('}')) {
        if (!s.at('"')) return std::nullopt;
        const std::string_view key = s.string();
        if (!s.at(':')) return std::nullopt;
        s.advance();
        if (key == step.key) {
          found = true;
          break;
        }
        s.value();
        if (s.at(',')) s.advance();
      }
      if (!found) return std::nullopt;
    } else {
      if (!s.at('[')) return std::nullopt;
      s.advance();
      for (size_t i = 0; i < step.index; ++i) {
        if (s.at(']')) return std::nullopt;
        s.value();
        if (!s.at(',')) return std::nullopt;
        s.advance();
      }
      if (s.at(']')) return std::nullopt;
    }
  }
  s.skip_ws();
  const size_t begin = s.pos();
  s.value();
  if (begin >= text.size()) return std::nullopt;
  return Span{static_cast<uint32_t>(begin), static_cast<uint32_t>(s.pos())};
}

}  // namespace vectimus::interpreter

namespace vectimus::interpreter {

std::optional<Span> find_out_of_range_integer(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; i += text[i] == '\\' ? 2 : 1) {
      }
      ++i;
      continue;
    }
    if (c != '-' && (c < '0' || c > '9')) {
      ++i;
      continue;
    }
    const size_t begin = i;
    bool integer = true;
    for (++i; i < text.size(); ++i) {
      const char d = text[i];
      if (d >= '0' && d <= '9') continue;
      if (d == '.' || d == 'e' || d == 'E' || d == '+' || d == '-') {
        integer = false;
        continue;
      }
      break;
    }
    if (!integer) continue;
    std::string_view digits = text.substr(begin, i - begin);
    const bool negative = digits.front() == '-';
    if (negative) digits.remove_prefix(1);
    while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
    const std::string_view limit = negative ? "9223372036854775808" : "9223372036854775807";
    if (digits.size() > limit.size() || (digits.size() == limit.size() && digits > limit)) {
      return Span{static_cast<uint32_t>(begin), static_cast<uint32_t>(i)};
    }
  }
  return std::nullopt;
}

}  // namespace vectimus::interpreter
