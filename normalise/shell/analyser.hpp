// The analyser's internals, shared by analyse.cpp (lists, pipelines, bodies run again, bounds)
// and simple.cpp (one simple command: expansion, launchers, facts, constant output).
//
// The analyser walks the syntax tree in execution order, carrying a Scope of what is known, and
// appends one SimpleCommand per command started. Each command also reports its standard output
// when that output is a constant (echo, printf, cat of a heredoc, base64 -d of a constant), which
// is what lets `echo ... | base64 -d | sh` and `$(echo rm)` be followed.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "normalise/shell/analysis.hpp"
#include "normalise/shell/expand.hpp"
#include "normalise/shell/syntax.hpp"

namespace vectimus::shell {

struct Output {
  std::string text;
  // Where the text came from, as the provenance of commands a shell runs from it: `pipeline`
  // (echo, printf), `heredoc` (a heredoc or here-string, passed on by cat), `decoded`.
  Provenance via = Provenance::pipeline;
};
using MaybeOutput = std::optional<Output>;

// What a command reads on stdin: nothing known (not piped), a pipe, or a constant.
struct Stdin {
  bool piped = false;     // from the previous pipeline stage
  bool heredoc = false;   // from a heredoc or here-string
  bool file = false;      // from a file (`< script.sh`)
  MaybeOutput constant;   // its text, when constant
  std::string file_name;  // the file, when `file` and its name is constant
};

class Analyser {
 public:
  Analyser(const Options& options, Analysis& out) : options_(options), out_(out) {}

  // Parses and analyses `text` (the input, or a body run again). `carrier` is the index of the
  // command that runs the body, which receives its parse-error and bound codes; -1 for the input.
  void run_text(std::string_view text, Provenance provenance, Scope& scope, long carrier);

  MaybeOutput list(const syntax::List& list, Scope& scope, Provenance provenance);
  MaybeOutput pipeline(const syntax::Pipeline& pipeline, Scope& scope, Provenance provenance);
  MaybeOutput command(const syntax::Command& command, Scope& scope, Provenance provenance,
                      const Stdin& in);

  // simple.cpp
  MaybeOutput simple(const syntax::Command& command, Scope& scope, Provenance provenance,
                     const Stdin& in);
  // A command whose words are already expanded: launchers, facts, bodies. Used for the words of
  // a simple command and again for `find -exec` commands and `find -delete`.
  MaybeOutput run_fields(SimpleCommand record, std::vector<Field> fields, Scope& scope,
                         const Stdin& in, bool stdout_redirected);

  void add_code(long index, std::string_view code);  // to a command, or the whole input if -1
  void hit(std::string_view bound);                  // a bound (`bound::`) stopped the analysis
  void finish();  // sorts codes into out_.unresolved, bounds into out_.bounds
  bool stopped() const { return stopped_; }

 private:
  Substitute substitution(Scope& scope);
  void find_commands(long index, const SimpleCommand& find, const std::vector<Field>& fields,
                     Scope& scope);
  void run_bodies(long index, const std::vector<Field>& fields, Scope& scope, const Stdin& in);
  // runners.cpp: command lines a program runs from its options, its environment, its stdin
  // (`at`, `crontab`) or its interpreter code; false when the program is none of those.
  bool run_runners(long index, const std::vector<Field>& fields, const Stdin& in);
  void run_command_line(long index, const std::string& text, bool piped = false);
  // A file written by a downloader earlier in the line and run by this command.
  void track_downloads(long index);
  MaybeOutput constant_output(const SimpleCommand& c, const std::vector<Field>& fields,
                              const Stdin& in);
  void update_variables(const SimpleCommand& c, const std::vector<Field>& fields, Scope& scope);

  const Options& options_;
  Analysis& out_;
  std::set<std::string, std::less<>> codes_;
  std::set<std::string, std::less<>> bounds_;
  std::vector<std::string> downloads_;  // files the line's downloaders write (`curl -o F`)
  std::size_t reparse_depth_ = 0;
  std::size_t walk_depth_ = 0;
  std::size_t work_ = 0;
  bool stopped_ = false;
};

}  // namespace vectimus::shell
