// `vectimus observe on|off|status`: `[mode] observe` of the project (or with --global the
// user's) config. In observe mode every call is evaluated and logged, and allowed.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/config_target.hpp"
#include "engine/locate.hpp"
#include "support/json_writer.hpp"

namespace vectimus::cli {
namespace {

struct ObserveOptions {
  bool global = false;
  std::string format = "text";
};

int run_set(const ObserveOptions& o, bool on) {
  const ConfigTarget t = config_target();
  const auto file = target_file(t, o.global);
  if (!file) return kExitBadInput;
  return apply_edit(
      t, *file,
      [&](std::string_view text) {
        return engine::config_set(text, *file, "mode.observe", engine::ConfigValue{on});
      },
      on ? "observe mode on: calls are logged and allowed" : "observe mode off: rules enforce",
      on ? "observe mode was already on" : "observe mode was already off");
}

int run_status(const ObserveOptions& o) {
  const ConfigTarget t = config_target();
  const auto where = engine::locate(t.host, t.host.cwd, std::nullopt);
  auto config = engine::load_config(t.host, where.config_files);
  if (!config) {
    std::cerr << render(config.errors());
    return kExitBadInput;
  }
  const auto origin = config->origins.find(std::string_view("mode.observe"));
  const std::string from = origin != config->origins.end() ? origin->second.label : "default";
  if (o.format == "json") {
    JsonWriter w;
    w.begin_object().key("observe").value(config->observe).key("set_by").value(from);
    std::cout << w.end_object().take() << '\n';
    return kExitOk;
  }
  std::cout << "observe mode " << (config->observe ? "on" : "off") << " (" << from << ")\n";
  return kExitOk;
}

}  // namespace

void add_observe_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ObserveOptions>();
  auto* observe = app.add_subcommand("observe", "Observe mode: log every decision, block nothing");
  observe->require_subcommand(1);
  auto* on = observe->add_subcommand("on", "Log and allow every call");
  auto* off = observe->add_subcommand("off", "Enforce the rules again");
  for (auto* cmd : {on, off}) cmd->add_flag("--global", o->global, "in ~/.vectimus/config.toml");
  on->callback([o, &exit_code] { exit_code = run_set(*o, true); });
  off->callback([o, &exit_code] { exit_code = run_set(*o, false); });
  auto* status = observe->add_subcommand("status", "Whether observe mode is on, and what set it");
  status->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  status->callback([o, &exit_code] { exit_code = run_status(*o); });
}

}  // namespace vectimus::cli
