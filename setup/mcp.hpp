// MCP discovery for `init`: the servers each agent is configured to start, read from the agents'
// own files, so the user can approve them (the `[mcp] allowed_servers` key; rule
// vectimus-mcp-001 blocks every server not approved).
//
//   Claude Code: <project>/.mcp.json `mcpServers`; ~/.claude.json `mcpServers` and
//                `projects."<project>".mcpServers`
//   Cursor:      ~/.cursor/mcp.json and <project>/.cursor/mcp.json `mcpServers`
//   VS Code:     <project>/.vscode/mcp.json `servers` (JSON with comments)
//   Gemini CLI:  <project>/.gemini/settings.json and ~/.gemini/settings.json `mcpServers`
//   Codex:       ~/.codex/config.toml and <project>/.codex/config.toml `[mcp_servers.*]`
//
// A file that does not parse is reported (with file:line:col) and skipped: discovery only reads.
#pragma once

#include <string>
#include <vector>

#include "support/host.hpp"

namespace vectimus::setup {

struct McpServer {
  std::string name;
  std::vector<std::string> found_in;  // the files that configure it, in the order read
};

struct McpDiscovery {
  std::vector<McpServer> servers;  // sorted by name, each once
  Diagnostics problems;            // files that could not be read
};

// `project` empty: the user-level files only (init --user).
McpDiscovery discover_mcp_servers(const Host& host, const std::string& project,
                                  const std::string& home);

}  // namespace vectimus::setup
