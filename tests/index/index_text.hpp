// Test helpers: Cedar text to IR with the real grammar, and requests in the packs' shape.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "interpreter/request.hpp"
#include "ir/ir.hpp"

namespace vectimus::test {

// The built-in packs (every policies/*/*.cedar in name order, read from the repository root,
// which is the tests' working directory) plus the permit that makes them "allow unless
// forbidden".
std::string packs_text();

// Parses `text` or fails the current test (REQUIRE) with the rendered diagnostics.
ir::PolicySet parse_set(std::string_view text);

// principal Vectimus::User::"dev", action Vectimus::Action::"<action>",
// resource Vectimus::Tool::"<tool>", context holding the given string fields.
interpreter::Request make_request(const std::string& action, const std::string& tool,
                                  const std::vector<std::pair<std::string, std::string>>& context);

}  // namespace vectimus::test
