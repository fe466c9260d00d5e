// Finding where a JSON value sits in its source text, for diagnostics only.
//
// simdjson's DOM keeps no offsets, so when the loader reports an error at a path such as
// `[2].attrs.a[1]` it asks locate_json_path() to re-scan the (already validated) text along that
// path. Runs only on the error path; returns nothing when it cannot follow the path (e.g. a key
// written with escapes), and the diagnostic then names the source without a position.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "support/source.hpp"

namespace vectimus::interpreter {

struct JsonPathStep {
  bool is_key = true;
  std::string_view key;  // when is_key
  size_t index = 0;      // when !is_key
};

// The span of the value at `path` in `text` (valid JSON), or nullopt.
std::optional<Span> locate_json_path(std::string_view text, const std::vector<JsonPathStep>& path);

}  // namespace vectimus::interpreter

namespace vectimus::interpreter {

// The first integer token in `text` (outside strings) that does not fit in i64, or nullopt.
// simdjson rejects such numbers (beyond 64 bits) before we can see a path, so this finds them
// for the message.
std::optional<Span> find_out_of_range_integer(std::string_view text);

}  // namespace vectimus::interpreter
