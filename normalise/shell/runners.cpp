// Programs that run command lines they were handed some other way than `sh -c`: options and
// environment variables that hold a command (programs.hpp, option_commands and
// assignment_command), interpreter code that calls a shell (embedded.hpp), `at`/`batch` and
// `crontab` fed text on stdin; and the fact that a command runs a file a downloader wrote earlier
// in the same line. See analyser.hpp.
#include <algorithm>

#include "normalise/shell/analyser.hpp"
#include "normalise/shell/embedded.hpp"
#include "normalise/shell/programs.hpp"

namespace vectimus::shell {
namespace {

// The command of each crontab line: blank lines, comments and `NAME=value` lines skipped, the
// five time fields (or one `@reboot`-style word) removed.
std::string crontab_commands(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    std::size_t i = line.find_first_not_of(" \t");
    if (i == std::string_view::npos || line[i] == '#') continue;
    std::size_t eq = line.find('='), sp = line.find_first_of(" \t", i);
    if (eq != std::string_view::npos && (sp == std::string_view::npos || eq < sp)) continue;
    int fields = line[i] == '@' ? 1 : 5;
    for (int f = 0; f < fields && i != std::string_view::npos; ++f) {
      i = line.find_first_of(" \t", i);
      if (i != std::string_view::npos) i = line.find_first_not_of(" \t", i);
    }
    if (i == std::string_view::npos) continue;
    out.append(line.substr(i));
    out.push_back('\n');
  }
  return out;
}

std::string strip_dot(std::string_view path) {
  while (path.size() > 2 && path.substr(0, 2) == "./") path.remove_prefix(2);
  return std::string(path);
}

// The last path segment of a URL: what `curl -O` and `wget` name the file.
std::string url_file(std::string_view url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  url.remove_prefix(scheme + 3);
  url = url.substr(0, url.find_first_of("?#"));
  std::size_t slash = url.rfind('/');
  if (slash == std::string_view::npos) return "";
  return std::string(url.substr(slash + 1));
}

// The files a downloader writes, from its own options (the output option's letter and long
// name, the remote-name letter, the directory option).
struct Downloader {
  std::string_view program;
  char output;
  std::string_view output_long;
  char remote;  // 0: the remote name is the default (wget)
  std::string_view dir_long;
  char dir;
};
constexpr Downloader kDownloaders[] = {
    {"curl", 'o', "output", 'O', "output-dir", 0},
    {"wget", 'O', "output-document", 0, "directory-prefix", 'P'},
    {"aria2c", 'o', "out", 0, "dir", 'd'},
};

std::vector<std::string> downloaded_files(const SimpleCommand& c) {
  std::vector<std::string> out;
  for (const Redirection& r : c.redirections) {
    if ((r.fd == 1 || r.fd == -1) && (r.op == ">" || r.op == ">>" || r.op == ">|"))
      out.push_back(strip_dot(r.target));
  }
  const Downloader* d = nullptr;
  for (const Downloader& one : kDownloaders) {
    if (one.program == c.program) d = &one;
  }
  if (d == nullptr) return out;
  std::string dir;
  bool named = false, remote = d->remote == 0;
  const std::vector<std::string>& argv = c.argv;
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    std::string next = i + 1 < argv.size() ? argv[i + 1] : "";
    if (a.rfind("--", 0) == 0) {
      std::size_t eq = a.find('=');
      std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      std::string value = eq == std::string::npos ? next : a.substr(eq + 1);
      if (name == d->output_long || name == d->dir_long) {
        if (eq == std::string::npos) ++i;
        if (name == d->dir_long)
          dir = value + "/";
        else if (value != "-")
          out.push_back(strip_dot(value)), named = true;
        else
          named = true;
      }
      if (name == "remote-name" && d->remote) remote = true;
      continue;
    }
    if (a.size() < 2 || a[0] != '-') continue;
    for (std::size_t k = 1; k < a.size(); ++k) {
      if (a[k] == d->remote) remote = true;
      if (a[k] != d->output && (d->dir == 0 || a[k] != d->dir)) continue;
      std::string value = k + 1 < a.size() ? a.substr(k + 1) : next;
      if (k + 1 >= a.size()) ++i;
      if (a[k] == d->dir)
        dir = value + "/";
      else if (value != "-")
        out.push_back(strip_dot(value)), named = true;
      else
        named = true;
      break;
    }
  }
  if (!named && remote) {
    for (const std::string& a : c.args) {
      std::string file = url_file(a);
      if (!file.empty()) out.push_back(strip_dot(dir + file));
    }
  }
  return out;
}

}  // namespace

