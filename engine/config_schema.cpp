#include "engine/config_schema.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "support/endpoint.hpp"

namespace vectimus::engine {
namespace {

constexpr std::array<std::string_view, 3> kResolvers{"git", "env", "system"};
constexpr std::array<std::string_view, 2> kIdentityTypes{"agent", "user"};
constexpr std::array<std::string_view, 1> kLogFormats{"jsonl"};

using K = ValueKind;
using M = Merge;

// clang-format off
const ConfigKey kSchema[] = {
    {"policies.dir", K::path, &Config::policy_dir, M::replace, true, "VECTIMUS_POLICY_DIR", "",
     "folder of .cedar files and/or packs that replaces the built-in, home and project packs"},
    {"mode.observe", K::boolean, &Config::observe, M::replace, true, "VECTIMUS_OBSERVE", "false",
     "true: evaluate and log, but allow every call"},
    {"mcp.allowed_servers", K::string_list, &Config::mcp_allowed, M::unite, true,
     "VECTIMUS_MCP_ALLOWED", "", "approved MCP servers; calls to others are denied"},
    {"rules.disabled", K::string_list, &Config::disabled_rules, M::unite, true, "", "",
     "rule ids removed before evaluation"},
    {"rules.enforcement.*", K::enforcement, &Config::enforcement, M::per_key, true, "", "",
     "a rule's level: deny, escalate or observe (overrides its @enforcement)"},
    {"packs.*.enabled", K::boolean, &Config::pack_enabled, M::per_key, true, "", "",
     "false: the pack contributes no rule"},
    {"identity.resolver", K::choice, &Config::identity_resolver, M::replace, true, "", "git",
     "who the principal is: git (git config user.email), env (VECTIMUS_PRINCIPAL), system (OS "
     "user)", kResolvers},
    {"identity.identity_type", K::choice, &Config::identity_type, M::replace, true,
     "VECTIMUS_IDENTITY_TYPE", "", "agent (Vectimus::Agent) or user (Vectimus::User); unset: "
     "agent when CI=true", kIdentityTypes},
    {"identity.groups", K::string_list, &Config::groups, M::replace, true, "VECTIMUS_GROUPS", "",
     "principal.groups"},
    {"identity.persona", K::string, &Config::persona, M::replace, true, "VECTIMUS_PERSONA", "",
     "principal.persona (over default_persona)"},
    {"identity.default_persona", K::string, &Config::default_persona, M::replace, true, "",
     "default", "principal.persona when no persona is set"},
    {"identity.principal", K::string, &Config::principal, M::replace, true, "VECTIMUS_PRINCIPAL",
     "", "the principal's id for resolver env", {}, SIZE_MAX, false},
    {"content.max_bytes", K::integer, &Config::content_max_bytes, M::replace, true, "",
     "1048576", "content inspected per file write or script run; past it the call escalates"},
    {"logging.dir", K::path, &Config::log_dir, M::replace, true, "VECTIMUS_LOG_DIR",
     "~/.vectimus/logs", "audit log folder"},
    {"logging.format", K::choice, &Config::log_format, M::replace, false, "", "jsonl",
     "audit log format", kLogFormats},
    {"logging.debug", K::boolean, &Config::debug, M::replace, true, "VECTIMUS_DEBUG", "false",
     "true: say on stderr what the hook skipped and why"},
    {"receipts.enabled", K::boolean, &Config::receipts_enabled, M::replace, true, "", "true",
     "false: no signed receipt per decision in <project>/.vectimus/receipts"},
    {"receipts.retention_days", K::integer, &Config::receipts_retention_days, M::replace, false,
     "", "", "days receipts are kept"},
    {"audit.log_dir", K::path, &Config::audit_log_dir, M::replace, true, "", "",
     "audit log folder (over logging.dir)"},
    {"audit.max_file_size_mb", K::integer, &Config::audit_max_file_size_mb, M::replace, true, "",
     "100", "size at which a day's audit log file continues in the next one"},
    {"audit.durable", K::boolean, &Config::audit_durable, M::replace, true, "", "false",
     "true: fsync each audit record, receipt and log head before answering (survives a power "
     "loss; costs a disk flush per call)"},
    {"audit.required", K::boolean, &Config::audit_required, M::replace, true, "", "false",
     "true: a call whose audit record cannot be written (or exported) is denied (regulated CI)"},
    {"audit.syslog", K::endpoint, &Config::audit_syslog, M::replace, true, "", "",
     "also send each record, as RFC 5424, to udp://host:port, tcp://host:port or unix:///path"},
    {"server.host", K::string, &Config::server_host, M::replace, true, "VECTIMUS_HOST",
     "127.0.0.1", "server bind address (0.0.0.0: every interface; set an API key then)"},
    {"server.port", K::integer, &Config::server_port, M::replace, true, "VECTIMUS_PORT", "8420",
     "server bind port (0: any free port)", {}, 65535},
    {"server.url", K::string, &Config::server_url, M::replace, true, "VECTIMUS_SERVER_URL", "",
     "evaluate on this server instead of locally"},
    {"server.api_key", K::string, &Config::server_api_key, M::replace, true, "VECTIMUS_API_KEY",
     "", "API key (server: required on /evaluate, /v1/hooks, /events, approvals; client: sent)"},
    {"server.api_keys", K::table_array, &Config::server_api_keys, M::replace, true, "", "",
     "the server's named API keys, one [[server.api_keys]] table each (name, key)"},
    {"server.timeout", K::integer, &Config::server_timeout, M::replace, true, "VECTIMUS_TIMEOUT",
     "5", "client request timeout in seconds"},
    {"server.tls_cert", K::path, &Config::server_tls_cert, M::replace, true, "", "",
     "PEM certificate chain: the server speaks HTTPS (with tls_key)"},
    {"server.tls_key", K::path, &Config::server_tls_key, M::replace, true, "", "",
     "PEM private key of tls_cert"},
    {"server.max_body_bytes", K::integer, &Config::server_max_body_bytes, M::replace, true, "",
     "1048576", "largest request body; larger: 413"},
    {"server.max_header_bytes", K::integer, &Config::server_max_header_bytes, M::replace, true,
     "", "16384", "largest request header block; larger: 431"},
    {"server.read_timeout_ms", K::integer, &Config::server_read_timeout_ms, M::replace, true, "",
     "10000", "time a client has to send a whole request once it started one (slow clients are "
     "cut off)"},
    {"server.idle_timeout_ms", K::integer, &Config::server_idle_timeout_ms, M::replace, true, "",
     "60000", "a kept-alive connection with no request for this long is closed"},
    {"server.max_connections", K::integer, &Config::server_max_connections, M::replace, true, "",
     "10000", "open connections at most; more are answered 503 and closed"},
    {"server.max_subscribers", K::integer, &Config::server_max_subscribers, M::replace, true, "",
     "256", "/events subscribers at most; more get 503"},
    {"server.subscriber_queue", K::integer, &Config::server_subscriber_queue, M::replace, true,
     "", "10000", "events a /events subscriber may fall behind before it is disconnected"},
    {"server.heartbeat_ms", K::integer, &Config::server_heartbeat_ms, M::replace, true, "",
     "15000", "interval of the /events heartbeat comment"},
    {"server.threads", K::integer, &Config::server_threads, M::replace, true, "", "0",
     "threads serving requests (0: one per core)"},
    {"server.flood_window_seconds", K::integer, &Config::server_flood_window_seconds,
     M::replace, true, "", "600", "window of the per-session agent spawn and message counts "
     "(context.session_spawn_count, context.session_message_count)"},
    {"server.approvals.enabled", K::boolean, &Config::server_approvals_enabled, M::replace, true,
     "", "false", "true: an escalation waits for a person to approve or deny it"},
    {"server.approvals.timeout_seconds", K::integer, &Config::server_approvals_timeout_seconds,
     M::replace, true, "", "300", "an escalation nobody answered is denied after this long"},
    {"server.approvals.webhook_url", K::string, &Config::server_approvals_webhook_url,
     M::replace, true, "", "", "POST each pending approval here (Slack-compatible JSON)"},
    {"server.approvals.webhook_secret", K::string, &Config::server_approvals_webhook_secret,
     M::replace, true, "", "", "HMAC-SHA256 key of the approve and deny links in the webhook"},
    {"server.approvals.public_url", K::string, &Config::server_approvals_public_url, M::replace,
     true, "", "", "the server's URL as people reach it, for the webhook's links"},
    {"server.bundle", K::path, &Config::server_bundle, M::replace, true, "", "",
     "a signed bundle file (`vectimus policy bundle`) served as is at GET /v1/bundle"},
    {"updates.trusted_keys", K::string_list, &Config::updates_trusted_keys, M::unite, true, "",
     "", "public key files (absolute or ~/ paths) or vtms-key-… ids whose bundles `vectimus "
     "policy update` installs; merged"},
    {"updates.source", K::string, &Config::updates_source, M::replace, true, "", "",
     "where `vectimus policy update` fetches from without --from: a bundle file or an http(s) "
     "URL (a server's: /v1/bundle)"},
    {"updates.auto_sync", K::boolean, &Config::updates_auto_sync, M::replace, true, "", "false",
     "true: after a hook has answered, a detached `vectimus policy update` runs when the last "
     "check is older than sync_interval_hours"},
    {"updates.sync_interval_hours", K::integer, &Config::updates_sync_interval_hours, M::replace,
     true, "", "24", "hours between two automatic checks", {}, 24 * 366},
};
// clang-format on

bool segment_matches(std::string_view pattern, std::string_view segment) {
  return pattern == "*" || pattern == segment;
}

std::vector<std::string_view> split_on(std::string_view path, char separator) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = path.find(separator, start);
    out.push_back(path.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

std::vector<std::string_view> split_dots(std::string_view path) {
  return split_on(path, '.');
}
std::vector<std::string_view> split_path(std::string_view path) {
  return split_on(path, '/');
}

// Whether the first `segments.size()` segments of `pattern` match.
bool prefix_matches(std::span<const std::string_view> pattern,
                    std::span<const std::string> segments) {
  if (segments.size() > pattern.size()) return false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (!segment_matches(pattern[i], segments[i])) return false;
  }
  return true;
}

}  // namespace

std::optional<bool> parse_flag(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "1" || lower == "true" || lower == "yes" || lower == "on") return true;
  if (lower == "0" || lower == "false" || lower == "no" || lower == "off" || lower.empty()) {
    return false;
  }
  return std::nullopt;
}

