#include "tests/index/index_text.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "grammar/parse.hpp"
#include "support/diagnostic.hpp"

namespace vectimus::test {

std::string packs_text() {
  std::vector<std::filesystem::path> files;
  for (const auto& pack : std::filesystem::directory_iterator("policies")) {
    if (!pack.is_directory()) continue;
    for (const auto& f : std::filesystem::directory_iterator(pack.path())) {
      if (f.path().extension() == ".cedar") files.push_back(f.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::string text;
  for (const auto& f : files) {
    std::ifstream in(f);
    std::ostringstream s;
    s << in.rdbuf();
    text += s.str() + "\n";
  }
  return text + "@id(\"allow-all\") permit(principal, action, resource);\n";
}

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

interpreter::Request make_command_request(const std::string& action, const std::string& program,
                                          const std::string& command,
                                          const std::vector<std::string>& args,
                                          const std::vector<std::string>& flags) {
  interpreter::Request r =
      make_request(action, "Bash", {{"command", command}, {"program", program}});
  const auto set_of = [](const std::vector<std::string>& strings) {
    std::vector<interpreter::Value> elems;
    for (const std::string& s : strings) elems.push_back(interpreter::Value::string(s));
    return interpreter::Value::set(std::move(elems));
  };
  std::vector<std::pair<std::string, interpreter::Value>> fields = r.context.as_record();
  fields.emplace_back("args", set_of(args));
  fields.emplace_back("flags", set_of(flags));
  r.context = interpreter::Value::record(std::move(fields));
  return r;
}

}  // namespace vectimus::test
