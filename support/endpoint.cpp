#include "support/endpoint.hpp"

#include <sys/un.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace vectimus {
namespace {

Diagnostic endpoint_error(std::string message) {
  return make_error("endpoint", std::move(message));
}

std::string ticked(std::string_view text) {
  return "`" + std::string(text) + "`";
}

// A host name or an address literal: letters, digits and `.-_` (names, IPv4); inside brackets
// also `:` and a `%zone` (IPv6). Anything else could not be looked up, so say so now.
bool valid_host(std::string_view host, bool bracketed) {
  return !host.empty() && std::all_of(host.begin(), host.end(), [&](unsigned char c) {
    return std::isalnum(c) != 0 || c == '.' || c == '-' || c == '_' ||
           (bracketed && (c == ':' || c == '%'));
  });
}

Result<Endpoint> parse_host_port(Endpoint out, std::string_view text, std::string_view rest) {
  std::string_view host;
  std::string_view after;  // what follows the host: `:port`
  bool bracketed = false;
  if (rest.starts_with('[')) {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) return endpoint_error(ticked(text) + " has no `]`");
    host = rest.substr(1, close - 1);
    after = rest.substr(close + 1);
    bracketed = true;
  } else {
    const std::size_t colon = rest.find(':');
    if (colon != std::string_view::npos && rest.find(':', colon + 1) != std::string_view::npos) {
      return endpoint_error(ticked(text) +
                            ": an IPv6 address goes in brackets, as in `tcp://[::1]:514`");
    }
    host = rest.substr(0, colon);
    after = colon == std::string_view::npos ? std::string_view() : rest.substr(colon);
  }
  if (host.empty()) return endpoint_error(ticked(text) + " has no host");
  if (!valid_host(host, bracketed)) {
    return endpoint_error(ticked(text) + ": " + ticked(host) +
                          " is not an IP address or a host name");
  }
  if (after.empty() || after == ":") return endpoint_error(ticked(text) + " has no port");
  if (after.front() != ':') {
    return endpoint_error(ticked(text) + ": unexpected " + ticked(after) + " after the host");
  }
  const std::string_view digits = after.substr(1);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc() || end != digits.data() + digits.size() || port == 0 || port > 65535) {
    return endpoint_error(ticked(text) + ": the port " + ticked(digits) +
                          " is not a number from 1 to 65535");
  }
  out.host = std::string(host);
  out.port = static_cast<uint16_t>(port);
  return out;
}

}  // namespace

Result<Endpoint> parse_endpoint(std::string_view text) {
  const std::size_t sep = text.find("://");
  if (sep == std::string_view::npos) {
    return endpoint_error(ticked(text) + " has no scheme");
  }
  const std::string_view scheme = text.substr(0, sep);
  const std::string_view rest = text.substr(sep + 3);
  Endpoint out;
  if (scheme == "unix") {
    out.transport = Transport::unix_datagram;
    if (!rest.starts_with('/')) {
      return endpoint_error(ticked(text) + " needs an absolute path, as in `unix:///dev/log`");
    }
    // The path must fit sockaddr_un, with its terminating NUL.
    constexpr std::size_t kMaxPath = sizeof(sockaddr_un{}.sun_path) - 1;
    if (rest.size() > kMaxPath) {
      return endpoint_error(ticked(text) + ": a socket path is at most " +
                            std::to_string(kMaxPath) + " bytes");
    }
    if (rest.find('\0') != std::string_view::npos) {
      return endpoint_error(ticked(text) + ": the path holds a NUL byte");
    }
    out.path = std::string(rest);
    return out;
  }
  if (scheme == "udp") {
    out.transport = Transport::udp;
  } else if (scheme == "tcp") {
    out.transport = Transport::tcp;
  } else {
    return endpoint_error("unknown scheme " + ticked(std::string(scheme) + "://") + " in " +
                          ticked(text));
  }
  return parse_host_port(std::move(out), text, rest);
}

std::string endpoint_text(const Endpoint& endpoint) {
  if (endpoint.transport == Transport::unix_datagram) return "unix://" + endpoint.path;
  const bool v6 = endpoint.host.find(':') != std::string::npos;
  return std::string(endpoint.transport == Transport::udp ? "udp://" : "tcp://") +
         (v6 ? "[" + endpoint.host + "]" : endpoint.host) + ":" + std::to_string(endpoint.port);
}

}  // namespace vectimus
