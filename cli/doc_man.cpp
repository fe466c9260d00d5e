// man_page(): roff for man(1) from a CommandDoc. Every option of every (sub)command comes from
// the tree; only the longer prose below is written by hand.
#include <cctype>
#include <string_view>

#include "cli/commands.hpp"
#include "cli/doc.hpp"

namespace vectimus::cli {
namespace {

struct Prose {
  std::string_view command;  // the full name
  std::string_view text;     // paragraphs separated by blank lines
};

// What a one-line CLI11 description cannot say. Short on purpose: README.md and docs/ say more.
constexpr Prose kProse[] = {
    {"vectimus",
     "vectimus decides what an AI coding agent may do. Before each tool call (a shell command, a "
     "file write, an MCP call) the agent runs `vectimus hook`, which turns the call into Cedar "
     "requests, decides them against the policy packs in force, answers in the agent's own "
     "protocol and records the decision in a signed, append-only audit log.\n\n"
     "Configuration comes from ~/.vectimus/config.toml, .vectimus/config.toml in the project and "
     "VECTIMUS_* environment variables; `vectimus status` shows what is in force."},
    {"vectimus hook",
     "Reads one agent payload from standard input and writes the agent's answer on standard "
     "output. Exit status 2 blocks the call; anything that goes wrong (a payload that cannot be "
     "read, a policy with an error) blocks it too, with the reason on standard error."},
    {"vectimus init",
     "Adds the vectimus hook to the configuration files of the agents found in this project "
     "(or, with --user, in the home folder). `vectimus remove` takes it out again."},
};

// Escapes text for roff: backslashes, hyphens (so they are not hyphenation points), and a
// leading dot or quote, which would start a request.
std::string roff(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else if (c == '\n') {
      out += "\n";
    } else {
      out += c;
    }
    if ((c == '.' || c == '\'') && (out.size() == 1 || out[out.size() - 2] == '\n')) {
      out.insert(out.size() - 1, "\\&");
    }
  }
  return out;
}

std::string paragraphs(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find("\n\n", start);
    if (end == std::string_view::npos) end = text.size();
    if (!out.empty()) out += ".PP\n";
    out += roff(text.substr(start, end - start)) + "\n";
    start = end + 2;
  }
  return out;
}

std::string_view prose(const CommandDoc& command) {
  for (const Prose& p : kProse) {
    if (p.command == command.full_name()) return p.text;
  }
  return {};
}

std::string option_usage(const OptionDoc& o) {
  std::string out;
  const bool positional = o.names.front().front() != '-';
  if (positional) {
    out = "\\fI" + roff(o.names.front()) + "\\fR";
  } else {
    out = "\\fB" + roff(o.names.back()) + "\\fR";
    if (!o.value.empty()) out += " \\fI" + roff(o.value) + "\\fR";
  }
  if (o.repeatable) out += " ...";
  return o.required ? out : "[" + out + "]";
}

std::string synopsis_line(const CommandDoc& c) {
  std::string out = ".B " + roff(c.full_name()) + "\n";
  for (const OptionDoc& o : c.options) {
    if (o.names.back() == "--help") continue;  // listed under OPTIONS; clutter here
    out += option_usage(o) + "\n";
  }
  for (const OptionDoc& o : c.positionals) out += option_usage(o) + "\n";
  if (!c.commands.empty()) out += c.needs_command ? "\\fIcommand\\fR\n" : "[\\fIcommand\\fR]\n";
  return out + ".br\n";
}

std::string option_entry(const OptionDoc& o) {
  std::string out = ".TP\n";
  for (std::size_t i = 0; i < o.names.size(); ++i) {
    const bool positional = o.names[i].front() != '-';
    out += (i ? ", " : "") + std::string(positional ? "\\fI" : "\\fB") + roff(o.names[i]) + "\\fR";
  }
  if (!o.value.empty() && o.names.front().front() == '-') out += " \\fI" + roff(o.value) + "\\fR";
  out += "\n" + roff(o.description.empty() ? "(no description)" : o.description);
  if (!o.choices.empty()) {
    out += ". Values:";
    for (std::size_t i = 0; i < o.choices.size(); ++i) {
      out += std::string(i ? ", " : " ") + "\\fB" + roff(o.choices[i]) + "\\fR";
    }
  }
  if (o.required) out += ". Required";
  if (o.repeatable) out += ". May be given more than once";
  return out + ".\n";
}

