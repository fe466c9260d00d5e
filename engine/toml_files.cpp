// The one file that includes toml++ (it is slow to compile and throws): config files and pack
// manifests. toml++ exceptions stop here and leave as diagnostics.
#include <toml++/toml.h>

#include <algorithm>
#include <limits>

#include "engine/config.hpp"
#include "engine/manifest.hpp"

namespace vectimus::engine {
namespace {

// Byte offset of a 1-based line and column (the column counts code points, as locate() does).
uint32_t offset_of(std::string_view text, uint32_t line, uint32_t column) {
  std::size_t i = 0;
  for (uint32_t l = 1; l < line && i < text.size(); ++i) {
    if (text[i] == '\n') ++l;
  }
  for (uint32_t c = 1; c < column && i < text.size() && text[i] != '\n'; ++c) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return static_cast<uint32_t>(std::min(i, text.size()));
}

Location where(const SourcePtr& source, const toml::source_region& region) {
  const uint32_t begin = offset_of(source->text, region.begin.line, region.begin.column);
  uint32_t end = offset_of(source->text, region.end.line, region.end.column);
  if (end <= begin) end = begin + 1;
  return Location{source, Span{begin, end}};
}

Diagnostic error_at(const SourcePtr& source, const toml::node& node, std::string message,
                    std::string help = {}) {
  return make_error("config", std::move(message), where(source, node.source()), std::move(help));
}

Result<toml::table> parse_toml(const SourcePtr& source) {
  try {
    return toml::parse(source->text, source->name);
  } catch (const toml::parse_error& e) {
    const auto& r = e.source();
    const uint32_t at = offset_of(source->text, r.begin.line, r.begin.column);
    std::string message(e.description());
    if (!message.empty()) message[0] = static_cast<char>(std::tolower(message[0]));
    return make_error("syntax", "invalid TOML: " + message,
                      Location{source, Span{at, at + 1 <= source->text.size() ? at + 1 : at}});
  }
}

// A list of strings, or an error naming the key.
bool read_strings(const SourcePtr& source, const toml::node& node, std::string_view key,
                  std::vector<std::string>& out, Diagnostics& errors) {
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    errors.push_back(
        error_at(source, node, "`" + std::string(key) + "` must be a list of strings"));
    return false;
  }
  for (const toml::node& item : *array) {
    const auto* text = item.as_string();
    if (text == nullptr) {
      errors.push_back(
          error_at(source, item, "`" + std::string(key) + "` must be a list of strings"));
      return false;
    }
    out.push_back(text->get());
  }
  return true;
}

void sort_unique(std::vector<std::string>& items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
}

void unknown_key(const SourcePtr& source, const toml::key& name, std::string_view key,
                 std::string_view known, Diagnostics& errors) {
  errors.push_back(make_error("config", "unknown key `" + std::string(key) + "`",
                              where(source, name.source()),
                              "expected one of " + std::string(known)));
}

void apply_table(Config& config, const SourcePtr& source, const toml::table& root,
                 Diagnostics& errors) {
  for (const auto& [k, node] : root) {
    const std::string_view key = k.str();
    if (key == "observe") {
      if (const auto* b = node.as_boolean()) {
        config.observe = b->get();
      } else {
        errors.push_back(error_at(source, node, "`observe` must be true or false"));
      }
    } else if (key == "mcp" || key == "rules" || key == "identity" || key == "content" ||
               key == "log") {
      const toml::table* table = node.as_table();
      if (table == nullptr) {
        errors.push_back(error_at(source, node, "`" + std::string(key) + "` must be a table"));
        continue;
      }
      for (const auto& [k2, sub] : *table) {
        const std::string_view name = k2.str();
        const std::string path = std::string(key) + "." + std::string(name);
        if (path == "mcp.allowed") {
          read_strings(source, sub, path, config.mcp_allowed, errors);
          sort_unique(config.mcp_allowed);
        } else if (path == "rules.disabled") {
          read_strings(source, sub, path, config.disabled_rules, errors);
          sort_unique(config.disabled_rules);
        } else if (path == "rules.enforcement") {
          const toml::table* levels = sub.as_table();
          if (levels == nullptr) {
            errors.push_back(error_at(source, sub, "`rules.enforcement` must be a table"));
            continue;
          }
          for (const auto& [rule, level] : *levels) {
            const auto* text = level.as_string();
            const auto parsed = text ? parse_enforcement(text->get()) : std::nullopt;
            if (!parsed) {
              errors.push_back(error_at(source, level,
                                        "enforcement of `" + std::string(rule.str()) +
                                            "` must be \"deny\", \"escalate\" or \"observe\""));
              continue;
            }
            config.enforcement[std::string(rule.str())] = *parsed;
          }
        } else if (path == "identity.type") {
          const auto* text = sub.as_string();
          if (text != nullptr && text->get() == "agent") {
            config.identity_type = IdentityType::agent;
          } else if (text != nullptr && text->get() == "user") {
            config.identity_type = IdentityType::user;
          } else {
            errors.push_back(
                error_at(source, sub, "`identity.type` must be \"agent\" or \"user\""));
          }
        } else if (path == "identity.groups") {
          std::vector<std::string> groups;
          if (read_strings(source, sub, path, groups, errors)) {
            sort_unique(groups);
            config.groups = std::move(groups);
          }
        } else if (path == "content.max_bytes") {
          const auto* number = sub.as_integer();
          if (number == nullptr || number->get() < 0) {
            errors.push_back(
                error_at(source, sub, "`content.max_bytes` must be a non-negative integer"));
          } else {
            config.content_max_bytes = static_cast<std::size_t>(number->get());
          }
        } else if (path == "log.dir") {
          const auto* text = sub.as_string();
          if (text == nullptr) {
            errors.push_back(error_at(source, sub, "`log.dir` must be a string"));
          } else {
            config.log_dir = text->get();
          }
        } else if (path == "log.debug") {
          const auto* b = sub.as_boolean();
          if (b == nullptr) {
            errors.push_back(error_at(source, sub, "`log.debug` must be true or false"));
          } else {
            config.debug = b->get();
          }
        } else {
          unknown_key(source, k2, path,
                      "`mcp.allowed`, `rules.disabled`, `rules.enforcement`, `identity.type`, "
                      "`identity.groups`, `content.max_bytes`, `log.dir`, `log.debug`",
                      errors);
        }
      }
    } else {
      unknown_key(source, k, key, "`observe`, `mcp`, `rules`, `identity`, `content`, `log`",
                  errors);
    }
  }
}

}  // namespace

