// Test helper: Cedar text to IR through grammar::parse_policies, so that the tables in these
// tests are readable Cedar. An expression is parsed as the `when` body of
// `permit(principal, action, resource) when { <expr> };`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ir/ir.hpp"

namespace vectimus::test {

// nullopt (and a message in `error`) when the text does not parse.
std::optional<ir::PolicySet> cedar_policies(std::string_view text, std::string* error = nullptr);
std::optional<ir::Expr> cedar_expr(std::string_view text, std::string* error = nullptr);

}  // namespace vectimus::test
