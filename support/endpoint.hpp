// Where a message goes: `udp://host:port`, `tcp://host:port` or `unix:///path`, as the
// `[audit] syslog` key writes it. Only the text is read here (no look-up, no socket), so the
// config reader can check a value where it is written and name its file:line:col; the sockets
// are audit/syslog.hpp's. It sits in support/ because engine/ (the config) must not include
// audit/.
//
// Hosts are an IPv4 literal, an IPv6 literal in brackets (`tcp://[::1]:514`) or a name.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "support/result.hpp"

namespace vectimus {

enum class Transport : uint8_t { udp, tcp, unix_datagram };

struct Endpoint {
  Transport transport = Transport::udp;
  std::string host;   // udp, tcp: without brackets
  uint16_t port = 0;  // udp, tcp: 1..65535
  std::string path;   // unix_datagram: absolute
};

// The endpoint `text` names, or one error saying what is wrong with it, e.g. "`tcp://host` has
// no port" (callers say what was expected: kEndpointForms).
Result<Endpoint> parse_endpoint(std::string_view text);
// The endpoint as parse_endpoint() reads it back: `tcp://[::1]:514`.
std::string endpoint_text(const Endpoint& endpoint);
// The forms parse_endpoint() accepts, for error messages.
inline constexpr std::string_view kEndpointForms =
    "udp://host:port, tcp://host:port or unix:///path";

}  // namespace vectimus
