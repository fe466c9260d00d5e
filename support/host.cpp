#include "support/host.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace vectimus {
namespace {

IoStatus failed(std::string_view what, const std::string& path) {
  return IoStatus{std::string(what) + " `" + path + "`: " + std::strerror(errno)};
}

// Writes all of `bytes` (at `offset` when given, else at the descriptor's position), retrying
// short writes and EINTR. False with errno set on failure.
bool write_all(int fd, std::string_view bytes, std::optional<uint64_t> offset = std::nullopt) {
  while (!bytes.empty()) {
    const ssize_t put = offset
                            ? ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(*offset))
                            : ::write(fd, bytes.data(), bytes.size());
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) {
      if (put == 0) errno = EIO;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(put));
    if (offset) *offset += static_cast<uint64_t>(put);
  }
  return true;
}

// flock(2) that retries when a signal interrupts the wait.
bool lock_fd(int fd) {
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) return false;
  }
  return true;
}

std::string parent_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

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

  std::optional<uint64_t> size(const std::string& path) const override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    return static_cast<uint64_t>(st.st_size);
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

  IoStatus append(const std::string& path, std::string_view bytes, unsigned mode,
                  bool durable) const override {
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode);
    if (fd < 0) return failed("cannot open", path);
    IoStatus status;
    // One write(2) on an O_APPEND descriptor lands whole at the end for regular files; the lock
    // keeps readers that lock (and writers on file systems that split large writes) in step.
    if (!lock_fd(fd)) {
      status = failed("cannot lock", path);
    } else if (!write_all(fd, bytes)) {
      status = failed("cannot append to", path);
    } else if (durable && ::fsync(fd) != 0) {
      status = failed("cannot flush", path);
    }
    ::close(fd);
    return status;
  }

  IoStatus replace(const std::string& path, std::string_view bytes, unsigned mode,
                   bool durable) const override {
    // The temporary file is in the same folder, so rename(2) is atomic; its name is unique to
    // this process, so concurrent replacers do not write into each other's temporary file.
    const std::string temp = path + ".tmp." + std::to_string(::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return failed("cannot create", temp);
    IoStatus status;
    if (::fchmod(fd, mode) != 0) {
      status = failed("cannot set the mode of", temp);
    } else if (!write_all(fd, bytes)) {
      status = failed("cannot write", temp);
    } else if (durable && ::fsync(fd) != 0) {
      status = failed("cannot flush", temp);
    }
    if (::close(fd) != 0 && status.ok()) status = failed("cannot close", temp);
    if (status.ok() && ::rename(temp.c_str(), path.c_str()) != 0) {
      status = failed("cannot rename into", path);
    }
    if (!status.ok()) ::unlink(temp.c_str());
    return status;
  }

  IoStatus write_at(const std::string& path, std::string_view bytes, uint64_t offset, unsigned mode,
                    bool durable) const override {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, mode);
    if (fd < 0) return failed("cannot open", path);
    IoStatus status;
    if (!write_all(fd, bytes, offset)) status = failed("cannot write", path);
    if (status.ok() && durable && ::fdatasync(fd) != 0) status = failed("cannot flush", path);
    ::close(fd);
    return status;
  }

  IoStatus make_directories(const std::string& path, unsigned mode) const override {
    if (path.empty() || is_directory(path)) return {};
    const std::string parent = parent_of(path);
    if (parent != path) {
      if (IoStatus up = make_directories(parent, mode); !up.ok()) return up;
    }
    if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
      return failed("cannot create the folder", path);
    }
    return {};
  }

  IoStatus set_mode(const std::string& path, unsigned mode) const override {
    if (::chmod(path.c_str(), mode) != 0) return failed("cannot set the mode of", path);
    return {};
  }

  IoStatus remove(const std::string& path) const override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return failed("cannot remove", path);
    return {};
  }

  IoStatus rename(const std::string& from, const std::string& to) const override {
    if (::rename(from.c_str(), to.c_str()) != 0)
      return failed("cannot rename `" + from + "` to", to);
    return {};
  }

  Result<FileLock> lock(const std::string& path, unsigned mode) const override {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, mode);
    if (fd < 0) return make_error("io", failed("cannot open the lock file", path).error);
    if (!lock_fd(fd)) {
      const IoStatus why = failed("cannot lock", path);
      ::close(fd);
      return make_error("io", why.error);
    }
    return FileLock(fd);
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
// Looked up once per process: the user does not change while it runs, and getpwuid's result
// lives in a static buffer, so the server's threads must not call it at once (and each call
// reads the password database again).
std::string os_user_name() {
  static const std::string name = [] {
    if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr) {
      return std::string(pw->pw_name);
    }
    const char* user = std::getenv("USER");
    return std::string(user != nullptr ? user : "");
  }();
  return name;
}

}  // namespace

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

// Closing the descriptor releases the flock.
FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);
}

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
  host.now_ns = [] {
    return static_cast<int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count());
  };
  return host;
}

std::string join_path(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (!out.empty() && out.back() != '/') out += '/';
  out += name;
  return out;
}

}  // namespace vectimus
