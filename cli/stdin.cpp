#include "cli/stdin.hpp"

#include <unistd.h>

#include <cerrno>

namespace vectimus::cli {

std::string read_all_stdin(std::size_t cap) {
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t got = ::read(0, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    if (out.size() < cap) out.append(buf, static_cast<std::size_t>(got));
  }
  return out;
}

}  // namespace vectimus::cli
