// Function and method calls: the few Cedar knows, which of them we evaluate, and which are
// outside our subset (extension functions, tags). Private to grammar/.
//
// Cedar itself rejects unknown names at parse time ("`foo` is not a valid function"), so those
// are syntax errors; names it knows but we do not evaluate are "unsupported", so a conformance
// run can skip them instead of counting a failure.
#pragma once

#include <string>
#include <vector>

#include "grammar/state.hpp"

namespace vectimus::grammar {

// Pushes the node for `receiver.name(args...)` (or a placeholder after an "unsupported"
// finding). `span` covers the whole call.
void build_method_call(State& s, ir::Expr receiver, uint32_t receiver_height, const Name& name,
                       std::vector<ir::Expr> args, uint32_t args_height, Span span);

// `name(args...)` where `name` is a path: only extension functions exist in Cedar.
void build_function_call(State& s, const Name& name, std::vector<ir::Expr> args, Span span);

// true for the identifiers Cedar reserves (`true false if then else in like has is __cedar`).
bool is_reserved(std::string_view name);

}  // namespace vectimus::grammar
