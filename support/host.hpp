// The program's view of the machine: files (read, and the writes evidence and setup need:
// append, atomic replace, folders, modes, advisory locks), environment variables, the clock,
// the process's own folder and the two identity look-ups (git, the OS user). Everything the
// engine and the pipeline learn from or leave on the machine goes through a Host, so tests can
// point it at temp dirs, a map of variables and a fixed clock.
//
// The hook runs before every tool call, so each method is one system call or close to it:
// read() of a missing file is one failed open, never a stat followed by an open.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/result.hpp"

namespace vectimus {

// The outcome of a write: ok, or the reason, e.g. "cannot append to `x`: No space left on device".
struct IoStatus {
  std::string error;
  bool ok() const { return error.empty(); }
};

// A held advisory lock; released (and its descriptor closed) on destruction.
class FileLock {
 public:
  FileLock() = default;
  explicit FileLock(int fd) : fd_(fd) {}
  FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

struct FileRead {
  enum class Status : uint8_t { ok, missing, too_large, error };
  Status status = Status::missing;
  std::string text;   // ok: the whole file; too_large: the first max_bytes bytes
  std::string error;  // error: why, e.g. "permission denied"
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Reads at most `max_bytes`; a longer file is `too_large`.
  virtual FileRead read(const std::string& path, std::size_t max_bytes) const = 0;
  virtual bool is_directory(const std::string& path) const = 0;
  virtual bool exists(const std::string& path) const = 0;
  // The size in bytes of a regular file; nullopt when it does not exist or cannot be read.
  virtual std::optional<uint64_t> size(const std::string& path) const = 0;
  // Names (not paths) of the entries of `dir`, sorted bytewise; empty when it cannot be listed.
  virtual std::vector<std::string> list(const std::string& dir, bool directories) const = 0;

  // Writers. Each returns an IoStatus naming the path and the system's reason on failure.
  // Appends `bytes` with one write(2) on an O_APPEND descriptor while holding an exclusive
  // advisory lock on the file, so concurrent appenders never interleave; creates the file with
  // `mode` when missing. `durable`: fsync before returning.
  virtual IoStatus append(const std::string& path, std::string_view bytes, unsigned mode,
                          bool durable) const = 0;
  // Replaces `path` whole or not at all: writes a temporary file beside it, flushes it to disk
  // (unless not `durable`), then renames it over `path`. A reader sees the old or the new
  // content, never a mix; a crash of the machine (not of the process) may lose a replace that
  // was not durable.
  virtual IoStatus replace(const std::string& path, std::string_view bytes, unsigned mode,
                           bool durable = true) const = 0;
  // Writes `bytes` at `offset` of `path` in place (created with `mode` when missing), with no
  // lock, temporary file or rename: for files whose format survives a write cut short (the
  // receipt log's two-slot state). `durable`: fdatasync before returning.
  virtual IoStatus write_at(const std::string& path, std::string_view bytes, uint64_t offset,
                            unsigned mode, bool durable) const = 0;
  // Creates `path` and its missing parents with `mode` (existing folders keep theirs).
  virtual IoStatus make_directories(const std::string& path, unsigned mode) const = 0;
  virtual IoStatus set_mode(const std::string& path, unsigned mode) const = 0;
  virtual IoStatus remove(const std::string& path) const = 0;
  // Renames `from` to `to` atomically (same file system); replaces `to`.
  virtual IoStatus rename(const std::string& from, const std::string& to) const = 0;
  // An exclusive advisory lock (flock) on `path`, created with `mode` if missing, held until
  // the FileLock is destroyed. Blocks while another process holds it.
  virtual Result<FileLock> lock(const std::string& path, unsigned mode) const = 0;
};

class Environment {
 public:
  virtual ~Environment() = default;
  virtual std::optional<std::string> get(std::string_view name) const = 0;
};

// Variables from a map (tests) or the process (real_environment()).
class MapEnvironment final : public Environment {
 public:
  MapEnvironment() = default;
  explicit MapEnvironment(std::map<std::string, std::string, std::less<>> vars)
      : vars_(std::move(vars)) {}
  std::optional<std::string> get(std::string_view name) const override;
  void set(std::string name, std::string value) { vars_[std::move(name)] = std::move(value); }

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

struct Host {
  const FileSystem* fs = nullptr;
  const Environment* env = nullptr;
  std::string cwd;  // the process's working folder (for `./vectimus.toml`)
  // `git config user.email` run in `dir`; nullopt when git fails or prints nothing.
  std::function<std::optional<std::string>(const std::string& dir)> git_email;
  // The OS user name; empty when unknown.
  std::function<std::string()> os_user;
  // The wall clock, as nanoseconds since the Unix epoch (UTC).
  std::function<int64_t()> now_ns;
};

const FileSystem& real_file_system();
const Environment& real_environment();
// The real machine: the process's cwd, git as a child process, getpwuid for the user, the
// system clock.
Host real_host();

// Joins two path parts with one `/`.
std::string join_path(std::string_view dir, std::string_view name);

}  // namespace vectimus
