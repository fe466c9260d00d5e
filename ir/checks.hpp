// Checks over a whole collection of policies that no single policy's parse can make: every
// policy has an `@id`, and no two share one (across files and packs). Lint and the pack loader
// both use these, so a duplicate is reported the same way everywhere.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "ir/ir.hpp"
#include "support/diagnostic.hpp"

namespace vectimus::ir {

// `policies` in the order they were loaded. A duplicate is reported at its second (and later)
// occurrence, with a note pointing at the first.
Diagnostics check_policy_ids(const std::vector<const Policy*>& policies);

// The annotations every rule of a custom pack carries (writing-policies.md's example rules):
// `@incident` and `@controls` are "where applicable" there.
inline constexpr std::string_view kPackAnnotations[] = {"id", "description",
                                                        "suggested_alternative"};
// A built-in pack's rules carry all five.
inline constexpr std::string_view kBuiltinAnnotations[] = {"id", "description", "incident",
                                                           "controls", "suggested_alternative"};

// Each of `keys` that `policy` lacks or leaves empty, as a `missing-annotation` error at the
// policy's first token. A missing `@id` is left to check_policy_ids (code `missing-id`).
Diagnostics check_annotations(const Policy& policy, std::span<const std::string_view> keys);

}  // namespace vectimus::ir
