#include "tests/cli/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <cstdlib>
#include <regex>
#include <stdexcept>

namespace vectimus::testing {

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input,
                          const ProcessOptions& options, bool inherit_env);

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input) {
  return run_process(argv, input, ProcessOptions{{}, {}}, true);
}

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input,
                          const ProcessOptions& options) {
  return run_process(argv, input, options, false);
}

// With VECTIMUS_TEST_NO_INDEX set (tests/cli/CMakeLists.txt registers every test a second
// time so), `vectimus hook|test|eval` runs with `--no-index`: the same expected outputs must hold
// when every rule is evaluated instead of the rule index's candidates.
static std::vector<std::string> with_index_choice(std::vector<std::string> argv) {
  if (std::getenv("VECTIMUS_TEST_NO_INDEX") != nullptr && argv.size() > 1 &&
      (argv[1] == "hook" || argv[1] == "test" || argv[1] == "eval")) {
    argv.insert(argv.begin() + 2, "--no-index");
  }
  return argv;
}

ProcessResult run_process(const std::vector<std::string>& original, const std::string& input,
                          const ProcessOptions& options, bool inherit_env) {
  const std::vector<std::string> argv = with_index_choice(original);
  std::signal(SIGPIPE, SIG_IGN);  // a child that exits early must not kill the test
  int in_pipe[2];
  int out_pipe[2];
  int err_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
    throw std::runtime_error("pipe failed");
  }
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
      close(fd);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(126);
    if (inherit_env) {
      execv(args[0], args.data());
    } else {
      std::vector<char*> env;
      for (const std::string& e : options.env) env.push_back(const_cast<char*>(e.c_str()));
      env.push_back(nullptr);
      execve(args[0], args.data(), env.data());
    }
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);

  ProcessResult result;
  size_t written = 0;
  bool in_open = true;
  if (input.empty()) {
    close(in_pipe[1]);
    in_open = false;
  }
  std::array<pollfd, 3> fds{pollfd{out_pipe[0], POLLIN, 0}, pollfd{err_pipe[0], POLLIN, 0},
                            pollfd{in_pipe[1], POLLOUT, 0}};
  int open_outputs = 2;
  char buf[65536];
  while (open_outputs > 0 || in_open) {
    const nfds_t n = in_open ? 3 : 2;
    if (poll(fds.data(), n, -1) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP)) == 0) continue;
      const ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_outputs;
      } else {
        (i == 0 ? result.out : result.err).append(buf, static_cast<size_t>(got));
      }
    }
    if (in_open && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      const ssize_t put = write(in_pipe[1], input.data() + written, input.size() - written);
      if (put > 0) written += static_cast<size_t>(put);
      if (put < 0 || written == input.size()) {
        close(in_pipe[1]);
        in_open = false;
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string without_receipt_ids(std::string text) {
  static const std::regex kCitation(R"( \(receipt vtms-[0-9a-f-]{36}\))");
  return std::regex_replace(text, kCitation, "");
}

}  // namespace vectimus::testing
