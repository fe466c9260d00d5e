#include "cli/config_keys.hpp"

namespace vectimus::cli {

Result<std::string> store_config_keys(std::string text, const std::string& file,
                                      const ConfigKeys& keys) {
  if (keys.empty()) return text;
  // See the header: without engine/config_edit.hpp there is no writer that the engine's reader
  // is checked against, and a key hand-formatted here could be read differently.
  std::string names;
  if (!keys.mcp_allowed.empty()) names += " mcp.allowed_servers";
  if (keys.identity_type) names += " identity.identity_type";
  if (keys.server_url) names += " server.url";
  if (keys.policy_dir) names += " policies.dir";
  return make_error("unsupported",
                    "this build cannot store config keys in `" + file + "` yet:" + names,
                    std::nullopt,
                    "nothing was changed; run init without --ci/--allow-mcp/--server-url/"
                    "--policy-dir, and set those keys in the file by hand");
}

}  // namespace vectimus::cli
