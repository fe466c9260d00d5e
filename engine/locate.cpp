#include "engine/locate.hpp"

#include "normalise/path.hpp"

namespace vectimus::engine {

std::optional<std::string> find_project_root(const Host& host, std::string_view start,
                                             std::string_view home) {
  if (start.empty() || start.front() != '/') return std::nullopt;
  std::string dir = normalise::normalise_path(start);
  const std::string home_dir = home.empty() ? std::string() : normalise::normalise_path(home);
  for (;;) {
    if (dir == home_dir) return std::nullopt;
    if (host.fs->exists(join_path(dir, ".vectimus")) || host.fs->exists(join_path(dir, ".git"))) {
      return dir;
    }
    if (dir == "/") return std::nullopt;
    const std::size_t slash = dir.find_last_of('/');
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
}

Locations locate(const Host& host, const std::optional<std::string>& event_cwd,
                 const std::optional<std::string>& policy_dir) {
  Locations out;
  if (auto home = host.env->get("HOME"); home && !home->empty()) out.home = *home;
  const std::string& start = event_cwd && !event_cwd->empty() ? *event_cwd : host.cwd;
  out.project = find_project_root(host, start, out.home.value_or(""));
  if (out.home) out.config_files.push_back(join_path(*out.home, ".vectimus/config.toml"));
  if (out.project) out.config_files.push_back(join_path(*out.project, ".vectimus/config.toml"));
  if (!host.cwd.empty()) out.config_files.push_back(join_path(host.cwd, "vectimus.toml"));
  out.packs.policy_dir = policy_dir;
  // The installed bundle matters only when no policy directory replaces every location.
  if (out.home && !policy_dir) {
    auto bundle = installed_bundle_dir(host, *out.home);
    if (bundle) {
      out.packs.bundle = *bundle;
    } else {
      out.packs.bundle_errors = bundle.errors();
    }
  }
  out.packs.home = out.home;
  out.packs.project = out.project;
  return out;
}

}  // namespace vectimus::engine