namespace {

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

void sort_unique(std::vector<std::string>& items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
}

std::string quoted_choices(std::span<const std::string_view> choices) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) out += i + 1 == choices.size() ? " or " : ", ";
    out += "\"" + std::string(choices[i]) + "\"";
  }
  return out;
}

// `.` and `..` segments and repeated slashes removed from an absolute path, lexically (the
// folder need not exist yet). Kept here rather than using normalise/: vectimus_packc, which
// links this file, does not link the normaliser.
std::string lexical_normal(std::string_view path) {
  std::vector<std::string_view> parts;
  for (std::string_view part : split_path(path)) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (std::string_view part : parts) out += "/" + std::string(part);
  return out.empty() ? "/" : out;
}

std::string resolve_path(std::string_view text, const LayerContext& context) {
  std::string path(text);
  if (!context.home.empty() && (path == "~" || path.starts_with("~/"))) {
    path = context.home + path.substr(1);
  } else if (!path.empty() && path.front() != '/' && !context.base_dir.empty()) {
    path = join_path(context.base_dir, path);
  }
  return path.empty() || path.front() != '/' ? path : lexical_normal(path);
}

std::pair<std::string_view, std::string_view> split_last(std::string_view path) {
  const std::size_t dot = path.rfind('.');
  if (dot == std::string_view::npos) return {{}, path};
  return {path.substr(0, dot), path.substr(dot + 1)};
}

