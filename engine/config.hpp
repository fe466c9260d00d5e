// Configuration: built-in defaults, then each config file, then `VECTIMUS_*` variables, each
// layer overriding the one before (server.md's order, the docs' contract):
//
//   defaults < ~/.vectimus/config.toml < <project>/.vectimus/config.toml < ./vectimus.toml < env
//
// Every key, its type, the Config field it sets, how layers merge it, its variable and whether
// its feature is built is one row of the schema table (engine/config_schema.hpp); the TOML
// reader (engine/toml_files.cpp), the variables and the defaults all go through that table, and
// so will the commands that write config (`rule disable`, `mcp allow`, `init`). An unknown key
// or a wrong type is an error naming file:line:col with a "did you mean" (a typo never silently
// weakens a policy); a key whose feature is not built yet is accepted and does nothing.
//
// Relative paths (`[policies] dir`, `[logging] dir`, `[audit] log_dir`) are taken from the
// folder the file configures: for `X/.vectimus/config.toml` that is X (the project root, or the
// home folder), for `X/vectimus.toml` it is X (the process's cwd, where that file is looked
// for); a variable's relative path is taken from the process's cwd. `~/` is the home folder.
// Fields hold the resolved, absolute path, so nothing downstream needs to know which layer won.
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

// One `[[server.api_keys]]` entry: its fields as written (scalars as text); the server checks
// them when it starts (server/settings.cpp: `name` and `key`, nothing else).
using TableEntry = std::map<std::string, std::string, std::less<>>;

// Where a key got its value: a file position, a variable, or the built-in default.
struct Setting {
  std::string label;              // "F:3:7", "VECTIMUS_POLICY_DIR" or "built-in default"
  std::optional<Location> where;  // set for file positions
};

struct Config {
  // [policies] dir / VECTIMUS_POLICY_DIR: replaces the pack locations, as --policy-dir does.
  std::optional<std::string> policy_dir;
  // [mode] observe / VECTIMUS_OBSERVE: evaluate and log, but always allow.
  bool observe = false;
  // [mcp] allowed_servers / VECTIMUS_MCP_ALLOWED, merged over all layers; sorted, unique.
  std::vector<std::string> mcp_allowed;
  // [rules] disabled, merged over all layers; sorted, unique.
  std::vector<std::string> disabled_rules;
  // [rules.enforcement] <rule id> = level; a later layer replaces a rule's level.
  std::map<std::string, Enforcement, std::less<>> enforcement;
  // [packs.<name>] enabled; a pack set to false contributes no rule.
  std::map<std::string, bool, std::less<>> pack_enabled;
  // [identity]
  std::string identity_resolver = "git";     // "git" | "env" | "system"
  std::optional<std::string> identity_type;  // "agent" | "user"; unset: agent when CI=true
  std::vector<std::string> groups;           // principal.groups; sorted, unique
  std::optional<std::string> persona;        // principal.persona; unset: default_persona
  std::string default_persona = "default";
  std::optional<std::string> principal;  // VECTIMUS_PRINCIPAL (resolver "env")
  // [content] max_bytes: content inspected per file write or script; over it: escalate.
  std::size_t content_max_bytes = 1u << 20;
  // [logging]
  std::string log_dir;               // resolved; default ~/.vectimus/logs
  std::string log_format = "jsonl";  // not built yet
  bool debug = false;                // say on stderr what the hook skipped and why
  // [audit] (pipeline/evidence.hpp)
  std::string audit_log_dir;  // resolved; over log_dir when set
  std::size_t audit_max_file_size_mb = 100;
  bool audit_required = false;
  bool audit_durable = false;
  std::string audit_syslog;  // a copy of each record goes there (support/endpoint.hpp); empty: none
  bool receipts_enabled = true;  // ci-cd.md: receipts for every evaluation
  // Not built yet: accepted, kept, used by nothing.
  std::size_t receipts_retention_days = 0;
  // [server] (server/settings.hpp; `vectimus server start` flags override them)
  std::string server_host = "127.0.0.1";
  std::size_t server_port = 8420;
  std::optional<std::string> server_url;
  std::optional<std::string> server_api_key;
  std::vector<TableEntry> server_api_keys;
  std::size_t server_timeout = 5;
  std::optional<std::string> server_tls_cert;
  std::optional<std::string> server_tls_key;
  std::size_t server_max_body_bytes = 1u << 20;
  std::size_t server_max_header_bytes = 16u << 10;
  std::size_t server_read_timeout_ms = 10'000;
  std::size_t server_idle_timeout_ms = 60'000;
  std::size_t server_max_connections = 10'000;
  std::size_t server_max_subscribers = 256;
  // Events an /events subscriber may fall behind: 0.5 s at 20,000 decisions/s, so a reader
  // that is not scheduled for a moment keeps its stream (1000 was 50 ms at that rate); the
  // chunks kept for it are shared, about 3 MB whatever the number of subscribers.
  std::size_t server_subscriber_queue = 10'000;
  std::size_t server_heartbeat_ms = 15'000;
  std::size_t server_threads = 0;  // 0: one per core
  std::size_t server_flood_window_seconds = 600;
  bool server_approvals_enabled = false;
  std::size_t server_approvals_timeout_seconds = 300;
  std::optional<std::string> server_approvals_webhook_url;
  std::optional<std::string> server_approvals_webhook_secret;
  std::optional<std::string> server_approvals_public_url;
  std::optional<std::string> server_bundle;  // served as is at GET /v1/bundle
  // [updates] (bundle/install.hpp, `vectimus policy update|status`)
  std::vector<std::string> updates_trusted_keys;  // key files or `vtms-key-…` ids
  std::optional<std::string> updates_source;      // the default `--from`: a file or a URL
  bool updates_auto_sync = false;                 // check after a hook has answered
  std::size_t updates_sync_interval_hours = 24;

  std::vector<std::string> files;  // the config files that were read, in order
  // Where each key set (dotted path, a rule id or pack name in place of `*`) got its value.
  std::map<std::string, Setting, std::less<>> origins;

  bool mcp_server_allowed(std::string_view server) const;
  bool rule_disabled(std::string_view id) const;
  bool pack_disabled(std::string_view name) const;
  // The persona the principal carries: `persona`, else `default_persona`.
  const std::string& effective_persona() const { return persona ? *persona : default_persona; }
};

// Context for reading one layer: the folder relative paths are taken from, and the home folder
// `~/` stands for (empty: left as written).
struct LayerContext {
  std::string base_dir;
  std::string home;
};

// The folder a config file's relative paths are taken from (see the header comment).
std::string config_base_dir(std::string_view file);

// The built-in defaults of every key that has one (the first layer).
Config default_config(const LayerContext& context);
// Applies one TOML document over `config`. Errors carry file:line:col; the result also holds
// warnings (Severity::warning): keys accepted whose feature is not built yet.
Diagnostics apply_config_toml(Config& config, const SourcePtr& source, const LayerContext& context);
// Applies the `VECTIMUS_*` variables (and `CI`) over `config`.
Diagnostics apply_config_env(Config& config, const Environment& env, const LayerContext& context);

// Every layer in order: defaults, `files` (missing ones skipped with one failed open each),
// then env. Relative paths in variables are taken from host.cwd. Only errors fail.
Result<Config> load_config(const Host& host, const std::vector<std::string>& files);

}  // namespace vectimus::engine
