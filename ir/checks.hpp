// Checks over a whole collection of policies that no single policy's parse can make: every
// policy has an `@id`, and no two share one (across files and packs). Lint and the pack loader
// both use these, so a duplicate is reported the same way everywhere.
#pragma once

#include <vector>

#include "ir/ir.hpp"
#include "support/diagnostic.hpp"

namespace vectimus::ir {

// `policies` in the order they were loaded. A duplicate is reported at its second (and later)
// occurrence, with a note pointing at the first.
Diagnostics check_policy_ids(const std::vector<const Policy*>& policies);

}  // namespace vectimus::ir
