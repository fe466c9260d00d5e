// `vectimus mcp allow NAME | deny NAME | list` (writing-policies.md, "Server allowlisting"): the
// project's (or with --global the user's) `[mcp] allowed_servers`, which vectimus-mcp-001 reads.
// A name must be one the agents can produce: tool names are `mcp__<server>__<tool>`, so a server
// name is letters, digits, `-`, `_` and `.`, without `__`.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/config_target.hpp"
#include "cli/table.hpp"
#include "support/json_writer.hpp"

namespace vectimus::cli {
namespace {

struct McpOptions {
  std::string name;
  bool global = false;
  std::string format = "text";
};

bool valid_server(std::string_view name) {
  const bool chars = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
  if (name.empty() || name.size() > 128 || !chars || name.find("__") != std::string_view::npos) {
    std::cerr << "error: `" << name << "` is not an MCP server name\n"
              << "  help: use the name the agent shows in its tool names (mcp__<server>__<tool>): "
                 "letters, digits, `-`, `_` and `.`, without `__`\n";
    return false;
  }
  return true;
}

int run_change(const McpOptions& o, bool allow) {
  if (!valid_server(o.name)) return kExitBadInput;
  const ConfigTarget t = config_target();
  const auto file = target_file(t, o.global);
  if (!file) return kExitBadInput;
  return apply_edit(
      t, *file,
      [&](std::string_view text) {
        return allow ? engine::config_list_add(text, *file, "mcp.allowed_servers", o.name)
                     : engine::config_list_remove(text, *file, "mcp.allowed_servers", o.name);
      },
      "MCP server " + o.name + (allow ? " allowed" : " no longer allowed"),
      "MCP server " + o.name + (allow ? " was already allowed" : " was not allowed there"));
}

int run_list(const McpOptions& o) {
  const ConfigTarget t = config_target();
  struct Row {
    std::string server, scope;
  };
  std::vector<Row> rows;
  const auto add = [&](const std::string& file, const char* scope) {
    auto config = engine::load_config(t.host, {file});
    if (!config) return;
    for (const auto& s : config->mcp_allowed) rows.push_back({s, scope});
  };
  // The variable alone: load_config applies it over no file.
  auto env_only = engine::load_config(t.host, {});
  if (env_only) {
    for (const auto& s : env_only->mcp_allowed) rows.push_back({s, "VECTIMUS_MCP_ALLOWED"});
  }
  if (t.project) add(t.project_file(), "project");
  if (t.home) add(t.global_file(), "global");
  // A file's list includes the variable's items too: keep each (server, scope) once, the
  // variable's only under the variable.
  std::vector<Row> out;
  for (const Row& r : rows) {
    const bool from_env = std::any_of(rows.begin(), rows.end(), [&](const Row& x) {
      return x.scope == std::string("VECTIMUS_MCP_ALLOWED") && x.server == r.server;
    });
    if (from_env && r.scope != "VECTIMUS_MCP_ALLOWED") continue;
    out.push_back(r);
  }
  if (o.format == "json") {
    JsonWriter w;
    w.begin_array();
    for (const Row& r : out) {
      w.begin_object().key("server").value(r.server).key("scope").value(r.scope).end_object();
    }
    std::cout << w.end_array().take() << '\n';
    return kExitOk;
  }
  if (out.empty()) {
    std::cout << "no MCP server is allowed: vectimus-mcp-001 denies every MCP tool call\n";
    return kExitOk;
  }
  Table table({"SERVER", "SCOPE"});
  for (const Row& r : out) table.add({Cell(r.server, Colour::green), r.scope});
  std::cout << table.render(use_colour());
  return kExitOk;
}

}  // namespace

void add_mcp_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<McpOptions>();
  auto* mcp = app.add_subcommand("mcp", "Approve MCP servers (vectimus-mcp-001 denies the rest)");
  mcp->require_subcommand(1);
  auto* allow = mcp->add_subcommand("allow", "Approve an MCP server");
  auto* deny = mcp->add_subcommand("deny", "Withdraw an MCP server's approval");
  for (auto* cmd : {allow, deny}) {
    cmd->add_option("NAME", o->name, "server name, as in mcp__<server>__<tool>")->required();
    cmd->add_flag("--global", o->global, "in ~/.vectimus/config.toml");
  }
  allow->callback([o, &exit_code] { exit_code = run_change(*o, true); });
  deny->callback([o, &exit_code] { exit_code = run_change(*o, false); });
  auto* list = mcp->add_subcommand("list", "The approved MCP servers and where each is set");
  list->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  list->callback([o, &exit_code] { exit_code = run_list(*o); });
}

}  // namespace vectimus::cli
