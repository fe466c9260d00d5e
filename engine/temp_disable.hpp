// Temporary rule disables (`vectimus rule disable ID --for 30m`) without a daemon: the absolute
// expiry of each disabled rule sits in a small 0600 state file in the user's runtime folder
// (`$XDG_RUNTIME_DIR/vectimus/`, else `~/.vectimus/run/`), one file per project. The engine reads
// it when it loads: when the file is missing that is one failed open; a file that cannot be read
// or holds anything unexpected counts as empty, so every rule stays on (fail closed).
//
// File format, one line per rule (comments start with `#`): `<rule id> <expiry, Unix seconds>`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/host.hpp"
#include "support/result.hpp"

namespace vectimus::engine {

// Rule id -> expiry (Unix seconds).
using TempDisables = std::map<std::string, int64_t, std::less<>>;

// The state file of `project` (its root folder); nullopt when neither XDG_RUNTIME_DIR nor HOME
// is set.
std::optional<std::string> temp_disable_file(const Host& host, std::string_view project);
// The disables still running at `now_s`; empty when the file is missing, unreadable or garbled.
TempDisables read_temp_disables(const Host& host, std::string_view project, int64_t now_s);
// Writes `disables` (expired ones dropped) atomically, 0600, its folder 0700; an empty set
// removes the file.
Result<bool> write_temp_disables(const Host& host, std::string_view project,
                                 const TempDisables& disables, int64_t now_s);

// `90s`, `30m`, `2h`, `1h30m` (hours, minutes, seconds in that order, each optional) -> seconds;
// an error saying the accepted forms otherwise.
Result<int64_t> parse_duration(std::string_view text);
// Time left as people read it: `1h30m`, `24m`, `45s` (minutes rounded up).
std::string format_remaining(int64_t seconds);

// Up to `limit` of `known` nearest to `unknown` by edit distance (closest first), only those
// close enough to be a plausible typo.
std::vector<std::string> nearest_ids(std::string_view unknown,
                                     const std::vector<std::string_view>& known,
                                     std::size_t limit = 3);

}  // namespace vectimus::engine
