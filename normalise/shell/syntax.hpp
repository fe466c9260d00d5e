// Syntax tree of a shell command string (internal to normalise/shell/).
//
// The parser builds it; the analyser walks it once and throws it away. Quote removal happens in
// the parser: a literal Part holds the text the program will see, plus whether it was quoted
// (quoted text is not brace-expanded, split or tilde-expanded). `raw` views point into the
// parsed text or into strings owned by the ParseResult, so the tree must not outlive either.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vectimus::shell::syntax {

struct List;

struct Word;

struct Part {
  enum class Kind : uint8_t {
    literal,  // text after quote removal
    param,    // $NAME, ${NAME}, ${NAME op word}, $1, $@ ...: `text` is the name
    command,  // $(...) or backticks: `body`
    process,  // <(...) or >(...): `body`
    arith,    // $((...)): never constant here; `operands` holds its expansions
    tilde,    // unquoted ~ or ~user at the start of a word: `text` is the user
  };
  Kind kind = Kind::literal;
  bool quoted = false;
  std::string text;
  std::string op;              // param: ":-", "-", ":=", "#", "%%", ... empty for plain $NAME
  std::vector<Word> operands;  // param operand, arith content
  std::shared_ptr<List> body;  // command and process substitutions
  std::string_view raw;
};

struct Word {
  std::vector<Part> parts;
  std::string_view raw;
};

struct Redirect {
  int fd = -1;
  std::string op;
  Word target;
  // Heredocs: the body as parsed (expansions only if the delimiter was unquoted). Shared so the
  // parser can fill it in when it reaches the end of the line, after the Redirect has moved.
  std::shared_ptr<Word> heredoc;
};

struct Command {
  enum class Kind : uint8_t {
    simple,    // assignments, words, redirects
    group,     // ( ... ) subshell or { ...; } group: `body`
    compound,  // if/while/until/for/select/case/[[ ]]/(( )): `body` holds every inner command,
               // `words` the for-list, case subject or [[ ]] operands, `name` a loop variable
    function,  // name() body / function name body: `name`, `body`
  };
  Kind kind = Kind::simple;
  bool subshell = false;  // group: `(` rather than `{`
  std::vector<Word> assignments;
  std::vector<Word> words;
  std::vector<Redirect> redirects;
  std::shared_ptr<List> body;
  std::string name;
};

struct Pipeline {
  std::vector<Command> commands;
};

struct List {
  std::vector<Pipeline> pipelines;  // separated by ; & && || newline: all may run
};

struct ParseResult {
  List root;
  std::deque<std::string> owned;  // unescaped backtick bodies; `raw` views may point here
  std::string error;              // empty when the parse succeeded
  bool depth_limit = false;
};

bool is_name_start(char c);  // [A-Za-z_]
bool is_name_char(char c);   // [A-Za-z0-9_]

struct ParseLimits {
  std::size_t max_depth = 64;
};

// Parses `text`. On error the tree holds what was parsed before it and `error` says what failed.
// Linear in the size of the text, except backtick bodies, which are re-read once per nesting level.
void parse(std::string_view text, const ParseLimits& limits, ParseResult& out);

}  // namespace vectimus::shell::syntax
