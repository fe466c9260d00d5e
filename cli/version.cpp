// `vectimus --version`: the binary's version, the packs in force here (the built-in packs'
// versions, and any home or project pack in their place), and the hash of the active policy set
// (the `policy_set_hash` every receipt carries), so a receipt can be matched to a setup.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/config_target.hpp"
#include "cli/table.hpp"
#include "engine/builtin.hpp"
#include "engine/locate.hpp"
#include "pipeline/evidence.hpp"

namespace vectimus::cli {
namespace {

std::string version_text() {
  std::string out = "vectimus " VECTIMUS_VERSION "\n";
  const ConfigTarget t = config_target();
  auto e = engine::Engine::load(t.host, engine::locate(t.host, t.host.cwd, std::nullopt), {});
  if (!e) {
    out += "built-in policy set " + std::string(engine::builtin_policy_set_hash()) + "\n";
    out += "active policy set: cannot load here: " + e.errors().front().message + "\n";
    return out;
  }
  out += "policy set " + pipeline::policy_set_hash(e->packs()) + "\n";
  Table table({"PACK", "VERSION", "FROM"});
  for (const engine::Pack& pack : e->packs().packs) {
    table.add({pack.manifest.name, pack.manifest.version, pack.location});
  }
  out += table.render(false);
  if (!out.empty() && out.back() == '\n') out.pop_back();  // CLI11 adds the last newline
  return out;
}

}  // namespace

std::string version_number() {
  return VECTIMUS_VERSION;
}

void add_version_flag(CLI::App& app) {
  app.set_version_flag("--version", version_text, "the version, the packs and the policy set hash");
}

}  // namespace vectimus::cli
