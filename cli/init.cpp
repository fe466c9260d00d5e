// `vectimus init [--ci] [--allow-mcp] [--server-url URL] [--policy-dir DIR] [--user]
// [--agent NAME]...`: wires the hook into each agent found (or named), creates the project's
// config, key copy and .gitignore line, approves MCP servers, and says what is left to do in
// the agents themselves. A thin shell over setup/install.hpp and setup/mcp.hpp.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/setup_common.hpp"
#include "cli/table.hpp"
#include "engine/engine.hpp"
#include "engine/locate.hpp"
#include "setup/install.hpp"

namespace vectimus::cli {
namespace {

struct InitOptions {
  bool ci = false;
  bool allow_mcp = false;
  std::string server_url;
  std::string policy_dir;
  bool user = false;
  std::vector<std::string> agents;
};

// What `<program> --version` prints (empty when it is not on PATH or fails), for the agents
// whose entry depends on their version; bounded so a stuck program cannot hold init.
std::string program_version(std::string_view program) {
  const std::string command = "timeout 10 " + std::string(program) + " --version 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return "";
  std::string out;
  char buf[256];
  while (out.size() < 4096) {
    const std::size_t n = std::fread(buf, 1, sizeof buf, pipe);
    if (n == 0) break;
    out.append(buf, n);
  }
  ::pclose(pipe);
  return out;
}

int run_init(const InitOptions& opt) {
  const Host host = real_host();
  const Result<SetupPlace> place = setup_place(host, opt.user);
  if (!place) {
    std::cerr << render(place.errors());
    return kExitBadInput;
  }
  setup::InstallRequest request;
  request.root = place->root;
  request.home = place->home;
  request.user = opt.user;
  request.binary = running_binary();
  if (request.binary.empty()) {
    std::cerr << "error: cannot find the path of the running vectimus binary "
                 "(/proc/self/exe is not readable); nothing was changed\n";
    return kExitBadInput;
  }
  for (const std::string& name : opt.agents) {
    const setup::AgentSpec* agent = setup::find_agent(name);  // CLI11 checked the name
    if (std::find(request.agents.begin(), request.agents.end(), agent) == request.agents.end()) {
      request.agents.push_back(agent);
    }
  }
  if (opt.agents.empty()) {
    for (const setup::AgentSpec& agent : setup::agents()) {
      if (setup::agent_installed(host, agent, place->home, opt.user ? "" : place->root)) {
        request.agents.push_back(&agent);
      }
    }
  }
  if (request.agents.empty()) {
    std::cerr << "error: no agent found: none of claude, cursor-agent, copilot, gemini, codex is "
                 "on PATH, and neither HOME nor the project holds their folders\n"
                 "help: name the agents to set up: vectimus init --agent claude-code (also "
                 "cursor, copilot, gemini-cli, codex)\n";
    return kExitBadInput;
  }
  for (const setup::AgentSpec* agent : request.agents) {
    if (!agent->newer_since.empty()) {
      request.versions[std::string(agent->name)] = program_version(agent->program);
    }
  }
  const Result<ConfigChoices> choices =
      choose_config(host, *place, opt.user, opt.ci, opt.allow_mcp, opt.server_url, opt.policy_dir);
  if (!choices) {
    std::cerr << render(choices.errors());
    return kExitBadInput;
  }
  request.configure = choices->editor;
  request.server_url = opt.server_url;
  while (!request.server_url.empty() && request.server_url.back() == '/') {
    request.server_url.pop_back();
  }
  const Result<setup::InstallResult> result = setup::install(host, request);
  if (!result) {
    std::cerr << render(result.errors());
    return kExitBadInput;
  }
  const bool colour = use_colour();
  Table table({"FILE", "AGENT", "CHANGE"});
  for (const setup::FileOutcome& f : result->files) {
    const Colour c = f.what == "unchanged" ? Colour::dim : Colour::green;
    table.add({Cell(f.path), Cell(f.agent), Cell(f.what, c)});
  }
  std::cout << table.render(colour);
  for (const std::string& line : choices->notes) std::cout << line << '\n';
  std::cout << "signing key: " << result->key_id << '\n';
  // What init wrote must load as the hook loads it, or the hook denies every call: say so now.
  const engine::Locations where = engine::locate(host, host.cwd, std::nullopt);
  if (const Result<engine::Engine> loaded = engine::Engine::load(host, where, {}); !loaded) {
    std::cerr << render(loaded.errors())
              << "warning: the configuration or packs above do not load, so the hook will deny "
                 "every call until they are fixed\n";
  }
  if (!result->todo.empty()) {
    std::cout << paint("\nStill to do in the agents themselves:", Colour::yellow, colour) << '\n';
    for (const std::string& todo : result->todo) std::cout << "  - " << todo << '\n';
  }
  return kExitOk;
}

}  // namespace

void add_init_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<InitOptions>();
  auto* cmd = app.add_subcommand("init", "Wire the vectimus hook into the agents found here");
  cmd->add_flag("--ci", opt->ci,
                "no questions; MCP servers approved only with --allow-mcp; identity type agent");
  cmd->add_flag("--allow-mcp", opt->allow_mcp, "approve every MCP server the agents configure");
  cmd->add_option("--server-url", opt->server_url,
                  "decide on this team server: Claude Code as an http hook, the others in client "
                  "mode (deciding locally when it cannot answer); also stored as [server] url");
  cmd->add_option("--policy-dir", opt->policy_dir, "store [policies] dir");
  cmd->add_flag("--user", opt->user,
                "write the agents' user-level files and ~/.vectimus/config.toml instead");
  std::vector<std::string> names;
  for (const setup::AgentSpec& a : setup::agents()) names.emplace_back(a.name);
  cmd->add_option("--agent", opt->agents, "set up this agent (repeatable); default: those found")
      ->check(CLI::IsMember(names));
  cmd->callback([opt, &exit_code] { exit_code = run_init(*opt); });
}

}  // namespace vectimus::cli
