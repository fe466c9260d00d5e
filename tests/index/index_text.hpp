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

// A simple command's request as the engine plans it: make_request(action, "Bash", command and
// program as strings), plus `args` and `flags` as sets of strings.
interpreter::Request make_command_request(const std::string& action, const std::string& program,
                                          const std::string& command,
                                          const std::vector<std::string>& args,
                                          const std::vector<std::string>& flags);

}  // namespace vectimus::test
