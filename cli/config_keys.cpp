// Through engine/config_edit.hpp, which checks each key against the config schema table: what
// init writes is exactly what the engine reads.
#include "cli/config_keys.hpp"

#include <utility>

#include "engine/config_edit.hpp"

namespace vectimus::cli {

Result<std::string> store_config_keys(std::string text, const std::string& file,
                                      const ConfigKeys& keys) {
  for (const std::string& server : keys.mcp_allowed) {
    Result<std::string> next = engine::config_list_add(text, file, "mcp.allowed_servers", server);
    if (!next) return std::move(next).take_errors();
    text = std::move(*next);
  }
  const std::pair<std::string_view, const std::optional<std::string>*> scalars[] = {
      {"identity.identity_type", &keys.identity_type},
      {"server.url", &keys.server_url},
      {"policies.dir", &keys.policy_dir},
  };
  for (const auto& [key, value] : scalars) {
    if (!*value) continue;
    Result<std::string> next = engine::config_set(text, file, key, engine::ConfigValue(**value));
    if (!next) return std::move(next).take_errors();
    text = std::move(*next);
  }
  return text;
}

}  // namespace vectimus::cli
