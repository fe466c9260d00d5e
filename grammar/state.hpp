// The builder state the grammar actions share while one policy is parsed, and the exception
// that carries a diagnostic from deep inside the grammar to its edge. Private to grammar/.
//
// Stacks instead of a parse tree: each expression rule leaves exactly one Expr on `exprs`
// (see grammar/rules.hpp for why no undo is needed); names, UIDs and list starts have stacks
// of their own with the same discipline.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/ir.hpp"
#include "support/diagnostic.hpp"
#include "support/limits.hpp"

namespace vectimus::grammar {

// Thrown by actions and by the control; caught in build.cpp, never outside grammar/.
struct Failure {
  std::string code;  // "syntax" or "limit"
  std::string message;
  std::string help;
  Span span;
};

struct Name {
  std::string text;
  Span span;
};

struct State {
  SourcePtr source;
  const char* base = nullptr;  // source->text.data()

  uint32_t last_end = 0;  // end of the last token, before its trailing whitespace
  size_t depth = 0;       // parser nesting of `expr`

  std::vector<ir::Expr> exprs;
  std::vector<uint32_t> heights;   // tree height of each entry of `exprs`
  std::vector<size_t> list_marks;  // exprs.size() where an argument/element list began
  std::vector<Name> names;
  std::vector<size_t> name_marks;  // names.size() where a path or `has` chain began
  std::vector<ir::EntityUid> uids;
  std::vector<Span> uid_spans;
  std::vector<uint32_t> unary_counts;
  uint32_t pending_unary = 0;
  bool folded_literal = false;  // a `-` was folded into the number literal just parsed
  bool is_in_present = false;   // the `is` just parsed had an `in` part
  ir::Pattern pattern;          // the `like` pattern just parsed

  ir::Policy policy;
  ir::ScopeConstraint* target = nullptr;  // the scope element being parsed
  bool is_when = true;
  Diagnostics deferred;  // "unsupported" findings; parsing goes on to find real errors

  uint32_t offset(const char* p) const { return static_cast<uint32_t>(p - base); }
  Span token_span(const char* begin) const { return {offset(begin), last_end}; }

  [[noreturn]] void fail(std::string message, Span span, std::string help = {}) const {
    throw Failure{"syntax", std::move(message), std::move(help), span};
  }
  void unsupported(std::string message, Span span, std::string help = {}) {
    deferred.push_back(
        make_error("unsupported", std::move(message), Location{source, span}, std::move(help)));
  }

  void push(ir::Expr e, uint32_t height) {
    if (height > limits::kMaxExpressionDepth) {
      throw Failure{"limit", "expression is nested too deeply",
                    "the limit is " + std::to_string(limits::kMaxExpressionDepth) +
                        " levels; split the condition into several clauses or policies",
                    e.span};
    }
    exprs.push_back(std::move(e));
    heights.push_back(height);
  }
  ir::Expr pop(uint32_t& height) {
    height = heights.back();
    heights.pop_back();
    ir::Expr e = std::move(exprs.back());
    exprs.pop_back();
    return e;
  }
  Name pop_name() {
    Name n = std::move(names.back());
    names.pop_back();
    return n;
  }
};

}  // namespace vectimus::grammar
