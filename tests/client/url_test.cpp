// URLs, proxy selection and NO_PROXY matching (client/url.cpp): no sockets.
#include <catch2/catch.hpp>

#include "client/hook_client.hpp"
#include "client/http_client.hpp"

using namespace vectimus;
using namespace vectimus::client;

namespace {

Url url(const std::string& text) {
  std::string why;
  std::optional<Url> u = parse_url(text, false, &why);
  INFO(text << ": " << why);
  REQUIRE(u);
  return *u;
}

std::string why_not(const std::string& text) {
  std::string why;
  CHECK_FALSE(parse_url(text, false, &why));
  return why;
}

}  // namespace

TEST_CASE("parse_url reads scheme, host, port and target", "[client][url]") {
  struct Case {
    std::string text;
    bool https;
    std::string host;
    int port;
    std::string target;
  };
  const Case cases[] = {
      {"http://127.0.0.1:8420", false, "127.0.0.1", 8420, "/"},
      {"https://Vectimus.Example.COM/base/", true, "vectimus.example.com", 443, "/base/"},
      {"HTTP://host", false, "host", 80, "/"},
      {"http://host:81/a/b?c=d#frag", false, "host", 81, "/a/b?c=d"},
      {"http://host?x=1", false, "host", 80, "/?x=1"},
      {"https://[::1]:9443/v1", true, "::1", 9443, "/v1"},
      {"http://user:pw@proxy:3128", false, "proxy", 3128, "/"},
  };
  for (const Case& c : cases) {
    const Url u = url(c.text);
    CHECK(u.https == c.https);
    CHECK(u.host == c.host);
    CHECK(u.port == c.port);
    CHECK(u.target == c.target);
  }
  CHECK(url("http://user:pw@proxy:3128").userinfo == "user:pw");
  CHECK(url("https://[::1]:9443/v1").authority() == "[::1]:9443");
  CHECK(url("https://h:443/x").text() == "https://h/x");
  CHECK(url("http://h:8080/x").text() == "http://h:8080/x");
}

TEST_CASE("parse_url refuses what is not an http(s) URL, and says why", "[client][url]") {
  CHECK(why_not("ftp://host/") == "only http:// and https:// URLs are supported");
  CHECK(why_not("host:8420") == "only http:// and https:// URLs are supported");
  CHECK(why_not("http://") == "no host name");
  CHECK(why_not("http://host:0/") == "port `0` is not a number in 1-65535");
  CHECK(why_not("http://host:65536/") == "port `65536` is not a number in 1-65535");
  CHECK(why_not("http://host:/") == "an empty port");
  CHECK(why_not("http://ho st/") == "it contains a space or a control character");
  CHECK(why_not("http://a\r\nb/") == "it contains a space or a control character");
  CHECK(why_not("http://[::1/") == "an IPv6 address without its `]`");
  CHECK(why_not("http://ho$t/") == "`ho$t` is not a host name");
  // A proxy variable may omit the scheme, as curl allows.
  const std::optional<Url> proxy = parse_url("proxy.corp:3128", true);
  REQUIRE(proxy);
  CHECK(proxy->host == "proxy.corp");
  CHECK(proxy->port == 3128);
  CHECK_FALSE(proxy->https);
}

