#include "server/http.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "audit/record.hpp"
#include "audit/writer.hpp"
#include "server/app.hpp"

namespace vectimus::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using unix_socket = net::local::stream_protocol;
using error_code = beast::error_code;

using TcpStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using UnixStream = beast::basic_stream<unix_socket>;

// Chunks written per write at most: Asio hands the kernel at most 64 buffers per call.
constexpr std::size_t kChunksPerWrite = 64;
// The kernel's send buffer of an /events connection (Linux doubles it): room for a gathering
// window at 30,000 decisions/s (about 90 KB) while a reader that stopped stalls soon.
constexpr int kStreamSendBuffer = 64 * 1024;
// A write to a subscriber costs about 11 us of CPU whatever it carries plus about 0.1 us per
// KB (measured, 200 loopback subscribers), so the window sets how many writes a fan-out costs.
// Each loop spreads its subscribers' writes over the next window (Hub::set_poster), so a
// decision waits behind one batch of them at most, not behind a whole window's worth: with
// that, 20 ms windows gave a shorter tail than 10 ms ones without the spreading (200
// subscribers, ~20,000 decisions/s: p99 3.3-3.6 ms against 4.0-4.5).
constexpr std::chrono::milliseconds kWakeGathering{20};

std::string_view sv(beast::string_view s) {
  return {s.data(), s.size()};
}

// Group commit of the audit log: the records one event loop's turn decides (the requests that
// became readable together) are written with one append, one flock and one write, before any
// answer of that turn leaves. A record each cost four system calls under the lock both loops
// wait on. The first record of a turn posts the write, which runs after the turn's other
// handlers (or at once when kMaxBatch records wait); answers given meanwhile wait in `waiting`.
// Only the loop's own thread touches it.
struct RecordBatch {
  net::io_context* loop = nullptr;
  std::shared_ptr<audit::AuditWriter> writer;  // every record of a batch goes to one writer
  std::string lines;                           // the records, one per line, no last newline
  uint64_t count = 0;
  int64_t now_ns = 0;                          // the first record's time, which picks the file
  std::optional<audit::Gap> carried;           // the gaps the records report, if they are lost too
  std::vector<std::function<void()>> waiting;  // answers held until the write
};
// Records a batch takes before it is written at once: the first answer of a turn waits for
// the turn's other decisions, so an unbounded batch lengthens the tail (8 against a whole turn:
// p99 0.1-0.9 ms shorter, 1-2% fewer decisions/s, 200 subscribers, interleaved runs).
constexpr uint64_t kMaxBatch = 8;
// The batch of the loop this thread runs (null off the loops).
thread_local RecordBatch* this_loop_batch = nullptr;

// Writes `batch` and sends the answers that waited for it. A failed write is what a failed
// record is in the hook: the decisions stand, stderr says why, the next record notes the gap.
void write_batch(RecordBatch& batch) {
  if (batch.count > 0) {
    const IoStatus written = batch.writer->append(batch.lines, batch.now_ns);
    if (!written.ok()) {
      batch.writer->note_missed(audit::missed_records(std::move(batch.carried), batch.count,
                                                      batch.now_ns, written.error));
      std::fprintf(stderr, "vectimus: %llu audit records could not be written: %s\n",
                   static_cast<unsigned long long>(batch.count), written.error.c_str());
    }
  }
  batch.writer.reset();
  batch.lines.clear();
  batch.count = 0;
  batch.carried.reset();
  std::vector<std::function<void()>> waiting;
  waiting.swap(batch.waiting);
  for (auto& answer : waiting) answer();
}

// Shared by every session of one server. Sessions hold it by shared_ptr: at shutdown the io
// context destroys the handlers it still holds (and the sessions in them) after serve() let go
// of the App, which it marks by setting `app` to null first.
struct Shared {
  App* app = nullptr;
  Limits limits;
  std::chrono::milliseconds heartbeat{15'000};
  std::atomic<std::size_t> connections{0};
};

// The socket under a stream, for closing it from the session.
template <typename Stream>
auto& lowest(Stream& stream) {
  return beast::get_lowest_layer(stream);
}

template <typename Stream>
class Session final : public Exchange, public std::enable_shared_from_this<Session<Stream>> {
 public:
  // `lane`: the event loop the connection was accepted into (see Loops).
  Session(Stream stream, std::shared_ptr<Shared> shared, std::size_t lane)
      : stream_(std::move(stream)), owner_(std::move(shared)), shared_(*owner_), lane_(lane) {}
  ~Session() override {
    if (subscriber_ && shared_.app != nullptr) shared_.app->hub().unsubscribe(subscriber_.get());
    shared_.connections.fetch_sub(1, std::memory_order_relaxed);
  }

