// `vectimus pack list | enable NAME | disable NAME | new NAME`. enable/disable write
// `[packs.<name>] enabled` (engine/config_edit.hpp) in the project's, or with --global the
// user's, config; `new` scaffolds a project pack (writing-policies.md, "Custom policy packs"):
// pack.toml, one annotated example rule, and a tests.json that `vectimus test` runs.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/config_target.hpp"
#include "cli/table.hpp"
#include "engine/temp_disable.hpp"
#include "support/json_writer.hpp"

namespace vectimus::cli {
namespace {

struct PackOptions {
  std::string name;
  bool global = false;
  std::string format = "text";
};

bool known_pack(const engine::Engine& e, std::string_view name) {
  std::vector<std::string_view> names;
  for (const auto& pack : e.packs().packs) {
    if (pack.manifest.name == name) return true;
    names.push_back(pack.manifest.name);
  }
  std::cerr << "error: no pack `" << name << "` is loaded here\n";
  const auto near = engine::nearest_ids(name, names, 1);
  std::cerr << "  help: "
            << (near.empty() ? std::string("`vectimus pack list` shows the packs")
                             : "did you mean `" + near.front() + "`?")
            << "\n";
  return false;
}

std::string status_of(const ConfigTarget& t, std::string_view name) {
  const auto in = [&](const std::string& file) -> std::optional<bool> {
    auto c = engine::load_config(t.host, {file});
    if (!c) return std::nullopt;
    auto it = c->pack_enabled.find(name);
    if (it == c->pack_enabled.end()) return std::nullopt;
    return it->second;
  };
  if (t.project) {
    if (auto v = in(t.project_file())) return *v ? "enabled (project)" : "disabled (project)";
  }
  if (t.home) {
    if (auto v = in(t.global_file())) return *v ? "enabled (global)" : "disabled (global)";
  }
  return "enabled";
}

int run_list(const PackOptions& o) {
  const ConfigTarget t = config_target();
  auto e = load_engine(t);
  if (!e) return kExitBadInput;
  const auto& packs = e->packs().packs;
  std::vector<std::size_t> counts(packs.size());
  for (const auto& rule : e->packs().rules) ++counts[rule.pack];
  if (o.format == "json") {
    JsonWriter w;
    w.begin_array();
    for (std::size_t i = 0; i < packs.size(); ++i) {
      w.begin_object().key("name").value(packs[i].manifest.name);
      w.key("version").value(packs[i].manifest.version);
      w.key("rules").value(static_cast<uint64_t>(counts[i]));
      w.key("status").value(status_of(t, packs[i].manifest.name));
      w.key("location").value(packs[i].location).end_object();
    }
    std::cout << w.end_array().take() << '\n';
    return kExitOk;
  }
  Table table({"PACK", "VERSION", "RULES", "STATUS", "FROM"});
  for (std::size_t i = 0; i < packs.size(); ++i) {
    const std::string status = status_of(t, packs[i].manifest.name);
    table.add({packs[i].manifest.name, packs[i].manifest.version, std::to_string(counts[i]),
               Cell(status, status.starts_with("disabled") ? Colour::yellow : Colour::green),
               Cell(packs[i].location, Colour::dim)});
  }
  std::cout << table.render(use_colour());
  return kExitOk;
}

int run_switch(const PackOptions& o, bool enable) {
  const ConfigTarget t = config_target();
  auto e = load_engine(t);
  if (!e || !known_pack(*e, o.name)) return kExitBadInput;
  const auto file = target_file(t, o.global);
  if (!file) return kExitBadInput;
  const std::string key = "packs." + o.name + ".enabled";
  // Enabling clears this file's switch; in a project whose global config disables the pack, it
  // says `true` so the project wins.
  const bool global_off = !o.global && status_of(t, o.name) == "disabled (global)";
  return apply_edit(
      t, *file,
      [&](std::string_view text) {
        if (enable && !global_off) return engine::config_unset(text, *file, key);
        return engine::config_set(text, *file, key, engine::ConfigValue{enable});
      },
      "pack " + o.name + (enable ? " enabled" : " disabled"),
      "pack " + o.name + (enable ? " was already enabled" : " was already disabled"));
}

bool valid_pack_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && name.front() != '-' &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

std::string rule_text(const std::string& name) {
  return "// " + name +
         ": the team's own rules. Each rule needs a unique @id (across every pack), a\n"
         "// @description, and a @suggested_alternative the agent is shown when it is blocked.\n"
         "// The example below blocks writes to production database config; change it or add\n"
         "// rules next to it, then run the tests (tests.json) as pack.toml's comment says.\n"
         "\n"
         "@id(\"" +
         name +
         "-001\")\n"
         "@description(\"Block writes to production database config\")\n"
         "@suggested_alternative(\"Propose config changes via a pull request for human "
         "review.\")\n"
         "// deny (the default), escalate or observe; `vectimus rule enforce` overrides it.\n"
         "@enforcement(\"deny\")\n"
         "forbid (\n"
         "    principal,\n"
         "    action == Vectimus::Action::\"file_write\",\n"
         "    resource\n"
         ") when {\n"
         "    context.file_path like \"*production*database*\"\n"
         "};\n";
}

std::string tests_text(const std::string& name) {
  const auto write = [](const std::string& path) {
    return R"({"session_id": "s1", "cwd": "/work/app", "hook_event_name": "PreToolUse", )"
           R"("tool_name": "Write", "tool_input": {"file_path": ")" +
           path + R"(", "content": "x"}})";
  };
  return "[\n  {\"name\": \"" + name +
         "-001 blocks a write to production database config\", \"source\": \"claude-code\", "
         "\"payload\": " +
         write("/work/app/config/production/database.yml") +
         ", \"expected\": \"deny\"},\n  {\"name\": \"near miss: staging database config\", "
         "\"source\": \"claude-code\", \"payload\": " +
         write("/work/app/config/staging/database.yml") + ", \"expected\": \"allow\"}\n]\n";
}

