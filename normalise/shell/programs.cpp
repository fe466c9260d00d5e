// See programs.hpp. The tables come from each tool's manual (GNU coreutils, sudo, util-linux,
// findutils); option letters that take a value matter most, since a wrong arity would take a
// value for the command or the command for a value.
#include "normalise/shell/programs.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "support/text.hpp"

namespace vectimus::shell {
namespace {

// name, short options with a value, long options with a value, stop short, stop long,
// operands before the command, assignments, options, piped input, split option.
constexpr std::array kLaunchers = {
    Launcher{"sudo", "ugpChDrtTUR",
             "user group prompt close-from chdir role type other-user host chroot command-timeout",
             "lveV", "list validate edit version help", 0, true},
    Launcher{"doas", "uC", "", "L", "", 0, false},
    Launcher{"env", "uCS", "unset chdir split-string", "", "help version", 0, true, true, false,
             "S"},
    Launcher{"nohup", "", "", "", "help version"},
    Launcher{"nice", "n", "adjustment", "", "help version"},
    Launcher{"timeout", "sk", "signal kill-after", "", "help version", 1},
    Launcher{"time", "fo", "format output", "", "help version"},
    Launcher{"command", "", "", "vV", ""},
    Launcher{.name = "exec", .short_with_arg = "a", .argv0_option = 'a'},
    Launcher{"builtin", "", "", "", ""},
    Launcher{"stdbuf", "ioe", "input output error", "", "help version"},
    Launcher{"setsid", "", "", "", "help version"},
    Launcher{.name = "xargs",
             .short_with_arg = "IndLsEaP",
             .long_with_arg = "replace max-args max-procs max-lines max-chars delimiter eof "
                              "arg-file process-slot-var",
             .stop_long = "help version",
             .piped_input = true,
             .default_command = "echo"},
    Launcher{"busybox", "", "", "", "", 0, false, false},
    Launcher{"chroot", "", "userspec groups", "", "help version", 1},
    Launcher{"ionice", "cn", "class classdata", "p", "pid", 0},
    Launcher{"taskset", "", "", "p", "pid", 1},
    Launcher{"chrt", "T", "sched-runtime sched-period sched-deadline", "p", "pid", 1},
    Launcher{"flock", "wE", "timeout conflict-exit-code", "", "", 1},
    Launcher{"unbuffer", "", "", "", ""},
    Launcher{"nocache", "", "", "", ""},
    Launcher{"eatmydata", "", "", "", ""},
    Launcher{"fakeroot", "ls", "lib faked", "", ""},
    Launcher{"faketime", "", "", "", "", 1},
    Launcher{"pkexec", "", "user", "", "version help"},
    Launcher{"runuser", "ugG", "user group supp-group", "", ""},
    Launcher{"strace", "oeEpsSuaPIbX", "output", "", ""},
    Launcher{"ltrace", "oeEpsSuaAnLx", "output", "", ""},
    Launcher{"torsocks", "uPa", "user pass address port", "", ""},
    Launcher{"proxychains", "f", "", "", ""},
    Launcher{"proxychains4", "f", "", "", ""},
    Launcher{"caffeinate", "tw", "", "", ""},
    Launcher{"watchexec", "", "", "", ""},
    Launcher{"systemd-run", "pEuMHs",
             "unit property description slice uid gid nice working-directory setenv machine host "
             "on-active on-boot on-startup on-unit-active on-unit-inactive on-calendar "
             "timer-property path-property socket-property service-type",
             "", "help version"},
    Launcher{"unshare", "", "", "", "help version"},
    // screen -dmS NAME CMD...; -r/-x/-R reattach, -ls lists, -X sends to a running session.
    Launcher{"screen", "SceThpt", "", "lrxRvQXD", "help version"},
    // watch runs `sh -c` of its words joined; ssh sends its words joined to the remote shell.
    Launcher{.name = "watch",
             .short_with_arg = "n",
             .long_with_arg = "interval",
             .stop_long = "help version",
             .joined = true},
    Launcher{.name = "ssh",
             .short_with_arg = "BbcDEeFIiJLlmOoPpQRSWw",
             .stop_short = "VGQ",
             .operands = 1,
             .joined = true},
};

// Options whose value is a command line for a shell: the option words (a one-letter option also
// takes its value attached, `-cCMD`; a long one `--name=VALUE`), the value prefixes that make it
// a command (removed; `*` stands for a name without `=`, compared ignoring case), and whether the
// options end at the first operand (`git -c` before the subcommand; `git commit -c` is not it),
// with the other options that take a value there.
struct CommandOption {
  std::string_view program;
  std::string_view options;
  std::string_view prefixes = "";
  bool leading = false;
  std::string_view leading_with_arg = "";
};
constexpr std::array kCommandOptions = {
    CommandOption{"script", "-c --command"},
    CommandOption{"flock", "-c --command"},
    CommandOption{"runuser", "-c --command"},
    CommandOption{"rsync", "-e --rsh"},
    CommandOption{"tar",
                  "--to-command -I --use-compress-program --info-script -F --new-volume-script"},
    CommandOption{"tar", "--checkpoint-action", "exec="},
    CommandOption{"zip", "-TT --unzip-command"},
    CommandOption{"ssh", "-o", "proxycommand= localcommand="},
    CommandOption{"scp", "-o", "proxycommand="},
    CommandOption{"sftp", "-o", "proxycommand="},
    CommandOption{
        "git", "-c",
        "core.pager= core.sshcommand= core.editor= core.fsmonitor= sequence.editor= "
        "diff.external= pager.*= alias.*=! credential.helper=! uploadpack.packobjectshook=",
        true, "-C --git-dir --work-tree --namespace --exec-path --config-env"},
    CommandOption{"vim", "-c --cmd", "! :!"},
    CommandOption{"vi", "-c --cmd", "! :!"},
    CommandOption{"nvim", "-c --cmd", "! :!"},
    CommandOption{"ex", "-c --cmd", "! :!"},
    CommandOption{"view", "-c --cmd", "! :!"},
};

// Variables whose value is a command some program runs through a shell; LESSOPEN's value
// starts with `|` (or `||`).
constexpr std::string_view kCommandVariables[] = {"GIT_SSH_COMMAND",
                                                  "GIT_PAGER",
                                                  "PAGER",
                                                  "GIT_EDITOR",
                                                  "EDITOR",
                                                  "VISUAL",
                                                  "LESSOPEN",
                                                  "LESSCLOSE",
                                                  "GIT_EXTERNAL_DIFF",
                                                  "RSYNC_RSH",
                                                  "GIT_PROXY_COMMAND",
                                                  "PROMPT_COMMAND",
                                                  "MANPAGER",
                                                  "SYSTEMD_PAGER",
                                                  "GIT_SEQUENCE_EDITOR"};

bool is_assignment(std::string_view s) {
  std::size_t eq = s.find('=');
  if (eq == 0 || eq == std::string_view::npos) return false;
  if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.begin() + static_cast<long>(eq), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::vector<std::string> split_blanks(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
    std::size_t b = i;
    while (i < s.size() && !(s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
    if (i > b) out.emplace_back(s.substr(b, i - b));
  }
  return out;
}

// Whether `value` starts with `pattern` (ASCII case ignored; `*` matches a run without `=` or
// `.`), and where the rest begins.
std::optional<std::size_t> match_prefix(std::string_view value, std::string_view pattern) {
  std::size_t v = 0;
  for (std::size_t p = 0; p < pattern.size(); ++p) {
    if (pattern[p] == '*') {
      while (v < value.size() && value[v] != '=' && value[v] != '.') ++v;
      continue;
    }
    if (v >= value.size() || std::tolower(static_cast<unsigned char>(value[v])) != pattern[p])
      return std::nullopt;
    ++v;
  }
  return v;
}

// The command held by `value` for the option `spec`, if any.
std::optional<std::string> command_value(const CommandOption& spec, std::string_view value) {
  if (spec.prefixes.empty()) return std::string(value);
  std::string_view words = spec.prefixes;
  while (!words.empty()) {
    std::size_t sp = words.find(' ');
    std::string_view pattern = words.substr(0, sp);
    if (std::optional<std::size_t> rest = match_prefix(value, pattern))
      return std::string(value.substr(*rest));
    if (sp == std::string_view::npos) break;
    words.remove_prefix(sp + 1);
  }
  return std::nullopt;
}

}  // namespace

namespace {

// tmux subcommands whose trailing words are a shell command, and the options that take a value
// before it (the union over those subcommands: -c DIR, -e VAR, -F FORMAT, -n NAME, -s NAME, -t
// TARGET, -x/-y SIZE, -l SIZE, -f FLAGS, -w/-h, -T TITLE).
constexpr std::string_view kTmuxRunners[] = {
    "new",   "new-session",  "new-window",   "neww",     "split-window",   "splitw",
    "run",   "run-shell",    "respawn-pane", "respawnp", "respawn-window", "respawnw",
    "popup", "display-popup"};

std::optional<std::string> tmux_command(const std::vector<std::string>& argv) {
  std::size_t i = 1;
  while (i < argv.size() && argv[i].size() > 1 && argv[i][0] == '-') {
    char last = argv[i].back();  // global options: -L SOCKET, -S PATH, -f FILE, -T FEATURES
    i += (argv[i].size() == 2 && std::string_view("LSfT").find(last) != std::string_view::npos) ? 2
                                                                                                : 1;
  }
  if (i >= argv.size() || std::find(std::begin(kTmuxRunners), std::end(kTmuxRunners), argv[i]) ==
                              std::end(kTmuxRunners)) {
    return std::nullopt;
  }
  for (++i; i < argv.size() && argv[i].size() > 1 && argv[i][0] == '-'; ++i) {
    if (argv[i] == "--") {
      ++i;
      break;
    }
    if (argv[i].size() == 2 &&
        std::string_view("ceFnstxylfwhT").find(argv[i][1]) != std::string_view::npos)
      ++i;
  }
  if (i >= argv.size()) return std::nullopt;
  std::string text;
  for (; i < argv.size(); ++i) text += (text.empty() ? "" : " ") + argv[i];
  return text;
}

}  // namespace

bool has_option_commands(std::string_view program) {
  if (program == "tmux") return true;
  return std::any_of(kCommandOptions.begin(), kCommandOptions.end(),
                     [&](const CommandOption& o) { return o.program == program; });
}

std::vector<std::string> option_commands(std::string_view program,
                                         const std::vector<std::string>& argv) {
  std::vector<std::string> out;
  if (program == "tmux") {
    if (std::optional<std::string> text = tmux_command(argv)) out.push_back(std::move(*text));
  }
  for (const CommandOption& spec : kCommandOptions) {
    if (spec.program != program) continue;
    for (std::size_t i = 1; i < argv.size(); ++i) {
      const std::string& a = argv[i];
      if (a == "--") break;
      if (spec.leading && (a.empty() || a[0] != '-')) break;
      std::optional<std::string> value;
      std::string_view words = spec.options;
      while (!words.empty() && !value) {
        std::size_t sp = words.find(' ');
        std::string_view option = words.substr(0, sp);
        words.remove_prefix(sp == std::string_view::npos ? words.size() : sp + 1);
        if (a == option) {
          if (i + 1 < argv.size()) value = argv[++i];
        } else if (option.size() == 2 && option[1] != '-' && a.size() > 2 && a[0] == '-' &&
                   a[1] != '-' && a.back() == option[1] && a.find('=') == std::string::npos) {
          if (i + 1 < argv.size()) value = argv[++i];  // `script -qc CMD`: last of a bundle
        } else if (a.size() > option.size() && a.compare(0, option.size(), option) == 0 &&
                   ((option.size() == 2 && option[1] != '-') ||
                    (option[1] == '-' && a[option.size()] == '='))) {
          value = a.substr(option.size() + (option[1] == '-' ? 1 : 0));
        }
      }
      if (value) {
        if (std::optional<std::string> text = command_value(spec, *value))
          out.push_back(std::move(*text));
      } else if (spec.leading && in_words(spec.leading_with_arg, a)) {
        ++i;
      }
    }
  }
  return out;
}

std::optional<std::string> assignment_command(std::string_view assignment) {
  std::size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  std::string_view name = assignment.substr(0, eq);
  if (std::find(std::begin(kCommandVariables), std::end(kCommandVariables), name) ==
      std::end(kCommandVariables)) {
    return std::nullopt;
  }
  std::string_view value = assignment.substr(eq + 1);
  while (!value.empty() && (value[0] == '|' || value[0] == ' ')) value.remove_prefix(1);
  if (value.empty()) return std::nullopt;
  return std::string(value);
}

const Launcher* find_launcher(std::string_view program) {
  for (const Launcher& l : kLaunchers) {
    if (l.name == program) return &l;
  }
  return nullptr;
}

LaunchTarget find_launch_target(const Launcher& spec, const std::vector<std::string>& argv,
                                const std::vector<bool>& constant, std::size_t start) {
  LaunchTarget t;
  std::size_t j = start + 1;
  const std::size_t n = argv.size();
  while (j < n && constant[j]) {
    const std::string& a = argv[j];
    if (!spec.options) break;
    if (a == "--") {
      ++j;
      break;
    }
    if (a == "-" && spec.name == "env") {  // `env -` is `env -i`
      ++j;
      continue;
    }
    if (a.size() > 1 && a[0] == '-' && a[1] == '-') {
      std::size_t eq = a.find('=');
      std::string_view name =
          std::string_view(a).substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      if (in_words(spec.stop_long, name)) return LaunchTarget{};
      bool takes = in_words(spec.long_with_arg, name);
      std::string value =
          eq != std::string::npos ? a.substr(eq + 1) : (takes && j + 1 < n ? argv[j + 1] : "");
      if (takes && !spec.split_option.empty() && name == "split-string")
        t.split_words = split_blanks(value);
      j += (takes && eq == std::string::npos) ? 2 : 1;
      continue;
    }
    if (a.size() > 1 && a[0] == '-') {
      std::size_t next = j + 1;
      for (std::size_t k = 1; k < a.size(); ++k) {
        char c = a[k];
        if (spec.stop_short.find(c) != std::string_view::npos) return LaunchTarget{};
        if (spec.short_with_arg.find(c) != std::string_view::npos) {
          std::string value = k + 1 < a.size() ? a.substr(k + 1) : (j + 1 < n ? argv[j + 1] : "");
          if (k + 1 >= a.size()) next = j + 2;
          if (spec.split_option.find(c) != std::string_view::npos)
            t.split_words = split_blanks(value);
          if (c == spec.argv0_option) t.argv0 = value;
          break;
        }
      }
      j = next;
      continue;
    }
    if (spec.assignments && is_assignment(a)) {
      t.assignments.push_back(a);
      ++j;
      continue;
    }
    break;
  }
  j += spec.operands;
  if (j < n)
    t.index = j;
  else if (!t.split_words.empty())
    t.index = n;  // `env -S 'rm -rf /'`: the command is all split
  else if (!spec.default_command.empty()) {
    t.index = n;
    t.default_command = spec.default_command;
  }
  return t;
}

bool is_shell(std::string_view p) {
  static constexpr std::string_view kShells[] = {"sh",   "bash",  "zsh",   "dash",  "ksh",
                                                 "ash",  "mksh",  "rbash", "pdksh", "yash",
                                                 "posh", "ksh93", "fish",  "su"};
  return std::find(std::begin(kShells), std::end(kShells), p) != std::end(kShells);
}

std::optional<ShellInvocation> shell_invocation(std::string_view program,
                                                const std::vector<std::string>& argv) {
  if (program == "su") {  // su [options] [-] [user] -c CMD: the command may follow the user
    for (std::size_t i = 1; i + 1 < argv.size(); ++i) {
      if (argv[i] == "-c" || argv[i] == "--command")
        return ShellInvocation{ShellInvocation::Kind::c_body, i + 1};
    }
    return ShellInvocation{ShellInvocation::Kind::stdin_body, 0};
  }
  bool c = false, s = false;
  std::size_t i = 1;
  for (; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--" || a == "-") {
      ++i;
      break;
    }
    if (a.size() > 1 && a[0] == '-' && a[1] == '-') {
      if (a == "--version" || a == "--help") return std::nullopt;
      if (a == "--command") c = true;  // su --command CMD, fish --command CMD
      if (a == "--rcfile" || a == "--init-file" || a == "--command") {
        if (a == "--command") break;
        ++i;
      }
      continue;
    }
    if (a.size() > 1 && (a[0] == '-' || a[0] == '+')) {
      for (std::size_t k = 1; k < a.size(); ++k) {
        if (a[k] == 'c') c = true;
        if (a[k] == 's') s = true;
        if (a[k] == 'o' || a[k] == 'O') ++i;  // -o OPTION takes a value
      }
      continue;
    }
    break;
  }
  if (argv.size() > 1 && i > argv.size()) i = argv.size();
  if (c) {
    // su's user comes after the options, and bash allows options after -c's string's position.
    if (i < argv.size()) return ShellInvocation{ShellInvocation::Kind::c_body, i};
    return std::nullopt;
  }
  if (s || i >= argv.size()) return ShellInvocation{ShellInvocation::Kind::stdin_body, 0};
  return ShellInvocation{ShellInvocation::Kind::script, i};
}

namespace {
struct Interpreter {
  std::string_view prefix;  // program name, or its prefix followed by version digits
  std::string_view language;
  std::string_view code_short;  // option letters whose value is code
  std::string_view code_long;   // long options whose value is code
  std::string_view arg_short;   // other options that take a value
  std::string_view subcommand;  // `deno eval CODE`
  // Script files: whether the first operand is a file the interpreter runs, the subcommand
  // that must come first (`deno run FILE`), and option letters meaning no file is run
  // (`python -m MODULE`).
  bool scripts = false;
  std::string_view script_subcommand = "";
  std::string_view no_script_short = "";
  // The code is the first operand, not an option's value (`awk 'PROGRAM' FILE...`); an option
  // of `no_script_short` (`awk -f FILE`) means there is none.
  bool code_operand = false;
};
constexpr std::array kInterpreters = {
    Interpreter{"python", "python", "c", "", "WXmQ", "", true, "", "m"},
    Interpreter{"pypy", "python", "c", "", "WXmQ", "", true, "", "m"},
    Interpreter{"node", "javascript", "ep", "eval print", "r", "", true},
    Interpreter{"nodejs", "javascript", "ep", "eval print", "r", "", true},
    // `bun x` is as often a package manager's subcommand (`bun install`) as a file.
    Interpreter{"bun", "javascript", "e", "eval print", "r", ""},
    Interpreter{"deno", "javascript", "", "", "", "eval", true, "run"},
    Interpreter{"perl", "perl", "eE", "", "IMmx", "", true},
    Interpreter{"ruby", "ruby", "e", "", "IrCx", "", true},
    Interpreter{"php", "php", "r", "", "cdz", "", true},
    Interpreter{"lua", "lua", "e", "", "l", "", true},
    Interpreter{"Rscript", "r", "e", "", "", "", true},
    Interpreter{"osascript", "applescript", "e", "", "l", "", true},
    Interpreter{"awk", "awk", "", "", "Fv", "", false, "", "f", true},
    Interpreter{"gawk", "awk", "", "", "FvilE", "", false, "", "f", true},
    Interpreter{"mawk", "awk", "", "", "FvW", "", false, "", "f", true},
    Interpreter{"nawk", "awk", "", "", "Fv", "", false, "", "f", true},
};

bool matches_prefix(std::string_view program, std::string_view prefix) {
  if (program.substr(0, prefix.size()) != prefix) return false;
  for (char c : program.substr(prefix.size())) {  // python3, python3.11
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') return false;
  }
  return true;
}
}  // namespace

std::optional<InlineCode> inline_code(std::string_view program,
                                      const std::vector<std::string>& argv) {
  for (const Interpreter& in : kInterpreters) {
    if (!matches_prefix(program, in.prefix)) continue;
    InlineCode out{std::string(in.language), {}};
    bool found = false;
    auto add = [&](const std::string& code) {
      if (found) out.code += '\n';  // perl -e 'a' -e 'b' is two lines of one program
      out.code += code;
      found = true;
    };
    for (std::size_t i = 1; i < argv.size(); ++i) {
      const std::string& a = argv[i];
      if (!in.subcommand.empty()) {
        if (a == in.subcommand && i + 1 < argv.size()) add(argv[i + 1]);
        if (a[0] != '-') break;
        continue;
      }
      if (in.code_operand && (a.size() < 2 || a[0] != '-')) {
        add(a);  // `awk 'PROGRAM'`: the first operand
        break;
      }
      if (in.code_operand && a == "--") {
        if (i + 1 < argv.size()) add(argv[i + 1]);
        break;
      }
      if (a == "--" || a.size() < 2 || a[0] != '-') break;  // a script operand ends the options
      if (a[1] == '-') {
        std::size_t eq = a.find('=');
        std::string_view name =
            std::string_view(a).substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        if (in_words(in.code_long, name)) {
          if (eq != std::string::npos)
            add(a.substr(eq + 1));
          else if (i + 1 < argv.size())
            add(argv[++i]);
        }
        continue;
      }
      if (in.code_operand && in.no_script_short.find(a[1]) != std::string_view::npos) break;
      for (std::size_t k = 1; k < a.size(); ++k) {
        bool code = in.code_short.find(a[k]) != std::string_view::npos;
        if (code || in.arg_short.find(a[k]) != std::string_view::npos) {
          std::string value =
              k + 1 < a.size() ? a.substr(k + 1) : (i + 1 < argv.size() ? argv[++i] : "");
          if (code) add(value);
          break;
        }
      }
      if (found && in.language == "python") break;  // python: -c ends the options
    }
    if (!found) return std::nullopt;
    return out;
  }
  return std::nullopt;
}

namespace {

// The script operand of an interpreter call (see script_operand).
std::optional<std::size_t> interpreter_script(const Interpreter& in,
                                              const std::vector<std::string>& argv) {
  std::size_t i = 1;
  if (!in.script_subcommand.empty()) {
    if (argv.size() < 2 || argv[1] != in.script_subcommand) return std::nullopt;
    i = 2;
  }
  for (; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-") return std::nullopt;  // the program comes on stdin
    if (a == "--") return i + 1 < argv.size() ? std::optional<std::size_t>(i + 1) : std::nullopt;
    if (a.size() < 2 || a[0] != '-') return i;
    if (a[1] == '-') {
      std::size_t eq = a.find('=');
      std::string_view name =
          std::string_view(a).substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      if (in_words(in.code_long, name)) return std::nullopt;
      continue;
    }
    for (std::size_t k = 1; k < a.size(); ++k) {
      if (in.code_short.find(a[k]) != std::string_view::npos) return std::nullopt;
      if (in.no_script_short.find(a[k]) != std::string_view::npos) return std::nullopt;
      if (in.arg_short.find(a[k]) != std::string_view::npos) {
        if (k + 1 == a.size()) ++i;  // the value is the next word
        break;
      }
    }
  }
  return std::nullopt;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::optional<std::size_t> script_operand(std::string_view program,
                                          const std::vector<std::string>& argv) {
  if (argv.empty()) return std::nullopt;
  const std::string& word = argv[0];
  if (word.find('/') != std::string::npos) {
    if (word[0] != '/') return 0;
    for (std::string_view ext : {".sh", ".bash", ".zsh", ".ksh", ".py", ".js", ".mjs", ".cjs",
                                 ".ts", ".rb", ".pl", ".php", ".lua", ".command"}) {
      if (ends_with(word, ext)) return 0;
    }
  }
  if (program == "source" || program == ".") {
    return argv.size() > 1 ? std::optional<std::size_t>(1) : std::nullopt;
  }
  if (is_shell(program)) {
    std::optional<ShellInvocation> run = shell_invocation(program, argv);
    if (run && run->kind == ShellInvocation::Kind::script) return run->index;
    return std::nullopt;
  }
  for (const Interpreter& in : kInterpreters) {
    if (!matches_prefix(program, in.prefix)) continue;
    if (!in.scripts) return std::nullopt;
    return interpreter_script(in, argv);
  }
  return std::nullopt;
}

bool single_dash_long_options(std::string_view program) {
  return program == "find";
}

bool is_find_exec(std::string_view p) {
  return p == "-exec" || p == "-execdir" || p == "-ok" || p == "-okdir";
}

std::string program_name(std::string_view word) {
  std::size_t slash = word.find_last_of("/\\");
  if (slash != std::string_view::npos && slash + 1 < word.size()) word.remove_prefix(slash + 1);
  for (std::string_view ext : {".exe", ".com", ".bat", ".cmd"}) {
    if (word.size() > ext.size()) {
      std::string_view tail = word.substr(word.size() - ext.size());
      if (std::equal(tail.begin(), tail.end(), ext.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == b;
          })) {
        word.remove_suffix(ext.size());
        break;
      }
    }
  }
  return std::string(word);
}

}  // namespace vectimus::shell
