// Configuration: built-in defaults, then each config file, then `VECTIMUS_*` variables, each
// layer overriding the one before:
//
//   defaults < ~/.vectimus/config.toml < <project>/.vectimus/config.toml < ./vectimus.toml < env
//
// The TOML schema (every key optional; an unknown key or a wrong type is an error, so a typo
// never silently weakens a policy):
//
//   observe = false                  # true: evaluate and log, but always allow
//   [mcp]
//   allowed = ["github", "linear"]   # approved MCP servers (merged over all layers)
//   [rules]
//   disabled = ["vectimus-destruct-003"]      # removed before evaluation (merged over layers)
//   [rules.enforcement]
//   "vectimus-destruct-002" = "escalate"      # "deny" | "escalate" | "observe"; later layer wins
//   [identity]
//   type = "agent"                   # "agent" (Vectimus::Agent) | "user" (Vectimus::User)
//   groups = ["platform", "oncall"]  # principal.groups; a later layer replaces the list
//   [content]
//   max_bytes = 1048576              # content inspected per file write or script; over: escalate
//   [log]
//   dir = "/var/log/vectimus"
//   debug = false                    # true: say on stderr what the hook skipped and why
//
// Variables: VECTIMUS_OBSERVE and VECTIMUS_DEBUG (true/false/1/0/yes/no/on/off),
// VECTIMUS_MCP_ALLOWED and VECTIMUS_GROUPS (comma-separated; MCP servers are added, groups
// replace), VECTIMUS_IDENTITY_TYPE (agent|user), VECTIMUS_LOG_DIR. `CI=true` makes the identity
// an agent unless a layer says otherwise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/host.hpp"
#include "support/result.hpp"

namespace vectimus::engine {

// Ordered by strictness: a larger value wins when several rules match.
enum class Enforcement : uint8_t { observe, escalate, deny };
std::string_view enforcement_name(Enforcement level);
std::optional<Enforcement> parse_enforcement(std::string_view text);

enum class IdentityType : uint8_t { user, agent };

struct Config {
  bool observe = false;
  std::vector<std::string> mcp_allowed;     // sorted, unique
  std::vector<std::string> disabled_rules;  // sorted, unique
  std::map<std::string, Enforcement, std::less<>> enforcement;
  std::optional<IdentityType> identity_type;  // unset: agent when CI=true, else user
  std::optional<std::vector<std::string>> groups;
  std::size_t content_max_bytes = 1u << 20;
  std::string log_dir;
  bool debug = false;
  std::vector<std::string> files;  // the config files that were read, in order

  bool mcp_server_allowed(std::string_view server) const;
  bool rule_disabled(std::string_view id) const;
};

// Applies one TOML document over `config`. Errors carry file:line:col.
Diagnostics apply_config_toml(Config& config, const SourcePtr& source);
// Applies the `VECTIMUS_*` variables (and `CI`) over `config`.
Diagnostics apply_config_env(Config& config, const Environment& env);

// Every layer in order: `files` (missing ones skipped with one failed open each), then env.
Result<Config> load_config(const Host& host, const std::vector<std::string>& files);

}  // namespace vectimus::engine
