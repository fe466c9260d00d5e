// Where a JSON text first goes wrong, for the "payload is not valid JSON at byte N" message.
//
// simdjson reports only an error code, no position. When it rejects a payload, payload.cpp asks
// find_json_error() to re-scan the text with a small strict validator (RFC 8259, UTF-8 checked).
// Runs only on the error path. Internal to normalise/.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace vectimus::normalise {

struct JsonErrorAt {
  size_t offset = 0;      // 0-based byte offset of the first offending byte (size() at the end)
  std::string_view what;  // lowercase, e.g. "expected `,` or `}`"
};

// The first error in `text`, or nullopt when the text is valid JSON nested at most `max_depth`.
std::optional<JsonErrorAt> find_json_error(std::string_view text, size_t max_depth);

}  // namespace vectimus::normalise
