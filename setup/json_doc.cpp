// A recursive-descent JSON parser that keeps byte spans. Settings files are small (kilobytes),
// so clarity wins over speed; nesting is bounded so a hostile file cannot exhaust the stack.
#include "setup/json_doc.hpp"
#include "support/text.hpp"

#include <cstdint>

namespace vectimus::setup {
namespace {

constexpr int kMaxDepth = 256;

class Parser {
 public:
  Parser(std::string_view text, std::string_view file, bool comments)
      : text_(text), file_(file), comments_(comments) {}

  Result<JsonNode> run() {
    JsonNode root;
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // a UTF-8 byte order mark, kept as is
    if (!skip_space() || !value(root, 0)) return failure();
    if (!skip_space()) return failure();
    if (pos_ != text_.size()) {
      fail("unexpected text after the JSON value");
      return failure();
    }
    return root;
  }

 private:
  Diagnostic failure() const {
    const std::string name(file_);
    const auto at = static_cast<uint32_t>(error_at_);
    const uint32_t end = error_at_ < text_.size() ? at + 1 : at;
    return make_error("json", error_ + " in `" + name + "`",
                      Location{make_source(name, std::string(text_)), Span{at, end}},
                      "fix the file (or move it aside) and run the command again; nothing was "
                      "changed");
  }

  bool fail(std::string message) {
    if (error_.empty()) {
      error_ = std::move(message);
      error_at_ = pos_;
    }
    return false;
  }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }

  bool skip_space() {
    while (!at_end()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else if (comments_ && c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
        while (!at_end() && text_[pos_] != '\n') ++pos_;
      } else if (comments_ && c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
        const std::size_t close = text_.find("*/", pos_ + 2);
        if (close == std::string_view::npos) return fail("unterminated comment");
        pos_ = close + 2;
      } else {
        break;
      }
    }
    return true;
  }

  bool value(JsonNode& node, int depth) {
    if (depth > kMaxDepth) return fail("nested too deeply");
    node.begin = pos_;
    bool ok = false;
    switch (peek()) {
      case '{': ok = object(node, depth); break;
      case '[': ok = array(node, depth); break;
      case '"':
        node.kind = JsonNode::Kind::string;
        ok = string(node.text);
        break;
      case 't': ok = word(node, "true", JsonNode::Kind::boolean); break;
      case 'f': ok = word(node, "false", JsonNode::Kind::boolean); break;
      case 'n': ok = word(node, "null", JsonNode::Kind::null); break;
      default: ok = number(node); break;
    }
    node.end = pos_;
    return ok;
  }

  bool word(JsonNode& node, std::string_view w, JsonNode::Kind kind) {
    if (text_.substr(pos_, w.size()) != w) return fail("expected a JSON value");
    pos_ += w.size();
    node.kind = kind;
    node.text = std::string(w);
    return true;
  }

  static bool digit(char c) { return c >= '0' && c <= '9'; }

  bool number(JsonNode& node) {
    const std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    if (!digit(peek())) return fail(at_end() ? "unexpected end of file" : "expected a JSON value");
    if (peek() == '0') {
      ++pos_;
    } else {
      while (digit(peek())) ++pos_;
    }
    if (peek() == '.') {
      ++pos_;
      if (!digit(peek())) return fail("expected a digit after `.`");
      while (digit(peek())) ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!digit(peek())) return fail("expected a digit in the exponent");
      while (digit(peek())) ++pos_;
    }
    node.kind = JsonNode::Kind::number;
    node.text = std::string(text_.substr(start, pos_ - start));
    return true;
  }

  bool hex4(uint32_t& out) {
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = peek();
      uint32_t v = 0;
      if (digit(c)) {
        v = static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v = static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v = static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return fail("expected 4 hex digits after `\\u`");
      }
      out = out * 16 + v;
      ++pos_;
    }
    return true;
  }

  bool string(std::string& out) {
    ++pos_;  // the opening quote
    while (true) {
      if (at_end()) return fail("unterminated string");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in a string");
      if (c != '\\') {
        out += c;
        ++pos_;
        continue;
      }
      ++pos_;
      const char e = peek();
      ++pos_;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00 && text_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            uint32_t low = 0;
            if (!hex4(low)) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, cp);
          break;
        }
        default: --pos_; return fail("unknown escape in a string");
      }
    }
  }

  bool object(JsonNode& node, int depth) {
    node.kind = JsonNode::Kind::object;
    ++pos_;
    if (!skip_space()) return false;
    if (peek() == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      if (peek() != '"') return fail(at_end() ? "unexpected end of file" : "expected a key");
      JsonMember member;
      member.key_begin = pos_;
      if (!string(member.key) || !skip_space()) return false;
      if (peek() != ':') return fail("expected `:` after the key");
      ++pos_;
      member.value.emplace_back();
      if (!skip_space() || !value(member.value.front(), depth + 1) || !skip_space()) return false;
      node.members.push_back(std::move(member));
      if (peek() == ',') {
        ++pos_;
        if (!skip_space()) return false;
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        return true;
      }
      return fail(at_end() ? "unexpected end of file" : "expected `,` or `}`");
    }
  }

  bool array(JsonNode& node, int depth) {
    node.kind = JsonNode::Kind::array;
    ++pos_;
    if (!skip_space()) return false;
    if (peek() == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      JsonNode item;
      if (!value(item, depth + 1) || !skip_space()) return false;
      node.items.push_back(std::move(item));
      if (peek() == ',') {
        ++pos_;
        if (!skip_space()) return false;
        continue;
      }
      if (peek() == ']') {
        ++pos_;
        return true;
      }
      return fail(at_end() ? "unexpected end of file" : "expected `,` or `]`");
    }
  }

  std::string_view text_;
  std::string_view file_;
  bool comments_;
  std::size_t pos_ = 0;
  std::string error_;
  std::size_t error_at_ = 0;
};

}  // namespace

const JsonMember* JsonNode::find_member(std::string_view key) const {
  const JsonMember* found = nullptr;
  for (const JsonMember& m : members) {
    if (m.key == key) found = &m;
  }
  return found;
}

const JsonNode* JsonNode::find(std::string_view key) const {
  const JsonMember* m = find_member(key);
  return m ? &m->node() : nullptr;
}

Result<JsonNode> parse_json(std::string_view text, std::string_view file, bool comments) {
  return Parser(text, file, comments).run();
}

void collect_strings(const JsonNode& node, std::vector<std::string>& out) {
  if (node.is_string()) out.push_back(node.text);
  for (const JsonNode& item : node.items) collect_strings(item, out);
  for (const JsonMember& m : node.members) collect_strings(m.node(), out);
}

}  // namespace vectimus::setup
