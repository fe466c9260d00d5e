// `vectimus __doc`: hidden; the build runs it to write the man pages and the shell completions
// from the command definitions (cli/doc.hpp). `__doc man DIR` writes vectimus.1 and one page per
// command into DIR; `__doc completion bash|zsh|fish` and `__doc json` print to stdout.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/doc.hpp"

namespace vectimus::cli {
namespace {

struct DocOptions {
  std::string dir;
  std::string shell;
};

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (out) return true;
  std::cerr << "error: cannot write `" << path << "`\n";
  return false;
}

int write_man_pages(const CLI::App& root, const std::string& dir) {
  const CommandDoc doc = describe(root);
  const std::string version = version_number();
  if (!write_file(dir + "/" + man_file_name(doc), man_page(doc, doc, version))) {
    return kExitBadInput;
  }
  for (const CommandDoc& command : doc.commands) {
    if (!write_file(dir + "/" + man_file_name(command), man_page(doc, command, version))) {
      return kExitBadInput;
    }
  }
  return kExitOk;
}

}  // namespace

void add_doc_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<DocOptions>();
  auto* cmd = app.add_subcommand("__doc", "Write the man pages and shell completions")->group("");
  cmd->require_subcommand(1);
  auto* man = cmd->add_subcommand("man", "Write vectimus.1 and vectimus-<command>.1 into DIR");
  man->add_option("dir", opt->dir, "the folder to write into")->required();
  man->callback([&app, opt, &exit_code] { exit_code = write_man_pages(app, opt->dir); });
  auto* completion = cmd->add_subcommand("completion", "Print the completion script for SHELL");
  completion->add_option("shell", opt->shell, "the shell")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  completion->callback([&app, opt] { std::cout << completion_script(describe(app), opt->shell); });
  auto* json = cmd->add_subcommand("json", "Print the command tree as JSON");
  json->callback([&app] { std::cout << doc_json(describe(app)); });
}

}  // namespace vectimus::cli
