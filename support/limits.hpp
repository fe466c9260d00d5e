// Named limits: every bound the program enforces on untrusted input, in one place.
#pragma once

#include <cstddef>

namespace vectimus::limits {

// Nesting depth of Cedar expressions (parentheses, calls, sets, records, `if`). Deeper input is
// rejected with a diagnostic instead of exhausting the stack.
inline constexpr std::size_t kMaxExpressionDepth = 200;

// Size of one policy file.
inline constexpr std::size_t kMaxPolicyFileBytes = 16u << 20;

// Nesting depth of JSON values (entities, context) converted to Cedar values.
inline constexpr std::size_t kMaxJsonDepth = 128;

}  // namespace vectimus::limits