void Analyser::run_command_line(long index, const std::string& text, bool piped) {
  const std::size_t before = out_.commands.size();
  Scope fresh;  // a new shell: only the environment, which the analysis does not know
  run_text(text, Provenance::c_body, fresh, index);
  if (!piped || before >= out_.commands.size()) return;
  // The first command reads what the code writes: a shell there runs text nobody can see.
  const SimpleCommand& first = out_.commands[before];
  std::optional<ShellInvocation> run =
      is_shell(first.program) ? shell_invocation(first.program, first.argv) : std::nullopt;
  if (run && run->kind == ShellInvocation::Kind::stdin_body) {
    add_code(static_cast<long>(before), code::kDynamicBody);
    add_code(index, code::kDynamicBody);
  }
}

bool Analyser::run_runners(long index, const std::vector<Field>& fields, const Stdin& in) {
  // Copies: running a command line appends commands and may move the vector.
  const SimpleCommand& rec = out_.commands[static_cast<std::size_t>(index)];
  const std::string p = rec.program;
  const std::vector<std::string> argv = rec.argv;
  std::vector<std::string> lines;
  std::vector<EmbeddedCommand> embedded;
  for (const std::string& a : rec.assignments) {
    if (std::optional<std::string> text = assignment_command(a)) lines.push_back(std::move(*text));
  }
  if (has_option_commands(p)) {
    for (std::string& text : option_commands(p, argv)) lines.push_back(std::move(text));
  }
  if (!rec.language.empty()) embedded = embedded_commands(rec.language, rec.code);
  const bool at = p == "at" || p == "batch", crontab = p == "crontab";
  if (lines.empty() && embedded.empty() && !at && !crontab) return false;

  for (const std::string& text : lines) run_command_line(index, text);
  for (const EmbeddedCommand& e : embedded) {
    if (e.constant)
      run_command_line(index, e.text, e.piped);
    else
      add_code(index, code::kDynamicBody);
  }
  if (at || crontab) {
    // `at -f FILE` runs a file; otherwise both read their text on stdin.
    if (at) {
      auto f = std::find(argv.begin(), argv.end(), "-f");
      if (f != argv.end() && f + 1 != argv.end()) {
        const bool known = std::all_of(fields.begin(), fields.end(),
                                       [](const Field& field) { return field.constant; });
        out_.commands[static_cast<std::size_t>(index)].script = *(f + 1);
        add_code(index, known ? code::kScriptFile : code::kDynamicBody);
        return true;
      }
    }
    if (in.constant) {
      const std::string text = crontab ? crontab_commands(in.constant->text) : in.constant->text;
      Scope fresh;
      run_text(text, in.constant->via, fresh, index);
    } else if (in.piped || in.heredoc) {
      add_code(index, code::kDynamicBody);
    }
  }
  return true;
}

void Analyser::track_downloads(long index) {
  const SimpleCommand& c = out_.commands[static_cast<std::size_t>(index)];
  if (!downloads_.empty()) {
    std::vector<std::string> runs;
    if (!c.script.empty()) runs.push_back(strip_dot(c.script));
    if (!c.argv.empty()) runs.push_back(strip_dot(c.argv[0]));
    for (const std::string& r : runs) {
      if (std::find(downloads_.begin(), downloads_.end(), r) != downloads_.end()) {
        add_code(index, code::kDownloadedFile);
        break;
      }
    }
  }
  const bool downloader = c.program == "curl" || c.program == "wget" || c.program == "aria2c" ||
                          c.program == "http" || c.program == "xh" || c.program == "fetch";
  if (!downloader) return;
  for (std::string& f : downloaded_files(c)) {
    if (downloads_.size() < 64) downloads_.push_back(std::move(f));
  }
}

}  // namespace vectimus::shell