std::string option_list(const CommandDoc& c) {
  std::string out;
  for (const OptionDoc& o : c.positionals) out += option_entry(o);
  for (const OptionDoc& o : c.options) out += option_entry(o);
  return out;
}

// A subcommand's section: its synopsis, description and options, then its own subcommands.
std::string subcommand_section(const CommandDoc& c) {
  std::string out = ".SS " + roff(c.full_name()) + "\n";
  out += roff(c.description) + "\n";
  out += option_list(c);
  for (const CommandDoc& sub : c.commands) out += subcommand_section(sub);
  return out;
}

void synopsis_lines(const CommandDoc& c, std::string& out) {
  if (c.commands.empty() || !c.needs_command) out += synopsis_line(c);
  for (const CommandDoc& sub : c.commands) synopsis_lines(sub, out);
}

std::string root_commands(const CommandDoc& root) {
  std::string out = ".SH COMMANDS\n";
  for (const CommandDoc& c : root.commands) {
    out += ".TP\n\\fB" + roff(c.full_name()) + "\\fR\n" + roff(c.description) + "; see\n.BR \\%" +
           roff(man_file_name(c).substr(0, man_file_name(c).size() - 2)) + " (1).\n";
  }
  out += ".SH EXIT STATUS\n.TP\n" + std::to_string(kExitOk) +
         "\nsuccess; for the hook, the call is allowed\n.TP\n" + std::to_string(kExitBadInput) +
         "\nbad input or a failed check (tests failed, lint found errors)\n.TP\n" +
         std::to_string(kExitDeny) + "\nthe hook blocks the call\n";
  return out;
}

std::string name_line(const CommandDoc& c) {
  std::string what = c.description;
  const std::string prefix = c.name() + ": ";
  if (what.rfind(prefix, 0) == 0) what.erase(0, prefix.size());
  const std::string page = man_file_name(c);
  return roff(page.substr(0, page.size() - 2)) + " \\- " + roff(what) + "\n";
}

}  // namespace

std::string man_file_name(const CommandDoc& command) {
  std::string out = "vectimus";
  for (const std::string& p : command.path) out += "-" + p;
  return out + ".1";
}

std::string man_page(const CommandDoc& root, const CommandDoc& command,
                     const std::string& version) {
  const bool is_root = command.path.empty();
  std::string title = man_file_name(command);
  title.resize(title.size() - 2);
  for (char& ch : title) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  std::string out = ".\\\" Generated by `vectimus __doc man` from the command definitions.\n";
  out += ".TH " + roff(title) + " 1 \"\" \"vectimus " + roff(version) + "\" \"User Commands\"\n";
  out += ".SH NAME\n" + name_line(command);
  out += ".SH SYNOPSIS\n";
  if (is_root) {
    out += ".B vectimus\n\\fIcommand\\fR [\\fIoptions\\fR]\n.br\n";
  } else {
    synopsis_lines(command, out);
  }
  // The root's one-liner is already its NAME line.
  out += ".SH DESCRIPTION\n";
  if (!is_root) out += roff(command.description) + ".\n";
  if (const std::string_view text = prose(command); !text.empty()) {
    out += (is_root ? "" : ".PP\n") + paragraphs(text);
  }
  if (!command.options.empty() || !command.positionals.empty()) {
    out += ".SH OPTIONS\n" + option_list(command);
  }
  if (is_root) {
    out += root_commands(command);
  } else if (!command.commands.empty()) {
    out += ".SH COMMANDS\n";
    for (const CommandDoc& sub : command.commands) out += subcommand_section(sub);
  }
  out += ".SH SEE ALSO\n";
  if (is_root) {
    for (std::size_t i = 0; i < root.commands.size(); ++i) {
      const std::string page = man_file_name(root.commands[i]);
      out += ".BR " + roff(page.substr(0, page.size() - 2)) + " (1)" +
             (i + 1 < root.commands.size() ? ",\n" : "\n");
    }
  } else {
    out += ".BR vectimus (1)\n";
  }
  return out;
}

}  // namespace vectimus::cli
