// The bridge between the PEGTL grammar and the entry points: parses one policy (or one entity
// UID) at a byte offset and returns the IR or the diagnostics. Private to grammar/.
//
// grammar/build.cpp holds the actions and the control (which turns `must<>` failures into
// diagnostics from grammar/errors.hpp); grammar/parse.cpp loops over policies and resynchronises
// after errors. No exception leaves these functions.
#pragma once

#include <cstddef>

#include "ir/ir.hpp"
#include "support/diagnostic.hpp"
#include "support/result.hpp"

namespace vectimus::grammar {

struct PolicyOutcome {
  ir::Policy policy;        // meaningful only when diagnostics is empty
  Diagnostics diagnostics;  // errors, including "unsupported" features found on the way
  size_t end = 0;           // where parsing stopped: after the policy, or at the error
  bool completed = false;   // the grammar matched the whole policy (maybe with deferred errors)
};

// Parses one policy starting at `offset` (which must not be at whitespace) and the whitespace
// after it.
PolicyOutcome parse_policy_at(const SourcePtr& source, size_t offset);

// The offset of the first character at or after `offset` that is not whitespace or a comment.
size_t skip_space(const SourcePtr& source, size_t offset);

Result<ir::EntityUid> parse_uid(const SourcePtr& source);

}  // namespace vectimus::grammar
