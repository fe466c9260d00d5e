#include "normalise/json_error.hpp"

#include <vector>

namespace vectimus::normalise {
namespace {

bool is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Length of the valid UTF-8 sequence at `at`, or 0.
size_t utf8_length(std::string_view text, size_t at) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(at);
  size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 2;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 3;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (at + need >= text.size()) return 0;  // truncated sequence
  for (size_t k = 1; k <= need; ++k) {
    unsigned char c = byte(at + k);
    unsigned char min = k == 1 ? lo : 0x80, max = k == 1 ? hi : 0xBF;
    if (c < min || c > max) return 0;
  }
  return need + 1;
}

class Scanner {
 public:
  Scanner(std::string_view text, size_t max_depth) : text_(text), max_depth_(max_depth) {}

  std::optional<JsonErrorAt> run() {
    enum class State { value, value_or_close, key_or_close, key, colon, comma_or_close, end };
    State state = State::value;
    std::vector<char> stack;
    auto after_value = [&] { return stack.empty() ? State::end : State::comma_or_close; };
    while (true) {
      while (pos_ < text_.size() && is_ws(text_[pos_])) ++pos_;
      if (pos_ == text_.size()) {
        if (state == State::end) return std::nullopt;
        return fail("unexpected end of input");
      }
      char c = text_[pos_];
      switch (state) {
        case State::end: return fail("unexpected text after the JSON value");
        case State::value:
        case State::value_or_close:
          if (state == State::value_or_close && c == ']') {
            stack.pop_back();
            ++pos_;
            state = after_value();
          } else if (c == '{' || c == '[') {
            if (stack.size() >= max_depth_) return fail("nesting is too deep");
            stack.push_back(c);
            ++pos_;
            state = c == '{' ? State::key_or_close : State::value_or_close;
          } else {
            if (auto error = scalar()) return error;
            state = after_value();
          }
          break;
        case State::key_or_close:
        case State::key:
          if (state == State::key_or_close && c == '}') {
            stack.pop_back();
            ++pos_;
            state = after_value();
          } else if (c == '"') {
            if (auto error = string()) return error;
            state = State::colon;
          } else {
            return fail("expected a string key");
          }
          break;
        case State::colon:
          if (c != ':') return fail("expected `:`");
          ++pos_;
          state = State::value;
          break;
        case State::comma_or_close:
          if (c == ',') {
            ++pos_;
            state = stack.back() == '{' ? State::key : State::value;
          } else if ((c == '}' && stack.back() == '{') || (c == ']' && stack.back() == '[')) {
            stack.pop_back();
            ++pos_;
            state = after_value();
          } else {
            return fail(stack.back() == '{' ? "expected `,` or `}`" : "expected `,` or `]`");
          }
          break;
      }
    }
  }

 private:
  std::optional<JsonErrorAt> fail(std::string_view what) const { return JsonErrorAt{pos_, what}; }

  std::optional<JsonErrorAt> scalar() {
    char c = text_[pos_];
    if (c == '"') return string();
    if (c == '-' || is_digit(c)) return number();
    for (std::string_view literal : {"true", "false", "null"}) {
      if (c != literal[0]) continue;
      for (char expected : literal) {
        if (pos_ >= text_.size() || text_[pos_] != expected) return fail("invalid literal");
        ++pos_;
      }
      return std::nullopt;
    }
    return fail("expected a value");
  }

  std::optional<JsonErrorAt> string() {
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= text_.size()) return fail("unterminated string");
      auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return std::nullopt;
      }
      if (c < 0x20) return fail("control character in string");
      if (c == '\\') {
        ++pos_;
        if (pos_ >= text_.size()) return fail("unterminated string");
        char e = text_[pos_];
        if (e == 'u') {
          for (int k = 0; k < 4; ++k) {
            ++pos_;
            if (pos_ >= text_.size() || !is_hex(text_[pos_])) return fail("invalid \\u escape");
          }
          ++pos_;
        } else if (std::string_view("\"\\/bfnrt").find(e) != std::string_view::npos) {
          ++pos_;
        } else {
          return fail("invalid escape");
        }
      } else if (c >= 0x80) {
        size_t length = utf8_length(text_, pos_);
        if (length == 0) return fail("invalid UTF-8");
        pos_ += length;
      } else {
        ++pos_;
      }
    }
  }

  std::optional<JsonErrorAt> number() {
    if (text_[pos_] == '-') ++pos_;
    if (pos_ >= text_.size() || !is_digit(text_[pos_])) return fail("invalid number");
    if (text_[pos_] == '0') {
      ++pos_;
    } else {
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (pos_ >= text_.size() || !is_digit(text_[pos_])) return fail("invalid number");
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (pos_ >= text_.size() || !is_digit(text_[pos_])) return fail("invalid number");
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    }
    return std::nullopt;
  }

  std::string_view text_;
  size_t max_depth_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<JsonErrorAt> find_json_error(std::string_view text, size_t max_depth) {
  return Scanner(text, max_depth).run();
}

}  // namespace vectimus::normalise
