// URLs and proxy selection for the HTTP client (http_client.hpp): plain text work, no sockets,
// so the unit tests exercise every rule here without a network.
#include <arpa/inet.h>

#include <array>
#include <cstring>

#include "client/http_client.hpp"

namespace vectimus::client {
namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::optional<uint16_t> parse_port(std::string_view s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  unsigned value = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return std::nullopt;
  return static_cast<uint16_t>(value);
}

bool host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

// An IP address in binary (4 or 16 bytes), or nullopt when `text` is not an IP literal.
struct IpAddress {
  int family = 0;
  std::array<unsigned char, 16> bytes{};
};
std::optional<IpAddress> parse_ip(std::string_view text) {
  if (text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN] = {};
  std::memcpy(buf, text.data(), text.size());
  IpAddress ip;
  if (::inet_pton(AF_INET, buf, ip.bytes.data()) == 1) {
    ip.family = AF_INET;
    return ip;
  }
  if (::inet_pton(AF_INET6, buf, ip.bytes.data()) == 1) {
    ip.family = AF_INET6;
    return ip;
  }
  return std::nullopt;
}

bool prefix_equal(const IpAddress& a, const IpAddress& b, unsigned bits) {
  for (unsigned i = 0; i < 16 && bits > 0; ++i) {
    const unsigned take = bits >= 8 ? 8 : bits;
    const auto mask = static_cast<unsigned char>(0xFFu << (8 - take));
    if ((a.bytes[i] & mask) != (b.bytes[i] & mask)) return false;
    bits -= take;
  }
  return true;
}

// One NO_PROXY entry against a host and port (both lower-case).
bool entry_matches(std::string_view entry, const Url& url) {
  if (entry == "*") return true;
  std::string_view name = entry;
  std::optional<uint16_t> port;
  if (!name.empty() && name.front() == '[') {  // [v6]:port or [v6]
    const std::size_t close = name.find(']');
    if (close == std::string_view::npos) return false;
    if (close + 1 < name.size()) {
      if (name[close + 1] != ':') return false;
      port = parse_port(name.substr(close + 2));
      if (!port) return false;
    }
    name = name.substr(1, close - 1);
  } else if (const std::size_t colon = name.rfind(':');
             colon != std::string_view::npos && name.find(':') == colon) {  // one ':': a port
    port = parse_port(name.substr(colon + 1));
    if (!port) return false;
    name = name.substr(0, colon);
  }
  if (port && *port != url.port) return false;
  if (name.empty()) return false;
  const std::optional<IpAddress> host_ip = parse_ip(url.host);
  if (const std::size_t slash = name.find('/'); slash != std::string_view::npos) {
    const std::optional<IpAddress> net = parse_ip(name.substr(0, slash));
    const std::string_view bits_text = name.substr(slash + 1);
    if (!net || !host_ip || net->family != host_ip->family || bits_text.empty() ||
        bits_text.size() > 3) {
      return false;
    }
    unsigned bits = 0;
    for (const char c : bits_text) {
      if (c < '0' || c > '9') return false;
      bits = bits * 10 + static_cast<unsigned>(c - '0');
    }
    if (bits > (net->family == AF_INET ? 32u : 128u)) return false;
    return prefix_equal(*net, *host_ip, bits);
  }
  if (const std::optional<IpAddress> ip = parse_ip(name)) {
    return host_ip && ip->family == host_ip->family && ip->bytes == host_ip->bytes;
  }
  // A domain: `.example.com`, `*.example.com` and `example.com` all cover example.com and its
  // subdomains (curl treats a leading dot as optional).
  if (name.substr(0, 2) == "*.") name.remove_prefix(2);
  if (!name.empty() && name.front() == '.') name.remove_prefix(1);
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::string_view host = url.host;
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (name.empty()) return false;
  if (host == name) return true;
  return host.size() > name.size() && host.substr(host.size() - name.size()) == name &&
         host[host.size() - name.size() - 1] == '.';
}

std::optional<std::string> first_set(const Environment& env, const char* lower_name,
                                     const char* upper_name) {
  if (auto v = env.get(lower_name)) return v;
  return env.get(upper_name);
}

}  // namespace

std::string_view http_error_name(HttpErrorCode code) {
  switch (code) {
    case HttpErrorCode::bad_url: return "bad_url";
    case HttpErrorCode::bad_request: return "bad_request";
    case HttpErrorCode::resolve: return "resolve";
    case HttpErrorCode::connect: return "connect";
    case HttpErrorCode::proxy: return "proxy";
    case HttpErrorCode::tls: return "tls";
    case HttpErrorCode::io: return "io";
    case HttpErrorCode::timeout: return "timeout";
    case HttpErrorCode::too_large: return "too_large";
    case HttpErrorCode::bad_response: return "bad_response";
  }
  return "unknown";
}

