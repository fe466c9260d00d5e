#include "cli/config_keys.hpp"

// The config editor (engine/config_edit.hpp) is built on branch `manage`; this file compiles
// against it as soon as it is merged, and until then refuses to store keys (see the header).
#if __has_include("engine/config_edit.hpp")
#include "engine/config_edit.hpp"
#define VECTIMUS_HAVE_CONFIG_EDIT 1
#endif

namespace vectimus::cli {

#ifdef VECTIMUS_HAVE_CONFIG_EDIT

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

#else

Result<std::string> store_config_keys(std::string text, const std::string& file,
                                      const ConfigKeys& keys) {
  if (keys.empty()) return text;
  // Without engine/config_edit.hpp there is no writer checked against the engine's reader, and
  // a key hand-formatted here could be read differently.
  std::string names;
  if (!keys.mcp_allowed.empty()) names += " mcp.allowed_servers";
  if (keys.identity_type) names += " identity.identity_type";
  if (keys.server_url) names += " server.url";
  if (keys.policy_dir) names += " policies.dir";
  return make_error("unsupported",
                    "this build cannot store config keys in `" + file + "` yet:" + names,
                    std::nullopt,
                    "nothing was changed; run init without approving MCP servers and without "
                    "--ci, --allow-mcp, --server-url, --policy-dir, then set those keys in the "
                    "file by hand");
}

#endif

}  // namespace vectimus::cli
