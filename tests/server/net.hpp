// Test helpers for the team server: a minimal blocking HTTP/1.1 client over a real socket
// (127.0.0.1 or a Unix socket, every wait bounded), a raw connection for slow or streaming
// clients, a one-shot HTTP receiver (the webhook's far end), and the real `vectimus server
// start` as a child process.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vectimus::testing {

struct HttpReply {
  int status = 0;  // 0: no answer (connection failed, closed or timed out)
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  // A header's value (name lowercase), empty when absent.
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// A connected socket; every read waits at most its deadline.
class Connection {
 public:
  // `receive_buffer`: SO_RCVBUF before connecting (0: the system's), for a client that reads
  // slowly.
  static Connection tcp(uint16_t port, int receive_buffer = 0);
  static Connection unix_socket(const std::string& path);
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&&) = delete;
  ~Connection();
  bool ok() const { return fd_ >= 0; }
  bool send(const std::string& bytes);
  // Reads what arrives within `wait`, until `until` appears (if given) or the peer closes.
  std::string receive(std::chrono::milliseconds wait, const std::string& until = {});
  // Whether the peer closed the connection within `wait` (reads and drops anything it sends).
  bool closed_within(std::chrono::milliseconds wait);
  // One request and its response on this (kept-alive) connection.
  HttpReply request(const std::string& method, const std::string& target,
                    const std::vector<std::pair<std::string, std::string>>& headers = {},
                    const std::string& body = {},
                    std::chrono::milliseconds wait = std::chrono::seconds(20));

 private:
  explicit Connection(int fd) : fd_(fd) {}
  int fd_ = -1;
  std::string pending_;
};

// One request on a fresh connection.
HttpReply http(uint16_t port, const std::string& method, const std::string& target,
               const std::vector<std::pair<std::string, std::string>>& headers = {},
               const std::string& body = {},
               std::chrono::milliseconds wait = std::chrono::seconds(20));

// Listens on 127.0.0.1 (ephemeral port) and keeps the body of each POST it gets, answering 200.
class Receiver {
 public:
  Receiver();
  ~Receiver();
  uint16_t port() const { return port_; }
  // The body of the next request, waiting at most `wait`.
  std::optional<std::string> next(std::chrono::milliseconds wait);

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// `vectimus server start ARGS` in `cwd` with exactly `env`; stops it with SIGTERM.
class ServerProcess {
 public:
  ServerProcess(const std::vector<std::string>& args, const std::vector<std::string>& env,
                const std::string& cwd);
  ~ServerProcess();
  bool started() const { return port_ != 0 || !listening_.empty(); }
  uint16_t port() const { return port_; }
  const std::string& listening_line() const { return listening_; }
  // SIGTERM, then the exit code (-1: killed or not exited within 10 s).
  int stop();
  std::string stderr_text() const;

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  uint16_t port_ = 0;
  std::string listening_;
  std::string err_file_;
};

}  // namespace vectimus::testing
