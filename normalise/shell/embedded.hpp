// Shell command lines inside interpreter code: `perl -e 'system("rm -rf /")'`,
// `python -c 'import os; os.system("...")'`, `ruby -e '`...`'`, `node -e
// 'require("child_process").execSync("...")'`, `php -r 'shell_exec("...")'`, `awk
// 'BEGIN{system("...")}'`. An interpreter is a launcher of its own, with its own syntax: the ways
// each language hands a string to a shell (or an argument list to exec) are one table of call
// names per language, plus its command-quoting operators (backticks, `qx{}`, `%x()`). A string
// literal handed over is a constant command line the analyser runs again as a `-c` body; anything
// else handed over (a variable, an interpolated or concatenated string) is not constant, and the
// analyser says `dynamic-body`. The scan is one linear pass over the code; nothing is executed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vectimus::shell {

struct EmbeddedCommand {
  std::string text;      // a shell command line; an argument list is quoted word by word
  bool constant = true;  // false: the command is computed at run time (text is empty)
  bool piped = false;    // the command reads what the code writes (awk `print | "sh"`)
};

// The commands `code` of `language` (an InlineCode language: "python", "perl", "ruby",
// "javascript", "php", "awk", "lua", "r") hands to a shell or to exec, at most `max` of them.
std::vector<EmbeddedCommand> embedded_commands(std::string_view language, std::string_view code,
                                               std::size_t max = 64);

}  // namespace vectimus::shell
