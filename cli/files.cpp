#include "cli/files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vectimus::cli {

namespace fs = std::filesystem;

Result<SourcePtr> read_source(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return make_error("io", "`" + path + "` is a directory, expected a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("io", "cannot open `" + path + "`: no such file or not readable");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return make_error("io", "cannot read `" + path + "`");
  return make_source(path, std::move(text).str());
}

Result<std::vector<std::string>> expand_paths(const std::vector<std::string>& paths,
                                              const std::string& extension) {
  std::vector<std::string> out;
  Diagnostics errors;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      errors.push_back(make_error("io", "`" + path + "` does not exist"));
      continue;
    }
    if (!fs::is_directory(path, ec)) {
      out.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(path, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().string();
      if (it->is_regular_file(ec) && name.size() >= extension.size() &&
          name.compare(name.size() - extension.size(), extension.size(), extension) == 0) {
        found.push_back(name);
      }
    }
    if (ec) errors.push_back(make_error("io", "cannot list `" + path + "`: " + ec.message()));
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  if (!errors.empty()) return errors;
  return out;
}

}  // namespace vectimus::cli
