#include "engine/host.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace vectimus::engine {
namespace {

class RealFileSystem final : public FileSystem {
 public:
  FileRead read(const std::string& path, std::size_t max_bytes) const override {
    FileRead out;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT || errno == ENOTDIR) return out;  // missing
      out.status = FileRead::Status::error;
      out.error = std::strerror(errno);
      return out;
    }
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      ::close(fd);
      out.status = FileRead::Status::error;
      out.error = "is a directory";
      return out;
    }
    // Read one byte past the limit to tell "exactly the limit" from "over it".
    out.text.resize(std::min<std::size_t>(max_bytes + 1, st.st_size > 0 ? st.st_size + 1 : 4096));
    std::size_t used = 0;
    for (;;) {
      if (used == out.text.size()) {
        if (used > max_bytes) break;
        out.text.resize(std::min(max_bytes + 1, out.text.size() * 2));
      }
      const ssize_t got = ::read(fd, out.text.data() + used, out.text.size() - used);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) {
        ::close(fd);
        out.status = FileRead::Status::error;
        out.error = std::strerror(errno);
        out.text.clear();
        return out;
      }
      if (got == 0) break;
      used += static_cast<std::size_t>(got);
    }
    ::close(fd);
    out.text.resize(used);
    if (used > max_bytes) {
      out.text.resize(max_bytes);
      out.status = FileRead::Status::too_large;
    } else {
      out.status = FileRead::Status::ok;
    }
    return out;
  }

  bool is_directory(const std::string& path) const override {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  }

  bool exists(const std::string& path) const override {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
  }

  std::vector<std::string> list(const std::string& dir, bool directories) const override {
    std::vector<std::string> names;
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return names;
    while (const dirent* entry = ::readdir(d)) {
      const std::string name = entry->d_name;
      if (name == "." || name == "..") continue;
      if (is_directory(join_path(dir, name)) == directories) names.push_back(name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
  }
};

class ProcessEnvironment final : public Environment {
 public:
  std::optional<std::string> get(std::string_view name) const override {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  }
};

// `git -C DIR config user.email`, stdout captured, stderr discarded.
std::optional<std::string> run_git_email(const std::string& dir) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return std::nullopt;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  std::string d = dir;
  char arg0[] = "git";
  char arg1[] = "-C";
  char arg3[] = "config";
  char arg4[] = "user.email";
  char* argv[] = {arg0, arg1, d.data(), arg3, arg4, nullptr};
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, "git", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  std::string out;
  if (rc == 0) {
    char buf[512];
    ssize_t got = 0;
    while ((got = ::read(pipe_fds[0], buf, sizeof buf)) != 0) {
      if (got < 0 && errno == EINTR) continue;
      if (got < 0 || out.size() > 4096) break;
      out.append(buf, static_cast<std::size_t>(got));
    }
  }
  ::close(pipe_fds[0]);
  if (rc != 0) return std::nullopt;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' ')) {
    out.pop_back();
  }
  if (out.empty()) return std::nullopt;
  return out;
}

// In the static binary (cmake/simdjson.cmake) getpwuid loads the system's NSS modules at run
// time, hence the linker's warning; if they cannot be loaded it returns null and $USER stands in.
std::string os_user_name() {
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  if (const char* user = std::getenv("USER")) return user;
  return {};
}

}  // namespace

std::optional<std::string> MapEnvironment::get(std::string_view name) const {
  const auto it = vars_.find(name);
  if (it == vars_.end()) return std::nullopt;
  return it->second;
}

const FileSystem& real_file_system() {
  static const RealFileSystem fs;
  return fs;
}

const Environment& real_environment() {
  static const ProcessEnvironment env;
  return env;
}

Host real_host() {
  Host host;
  host.fs = &real_file_system();
  host.env = &real_environment();
  char buf[4096];
  if (::getcwd(buf, sizeof buf) != nullptr) host.cwd = buf;
  host.git_email = run_git_email;
  host.os_user = os_user_name;
  return host;
}

std::string join_path(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (!out.empty() && out.back() != '/') out += '/';
  out += name;
  return out;
}

}  // namespace vectimus::engine