// How far `known` is from what was meant by `unknown` (see closest_key()).
std::size_t key_cost(std::string_view unknown, std::string_view known) {
  const auto [us, ul] = split_last(unknown);
  const auto [ks, kl] = split_last(known);
  std::size_t name = edit_distance(ul, kl);
  if (ul.size() >= 3 && kl.size() >= 3 &&
      (kl.find(ul) != std::string_view::npos || ul.find(kl) != std::string_view::npos)) {
    name = std::min<std::size_t>(name, 1);
  }
  std::size_t section = 0;
  if (us != ks) {
    section = ks.starts_with(us) || us.starts_with(ks) || edit_distance(us, ks) <= 2 ? 1 : 4;
  }
  return std::min(edit_distance(unknown, known), name + section);
}

}  // namespace

std::string_view value_kind_name(ValueKind kind) {
  switch (kind) {
    case ValueKind::boolean: return "boolean";
    case ValueKind::integer: return "integer";
    case ValueKind::string: return "string";
    case ValueKind::choice: return "choice";
    case ValueKind::path: return "path";
    case ValueKind::string_list: return "list of strings";
    case ValueKind::enforcement: return "enforcement level";
    case ValueKind::table_array: return "array of tables";
    case ValueKind::endpoint: return "endpoint";
  }
  return "?";
}

std::string_view merge_name(Merge merge) {
  switch (merge) {
    case Merge::replace: return "replace";
    case Merge::unite: return "union";
    case Merge::per_key: return "per key";
  }
  return "?";
}

std::span<const ConfigKey> config_schema() {
  return kSchema;
}

const ConfigKey* find_config_key(std::span<const std::string> segments) {
  for (const ConfigKey& key : kSchema) {
    const auto pattern = split_dots(key.path);
    if (key.in_files && pattern.size() == segments.size() && prefix_matches(pattern, segments)) {
      return &key;
    }
  }
  return nullptr;
}

std::string wildcard_of(const ConfigKey& key, std::span<const std::string> segments) {
  const auto pattern = split_dots(key.path);
  for (std::size_t i = 0; i < pattern.size() && i < segments.size(); ++i) {
    if (pattern[i] == "*") return segments[i];
  }
  return {};
}

bool is_config_section(std::span<const std::string> segments) {
  return std::any_of(std::begin(kSchema), std::end(kSchema), [&](const ConfigKey& key) {
    const auto pattern = split_dots(key.path);
    return key.in_files && pattern.size() > segments.size() && prefix_matches(pattern, segments);
  });
}

