// The man pages and the bash completion list every command, subcommand, option and closed set of
// values of the CLI. The tree comes from `vectimus __doc json`, checked first against what
// CLI11's own `--help` prints for every (sub)command; the generated files are then read back on
// their own terms (roff sections, the bash script's tables) and compared with it.
#include <simdjson.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/process.hpp"

namespace {

using vectimus::testing::run_process;

struct Option {
  std::vector<std::string> names;
  std::vector<std::string> choices;
  bool takes_value = false;
};

struct Command {
  std::vector<std::string> path;
  std::vector<Option> options;
  std::vector<Option> positionals;
  std::vector<std::string> commands;  // names of the subcommands

  std::string full_name() const {
    std::string out = "vectimus";
    for (const std::string& p : path) out += " " + p;
    return out;
  }
};

std::vector<std::string> strings(simdjson::dom::array items) {
  std::vector<std::string> out;
  for (auto item : items) out.emplace_back(std::string_view(item.get_string()));
  return out;
}

std::vector<Option> options(simdjson::dom::array items) {
  std::vector<Option> out;
  for (simdjson::dom::object o : items) {
    out.push_back({strings(o["names"]), strings(o["choices"]),
                   !std::string_view(o["value"].get_string()).empty()});
  }
  return out;
}

void flatten(simdjson::dom::object node, std::vector<Command>& out) {
  Command c{strings(node["path"]), options(node["options"]), options(node["positionals"]), {}};
  for (simdjson::dom::object sub : simdjson::dom::array(node["commands"])) {
    c.commands.push_back(strings(sub["path"]).back());
  }
  out.push_back(c);
  for (simdjson::dom::object sub : simdjson::dom::array(node["commands"])) flatten(sub, out);
}

// Every (sub)command of the CLI, from the binary's own dump.
const std::vector<Command>& tree() {
  static const std::vector<Command> commands = [] {
    const auto r = run_process({VECTIMUS_BINARY, "__doc", "json"});
    REQUIRE(r.exit_code == 0);
    static simdjson::dom::parser parser;
    std::vector<Command> out;
    flatten(parser.parse(r.out).get_object(), out);
    return out;
  }();
  return commands;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  INFO(path);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// What CLI11's help shows for one command: option names and subcommand names, by section.
struct Help {
  std::set<std::string> options;
  std::set<std::string> commands;
};

Help help_of(const Command& c) {
  std::vector<std::string> argv{VECTIMUS_BINARY};
  argv.insert(argv.end(), c.path.begin(), c.path.end());
  argv.push_back("--help");
  const auto r = run_process(argv);
  REQUIRE(r.exit_code == 0);
  Help help;
  std::istringstream lines(r.out);
  std::string line;
  std::string section;
  while (std::getline(lines, line)) {
    if (!line.empty() && line[0] != ' ') {
      section = line;
      continue;
    }
    std::istringstream words(line);
    std::string first;
    if (!(words >> first)) continue;
    if (section == "Subcommands:") {
      help.commands.insert(first);
    } else if (first[0] == '-') {
      std::istringstream names(first);
      for (std::string name; std::getline(names, name, ',');) help.options.insert(name);
    }
  }
  return help;
}

std::string roff_name(const std::string& text) {
  std::string out;
  for (const char c : text) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out;
}

// The part of a man page that documents `c`: a top-level command's page up to its COMMANDS, a
// subcommand's `.SS` section up to the next section.
std::string man_section(const Command& c) {
  const std::string dir = VECTIMUS_DIST_DIR "/man-src/";
  if (c.path.empty()) return read(dir + "vectimus.1");
  const std::string page = read(dir + "vectimus-" + c.path[0] + ".1");
  if (c.path.size() == 1) return page.substr(0, page.find("\n.SH COMMANDS\n"));
  const std::string head = "\n.SS " + roff_name(c.full_name()) + "\n";
  const auto start = page.find(head);
  INFO(c.full_name() << " has no section in its page");
  REQUIRE(start != std::string::npos);
  const auto end = std::min(page.find("\n.SS ", start + 1), page.find("\n.SH ", start + 1));
  return page.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The bash script's tables: subs, flags, takes and values, by key.
std::map<std::string, std::map<std::string, std::string>> bash_tables() {
  std::map<std::string, std::map<std::string, std::string>> tables;
  std::istringstream lines(read(VECTIMUS_DIST_DIR "/completions/vectimus.bash"));
  for (std::string line; std::getline(lines, line);) {
    const auto open = line.find("['");
    const auto close = line.find("']=");
    if (line.rfind("  ", 0) != 0 || open == std::string::npos || close == std::string::npos) {
      continue;
    }
    const std::string table = line.substr(2, open - 2);
    const std::string key = line.substr(open + 2, close - open - 2);
    std::string value = line.substr(close + 3);
    if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') {
      value = value.substr(1, value.size() - 2);
    }
    tables[table][key] = value;
  }
  return tables;
}

std::set<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::set<std::string> out;
  for (std::string w; in >> w;) out.insert(w);
  return out;
}

}  // namespace

TEST_CASE("the command tree is every command and option CLI11's help shows", "[dist]") {
  REQUIRE(tree().size() > 30);  // 18 commands and their subcommands
  for (const Command& c : tree()) {
    INFO(c.full_name());
    const Help help = help_of(c);
    std::set<std::string> names;
    for (const Option& o : c.options) names.insert(o.names.begin(), o.names.end());
    CHECK(names == help.options);
    CHECK(std::set<std::string>(c.commands.begin(), c.commands.end()) == help.commands);
  }
}

TEST_CASE("every command, option and value is in the man page of its command", "[dist]") {
  const std::string root = read(VECTIMUS_DIST_DIR "/man-src/vectimus.1");
  for (const Command& c : tree()) {
    INFO(c.full_name());
    if (c.path.size() == 1) {
      CHECK(root.find("\\fB" + roff_name(c.full_name()) + "\\fR") != std::string::npos);
      CHECK(root.find(".BR vectimus\\-" + roff_name(c.path[0]) + " (1)") != std::string::npos);
    }
    const std::string section = man_section(c);
    for (const Option& o : c.options) {
      for (const std::string& name : o.names) {
        INFO(name);
        CHECK(section.find("\\fB" + roff_name(name) + "\\fR") != std::string::npos);
      }
      for (const std::string& value : o.choices) {
        CHECK(section.find("\\fB" + roff_name(value) + "\\fR") != std::string::npos);
      }
    }
    for (const Option& p : c.positionals) {
      CHECK(section.find("\\fI" + roff_name(p.names.front()) + "\\fR") != std::string::npos);
    }
  }
}

TEST_CASE("the bash completion lists every command, flag and closed set of values", "[dist]") {
  auto tables = bash_tables();
  for (const Command& c : tree()) {
    const std::string key = c.full_name();
    INFO(key);
    CHECK(words(tables["subs"][key]) ==
          std::set<std::string>(c.commands.begin(), c.commands.end()));
    const std::set<std::string> flags = words(tables["flags"][key]);
    for (const Option& o : c.options) {
      for (const std::string& name : o.names) {
        INFO(name);
        CHECK(flags.count(name) == 1);
        CHECK(tables["takes"].count(key + " " + name) == (o.takes_value ? 1u : 0u));
        const std::set<std::string> values(o.choices.begin(), o.choices.end());
        CHECK(words(tables["values"][key + " " + name]) == values);
      }
    }
  }
}
