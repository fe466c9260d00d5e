// Whether the hook can actually run in each agent: is our entry there (project or user level),
// does its binary exist and run, and has the agent itself turned hooks off or not yet let them
// run (Claude Code `disableAllHooks` and managed-only hooks, Gemini CLI `hooksConfig`, Codex's
// feature switch and its `/hooks` review, untrusted folders for Gemini CLI and Copilot CLI).
// What each agent's switches are is agent knowledge, so it lives here beside the agents table.
#pragma once

#include <string>
#include <vector>

#include "setup/agents.hpp"
#include "support/host.hpp"

namespace vectimus::setup {

struct AgentStatus {
  const AgentSpec* agent = nullptr;
  std::string level;    // "project", "user", or "" when not configured
  std::string file;     // the hook file holding our entry
  std::string command;  // the hook command, or the server URL of an http entry
  // The team server the hook uses: the http entry's server, or `--server-url` in the command;
  // empty: decided locally (or by `[server] url` in the config).
  std::string server;
  bool http = false;  // the agent posts to the server itself (no command, no local fallback)
  bool configured = false;
  bool can_run = false;               // configured, binary runs, no switch against it
  std::vector<std::string> problems;  // why it will not run
};

struct StatusPlaces {
  std::string project;  // empty: no project
  std::string home;
  std::string claude_managed = "/etc/claude-code/managed-settings.json";
};

std::vector<AgentStatus> agent_statuses(const Host& host, const StatusPlaces& places);

}  // namespace vectimus::setup
