#include "engine/content.hpp"

#include <algorithm>
#include <array>

#include "normalise/classify.hpp"
#include "normalise/path.hpp"

namespace vectimus::engine {
namespace {

constexpr std::array<std::string_view, 13> kInterpreters = {
    "bash", "sh",   "zsh",  "dash", "ksh",    "python", "python3",
    "node", "ruby", "perl", "deno", "source", "."};

// The basename of a program word, so `/usr/bin/python3` is `python3`.
std::string_view base_name(std::string_view program) {
  const std::size_t slash = program.find_last_of('/');
  return slash == std::string_view::npos ? program : program.substr(slash + 1);
}

// The script argument of an interpreter call, or empty when the code is given inline
// (`bash -c`, `python -c`/`-m`, `node -e`) or read from stdin (`-`).
std::string script_argument(const std::vector<std::string>& argv) {
  const std::string_view program = argv[0];
  const bool shell = program == "bash" || program == "sh" || program == "zsh" ||
                     program == "dash" || program == "ksh";
  const bool python = program == "python" || program == "python3";
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg == "-") return {};
    if (arg == "-c" && (shell || python)) return {};
    if (arg == "-m" && python) return {};
    if ((arg == "-e" || arg == "-p" || arg == "--eval") && !shell && !python) return {};
    if (arg == "--") return i + 1 < argv.size() ? argv[i + 1] : std::string();
    if (!arg.empty() && arg.front() == '-') continue;
    if (program == "deno" && arg == "run") continue;
    return arg;
  }
  return {};
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A program given as a path is a script when it is relative (`./run.sh`, `scripts/x`) or has a
// script's extension; `/bin/rm` is a binary, not something to read line by line.
bool runs_as_script(std::string_view program) {
  if (program.find('/') == std::string_view::npos) return false;
  if (program.front() != '/' && program.front() != '~') return true;
  for (std::string_view ext : {".sh", ".bash", ".zsh", ".py", ".js", ".mjs", ".rb", ".pl"}) {
    if (ends_with(program, ext)) return true;
  }
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<std::string> scripts_run_by(std::string_view command_line, std::string_view cwd) {
  std::vector<std::string> out;
  for (const std::vector<std::string>& argv : normalise::split_simple_commands(command_line)) {
    if (argv.empty()) continue;
    std::string script;
    const std::string_view program = base_name(argv[0]);
    if (std::find(kInterpreters.begin(), kInterpreters.end(), program) != kInterpreters.end()) {
      std::vector<std::string> args = argv;
      args[0] = std::string(program);
      script = script_argument(args);
    } else if (runs_as_script(argv[0])) {
      script = argv[0];
    }
    if (script.empty()) continue;
    std::string path = normalise::normalise_path(script, cwd);
    if (std::find(out.begin(), out.end(), path) == out.end()) out.push_back(std::move(path));
  }
  return out;
}

std::vector<ContentLine> command_lines(std::string_view content) {
  std::vector<ContentLine> out;
  uint32_t number = 0;
  std::size_t start = 0;
  while (start < content.size()) {
    std::size_t end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    ++number;
    const std::string_view line = trim(content.substr(start, end - start));
    if (!line.empty() && line.front() != '#') out.push_back(ContentLine{number, line});
    start = end + 1;
  }
  return out;
}

bool is_shell_script(std::string_view path, std::string_view content) {
  for (const std::string_view ext : {".sh", ".bash", ".zsh", ".ksh", ".command"}) {
    if (path.size() > ext.size() && path.substr(path.size() - ext.size()) == ext) return true;
  }
  if (content.rfind("#!", 0) != 0) return false;
  const std::string_view shebang = content.substr(0, content.find('\n'));
  for (const std::string_view shell : {"sh", "bash", "zsh", "dash", "ksh"}) {
    // The interpreter is the last path segment of the first word, or the word after `env`.
    for (size_t at = shebang.find(shell); at != std::string_view::npos;
         at = shebang.find(shell, at + 1)) {
      const bool starts = at > 0 && (shebang[at - 1] == '/' || shebang[at - 1] == ' ');
      const size_t end = at + shell.size();
      const bool ends = end == shebang.size() || shebang[end] == ' ' || shebang[end] == '\r';
      if (starts && ends) return true;
    }
  }
  return false;
}

}  // namespace vectimus::engine
