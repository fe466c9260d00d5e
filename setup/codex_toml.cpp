// toml++ compiled header-only here, as engine/toml_files.cpp does (no shared library for the
// hook to load at start-up). Its exceptions stop at this file.
#include "setup/codex_toml.hpp"

#include <toml++/toml.h>

namespace vectimus::setup {

Result<CodexConfig> read_codex_config(std::string_view text, const std::string& file) {
  CodexConfig out;
  toml::table doc;
  try {
    doc = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return make_error("toml",
                      file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
                          ": " + std::string(e.description()),
                      std::nullopt, "fix Codex's config file; nothing was changed");
  }
  if (const toml::table* servers = doc["mcp_servers"].as_table()) {
    for (const auto& [name, value] : *servers) out.mcp_servers.emplace_back(name.str());
  }
  if (auto v = doc["features"]["hooks"].value<bool>()) {
    out.hooks_feature = *v;
  } else if (auto alias = doc["features"]["codex_hooks"].value<bool>()) {
    out.hooks_feature = *alias;
  }
  if (const toml::table* projects = doc["projects"].as_table()) {
    for (const auto& [path, value] : *projects) {
      const toml::table* p = value.as_table();
      if (p && p->get_as<std::string>("trust_level") &&
          p->get_as<std::string>("trust_level")->get() == "trusted") {
        out.trusted_projects.emplace_back(path.str());
      }
    }
  }
  if (const toml::table* state = doc["hooks"]["state"].as_table()) {
    for (const auto& [key, value] : *state) {
      const toml::table* s = value.as_table();
      if (s && s->contains("trusted_hash")) out.reviewed_hooks.emplace_back(key.str());
    }
  }
  return out;
}

}  // namespace vectimus::setup
