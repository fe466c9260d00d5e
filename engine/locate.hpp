// Where the engine looks: the home folder, the project root, the config files and the pack
// locations, all derived from the event's cwd, the process's cwd and HOME.
//
// The project root is the nearest ancestor of the event's cwd (else the process's cwd) holding
// `.vectimus/` or `.git`, never the home folder itself: `~/.vectimus` is the global layer, and a
// home folder under git must not turn every folder below it into one project.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/packs.hpp"
#include "support/host.hpp"

namespace vectimus::engine {

std::optional<std::string> find_project_root(const Host& host, std::string_view start,
                                             std::string_view home);

struct Locations {
  std::optional<std::string> home;
  std::optional<std::string> project;
  std::vector<std::string> config_files;  // in precedence order, lowest first
  PackSearch packs;
};

Locations locate(const Host& host, const std::optional<std::string>& event_cwd,
                 const std::optional<std::string>& policy_dir);

}  // namespace vectimus::engine
