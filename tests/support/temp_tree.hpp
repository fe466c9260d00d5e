// A temp folder tree for tests, written from (path, text) pairs and removed afterwards. Used by
// the engine tests and the end-to-end CLI tests (as HOME, project and working folders).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace vectimus::testing {

class TempTree {
 public:
  TempTree() {
    std::string pattern = (std::filesystem::temp_directory_path() / "vectimus-XXXXXX").string();
    root_ = ::mkdtemp(pattern.data());
  }
  ~TempTree() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  const std::string& root() const { return root_; }
  std::string path(const std::string& rel) const { return root_ + "/" + rel; }
  // Writes `text` at `rel`, creating folders; returns the absolute path.
  std::string write(const std::string& rel, const std::string& text) const {
    const std::filesystem::path p = path(rel);
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::string mkdir(const std::string& rel) const {
    std::filesystem::create_directories(path(rel));
    return path(rel);
  }

 private:
  std::string root_;
};

}  // namespace vectimus::testing
