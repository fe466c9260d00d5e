// A real rsyslogd (Debian package `rsyslog`) for the syslog export tests, run unprivileged from a
// temp folder: its own work folder and pid file, no /dev/log, listening on 127.0.0.1 only (UDP,
// TCP) and on a unix datagram socket in the folder, storing every message it receives as one
// line of fields in a file the test reads back. The destructor stops it, even after a failed
// check.
//
// rsyslog stores messages as it received them except that it writes control characters as
// `#ooo` (a newline is `#012`) and drops one trailing newline (its defaults); Stored::text()
// undoes the first, the test accounts for the second.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/temp_tree.hpp"

namespace vectimus::testing {

// One message as rsyslog parsed it (RFC 5424 fields).
struct Stored {
  std::string input;  // imudp, imtcp or imuxsock
  std::string msgid, facility, severity, app, procid, hostname, structured_data, msg;
  // The message with rsyslog's `#012` turned back into newlines.
  std::string text() const {
    std::string out = msg;
    for (std::size_t at = out.find("#012"); at != std::string::npos; at = out.find("#012", at)) {
      out.replace(at, 4, "\n");
    }
    return out;
  }
};

class Rsyslog {
 public:
  static constexpr const char* kBinary = "/usr/sbin/rsyslogd";
  static bool installed() { return ::access(kBinary, X_OK) == 0; }

  explicit Rsyslog(const TempTree& t) : dir_(t.mkdir("rsyslog")) {
    // The UDP port is free when picked but may be taken (by a test running beside this one)
    // before rsyslogd binds it; then rsyslogd exits, and a new port is tried, three times.
    for (int attempt = 0; attempt < 3; ++attempt) {
      udp_port_ = free_udp_port();
      tcp_port_ = 0;
      problem_.clear();
      std::filesystem::remove(dir_ + "/tcp-port");
      std::filesystem::remove(dir_ + "/log.sock");
      const std::string conf = write_conf();
      pid_ = ::fork();
      if (pid_ == 0) {
        const std::string log = dir_ + "/rsyslogd.log";
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        const std::string pid_file = dir_ + "/rsyslogd.pid";
        ::execl(kBinary, kBinary, "-n", "-f", conf.c_str(), "-i", pid_file.c_str(), nullptr);
        ::_exit(127);
      }
      wait_until_listening();
      if (pid_ > 0) break;  // listening, or running but deaf: that is a problem to report
    }
  }
  ~Rsyslog() { stop(); }
  Rsyslog(const Rsyslog&) = delete;
  Rsyslog& operator=(const Rsyslog&) = delete;

  // Empty when rsyslogd listens on all three inputs; else why not, with its own output.
  const std::string& problem() const { return problem_; }
  std::string udp() const { return "udp://127.0.0.1:" + std::to_string(udp_port_); }
  std::string tcp() const { return "tcp://127.0.0.1:" + std::to_string(tcp_port_); }
  std::string unix_socket() const { return "unix://" + dir_ + "/log.sock"; }

  // Every message stored so far, but the readiness probes.
  std::vector<Stored> stored() const {
    std::vector<Stored> out;
    std::ifstream in(dir_ + "/messages");
    for (std::string line; std::getline(in, line);) {
      Stored s;
      std::string* fields[] = {&s.input, &s.msgid,  &s.facility, &s.severity,
                               &s.app,   &s.procid, &s.hostname, &s.structured_data};
      std::size_t start = 0;
      for (std::string* field : fields) {
        const std::size_t bar = line.find('|', start);
        if (bar == std::string::npos) break;
        *field = line.substr(start, bar - start);
        start = bar + 1;
      }
      s.msg = line.substr(start);
      if (s.msgid != "probe") out.push_back(std::move(s));
    }
    return out;
  }

  // Waits (up to 10 s) until `count` messages are stored; returns what is stored then.
  std::vector<Stored> wait_for(std::size_t count) const {
    std::vector<Stored> now = stored();
    for (int i = 0; i < 200 && now.size() < count; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      now = stored();
    }
    return now;
  }

 private:
  // A UDP port free now (imudp cannot listen on port 0 and say which port it got).
  static int free_udp_port() {
    const int s = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(s);
    return ntohs(a.sin_port);
  }

  std::string write_conf() const {
    std::ostringstream c;
    // Records are bigger than the default 8 KiB limit; the limit must come before the inputs.
    c << "global(workDirectory=\"" << dir_ << "\" maxMessageSize=\"256k\")\n"
      << "module(load=\"imuxsock\" SysSock.Use=\"off\")\n"
      << "module(load=\"imudp\")\nmodule(load=\"imtcp\")\n"
      << "template(name=\"fields\" type=\"string\" string=\"%inputname%|%msgid%|"
         "%syslogfacility%|%syslogseverity%|%app-name%|%procid%|%hostname%|"
         "%structured-data%|%msg%\\n\")\n"
      << "input(type=\"imudp\" address=\"127.0.0.1\" port=\"" << udp_port_ << "\")\n"
      << "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\" listenPortFileName=\"" << dir_
      << "/tcp-port\")\n"
      // The RFC 5424 parser rather than imuxsock's own, which reads only the old format.
      << "input(type=\"imuxsock\" socket=\"" << dir_
      << "/log.sock\" useSpecialParser=\"off\" parseHostname=\"on\")\n"
      << "action(type=\"omfile\" file=\"" << dir_ << "/messages\" template=\"fields\")\n";
    const std::string path = dir_ + "/rsyslog.conf";
    std::ofstream(path) << c.str();
    return path;
  }

  // Up to 10 s: the TCP port file and the socket appear, then a UDP probe comes through.
  void wait_until_listening() {
    namespace fs = std::filesystem;
    const int probe = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(static_cast<uint16_t>(udp_port_));
    const std::string hello = "<13>1 - - probe - probe - ready";
    for (int i = 0; i < 200; ++i) {
      if (tcp_port_ == 0 && fs::exists(dir_ + "/tcp-port")) {
        std::ifstream(dir_ + "/tcp-port") >> tcp_port_;
      }
      if (tcp_port_ != 0 && fs::exists(dir_ + "/log.sock")) {
        ::sendto(probe, hello.data(), hello.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
        std::ifstream in(dir_ + "/messages");
        const std::string seen((std::istreambuf_iterator<char>(in)), {});
        if (seen.find("imudp|probe|") != std::string::npos) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (int status = 0; ::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
    }
    ::close(probe);
    std::ifstream in(dir_ + "/messages");
    const std::string seen((std::istreambuf_iterator<char>(in)), {});
    if (seen.find("imudp|probe|") == std::string::npos) {
      std::ifstream log(dir_ + "/rsyslogd.log");
      problem_ = std::string(pid_ < 0 ? "rsyslogd exited" : "rsyslogd did not listen") +
                 " (udp port " + std::to_string(udp_port_) + ", tcp port " +
                 std::to_string(tcp_port_) + "); it said:\n" +
                 std::string((std::istreambuf_iterator<char>(log)), {});
    }
  }

  // SIGTERM, then up to 5 s for it to exit, then SIGKILL.
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 500; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }

  std::string dir_;
  int udp_port_ = 0;
  int tcp_port_ = 0;
  pid_t pid_ = -1;
  std::string problem_;
};

// The line a test prints instead of running when rsyslogd is missing; ctest reports the test as
// skipped when its output has it (cmake/vectimus_test.cmake).
inline constexpr const char* kSkipNoRsyslog =
    "SKIPPED: rsyslogd is not installed (/usr/sbin/rsyslogd, Debian package rsyslog; .ci/deps "
    "installs it)";

}  // namespace vectimus::testing
