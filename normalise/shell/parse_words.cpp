// Words: quoting, backslashes, `$` expansions, backticks, process substitution, tilde.
//
// Quote removal happens here, exactly as bash does it: '...' is literal; "..." lets `\` escape
// only `$`, backquote, `"`, `\` and newline; $'...' decodes ANSI-C escapes; an unquoted `\`
// quotes the next character and `\` newline disappears. What remains to be decided at expansion
// time (parameters, substitutions, tilde) becomes a Part of its own.
#include "normalise/shell/decode.hpp"
#include "normalise/shell/parser_impl.hpp"

namespace vectimus::shell::syntax {

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

void append_literal(Word& w, std::string_view text, bool quoted) {
  if (!w.parts.empty() && w.parts.back().kind == Part::Kind::literal &&
      w.parts.back().quoted == quoted) {
    w.parts.back().text.append(text);
    return;
  }
  Part p;
  p.quoted = quoted;
  p.text = std::string(text);
  w.parts.push_back(std::move(p));
}

namespace {
bool quoting_mode(Mode m) {
  return m == Mode::dquote || m == Mode::brace_dq || m == Mode::heredoc;
}
bool tilde_char(char c) {
  return is_name_char(c) || c == '.' || c == '-' || c == '+';
}
}  // namespace

void Parser::parse_word(Word& out, bool tilde_ok) {
  std::size_t start = pos_;
  parse_parts(Mode::unquoted, out, tilde_ok);
  out.raw = s_.substr(start, pos_ - start);
}

void Parser::parse_parts(Mode mode, Word& out, bool tilde_ok) {
  const std::size_t start = pos_;
  std::size_t parens = 0;
  while (!failed()) {
    if (at_end()) {
      if (mode == Mode::dquote) fail("unterminated double quote");
      if (mode == Mode::brace || mode == Mode::brace_dq) fail("unterminated `${`");
      if (mode == Mode::arith) fail("unterminated arithmetic `((`");
      return;
    }
    const char c = peek();
    if (mode == Mode::unquoted) {
      if ((c == '<' || c == '>') && peek(1) == '(' && pos_ == start) {  // <(...) >(...)
        Part p;
        p.kind = Part::Kind::process;
        pos_ += 2;
        parse_body(p, ')');
        p.raw = s_.substr(start, pos_ - start);
        out.parts.push_back(std::move(p));
        continue;
      }
      if (is_metachar(c)) return;
    }
    if (mode == Mode::dquote && c == '"') return;
    if ((mode == Mode::brace || mode == Mode::brace_dq) && c == '}') return;
    if (mode == Mode::arith) {
      if (c == '(') ++parens;
      if (c == ')') {
        if (parens == 0) return;
        --parens;
      }
    }
    if (c == '~' && tilde_ok && mode == Mode::unquoted && pos_ == start) {
      std::size_t p = pos_ + 1;
      while (p < end_ && tilde_char(s_[p])) ++p;
      if (p >= end_ || s_[p] == '/' || is_metachar(s_[p])) {
        Part t;
        t.kind = Part::Kind::tilde;
        t.text = std::string(s_.substr(pos_ + 1, p - pos_ - 1));
        t.raw = s_.substr(pos_, p - pos_);
        out.parts.push_back(std::move(t));
        pos_ = p;
        continue;
      }
    }
    switch (c) {
      case '\\': {
        char n = peek(1);
        if (pos_ + 1 >= end_) {
          append_literal(out, "\\", quoting_mode(mode));
          ++pos_;
        } else if (n == '\n') {
          pos_ += 2;  // line continuation, in every mode that is not single-quoted
        } else if (mode == Mode::unquoted || mode == Mode::brace) {
          append_literal(out, s_.substr(pos_ + 1, 1), true);
          pos_ += 2;
        } else if (n == '$' || n == '`' || n == '\\' ||
                   (n == '"' && mode != Mode::heredoc && mode != Mode::arith) ||
                   (n == '}' && mode == Mode::brace_dq)) {
          append_literal(out, s_.substr(pos_ + 1, 1), true);
          pos_ += 2;
        } else {
          append_literal(out, "\\", quoting_mode(mode));
          ++pos_;
        }
        break;
      }
      case '\'':
        if (mode == Mode::unquoted || mode == Mode::brace) {
          std::size_t close = s_.find('\'', pos_ + 1);
          if (close == std::string_view::npos || close >= end_)
            return fail("unterminated single quote");
          append_literal(out, s_.substr(pos_ + 1, close - pos_ - 1), true);
          pos_ = close + 1;
        } else {
          append_literal(out, "'", quoting_mode(mode));
          ++pos_;
        }
        break;
      case '"':
        if (mode == Mode::unquoted || mode == Mode::brace || mode == Mode::brace_dq) {
          ++pos_;
          append_literal(out, "", true);  // "" is an empty word, not no word
          parse_parts(Mode::dquote, out, false);
          expect("\"");
        } else {
          append_literal(out, "\"", quoting_mode(mode));
          ++pos_;
        }
        break;
      case '$': parse_dollar(mode, out); break;
      case '`': parse_backtick(mode, out); break;
      default: append_literal(out, s_.substr(pos_, 1), quoting_mode(mode)); ++pos_;
    }
  }
}

void Parser::parse_dollar(Mode mode, Word& out) {
  const std::size_t start = pos_;
  ++pos_;
  const char c = peek();
  const bool unquoted = mode == Mode::unquoted || mode == Mode::brace;
  if (at_end()) {
    append_literal(out, "$", quoting_mode(mode));
  } else if (c == '\'' && unquoted) {  // $'...' ANSI-C quoting
    std::size_t i = pos_ + 1;
    while (i < end_ && s_[i] != '\'') i += s_[i] == '\\' ? 2 : 1;
    if (i >= end_) return fail("unterminated $'");
    append_literal(out, ansi_c_decode(s_.substr(pos_ + 1, i - pos_ - 1)), true);
    pos_ = i + 1;
  } else if (c == '"' && unquoted) {  // $"..." locale translation: a double-quoted string here
    ++pos_;
    append_literal(out, "", true);
    parse_parts(Mode::dquote, out, false);
    expect("\"");
  } else if (c == '(' && peek(1) == '(') {
    DepthGuard guard(*this);
    if (!guard.ok()) return;
    pos_ += 2;
    Part p;
    p.kind = Part::Kind::arith;
    p.quoted = true;
    p.operands.emplace_back();
    parse_parts(Mode::arith, p.operands.back(), false);
    expect("))");
    p.raw = s_.substr(start, pos_ - start);
    out.parts.push_back(std::move(p));
  } else if (c == '(') {
    ++pos_;
    Part p;
    p.kind = Part::Kind::command;
    p.quoted = quoting_mode(mode);
    parse_body(p, ')');
    p.raw = s_.substr(start, pos_ - start);
    out.parts.push_back(std::move(p));
  } else if (c == '{') {
    ++pos_;
    parse_braced_param(mode, out, start);
  } else if (is_name_start(c) || (c >= '0' && c <= '9') ||
             std::string_view("@*#?$!-").find(c) != std::string_view::npos) {
    Part p;
    p.kind = Part::Kind::param;
    p.quoted = quoting_mode(mode);
    if (is_name_start(c)) {
      while (!at_end() && is_name_char(peek())) p.text.push_back(s_[pos_++]);
    } else {
      p.text.push_back(s_[pos_++]);
    }
    p.raw = s_.substr(start, pos_ - start);
    out.parts.push_back(std::move(p));
  } else {
    append_literal(out, "$", quoting_mode(mode));
  }
}

void Parser::parse_braced_param(Mode mode, Word& out, std::size_t start) {
  DepthGuard guard(*this);
  if (!guard.ok()) return;
  Part p;
  p.kind = Part::Kind::param;
  p.quoted = quoting_mode(mode);
  if ((peek() == '#' || peek() == '!') && peek(1) != '}')
    p.op.push_back(s_[pos_++]);  // ${#x} ${!x}
  char c = peek();
  if (is_name_start(c)) {
    while (!at_end() && is_name_char(peek())) p.text.push_back(s_[pos_++]);
  } else if (c >= '0' && c <= '9') {
    while (!at_end() && peek() >= '0' && peek() <= '9') p.text.push_back(s_[pos_++]);
  } else if (!at_end() && std::string_view("@*#?$!-").find(c) != std::string_view::npos) {
    p.text.push_back(s_[pos_++]);
  } else {
    return fail("bad substitution");
  }
  if (peek() != '}') {
    static constexpr std::string_view kOps[] = {":-", ":=", ":?", ":+", "##", "%%",
                                                "//", "/#", "/%", "^^", ",,"};
    std::string_view op;
    for (std::string_view o : kOps) {
      if (s_.substr(pos_, std::min(end_ - pos_, o.size())) == o) {
        op = o;
        break;
      }
    }
    if (op.empty() && !at_end()) op = s_.substr(pos_, 1);
    pos_ += op.size();
    p.op += std::string(op);
    p.operands.emplace_back();
    parse_parts(mode == Mode::unquoted || mode == Mode::brace ? Mode::brace : Mode::brace_dq,
                p.operands.back(), true);
  }
  expect("}");
  p.raw = s_.substr(start, pos_ - start);
  out.parts.push_back(std::move(p));
}

void Parser::parse_backtick(Mode mode, Word& out) {
  const std::size_t start = pos_;
  ++pos_;
  std::string body;
  bool closed = false;
  while (pos_ < end_) {
    char c = s_[pos_];
    if (c == '\\' && pos_ + 1 < end_) {
      char n = s_[pos_ + 1];
      if (n == '$' || n == '`' || n == '\\' || (n == '"' && mode == Mode::dquote)) {
        body.push_back(n);
      } else {
        body.push_back('\\');
        body.push_back(n);
      }
      pos_ += 2;
      continue;
    }
    ++pos_;
    if (c == '`') {
      closed = true;
      break;
    }
    body.push_back(c);
  }
  if (!closed) return fail("unterminated backquote");
  DepthGuard guard(*this);
  if (!guard.ok()) return;
  Part p;
  p.kind = Part::Kind::command;
  p.quoted = quoting_mode(mode);
  p.body = std::make_shared<List>();
  st_.out.owned.push_back(std::move(body));
  Parser sub(st_.out.owned.back(), st_);
  sub.parse_list(*p.body);
  if (!sub.failed() && !sub.at_end())
    sub.fail(std::string("unexpected `") + sub.peek() + "` in backquotes");
  p.raw = s_.substr(start, pos_ - start);
  out.parts.push_back(std::move(p));
}

void Parser::parse_body(Part& part, char close) {
  DepthGuard guard(*this);
  if (!guard.ok()) return;
  part.body = std::make_shared<List>();
  parse_list(*part.body);
  skip_space();
  expect(std::string_view(&close, 1));
}

}  // namespace vectimus::shell::syntax
