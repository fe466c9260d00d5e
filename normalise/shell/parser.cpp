// Lists, pipelines, commands, compound commands, redirections and heredocs.
//
// The grammar is bash's, made lenient where leniency only adds commands (a stray `;` is
// accepted): reporting a command bash would refuse to run cannot let anything through.
#include <algorithm>

#include "normalise/shell/parser_impl.hpp"

namespace vectimus::shell::syntax {

bool is_metachar(char c) {
  switch (c) {
    case ' ':
    case '\t':
    case '\n':
    case ';':
    case '&':
    case '|':
    case '(':
    case ')':
    case '<':
    case '>':
    case '\0': return true;
    default: return false;
  }
}

DepthGuard::DepthGuard(Parser& p) : p_(p) {
  if (++p_.st_.depth > p_.st_.limits.max_depth) {
    ok_ = false;
    if (!p_.failed()) {
      p_.st_.out.depth_limit = true;
      p_.fail("nesting deeper than " + std::to_string(p_.st_.limits.max_depth));
    }
  }
}

void Parser::fail(const std::string& message) {
  if (st_.out.error.empty()) st_.out.error = "offset " + std::to_string(pos_) + ": " + message;
}

void Parser::skip_blanks() {
  while (!at_end()) {
    char c = peek();
    if (c == ' ' || c == '\t' || c == '\r') {
      ++pos_;
    } else if (c == '\\' && peek(1) == '\n') {
      pos_ += 2;
    } else if (c == '#') {
      while (!at_end() && peek() != '\n') ++pos_;
    } else {
      break;
    }
  }
}

bool Parser::skip_newline() {
  if (peek() != '\n' || at_end()) return false;
  ++pos_;
  read_heredocs();
  return true;
}

void Parser::skip_space() {
  do skip_blanks();
  while (skip_newline());
}

bool Parser::at_reserved(std::string_view word) const {
  if (s_.substr(pos_, std::min(end_ - pos_, word.size())) != word) return false;
  std::size_t after = pos_ + word.size();
  return after >= end_ || is_metachar(s_[after]);
}

bool Parser::at_closer() const {
  if (at_end()) return true;
  char c = peek();
  if (c == ')') return true;
  if (c == ';' && (peek(1) == ';' || peek(1) == '&')) return true;
  // The first bytes of the reserved words below (most commands start with none of them).
  if (c != '}' && c != 't' && c != 'e' && c != 'f' && c != 'd') return false;
  for (std::string_view w : {"}", "then", "elif", "else", "fi", "do", "done", "esac"}) {
    if (at_reserved(w)) return true;
  }
  return false;
}

void Parser::expect_reserved(std::string_view word) {
  skip_space();
  if (failed()) return;
  if (at_reserved(word)) {
    pos_ += word.size();
  } else {
    fail(std::string("expected `") + std::string(word) + "`");
  }
}

void Parser::expect(std::string_view token) {
  if (failed()) return;
  if (s_.substr(pos_, std::min(end_ - pos_, token.size())) == token) {
    pos_ += token.size();
  } else {
    fail(std::string("expected `") + std::string(token) + "`");
  }
}

void Parser::parse_top() {
  parse_list(st_.out.root);
  if (!failed() && !at_end()) fail(std::string("unexpected `") + peek() + "`");
  // A heredoc whose line never ended has an empty body, as in bash.
}

void Parser::parse_list(List& out) {
  // A `;` or `&` ends a pipeline: bash rejects one with nothing before it (`;ls`, `ls;;x`,
  // `ls && ; x`) and runs nothing, so that is a parse error here too.
  bool after_pipeline = false;
  while (!failed()) {
    for (;;) {
      skip_space();
      const bool semicolon = peek() == ';' && peek(1) != ';' && peek(1) != '&';
      const bool ampersand = peek() == '&' && peek(1) != '&' && peek(1) != '>';
      if (at_end() || (!semicolon && !ampersand)) break;
      if (!after_pipeline) return fail(std::string("unexpected `") + peek() + "`");
      after_pipeline = false;
      ++pos_;
    }
    if (at_closer()) return;
    Pipeline p;
    parse_pipeline(p);
    after_pipeline = !p.commands.empty();
    if (after_pipeline) out.pipelines.push_back(std::move(p));
    if (failed()) return;
    skip_blanks();
    if ((peek() == '&' && peek(1) == '&') || (peek() == '|' && peek(1) == '|')) {
      pos_ += 2;
      after_pipeline = false;
      continue;
    }
    char c = peek();
    if (at_end() || c == '\n' || at_closer() || c == ';' || c == '&') continue;
    fail(std::string("unexpected `") + c + "`");
  }
}

void Parser::parse_pipeline(Pipeline& out) {
  skip_blanks();
  while (at_reserved("!")) {
    ++pos_;
    skip_blanks();
  }
  while (!failed()) {
    out.commands.emplace_back();
    parse_command(out.commands.back());
    if (failed()) return;
    skip_blanks();
    if (peek() == '|' && peek(1) != '|') {
      pos_ += peek(1) == '&' ? 2 : 1;
      skip_space();
      continue;
    }
    return;
  }
}

void Parser::parse_command(Command& out) {
  skip_blanks();
  DepthGuard guard(*this);
  if (!guard.ok()) return;
  if (peek() == '(' && peek(1) == '(') {  // (( arithmetic ))
    pos_ += 2;
    out.kind = Command::Kind::compound;
    out.words.emplace_back();
    parse_parts(Mode::arith, out.words.back(), false);
    expect("))");
  } else if (peek() == '(') {
    ++pos_;
    out.kind = Command::Kind::group;
    out.subshell = true;
    out.body = std::make_shared<List>();
    parse_list(*out.body);
    skip_space();
    expect(")");
  } else if (at_reserved("{")) {
    ++pos_;
    out.kind = Command::Kind::group;
    out.body = std::make_shared<List>();
    parse_list(*out.body);
    expect_reserved("}");
  } else {
    // The first bytes of the keywords below (most commands start with none of them).
    const char c = peek();
    const bool keyword =
        c == 'i' || c == 'w' || c == 'u' || c == 'f' || c == 's' || c == 'c' || c == '[';
    for (std::string_view k : {"if", "while", "until", "for", "select", "case", "[[", "function"}) {
      if (keyword && at_reserved(k)) {
        pos_ += k.size();
        parse_compound(out, k);
        if (out.kind != Command::Kind::function) parse_redirects(out.redirects);
        return;
      }
    }
    parse_simple(out);
    return;
  }
  parse_redirects(out.redirects);
}

void Parser::parse_redirects(std::vector<Redirect>& out) {
  while (!failed()) {
    skip_blanks();
    if (!try_redirect(out)) return;
  }
}

// Compound commands: everything inside runs (or may run), so every inner list is appended to
// one body; only the words that are expanded (for-lists, case subjects and patterns) are kept.
void Parser::parse_compound(Command& out, std::string_view keyword) {
  out.kind = Command::Kind::compound;
  out.body = std::make_shared<List>();
  List& body = *out.body;
  if (keyword == "if") {
    parse_list(body);
    expect_reserved("then");
    parse_list(body);
    while (!failed()) {
      skip_space();
      if (at_reserved("elif")) {
        pos_ += 4;
        parse_list(body);
        expect_reserved("then");
        parse_list(body);
      } else if (at_reserved("else")) {
        pos_ += 4;
        parse_list(body);
      } else {
        break;
      }
    }
    expect_reserved("fi");
  } else if (keyword == "while" || keyword == "until") {
    parse_list(body);
    expect_reserved("do");
    parse_list(body);
    expect_reserved("done");
  } else if (keyword == "for" || keyword == "select") {
    skip_blanks();
    if (peek() == '(' && peek(1) == '(') {
      pos_ += 2;
      out.words.emplace_back();
      parse_parts(Mode::arith, out.words.back(), false);
      expect("))");
    } else {
      Word name;
      parse_word(name);
      for (const Part& p : name.parts) out.name += p.text;
      skip_space();
      if (at_reserved("in")) {
        pos_ += 2;
        for (;;) {
          skip_blanks();
          if (at_end() || failed() || is_metachar(peek())) break;
          out.words.emplace_back();
          parse_word(out.words.back());
        }
      }
    }
    skip_blanks();
    if (peek() == ';') ++pos_;
    skip_space();
    if (at_reserved("{")) {  // for x in ...; { ...; }
      ++pos_;
      parse_list(body);
      expect_reserved("}");
    } else {
      expect_reserved("do");
      parse_list(body);
      expect_reserved("done");
    }
  } else if (keyword == "case") {
    skip_blanks();
    out.words.emplace_back();
    parse_word(out.words.back());
    expect_reserved("in");
    while (!failed()) {
      skip_space();
      if (at_reserved("esac")) {
        pos_ += 4;
        break;
      }
      if (at_end()) {
        fail("expected `esac`");
        break;
      }
      if (peek() == '(') ++pos_;
      for (;;) {  // patterns: word | word ... )
        skip_blanks();
        if (failed() || at_end() || is_metachar(peek())) break;
        out.words.emplace_back();
        parse_word(out.words.back());
        skip_blanks();
        if (peek() == '|') ++pos_;
      }
      expect(")");
      parse_list(body);
      skip_space();
      if (peek() == ';' && peek(1) == ';')
        pos_ += peek(2) == '&' ? 3 : 2;
      else if (peek() == ';' && peek(1) == '&')
        pos_ += 2;
    }
  } else if (keyword == "[[") {
    for (;;) {
      skip_space();
      if (failed()) return;
      if (at_reserved("]]")) {
        pos_ += 2;
        return;
      }
      if (at_end()) return fail("expected `]]`");
      char c = peek();
      if (is_metachar(c)) {  // operators inside [[ ]] are not redirections or separators
        pos_ += (c == peek(1) && (c == '&' || c == '|')) ? 2 : 1;
        continue;
      }
      out.words.emplace_back();
      parse_word(out.words.back());
    }
  } else if (keyword == "function") {
    skip_blanks();
    Word name;
    parse_word(name);
    for (const Part& p : name.parts) out.name += p.text;
    skip_blanks();
    if (peek() == '(' && peek(1) == ')') pos_ += 2;
    skip_space();
    out.kind = Command::Kind::function;
    body.pipelines.emplace_back();
    body.pipelines.back().commands.emplace_back();
    parse_command(body.pipelines.back().commands.back());
  }
}

void Parser::parse_simple(Command& out) {
  bool any = false;
  while (!failed()) {
    skip_blanks();
    if (at_end()) break;
    if (try_redirect(out.redirects)) {
      any = true;
      continue;
    }
    char c = peek();
    bool process = (c == '<' || c == '>') && peek(1) == '(';
    if (is_metachar(c) && !process) break;
    if (out.words.empty() && is_name_start(c)) {  // NAME=value or NAME+=value
      std::size_t p = pos_;
      while (p < end_ && is_name_char(s_[p])) ++p;
      std::size_t eq = p < end_ && s_[p] == '+' ? p + 1 : p;
      if (eq < end_ && s_[eq] == '=') {
        std::size_t start = pos_;
        Word w;
        append_literal(w, s_.substr(pos_, eq + 1 - pos_), false);
        pos_ = eq + 1;
        if (peek() == '(') {  // NAME=(array): never a constant; keep its substitutions
          ++pos_;
          Part unknown;
          unknown.kind = Part::Kind::param;
          unknown.text = "(array)";
          w.parts.push_back(std::move(unknown));
          for (;;) {
            skip_space();
            if (failed() || at_end() || peek() == ')') break;
            Word element;
            parse_word(element);
            if (element.raw.empty()) return fail(std::string("unexpected `") + peek() + "`");
            for (Part& part : element.parts) w.parts.push_back(std::move(part));
          }
          expect(")");
        } else {
          parse_parts(Mode::unquoted, w, true);
        }
        w.raw = s_.substr(start, pos_ - start);
        out.assignments.push_back(std::move(w));
        any = true;
        continue;
      }
    }
    Word w;
    parse_word(w);
    if (w.raw.empty()) break;
    out.words.push_back(std::move(w));
    any = true;
    // name() compound: a function definition.
    if (out.words.size() == 1 && out.assignments.empty() && out.redirects.empty()) {
      std::size_t save = pos_;
      skip_blanks();
      if (peek() == '(') {
        ++pos_;
        skip_blanks();
        if (peek() == ')') {
          ++pos_;
          skip_space();
          out.kind = Command::Kind::function;
          for (const Part& p : out.words.front().parts) out.name += p.text;
          out.words.clear();
          out.body = std::make_shared<List>();
          out.body->pipelines.emplace_back();
          out.body->pipelines.back().commands.emplace_back();
          parse_command(out.body->pipelines.back().commands.back());
          return;
        }
      }
      pos_ = save;
    }
  }
  if (!any && !failed()) {
    fail(at_end() ? std::string("unexpected end of input")
                  : std::string("unexpected `") + peek() + "`");
  }
}

bool Parser::try_redirect(std::vector<Redirect>& out) {
  std::size_t p = pos_;
  int fd = -1;
  if (p < end_ && s_[p] >= '0' && s_[p] <= '9') {
    long n = 0;
    while (p < end_ && s_[p] >= '0' && s_[p] <= '9') {
      n = std::min(n * 10 + (s_[p] - '0'), 1L << 20);
      ++p;
    }
    if (p >= end_ || (s_[p] != '<' && s_[p] != '>')) return false;
    fd = static_cast<int>(n);
  }
  // Every operator starts with one of these (most words do not).
  if (p >= end_ || (s_[p] != '<' && s_[p] != '>' && s_[p] != '&')) return false;
  auto at = [&](std::string_view t) { return s_.substr(p, std::min(end_ - p, t.size())) == t; };
  std::string op;
  if (fd < 0 && at("&>>"))
    op = "&>>";
  else if (fd < 0 && at("&>"))
    op = "&>";
  else if (at("<<<"))
    op = "<<<";
  else if (at("<<-"))
    op = "<<-";
  else if (at("<<"))
    op = "<<";
  else if (at("<&"))
    op = "<&";
  else if (at("<>"))
    op = "<>";
  else if (at("<("))
    return false;
  else if (at("<"))
    op = "<";
  else if (at(">>"))
    op = ">>";
  else if (at(">&"))
    op = ">&";
  else if (at(">|"))
    op = ">|";
  else if (at(">("))
    return false;
  else if (at(">"))
    op = ">";
  else
    return false;
  pos_ = p + op.size();
  Redirect r;
  r.op = op;
  r.fd = fd >= 0 ? fd : op[0] == '<' ? 0 : op[0] == '&' ? -1 : 1;
  skip_blanks();
  parse_word(r.target, op != "<<" && op != "<<-");
  if (failed()) return true;
  if (r.target.raw.empty()) {
    fail("missing redirection target");
    return true;
  }
  if (op == "<<" || op == "<<-") {
    PendingHeredoc h;
    h.body = std::make_shared<Word>();
    // The delimiter is the word after quote removal; any quoting turns expansion off.
    h.quoted = r.target.raw.find_first_of("'\"\\") != std::string_view::npos;
    for (const Part& part : r.target.parts)
      h.delimiter += part.kind == Part::Kind::literal ? part.text : std::string(part.raw);
    h.strip_tabs = op == "<<-";
    r.heredoc = h.body;
    pending_.push_back(std::move(h));
  }
  out.push_back(std::move(r));
  return true;
}

// Called after a newline: each pending heredoc takes the lines up to its delimiter.
void Parser::read_heredocs() {
  std::vector<PendingHeredoc> pending = std::move(pending_);
  pending_.clear();
  for (PendingHeredoc& h : pending) {
    std::string stripped;
    std::size_t body_begin = pos_, body_end = end_;
    bool found = false;
    while (pos_ < end_) {
      std::size_t line_end = s_.find('\n', pos_);
      if (line_end == std::string_view::npos || line_end > end_) line_end = end_;
      std::string_view line = s_.substr(pos_, line_end - pos_);
      if (h.strip_tabs) line.remove_prefix(std::min(line.find_first_not_of('\t'), line.size()));
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line == h.delimiter) {
        body_end = pos_;
        pos_ = line_end < end_ ? line_end + 1 : end_;
        found = true;
        break;
      }
      if (h.strip_tabs) {
        stripped.append(line);
        stripped.push_back('\n');
      }
      pos_ = line_end < end_ ? line_end + 1 : end_;
    }
    if (!found) body_end = end_;
    std::string_view text = s_.substr(body_begin, body_end - body_begin);
    if (h.strip_tabs) {
      st_.out.owned.push_back(std::move(stripped));
      text = st_.out.owned.back();
    }
    if (h.quoted) {
      append_literal(*h.body, text, true);
      h.body->raw = text;
    } else {
      Parser sub(text, st_);
      sub.parse_parts(Mode::heredoc, *h.body, false);
      h.body->raw = text;
    }
  }
}

void parse(std::string_view text, const ParseLimits& limits, ParseResult& out) {
  ParseState state{limits, out};
  Parser parser(text, state);
  parser.parse_top();
}

}  // namespace vectimus::shell::syntax
