// The shell parser's internals, shared by parser.cpp (lists, commands, redirections, heredocs)
// and parse_words.cpp (words, quoting, `$` expansions, backticks).
//
// One hand-written recursive-descent pass over the text: the lexer is folded into the parser
// because shell tokens depend on context (`}` is only special where a command starts, `)` ends a
// case pattern, a newline releases pending heredocs). Every recursion goes through a DepthGuard,
// and every loop consumes at least one byte or stops, which keeps the pass linear and bounded.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "normalise/shell/syntax.hpp"

namespace vectimus::shell::syntax {

struct ParseState {
  const ParseLimits& limits;
  ParseResult& out;
  std::size_t depth = 0;
};

// Where a word is being read decides which characters end it and which quote.
enum class Mode : uint8_t {
  unquoted,  // an ordinary word: metacharacters end it
  dquote,    // inside "...": ends at `"`
  heredoc,   // an unquoted heredoc body: like dquote, but `"` is ordinary; ends at end_
  brace,     // the operand of ${name op word} in unquoted context: ends at `}`
  brace_dq,  // the same inside "...": quotes other than `"` are literal
  arith,     // $(( ... )): ends at `))` outside parentheses
};

class Parser {
 public:
  Parser(std::string_view text, ParseState& state) : s_(text), end_(text.size()), st_(state) {}

  void parse_top();  // the whole text as a list

  // parser.cpp
  void parse_list(List& out);
  void parse_pipeline(Pipeline& out);
  void parse_command(Command& out);
  void parse_simple(Command& out);
  void parse_compound(Command& out, std::string_view keyword);
  bool try_redirect(std::vector<Redirect>& out);
  void parse_redirects(std::vector<Redirect>& out);
  void read_heredocs();

  // parse_words.cpp
  void parse_word(Word& out, bool tilde_ok = true);
  void parse_parts(Mode mode, Word& out, bool tilde_ok);
  void parse_dollar(Mode mode, Word& out);
  void parse_braced_param(Mode mode, Word& out, std::size_t start);
  void parse_backtick(Mode mode, Word& out);
  void parse_body(Part& part, char close);  // a list up to `close`, for $( <( >(

  // lexing helpers
  bool at_end() const { return pos_ >= end_; }
  char peek(std::size_t k = 0) const { return pos_ + k < end_ ? s_[pos_ + k] : '\0'; }
  bool failed() const { return !st_.out.error.empty(); }
  void fail(const std::string& message);
  void skip_blanks();   // spaces, tabs, `\` newline, comments
  bool skip_newline();  // one newline, then any pending heredoc bodies
  void skip_space();    // blanks and newlines
  bool at_reserved(std::string_view word) const;
  bool at_closer() const;  // a token that ends the enclosing list
  void expect_reserved(std::string_view word);
  void expect(std::string_view token);

 private:
  struct PendingHeredoc {
    std::shared_ptr<Word> body;
    std::string delimiter;
    bool quoted = false;
    bool strip_tabs = false;
  };

  std::string_view s_;
  std::size_t pos_ = 0;
  std::size_t end_;
  ParseState& st_;
  std::vector<PendingHeredoc> pending_;

  friend class DepthGuard;
};

// Counts nesting; past the limit it records the error and tells the caller to stop.
class DepthGuard {
 public:
  explicit DepthGuard(Parser& p);
  ~DepthGuard() { --p_.st_.depth; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  bool ok() const { return ok_; }

 private:
  Parser& p_;
  bool ok_ = true;
};

bool is_metachar(char c);  // ends an unquoted word
void append_literal(Word& w, std::string_view text, bool quoted);

}  // namespace vectimus::shell::syntax
