// MCP discovery reads every agent's files; a broken file is reported and the rest still read.
#include <catch2/catch.hpp>

#include "setup/mcp.hpp"
#include "tests/support/temp_tree.hpp"

using namespace vectimus;
using namespace vectimus::setup;
using vectimus::testing::TempTree;

TEST_CASE("discover_mcp_servers reads each agent's files, names each server once") {
  TempTree t;
  const std::string proj = t.path("proj");
  t.write("proj/.mcp.json", R"({"mcpServers": {"github": {"command": "gh"}}})");
  t.write("proj/.vscode/mcp.json",
          "{\n  // VS Code allows comments\n  \"servers\": {\"fetch\": {}}\n}");
  t.write("proj/.gemini/settings.json", R"({"mcpServers": {"github": {}, "jira": {}}})");
  t.write("proj/.codex/config.toml", "[mcp_servers.docs]\ncommand = \"docs\"\n");
  t.write("home/.claude.json", "{\"mcpServers\": {\"slack\": {}}, \"projects\": {\"" + proj +
                                   "\": {\"mcpServers\": {\"db\": {}}}, \"/other\": "
                                   "{\"mcpServers\": {\"elsewhere\": {}}}}}");
  t.write("home/.cursor/mcp.json", R"({"mcpServers": {"linear": {}}})");
  t.write("home/.codex/config.toml", "[mcp_servers.\"with space\"]\n");
  t.write("home/.gemini/settings.json", "{ not json");
  const McpDiscovery d = discover_mcp_servers(real_host(), proj, t.path("home"));
  std::vector<std::string> names;
  for (const McpServer& s : d.servers) names.push_back(s.name);
  CHECK(names == std::vector<std::string>{"db", "docs", "fetch", "github", "jira", "linear",
                                          "slack", "with space"});
  CHECK(d.servers[3].found_in ==
        std::vector<std::string>{proj + "/.mcp.json", proj + "/.gemini/settings.json"});
  REQUIRE(d.problems.size() == 1);
  CHECK(render(d.problems).rfind(t.path("home/.gemini/settings.json") + ":1:3: error: ", 0) == 0);

  const McpDiscovery user = discover_mcp_servers(real_host(), "", t.path("home"));
  CHECK(user.servers.size() == 3);  // slack, linear, "with space": no project entries
}
