// A small HTTP/1.1 client for talking to a vectimus server (the hook in client mode, `vectimus
// approvals`, `policy update --from URL`): one request, one response, then the connection is
// closed. Beast, Asio and OpenSSL stay in http_client.cpp; this header has none of them.
//
//   request(req, options)
//     url ─parse_url─▶ Url ─proxy_for (HTTPS_PROXY / HTTP_PROXY / NO_PROXY)─▶ where to connect
//       ─▶ resolve, connect ─▶ [proxy: CONNECT tunnel for https, absolute-form target for http]
//       ─▶ [https: TLS, SNI, certificate chain checked against the CA store, host name checked]
//       ─▶ write the request ─▶ read the response (header and body limits) ─▶ Response
//
// One deadline covers the whole exchange (resolve to last body byte), not each read, so a peer
// that trickles bytes cannot hold the caller past `timeout`. Every failure is an HttpError that
// says what went wrong and where (the URL, or the proxy); none throws. A response with any
// status is a Response: what a non-200 means is the caller's business.
//
// Certificates: the system store (OpenSSL's default paths, /etc/ssl/certs in the static build),
// or `SSL_CERT_FILE` / `SSL_CERT_DIR` when set, or Options::ca_file.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/host.hpp"

namespace vectimus::client {

enum class HttpErrorCode : uint8_t {
  bad_url,       // the URL (or a proxy's) is not http(s)://host[:port][/path]
  bad_request,   // a method or header that cannot be sent (a line break in it)
  resolve,       // the host name did not resolve
  connect,       // no connection (refused, unreachable)
  proxy,         // the proxy refused the CONNECT tunnel or broke it
  tls,           // the TLS handshake failed: certificate, host name, protocol
  io,            // the connection broke while writing or reading
  timeout,       // the deadline passed
  too_large,     // the response's header or body is over its limit
  bad_response,  // not HTTP/1.x, or a body cut short
};
std::string_view http_error_name(HttpErrorCode code);

struct HttpError {
  HttpErrorCode code = HttpErrorCode::io;
  std::string message;  // "connection refused (127.0.0.1:8420)", for people
};

struct Header {
  std::string name;
  std::string value;
};

struct Response {
  int status = 0;
  std::vector<Header> headers;
  std::string body;
  // The first header named `name` (ASCII case-insensitive).
  std::optional<std::string_view> header(std::string_view name) const;
};

// A Response, or the error that stopped the exchange.
class HttpResult {
 public:
  HttpResult(Response response) : response_(std::move(response)) {}  // NOLINT: implicit
  HttpResult(HttpError error) : error_(std::move(error)) {}          // NOLINT: implicit
  bool ok() const { return response_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Response& response() const { return *response_; }
  Response& response() { return *response_; }
  const HttpError& error() const { return error_; }

 private:
  std::optional<Response> response_;
  HttpError error_;
};

struct Url {
  bool https = false;
  std::string host;      // lower-cased; an IPv6 literal without its brackets
  uint16_t port = 0;     // the scheme's default when the URL names none
  std::string target;    // path and query, at least "/"
  std::string userinfo;  // "user:password" before '@' (proxies: sent as Basic auth)
  // "host:port" as a Host header or CONNECT target writes it (IPv6 literals bracketed).
  std::string authority() const;
  // scheme://authority/target, without userinfo (for messages).
  std::string text() const;
};

// Parses `http://` and `https://` URLs. A URL with no scheme is taken as http:// (what curl
// does with a proxy setting written as `host:port`) only when `default_http` is set.
std::optional<Url> parse_url(std::string_view text, bool default_http = false,
                             std::string* why = nullptr);

// Proxy settings, as the variables curl and most tools read them: HTTPS_PROXY for https URLs,
// HTTP_PROXY for http URLs, NO_PROXY lists hosts that go direct; each also in lower case, which
// wins when both are set (as in curl). Only http:// proxies (TLS to the target goes through a
// CONNECT tunnel).
struct ProxySettings {
  std::string https_proxy;
  std::string http_proxy;
  std::string no_proxy;
  static ProxySettings from(const Environment& env);
};

// True when `no_proxy` (comma- or space-separated: `*`, host names, `.suffix` or `suffix`
// matching that domain and its subdomains, IP addresses, `addr/bits` CIDR blocks, each with an
// optional `:port`) says `url` goes direct.
bool no_proxy_matches(std::string_view no_proxy, const Url& url);

// The proxy to use for `url`: none when its variable is unset or empty or NO_PROXY matches;
// an error when the variable is set but not a URL (never silently direct).
struct ProxyChoice {
  std::optional<Url> proxy;
  std::optional<std::string> error;
};
ProxyChoice proxy_for(const Url& url, const ProxySettings& settings);

struct Request {
  std::string method = "GET";
  std::string url;
  std::vector<Header> headers;  // Host, Content-Length, Connection are set by request()
  std::string body;
};

struct Options {
  std::chrono::milliseconds timeout{5000};  // the whole exchange
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_bytes = 16 << 10;
  // CA certificates (PEM) to trust instead of the system store.
  std::optional<std::string> ca_file;
  // Proxy settings; unset: read from the process environment at the call.
  std::optional<ProxySettings> proxy;
};

// One exchange. Never throws.
HttpResult request(const Request& req, const Options& options);

}  // namespace vectimus::client