  void start() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      lowest(stream_).expires_after(std::chrono::milliseconds(shared_.limits.read_timeout_ms));
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](error_code ec) {
                                if (ec) return self->close();
                                self->wait_request();
                              });
    } else {
      wait_request();
    }
  }

  auto executor() { return lowest(stream_).get_executor(); }

  // Exchange: from any thread, once per request.
  void respond(Response response) override {
    net::dispatch(executor(), [self = this->shared_from_this(), r = std::move(response)]() mutable {
      // Not before the audit records of this turn are written (RecordBatch).
      if (RecordBatch* batch = this_loop_batch; batch != nullptr && batch->count > 0) {
        batch->waiting.push_back([self, r = std::move(r)]() mutable { self->write(std::move(r)); });
        return;
      }
      self->write(std::move(r));
    });
  }

  void stream(uint64_t after) override {
    net::dispatch(executor(),
                  [self = this->shared_from_this(), after] { self->start_stream(after); });
  }

 private:
  Stream stream_;
  std::shared_ptr<Shared> owner_;
  Shared& shared_;
  std::size_t lane_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string response_head_;  // the response being written: status line and fields
  std::string response_body_;
  bool keep_alive_ = false;
  bool closed_ = false;
  // /events
  std::shared_ptr<Hub::Subscriber> subscriber_;
  uint64_t after_ = 0;
  bool writing_ = false;
  bool wake_pending_ = false;
  int heartbeats_waiting_ = 0;      // heartbeats that found a write still pending
  std::string out_;                 // our own text (header, heartbeats) waiting for the next write
  std::string sending_;             // our own text being written
  std::vector<Hub::Piece> pieces_;  // the hub's chunks being written, held until it completes
  std::vector<net::const_buffer> buffers_;
  std::optional<net::steady_timer> heartbeat_;
  char probe_[64];

  void close() {
    if (closed_) return;
    closed_ = true;
    error_code ignored;
    if (heartbeat_) heartbeat_->cancel();
    lowest(stream_).socket().shutdown(net::socket_base::shutdown_both, ignored);
    lowest(stream_).close();
  }

  // Waits for the first byte of the next request for at most the idle timeout (a kept-alive
  // connection that sends nothing is closed), then reads the request within the read timeout.
  void wait_request() {
    if (buffer_.size() > 0) return read_request();
    lowest(stream_).expires_after(std::chrono::milliseconds(shared_.limits.idle_timeout_ms));
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = this->shared_from_this()](error_code ec, std::size_t n) {
                              if (ec) return self->close();
                              self->buffer_.commit(n);
                              self->read_request();
                            });
  }

  void read_request() {
    parser_.emplace();
    parser_->body_limit(shared_.limits.max_body_bytes);
    parser_->header_limit(static_cast<uint32_t>(shared_.limits.max_header_bytes));
    lowest(stream_).expires_after(std::chrono::milliseconds(shared_.limits.read_timeout_ms));
    http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(error_code ec) {
    if (ec == http::error::body_limit) {
      keep_alive_ = false;
      return write(json_error(413,
                              "the request body is larger than the server takes (`[server] "
                              "max_body_bytes`)"));
    }
    if (ec == http::error::header_limit) {
      keep_alive_ = false;
      Response r = json_error(431, "the request headers are larger than the server takes");
      return write(std::move(r));
    }
    if (ec) {
      // A timeout (slow or silent client), a reset or garbage: cut the connection.
      if (ec == http::error::end_of_stream || ec == beast::error::timeout) return close();
      if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
        keep_alive_ = false;
        return write(json_error(400, "the request is not valid HTTP/1.1"));
      }
      return close();
    }
    lowest(stream_).expires_never();
    auto& req = parser_->get();
    keep_alive_ = req.keep_alive();
    head_ = req.method() == http::verb::head;
    Request r;
    r.method = sv(req.method_string());
    r.target = sv(req.target());
    r.body = req.body();
    r.source_header = sv(req["X-Vectimus-Source"]);
    r.api_key_header = sv(req["X-Vectimus-API-Key"]);
    r.log_key = sv(req["X-Vectimus-Log-Key"]);
    r.authorization = sv(req[http::field::authorization]);
    r.last_event_id = sv(req["Last-Event-ID"]);
    shared_.app->handle(r, this->shared_from_this());
  }

  bool head_ = false;

  // The response is written as text: header and body, two buffers, one write. (Beast's message
  // type kept each field in a node of its own, about a tenth of a decision's instructions.)
  void write(Response r) {
    if (closed_ || subscriber_) return;
    std::string& head = response_head_;
    head.clear();
    head += "HTTP/1.1 ";
    head += std::to_string(r.status);
    head += ' ';
    head += sv(http::obsolete_reason(http::int_to_status(r.status)));
    head += "\r\nServer: vectimus\r\nContent-Type: ";
    head += r.content_type;
    head += "\r\nCache-Control: no-store\r\n";
    if (!r.decision.empty()) head += "X-Vectimus-Decision: " + r.decision + "\r\n";
    if (!r.allow.empty()) head += "Allow: " + r.allow + "\r\n";
    if (r.page) {
      head +=
          "Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; "
          "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
          "frame-ancestors 'none'\r\nX-Content-Type-Options: nosniff\r\n"
          "Referrer-Policy: no-referrer\r\n";
    }
    if (!keep_alive_) head += "Connection: close\r\n";
    head += "Content-Length: ";
    head += std::to_string(r.body.size());
    head += "\r\n\r\n";
    response_body_ = std::move(r.body);
    if (head_) response_body_.clear();
    const std::array<net::const_buffer, 2> buffers{net::buffer(response_head_),
                                                   net::buffer(response_body_)};
    lowest(stream_).expires_after(std::chrono::milliseconds(shared_.limits.read_timeout_ms));
    net::async_write(stream_, buffers,
                     [self = this->shared_from_this()](error_code ec, std::size_t) {
                       if (ec || !self->keep_alive_) return self->shutdown();
                       self->wait_request();
                     });
  }

  void shutdown() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      lowest(stream_).expires_after(std::chrono::seconds(1));
      stream_.async_shutdown([self = this->shared_from_this()](error_code) { self->close(); });
    } else {
      close();
    }
  }

  // /events: the header, the replay, then whatever the hub publishes, until the client leaves
  // or falls too far behind.
  void start_stream(uint64_t after) {
    auto subscriber = std::make_shared<Hub::Subscriber>();
    subscriber->lane = lane_;
    std::weak_ptr<Session> weak = this->shared_from_this();
    subscriber->wake = [weak, executor = executor()] {
      if (auto self = weak.lock()) {
        net::dispatch(executor, [self] { self->flush(); });
      }
    };
    if (!shared_.app->hub().subscribe(subscriber)) {
      keep_alive_ = false;
      return write(json_error(503, "too many /events subscribers (`[server] max_subscribers`)"));
    }
    subscriber_ = std::move(subscriber);
    after_ = after;
    lowest(stream_).expires_never();
    // A fixed send buffer bounds what the kernel holds for a subscriber too (autotuning would
    // let a reader that stopped soak up megabytes before its writes stall and it is dropped).
    error_code ignored;
    lowest(stream_).socket().set_option(net::socket_base::send_buffer_size(kStreamSendBuffer),
                                        ignored);
    out_ =
        "HTTP/1.1 200 OK\r\nServer: vectimus\r\nContent-Type: text/event-stream\r\n"
        "Cache-Control: no-store\r\nX-Accel-Buffering: no\r\nConnection: close\r\n\r\n"
        ": connected\n\n";
    // The client sends nothing more; a read that ends tells us it left.
    stream_.async_read_some(net::buffer(probe_), [self = this->shared_from_this()](
                                                     error_code, std::size_t) { self->close(); });
    heartbeat_.emplace(executor());
    arm_heartbeat();
    flush();
  }

  void arm_heartbeat() {
    heartbeat_->expires_after(shared_.heartbeat);
    heartbeat_->async_wait([self = this->shared_from_this()](error_code ec) {
      if (ec || self->closed_) return;
      if (self->writing_) {
        // A write pending through two heartbeats: the client is not reading.
        if (++self->heartbeats_waiting_ >= 2) return self->close();
      } else {
        self->heartbeats_waiting_ = 0;
        self->out_ += ": heartbeat\n\n";
        self->flush();
      }
      self->arm_heartbeat();
    });
  }

  // Writes what waits: our own text, then the hub's chunks after `after_` by reference (every
  // subscriber sends the same bytes; none is copied per subscriber).
  void flush() {
    if (closed_) return;
    Hub& hub = shared_.app->hub();
    if (writing_) {
      // Still writing while the stream moved on by more than the lag allowance: too slow.
      if (hub.lagging(after_)) return close();
      wake_pending_ = true;
      return;
    }
    if (hub.read_after(after_, kChunksPerWrite, pieces_) == Hub::Read::lagged) {
      // Too slow: it would hold events back from the hub; drop it (it reconnects with
      // Last-Event-ID and gets what is still kept).
      return close();
    }
    buffers_.clear();
    if (!out_.empty()) {
      sending_.swap(out_);
      out_.clear();
      buffers_.push_back(net::buffer(sending_));
    }
    for (const Hub::Piece& p : pieces_)
      buffers_.push_back(net::buffer(p.bytes.data(), p.bytes.size()));
    if (buffers_.empty()) return;
    writing_ = true;
    net::async_write(stream_, buffers_,
                     [self = this->shared_from_this()](error_code ec, std::size_t) {
                       self->writing_ = false;
                       self->sending_.clear();
                       self->pieces_.clear();
                       if (ec) return self->close();
                       if (self->wake_pending_ || !self->out_.empty() ||
                           self->shared_.app->hub().sealed_id() > self->after_) {
                         self->wake_pending_ = false;
                         self->flush();
                       }
                     });
  }
};

