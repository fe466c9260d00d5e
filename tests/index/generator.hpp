// A seeded generator of Cedar policy sets, requests and entity stores for the index tests
// (equivalence with full evaluation, and the stored form). It leans on what the prefilter must
// get right: patterns with many stars, literal `\*`, backslashes, non-ASCII text, short runs,
// `==`/`!=`/contains, `&&`/`||`/`!`/`unless`/`if`/`has`, missing and non-string attributes,
// attributes of entities, scope hierarchy, and permits as well as forbids; and set attributes
// under contains/containsAny/containsAll, with string, non-string and nested elements, empty
// literal sets, and strings where a set is expected.
#pragma once

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "interpreter/entities.hpp"
#include "interpreter/request.hpp"
#include "interpreter/value.hpp"

namespace vectimus::test {

using interpreter::Value;

// Tokens that strings and patterns are built from, so that patterns often do match. They
// include a star, a backslash, a quote, a newline, 2-byte and 4-byte UTF-8.
inline const char* const kTokens[] = {"a", "b",    "ab",  "rm",  " -rf", " /",
                                      "/", "*",    "\\",  "\"",  "\n",   "é",
                                      "😀", "sudo", "abc", "xyz", "~",    "rm -rf /"};
inline const char* const kAttrs[] = {"command", "file_path", "tool", "n", "flag", "missing"};
inline const char* const kSetAttrs[] = {"args", "flags"};
// Set elements: short words, so that literal sets and request sets share many of them.
inline const char* const kWords[] = {"push", "f", "force", "main", "", "a", "é"};

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}

  size_t below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  bool chance(int percent) { return below(100) < static_cast<size_t>(percent); }

  std::string text(size_t max_tokens) {
    std::string out;
    const size_t n = below(max_tokens + 1);
    for (size_t i = 0; i < n; ++i) out += kTokens[below(std::size(kTokens))];
    return out;
  }

  // A Cedar string literal for `s` (a pattern literal when `pattern`: a star must be `\*`).
  static std::string quote(const std::string& s, bool pattern) {
    std::string out = "\"";
    for (const char c : s) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (c == '*' && pattern) {
        out += "\\*";
      } else if (c == '\n') {
        out += "\\n";
      } else {
        out += c;
      }
    }
    return out + "\"";
  }

  std::string pattern() {
    std::string out = "\"";
    const size_t n = 1 + below(6);
    for (size_t i = 0; i < n; ++i) {
      if (chance(45)) {
        out += '*';
      } else {
        const std::string q = quote(text(2), true);
        out += q.substr(1, q.size() - 2);
      }
    }
    return out + "\"";
  }

  std::string string_path() {
    switch (below(8)) {
      case 0: return "principal.name";
      case 1: return "context.rec.inner";
      default: return std::string("context.") + kAttrs[below(std::size(kAttrs))];
    }
  }

  // Mostly a set attribute, sometimes one holding a string or nothing (contains then errors).
  std::string set_path() {
    switch (below(8)) {
      case 0: return "principal.groups";
      case 1: return "context.command";
      case 2: return "context.missing";
      default: return std::string("context.") + kSetAttrs[below(std::size(kSetAttrs))];
    }
  }

  std::string word() { return quote(kWords[below(std::size(kWords))], false); }

  // A set literal of 0-3 elements: mostly strings, sometimes a long or a nested set.
  std::string set_literal() {
    std::string out = "[";
    const size_t n = below(4);
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) out += ", ";
      out += chance(85) ? word() : (chance(50) ? "1" : "[" + word() + "]");
    }
    return out + "]";
  }

  std::string set_expr() {
    switch (below(5)) {
      case 0: return set_path() + ".contains(" + (chance(90) ? word() : "1") + ")";
      case 1: return set_path() + ".containsAny(" + set_literal() + ")";
      case 2: return set_literal() + ".containsAny(" + set_path() + ")";
      case 3: return set_path() + ".containsAll(" + set_literal() + ")";
      default: return set_literal() + ".containsAll(" + set_path() + ")";
    }
  }

  std::string expr(int depth) {
    const size_t pick = depth <= 0 ? below(8) : below(13);
    switch (pick) {
      case 0:
      case 1: return string_path() + " like " + pattern();
      case 2:
        return chance(50) ? string_path() + " == " + quote(text(2), false)
                          : quote(text(2), false) + " == " + string_path();
      case 3: return string_path() + " != " + quote(text(2), false);
      case 4: return std::string("context has ") + kAttrs[below(std::size(kAttrs))];
      case 5:
        return "[" + quote(text(1), false) + ", " + quote(text(2), false) + "].contains(" +
               string_path() + ")";
      case 6: return chance(50) ? "true" : (chance(50) ? "false" : "context.flag");
      case 7: return set_expr();
      case 8: return "!(" + expr(depth - 1) + ")";
      case 9:
      case 10: return "(" + expr(depth - 1) + ") && (" + expr(depth - 1) + ")";
      case 11: return "(" + expr(depth - 1) + ") || (" + expr(depth - 1) + ")";
      default:
        return "if (" + expr(depth - 1) + ") then (" + expr(depth - 1) + ") else (" +
               expr(depth - 1) + ")";
    }
  }

  std::string policy() {
    std::string out = chance(40) ? "permit(" : "forbid(";
    out += chance(70)
               ? "principal, "
               : (chance(50) ? "principal == User::\"dev\", " : "principal in Group::\"staff\", ");
    switch (below(4)) {
      case 0: out += "action, "; break;
      case 1: out += "action in [Action::\"shell_command\", Action::\"file_write\"], "; break;
      case 2: out += "action in Action::\"exec\", "; break;
      default:
        out += std::string("action == Action::\"") + (chance(50) ? "shell_command" : "file_write") +
               "\", ";
    }
    out += chance(70) ? "resource)" : "resource == Tool::\"Bash\")";
    const size_t conditions = below(4);
    for (size_t i = 0; i < conditions; ++i) {
      out += chance(70) ? " when { " : " unless { ";
      out += expr(static_cast<int>(below(4))) + " }";
    }
    return out + ";\n";
  }

  Value value() {
    switch (below(10)) {
      case 0: return Value::long_(1);
      case 1: return Value::boolean(chance(50));
      case 2: return Value::record({{"inner", Value::string(text(3))}});
      default: return Value::string(text(chance(10) ? 40 : 5));
    }
  }

  // Mostly a set of words, sometimes with a long or a nested set in it, sometimes a string.
  Value set_value() {
    if (chance(10)) return Value::string(kWords[below(std::size(kWords))]);
    std::vector<Value> elems;
    const size_t n = below(4);
    for (size_t i = 0; i < n; ++i) {
      if (chance(85)) {
        elems.push_back(Value::string(kWords[below(std::size(kWords))]));
      } else {
        elems.push_back(chance(50) ? Value::long_(1)
                                   : Value::set({Value::string(kWords[below(std::size(kWords))])}));
      }
    }
    return Value::set(std::move(elems));
  }

  interpreter::Request request() {
    interpreter::Request r;
    r.principal = chance(80) ? ir::EntityUid{"User", "dev"} : ir::EntityUid{"User", "other"};
    const char* const actions[] = {"shell_command", "file_write", "mcp_tool"};
    r.action = {"Action", actions[below(3)]};
    r.resource = {"Tool", chance(60) ? "Bash" : "Write"};
    std::vector<std::pair<std::string, Value>> fields;
    for (const char* attr : kAttrs) {
      if (chance(60)) fields.emplace_back(attr, value());
    }
    if (chance(50)) fields.emplace_back("rec", Value::record({{"inner", Value::string(text(4))}}));
    if (chance(20)) fields.emplace_back("flag", Value::boolean(chance(50)));
    for (const char* attr : kSetAttrs) {
      if (chance(75)) fields.emplace_back(attr, set_value());
    }
    r.context = Value::record(std::move(fields));
    return r;
  }

  interpreter::Entities entities() {
    interpreter::Entities store;
    if (chance(80)) {
      std::vector<std::pair<std::string, Value>> attrs;
      if (chance(80)) attrs.emplace_back("name", value());
      if (chance(60)) attrs.emplace_back("groups", set_value());
      store.add({{"User", "dev"}, Value::record(std::move(attrs)), {{"Group", "staff"}}, {}});
    }
    if (chance(70)) {
      store.add({{"Action", "shell_command"}, Value::record({}), {{"Action", "exec"}}, {}});
    }
    store.finish();
    return store;
  }

 private:
  std::mt19937 rng_;
};

}  // namespace vectimus::test
