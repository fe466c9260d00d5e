// Word expansion: from a parsed Word to the fields a program would receive.
//
// The analyser hands each Word to an Expander, which applies bash's order: brace expansion on
// unquoted literal text, tilde, parameters (known only when assigned earlier in the same input,
// or `HOME` and `IFS`), command substitution (through a callback: the analyser records the
// commands inside and says whether their output is constant), then field splitting on IFS.
// What is not constant stays as written (`$DIR`, `$(curl x)`) and marks the field non-constant.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "normalise/shell/analysis.hpp"
#include "normalise/shell/syntax.hpp"

namespace vectimus::shell {

// What the analysis knows about the shell's state at one point of the input.
struct Scope {
  // A variable assigned in the input: its value, or nullopt when the value is not constant.
  std::map<std::string, std::optional<std::string>, std::less<>> vars;
  std::set<std::string, std::less<>> functions;
  std::map<std::string, std::string, std::less<>> aliases;
};

struct Field {
  std::string value;
  std::string_view raw;     // the word as written
  std::string written;      // after quote removal, expansions left as written: `~/x`, `$HOME/x`
  bool constant = true;     // no unknown part went into it
  bool home = false;        // `~` or `$HOME` went into it
  bool over_bound = false;  // a value longer than Options::max_value was left unexpanded
};

struct Expansion {
  std::vector<Field> fields;
  bool constant = true;
  bool over_bound = false;  // a value over max_value, or a brace expansion over max_fields
  std::string_view bound;   // which (`bound::` name) when over_bound
};

// Runs a substitution's body (recording its commands) and returns its output when constant.
using Substitute = std::function<std::optional<std::string>(const syntax::List& body)>;

class Expander {
 public:
  Expander(const Options& options, Scope& scope, Substitute substitute)
      : options_(options), scope_(scope), substitute_(std::move(substitute)) {}

  // Full expansion of a command word: zero, one or many fields.
  Expansion fields(const syntax::Word& word);
  // One string, without brace expansion or splitting: assignments, redirection targets, heredocs.
  Field single(const syntax::Word& word);
  // A variable's constant value, if the analysis knows it.
  std::optional<std::string> lookup(std::string_view name) const;

 private:
  struct Text;  // characters, each tagged with how it may still be expanded
  void expand_parts(const syntax::Word& word, Text& out, Field& facts);
  std::optional<std::string> param(const syntax::Part& part, Field& facts);

  const Options& options_;
  Scope& scope_;
  Substitute substitute_;
};

}  // namespace vectimus::shell
