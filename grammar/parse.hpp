// Parsing Cedar policy text (our subset, docs/cedar.md) into the IR.
//
// Data flow: Source text -> PEGTL grammar (grammar/rules.hpp) -> actions building ir:: nodes
// (grammar/build.cpp), with error messages from one table (grammar/errors.hpp). Positional ids
// `policy<N>` are assigned in text order starting at `first_index`, as Cedar does. Features
// outside the subset (extension functions, templates, getTag/hasTag) fail with the diagnostic
// code "unsupported"; everything else that is wrong fails with "syntax" and file:line:col.
#pragma once

#include "ir/ir.hpp"
#include "support/result.hpp"

namespace vectimus::grammar {

Result<ir::PolicySet> parse_policies(const SourcePtr& source, size_t first_index = 0);

// One entity UID literal, e.g. `Vectimus::User::"alice"` (used for command-line arguments).
Result<ir::EntityUid> parse_entity_uid(const SourcePtr& source);

}  // namespace vectimus::grammar
