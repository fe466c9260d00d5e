// The team server's settings: the `[server]` keys of the config layers (engine/config.hpp, read
// from the server's working folder like any command's), `VECTIMUS_API_KEYS`, then the flags of
// `vectimus server start` over them. Read once at start: a change to `[server]` needs a restart
// (policies and the rest of the config are reloaded live, server/policy_store.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/config.hpp"
#include "support/host.hpp"
#include "support/result.hpp"

namespace vectimus::server {

struct NamedKey {
  std::string name;
  std::string key;
};

// Every limit fails closed: past it the request is refused (413, 431, 503) or the connection cut.
struct Limits {
  std::size_t max_body_bytes = 1u << 20;
  std::size_t max_header_bytes = 16u << 10;
  std::size_t read_timeout_ms = 10'000;  // a whole request, from its first byte
  std::size_t idle_timeout_ms = 60'000;  // between requests on a kept-alive connection
  std::size_t max_connections = 10'000;
  std::size_t max_subscribers = 256;
  std::size_t subscriber_queue = 10'000;  // events a subscriber may fall behind
};

struct ApprovalSettings {
  bool enabled = false;
  std::size_t timeout_seconds = 300;
  std::string webhook_url;     // empty: no webhook
  std::string webhook_secret;  // empty: the webhook carries no links
  std::string public_url;      // the links' base; empty: the server's own listen URL
};

struct Settings {
  std::string host = "127.0.0.1";
  uint16_t port = 8420;
  std::optional<std::string> unix_path;  // serve on this Unix socket instead of TCP
  std::optional<std::string> tls_cert;
  std::optional<std::string> tls_key;
  std::optional<std::string> policy_dir;
  bool observe = false;
  std::vector<NamedKey> keys;  // empty: no authentication
  Limits limits;
  std::size_t heartbeat_ms = 15'000;
  std::size_t threads = 0;  // 0: one per core
  std::size_t flood_window_seconds = 600;
  std::size_t reload_poll_ms = 1000;
  ApprovalSettings approvals;
  std::optional<std::string> bundle;  // [server] bundle: served at GET /v1/bundle
};

// What `vectimus server start` was given; unset flags leave the config's value.
struct Flags {
  std::optional<std::string> host;
  std::optional<uint16_t> port;
  std::optional<std::string> unix_path;
  std::optional<std::string> policy_dir;
  bool observe = false;
  std::optional<std::string> tls_cert;
  std::optional<std::string> tls_key;
};

// The settings from `config` (its `[server]` keys, `VECTIMUS_API_KEY` as the key "default"),
// `VECTIMUS_API_KEYS=name:key,...` from `env`, and `flags` over both. Errors: a named key
// without a name or a key, two keys with one name, half of a TLS pair.
Result<Settings> make_settings(const engine::Config& config, const Environment& env,
                               const Flags& flags);

// `name:key,name:key` (VECTIMUS_API_KEYS).
Result<std::vector<NamedKey>> parse_named_keys(std::string_view text);

}  // namespace vectimus::server
