// `vectimus server start --tls-cert --tls-key`: HTTPS with a certificate made for the test
// (openssl, from .ci/deps), checked by an OpenSSL client against that certificate.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "tests/cli/process.hpp"
#include "tests/server/net.hpp"
#include "tests/support/temp_tree.hpp"

using vectimus::testing::ServerProcess;
using vectimus::testing::TempTree;

namespace {

// One HTTPS request to 127.0.0.1:port, trusting only `ca_file`: what comes back until `until`
// appears (if given) or the server closes (at most 100 reads), or empty.
std::string https_exchange(uint16_t port, const std::string& ca_file, const std::string& request,
                           const std::string& until = {}) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_load_verify_locations(ctx, ca_file.c_str(), nullptr);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set1_host(ssl, "127.0.0.1");
    if (SSL_connect(ssl) == 1) {
      SSL_write(ssl, request.data(), static_cast<int>(request.size()));
      char buf[4096];
      for (int i = 0; i < 100; ++i) {
        const int n = SSL_read(ssl, buf, sizeof buf);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
        if (!until.empty() && out.find(until) != std::string::npos) break;
      }
    }
    SSL_free(ssl);
  }
  ::close(fd);
  SSL_CTX_free(ctx);
  return out;
}

std::string https_get(uint16_t port, const std::string& ca_file, const std::string& target) {
  return https_exchange(
      port, ca_file, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

}  // namespace

TEST_CASE("server: HTTPS with --tls-cert and --tls-key") {
  TempTree t;
  t.mkdir("home");
  t.mkdir("proj/.git");
  const auto made = vectimus::testing::run_process(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
       "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
       "-keyout", t.path("key.pem"), "-out", t.path("cert.pem")},
      "");
  if (made.exit_code != 0) {
    WARN("SKIPPED: openssl cannot make a test certificate: " << made.err);
    return;
  }
  ServerProcess server({VECTIMUS_BINARY, "server", "start", "--port", "0", "--tls-cert",
                        t.path("cert.pem"), "--tls-key", t.path("key.pem")},
                       {"HOME=" + t.path("home")}, t.path("proj"));
  REQUIRE(server.port() != 0);
  CHECK(server.listening_line().rfind("vectimus server listening on https://127.0.0.1:", 0) == 0);
  const std::string reply = https_get(server.port(), t.path("cert.pem"), "/healthz");
  CHECK(reply.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(reply.size() >= 3);
  CHECK(reply.substr(reply.size() - 3) == "ok\n");
  // /events over TLS: the header and the replayed chunks, written as one buffer sequence.
  const std::string body =
      "{\"session_id\":\"s\",\"transcript_path\":\"/t.jsonl\",\"cwd\":\"/nonexistent\","
      "\"permission_mode\":\"default\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":"
      "\"Bash\",\"tool_input\":{\"command\":\"ls\"},\"tool_use_id\":\"toolu_1\"}";
  for (int i = 0; i < 2; ++i) {
    const std::string r = https_exchange(
        server.port(), t.path("cert.pem"),
        "POST /evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: "
        "application/json\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body);
    CHECK(r.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  }
  const std::string stream = https_exchange(
      server.port(), t.path("cert.pem"),
      "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nLast-Event-ID: 0\r\n\r\n", "id: 2\n");
  CHECK(stream.find(": connected\n\nid: 1\nevent: decision\n") != std::string::npos);
  CHECK(stream.find("\n\nid: 2\nevent: decision\n") != std::string::npos);
  // Plain HTTP to the TLS port gets no answer.
  CHECK(vectimus::testing::http(server.port(), "GET", "/healthz", {}, {}, std::chrono::seconds(3))
            .status == 0);
  // A missing key file stops the start with the reason.
  ServerProcess broken({VECTIMUS_BINARY, "server", "start", "--port", "0", "--tls-cert",
                        t.path("cert.pem"), "--tls-key", t.path("nope.pem")},
                       {"HOME=" + t.path("home")}, t.path("proj"));
  CHECK(broken.port() == 0);
  CHECK(broken.stop() == 1);
  CHECK(broken.stderr_text().find("cannot read the TLS key") != std::string::npos);
}
