// API keys: which named key, if any, a request presents. A key is read from
// `X-Vectimus-API-Key: K` or `Authorization: Bearer K` and compared with every configured key in
// time that depends only on the configured keys' lengths, never on how much of a guess matched.
// With no key configured every request is let in (key name: none); the routes say which paths
// need a key (server/app.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/settings.hpp"

namespace vectimus::server {

// Equal contents, in time that depends on `expected`'s length only.
bool constant_time_equal(std::string_view presented, std::string_view expected);

// The key the headers present: `X-Vectimus-API-Key` when set, else the token of
// `Authorization: Bearer <token>` (scheme case-insensitive), else nullopt.
std::optional<std::string_view> presented_key(std::string_view api_key_header,
                                              std::string_view authorization);

class KeyRing {
 public:
  KeyRing() = default;
  explicit KeyRing(std::vector<NamedKey> keys) : keys_(std::move(keys)) {}
  bool enabled() const { return !keys_.empty(); }
  // The name of the key `presented` is; every key is compared, whichever matches.
  const std::string* match(std::string_view presented) const;

 private:
  std::vector<NamedKey> keys_;
};

}  // namespace vectimus::server
