#include "tests/client/peer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/cli/process.hpp"

namespace vectimus::testing {

Peer::Peer(const std::vector<std::string>& args) {
  std::signal(SIGPIPE, SIG_IGN);
  int out[2];
  if (::pipe(out) != 0) return;
  std::vector<std::string> argv{"/usr/bin/env", "node",
                                std::string(VECTIMUS_SOURCE_DIR) + "/tests/client/peer.js"};
  for (const std::string& a : args) {
    argv.push_back(a);
    tls_ = tls_ || a == "--tls";
  }
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    ::close(out[1]);
    std::vector<char*> raw;
    for (const std::string& a : argv) raw.push_back(const_cast<char*>(a.c_str()));
    raw.push_back(nullptr);
    ::execv(raw[0], raw.data());
    ::_exit(127);
  }
  ::close(out[1]);
  // Its first line, within 10 s: `listening <port>`.
  std::string line;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < until) {
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    char buf[128];
    const ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    line.append(buf, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  if (line.rfind("listening ", 0) == 0) port_ = std::atoi(line.c_str() + 10);
}

Peer::~Peer() {
  stop();
}

void Peer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string Peer::url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

std::string make_temp_dir(const std::string& tag) {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base ? base : "/tmp") + "/vectimus-" + tag + "-XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) return {};
  return templ;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

bool make_test_pki(const std::string& dir) {
  const auto openssl = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "/usr/bin/openssl");
    return run_process(args, "").exit_code == 0;
  };
  const std::vector<std::string> ec{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                    "-nodes"};
  const auto with = [](std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  if (!openssl(with({"req", "-x509"}, with(ec, {"-keyout", dir + "/ca.key", "-out", dir + "/ca.pem",
                                                "-days", "2", "-subj", "/CN=vectimus test CA",
                                                "-addext", "basicConstraints=critical,CA:TRUE",
                                                "-addext", "keyUsage=critical,keyCertSign"})))) {
    return false;
  }
  for (const auto& [name, san] :
       {std::pair<std::string, std::string>{"server", "DNS:localhost,IP:127.0.0.1"},
        {"wrong", "DNS:wrong.example"}}) {
    write_text(dir + "/" + name + ".ext", "subjectAltName=" + san + "\n");
    if (!openssl(with({"req"}, with(ec, {"-keyout", dir + "/" + name + ".key", "-out",
                                         dir + "/" + name + ".csr", "-subj", "/CN=" + name})))) {
      return false;
    }
    if (!openssl({"x509", "-req", "-in", dir + "/" + name + ".csr", "-CA", dir + "/ca.pem",
                  "-CAkey", dir + "/ca.key", "-CAcreateserial", "-out", dir + "/" + name + ".pem",
                  "-days", "2", "-extfile", dir + "/" + name + ".ext"})) {
      return false;
    }
  }
  return true;
}

int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return 0;
  }
  ::close(fd);  // never listened: a connection to it is refused
  return ntohs(addr.sin_port);
}

}  // namespace vectimus::testing
