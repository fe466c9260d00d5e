// The config keys `init` stores in `.vectimus/config.toml`: MCP approvals, identity type,
// server URL, policy folder.
//
// They are written with engine/config_edit.hpp (config_set, config_list_add), which edits the
// TOML in place and checks each key against the config schema table, so what init writes is
// exactly what the engine reads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "support/result.hpp"

namespace vectimus::cli {

struct ConfigKeys {
  std::vector<std::string> mcp_allowed;      // [mcp] allowed_servers (added to)
  std::optional<std::string> identity_type;  // [identity] identity_type
  std::optional<std::string> server_url;     // [server] url
  std::optional<std::string> policy_dir;     // [policies] dir
  bool empty() const { return mcp_allowed.empty() && !identity_type && !server_url && !policy_dir; }
};

// `text` (the config file `file`) with `keys` stored.
Result<std::string> store_config_keys(std::string text, const std::string& file,
                                      const ConfigKeys& keys);

}  // namespace vectimus::cli