// Writes a fixed 503 and closes: the connection limit is reached.
template <typename Socket>
void refuse(Socket socket) {
  auto s = std::make_shared<Socket>(std::move(socket));
  static const std::string kBody =
      "{\"error\":\"the server is at its connection limit (`[server] max_connections`)\"}";
  static const std::string kBusy =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: "
      "close\r\nContent-Length: " +
      std::to_string(kBody.size()) + "\r\n\r\n" + kBody;
  net::async_write(*s, net::buffer(kBusy), [s](error_code, std::size_t) {
    error_code ignored;
    s->shutdown(net::socket_base::shutdown_both, ignored);
    s->close(ignored);
  });
}

// One event loop (io_context) per thread. A connection is given to one loop when it is accepted
// and stays there: its reads, its decisions and its writes never change threads, so no loop
// wakes another and none shares a scheduler lock (one io_context run by two threads cost about
// two and a half futex calls per request, and a context switch for many). The first loop also
// runs the listeners, timers, signals, policy reload and the start of each fan-out.
class Loops {
 public:
  explicit Loops(std::size_t count) : batches_(std::max<std::size_t>(count, 1)) {
    for (std::size_t i = 0; i < batches_.size(); ++i) {
      // 1: each is run by one thread, so it never wakes another to take its work.
      loops_.push_back(std::make_unique<net::io_context>(1));
      batches_[i].loop = loops_.back().get();
    }
  }
  net::io_context& first() { return *loops_.front(); }
  net::io_context& at(std::size_t lane) { return *loops_.at(lane); }
  // The loop for the next connection, in turn. Called on the first loop only (the acceptors').
  std::size_t next() { return next_++ % loops_.size(); }