Result<SchemaValue> parse_config_text(const ConfigKey& key, std::string_view text) {
  switch (key.kind) {
    case ValueKind::boolean:
      if (auto flag = parse_flag(text)) return SchemaValue{*flag};
      return make_error("config", "expected true or false");
    case ValueKind::integer: {
      std::size_t number = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
      if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
        return make_error("config", "expected a non-negative integer");
      }
      return SchemaValue{number};
    }
    case ValueKind::string_list: return SchemaValue{split_list(text)};
    case ValueKind::table_array: return make_error("config", "cannot be set from text");
    case ValueKind::string:
    case ValueKind::choice:
    case ValueKind::path:
    case ValueKind::enforcement:
    case ValueKind::endpoint: break;
  }
  return SchemaValue{std::string(text)};
}

std::string assign_config_value(Config& config, const ConfigKey& key, std::string_view wildcard,
                                SchemaValue value, const LayerContext& context) {
  const std::string name = display_key(key.path);
  // The value's own checks, beyond its TOML type.
  if (key.kind == ValueKind::choice) {
    const std::string& text = std::get<std::string>(value);
    if (std::find(key.choices.begin(), key.choices.end(), text) == key.choices.end()) {
      return name + " must be " + quoted_choices(key.choices);
    }
  }
  if (key.kind == ValueKind::endpoint) {
    const auto endpoint = parse_endpoint(std::get<std::string>(value));
    if (!endpoint) {
      return name + " must be " + std::string(kEndpointForms) + ": " +
             endpoint.errors().front().message;
    }
  }
  if (key.kind == ValueKind::integer && std::get<std::size_t>(value) > key.max) {
    return name + " must be at most " + std::to_string(key.max);
  }
  if (key.kind == ValueKind::path) {
    value = resolve_path(std::get<std::string>(value), context);
  }
  return std::visit(
      [&](auto member) -> std::string {
        auto& field = config.*member;
        using Field = std::remove_reference_t<decltype(field)>;
        if constexpr (std::is_same_v<Field, std::map<std::string, Enforcement, std::less<>>>) {
          const auto level = parse_enforcement(std::get<std::string>(value));
          if (!level) return "a rule's level must be \"deny\", \"escalate\" or \"observe\"";
          field[std::string(wildcard)] = *level;
        } else if constexpr (std::is_same_v<Field, std::map<std::string, bool, std::less<>>>) {
          field[std::string(wildcard)] = std::get<bool>(value);
        } else if constexpr (std::is_same_v<Field, std::vector<std::string>>) {
          auto items = std::get<std::vector<std::string>>(std::move(value));
          if (key.merge == Merge::unite)
            field.insert(field.end(), items.begin(), items.end());
          else
            field = std::move(items);
          sort_unique(field);
        } else if constexpr (std::is_same_v<Field, std::optional<std::string>>) {
          field = std::get<std::string>(std::move(value));
        } else {
          field = std::get<Field>(std::move(value));
        }
        return {};
      },
      key.target);
}

std::string display_key(std::string_view dotted) {
  const auto [section, name] = split_last(dotted);
  if (section.empty()) return "`" + std::string(name) + "`";
  return "`[" + std::string(section) + "] " + std::string(name) + "`";
}

std::vector<std::string> file_key_paths(std::span<const std::string> unknown) {
  std::vector<std::string> out;
  for (const ConfigKey& key : kSchema) {
    if (!key.in_files) continue;
    const auto pattern = split_dots(key.path);
    std::string path;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      if (i > 0) path += '.';
      const bool take = pattern[i] == "*" && i < unknown.size() &&
                        prefix_matches(std::span(pattern).first(i), std::span(unknown).first(i));
      path += take ? std::string(unknown[i]) : std::string(pattern[i]);
    }
    out.push_back(std::move(path));
  }
  return out;
}

std::vector<std::string> file_section_paths(std::span<const std::string> unknown) {
  std::vector<std::string> out;
  for (const std::string& path : file_key_paths(unknown)) {
    for (std::size_t dot = path.find('.'); dot != std::string::npos;
         dot = path.find('.', dot + 1)) {
      out.push_back(path.substr(0, dot));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<std::string> closest_key(std::string_view unknown,
                                       std::span<const std::string> known) {
  std::optional<std::string> best;
  std::size_t best_cost = SIZE_MAX;
  for (const std::string& candidate : known) {
    const std::size_t cost = key_cost(unknown, candidate);
    if (cost < best_cost) {
      best_cost = cost;
      best = candidate;
    }
  }
  if (best_cost > std::max<std::size_t>(2, unknown.size() / 3)) return std::nullopt;
  return best;
}

}  // namespace vectimus::engine
