#include "engine/config.hpp"

#include <algorithm>

#include "engine/config_schema.hpp"

namespace vectimus::engine {

std::string_view enforcement_name(Enforcement level) {
  switch (level) {
    case Enforcement::observe: return "observe";
    case Enforcement::escalate: return "escalate";
    case Enforcement::deny: return "deny";
  }
  return "deny";
}

std::optional<Enforcement> parse_enforcement(std::string_view text) {
  if (text == "deny") return Enforcement::deny;
  if (text == "escalate") return Enforcement::escalate;
  if (text == "observe") return Enforcement::observe;
  return std::nullopt;
}

bool Config::mcp_server_allowed(std::string_view server) const {
  return std::binary_search(mcp_allowed.begin(), mcp_allowed.end(), server);
}

bool Config::rule_disabled(std::string_view id) const {
  return std::binary_search(disabled_rules.begin(), disabled_rules.end(), id);
}

bool Config::pack_disabled(std::string_view name) const {
  const auto it = pack_enabled.find(name);
  return it != pack_enabled.end() && !it->second;
}

std::string config_base_dir(std::string_view file) {
  const std::size_t slash = file.rfind('/');
  std::string dir(slash == std::string_view::npos ? std::string_view(".") : file.substr(0, slash));
  if (dir.empty()) dir = "/";
  constexpr std::string_view kDot = ".vectimus";
  if (dir == kDot) return ".";
  if (dir.size() > kDot.size() && dir.ends_with(kDot) && dir[dir.size() - kDot.size() - 1] == '/') {
    dir.resize(dir.size() - kDot.size() - 1);
    if (dir.empty()) dir = "/";
  }
  return dir;
}

Config default_config(const LayerContext& context) {
  Config config;
  for (const ConfigKey& key : config_schema()) {
    if (key.default_text.empty()) continue;
    auto value = parse_config_text(key, key.default_text);
    // The table's own defaults parse (the schema tests check every one).
    if (value) assign_config_value(config, key, "", std::move(value).value(), context);
  }
  return config;
}

Diagnostics apply_config_env(Config& config, const Environment& env, const LayerContext& context) {
  Diagnostics errors;
  // CI systems set CI=true: the caller is then an agent unless a layer said otherwise.
  if (auto ci = env.get("CI"); ci && !config.identity_type && parse_flag(*ci).value_or(false)) {
    config.identity_type = "agent";
  }
  for (const ConfigKey& key : config_schema()) {
    if (key.env.empty()) continue;
    const auto text = env.get(key.env);
    // An empty variable is as if unset (`VECTIMUS_POLICY_DIR= vectimus ...`).
    if (!text || text->empty()) continue;
    auto value = parse_config_text(key, *text);
    std::string problem =
        value ? assign_config_value(config, key, "", std::move(value).value(), context)
              : value.errors().front().message;
    if (!problem.empty()) {
      errors.push_back(make_error("config",
                                  "`" + std::string(key.env) + "` is `" + *text + "`: " + problem,
                                  std::nullopt, "it sets " + display_key(key.path)));
      continue;
    }
    config.origins[std::string(key.path)] = Setting{std::string(key.env), std::nullopt};
  }
  return errors;
}

Result<Config> load_config(const Host& host, const std::vector<std::string>& files) {
  const std::string home = host.env->get("HOME").value_or("");
  Config config = default_config(LayerContext{host.cwd, home});
  Diagnostics errors;
  constexpr std::size_t kMaxConfigBytes = 1u << 20;
  for (const std::string& path : files) {
    FileRead read = host.fs->read(path, kMaxConfigBytes);
    if (read.status == FileRead::Status::missing) continue;
    if (read.status != FileRead::Status::ok) {
      errors.push_back(make_error(
          "io", "cannot read config `" + path + "`: " +
                    (read.status == FileRead::Status::too_large ? std::string("over 1 MiB")
                                                                : read.error)));
      continue;
    }
    config.files.push_back(path);
    const Diagnostics found = apply_config_toml(config, make_source(path, std::move(read.text)),
                                                LayerContext{config_base_dir(path), home});
    // Warnings (keys whose feature is not built yet) are for `vectimus lint`, not the hook.
    std::copy_if(found.begin(), found.end(), std::back_inserter(errors),
                 [](const Diagnostic& d) { return d.severity == Severity::error; });
  }
  Diagnostics env_errors = apply_config_env(config, *host.env, LayerContext{host.cwd, home});
  errors.insert(errors.end(), env_errors.begin(), env_errors.end());
  if (!errors.empty()) return errors;
  return config;
}

}  // namespace vectimus::engine
