#include "cli/setup_common.hpp"

#include <unistd.h>

#include <climits>
#include <iostream>

#include "cli/config_keys.hpp"
#include "engine/locate.hpp"
#include "setup/mcp.hpp"

namespace vectimus::cli {

Result<SetupPlace> setup_place(const Host& host, bool user) {
  const std::optional<std::string> home = host.env->get("HOME");
  if (!home || home->empty() || (*home)[0] != '/') {
    return make_error("env", "HOME is not set to an absolute folder", std::nullopt,
                      "vectimus keeps its signing key and user-level config under HOME; set it");
  }
  if (user) return SetupPlace{*home, *home};
  const std::optional<std::string> root = engine::find_project_root(host, host.cwd, *home);
  return SetupPlace{root.value_or(host.cwd), *home};
}

std::string running_binary() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

bool interactive() {
  return ::isatty(0) == 1 && ::isatty(1) == 1;
}

bool ask(const std::string& question, std::string& answer) {
  std::cout << question << std::flush;
  return static_cast<bool>(std::getline(std::cin, answer));
}

namespace {

// On a terminal: approve all, none, or each server in turn.
std::vector<std::string> ask_mcp(const std::vector<setup::McpServer>& servers) {
  std::vector<std::string> approved;
  std::string answer;
  if (!ask("Approve these MCP servers? [a]ll, [n]one, [e]ach: ", answer)) return approved;
  const char c = answer.empty() ? 'n' : answer[0];
  for (const setup::McpServer& s : servers) {
    if (c == 'a' || c == 'A') {
      approved.push_back(s.name);
    } else if (c == 'e' || c == 'E') {
      if (ask("  approve `" + s.name + "`? [y/N]: ", answer) && !answer.empty() &&
          (answer[0] == 'y' || answer[0] == 'Y')) {
        approved.push_back(s.name);
      }
    }
  }
  return approved;
}

}  // namespace

Result<ConfigChoices> choose_config(const Host& host, const SetupPlace& place, bool user, bool ci,
                                    bool allow_mcp, const std::string& server_url,
                                    const std::string& policy_dir) {
  ConfigChoices out;
  ConfigKeys keys;
  const setup::McpDiscovery mcp =
      setup::discover_mcp_servers(host, user ? "" : place.root, place.home);
  for (const Diagnostic& d : mcp.problems) {
    std::cerr << "warning: MCP discovery skipped a file:\n" << render(d);
  }
  if (!mcp.servers.empty()) {
    out.notes.push_back("MCP servers found:");
    for (const setup::McpServer& s : mcp.servers) {
      std::string line = "  " + s.name + "  (";
      for (std::size_t i = 0; i < s.found_in.size(); ++i) line += (i ? ", " : "") + s.found_in[i];
      out.notes.push_back(line + ")");
    }
    if (allow_mcp) {
      for (const setup::McpServer& s : mcp.servers) keys.mcp_allowed.push_back(s.name);
    } else if (!ci && interactive()) {
      for (const std::string& line : out.notes) std::cout << line << '\n';
      out.notes.clear();
      keys.mcp_allowed = ask_mcp(mcp.servers);
    }
    std::string approved;
    for (const std::string& s : keys.mcp_allowed) approved += (approved.empty() ? "" : ", ") + s;
    out.notes.push_back(approved.empty()
                            ? "MCP servers approved: none (vectimus-mcp-001 blocks their tools; "
                              "approve one with `vectimus mcp allow NAME`)"
                            : "MCP servers approved: " + approved);
  }
  if (ci) {
    keys.identity_type = "agent";
    out.notes.push_back("identity type: agent (--ci)");
  }
  if (!server_url.empty()) {
    if (server_url.rfind("http://", 0) != 0 && server_url.rfind("https://", 0) != 0) {
      return make_error("usage", "--server-url `" + server_url + "` is not an http(s) URL",
                        std::nullopt,
                        "give the server's address, e.g. https://vectimus.example.com");
    }
    keys.server_url = server_url;
  }
  if (!policy_dir.empty()) {
    // The config takes a relative folder from the project root; the user meant the cwd.
    std::string dir = policy_dir[0] == '/' || host.cwd == place.root
                          ? policy_dir
                          : join_path(host.cwd, policy_dir);
    const std::string absolute = dir[0] == '/' ? dir : join_path(place.root, dir);
    if (!host.fs->is_directory(absolute)) {
      return make_error("usage", "--policy-dir `" + policy_dir + "` is not a folder", std::nullopt,
                        "give the folder that holds your packs");
    }
    keys.policy_dir = dir;
  }
  out.editor = [keys](std::string text, const std::string& file) {
    return store_config_keys(std::move(text), file, keys);
  };
  return out;
}

}  // namespace vectimus::cli
