// Content inspection inputs: the one shell analysis of a command line, which scripts it runs,
// and what each line of a text would run. A policy that forbids `rm -rf /` must also see it when
// the agent writes it into `cleanup.sh` and then runs `bash cleanup.sh`, or `sudo bash
// cleanup.sh`, or `bash -c 'sh cleanup.sh'`.
//
// Data flow: the adapters (payload.hpp) analyse the event's command line with analyse_command()
// and keep the analysis in the Event. The engine reads the files scripts_run() names (through its
// Host, with a size limit), hands their text, and the text of a file write, to analyse_content(),
// and turns each line's analysis into requests (engine/requests.hpp). So the shell is parsed
// only here, by normalise/shell/, and the engine never parses it itself.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "normalise/shell/analysis.hpp"

namespace vectimus::normalise {

// The shell analysis of a command line with the default bounds; `home` is what `~` and `$HOME`
// mean.
shell::Analysis analyse_command(std::string_view command_line, std::string_view home);

// The script files the analysed commands run (SimpleCommand::script, from the analysis' own table
// of shells and interpreters, so they are found behind launchers, in `$(...)` and in `bash -c`
// bodies), resolved against `cwd` and lexically normalised, in order, without duplicates.
std::vector<std::string> scripts_run(const shell::Analysis& analysis, std::string_view cwd);

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

struct AnalysedLine {
  ContentLine line;
  // The line's shell analysis: its action comes from it whatever the content; for a shell script
  // its commands are requests too, and a bound it hit escalates the call.
  shell::Analysis analysis;
};
struct AnalysedContent {
  bool shell = false;  // is_shell_script(path, content)
  std::vector<AnalysedLine> lines;
};
// command_lines() of `content`, each analysed as a command line. Points into `content`.
AnalysedContent analyse_content(std::string_view path, std::string_view content,
                                std::string_view home);

}  // namespace vectimus::normalise
