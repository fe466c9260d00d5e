// Printing the IR back to Cedar text, and a compact dump for tests.
//
// print(policy) writes Cedar that the reference implementation accepts and that parses back to
// the same IR (spans aside). dump(expr) writes a compact, unambiguous S-expression-like form
// used by table-driven tests, e.g. `and(like(attr(var(context),command),[*,"rm -rf",*]),true)`.
#pragma once

#include <string>

#include "ir/ir.hpp"

namespace vectimus::ir {

std::string print(const Policy& policy);
std::string print(const PolicySet& set);
std::string print(const Expr& expr);

// A Cedar string literal for `text`, quoted and escaped.
std::string quote(std::string_view text);

std::string dump(const Expr& expr);
std::string dump(const Policy& policy);  // effect, scope, annotations, conditions

}  // namespace vectimus::ir
