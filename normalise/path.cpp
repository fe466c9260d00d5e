#include "normalise/path.hpp"

#include <vector>

namespace vectimus::normalise {
namespace {

bool has_drive(std::string_view path) {
  return path.size() >= 2 && path[1] == ':' &&
         ((path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z'));
}

bool is_separator(char c, bool windows) {
  return c == '/' || (windows && c == '\\');
}

bool is_windows_shaped(std::string_view path) {
  return has_drive(path) || path.starts_with("\\\\");
}

// Splits `path` after `root_len` bytes into components and resolves `.` and `..`.
std::string collapse(std::string_view root, std::string_view rest, bool windows) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && is_separator(rest[i], windows)) ++i;
    size_t start = i;
    while (i < rest.size() && !is_separator(rest[i], windows)) ++i;
    std::string_view part = rest.substr(start, i - start);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (root.empty()) {
        parts.push_back(part);  // relative: cannot climb further lexically
      }
      continue;  // `..` at the root stays at the root
    }
    parts.push_back(part);
  }
  std::string out(root);
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k > 0) out += '/';
    out += parts[k];
  }
  if (out.empty()) return std::string(1, '.');
  return out;
}

// An absolute POSIX path that collapse("/", path) gives back unchanged: no empty, `.` or `..`
// component and no trailing slash (most paths an agent sends already are).
bool is_normal_posix(std::string_view path) {
  if (path.empty() || path[0] != '/') return false;
  if (path.size() == 1) return true;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

}  // namespace

bool is_absolute_path(std::string_view path) {
  if (path.starts_with('/') || path.starts_with("\\\\")) return true;
  return has_drive(path) && path.size() >= 3 && (path[2] == '/' || path[2] == '\\');
}

std::string normalise_path(std::string_view path, std::string_view cwd) {
  if (path.empty()) return {};
  if (path.front() == '~') {
    // `~` and `~user` name a home directory we do not know: kept as the root, never joined.
    size_t slash = path.find('/');
    if (slash == std::string_view::npos) return std::string(path);
    std::string root(path.substr(0, slash + 1));
    std::string rest = collapse("/", path.substr(slash), false);
    if (rest == "/") return std::string(path.substr(0, slash));
    return root + rest.substr(1);
  }
  if (!is_absolute_path(path) && is_absolute_path(cwd)) {
    std::string joined(cwd);
    joined += '/';
    joined += path;
    return normalise_path(joined);
  }
  bool windows = is_windows_shaped(path);
  if (windows && path.starts_with("\\\\")) {
    return collapse("//", path.substr(2), true);
  }
  if (has_drive(path) && path.size() >= 3 && is_separator(path[2], true)) {
    char drive = static_cast<char>(path[0] >= 'a' ? path[0] - ('a' - 'A') : path[0]);
    const char root[] = {drive, ':', '/'};
    return collapse(std::string_view(root, sizeof root), path.substr(3), true);
  }
  if (path.starts_with('/')) {
    if (is_normal_posix(path)) return std::string(path);
    return collapse("/", path, false);
  }
  return collapse("", path, windows);
}

}  // namespace vectimus::normalise
