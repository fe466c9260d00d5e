#include "server/settings.hpp"

#include <algorithm>

namespace vectimus::server {
namespace {

Diagnostic error(std::string message) {
  return make_error("server", std::move(message));
}

}  // namespace

Result<std::vector<NamedKey>> parse_named_keys(std::string_view text) {
  std::vector<NamedKey> keys;
  while (!text.empty()) {
    const std::size_t comma = std::min(text.find(','), text.size());
    const std::string_view item = text.substr(0, comma);
    text.remove_prefix(std::min(comma + 1, text.size()));
    if (item.empty()) continue;
    const std::size_t colon = item.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == item.size()) {
      return Diagnostics{
          error("`VECTIMUS_API_KEYS` entries are `name:key`, separated by commas; "
                "an entry has no name or no key")};
    }
    keys.push_back({std::string(item.substr(0, colon)), std::string(item.substr(colon + 1))});
  }
  return keys;
}

Result<Settings> make_settings(const engine::Config& config, const Environment& env,
                               const Flags& flags) {
  Settings s;
  s.host = flags.host.value_or(config.server_host);
  s.port = flags.port.value_or(static_cast<uint16_t>(config.server_port));
  s.unix_path = flags.unix_path;
  s.tls_cert = flags.tls_cert ? flags.tls_cert : config.server_tls_cert;
  s.tls_key = flags.tls_key ? flags.tls_key : config.server_tls_key;
  if (s.tls_cert.has_value() != s.tls_key.has_value()) {
    return Diagnostics{
        error("TLS needs both a certificate and a key (`--tls-cert` and "
              "`--tls-key`, or `[server] tls_cert` and `tls_key`)")};
  }
  s.policy_dir = flags.policy_dir;
  s.observe = flags.observe || config.observe;
  if (config.server_api_key && !config.server_api_key->empty()) {
    s.keys.push_back({"default", *config.server_api_key});
  }
  if (auto text = env.get("VECTIMUS_API_KEYS")) {
    auto named = parse_named_keys(*text);
    if (!named) return std::move(named).take_errors();
    for (NamedKey& k : *named) s.keys.push_back(std::move(k));
  }
  for (const engine::TableEntry& entry : config.server_api_keys) {
    const auto name = entry.find("name");
    const auto key = entry.find("key");
    if (name == entry.end() || key == entry.end() || name->second.empty() || key->second.empty()) {
      return Diagnostics{error("each `[[server.api_keys]]` needs a `name` and a `key`")};
    }
    for (const auto& [field, value] : entry) {
      if (field != "name" && field != "key") {
        return Diagnostics{
            error("`[[server.api_keys]]` has only `name` and `key`, not `" + field + "`")};
      }
    }
    s.keys.push_back({name->second, key->second});
  }
  for (std::size_t i = 0; i < s.keys.size(); ++i) {
    for (std::size_t j = i + 1; j < s.keys.size(); ++j) {
      if (s.keys[i].name == s.keys[j].name) {
        return Diagnostics{error("two API keys are named `" + s.keys[i].name +
                                 "`; each key needs its own name (it goes into the audit log)")};
      }
    }
  }
  s.limits.max_body_bytes = config.server_max_body_bytes;
  s.limits.max_header_bytes = config.server_max_header_bytes;
  s.limits.read_timeout_ms = std::max<std::size_t>(config.server_read_timeout_ms, 1);
  s.limits.idle_timeout_ms = std::max<std::size_t>(config.server_idle_timeout_ms, 1);
  s.limits.max_connections = std::max<std::size_t>(config.server_max_connections, 1);
  s.limits.max_subscribers = config.server_max_subscribers;
  s.limits.subscriber_queue = std::max<std::size_t>(config.server_subscriber_queue, 1);
  s.heartbeat_ms = std::max<std::size_t>(config.server_heartbeat_ms, 10);
  s.threads = config.server_threads;
  s.flood_window_seconds = config.server_flood_window_seconds;
  s.approvals.enabled = config.server_approvals_enabled;
  s.approvals.timeout_seconds = config.server_approvals_timeout_seconds;
  s.approvals.webhook_url = config.server_approvals_webhook_url.value_or("");
  s.approvals.webhook_secret = config.server_approvals_webhook_secret.value_or("");
  s.approvals.public_url = config.server_approvals_public_url.value_or("");
  s.bundle = config.server_bundle;
  return s;
}

}  // namespace vectimus::server
