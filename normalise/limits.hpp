// Named limits of the payload adapters: every bound normalise/ enforces on agent input.
//
// The hook reads one JSON document from stdin; anything past these bounds is rejected with a
// diagnostic (and the hook denies) rather than parsed.
#pragma once

#include <cstddef>

namespace vectimus::normalise::limits {

// Size of one hook payload. Real payloads are a few KiB; a Write of a large file can reach a few
// MiB of content. A 20 MiB payload is rejected.
inline constexpr std::size_t kMaxPayloadBytes = 16u << 20;

// Nesting depth of the payload's JSON. simdjson's own limit is far larger; agents never nest
// more than a handful of levels, so deeper input is hostile or broken.
inline constexpr std::size_t kMaxPayloadDepth = 128;

}  // namespace vectimus::normalise::limits
