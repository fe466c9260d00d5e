// Format-preserving edits of one TOML config file's text, for the commands that write config
// (`rule disable`, `mcp allow`, `observe on`, `init`, ...). Each edit is checked against the
// schema table (engine/config_schema.hpp), the same table the reader uses, so what a command
// writes is exactly what the engine reads: an unknown key or a value of the wrong kind is an
// error naming the key, never a file the hook would then refuse.
//
// Text in, text out: every byte outside the edited key (comments, order, blank lines) is kept.
// A missing key goes after the last key of its table; a missing table is appended; removing the
// last key of a table also removes its then-empty header, so an edit followed by its inverse
// gives back the same bytes. Writing the file (atomically, 0600, folders 0700) is
// write_config_file()'s job.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "support/host.hpp"
#include "support/result.hpp"

namespace vectimus::engine {

using ConfigValue = std::variant<bool, int64_t, std::string, std::vector<std::string>>;

// Each returns the new file text. `key` is a dotted schema key, e.g. "mode.observe",
// "mcp.allowed_servers", "rules.enforcement.vectimus-destruct-001", "packs.base.enabled".
// `file` names the file in diagnostics (file:line:col when the existing text does not parse).
Result<std::string> config_set(std::string_view text, std::string_view file, std::string_view key,
                               const ConfigValue& value);
// No-op if absent.
Result<std::string> config_unset(std::string_view text, std::string_view file,
                                 std::string_view key);
// No-op if present.
Result<std::string> config_list_add(std::string_view text, std::string_view file,
                                    std::string_view key, std::string_view item);
// No-op if absent; removing the last item removes the key.
Result<std::string> config_list_remove(std::string_view text, std::string_view file,
                                       std::string_view key, std::string_view item);

// Reads `path` (a missing file is empty text), applies `edit`, and when the text changed
// replaces the file atomically with mode 0600, creating missing folders with mode 0700.
// Returns whether the file changed.
Result<bool> edit_config_file(const Host& host, const std::string& path,
                              const std::function<Result<std::string>(std::string_view)>& edit);

}  // namespace vectimus::engine
