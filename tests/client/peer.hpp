// The scripted peer (peer.js) as a child process of a test: started with its arguments, its
// port read from its first line, stopped (SIGTERM, then waited for) when the object goes. Also
// the test CA and certificates, made with the openssl command in a temporary folder.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace vectimus::testing {

class Peer {
 public:
  // Starts `node peer.js args...`; `port()` is 0 when it did not come up within 10 s.
  explicit Peer(const std::vector<std::string>& args);
  ~Peer();
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;
  int port() const { return port_; }
  std::string url() const;  // http(s)://127.0.0.1:<port>
  void stop();

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  bool tls_ = false;
};

// A fresh temporary folder (under TMPDIR), removed by nobody: tests keep theirs small.
std::string make_temp_dir(const std::string& tag);

// A test CA and two server certificates it signed, in `dir`: `ca.pem`; `server.pem` and
// `server.key` for 127.0.0.1 and localhost; `wrong.pem` and `wrong.key` for wrong.example only.
// Returns false when the openssl command failed.
bool make_test_pki(const std::string& dir);

// A TCP port on 127.0.0.1 that nothing listens on (bound, read back, closed).
int closed_port();

std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);

}  // namespace vectimus::testing
