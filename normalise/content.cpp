#include "normalise/content.hpp"

#include <algorithm>

#include "normalise/path.hpp"
#include "normalise/shell/programs.hpp"

namespace vectimus::normalise {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

shell::Analysis analyse_command(std::string_view command_line, std::string_view home) {
  shell::Options options;
  options.home = std::string(home);
  return shell::analyse(command_line, options);
}

std::vector<std::string> scripts_run(const shell::Analysis& analysis, std::string_view cwd) {
  std::vector<std::string> out;
  for (const shell::SimpleCommand& c : analysis.commands) {
    if (c.script.empty()) continue;
    std::string path = normalise_path(c.script, cwd);
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
  // The interpreter is the shebang's first word, or the command `env` runs; the analysis' own
  // tables say whether it is a shell.
  std::vector<std::string> words;
  std::string_view shebang = content.substr(2, content.find('\n') - 2);
  while (!shebang.empty()) {
    const std::size_t start = shebang.find_first_not_of(" \t\r");
    if (start == std::string_view::npos) break;
    shebang.remove_prefix(start);
    const std::size_t end = std::min(shebang.find_first_of(" \t\r"), shebang.size());
    words.emplace_back(shebang.substr(0, end));
    shebang.remove_prefix(end);
  }
  if (words.empty()) return false;
  std::string interpreter = shell::program_name(words[0]);
  if (interpreter == "env") {
    const std::vector<bool> constant(words.size(), true);
    const shell::LaunchTarget target =
        shell::find_launch_target(*shell::find_launcher("env"), words, constant, 0);
    if (!target.split_words.empty()) {
      interpreter = shell::program_name(target.split_words[0]);
    } else if (target.index > 0 && target.index < words.size()) {
      interpreter = shell::program_name(words[target.index]);
    } else {
      return false;
    }
  }
  return shell::is_shell(interpreter);
}

AnalysedContent analyse_content(std::string_view path, std::string_view content,
                                std::string_view home) {
  AnalysedContent out;
  out.shell = is_shell_script(path, content);
  for (const ContentLine& line : command_lines(content)) {
    out.lines.push_back(AnalysedLine{line, analyse_command(line.text, home)});
  }
  return out;
}

}  // namespace vectimus::normalise