  // Runs every loop, the first on this thread, until stop().
  void run() {
    std::vector<net::executor_work_guard<net::io_context::executor_type>> idle;
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < loops_.size(); ++i) {
      idle.push_back(net::make_work_guard(*loops_[i]));  // a loop without connections waits
      threads.emplace_back([&loop = *loops_[i], &batch = batches_[i]] {
        this_loop_batch = &batch;
        loop.run();
      });
    }
    this_loop_batch = &batches_.front();
    loops_.front()->run();
    for (auto& t : threads) t.join();
    this_loop_batch = nullptr;
    // Records a stopped loop still held go to the log all the same.
    for (RecordBatch& batch : batches_) write_batch(batch);
  }
  void stop() {
    for (auto& loop : loops_) loop->stop();
  }

 private:
  std::vector<std::unique_ptr<net::io_context>> loops_;
  std::vector<RecordBatch> batches_;  // one per loop
  std::size_t next_ = 0;
};

template <typename Protocol>
class Listener : public std::enable_shared_from_this<Listener<Protocol>> {
 public:
  using Acceptor = typename Protocol::acceptor;
  Listener(Loops& loops, Acceptor acceptor, std::shared_ptr<Shared> shared, ssl::context* tls)
      : loops_(loops), acceptor_(std::move(acceptor)), shared_(std::move(shared)), tls_(tls) {}

