// Cedar's `like`: whole-string wildcard matching of a text against an ir::Pattern.
//
// The evaluator calls like_match() with the left operand's bytes and the pattern from the IR.
// Matching is byte-wise on UTF-8, which is exact for Cedar: literal runs start and end on
// character boundaries, so a wildcard always spans whole characters (docs/cedar.md, `like`).
// No regular expression, no allocation; worst case O(n·m), usually linear.
#pragma once

#include <string_view>

#include "ir/ir.hpp"

namespace vectimus::interpreter {

// True iff the whole of `text` matches `pattern` (anchored at both ends).
bool like_match(std::string_view text, const ir::Pattern& pattern);

}  // namespace vectimus::interpreter