Diagnostics apply_config_toml(Config& config, const SourcePtr& source) {
  auto parsed = parse_toml(source);
  if (!parsed) return parsed.errors();
  Diagnostics errors;
  try {
    apply_table(config, source, *parsed, errors);
  } catch (const std::exception& e) {
    errors.push_back(
        make_error("internal", std::string("internal error reading config: ") + e.what()));
  }
  return errors;
}

Result<PackManifest> parse_pack_manifest(const SourcePtr& source) {
  auto parsed = parse_toml(source);
  if (!parsed) return std::move(parsed).take_errors();
  PackManifest out;
  Diagnostics errors;
  const std::pair<std::string_view, std::string*> fields[] = {{"name", &out.name},
                                                              {"version", &out.version},
                                                              {"description", &out.description},
                                                              {"author", &out.author}};
  for (const auto& [key, target] : fields) {
    const toml::node* node = parsed->get(key);
    if (node == nullptr) {
      errors.push_back(make_error("pack", "pack.toml has no `" + std::string(key) + "`",
                                  Location{source, Span{0, 0}},
                                  "a pack.toml needs `name`, `version`, `description` and "
                                  "`author`, each a string"));
    } else if (const auto* text = node->as_string()) {
      *target = text->get();
    } else {
      Diagnostic d = error_at(source, *node, "`" + std::string(key) + "` must be a string");
      d.code = "pack";
      errors.push_back(std::move(d));
    }
  }
  if (!errors.empty()) return errors;
  return out;
}

}  // namespace vectimus::engine
