#include "tests/index/index_text.hpp"

#include <catch2/catch.hpp>

#include "grammar/parse.hpp"
#include "support/diagnostic.hpp"

namespace vectimus::test {

ir::PolicySet parse_set(std::string_view text) {
  Result<ir::PolicySet> set = grammar::parse_policies(make_source("<test>", std::string(text)));
  if (!set.ok()) FAIL(render(set.errors()) << "\nin:\n" << text);
  return std::move(set).value();
}

interpreter::Request make_request(const std::string& action, const std::string& tool,
                                  const std::vector<std::pair<std::string, std::string>>& context) {
  interpreter::Request r;
  r.principal = {"Vectimus::User", "dev"};
  r.action = {"Vectimus::Action", action};
  r.resource = {"Vectimus::Tool", tool};
  std::vector<std::pair<std::string, interpreter::Value>> fields;
  for (const auto& [key, value] : context)
    fields.emplace_back(key, interpreter::Value::string(value));
  r.context = interpreter::Value::record(std::move(fields));
  return r;
}

}  // namespace vectimus::test
