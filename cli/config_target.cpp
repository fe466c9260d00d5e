#include "cli/config_target.hpp"

#include <iostream>

#include "engine/locate.hpp"
#include "engine/temp_disable.hpp"

namespace vectimus::cli {

std::string ConfigTarget::global_file() const {
  return join_path(join_path(home.value_or(""), ".vectimus"), "config.toml");
}

std::string ConfigTarget::project_file() const {
  return join_path(join_path(project.value_or(""), ".vectimus"), "config.toml");
}

ConfigTarget config_target() {
  ConfigTarget t{real_host(), std::nullopt, std::nullopt};
  if (auto home = t.host.env->get("HOME"); home && !home->empty()) t.home = *home;
  t.project = engine::find_project_root(t.host, t.host.cwd, t.home.value_or(""));
  return t;
}

std::optional<std::string> target_file(const ConfigTarget& target, bool global) {
  if (global) {
    if (target.home) return target.global_file();
    std::cerr << "error: HOME is not set, so there is no ~/.vectimus/config.toml to change\n";
    return std::nullopt;
  }
  if (target.project) return target.project_file();
  std::cerr << "error: `" << target.host.cwd
            << "` is not inside a project (no .vectimus/ or .git above it)\n"
            << "  help: run the command in your project, or add --global to change "
               "~/.vectimus/config.toml\n";
  return std::nullopt;
}

int apply_edit(const ConfigTarget& target, const std::string& file,
               const std::function<Result<std::string>(std::string_view)>& edit,
               const std::string& changed, const std::string& unchanged) {
  auto result = engine::edit_config_file(target.host, file, edit);
  if (!result) {
    std::cerr << render(result.errors());
    return 1;
  }
  const std::string& message = *result ? changed : unchanged;
  if (!message.empty()) std::cout << message << " (" << file << ")\n";
  return 0;
}

std::optional<engine::Engine> load_engine(const ConfigTarget& target) {
  auto engine = engine::Engine::load(
      target.host, engine::locate(target.host, target.host.cwd, std::nullopt), {});
  if (!engine) {
    std::cerr << render(engine.errors());
    return std::nullopt;
  }
  return std::move(engine).value();
}

bool known_rule(const engine::Engine& engine, std::string_view id) {
  std::vector<std::string_view> ids;
  for (const auto& rule : engine.packs().rules) {
    if (rule.id == id) return true;
    ids.push_back(rule.id);
  }
  std::cerr << "error: no rule `" << id << "` in the loaded packs\n";
  const auto near = engine::nearest_ids(id, ids);
  if (!near.empty()) {
    std::cerr << "  help: did you mean ";
    for (std::size_t i = 0; i < near.size(); ++i) {
      std::cerr << (i ? (i + 1 == near.size() ? " or " : ", ") : "") << "`" << near[i] << "`";
    }
    std::cerr << "?\n";
  } else {
    std::cerr << "  help: `vectimus rule list` shows every rule id\n";
  }
  return false;
}

}  // namespace vectimus::cli