  void accept() {
    const std::size_t lane = loops_.next();
    acceptor_.async_accept(loops_.at(lane), [self = this->shared_from_this(), lane](
                                                error_code ec, typename Protocol::socket socket) {
      if (ec == net::error::operation_aborted) return;
      if (!ec) self->on_accept(std::move(socket), lane);
      self->accept();
    });
  }
  void stop() {
    error_code ignored;
    acceptor_.close(ignored);
  }

 private:
  Loops& loops_;
  Acceptor acceptor_;
  std::shared_ptr<Shared> shared_;
  ssl::context* tls_;

  template <typename Socket>
  void on_accept(Socket socket, std::size_t lane) {
    if (shared_->connections.fetch_add(1, std::memory_order_relaxed) >=
        shared_->limits.max_connections) {
      shared_->connections.fetch_sub(1, std::memory_order_relaxed);
      return refuse(std::move(socket));
    }
    if constexpr (std::is_same_v<Protocol, unix_socket>) {
      start_on_its_loop(
          std::make_shared<Session<UnixStream>>(UnixStream(std::move(socket)), shared_, lane));
    } else {
      error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      if (tls_ != nullptr) {
        start_on_its_loop(std::make_shared<Session<TlsStream>>(
            TlsStream(TcpStream(std::move(socket)), *tls_), shared_, lane));
      } else {
        start_on_its_loop(
            std::make_shared<Session<TcpStream>>(TcpStream(std::move(socket)), shared_, lane));
      }
    }
  }

  // A session runs on the loop its socket was accepted into, from its first operation on.
  template <typename S>
  static void start_on_its_loop(std::shared_ptr<S> session) {
    auto executor = session->executor();
    net::dispatch(executor, [session = std::move(session)] { session->start(); });
  }
};

// One webhook POST in the background (http:// or https://, verified against the system's CAs).
class Webhook : public std::enable_shared_from_this<Webhook> {
 public:
  Webhook(net::io_context& ioc, ssl::context& tls, std::string url, std::string body)
      : resolver_(net::make_strand(ioc)), tls_(tls), url_(std::move(url)) {
    request_.method(http::verb::post);
    request_.version(11);
    request_.set(http::field::content_type, "application/json");
    request_.set(http::field::user_agent, "vectimus");
    request_.body() = std::move(body);
  }

  void start() {
    std::string rest = url_;
    std::string port;
    if (rest.rfind("https://", 0) == 0) {
      https_ = true;
      rest = rest.substr(8);
      port = "443";
    } else if (rest.rfind("http://", 0) == 0) {
      rest = rest.substr(7);
      port = "80";
    } else {
      return fail("the webhook URL must start with http:// or https://");
    }
    const std::size_t slash = rest.find('/');
    std::string target = slash == std::string::npos ? "/" : rest.substr(slash);
    host_ = rest.substr(0, slash);
    if (const std::size_t colon = host_.rfind(':');
        colon != std::string::npos && host_.find(']') == std::string::npos) {
      port = host_.substr(colon + 1);
      request_.set(http::field::host, host_);
      host_ = host_.substr(0, colon);
    } else {
      request_.set(http::field::host, host_);
    }
    request_.target(target);
    request_.prepare_payload();
    resolver_.async_resolve(
        host_, port, [self = shared_from_this()](error_code ec, tcp::resolver::results_type r) {
          if (ec) return self->fail("cannot resolve: " + ec.message());
          self->connect(r);
        });
  }

 private:
  tcp::resolver resolver_;
  ssl::context& tls_;
  std::string url_;
  std::string host_;
  bool https_ = false;
  std::optional<TcpStream> plain_;
  std::optional<TlsStream> secure_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  beast::flat_buffer buffer_;

  void fail(const std::string& why) const {
    std::fprintf(stderr, "vectimus: the approval webhook to %s failed: %s\n", url_.c_str(),
                 why.c_str());
  }

