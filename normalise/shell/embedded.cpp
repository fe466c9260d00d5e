// See embedded.hpp. The call tables come from each language's standard library reference
// (Python os/subprocess/pty, Perl perlfunc, Ruby Kernel/IO/Open3/Process, Node child_process,
// PHP program execution functions, POSIX awk, Lua os/io).
#include "normalise/shell/embedded.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "support/text.hpp"

namespace vectimus::shell {
namespace {

// Calls that hand their arguments to a shell (one string) or to exec (several strings or a list).
// `strict`: an argument that is not a literal is a command computed at run time (JavaScript's
// bare `exec` is also RegExp.prototype.exec, so it only counts with a literal). `any_qualifier`:
// the name may follow `anything.` (`child_process.exec`, `cp.execSync`); otherwise it must
// stand alone or be written with its qualifier. `pipe_only`: only a string that starts or ends
// with `|` is a command (Perl's and Ruby's `open`).
struct Call {
  std::string_view language;
  std::string_view names;
  bool strict = true;
  bool any_qualifier = false;
  bool pipe_only = false;
};
constexpr std::array kCalls = {
    Call{"python",
         "os.system os.popen subprocess.run subprocess.call subprocess.check_call "
         "subprocess.check_output subprocess.Popen subprocess.getoutput subprocess.getstatusoutput "
         "sp.run sp.call sp.check_call sp.check_output sp.Popen os.execvp os.execv os.execlp "
         "os.spawnlp pty.spawn system popen check_output check_call getoutput getstatusoutput "
         "Popen"},
    Call{"perl", "system exec"},
    Call{"perl", "open", true, false, true},
    Call{"ruby",
         "system exec spawn IO.popen Open3.capture2 Open3.capture2e Open3.capture3 Open3.popen2 "
         "Open3.popen3 Process.spawn Kernel.system Kernel.exec PTY.spawn"},
    Call{"ruby", "open", true, false, true},
    Call{"javascript", "execSync spawn spawnSync execFile execFileSync", true, true},
    Call{"javascript", "exec", false, true},
    Call{"php", "system exec shell_exec passthru popen proc_open pcntl_exec"},
    Call{"awk", "system"},
    Call{"lua", "os.execute io.popen"},
    Call{"r", "system system2"},
};

bool ident(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

std::string quote(std::string_view word) {
  std::string out = "'";
  for (char c : word) {
    if (c == '\'')
      out += "'\\''";
    else
      out.push_back(c);
  }
  return out + "'";
}

class Scanner {
 public:
  Scanner(std::string_view language, std::string_view code, std::size_t max)
      : lang_(language), code_(code), max_(max) {}

  std::vector<EmbeddedCommand> run() {
    for (std::size_t i = 0; i < code_.size() && out_.size() < max_; ++i) {
      char c = code_[i];
      if (c == '`' && (lang_ == "perl" || lang_ == "ruby" || lang_ == "php")) {
        i = quoted_operator(i + 1, '`');
      } else if (lang_ == "perl" && c == 'q' && at_word(i) && i + 2 < code_.size() &&
                 code_[i + 1] == 'x' && !ident(code_[i + 2]) && code_[i + 2] != ' ') {
        i = quoted_operator(i + 3, closing(code_[i + 2]));
      } else if (lang_ == "ruby" && c == '%' && i + 2 < code_.size() && code_[i + 1] == 'x') {
        i = quoted_operator(i + 3, closing(code_[i + 2]));
      } else if (lang_ == "awk" && c == '|' && i + 1 < code_.size() && code_[i + 1] != '|' &&
                 (i == 0 || code_[i - 1] != '|')) {
        awk_pipe(i + 1);
      } else if (c == '"' || c == '\'' || (c == '`' && lang_ == "javascript")) {
        i = skip_string(i);  // text in a string is not a call: `print("os.system(x)")`
      } else if (ident(c) && at_word(i)) {
        i = call(i);
      }
    }
    return std::move(out_);
  }

 private:
  static char closing(char open) {
    switch (open) {
      case '{': return '}';
      case '(': return ')';
      case '[': return ']';
      case '<': return '>';
      default: return open;
    }
  }

  // The index of the quote that closes the string opened at `i`.
  std::size_t skip_string(std::size_t i) const {
    std::size_t j = i + 1;
    while (j < code_.size() && code_[j] != code_[i]) j += code_[j] == '\\' ? 2 : 1;
    return std::min(j, code_.size());
  }

  bool at_word(std::size_t i) const { return i == 0 || !ident(code_[i - 1]); }

  void add(std::string text, bool constant, bool piped = false) {
    if (out_.size() < max_) out_.push_back({constant ? std::move(text) : "", constant, piped});
  }

  // Whether a string's text interpolates values in this language.
  bool interpolates(std::string_view text, char quote_char) const {
    if (quote_char == '\'') return false;
    if (lang_ == "perl" || lang_ == "php")
      return text.find('$') != std::string_view::npos || text.find('@') != std::string_view::npos;
    if (lang_ == "ruby") return text.find("#{") != std::string_view::npos;
    if (lang_ == "javascript")
      return quote_char == '`' && text.find("${") != std::string_view::npos;
    return false;
  }

  // A command-quoting operator's body from `from` up to `close` (nested brackets counted).
  std::size_t quoted_operator(std::size_t from, char close) {
    char open = code_[from - 1];
    int depth = 0;
    std::size_t j = from;
    for (; j < code_.size(); ++j) {
      if (code_[j] == '\\') {
        ++j;
        continue;
      }
      if (open != close && code_[j] == open) ++depth;
      if (code_[j] == close && depth-- == 0) break;
    }
    std::string_view body = code_.substr(from, j - from);
    add(std::string(body), !interpolates(body, '"'));
    return j;
  }

  // A string literal at `i` (after an optional Python prefix): its value, whether it is constant,
  // and the index past it; nullopt when there is none.
  struct Literal {
    std::string value;
    bool constant = true;
    std::size_t end = 0;
  };
  std::optional<Literal> literal(std::size_t i) const {
    bool fstring = false;
    while (lang_ == "python" && i < code_.size() &&
           std::string_view("rRbBuUfF").find(code_[i]) != std::string_view::npos) {
      fstring = fstring || code_[i] == 'f' || code_[i] == 'F';
      ++i;
    }
    if (i >= code_.size()) return std::nullopt;
    if (lang_ == "perl" && code_[i] == 'q' && i + 2 < code_.size()) {
      // q{...} is a constant string, qq{...} interpolates like "...".
      bool qq = code_[i + 1] == 'q';
      std::size_t open = i + (qq ? 2 : 1);
      char o = open < code_.size() ? code_[open] : ' ';
      if (std::string_view("{([</|!#").find(o) != std::string_view::npos) {
        char close = closing(o);
        std::size_t j = open + 1;
        int depth = 0;
        Literal lit;
        for (; j < code_.size(); ++j) {
          if (o != close && code_[j] == o) ++depth;
          if (code_[j] == close && depth-- == 0) break;
          lit.value.push_back(code_[j]);
        }
        lit.end = j + 1;
        lit.constant = !qq || !interpolates(lit.value, '"');
        return lit;
      }
    }
    char q = code_[i];
    if (q != '"' && q != '\'' && !(q == '`' && lang_ == "javascript")) return std::nullopt;
    Literal lit;
    std::size_t j = i + 1;
    for (; j < code_.size() && code_[j] != q; ++j) {
      if (code_[j] == '\\' && j + 1 < code_.size()) {
        char e = code_[++j];
        lit.value.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e);
        continue;
      }
      lit.value.push_back(code_[j]);
    }
    lit.end = j + 1;
    lit.constant = !fstring && !interpolates(lit.value, q);
    return lit;
  }

  std::size_t skip_blanks(std::size_t i) const {
    while (i < code_.size() && (code_[i] == ' ' || code_[i] == '\t' || code_[i] == '\n')) ++i;
    return i;
  }

  // Whether the literal ending at `i` is a whole argument (not concatenated or formatted).
  bool whole(std::size_t i) const {
    i = skip_blanks(i);
    return i >= code_.size() ||
           std::string_view(",)];}\n|").find(code_[i]) != std::string_view::npos;
  }

  // The arguments of a call from `i` (just past its name): literals, flattened lists, and
  // whether one was not a constant literal.
  struct Args {
    std::vector<std::string> words;
    bool list = false;
    bool dynamic = false;
  };
  // `skip_other`: an argument that is not a literal is passed over (`open(my $f, "cmd |")`).
  Args arguments(std::size_t i, bool skip_other = false) const {
    Args args;
    i = skip_blanks(i);
    if (i < code_.size() && code_[i] == '(') i = skip_blanks(i + 1);
    int lists = 0;
    for (int items = 0; items < 256 && i < code_.size(); ++items) {
      if (code_[i] == '[') {
        args.list = true;
        ++lists;
        i = skip_blanks(i + 1);
        continue;
      }
      std::optional<Literal> lit = literal(i);
      if (skip_other && (!lit || !whole(lit->end))) {
        while (i < code_.size() && code_[i] != ',' && code_[i] != ')' && code_[i] != ';') ++i;
        if (i >= code_.size() || code_[i] != ',') break;
        i = skip_blanks(i + 1);
        continue;
      }
      if (!lit || !whole(lit->end)) {
        if (args.words.empty() || lists > 0) args.dynamic = true;
        break;
      }
      args.dynamic = args.dynamic || !lit->constant;
      args.words.push_back(std::move(lit->value));
      i = skip_blanks(lit->end);
      while (i < code_.size() && code_[i] == ']' && lists > 0) {
        --lists;
        i = skip_blanks(i + 1);
      }
      if (i >= code_.size() || code_[i] != ',') break;
      i = skip_blanks(i + 1);
    }
    return args;
  }

  // The identifier (with dots) at `i`; when it names a call of this language, its command.
  std::size_t call(std::size_t i) {
    std::size_t end = i;
    while (end < code_.size() && (ident(code_[end]) || code_[end] == '.')) ++end;
    std::string_view name = code_.substr(i, end - i);
    for (const Call& c : kCalls) {
      if (c.language != lang_) continue;
      std::string_view tail = name;
      if (c.any_qualifier) {
        std::size_t dot = name.rfind('.');
        if (dot != std::string_view::npos) tail = name.substr(dot + 1);
      }
      if (!in_words(c.names, tail)) continue;
      Args args = arguments(end, c.pipe_only);
      if (c.pipe_only) {
        for (std::string& w : args.words) pipe_command(w);
        return end - 1;
      }
      if (args.dynamic && (c.strict || !args.words.empty())) {
        add("", false);
      } else if (args.words.size() == 1 && !args.list) {
        add(std::move(args.words[0]), true);
      } else if (!args.words.empty()) {
        std::string text;
        for (const std::string& w : args.words) text += (text.empty() ? "" : " ") + quote(w);
        add(std::move(text), true);
      }
      return end - 1;
    }
    // A dotted name is scanned whole, so `x.system` is not `system`; the loop resumes after it.
    return end - 1;
  }

  // Perl/Ruby `open(F, "CMD |")` / `open(F, "| CMD")`.
  void pipe_command(std::string_view s) {
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    if (!s.empty() && s.front() == '|') add(std::string(s.substr(1)), true, true);
    if (s.size() > 1 && s.back() == '|') add(std::string(s.substr(0, s.size() - 1)), true);
  }

  // awk: `print ... | "CMD"` (CMD reads the output) and `"CMD" | getline` (it is read).
  void awk_pipe(std::size_t i) {
    std::size_t j = skip_blanks(i);
    if (code_.compare(j, 7, "getline") == 0) {
      // The command is the expression before the `|`: a literal ends right there.
      std::size_t close = i - 1;  // the `|`
      while (close > 0 && (code_[close - 1] == ' ' || code_[close - 1] == '\t')) --close;
      if (close >= 2 && code_[close - 1] == '"') {
        std::size_t open = code_.rfind('"', close - 2);
        if (open != std::string_view::npos)
          return add(std::string(code_.substr(open + 1, close - 2 - open)), true);
      }
      return add("", false);
    }
    std::optional<Literal> lit = literal(j);
    if (lit && whole(lit->end)) return add(std::move(lit->value), true, true);
    add("", false);
  }

  std::string_view lang_;
  std::string_view code_;
  std::size_t max_;
  std::vector<EmbeddedCommand> out_;
};

}  // namespace

std::vector<EmbeddedCommand> embedded_commands(std::string_view language, std::string_view code,
                                               std::size_t max) {
  return Scanner(language, code, max).run();
}

}  // namespace vectimus::shell
