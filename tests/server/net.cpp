#include "tests/server/net.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace vectimus::testing {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::max<int64_t>(left, 0));
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Parses one response from the front of `data`; nullopt when it is not complete yet.
std::optional<HttpReply> parse_reply(std::string& data, bool closed) {
  const std::size_t end = data.find("\r\n\r\n");
  if (end == std::string::npos) return std::nullopt;
  HttpReply r;
  std::istringstream head(data.substr(0, end));
  std::string line;
  std::getline(head, line);
  if (line.size() < 12) return std::nullopt;
  r.status = std::stoi(line.substr(9, 3));
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers[lower(line.substr(0, colon))] = value;
  }
  const std::size_t body_at = end + 4;
  const auto length = r.headers.find("content-length");
  if (length != r.headers.end()) {
    const std::size_t n = std::stoul(length->second);
    if (data.size() < body_at + n) return std::nullopt;
    r.body = data.substr(body_at, n);
    data.erase(0, body_at + n);
    return r;
  }
  if (!closed) return std::nullopt;
  r.body = data.substr(body_at);
  data.clear();
  return r;
}

}  // namespace

Connection Connection::tcp(uint16_t port, int receive_buffer) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (receive_buffer > 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return Connection(-1);
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return Connection(fd);
}

Connection Connection::unix_socket(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return Connection(-1);
  }
  return Connection(fd);
}

Connection::Connection(Connection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), pending_(std::move(other.pending_)) {}

Connection::~Connection() {
  if (fd_ >= 0) ::close(fd_);
}

bool Connection::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::string Connection::receive(std::chrono::milliseconds wait, const std::string& until) {
  const auto deadline = Clock::now() + wait;
  std::string got = std::move(pending_);
  pending_.clear();
  char buf[65536];
  while (until.empty() || got.find(until) == std::string::npos) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, remaining_ms(deadline)) <= 0) break;
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

bool Connection::closed_within(std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  char buf[4096];
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, remaining_ms(deadline)) <= 0) return false;
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return true;
  }
}

HttpReply Connection::request(const std::string& method, const std::string& target,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const std::string& body, std::chrono::milliseconds wait) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [name, value] : headers) req += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  if (!send(req)) return {};
  const auto deadline = Clock::now() + wait;
  std::string data = std::move(pending_);
  pending_.clear();
  char buf[65536];
  for (;;) {
    if (auto r = parse_reply(data, false)) {
      pending_ = std::move(data);
      return *r;
    }
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, remaining_ms(deadline)) <= 0) return {};
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      if (auto r = parse_reply(data, true)) return *r;
      return {};
    }
    data.append(buf, static_cast<std::size_t>(n));
  }
}

HttpReply http(uint16_t port, const std::string& method, const std::string& target,
               const std::vector<std::pair<std::string, std::string>>& headers,
               const std::string& body, std::chrono::milliseconds wait) {
  Connection c = Connection::tcp(port);
  if (!c.ok()) return {};
  return c.request(method, target, headers, body, wait);
}

Receiver::Receiver() {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 8) != 0) {
    throw std::runtime_error("the test receiver cannot listen");
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
}

Receiver::~Receiver() {
  ::close(fd_);
}

std::optional<std::string> Receiver::next(std::chrono::milliseconds wait) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return std::nullopt;
  const int client = ::accept(fd_, nullptr, nullptr);
  if (client < 0) return std::nullopt;
  const auto deadline = Clock::now() + wait;
  std::string data;
  char buf[65536];
  std::optional<std::string> body;
  for (;;) {
    const std::size_t end = data.find("\r\n\r\n");
    if (end != std::string::npos) {
      const std::string head = lower(data.substr(0, end));
      const std::size_t at = head.find("content-length:");
      const std::size_t n = at == std::string::npos ? 0 : std::stoul(head.substr(at + 15));
      if (data.size() >= end + 4 + n) {
        body = data.substr(end + 4, n);
        break;
      }
    }
    pollfd q{client, POLLIN, 0};
    if (::poll(&q, 1, remaining_ms(deadline)) <= 0) break;
    const ssize_t got = ::recv(client, buf, sizeof buf, 0);
    if (got <= 0) break;
    data.append(buf, static_cast<std::size_t>(got));
  }
  const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
  (void)::send(client, ok.data(), ok.size(), MSG_NOSIGNAL);
  ::close(client);
  return body;
}

ServerProcess::ServerProcess(const std::vector<std::string>& args,
                             const std::vector<std::string>& env, const std::string& cwd) {
  int out_pipe[2];
  if (::pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
  char name[] = "/tmp/vectimus-server-err-XXXXXX";
  const int err_fd = ::mkstemp(name);
  err_file_ = name;
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(out_pipe[1], 1);
    ::dup2(err_fd, 2);
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    ::close(err_fd);
    if (::chdir(cwd.c_str()) != 0) _exit(126);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (const std::string& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    ::execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_fd);
  out_ = out_pipe[0];
  // The first line on stdout says where it listens.
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  std::string got;
  char buf[4096];
  while (got.find('\n') == std::string::npos) {
    pollfd p{out_, POLLIN, 0};
    if (::poll(&p, 1, remaining_ms(deadline)) <= 0) break;
    const ssize_t n = ::read(out_, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  const std::size_t nl = got.find('\n');
  if (nl == std::string::npos) return;
  listening_ = got.substr(0, nl);
  const std::size_t colon = listening_.rfind(':');
  if (listening_.find("http") != std::string::npos && colon != std::string::npos) {
    port_ = static_cast<uint16_t>(std::stoi(listening_.substr(colon + 1)));
  }
}

int ServerProcess::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  int status = 0;
  while (Clock::now() < deadline) {
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    ::usleep(10'000);
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop();
  if (out_ >= 0) ::close(out_);
  ::unlink(err_file_.c_str());
}

std::string ServerProcess::stderr_text() const {
  std::ifstream in(err_file_);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace vectimus::testing
