// The one file that includes toml++ (it is slow to compile and throws): config files, walked
// against the schema table (engine/config_schema.hpp), and pack manifests (engine/manifest.hpp).
// toml++ exceptions stop here and leave as diagnostics.
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <limits>
#include <variant>

#include "engine/config.hpp"
#include "engine/config_schema.hpp"
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

std::string join_dots(const std::vector<std::string>& segments) {
  std::string out;
  for (const std::string& s : segments) out += (out.empty() ? "" : ".") + s;
  return out;
}

std::string position(const SourcePtr& source, const toml::source_region& region) {
  return source->name + ":" + std::to_string(region.begin.line) + ":" +
         std::to_string(region.begin.column);
}

void unknown_key(const SourcePtr& source, const toml::key& name, const std::string& dotted,
                 std::span<const std::string> known, Diagnostics& errors) {
  const auto suggestion = closest_key(dotted, known);
  errors.push_back(make_error("config", "unknown key " + display_key(dotted),
                              where(source, name.source()),
                              suggestion ? "did you mean " + display_key(*suggestion) + "?"
                                         : "see the configuration section of the README"));
}

// A TOML node as `key` expects it, or the phrase for what was expected.
std::variant<SchemaValue, std::string> node_value(const ConfigKey& key, const toml::node& node) {
  switch (key.kind) {
    case ValueKind::boolean:
      if (const auto* b = node.as_boolean()) return SchemaValue{b->get()};
      return std::string("true or false");
    case ValueKind::integer:
      if (const auto* n = node.as_integer(); n != nullptr && n->get() >= 0) {
        return SchemaValue{static_cast<std::size_t>(n->get())};
      }
      return std::string("a non-negative integer");
    case ValueKind::string_list: {
      std::vector<std::string> items;
      const toml::array* array = node.as_array();
      for (std::size_t i = 0; array != nullptr && i < array->size(); ++i) {
        const auto* text = (*array)[i].as_string();
        if (text == nullptr) return std::string("a list of strings");
        items.push_back(text->get());
      }
      if (array == nullptr) return std::string("a list of strings");
      return SchemaValue{std::move(items)};
    }
    case ValueKind::table_array: {
      std::vector<TableEntry> entries;
      const toml::array* array = node.as_array();
      if (array == nullptr || !array->is_array_of_tables()) {
        return std::string("an array of tables (`[[" + std::string(key.path) + "]]`)");
      }
      for (const toml::node& item : *array) {
        TableEntry entry;
        for (const auto& [field, value] : *item.as_table()) {
          if (const auto* text = value.as_string()) {
            entry[std::string(field.str())] = text->get();
          } else if (const auto* n = value.as_integer()) {
            entry[std::string(field.str())] = std::to_string(n->get());
          } else if (const auto* b = value.as_boolean()) {
            entry[std::string(field.str())] = b->get() ? "true" : "false";
          } else {
            return std::string("tables of strings, integers and booleans");
          }
        }
        entries.push_back(std::move(entry));
      }
      return SchemaValue{std::move(entries)};
    }
    case ValueKind::string:
    case ValueKind::choice:
    case ValueKind::path:
    case ValueKind::enforcement:
    case ValueKind::endpoint: break;
  }
  if (const auto* text = node.as_string()) return SchemaValue{text->get()};
  return std::string("a string");
}

// Every key of `table` (at `prefix`) against the schema: values assigned, tables walked,
// anything else an error with a suggestion.
void walk_config(Config& config, const SourcePtr& source, const toml::table& table,
                 std::vector<std::string>& prefix, const LayerContext& context, Diagnostics& out) {
  for (const auto& [k, node] : table) {
    prefix.emplace_back(k.str());
    const std::string dotted = join_dots(prefix);
    if (const ConfigKey* key = find_config_key(prefix)) {
      auto value = node_value(*key, node);
      std::string problem;
      if (auto* expected = std::get_if<std::string>(&value)) {
        problem = display_key(dotted) + " must be " + *expected;
      } else {
        problem = assign_config_value(config, *key, wildcard_of(*key, prefix),
                                      std::get<SchemaValue>(std::move(value)), context);
      }
      if (!problem.empty()) {
        out.push_back(error_at(source, node, problem));
      } else {
        config.origins[dotted] = Setting{position(source, k.source()), where(source, k.source())};
        if (!key->built) {
          Diagnostic note = make_error(
              "config-not-built", display_key(dotted) + " has no effect yet",
              where(source, k.source()), std::string(key->doc) + ": accepted, but not built yet");
          note.severity = Severity::warning;
          out.push_back(std::move(note));
        }
      }
    } else if (is_config_section(prefix)) {
      if (const toml::table* inner = node.as_table()) {
        walk_config(config, source, *inner, prefix, context, out);
      } else {
        out.push_back(error_at(source, node, "`" + dotted + "` must be a table"));
      }
    } else if (node.is_table()) {
      // An unknown table: compare it with the tables there are (`[log]` -> `[logging]`).
      const auto suggestion = closest_key(dotted, file_section_paths(prefix));
      out.push_back(make_error("config", "unknown table `[" + dotted + "]`",
                               where(source, k.source()),
                               suggestion ? "did you mean `[" + *suggestion + "]`?"
                                          : "see the configuration section of the README"));
    } else {
      unknown_key(source, k, dotted, file_key_paths(prefix), out);
    }
    prefix.pop_back();
  }
}

