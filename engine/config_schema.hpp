// The configuration schema: one table, one row per key. Data, not branching code: the TOML
// reader, the `VECTIMUS_*` variables, the built-in defaults, `vectimus lint` and (later) the
// commands that write config (`rule disable`, `mcp allow`, `init`) all read this table.
//
// A row says: the dotted key path (`*` stands for any one key: a rule id, a pack name), the
// kind of value, the Config field it lands in (a pointer to member, whose type must suit the
// kind), how a later layer combines with an earlier one, the variable that sets it (if any),
// its built-in default (written as the variable would be), whether its feature is built yet,
// and a one-line doc. Values flow: TOML node or variable text -> SchemaValue (checked against
// the row) -> assign_config_value() -> the Config field, with its origin recorded.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/config.hpp"

namespace vectimus::engine {

enum class ValueKind : uint8_t {
  boolean,      // true/false (variables: true/false/1/0/yes/no/on/off)
  integer,      // a non-negative integer, at most ConfigKey::max
  string,       // any string
  choice,       // one of ConfigKey::choices
  path,         // a string naming a folder; relative and `~/` paths resolved (config.hpp)
  string_list,  // a list of strings (variables: comma-separated)
  enforcement,  // "deny" | "escalate" | "observe"
  endpoint,     // udp://host:port, tcp://host:port or unix:///path (support/endpoint.hpp)
  table_array,  // an array of tables (`[[server.api_keys]]`), fields kept as text
};
std::string_view value_kind_name(ValueKind kind);

enum class Merge : uint8_t {
  replace,  // a later layer's value replaces the earlier one
  unite,    // lists: the union of every layer's items (sorted, unique)
  per_key,  // `*` rows: a later layer replaces the entry for the same key only
};
std::string_view merge_name(Merge merge);

using ConfigTarget =
    std::variant<bool Config::*, std::size_t Config::*, std::string Config::*,
                 std::optional<std::string> Config::*, std::vector<std::string> Config::*,
                 std::map<std::string, Enforcement, std::less<>> Config::*,
                 std::map<std::string, bool, std::less<>> Config::*,
                 std::vector<TableEntry> Config::*>;

struct ConfigKey {
  std::string_view path;
  ValueKind kind;
  ConfigTarget target;
  Merge merge;
  bool built;                     // false: accepted, stored, no effect yet
  std::string_view env;           // the variable that sets it, or empty
  std::string_view default_text;  // the built-in default as variable text; empty: none
  std::string_view doc;
  std::span<const std::string_view> choices = {};  // ValueKind::choice
  std::size_t max = SIZE_MAX;                      // ValueKind::integer
  bool in_files = true;                            // false: a variable only
};

// Every key, in the order the docs would list them.
std::span<const ConfigKey> config_schema();

// The row for a concrete path (segments as written; `*` rows match any segment there), or null.
const ConfigKey* find_config_key(std::span<const std::string> segments);
// The segment of `segments` that stood for the `*` of `key`'s path; empty when it has none.
std::string wildcard_of(const ConfigKey& key, std::span<const std::string> segments);
// Whether some row's path starts with `segments` and is longer (they name a table).
bool is_config_section(std::span<const std::string> segments);

// A value read from a file or a variable, before it is checked against its row.
using SchemaValue =
    std::variant<bool, std::size_t, std::string, std::vector<std::string>, std::vector<TableEntry>>;

// true/false/1/0/yes/no/on/off (any case; empty is false), else nullopt.
std::optional<bool> parse_flag(std::string_view text);
// Parses a variable's (or a default's) text as `key` expects; an error message on failure.
Result<SchemaValue> parse_config_text(const ConfigKey& key, std::string_view text);
// Checks `value` against `key` (type, choices, bounds) and stores it in `config` per the row's
// merge; `wildcard` is the key that stood for `*`. Returns an error message, empty on success.
std::string assign_config_value(Config& config, const ConfigKey& key, std::string_view wildcard,
                                SchemaValue value, const LayerContext& context);

// `[section] key` for a dotted path (the docs' way of naming a key); `key` at top level.
std::string display_key(std::string_view dotted);
// The closest of `known` to `unknown` (dotted paths), or nullopt when none is close enough.
// Weighs a matching last segment (`observe` -> `mode.observe`, `log.dir` -> `logging.dir`) and
// a name one contains (`allowed` -> `allowed_servers`) above plain edit distance.
std::optional<std::string> closest_key(std::string_view unknown,
                                       std::span<const std::string> known);
// Every path a file may hold, `*` replaced by the matching segment of `unknown` where the
// prefixes agree (so `packs.x.enable` is compared with `packs.x.enabled`).
std::vector<std::string> file_key_paths(std::span<const std::string> unknown);
// The tables (sections) of those paths: `logging`, `rules.enforcement`, `packs.x`, ...
std::vector<std::string> file_section_paths(std::span<const std::string> unknown);

}  // namespace vectimus::engine
