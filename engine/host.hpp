// The engine's view of the machine: files, environment variables, the process's own folder and
// the two identity look-ups (git, the OS user). Everything the engine learns from outside goes
// through a Host, so tests can point it at temp dirs and a map of variables.
//
// The hook runs before every tool call, so each method is one system call or close to it:
// read() of a missing file is one failed open, never a stat followed by an open.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vectimus::engine {

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
  // Names (not paths) of the entries of `dir`, sorted bytewise; empty when it cannot be listed.
  virtual std::vector<std::string> list(const std::string& dir, bool directories) const = 0;
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
};

const FileSystem& real_file_system();
const Environment& real_environment();
// The real machine: the process's cwd, git as a child process, getpwuid for the user.
Host real_host();

// Joins two path parts with one `/`.
std::string join_path(std::string_view dir, std::string_view name);

}  // namespace vectimus::engine
