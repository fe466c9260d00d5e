// What we read from Codex's TOML config (`~/.codex/config.toml`, `<project>/.codex/config.toml`):
// its MCP servers, its hooks feature switch, whether a project is trusted, and whether our hook
// has been reviewed in `/hooks` (Codex stores the reviewed hook's hash under
// `[hooks.state."<file>:pre_tool_use:<group>:<hook>"] trusted_hash`). toml++ stays in the .cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/result.hpp"

namespace vectimus::setup {

struct CodexConfig {
  std::vector<std::string> mcp_servers;  // the names of [mcp_servers.*]
  // [features] hooks, else the deprecated alias codex_hooks; nullopt when neither is set.
  std::optional<bool> hooks_feature;
  std::vector<std::string> trusted_projects;  // [projects."<path>"] trust_level = "trusted"
  std::vector<std::string> reviewed_hooks;    // keys of [hooks.state.*] with a trusted_hash
};

// Errors (code "toml") name file:line:col.
Result<CodexConfig> read_codex_config(std::string_view text, const std::string& file);

// `text` with each of `[features] hooks` and `codex_hooks` that is set to `from` set to `!from`,
// in place: only the value's bytes change (`init` turns a switched-off hooks feature on, and
// `remove` turns it off again). nullopt when neither is set to `from`.
Result<std::optional<std::string>> flip_codex_hooks(std::string_view text, const std::string& file,
                                                    bool from);

}  // namespace vectimus::setup