  void connect(const tcp::resolver::results_type& results) {
    auto& tcp_stream =
        https_ ? beast::get_lowest_layer(secure_.emplace(resolver_.get_executor(), tls_))
               : plain_.emplace(resolver_.get_executor());
    tcp_stream.expires_after(std::chrono::seconds(10));
    tcp_stream.async_connect(results, [self = shared_from_this()](error_code ec, auto) {
      if (ec) return self->fail("cannot connect: " + ec.message());
      if (!self->https_) return self->send();
      if (!SSL_set_tlsext_host_name(self->secure_->native_handle(), self->host_.c_str())) {
        return self->fail("cannot set the TLS server name");
      }
      self->secure_->set_verify_callback(ssl::host_name_verification(self->host_));
      self->secure_->async_handshake(ssl::stream_base::client, [self](error_code ec2) {
        if (ec2) return self->fail("TLS handshake: " + ec2.message());
        self->send();
      });
    });
  }

  template <typename S>
  void send_on(S& s) {
    http::async_write(s, request_, [self = shared_from_this(), &s](error_code ec, std::size_t) {
      if (ec) return self->fail("cannot send: " + ec.message());
      http::async_read(s, self->buffer_, self->response_, [self](error_code ec2, std::size_t) {
        if (ec2) return self->fail("no answer: " + ec2.message());
        if (self->response_.result_int() >= 300) {
          self->fail("it answered " + std::to_string(self->response_.result_int()));
        }
      });
    });
  }
  void send() {
    if (https_) {
      send_on(*secure_);
    } else {
      send_on(*plain_);
    }
  }
};

class AsioRuntime final : public Runtime {
 public:
  AsioRuntime(net::io_context& ioc, ssl::context& client_tls)
      : ioc_(ioc), client_tls_(client_tls) {}
  void after(std::chrono::milliseconds delay, std::function<void()> fn) override {
    auto timer = std::make_shared<net::steady_timer>(ioc_, delay);
    timer->async_wait([timer, fn = std::move(fn)](error_code ec) {
      if (!ec) fn();
    });
  }
  void send_webhook(std::string url, std::string body) override {
    std::make_shared<Webhook>(ioc_, client_tls_, std::move(url), std::move(body))->start();
  }
  bool queue_record(std::shared_ptr<audit::AuditWriter> writer, std::string&& record,
                    int64_t now_ns, const audit::Gap* carried) override {
    RecordBatch* batch = this_loop_batch;
    if (batch == nullptr || (batch->count > 0 && batch->writer != writer)) return false;
    if (batch->count == 0) {
      batch->writer = std::move(writer);
      batch->now_ns = now_ns;
      net::post(*batch->loop, [batch] { write_batch(*batch); });
    } else {
      batch->lines += '\n';
    }
    batch->lines += record;
    ++batch->count;
    if (carried) {
      // At most one a second is claimed; should two share a batch, they merge into one.
      if (!batch->carried) {
        batch->carried = *carried;
      } else {
        batch->carried->missed += carried->missed;
        batch->carried->last_at = carried->last_at;
        batch->carried->why = carried->why;
      }
    }
    if (batch->count >= kMaxBatch) write_batch(*batch);
    return true;
  }

 private:
  net::io_context& ioc_;
  ssl::context& client_tls_;
};