int run_new(const PackOptions& o) {
  if (!valid_pack_name(o.name)) {
    std::cerr << "error: `" << o.name << "` is not a pack name\n"
              << "  help: use lower-case letters, digits and `-`, e.g. my-team\n";
    return kExitBadInput;
  }
  const ConfigTarget t = config_target();
  const auto config = target_file(t, o.global);
  if (!config) return kExitBadInput;
  const std::string root = o.global ? *t.home : *t.project;
  const std::string dir = join_path(join_path(join_path(root, ".vectimus"), "packs"), o.name);
  if (t.host.fs->exists(dir)) {
    std::cerr << "error: `" << dir << "` already exists\n"
              << "  help: choose another name, or edit that pack\n";
    return kExitBadInput;
  }
  const std::string manifest = "# Run this pack's tests with:\n#   vectimus test --file " +
                               join_path(dir, "tests.json") + " --policy-dir " + dir +
                               "\n[pack]\nname = \"" + o.name +
                               "\"\nversion = \"0.1.0\"\ndescription = \"" + o.name +
                               " governance rules\"\nauthor = \"" + o.name + "\"\n";
  const std::pair<std::string, std::string> files[] = {{"pack.toml", manifest},
                                                       {"rules.cedar", rule_text(o.name)},
                                                       {"tests.json", tests_text(o.name)}};
  if (IoStatus made = t.host.fs->make_directories(dir, 0755); !made.ok()) {
    std::cerr << "error: " << made.error << '\n';
    return kExitBadInput;
  }
  for (const auto& [file, text] : files) {
    if (IoStatus written = t.host.fs->replace(join_path(dir, file), text, 0644); !written.ok()) {
      std::cerr << "error: " << written.error << '\n';
      return kExitBadInput;
    }
  }
  std::cout << "created pack " << o.name << " in " << dir
            << " (pack.toml, rules.cedar, tests.json)\n"
            << "test it: vectimus test --file " << join_path(dir, "tests.json") << " --policy-dir "
            << dir << '\n';
  return kExitOk;
}

}  // namespace

void add_pack_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<PackOptions>();
  auto* pack = app.add_subcommand("pack", "List, enable, disable and create policy packs");
  pack->require_subcommand(1);
  auto* list = pack->add_subcommand("list", "The packs loaded here, their rules and status");
  list->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  list->callback([o, &exit_code] { exit_code = run_list(*o); });
  auto* enable = pack->add_subcommand("enable", "Let a pack's rules apply again");
  auto* disable = pack->add_subcommand("disable", "Leave out all of a pack's rules");
  auto* created = pack->add_subcommand("new", "Scaffold a project pack in .vectimus/packs/NAME");
  for (auto* cmd : {enable, disable, created}) {
    cmd->add_option("NAME", o->name, "pack name")->required();
    cmd->add_flag("--global", o->global, "in ~/.vectimus instead of the project");
  }
  enable->callback([o, &exit_code] { exit_code = run_switch(*o, true); });
  disable->callback([o, &exit_code] { exit_code = run_switch(*o, false); });
  created->callback([o, &exit_code] { exit_code = run_new(*o); });
}

}  // namespace vectimus::cli
