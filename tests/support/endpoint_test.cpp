// parse_endpoint(): the three forms `[audit] syslog` takes, and an error for each way a target
// can be wrong that names what is wrong.
#include <catch2/catch.hpp>

#include <string>

#include "support/endpoint.hpp"

namespace vectimus {
namespace {

TEST_CASE("endpoints: udp, tcp with IPv4, IPv6 or a name, and unix paths", "[endpoint]") {
  struct Row {
    const char* text;
    Transport transport;
    const char* host;
    uint16_t port;
    const char* path;
  };
  const Row rows[] = {
      {"udp://127.0.0.1:514", Transport::udp, "127.0.0.1", 514, ""},
      {"tcp://logs.example.com:6514", Transport::tcp, "logs.example.com", 6514, ""},
      {"tcp://[::1]:65535", Transport::tcp, "::1", 65535, ""},
      {"udp://[fe80::1%eth0]:1", Transport::udp, "fe80::1%eth0", 1, ""},
      {"unix:///dev/log", Transport::unix_datagram, "", 0, "/dev/log"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    const auto e = parse_endpoint(row.text);
    REQUIRE(e.ok());
    CHECK(e->transport == row.transport);
    CHECK(e->host == row.host);
    CHECK(e->port == row.port);
    CHECK(e->path == row.path);
    CHECK(endpoint_text(*e) == row.text);
  }
}

TEST_CASE("a wrong endpoint says what is wrong with it", "[endpoint]") {
  const std::pair<std::string, std::string> rows[] = {
      {"127.0.0.1:514", "`127.0.0.1:514` has no scheme"},
      {"http://x:80", "unknown scheme `http://` in `http://x:80`"},
      {"tcp://127.0.0.1", "`tcp://127.0.0.1` has no port"},
      {"udp://host:", "`udp://host:` has no port"},
      {"tcp://:514", "`tcp://:514` has no host"},
      {"tcp://h:0", "`tcp://h:0`: the port `0` is not a number from 1 to 65535"},
      {"tcp://h:65536", "`tcp://h:65536`: the port `65536` is not a number from 1 to 65535"},
      {"tcp://h:51x", "`tcp://h:51x`: the port `51x` is not a number from 1 to 65535"},
      {"tcp://h:514/x", "`tcp://h:514/x`: the port `514/x` is not a number from 1 to 65535"},
      {"tcp://::1:514",
       "`tcp://::1:514`: an IPv6 address goes in brackets, as in "
       "`tcp://[::1]:514`"},
      {"tcp://[::1:514", "`tcp://[::1:514` has no `]`"},
      {"tcp://[::1]x", "`tcp://[::1]x`: unexpected `x` after the host"},
      {"udp://a b:1", "`udp://a b:1`: `a b` is not an IP address or a host name"},
      {"unix://dev/log", "`unix://dev/log` needs an absolute path, as in `unix:///dev/log`"},
      {"unix:///" + std::string(120, 'x'),
       "`unix:///" + std::string(120, 'x') + "`: a socket path is at most 107 bytes"},
  };
  for (const auto& [text, message] : rows) {
    CAPTURE(text);
    const auto e = parse_endpoint(text);
    REQUIRE_FALSE(e.ok());
    CHECK(e.errors().front().message == message);
  }
}

}  // namespace
}  // namespace vectimus
