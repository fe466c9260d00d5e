#include "engine/config.hpp"

#include <algorithm>

namespace vectimus::engine {
namespace {

std::optional<bool> parse_flag(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "1" || lower == "true" || lower == "yes" || lower == "on") return true;
  if (lower == "0" || lower == "false" || lower == "no" || lower == "off" || lower.empty()) {
    return false;
  }
  return std::nullopt;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    start = end + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Diagnostic env_error(std::string_view name, std::string_view value, std::string_view expected) {
  return make_error("config", "`" + std::string(name) + "` is `" + std::string(value) +
                                  "`, expected " + std::string(expected));
}

}  // namespace

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

Diagnostics apply_config_env(Config& config, const Environment& env) {
  Diagnostics errors;
  if (auto ci = env.get("CI"); ci && !config.identity_type && parse_flag(*ci).value_or(false)) {
    config.identity_type = IdentityType::agent;
  }
  if (auto v = env.get("VECTIMUS_OBSERVE")) {
    if (auto flag = parse_flag(*v)) {
      config.observe = *flag;
    } else {
      errors.push_back(env_error("VECTIMUS_OBSERVE", *v, "true or false"));
    }
  }
  if (auto v = env.get("VECTIMUS_DEBUG")) {
    if (auto flag = parse_flag(*v)) {
      config.debug = *flag;
    } else {
      errors.push_back(env_error("VECTIMUS_DEBUG", *v, "true or false"));
    }
  }
  if (auto v = env.get("VECTIMUS_MCP_ALLOWED")) {
    for (std::string& server : split_list(*v)) config.mcp_allowed.push_back(std::move(server));
    std::sort(config.mcp_allowed.begin(), config.mcp_allowed.end());
    config.mcp_allowed.erase(std::unique(config.mcp_allowed.begin(), config.mcp_allowed.end()),
                             config.mcp_allowed.end());
  }
  if (auto v = env.get("VECTIMUS_GROUPS")) config.groups = split_list(*v);
  if (auto v = env.get("VECTIMUS_IDENTITY_TYPE")) {
    if (*v == "agent") {
      config.identity_type = IdentityType::agent;
    } else if (*v == "user") {
      config.identity_type = IdentityType::user;
    } else {
      errors.push_back(env_error("VECTIMUS_IDENTITY_TYPE", *v, "`agent` or `user`"));
    }
  }
  if (auto v = env.get("VECTIMUS_LOG_DIR")) config.log_dir = *v;
  return errors;
}

Result<Config> load_config(const Host& host, const std::vector<std::string>& files) {
  Config config;
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
    Diagnostics found = apply_config_toml(config, make_source(path, std::move(read.text)));
    errors.insert(errors.end(), found.begin(), found.end());
  }
  Diagnostics env_errors = apply_config_env(config, *host.env);
  errors.insert(errors.end(), env_errors.begin(), env_errors.end());
  if (!errors.empty()) return errors;
  return config;
}

}  // namespace vectimus::engine
