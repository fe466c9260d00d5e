// The command line as data, for the man pages and the shell completions: describe() walks the
// CLI11 definitions every command registers (the same ones the CLI parses), so a flag cannot be
// in the binary and missing from its man page or completion. The build runs `vectimus __doc`
// (cli/doc.cpp) to write them; dist/ installs them.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace vectimus::cli {

struct OptionDoc {
  std::vector<std::string> names;  // short names first: {"-o", "--output"}; a positional: {"ID"}
  std::string value;               // the value's name ("TEXT", "INT"); empty for a flag
  std::string description;
  std::vector<std::string> choices;  // the closed set of values, when the definition has one
  bool required = false;
  bool repeatable = false;
};

struct CommandDoc {
  std::vector<std::string> path;  // {"rule", "list"}; empty for vectimus itself
  std::string description;
  std::vector<OptionDoc> options;      // flags and options, in definition order
  std::vector<OptionDoc> positionals;  // in order
  std::vector<CommandDoc> commands;    // subcommands, in definition order
  bool needs_command = false;          // a subcommand is required

  std::string name() const { return path.empty() ? "vectimus" : path.back(); }
  std::string full_name() const;  // "vectimus rule list"
};

// Lists an option's values for help, man pages and completions without checking them, for an
// option whose command rejects an unknown value itself (the hook answers a bad `--source` in the
// agent's own protocol, which a CLI11 parse error could not).
void list_values(CLI::Option& option, std::span<const std::string_view> values);

// The visible tree under `app`: hidden commands and options (CLI11 group "") are left out.
CommandDoc describe(const CLI::App& app);

// The tree as JSON, for tests that compare it with the generated files.
std::string doc_json(const CommandDoc& root);

// Roff for man(1): vectimus(1) for the root, vectimus-<cmd>(1) for a top-level command, with its
// subcommands in the same page.
std::string man_page(const CommandDoc& root, const CommandDoc& command, const std::string& version);
std::string man_file_name(const CommandDoc& command);  // "vectimus.1", "vectimus-rule.1"

// Completion scripts for `shell`: "bash", "zsh" or "fish". Empty for another name.
std::string completion_script(const CommandDoc& root, const std::string& shell);

}  // namespace vectimus::cli
