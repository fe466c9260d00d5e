// The only "program" inside the bash agreement sandbox (see bash_sandbox.sh). Every name on the
// sandbox's PATH is a hard link to this binary: it appends what it was started with to
// /rec/log and then either exits 0 (the program is not really run) or execs the real program
// saved under /.real when running it is harmless and its effect matters to bash (launchers such as
// `env` or `timeout` that start the next program through PATH, shells that run a body, and
// filters such as `base64 -d` whose output is piped into a shell).
//
// Record: "x" NUL name NUL pid NUL argc NUL argv[0] NUL ... argv[argc-1] NUL, written with one
// write() on an O_APPEND descriptor so that concurrent pipeline stages do not interleave.
// `name` is the link the kernel executed (from /proc/self/exe, so `exec -a other rm` still
// records "rm"); argv is exactly what bash passed.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace {

std::string exe_name() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "?";
  std::string path(buf, static_cast<std::size_t>(n));
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void add(std::string& out, const std::string& field) {
  out += field;
  out.push_back('\0');
}

}  // namespace

int main(int argc, char** argv) {
  const std::string name = exe_name();
  std::string rec;
  add(rec, "x");
  add(rec, name);
  add(rec, std::to_string(getpid()));
  add(rec, std::to_string(argc));
  for (int i = 0; i < argc; ++i) add(rec, argv[i]);
  int fd = open("/rec/log", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd >= 0) {
    const char* p = rec.data();
    std::size_t left = rec.size();
    while (left > 0) {
      ssize_t w = write(fd, p, left);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) break;
      p += w;
      left -= static_cast<std::size_t>(w);
    }
    close(fd);
  }

  // Run the real program when the sandbox provides one under this name.
  std::string real = "/.real/" + name;
  // Every POSIX shell name is run as bash: the analyser models them as one shell, and this test
  // checks agreement with bash. argv[0] becomes "bash" so that bash does not enter POSIX mode
  // (which would skip BASH_ENV, where the sandbox's builtin recorders are defined).
  if (name == "sh" || name == "dash") real = "/.real/bash";
  if (access(real.c_str(), X_OK) != 0) return 0;
  std::vector<char*> args(argv, argv + argc);
  std::string bash0 = "bash";
  if (real == "/.real/bash" && !args.empty()) args[0] = bash0.data();
  args.push_back(nullptr);
  execv(real.c_str(), args.data());
  return 127;
}
