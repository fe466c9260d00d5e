// What the commands that change configuration (`rule`, `mcp`, `observe`) share: which file a
// change goes to (the project's `.vectimus/config.toml`, or with `--global` the user's
// `~/.vectimus/config.toml`), the edit itself through engine/config_edit.hpp, and the engine
// loaded as the hook would load it (so `rule list` shows what the hook applies).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "engine/config_edit.hpp"
#include "engine/engine.hpp"
#include "support/host.hpp"

namespace vectimus::cli {

struct ConfigTarget {
  Host host;
  std::optional<std::string> home;
  std::optional<std::string> project;  // the project root, when cwd is inside one
  std::string global_file() const;     // ~/.vectimus/config.toml
  std::string project_file() const;    // <project>/.vectimus/config.toml
};

ConfigTarget config_target();

// The file a change goes to: the global file with `global`, else the project's; prints an error
// and returns nullopt when there is no home folder or no project.
std::optional<std::string> target_file(const ConfigTarget& target, bool global);

// Applies `edit` to `file`, prints errors; returns the exit code. `changed` / `unchanged` are the
// messages printed on success (an empty one: nothing printed).
int apply_edit(const ConfigTarget& target, const std::string& file,
               const std::function<Result<std::string>(std::string_view)>& edit,
               const std::string& changed, const std::string& unchanged);

// The engine as the hook loads it for the project (prints the errors when it cannot load).
std::optional<engine::Engine> load_engine(const ConfigTarget& target);

// Rule ids of the loaded packs; an error naming the nearest ids when `id` is not one of them.
bool known_rule(const engine::Engine& engine, std::string_view id);

}  // namespace vectimus::cli
