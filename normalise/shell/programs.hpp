// What the analysis knows about particular programs, as tables of data.
//
// The analyser looks a command's program up here after expansion: a launcher is peeled off
// (its options skipped with their arity, its assignments kept) and the command it launches is
// analysed in its place; a shell's `-c` body or stdin, and an interpreter's code text, are found
// by their option letters. Adding a launcher or an interpreter is a new table row, not new code.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vectimus::shell {

// A program that runs another program given on its command line, unchanged.
struct Launcher {
  std::string_view name;
  std::string_view short_with_arg;  // option letters that take a value: sudo "u" for `-u USER`
  std::string_view long_with_arg;   // space-separated long options that take a value
  std::string_view stop_short;      // options meaning nothing is launched: `command -v`
  std::string_view stop_long;
  std::size_t operands = 0;          // operands before the command: `timeout DURATION`
  bool assignments = false;          // NAME=VALUE words before the command (`env`, `sudo`)
  bool options = true;               // false: the next word is the command (`busybox X`)
  bool piped_input = false;          // the command also gets arguments from stdin (`xargs`)
  std::string_view split_option;     // an option whose value is split into words (`env -S`)
  std::string_view default_command;  // run when none is given: `xargs` alone runs `echo`
  char argv0_option = 0;             // an option whose value becomes argv[0]: `exec -a NAME`
  // The launched words are joined by spaces and run by a shell (`watch CMD...`, `ssh HOST
  // CMD...`): the launcher keeps its own record and the joined text is analysed as a `-c` body.
  bool joined = false;
};

const Launcher* find_launcher(std::string_view program);

struct LaunchTarget {
  std::size_t index = 0;  // of the launched command word in argv; 0 when none
  std::vector<std::string> assignments;
  std::vector<std::string> split_words;  // `env -S 'a b'`: words to put before the command
  std::string default_command;           // no command given: this one runs (`xargs` → `echo`)
  std::string argv0;  // the launched command's argv[0], when the launcher sets it
};

// Where the command launched by `argv[start]` (a launcher) starts. `constant[i]` says whether
// argv[i] is known: an option that is not known ends the search.
LaunchTarget find_launch_target(const Launcher& launcher, const std::vector<std::string>& argv,
                                const std::vector<bool>& constant, std::size_t start);

// Shells that run a `-c` string, their standard input, or a script file.
bool is_shell(std::string_view program);
struct ShellInvocation {
  enum class Kind { c_body, stdin_body, script } kind = Kind::stdin_body;
  std::size_t index = 0;  // argv index of the `-c` string or the script
};
// nullopt when the invocation runs nothing (`bash -c` without a string, `bash --version`).
std::optional<ShellInvocation> shell_invocation(std::string_view program,
                                                const std::vector<std::string>& argv);

// Command lines a program runs from one of its options or from its environment, as text for a
// shell: `script -c CMD`, `flock F -c CMD`, `runuser U -c CMD`, `rsync -e CMD`, `tar
// --to-command=CMD`, `tar --checkpoint-action=exec=CMD`, `zip -TT CMD`, `ssh -o
// ProxyCommand=CMD`, `git -c core.pager=CMD`, `git -c alias.x='!CMD'`, `vim -c '!CMD'`. One table
// (programs.cpp, kCommandOptions); empty for most programs.
std::vector<std::string> option_commands(std::string_view program,
                                         const std::vector<std::string>& argv);
// Whether option_commands() can return anything for this program (a cheap test for the hot path).
bool has_option_commands(std::string_view program);
// The command line held by an assignment `NAME=VALUE` whose variable names a command that
// programs run through a shell (GIT_SSH_COMMAND, GIT_PAGER, PAGER, EDITOR, LESSOPEN, RSYNC_RSH,
// ...); nullopt for other variables.
std::optional<std::string> assignment_command(std::string_view assignment);

// Interpreter one-liners: `python -c CODE`, `node -e CODE`, `deno eval CODE`, ...
struct InlineCode {
  std::string language;
  std::string code;
};
std::optional<InlineCode> inline_code(std::string_view program,
                                      const std::vector<std::string>& argv);

// The file a command runs as code: the argv index of its name, or nullopt. Shells running a file
// (shell_invocation's `script`), `source FILE` and `. FILE`, the interpreters of the inline-code
// table given a script operand (`python3 -u x.py`, `node --inspect x.js`, `perl -I lib x.pl`,
// `ruby x.rb`, `deno run -A x.ts`; not with code given inline, `python -m`, or `-` for stdin),
// and index 0 when the program itself is named by a relative path (`./run.sh`, `scripts/x`) or
// by an absolute one with a script's extension (`/srv/deploy.sh`; `/bin/rm` is a binary). The
// one table of which programs run files, so the engine's content inspection follows every way
// the analysis reaches a command (`sudo bash x.sh`, `bash -c 'python3 x.py'`, `$(sh x.sh)`).
std::optional<std::size_t> script_operand(std::string_view program,
                                          const std::vector<std::string>& argv);

// Programs whose options are whole words after one dash (`find -delete`): their flags are the
// words, not letters.
bool single_dash_long_options(std::string_view program);

// `find` expression primaries that run a command, up to `;` or `+`.
bool is_find_exec(std::string_view primary);

// The program name policies see: basename, with Windows executable suffixes removed.
std::string program_name(std::string_view command_word);

}  // namespace vectimus::shell