TEST_CASE("NO_PROXY entries: names, suffixes, addresses, CIDR blocks, ports", "[client][url]") {
  struct Case {
    std::string no_proxy;
    std::string url;
    bool direct;
  };
  const Case cases[] = {
      {"", "https://a.example.com", false},
      {"*", "https://a.example.com", true},
      {"example.com", "https://example.com", true},
      {"example.com", "https://a.example.com", true},
      {"example.com", "https://badexample.com", false},
      {".example.com", "https://a.example.com", true},
      {".example.com", "https://example.com", true},
      {"*.example.com", "https://a.b.example.com", true},
      {"EXAMPLE.com", "https://a.example.com", true},
      {"other.org, example.com", "https://x.example.com", true},
      {"other.org example.com", "https://x.example.com", true},
      {"other.org,,", "https://x.example.com", false},
      {"example.com:8443", "https://a.example.com:8443", true},
      {"example.com:8443", "https://a.example.com", false},
      {"127.0.0.1", "http://127.0.0.1:8420", true},
      {"127.0.0.1", "http://127.0.0.2:8420", false},
      {"127.0.0.0/8", "http://127.1.2.3:8420", true},
      {"10.0.0.0/8", "http://127.1.2.3:8420", false},
      {"192.168.1.0/24", "http://192.168.1.77", true},
      {"192.168.1.0/24", "http://192.168.2.77", false},
      {"10.0.0.0/8", "http://ten.example", false},
      {"::1", "http://[::1]:8420", true},
      {"[::1]:8420", "http://[::1]:8420", true},
      {"[::1]:8421", "http://[::1]:8420", false},
      {"fd00::/8", "http://[fd12::5]", true},
      {"fd00::/8", "http://127.0.0.1", false},
      {"localhost", "http://localhost:8420", true},
      {"localhost", "http://127.0.0.1:8420", false},  // names are not resolved
  };
  for (const Case& c : cases) {
    INFO(c.no_proxy << " vs " << c.url);
    CHECK(no_proxy_matches(c.no_proxy, url(c.url)) == c.direct);
  }
}

TEST_CASE("proxy_for picks the scheme's variable, honours NO_PROXY, refuses a bad one",
          "[client][url]") {
  ProxySettings s;
  s.https_proxy = "http://secure-proxy:3128";
  s.http_proxy = "plain-proxy:8080";
  s.no_proxy = "internal.example";
  ProxyChoice c = proxy_for(url("https://server.example/"), s);
  REQUIRE(c.proxy);
  CHECK(c.proxy->host == "secure-proxy");
  c = proxy_for(url("http://server.example/"), s);
  REQUIRE(c.proxy);
  CHECK(c.proxy->host == "plain-proxy");
  CHECK(c.proxy->port == 8080);
  CHECK_FALSE(proxy_for(url("https://vectimus.internal.example/"), s).proxy);
  s.https_proxy.clear();
  CHECK_FALSE(proxy_for(url("https://server.example/"), s).proxy);
  CHECK_FALSE(proxy_for(url("https://server.example/"), s).error);
  s.https_proxy = "socks5://p:1080";
  c = proxy_for(url("https://server.example/"), s);
  CHECK_FALSE(c.proxy);
  REQUIRE(c.error);
  CHECK(*c.error ==
        "HTTPS_PROXY `socks5://p:1080` is not a proxy URL: only http:// and https:// URLs are "
        "supported");
  s.https_proxy = "https://p:443";
  REQUIRE(proxy_for(url("https://server.example/"), s).error);
}

TEST_CASE("ProxySettings reads lower-case variables first, upper-case otherwise", "[client][url]") {
  MapEnvironment env;
  env.set("HTTPS_PROXY", "http://upper:1");
  env.set("https_proxy", "http://lower:2");
  env.set("HTTP_PROXY", "http://upper-http:3");
  env.set("NO_PROXY", "example.com");
  const ProxySettings s = ProxySettings::from(env);
  CHECK(s.https_proxy == "http://lower:2");
  CHECK(s.http_proxy == "http://upper-http:3");
  CHECK(s.no_proxy == "example.com");
  CHECK(ProxySettings::from(MapEnvironment()).https_proxy.empty());
}

TEST_CASE("the hook endpoint is the base URL plus /v1/hooks/<source>", "[client][url]") {
  CHECK(hook_endpoint("http://127.0.0.1:8420", "claude-code") ==
        "http://127.0.0.1:8420/v1/hooks/claude-code");
  CHECK(hook_endpoint("https://team.example/vectimus//", "gemini-cli") ==
        "https://team.example/vectimus/v1/hooks/gemini-cli");
}

TEST_CASE("request refuses a bad URL and a header with a line break before connecting",
          "[client][url]") {
  Request req;
  req.url = "ftp://x/";
  HttpResult r = request(req, {});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == HttpErrorCode::bad_url);
  req.url = "http://127.0.0.1:1/";
  req.headers.push_back({"X-Evil", "a\r\nInjected: yes"});
  r = request(req, {});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == HttpErrorCode::bad_request);
}
