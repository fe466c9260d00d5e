#include "setup/mcp.hpp"

#include <algorithm>

#include "setup/codex_toml.hpp"
#include "setup/json_doc.hpp"

namespace vectimus::setup {
namespace {

constexpr std::size_t kMaxBytes = 16 << 20;  // ~/.claude.json grows with history

struct Collector {
  const Host& host;
  McpDiscovery out;

  void add(const std::string& name, const std::string& file) {
    auto it = std::find_if(out.servers.begin(), out.servers.end(),
                           [&](const McpServer& s) { return s.name == name; });
    if (it == out.servers.end()) {
      out.servers.push_back({name, {file}});
    } else if (std::find(it->found_in.begin(), it->found_in.end(), file) == it->found_in.end()) {
      it->found_in.push_back(file);
    }
  }

  std::optional<std::string> read(const std::string& path) {
    FileRead r = host.fs->read(path, kMaxBytes);
    if (r.status == FileRead::Status::missing) return std::nullopt;
    if (r.status != FileRead::Status::ok) {
      out.problems.push_back(make_error("io", "cannot read `" + path + "`: " + r.error));
      return std::nullopt;
    }
    return std::move(r.text);
  }

  // The keys of the object at `keys` in the JSON file `path`.
  void json(const std::string& path, const std::vector<std::string>& keys) {
    const std::optional<std::string> text = read(path);
    if (!text) return;
    Result<JsonNode> doc = parse_json(*text, path, true);
    if (!doc) {
      for (const Diagnostic& d : doc.errors()) out.problems.push_back(d);
      return;
    }
    const JsonNode* node = &*doc;
    for (const std::string& key : keys) {
      node = node->is_object() ? node->find(key) : nullptr;
      if (!node) return;
    }
    for (const JsonMember& m : node->members) add(m.key, path);
  }

  void codex(const std::string& path) {
    const std::optional<std::string> text = read(path);
    if (!text) return;
    Result<CodexConfig> config = read_codex_config(*text, path);
    if (!config) {
      for (const Diagnostic& d : config.errors()) out.problems.push_back(d);
      return;
    }
    for (const std::string& name : config->mcp_servers) add(name, path);
  }
};

}  // namespace

McpDiscovery discover_mcp_servers(const Host& host, const std::string& project,
                                  const std::string& home) {
  Collector c{host, {}};
  if (!project.empty()) {
    c.json(join_path(project, ".mcp.json"), {"mcpServers"});
    c.json(join_path(project, ".cursor/mcp.json"), {"mcpServers"});
    c.json(join_path(project, ".vscode/mcp.json"), {"servers"});
    c.json(join_path(project, ".gemini/settings.json"), {"mcpServers"});
    c.codex(join_path(project, ".codex/config.toml"));
  }
  if (!home.empty()) {
    c.json(join_path(home, ".claude.json"), {"mcpServers"});
    if (!project.empty())
      c.json(join_path(home, ".claude.json"), {"projects", project, "mcpServers"});
    c.json(join_path(home, ".cursor/mcp.json"), {"mcpServers"});
    c.json(join_path(home, ".gemini/settings.json"), {"mcpServers"});
    c.codex(join_path(home, ".codex/config.toml"));
  }
  std::sort(c.out.servers.begin(), c.out.servers.end(),
            [](const McpServer& a, const McpServer& b) { return a.name < b.name; });
  return std::move(c.out);
}

}  // namespace vectimus::setup
