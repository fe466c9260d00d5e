// What the in-process benchmarks share: the built-in packs' text as one policy set, and a
// parse that stops the benchmark loudly if the text does not parse.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "grammar/parse.hpp"

namespace vectimus::bench {

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every policies/*/*.cedar in name order, plus the permit that makes the packs "allow unless
// forbidden".
inline std::string builtin_packs_text() {
  std::vector<std::filesystem::path> files;
  for (const auto& pack :
       std::filesystem::directory_iterator(std::string(VECTIMUS_SOURCE_DIR) + "/policies")) {
    if (!pack.is_directory()) continue;
    for (const auto& f : std::filesystem::directory_iterator(pack.path())) {
      if (f.path().extension() == ".cedar") files.push_back(f.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::string text;
  for (const auto& f : files) text += read_file(f) + "\n";
  return text + "@id(\"allow-all\") permit(principal, action, resource);\n";
}

inline ir::PolicySet parse_or_die(const std::string& text) {
  auto set = grammar::parse_policies(make_source("bench.cedar", text));
  if (!set) {
    std::fputs(render(set.errors()).c_str(), stderr);
    std::abort();
  }
  return std::move(set).value();
}

}  // namespace vectimus::bench
