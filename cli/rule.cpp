// `vectimus rule list|show ID|disable ID|enable ID|enforce ID|overrides` (writing-policies.md,
// "Rule management" and "Overriding enforcement per-project"). Permanent changes are config
// edits (engine/config_edit.hpp) of the project's `.vectimus/config.toml`, or with `--global`
// of `~/.vectimus/config.toml`; `disable --for` writes the temporary-disable state file
// (engine/temp_disable.hpp) that the engine reads when it loads. Resolution of a rule's level:
// project > global > @enforcement > deny, as the engine applies it.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/config_target.hpp"
#include "cli/table.hpp"
#include "engine/temp_disable.hpp"
#include "support/json_writer.hpp"

namespace vectimus::cli {
namespace {

struct RuleOptions {
  std::string id;
  bool global = false;
  std::string duration;
  std::string level;
  bool clear = false;
  std::string format = "text";
};

int64_t now_s(const Host& host) {
  return host.now_ns() / 1'000'000'000;
}

// The settings of one config file alone (a file that does not load counts as empty; the
// engine load before this reported its errors).
engine::Config file_config(const Host& host, const std::string& file) {
  auto config = engine::load_config(host, {file});
  return config ? std::move(config).value() : engine::Config{};
}

struct Scopes {
  engine::Config project, global;
  engine::TempDisables temp;
};

Scopes scopes(const ConfigTarget& t) {
  Scopes s;
  if (t.home) s.global = file_config(t.host, t.global_file());
  if (t.project) {
    s.project = file_config(t.host, t.project_file());
    s.temp = engine::read_temp_disables(t.host, *t.project, now_s(t.host));
  }
  return s;
}

std::string status_of(const Scopes& s, const engine::Engine& e, uint32_t rule, int64_t now,
                      Colour& colour) {
  const auto& info = e.packs().rules[rule];
  colour = Colour::yellow;
  if (s.project.rule_disabled(info.id)) return "off (project)";
  if (s.global.rule_disabled(info.id)) return "off (global)";
  if (auto it = s.temp.find(info.id); it != s.temp.end()) {
    return "temp (" + engine::format_remaining(it->second - now) + ")";
  }
  if (!e.rule_enabled(rule)) return "off (pack)";
  colour = Colour::green;
  return "on";
}

std::string level_source(const Scopes& s, std::string_view id, bool annotated) {
  if (s.project.enforcement.contains(id)) return "project";
  if (s.global.enforcement.contains(id)) return "global";
  return annotated ? "annotation" : "default";
}

int run_list(const RuleOptions& o) {
  const ConfigTarget t = config_target();
  auto e = load_engine(t);
  if (!e) return kExitBadInput;
  const Scopes s = scopes(t);
  const int64_t now = now_s(t.host);
  const auto& rules = e->packs().rules;
  if (o.format == "json") {
    JsonWriter w;
    w.begin_array();
    for (uint32_t i = 0; i < rules.size(); ++i) {
      Colour c;
      w.begin_object().key("id").value(rules[i].id);
      w.key("pack").value(e->packs().packs[rules[i].pack].manifest.name);
      w.key("description").value(rules[i].description);
      w.key("level").value(engine::enforcement_name(e->enforcement_of(i)));
      w.key("level_source").value(level_source(s, rules[i].id, rules[i].enforcement.has_value()));
      w.key("status").value(status_of(s, *e, i, now, c));
      if (auto it = s.temp.find(rules[i].id); it != s.temp.end()) {
        w.key("temp_until").value(it->second);
      }
      w.end_object();
    }
    std::cout << w.end_array().take() << '\n';
    return kExitOk;
  }
  Table table({"ID", "PACK", "DESCRIPTION", "LEVEL", "STATUS"});
  for (uint32_t i = 0; i < rules.size(); ++i) {
    Colour c;
    const std::string status = status_of(s, *e, i, now, c);
    const auto level = e->enforcement_of(i);
    table.add({std::string(rules[i].id), e->packs().packs[rules[i].pack].manifest.name,
               std::string(rules[i].description),
               Cell(engine::enforcement_name(level),
                    level == engine::Enforcement::deny ? Colour::none : Colour::yellow),
               Cell(status, c)});
  }
  std::cout << table.render(use_colour());
  return kExitOk;
}

int run_show(const RuleOptions& o) {
  const ConfigTarget t = config_target();
  auto e = load_engine(t);
  if (!e || !known_rule(*e, o.id)) return kExitBadInput;
  const Scopes s = scopes(t);
  const auto& rules = e->packs().rules;
  uint32_t i = 0;
  while (rules[i].id != o.id) ++i;
  Colour c;
  const std::string status = status_of(s, *e, i, now_s(t.host), c);
  const std::string level(engine::enforcement_name(e->enforcement_of(i)));
  const std::string source = level_source(s, o.id, rules[i].enforcement.has_value());
  const std::string& pack = e->packs().packs[rules[i].pack].manifest.name;
  if (o.format == "json") {
    JsonWriter w;
    w.begin_object().key("id").value(rules[i].id).key("pack").value(pack);
    w.key("description").value(rules[i].description);
    w.key("suggested_alternative").value(rules[i].suggested_alternative);
    w.key("controls").value(rules[i].controls);
    w.key("level").value(level).key("level_source").value(source);
    w.key("status").value(status);
    std::cout << w.end_object().take() << '\n';
    return kExitOk;
  }
  Table table({"FIELD", "VALUE"});
  table.add({"id", std::string(rules[i].id)});
  table.add({"pack", pack});
  table.add({"description", std::string(rules[i].description)});
  if (!rules[i].suggested_alternative.empty()) {
    table.add({"alternative", std::string(rules[i].suggested_alternative)});
  }
  if (!rules[i].controls.empty()) table.add({"controls", std::string(rules[i].controls)});
  table.add({"level", level + " (" + source + ")"});
  table.add({"status", Cell(status, c)});
  std::cout << table.render(use_colour());
  return kExitOk;
}

int run_disable(const RuleOptions& o) {
  if (!o.duration.empty() && o.global) {
    std::cerr << "error: --for cannot be combined with --global: temporary disables are per "
                 "project\n  help: run it in the project, without --global\n";
    return kExitBadInput;
  }
  const ConfigTarget t = config_target();
  auto e = load_engine(t);
  if (!e || !known_rule(*e, o.id)) return kExitBadInput;
  if (!o.duration.empty()) {
    auto seconds = engine::parse_duration(o.duration);
    if (!seconds) {
      std::cerr << render(seconds.errors());
      return kExitBadInput;
    }
    if (!target_file(t, false)) return kExitBadInput;
    const int64_t now = now_s(t.host);
    engine::TempDisables temp = engine::read_temp_disables(t.host, *t.project, now);
    temp[o.id] = now + *seconds;
    auto written = engine::write_temp_disables(t.host, *t.project, temp, now);
    if (!written) {
      std::cerr << render(written.errors());
      return kExitBadInput;
    }
    std::cout << "rule " << o.id << " disabled for " << engine::format_remaining(*seconds) << " in "
              << *t.project << " (" << engine::temp_disable_file(t.host, *t.project).value_or("")
              << ")\n";
    return kExitOk;
  }
  const auto file = target_file(t, o.global);
  if (!file) return kExitBadInput;
  return apply_edit(
      t, *file,
      [&](std::string_view text) {
        return engine::config_list_add(text, *file, "rules.disabled", o.id);
      },
      "rule " + o.id + " disabled", "rule " + o.id + " was already disabled");
}

int run_enable(const RuleOptions& o) {
  const ConfigTarget t = config_target();
  auto e = load_engine(t);
  if (!e || !known_rule(*e, o.id)) return kExitBadInput;
  bool cleared_temp = false;
  if (t.project) {
    const int64_t now = now_s(t.host);
    engine::TempDisables temp = engine::read_temp_disables(t.host, *t.project, now);
    if (temp.erase(o.id) > 0) {
      auto written = engine::write_temp_disables(t.host, *t.project, temp, now);
      if (!written) {
        std::cerr << render(written.errors());
        return kExitBadInput;
      }
      cleared_temp = true;
      std::cout << "rule " << o.id << ": temporary disable cleared\n";
    }
  }
  const auto file = target_file(t, o.global);
  if (!file) return kExitBadInput;
  return apply_edit(
      t, *file,
      [&](std::string_view text) {
        return engine::config_list_remove(text, *file, "rules.disabled", o.id);
      },
      "rule " + o.id + " enabled",
      cleared_temp ? std::string() : "rule " + o.id + " was not disabled there");
}

int run_enforce(const RuleOptions& o) {
  if (o.clear == !o.level.empty()) {
    std::cerr << "error: give either --level deny|escalate|observe or --clear\n";
    return kExitBadInput;
  }
  const ConfigTarget t = config_target();
  auto e = load_engine(t);
  if (!e || !known_rule(*e, o.id)) return kExitBadInput;
  const auto file = target_file(t, o.global);
  if (!file) return kExitBadInput;
  const std::string key = "rules.enforcement." + o.id;
  if (o.clear) {
    return apply_edit(
        t, *file, [&](std::string_view text) { return engine::config_unset(text, *file, key); },
        "rule " + o.id + ": enforcement override cleared",
        "rule " + o.id + " had no enforcement override there");
  }
  return apply_edit(
      t, *file,
      [&](std::string_view text) {
        return engine::config_set(text, *file, key, engine::ConfigValue{o.level});
      },
      "rule " + o.id + " now enforces " + o.level, "rule " + o.id + " already enforces " + o.level);
}

int run_overrides(const RuleOptions& o) {
  const ConfigTarget t = config_target();
  const Scopes s = scopes(t);
  const int64_t now = now_s(t.host);
  struct Row {
    std::string scope, rule, setting;
  };
  std::vector<Row> rows;
  for (const auto& [scope, config] : {std::pair{"project", &s.project}, {"global", &s.global}}) {
    for (const auto& id : config->disabled_rules) rows.push_back({scope, id, "disabled"});
    for (const auto& [id, level] : config->enforcement) {
      rows.push_back({scope, id, "level " + std::string(engine::enforcement_name(level))});
    }
  }
  for (const auto& [id, until] : s.temp) {
    rows.push_back({"temp", id, "disabled (" + engine::format_remaining(until - now) + " left)"});
  }
  if (o.format == "json") {
    JsonWriter w;
    w.begin_array();
    for (const Row& r : rows) {
      w.begin_object().key("scope").value(r.scope).key("rule").value(r.rule);
      w.key("setting").value(r.setting).end_object();
    }
    std::cout << w.end_array().take() << '\n';
    return kExitOk;
  }
  if (rows.empty()) {
    std::cout << "no overrides: every rule runs at its annotated level\n";
    return kExitOk;
  }
  Table table({"SCOPE", "RULE", "SETTING"});
  for (const Row& r : rows) table.add({r.scope, r.rule, Cell(r.setting, Colour::yellow)});
  std::cout << table.render(use_colour());
  return kExitOk;
}

}  // namespace

void add_rule_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<RuleOptions>();
  auto* rule = app.add_subcommand("rule", "List, show, disable, enable and re-level rules");
  rule->require_subcommand(1);
  const auto format = [&](CLI::App* cmd) {
    cmd->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  };
  auto* list = rule->add_subcommand("list", "Every rule with its pack, level and status");
  format(list);
  list->callback([o, &exit_code] { exit_code = run_list(*o); });
  auto* show = rule->add_subcommand("show", "One rule's annotations, level and status");
  show->add_option("ID", o->id, "rule id")->required();
  format(show);
  show->callback([o, &exit_code] { exit_code = run_show(*o); });
  auto* disable = rule->add_subcommand("disable", "Turn a rule off for this project");
  disable->add_option("ID", o->id, "rule id")->required();
  disable->add_flag("--global", o->global, "everywhere (~/.vectimus/config.toml)");
  disable->add_option("--for", o->duration, "only for a while: 90s, 30m, 2h, 1h30m");
  disable->callback([o, &exit_code] { exit_code = run_disable(*o); });
  auto* enable = rule->add_subcommand("enable", "Turn a rule back on (also ends a --for)");
  enable->add_option("ID", o->id, "rule id")->required();
  enable->add_flag("--global", o->global, "in ~/.vectimus/config.toml");
  enable->callback([o, &exit_code] { exit_code = run_enable(*o); });
  auto* enforce = rule->add_subcommand("enforce", "Set or clear a rule's enforcement level");
  enforce->add_option("ID", o->id, "rule id")->required();
  enforce->add_option("--level", o->level, "deny, escalate or observe")
      ->check(CLI::IsMember({"deny", "escalate", "observe"}));
  enforce->add_flag("--clear", o->clear, "remove the override (back to the annotation)");
  enforce->add_flag("--global", o->global, "in ~/.vectimus/config.toml");
  enforce->callback([o, &exit_code] { exit_code = run_enforce(*o); });
  auto* overrides = rule->add_subcommand("overrides", "Every disable and level override");
  format(overrides);
  overrides->callback([o, &exit_code] { exit_code = run_overrides(*o); });
}

}  // namespace vectimus::cli
