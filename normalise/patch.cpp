#include "normalise/patch.hpp"

#include <algorithm>
#include <array>

namespace vectimus::normalise {
namespace {

constexpr std::array<std::string_view, 4> kHeaders{
    "*** Add File:", "*** Update File:", "*** Delete File:", "*** Move to:"};

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

std::vector<std::string> patch_file_paths(std::string_view patch) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < patch.size()) {
    size_t end = patch.find('\n', at);
    if (end == std::string_view::npos) end = patch.size();
    std::string_view line = trim(patch.substr(at, end - at));
    at = end + 1;
    for (std::string_view header : kHeaders) {
      if (!line.starts_with(header)) continue;
      std::string path(trim(line.substr(header.size())));
      if (!path.empty() && std::find(out.begin(), out.end(), path) == out.end()) {
        out.push_back(std::move(path));
      }
      break;
    }
  }
  return out;
}

}  // namespace vectimus::normalise
