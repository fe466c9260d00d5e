// The exchange of http_client.hpp over Beast and Asio (with Asio's OpenSSL stream for https).
// Each step is started asynchronously and the io_context run until the one deadline; a step
// still pending then has its socket closed (it completes with operation_aborted) and the
// exchange fails with `timeout`. One thread, one connection, nothing left running on return.
#include "client/http_client.hpp"

#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/detail/base64.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>

namespace vectimus::client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Where the system keeps its CA bundle, for a static binary whose OpenSSL default path (Debian's
// /usr/lib/ssl) may not exist on the machine it runs on. The first one that exists is loaded.
constexpr const char* kCaBundles[] = {
    "/etc/ssl/certs/ca-certificates.crt",  // Debian, Ubuntu, Alpine, Arch
    "/etc/pki/tls/certs/ca-bundle.crt",    // Fedora, RHEL
    "/etc/ssl/ca-bundle.pem",              // openSUSE
    "/etc/ssl/cert.pem",                   // Alpine, macOS-like layouts
};
constexpr const char* kCaDir = "/etc/ssl/certs";

bool has_line_break(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

std::string base64(std::string_view s) {
  std::string out(beast::detail::base64::encoded_size(s.size()), '\0');
  out.resize(beast::detail::base64::encode(out.data(), s.data(), s.size()));
  return out;
}

std::string seconds_text(std::chrono::milliseconds ms) {
  if (ms.count() % 1000 == 0) return std::to_string(ms.count() / 1000) + " s";
  return std::to_string(ms.count()) + " ms";
}

// The CA store: `ca_file`, else what SSL_CERT_FILE / SSL_CERT_DIR or OpenSSL's default paths
// name, plus the system bundle when neither variable is set.
std::optional<std::string> load_trust(SSL_CTX* ctx, const Options& options) {
  if (options.ca_file) {
    if (SSL_CTX_load_verify_locations(ctx, options.ca_file->c_str(), nullptr) != 1) {
      return "cannot read the CA certificates in `" + *options.ca_file + "`";
    }
    return std::nullopt;
  }
  SSL_CTX_set_default_verify_paths(ctx);  // honours SSL_CERT_FILE and SSL_CERT_DIR
  if (std::getenv("SSL_CERT_FILE") == nullptr && std::getenv("SSL_CERT_DIR") == nullptr) {
    for (const char* bundle : kCaBundles) {
      if (::access(bundle, R_OK) == 0) {
        SSL_CTX_load_verify_locations(ctx, bundle, nullptr);
        break;
      }
    }
    if (::access(kCaDir, R_OK) == 0) SSL_CTX_load_verify_locations(ctx, nullptr, kCaDir);
  }
  ERR_clear_error();  // a default path that does not exist is not an error
  return std::nullopt;
}

// A host name's addresses, looked up on a thread of its own so that the deadline holds even
// when the resolver does not answer (getaddrinfo cannot be interrupted, and Asio's resolver
// joins its thread on shutdown). A lookup still running at the deadline is left to finish
// alone; its result is dropped.
struct Resolved {
  std::vector<tcp::endpoint> endpoints;
  std::string error;
  bool timed_out = false;
};
Resolved resolve(const std::string& host, uint16_t port, Clock::time_point deadline) {
  struct Shared {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    Resolved result;
  };
  auto shared = std::make_shared<Shared>();
  std::thread([shared, host, port] {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    const int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &list);
    Resolved r;
    if (rc != 0) {
      r.error = ::gai_strerror(rc);
    } else {
      for (const addrinfo* a = list; a != nullptr; a = a->ai_next) {
        tcp::endpoint e;
        if (a->ai_addrlen <= e.capacity()) {
          std::memcpy(e.data(), a->ai_addr, a->ai_addrlen);
          e.resize(a->ai_addrlen);
          r.endpoints.push_back(e);
        }
      }
      ::freeaddrinfo(list);
      if (r.endpoints.empty()) r.error = "no address";
    }
    const std::lock_guard<std::mutex> lock(shared->mutex);
    shared->result = std::move(r);
    shared->done = true;
    shared->done_cv.notify_one();
  }).detach();
  std::unique_lock<std::mutex> lock(shared->mutex);
  if (!shared->done_cv.wait_until(lock, deadline, [&] { return shared->done; })) {
    Resolved late;
    late.timed_out = true;
    return late;
  }
  return std::move(shared->result);
}

class Exchange {
 public:
  Exchange(const Request& req, const Options& options, Url url, std::optional<Url> proxy)
      : req_(req),
        options_(options),
        url_(std::move(url)),
        proxy_(std::move(proxy)),
        deadline_(Clock::now() + options.timeout),
        socket_(ioc_) {}

  HttpResult run() {
    const Url& peer = proxy_ ? *proxy_ : url_;
    if (auto e = connect(peer)) return *e;
    if (proxy_ && url_.https) {
      if (auto e = tunnel()) return *e;
    }
    if (url_.https) {
      if (auto e = handshake()) return *e;
    }
    return exchange();
  }

 private:
  const Request& req_;
  const Options& options_;
  Url url_;
  std::optional<Url> proxy_;
  Clock::time_point deadline_;
  asio::io_context ioc_;
  tcp::socket socket_;
  std::optional<asio::ssl::context> tls_context_;
  std::optional<asio::ssl::stream<tcp::socket&>> tls_;
  beast::flat_buffer buffer_;

  // Where a failure happened, for the message: the URL, and the proxy when there is one.
  std::string where() const {
    std::string out = url_.text();
    if (proxy_) out += " via proxy " + proxy_->authority();
    return out;
  }
  HttpError fail(HttpErrorCode code, const std::string& what) const {
    return {code, what + " (" + where() + ")"};
  }
  HttpError timed_out(const char* doing) const {
    return fail(HttpErrorCode::timeout,
                "no answer within " + seconds_text(options_.timeout) + " while " + doing);
  }

  // Starts one operation with `start(handler)` and runs it to completion or the deadline;
  // returns its error, or asio::error::timed_out when the deadline passed first.
  template <class Start>
  beast::error_code step(Start&& start) {
    bool done = false;
    beast::error_code result;
    start([&](beast::error_code ec, auto&&...) {
      result = ec;
      done = true;
    });
    ioc_.restart();
    ioc_.run_until(deadline_);
    if (done) return result;
    beast::error_code ignored;
    socket_.close(ignored);
    ioc_.restart();
    ioc_.run();  // the cancelled operation completes now
    return asio::error::timed_out;
  }

  std::optional<HttpError> connect(const Url& peer) {
    beast::error_code not_ip;
    std::vector<tcp::endpoint> endpoints;
    const asio::ip::address ip = asio::ip::make_address(peer.host, not_ip);
    if (!not_ip) {
      endpoints.emplace_back(ip, peer.port);
    } else {
      Resolved resolved = resolve(peer.host, peer.port, deadline_);
      if (resolved.timed_out) return timed_out(("resolving " + peer.host).c_str());
      if (!resolved.error.empty()) {
        return fail(HttpErrorCode::resolve,
                    "cannot resolve `" + peer.host + "`: " + resolved.error);
      }
      endpoints = std::move(resolved.endpoints);
    }
    beast::error_code ec;
    ec = step([&](auto handler) { asio::async_connect(socket_, endpoints, handler); });
    if (ec == asio::error::timed_out) {
      return timed_out(("connecting to " + peer.authority()).c_str());
    }
    if (ec) {
      return fail(HttpErrorCode::connect,
                  "cannot connect to " + peer.authority() + ": " + ec.message());
    }
    beast::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    return std::nullopt;
  }

  // CONNECT host:port through the proxy; the socket then carries the TLS session.
  std::optional<HttpError> tunnel() {
    http::request<http::empty_body> connect{http::verb::connect, url_.authority(), 11};
    connect.set(http::field::host, url_.authority());
    if (!proxy_->userinfo.empty()) {
      connect.set(http::field::proxy_authorization, "Basic " + base64(proxy_->userinfo));
    }
    beast::error_code ec =
        step([&](auto handler) { http::async_write(socket_, connect, handler); });
    if (ec == asio::error::timed_out) return timed_out("asking the proxy for a tunnel");
    if (ec) return fail(HttpErrorCode::proxy, "the proxy broke the connection: " + ec.message());
    http::response_parser<http::empty_body> parser;
    parser.skip(true);  // a CONNECT response has no body: what follows is the tunnel
    parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
    ec = step([&](auto handler) { http::async_read(socket_, buffer_, parser, handler); });
    if (ec == asio::error::timed_out) return timed_out("waiting for the proxy's tunnel");
    if (ec) return fail(HttpErrorCode::proxy, "the proxy did not open a tunnel: " + ec.message());
    const unsigned status = parser.get().result_int();
    if (status / 100 != 2) {
      return fail(HttpErrorCode::proxy,
                  "the proxy refused the tunnel with status " + std::to_string(status));
    }
    if (buffer_.size() != 0) {
      return fail(HttpErrorCode::proxy, "the proxy sent data before the TLS handshake");
    }
    return std::nullopt;
  }

  std::optional<HttpError> handshake() {
    tls_context_.emplace(asio::ssl::context::tls_client);
    SSL_CTX* ctx = tls_context_->native_handle();
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    if (auto why = load_trust(ctx, options_)) return fail(HttpErrorCode::tls, *why);
    tls_context_->set_verify_mode(asio::ssl::verify_peer);
    tls_.emplace(socket_, *tls_context_);
    SSL* ssl = tls_->native_handle();
    beast::error_code not_ip;
    (void)asio::ip::make_address(url_.host, not_ip);
    if (!not_ip) {  // an IP literal: no SNI, the certificate must name the address
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), url_.host.c_str());
    } else {
      SSL_set_tlsext_host_name(ssl, url_.host.c_str());  // SNI
      SSL_set1_host(ssl, url_.host.c_str());             // the certificate must name it
    }
    beast::error_code ec =
        step([&](auto handler) { tls_->async_handshake(asio::ssl::stream_base::client, handler); });
    if (ec == asio::error::timed_out) return timed_out("in the TLS handshake");
    if (ec) {
      const long verify = SSL_get_verify_result(ssl);
      std::string why = verify != X509_V_OK ? std::string("certificate not trusted: ") +
                                                  X509_verify_cert_error_string(verify)
                                            : ec.message();
      return fail(HttpErrorCode::tls, "TLS handshake failed: " + why);
    }
    return std::nullopt;
  }

  template <class F>
  beast::error_code on_stream(F&& f) {
    if (tls_) return step([&](auto handler) { f(*tls_, handler); });
    return step([&](auto handler) { f(socket_, handler); });
  }

  HttpResult exchange() {
    http::request<http::string_body> msg;
    const http::verb verb = http::string_to_verb(req_.method);
    if (verb == http::verb::unknown) {
      msg.method_string(req_.method);
    } else {
      msg.method(verb);
    }
    msg.version(11);
    // Through a proxy without a tunnel, the request line carries the absolute URL.
    msg.target(proxy_ && !url_.https ? url_.text() : url_.target);
    const bool default_port = url_.port == (url_.https ? 443 : 80);
    const bool v6 = url_.host.find(':') != std::string::npos;
    msg.set(http::field::host,
            default_port ? (v6 ? "[" + url_.host + "]" : url_.host) : url_.authority());
    msg.set(http::field::user_agent, "vectimus");
    msg.set(http::field::connection, "close");
    if (proxy_ && !url_.https && !proxy_->userinfo.empty()) {
      msg.set(http::field::proxy_authorization, "Basic " + base64(proxy_->userinfo));
    }
    for (const Header& h : req_.headers) msg.insert(h.name, h.value);
    msg.body() = req_.body;
    if (!req_.body.empty() || verb == http::verb::post || verb == http::verb::put) {
      msg.prepare_payload();
    }
    beast::error_code ec =
        on_stream([&](auto& stream, auto handler) { http::async_write(stream, msg, handler); });
    if (ec == asio::error::timed_out) return timed_out("sending the request");
    if (ec) return fail(HttpErrorCode::io, "the connection broke while sending: " + ec.message());

    http::response_parser<http::string_body> parser;
    parser.body_limit(options_.max_body_bytes);
    parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
    if (req_.method == "HEAD") parser.skip(true);
    ec = on_stream(
        [&](auto& stream, auto handler) { http::async_read(stream, buffer_, parser, handler); });
    if (ec) return read_error(ec);
    Response out;
    const auto& res = parser.get();
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
      out.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    out.body = std::move(parser.get().body());
    close();
    return out;
  }

  HttpError read_error(const beast::error_code& ec) const {
    if (ec == asio::error::timed_out) return timed_out("reading the response");
    if (ec == http::error::body_limit) {
      return fail(HttpErrorCode::too_large, "the response body is over " +
                                                std::to_string(options_.max_body_bytes) + " bytes");
    }
    if (ec == http::error::header_limit) {
      return fail(
          HttpErrorCode::too_large,
          "the response header is over " + std::to_string(options_.max_header_bytes) + " bytes");
    }
    if (ec == http::error::partial_message || ec == asio::ssl::error::stream_truncated) {
      return fail(HttpErrorCode::bad_response, "the response was cut short");
    }
    if (ec == http::error::end_of_stream || ec == asio::error::eof) {
      return fail(HttpErrorCode::io, "the connection closed before a response");
    }
    if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
      return fail(HttpErrorCode::bad_response, "not an HTTP/1.x response: " + ec.message());
    }
    return fail(HttpErrorCode::io, "the connection broke while reading: " + ec.message());
  }

  void close() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }
};

}  // namespace

HttpResult request(const Request& req, const Options& options) {
  std::string why;
  const std::optional<Url> url = parse_url(req.url, false, &why);
  if (!url) return HttpError{HttpErrorCode::bad_url, "`" + req.url + "` is not a URL: " + why};
  if (has_line_break(req.method) || req.method.empty()) {
    return HttpError{HttpErrorCode::bad_request, "the method `" + req.method + "` cannot be sent"};
  }
  for (const Header& h : req.headers) {
    if (h.name.empty() || has_line_break(h.name) || has_line_break(h.value)) {
      return HttpError{HttpErrorCode::bad_request,
                       "the header `" + h.name + "` cannot be sent (a line break in it)"};
    }
  }
  const ProxySettings settings =
      options.proxy ? *options.proxy : ProxySettings::from(real_environment());
  ProxyChoice proxy = proxy_for(*url, settings);
  if (proxy.error) return HttpError{HttpErrorCode::bad_url, *proxy.error};
  try {
    Exchange exchange(req, options, *url, std::move(proxy.proxy));
    return exchange.run();
  } catch (const std::exception& e) {
    return HttpError{HttpErrorCode::io,
                     std::string("internal error: ") + e.what() + " (" + url->text() + ")"};
  }
}

}  // namespace vectimus::client
