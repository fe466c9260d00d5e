// The HTTP client over real sockets, against the scripted peer (peer.js) on 127.0.0.1: plain
// and TLS answers, limits, a deadline over the whole exchange, refused connections, certificate
// and host name checks, and both kinds of proxy.
#include <catch2/catch.hpp>

#include "client/http_client.hpp"
#include "tests/client/peer.hpp"

using namespace vectimus;
using namespace vectimus::client;
using namespace vectimus::testing;

namespace {

Options no_proxy_options() {
  Options o;
  o.proxy = ProxySettings{};
  o.timeout = std::chrono::seconds(5);
  return o;
}

HttpResult get(const std::string& url, const Options& o) {
  Request req;
  req.url = url;
  return request(req, o);
}

}  // namespace

TEST_CASE("a plain exchange: status, headers, body, what was sent", "[client][http]") {
  Peer peer({});
  REQUIRE(peer.port() != 0);
  Request req;
  req.method = "POST";
  req.url = peer.url() + "/echo/v1/hooks/claude-code?x=1";
  req.headers.push_back({"X-Vectimus-API-Key", "k1"});
  req.body = R"({"a":1})";
  const HttpResult r = request(req, no_proxy_options());
  REQUIRE(r);
  CHECK(r.response().status == 200);
  CHECK(r.response().header("x-echo") == "yes");
  const std::string& body = r.response().body;
  CHECK(body.find(R"("method":"POST")") != std::string::npos);
  CHECK(body.find(R"("url":"/echo/v1/hooks/claude-code?x=1")") != std::string::npos);
  CHECK(body.find(R"("x-vectimus-api-key":"k1")") != std::string::npos);
  CHECK(body.find(R"("content-length":"7")") != std::string::npos);
  CHECK(body.find(R"("body":"{\"a\":1}")") != std::string::npos);
}

TEST_CASE("statuses other than 200 are responses, not errors", "[client][http]") {
  Peer peer({});
  REQUIRE(peer.port() != 0);
  const HttpResult r = get(peer.url() + "/status500", no_proxy_options());
  REQUIRE(r);
  CHECK(r.response().status == 500);
  CHECK(r.response().body == R"({"error":"internal"})");
  const HttpResult missing = get(peer.url() + "/nothing-here", no_proxy_options());
  REQUIRE(missing);
  CHECK(missing.response().status == 404);
}

TEST_CASE("a body over the limit, a body cut short", "[client][http]") {
  Peer peer({});
  REQUIRE(peer.port() != 0);
  Options o = no_proxy_options();
  o.max_body_bytes = 1 << 20;
  HttpResult r = get(peer.url() + "/big", o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == HttpErrorCode::too_large);
  CHECK(r.error().message == "the response body is over 1048576 bytes (" + peer.url() + "/big)");
  r = get(peer.url() + "/truncated", o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == HttpErrorCode::bad_response);
  CHECK(r.error().message == "the response was cut short (" + peer.url() + "/truncated)");
}

TEST_CASE("one deadline covers the whole exchange", "[client][http]") {
  Peer peer({});
  REQUIRE(peer.port() != 0);
  Options o = no_proxy_options();
  o.timeout = std::chrono::milliseconds(700);
  // No answer at all.
  HttpResult r = get(peer.url() + "/slow", o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == HttpErrorCode::timeout);
  CHECK(r.error().message ==
        "no answer within 700 ms while reading the response (" + peer.url() + "/slow)");
  // A byte every 100 ms: every read succeeds quickly, the response needs ~27 s in all.
  r = get(peer.url() + "/trickle", o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == HttpErrorCode::timeout);
}

TEST_CASE("a refused connection", "[client][http]") {
  const int port = closed_port();
  REQUIRE(port != 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";
  const HttpResult r = get(url, no_proxy_options());
  REQUIRE_FALSE(r);
  CHECK(r.error().code == HttpErrorCode::connect);
  CHECK(r.error().message == "cannot connect to 127.0.0.1:" + std::to_string(port) +
                                 ": Connection refused (" + url + ")");
}

TEST_CASE("TLS: the certificate chain and the host name are checked", "[client][http][tls]") {
  const std::string dir = make_temp_dir("client-tls");
  REQUIRE(make_test_pki(dir));
  Peer good({"--tls", dir + "/server.pem", dir + "/server.key"});
  Peer wrong({"--tls", dir + "/wrong.pem", dir + "/wrong.key"});
  REQUIRE(good.port() != 0);
  REQUIRE(wrong.port() != 0);
  Options o = no_proxy_options();
  o.ca_file = dir + "/ca.pem";
  HttpResult r = get(good.url() + "/echo/x", o);
  REQUIRE(r);
  CHECK(r.response().status == 200);
  // By name too (SNI and the DNS name in the certificate).
  r = get("https://localhost:" + std::to_string(good.port()) + "/echo/x", o);
  REQUIRE(r);
  CHECK(r.response().status == 200);
  // A certificate for another name.
  r = get(wrong.url() + "/echo/x", o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == HttpErrorCode::tls);
  CHECK(r.error().message.find("certificate not trusted") != std::string::npos);
  // A CA we do not trust: the system store does not hold the test CA.
  o.ca_file.reset();
  r = get(good.url() + "/echo/x", o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == HttpErrorCode::tls);
  CHECK(r.error().message.find("unable to get local issuer certificate") != std::string::npos);
  // A CA file that cannot be read.
  o.ca_file = dir + "/missing.pem";
  r = get(good.url() + "/echo/x", o);
  REQUIRE_FALSE(r);
  CHECK(r.error().message ==
        "cannot read the CA certificates in `" + dir + "/missing.pem` (" + good.url() + "/echo/x)");
}

TEST_CASE("proxies: a CONNECT tunnel for https, the absolute form for http, NO_PROXY direct",
          "[client][http][proxy]") {
  const std::string dir = make_temp_dir("client-proxy");
  REQUIRE(make_test_pki(dir));
  const std::string log = dir + "/proxy.log";
  Peer proxy({"--proxy", "--log", log});
  Peer plain({});
  Peer tls({"--tls", dir + "/server.pem", dir + "/server.key"});
  REQUIRE(proxy.port() != 0);
  REQUIRE(plain.port() != 0);
  REQUIRE(tls.port() != 0);
  Options o = no_proxy_options();
  o.ca_file = dir + "/ca.pem";
  o.proxy->https_proxy = proxy.url();
  o.proxy->http_proxy = proxy.url();

  HttpResult r = get(tls.url() + "/echo/secure", o);
  REQUIRE(r);
  CHECK(r.response().body.find(R"("url":"/echo/secure")") != std::string::npos);
  r = get(plain.url() + "/echo/plain", o);
  REQUIRE(r);
  CHECK(r.response().body.find(R"("url":"/echo/plain")") != std::string::npos);
  CHECK(read_text(log) == "CONNECT 127.0.0.1:" + std::to_string(tls.port()) + "\nFORWARD GET " +
                              plain.url() + "/echo/plain\n");

  o.proxy->no_proxy = "127.0.0.0/8";
  r = get(tls.url() + "/echo/direct", o);
  REQUIRE(r);
  CHECK(read_text(log).find("direct") == std::string::npos);

  // A proxy that is not there is an error, never a silent direct connection.
  o.proxy->no_proxy.clear();
  o.proxy->https_proxy = "http://127.0.0.1:" + std::to_string(closed_port());
  r = get(tls.url() + "/echo/x", o);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == HttpErrorCode::connect);
  CHECK(r.error().message.find("via proxy 127.0.0.1:") != std::string::npos);
}