std::string host_for_url(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

bool loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace

int serve(const Settings& settings, PolicyStore& store, std::ostream& out, std::ostream& err) {
  const std::size_t threads = settings.threads > 0
                                  ? settings.threads
                                  : std::max<std::size_t>(1, std::thread::hardware_concurrency());
  Loops loops(threads);
  net::io_context& ioc = loops.first();
  ssl::context client_tls(ssl::context::tls_client);
  client_tls.set_default_verify_paths();
  client_tls.set_verify_mode(ssl::verify_peer);
  AsioRuntime runtime(ioc, client_tls);
  App app(settings, store, runtime);
  // Fan-outs are gathered for a few milliseconds: under load one chunk, framed once and written
  // once per subscriber, then carries many decisions instead of one (200 subscribers would
  // otherwise cost 200 writes per decision), and nobody watching the page can tell 10 ms apart.
  app.hub().set_poster(
      [&ioc](std::function<void()> fn) {
        auto timer = std::make_shared<net::steady_timer>(ioc, kWakeGathering);
        timer->async_wait([timer, fn = std::move(fn)](error_code) { fn(); });
      },
      [&loops](std::size_t lane, std::chrono::microseconds delay, std::function<void()> fn) {
        if (delay.count() <= 0) return net::post(loops.at(lane), std::move(fn));
        auto timer = std::make_shared<net::steady_timer>(loops.at(lane), delay);
        timer->async_wait([timer, fn = std::move(fn)](error_code) { fn(); });
      },
      kWakeGathering);
  auto shared = std::make_shared<Shared>();
  shared->app = &app;
  shared->limits = settings.limits;
  shared->heartbeat = std::chrono::milliseconds(settings.heartbeat_ms);

  std::optional<ssl::context> tls;
  if (settings.tls_cert && settings.tls_key) {
    tls.emplace(ssl::context::tls_server);
    error_code ec;
    tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    tls->use_certificate_chain_file(*settings.tls_cert, ec);
    if (ec) {
      err << "error: cannot read the TLS certificate `" << *settings.tls_cert
          << "`: " << ec.message() << '\n';
      return 1;
    }
    tls->use_private_key_file(*settings.tls_key, ssl::context::pem, ec);
    if (ec) {
      err << "error: cannot read the TLS key `" << *settings.tls_key << "`: " << ec.message()
          << '\n';
      return 1;
    }
  }

  std::shared_ptr<Listener<tcp>> tcp_listener;
  std::shared_ptr<Listener<unix_socket>> unix_listener;
  std::string url;
  error_code ec;
  if (settings.unix_path) {
    struct stat st {};
    if (::lstat(settings.unix_path->c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) {
      ::unlink(settings.unix_path->c_str());
    }
    unix_socket::acceptor acceptor(ioc);
    acceptor.open(unix_socket(), ec);
    if (!ec) acceptor.bind(unix_socket::endpoint(*settings.unix_path), ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      err << "error: cannot listen on the Unix socket `" << *settings.unix_path
          << "`: " << ec.message() << '\n';
      return 1;
    }
    unix_listener =
        std::make_shared<Listener<unix_socket>>(loops, std::move(acceptor), shared, nullptr);
    url = "unix:" + *settings.unix_path;
  } else {
    const auto address =
        net::ip::make_address(settings.host == "localhost" ? "127.0.0.1" : settings.host, ec);
    if (ec) {
      err << "error: `" << settings.host << "` is not an IP address to listen on\n";
      return 1;
    }
    tcp::acceptor acceptor(ioc);
    const tcp::endpoint endpoint(address, settings.port);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      err << "error: cannot listen on " << settings.host << ":" << settings.port << ": "
          << ec.message() << '\n';
      return 1;
    }
    const uint16_t port = acceptor.local_endpoint().port();
    url = std::string(tls ? "https://" : "http://") + host_for_url(settings.host) + ":" +
          std::to_string(port);
    tcp_listener =
        std::make_shared<Listener<tcp>>(loops, std::move(acceptor), shared, tls ? &*tls : nullptr);
    if (!loopback(settings.host) && settings.keys.empty()) {
      err << "warning: the server listens on " << settings.host
          << " without an API key: anyone who can reach it can use it and read every "
             "decision; set VECTIMUS_API_KEY or [[server.api_keys]]\n";
    }
  }
  app.set_base_url(url);

  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](error_code, int) {
    if (tcp_listener) tcp_listener->stop();
    if (unix_listener) unix_listener->stop();
    loops.stop();
  });
  // Live policy reload: the store compares what the set was read from once per interval.
  net::steady_timer reload(ioc);
  std::function<void()> arm_reload = [&] {
    reload.expires_after(std::chrono::milliseconds(settings.reload_poll_ms));
    reload.async_wait([&](error_code e) {
      if (e) return;
      if (store.poll()) {
        std::fprintf(stderr, "vectimus: policies reloaded\n");
      } else if (auto failed = store.reload_error()) {
        static thread_local std::string last;
        if (*failed != last) {
          std::fprintf(stderr,
                       "vectimus: the changed policies did not load, the old ones still "
                       "serve: %s\n",
                       failed->c_str());
          last = *failed;
        }
      }
      arm_reload();
    });
  };
  arm_reload();

  if (tcp_listener) tcp_listener->accept();
  if (unix_listener) unix_listener->accept();
  out << "vectimus server listening on " << url << std::endl;

  loops.run();
  // No thread runs now; what the loops still hold is destroyed after the App.
  shared->app = nullptr;
  if (settings.unix_path) ::unlink(settings.unix_path->c_str());
  return 0;
}

}  // namespace vectimus::server
