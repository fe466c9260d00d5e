// toml++ compiled header-only here, as engine/toml_files.cpp does (no shared library for the
// hook to load at start-up). Its exceptions stop at this file.
#include "setup/codex_toml.hpp"

#include <toml++/toml.h>
#include <algorithm>

namespace vectimus::setup {

namespace {

Diagnostic toml_error(const toml::parse_error& e, const std::string& file) {
  const auto& where = e.source().begin;
  return make_error("toml",
                    file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
                        ": " + std::string(e.description()),
                    std::nullopt, "fix Codex's config file; nothing was changed");
}

// The byte offset of a 1-based line and column (columns count bytes up to the value, which in
// a key line are ASCII).
std::size_t offset_of(std::string_view text, std::size_t line, std::size_t column) {
  std::size_t pos = 0;
  for (std::size_t l = 1; l < line && pos != std::string_view::npos; ++l) {
    pos = text.find('\n', pos);
    if (pos != std::string_view::npos) ++pos;
  }
  return pos == std::string_view::npos ? text.size() : pos + column - 1;
}

}  // namespace

Result<std::optional<std::string>> flip_codex_hooks(std::string_view text, const std::string& file,
                                                    bool from) {
  toml::table doc;
  try {
    doc = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    return toml_error(e, file);
  }
  const std::string_view old_word = from ? "true" : "false";
  const std::string_view new_word = from ? "false" : "true";
  std::vector<std::size_t> at;
  for (const char* key : {"hooks", "codex_hooks"}) {
    const toml::node* node = doc["features"][key].node();
    if (!node || node->value<bool>() != from) continue;
    const auto& begin = node->source().begin;
    const std::size_t pos = offset_of(text, begin.line, begin.column);
    if (text.substr(pos, old_word.size()) == old_word) at.push_back(pos);
  }
  if (at.empty()) return std::optional<std::string>();
  std::string out(text);
  std::sort(at.rbegin(), at.rend());
  for (const std::size_t pos : at) out.replace(pos, old_word.size(), new_word);
  return std::optional<std::string>(std::move(out));
}

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
