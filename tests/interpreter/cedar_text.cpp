#include "tests/interpreter/cedar_text.hpp"

#include "grammar/parse.hpp"
#include "support/diagnostic.hpp"

namespace vectimus::test {

std::optional<ir::PolicySet> cedar_policies(std::string_view text, std::string* error) {
  Result<ir::PolicySet> set = grammar::parse_policies(make_source("<test>", std::string(text)));
  if (!set.ok()) {
    if (error != nullptr) *error = render(set.errors());
    return std::nullopt;
  }
  return std::move(set).value();
}

std::optional<ir::Expr> cedar_expr(std::string_view text, std::string* error) {
  std::string policy = "permit(principal, action, resource) when { ";
  policy += text;
  policy += " };";
  std::optional<ir::PolicySet> set = cedar_policies(policy, error);
  if (!set || set->policies.size() != 1 || set->policies[0].conditions.size() != 1) {
    if (set && error != nullptr) *error = "not exactly one condition: " + std::string(text);
    return std::nullopt;
  }
  return std::move(set->policies[0].conditions[0].body);
}

}  // namespace vectimus::test