// pack.toml: the keys of its `[pack]` table; the first four are required.
constexpr std::array<std::string_view, 6> kManifestKeys{"name",   "version", "description",
                                                        "author", "license", "requires"};

std::vector<std::string> manifest_paths() {
  std::vector<std::string> out;
  for (std::string_view key : kManifestKeys) out.push_back("pack." + std::string(key));
  return out;
}

Diagnostic manifest_error(const SourcePtr& source, const toml::node& node, std::string message) {
  Diagnostic d = error_at(source, node, std::move(message));
  d.code = "pack";
  return d;
}

void read_manifest(const SourcePtr& source, const toml::table& root, PackManifest& out,
                   Diagnostics& errors) {
  const std::vector<std::string> known = manifest_paths();
  const toml::table* pack = nullptr;
  for (const auto& [k, node] : root) {
    if (k.str() == "pack" && node.is_table()) {
      pack = node.as_table();
    } else if (k.str() == "pack") {
      errors.push_back(manifest_error(source, node, "`pack` must be a table: `[pack]`"));
    } else {
      const std::string dotted(k.str());
      unknown_key(source, k, dotted, known, errors);
      errors.back().code = "pack";
    }
  }
  std::string* const strings[] = {&out.name, &out.version, &out.description, &out.author,
                                  &out.license};
  bool seen[kManifestKeys.size()] = {};
  const toml::table no_fields;
  for (const auto& [k, node] : pack != nullptr ? *pack : no_fields) {
    const auto at = std::find(kManifestKeys.begin(), kManifestKeys.end(), k.str());
    if (at == kManifestKeys.end()) {
      unknown_key(source, k, "pack." + std::string(k.str()), known, errors);
      errors.back().code = "pack";
      continue;
    }
    const auto i = static_cast<std::size_t>(at - kManifestKeys.begin());
    seen[i] = true;
    if (*at == "requires") {
      if (const auto* text = node.as_string()) {
        out.required_packs.push_back(text->get());
        continue;
      }
      const toml::array* array = node.as_array();
      bool ok = array != nullptr;
      for (std::size_t j = 0; ok && j < array->size(); ++j) {
        const auto* text = (*array)[j].as_string();
        ok = text != nullptr;
        if (ok) out.required_packs.push_back(text->get());
      }
      if (!ok) {
        errors.push_back(manifest_error(source, node,
                                        "`[pack] requires` must be a string or a list of strings"));
      }
    } else if (const auto* text = node.as_string()) {
      *strings[i] = text->get();
    } else {
      errors.push_back(
          manifest_error(source, node, "`[pack] " + std::string(*at) + "` must be a string"));
    }
  }
  for (std::size_t i = 0; i < 4; ++i) {
    if (seen[i]) continue;
    errors.push_back(make_error(
        "pack", "pack.toml has no `[pack] " + std::string(kManifestKeys[i]) + "`",
        Location{source, Span{0, 0}},
        "a pack.toml is a `[pack]` table with `name`, `version`, `description` and `author`, "
        "each a string"));
  }
}

}  // namespace

Diagnostics apply_config_toml(Config& config, const SourcePtr& source,
                              const LayerContext& context) {
  auto parsed = parse_toml(source);
  if (!parsed) return parsed.errors();
  Diagnostics out;
  try {
    std::vector<std::string> prefix;
    walk_config(config, source, *parsed, prefix, context, out);
    // toml++ keeps keys sorted; report in the file's order.
    std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return (a.where ? a.where->span.begin : 0) < (b.where ? b.where->span.begin : 0);
    });
  } catch (const std::exception& e) {
    out.push_back(
        make_error("internal", std::string("internal error reading config: ") + e.what()));
  }
  return out;
}

Result<PackManifest> parse_pack_manifest(const SourcePtr& source) {
  auto parsed = parse_toml(source);
  if (!parsed) return std::move(parsed).take_errors();
  PackManifest out;
  Diagnostics errors;
  try {
    read_manifest(source, *parsed, out, errors);
  } catch (const std::exception& e) {
    errors.push_back(
        make_error("internal", std::string("internal error reading pack.toml: ") + e.what()));
  }
  if (!errors.empty()) return errors;
  return out;
}

}  // namespace vectimus::engine
