// Shell analysis: what simple commands a command string would run, and what we know about each.
//
// An agent asks to run one shell string. Substring rules on that text are trivially bypassed
// (`rm -fr /`, `r''m -rf /`, `/bin/rm -rf /`, `bash -c 'rm -rf /'`, `echo ... | base64 -d | sh`),
// so the string is parsed the way bash would parse it and every simple command it would run
// becomes one SimpleCommand record. Data flow:
//
//   text ──parser──▶ syntax tree ──analyser──▶ Analysis{commands, unresolved}
//                                    │  ▲
//                                    ▼  │ bodies run again (`sh -c`, `eval`, heredocs and
//                                   expand  constant text piped into a shell, decoded base64)
//                              (quote removal, constants, brace expansion, field splitting)
//
// The analyser never executes anything. What it cannot prove (a program name computed at run
// time, a variable from the environment, a body fed from the network) is reported as a reason
// code in `unresolved`, so policies can deny what cannot be checked. Every bound (input size,
// nesting, re-parse depth, total work) stops the analysis with a code instead of a hang or a crash,
// and is named in `Analysis::bounds`: what lies past a bound was not looked at, so a caller must
// never allow a command on the word of an analysis that hit one (the engine escalates).
// Nothing here throws.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vectimus::shell {

// How a command was reached. Mechanisms that re-parse text or nest commands name the innermost
// one; `pipeline` only replaces `top_level` (a stage inside a `-c` body stays `c_body`).
enum class Provenance {
  top_level,  // a command of the input itself
  pipeline,   // a stage of a pipeline with two or more stages, or constant text piped into a shell
  substitution,  // inside `$(...)`, backticks, `<(...)`, `>(...)`
  c_body,        // the body of `sh -c`, `bash -c`, ..., and every other command line a program
                 // runs from its words: `su -c`, `script -c`, `watch`, `ssh HOST CMD`, `rsync -e`,
                 // `git -c core.pager=`, GIT_SSH_COMMAND=, `at`/`crontab` fed text, interpreter
                 // code (`perl -e 'system("...")'`)
  eval,          // the arguments of `eval`, or an alias body
  heredoc,       // a heredoc or here-string fed to a shell
  decoded,       // text decoded (`base64 -d`, `xxd -r -p`) and fed to a shell
  xargs,         // the command `xargs` runs
  find_exec,     // `find -exec/-execdir/-ok/-okdir`, and `find -delete` as `rm -rf ROOTS`
};
std::string_view provenance_name(Provenance p);  // "top", "pipe", "subst", "c", "eval", ...

// Unresolved reason codes: short, stable strings that policies match.
namespace code {
inline constexpr std::string_view kDynamicProgram =
    "dynamic-program";  // program computed at run time
inline constexpr std::string_view kNonConstant =
    "non-constant-expansion";  // an argument is not constant
inline constexpr std::string_view kAliasOrFunction =
    "alias-or-function";  // name defined in the input and used
inline constexpr std::string_view kOverBound =
    "over-bound";  // input, work or command count over a bound
inline constexpr std::string_view kParseError = "parse-error";  // the text is not valid shell
inline constexpr std::string_view kDepthLimit =
    "depth-limit";  // nesting or re-parse deeper than allowed
inline constexpr std::string_view kPipedInput =
    "piped-input";  // arguments come from stdin (`xargs`)
inline constexpr std::string_view kDynamicBody =
    "dynamic-body";  // code run by a shell/`eval` is not constant
inline constexpr std::string_view kScriptFile =
    "script-file";  // a shell runs a file (`bash x.sh`, `source x`)
inline constexpr std::string_view kDownloadedFile =
    "downloaded-file";  // runs a file an earlier command of the line downloads (`curl -o x ...; sh
                        // x`)
}  // namespace code

struct Redirection {
  int fd = -1;         // the descriptor redirected; -1 for `&>` and `&>>` (stdout and stderr)
  std::string op;      // ">", ">>", ">|", "<", "<>", ">&", "<&", "&>", "&>>", "<<", "<<-", "<<<"
  std::string target;  // expanded target; for heredocs the delimiter
  std::string raw;     // the target as written, when it differs (`~/x` beside `/home/user/x`)
  std::string body;    // heredoc and here-string text (expanded when constant)
};

