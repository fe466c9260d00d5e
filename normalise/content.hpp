// Content inspection inputs: which scripts a command runs, and which lines of a text are worth
// evaluating as shell commands. A policy that forbids `rm -rf /` must also see it when the agent
// writes it into `cleanup.sh` and then runs `bash cleanup.sh`.
//
// Pure functions over text; the engine reads the files (through its Host, with a size limit)
// and turns each line into a request (engine/requests.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vectimus::engine {

// Script files a command line executes, resolved against `cwd` and lexically normalised, in
// order, without duplicates: `bash x.sh`, `sh x`, `zsh x`, `python x.py`, `python3 x`,
// `node x.js`, `source x`, `. x`, and a program given as a relative path (`./run.sh`,
// `scripts/x`) or an absolute one with a script extension (`/srv/deploy.sh`).
// Interpreter flags are skipped; `-c`, `-m`, `-e` and `-` mean there is no script file.
std::vector<std::string> scripts_run_by(std::string_view command_line, std::string_view cwd);

struct ContentLine {
  uint32_t number = 0;    // 1-based
  std::string_view text;  // trimmed, points into the content
};

// True when `content` is a shell script: its path ends in `.sh`, `.bash`, `.zsh`, `.ksh` or
// `.command`, or its first line is a shebang naming a shell (`#!/bin/sh`, `#!/usr/bin/env bash`).
// Such lines are also parsed by the shell analysis, as the event's own command line is; other
// content (docs, source code) is matched only as raw lines.
bool is_shell_script(std::string_view path, std::string_view content);

// Every line that is neither blank nor a `#` comment (shebang included).
std::vector<ContentLine> command_lines(std::string_view content);

}  // namespace vectimus::engine
