// describe(): the CLI11 definitions as a CommandDoc tree, and that tree as JSON.
#include <CLI/CLI.hpp>

#include "cli/doc.hpp"
#include "support/json_writer.hpp"

namespace vectimus::cli {
namespace {

// CLI11 lists a closed set in the type name its IsMember validator adds: "TEXT:{text,json}".
std::vector<std::string> choices_of(const CLI::Option& option) {
  const std::string type = option.get_type_name();
  const auto open = type.find(":{");
  const auto close = type.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return {};
  std::vector<std::string> out;
  const std::string body = type.substr(open + 2, close - open - 2);
  std::size_t start = 0;
  while (start <= body.size()) {
    const auto comma = body.find(',', start);
    const auto end = comma == std::string::npos ? body.size() : comma;
    if (end > start) out.push_back(body.substr(start, end - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

OptionDoc describe_option(const CLI::Option& option) {
  OptionDoc doc;
  if (option.get_positional() && !option.nonpositional()) {
    doc.names.push_back(option.get_name(true));
  }
  for (const std::string& s : option.get_snames()) doc.names.push_back("-" + s);
  for (const std::string& l : option.get_lnames()) doc.names.push_back("--" + l);
  if (option.get_expected_max() > 0) {  // a flag expects no value
    const std::string type = option.get_type_name();
    doc.value = type.substr(0, type.find(':'));
    if (doc.value.empty()) doc.value = "VALUE";
  }
  doc.description = option.get_description();
  doc.choices = choices_of(option);
  doc.required = option.get_required();
  doc.repeatable = option.get_expected_max() > 1;
  return doc;
}

CommandDoc describe_command(const CLI::App& app, std::vector<std::string> path) {
  CommandDoc doc;
  doc.path = std::move(path);
  doc.description = app.get_description();
  doc.needs_command = app.get_require_subcommand_min() > 0;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) continue;  // hidden
    OptionDoc o = describe_option(*option);
    if (option->nonpositional()) {
      doc.options.push_back(std::move(o));
    } else {
      doc.positionals.push_back(std::move(o));
    }
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_group().empty()) continue;  // hidden, like `__doc`
    std::vector<std::string> sub_path = doc.path;
    sub_path.push_back(sub->get_name());
    doc.commands.push_back(describe_command(*sub, std::move(sub_path)));
  }
  return doc;
}

void write_strings(JsonWriter& w, std::string_view key, const std::vector<std::string>& items) {
  w.key(key).begin_array();
  for (const std::string& item : items) w.value(item);
  w.end_array();
}

void write_options(JsonWriter& w, std::string_view key, const std::vector<OptionDoc>& options) {
  w.key(key).begin_array();
  for (const OptionDoc& o : options) {
    w.begin_object();
    write_strings(w, "names", o.names);
    w.key("value").value(o.value);
    w.key("description").value(o.description);
    write_strings(w, "choices", o.choices);
    w.key("required").value(o.required);
    w.key("repeatable").value(o.repeatable);
    w.end_object();
  }
  w.end_array();
}

void write_command(JsonWriter& w, const CommandDoc& command) {
  w.begin_object();
  write_strings(w, "path", command.path);
  w.key("description").value(command.description);
  w.key("needs_command").value(command.needs_command);
  write_options(w, "options", command.options);
  write_options(w, "positionals", command.positionals);
  w.key("commands").begin_array();
  for (const CommandDoc& sub : command.commands) write_command(w, sub);
  w.end_array();
  w.end_object();
}

}  // namespace

std::string CommandDoc::full_name() const {
  std::string out = "vectimus";
  for (const std::string& p : path) out += " " + p;
  return out;
}

void list_values(CLI::Option& option, std::span<const std::string_view> values) {
  // In the type name, where CLI11's IsMember puts its set too (choices_of reads it back). It
  // costs the hook ~2.5k instructions at start (callgrind: 697.0k -> 699.5k for `ls`).
  if (values.empty()) return;
  std::string type = "TEXT:{";
  for (const std::string_view v : values) type += std::string(v) + ",";
  type.back() = '}';
  option.type_name(std::move(type));
}

CommandDoc describe(const CLI::App& app) {
  return describe_command(app, {});
}

std::string doc_json(const CommandDoc& root) {
  JsonWriter w;
  write_command(w, root);
  return w.take() + "\n";
}

}  // namespace vectimus::cli