std::optional<std::string_view> Response::header(std::string_view name) const {
  for (const Header& h : headers) {
    if (iequals(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

std::string Url::authority() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string Url::text() const {
  const bool v6 = host.find(':') != std::string::npos;
  std::string out = https ? "https://" : "http://";
  out += v6 ? "[" + host + "]" : host;
  if (port != (https ? 443 : 80)) out += ":" + std::to_string(port);
  return out + target;
}

std::optional<Url> parse_url(std::string_view text, bool default_http, std::string* why) {
  const auto fail = [&](std::string reason) -> std::optional<Url> {
    if (why) *why = std::move(reason);
    return std::nullopt;
  };
  for (const char c : text) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      return fail("it contains a space or a control character");
    }
  }
  Url url;
  std::string_view rest = text;
  if (starts_with_ci(rest, "https://")) {
    url.https = true;
    rest.remove_prefix(8);
  } else if (starts_with_ci(rest, "http://")) {
    rest.remove_prefix(7);
  } else if (rest.find("://") != std::string_view::npos || !default_http) {
    return fail("only http:// and https:// URLs are supported");
  }
  const std::size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  std::string_view tail = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    url.userinfo = std::string(authority.substr(0, at));
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  std::string_view port_text;
  if (!host.empty() && host.front() == '[') {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) return fail("an IPv6 address without its `]`");
    port_text = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!parse_ip(host) || host.find(':') == std::string_view::npos) {
      return fail("`[" + std::string(host) + "]` is not an IPv6 address");
    }
    if (!port_text.empty()) {
      if (port_text.front() != ':') return fail("text after the IPv6 address");
      port_text.remove_prefix(1);
      if (port_text.empty()) return fail("an empty port");
    }
  } else if (const std::size_t colon = host.find(':'); colon != std::string_view::npos) {
    port_text = host.substr(colon + 1);
    host = host.substr(0, colon);
    if (port_text.empty()) return fail("an empty port");
  }
  url.host = lowered(host);
  if (url.host.empty()) return fail("no host name");
  if (url.host.find(':') == std::string::npos) {
    for (const char c : url.host) {
      if (!host_char(c)) return fail("`" + url.host + "` is not a host name");
    }
  }
  if (!port_text.empty()) {
    const std::optional<uint16_t> port = parse_port(port_text);
    if (!port) return fail("port `" + std::string(port_text) + "` is not a number in 1-65535");
    url.port = *port;
  } else {
    url.port = url.https ? 443 : 80;
  }
  if (const std::size_t hash = tail.find('#'); hash != std::string_view::npos) {
    tail = tail.substr(0, hash);
  }
  url.target = tail.empty()          ? "/"
               : tail.front() == '?' ? "/" + std::string(tail)
                                     : std::string(tail);
  return url;
}

ProxySettings ProxySettings::from(const Environment& env) {
  ProxySettings s;
  s.https_proxy = first_set(env, "https_proxy", "HTTPS_PROXY").value_or("");
  s.http_proxy = first_set(env, "http_proxy", "HTTP_PROXY").value_or("");
  s.no_proxy = first_set(env, "no_proxy", "NO_PROXY").value_or("");
  return s;
}

bool no_proxy_matches(std::string_view no_proxy, const Url& url) {
  std::string_view rest = no_proxy;
  while (!rest.empty()) {
    const std::size_t sep = rest.find_first_of(", \t");
    const std::string_view item = rest.substr(0, sep);
    rest = sep == std::string_view::npos ? std::string_view() : rest.substr(sep + 1);
    if (!item.empty() && entry_matches(lowered(item), url)) return true;
  }
  return false;
}

ProxyChoice proxy_for(const Url& url, const ProxySettings& settings) {
  const std::string& value = url.https ? settings.https_proxy : settings.http_proxy;
  const char* name = url.https ? "HTTPS_PROXY" : "HTTP_PROXY";
  ProxyChoice choice;
  if (value.empty() || no_proxy_matches(settings.no_proxy, url)) return choice;
  std::string why;
  std::optional<Url> proxy = parse_url(value, true, &why);
  if (!proxy) {
    choice.error = std::string(name) + " `" + value + "` is not a proxy URL: " + why;
  } else if (proxy->https) {
    choice.error = std::string(name) + " `" + value +
                   "`: https:// proxies are not supported, use http:// (the tunnel to the "
                   "server is still TLS)";
  } else {
    choice.proxy = std::move(proxy);
  }
  return choice;
}

}  // namespace vectimus::client
