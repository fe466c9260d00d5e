// Shared helpers for the grammar tables: parse a condition or a whole policy and return the
// IR dump, or the diagnostics as compact text.
#pragma once

#include <string>

#include "grammar/parse.hpp"
#include "ir/print.hpp"
#include "support/diagnostic.hpp"

namespace vectimus::test {

inline SourcePtr src(const std::string& text) {
  return make_source("test.cedar", text);
}

// "code@line:col message" for each diagnostic, joined with " | ".
inline std::string brief(const Diagnostics& ds) {
  std::string out;
  for (const Diagnostic& d : ds) {
    if (!out.empty()) out += " | ";
    out += d.code;
    if (d.where && d.where->source) {
      const LineCol lc = locate(d.where->source->text, d.where->span.begin);
      out += '@' + std::to_string(lc.line) + ':' + std::to_string(lc.column);
    }
    out += ' ' + d.message;
  }
  return out;
}

// The dump of the whole set (policies joined by " ;; "), or "ERR " + brief(errors).
inline std::string parse_dump(const std::string& text) {
  auto r = grammar::parse_policies(src(text));
  if (!r) return "ERR " + brief(r.errors());
  std::string out;
  for (const ir::Policy& p : r->policies) {
    if (!out.empty()) out += " ;; ";
    out += ir::dump(p);
  }
  return out;
}

inline std::string condition_text(const std::string& expr) {
  return "permit(principal, action, resource) when { " + expr + " };";
}

// The dump of the single condition body, or "ERR " + brief(errors).
inline std::string expr_dump(const std::string& expr) {
  auto r = grammar::parse_policies(src(condition_text(expr)));
  if (!r) return "ERR " + brief(r.errors());
  return ir::dump(r->policies.at(0).conditions.at(0).body);
}

}  // namespace vectimus::test