struct SimpleCommand {
  std::string program;            // basename of the command word, `.exe`/`.cmd`/... stripped
  std::vector<std::string> argv;  // after expansion and quote removal; argv[0] as written
  std::vector<std::string>
      flags;  // sorted, unique: `-rf` → r, f; `--force=x` → force; none after `--`
  // Operands (argv[1..] that are not flags). An operand that used `~` or `$HOME` appears resolved
  // and then as written, so `~` gives "/home/user", "~".
  std::vector<std::string> args;
  std::vector<Redirection> redirections;
  std::vector<std::string> assignments;  // `NAME=value` before the command or given to `env`/`sudo`
  std::vector<std::string> launchers;    // unwrapped, outermost first: `sudo env rm` → sudo, env
  Provenance provenance = Provenance::top_level;
  std::vector<std::string> unresolved;  // sorted, unique reason codes (see `code`)
  std::string language;                 // interpreter one-liners: "python", "javascript", ...
  std::string code;                     // ... and the code text they run
  // SQL a database client runs (`psql -c`, `mysql -e`, `sqlite3 DB SQL`, a constant heredoc or
  // text piped in), normalised by sql.hpp's normalise_sql; empty when none is known.
  std::string sql;
  // A file this command runs as code (programs.hpp, script_operand): `bash x.sh`, `sh -e x`,
  // `source x`, `. x`, `python3 x.py`, `node x.js`, `ruby x.rb`, `perl x.pl`, `deno run x.ts`,
  // a program named by a relative path or an absolute one with a script's extension
  // (`./run.sh`, `/srv/deploy.sh`), and a shell reading its standard input from a file
  // (`bash < x.sh`). As expanded (`~` resolved), not yet made absolute; empty
  // when the command runs no file or its name is not constant.
  std::string script;

  // `program` and argv[1..] joined by single spaces: `/bin/rm -fr /` → "rm -fr /".
  std::string canonical() const;
};

struct Analysis {
  std::vector<SimpleCommand> commands;  // in the order the shell would start them
  // Every code of every command, plus codes about the whole input (parse-error, over-bound,
  // depth-limit where nothing was left to attach them to). Sorted, unique.
  std::vector<std::string> unresolved;
  std::string error;  // the first parse error or bound hit, for humans; empty when none
  // The bounds the analysis stopped at (`bound::` names, the Options fields), sorted, unique.
  // Not empty: something the input would run may be missing from `commands`.
  std::vector<std::string> bounds;
};

// The bounds, named after their Options fields so a reader can find the number.
namespace bound {
inline constexpr std::string_view kBytes = "max_bytes";        // the input's size
inline constexpr std::string_view kDepth = "max_depth";        // syntactic nesting
inline constexpr std::string_view kReparse = "max_reparse";    // bodies within bodies
inline constexpr std::string_view kWork = "max_work";          // bytes parsed, bodies included
inline constexpr std::string_view kCommands = "max_commands";  // records produced
inline constexpr std::string_view kValue = "max_value";        // a constant value's length
inline constexpr std::string_view kFields = "max_fields";      // words of one brace expansion
}  // namespace bound

struct Options {
  std::string home = "/home/user";     // what `~` and `$HOME` resolve to
  std::size_t max_bytes = 256 * 1024;  // input size; over it nothing is analysed
  std::size_t max_depth = 64;          // syntactic nesting: `$(`, `(`, `{`, `${`, backticks
  std::size_t max_reparse = 8;         // bodies within bodies (`bash -c "eval '...'"`)
  std::size_t max_work = 1024 * 1024;  // bytes parsed in total, bodies included
  std::size_t max_commands = 65536;    // records produced
  std::size_t max_value = 64 * 1024;   // a variable's or a command output's constant value
  std::size_t max_fields = 1024;       // words from one brace expansion
};

// What a bound means, to end "<the command> ..., so it was not fully checked": "is over the
// 262144-byte analysis bound", "nests deeper than the 64-level analysis bound", ...
std::string bound_phrase(std::string_view bound, const Options& options = {});

// Analyses `command`. Never throws; every failure is reported in the result.
Analysis analyse(std::string_view command, const Options& options = {});

// One line per analysis for tests and debugging: commands joined by " ; ", each
// `[A=1 ]program[f,r](arg 'a b') prov[ <sudo,env>][ {2>&1,>/dev/null}][ lang:python][ !codes]`,
// then ` !!codes` for whole-input codes that no command carries.
std::string dump(const Analysis& analysis);
std::string dump(const SimpleCommand& command);

}  // namespace vectimus::shell
