// Printing the IR back to Cedar text, and a compact dump for tests.
//
// print(policy) writes Cedar that the reference implementation accepts and that parses back to
// the same IR (spans aside): parentheses wherever precedence, non-chaining relations, the
// `if`-only-at-start rule, or the folding of `-` into number literals would otherwise change the
// tree; strings through quote(); pattern stars as `*` (wildcard) or `\*` (literal).
//
// dump(expr) writes a compact, unambiguous form for table-driven tests:
//   literals     true  false  42  -7  "text" (quoted as Cedar)  A::B::"id"
//   variables    var(principal) var(action) var(resource) var(context)
//   unary        !(e)  neg(e)  isEmpty(e)
//   attributes   .(e,"name")  has(e,"name")
//   like         like(e,[*,"lit",*])   (* is a wildcard, "..." a literal run, quoted)
//   is           is(e,A::B)
//   binary       and(a,b) or(a,b) ==(a,b) !=(a,b) <(a,b) <=(a,b) >(a,b) >=(a,b)
//                +(a,b) -(a,b) *(a,b) in(a,b) contains(a,b) containsAll(a,b) containsAny(a,b)
//   others       if(c,a,b)  set(a,b,...)  rec("k":v,...)
// e.g. `and(like(.(var(context),"command"),[*,"rm -rf",*]),true)`.
//
// dump(policy) is `@k("v") ... permit(<principal>,<action>,<resource>) when{<dump>} unless{...}`
// with each scope element as `principal`, `principal==T::"x"`, `principal in T::"x"`,
// `action in [A::"x",B::"y"]`, `principal is T` or `principal is T in X::"y"`.
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
