// `vectimus server start`: the team server (server/, docs/server.md). Reads the `[server]` keys
// of the config layers of the working folder, applies the flags over them, loads the one policy
// set every call is decided with, and serves until SIGINT or SIGTERM.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "engine/locate.hpp"
#include "server/http.hpp"
#include "server/policy_store.hpp"
#include "server/settings.hpp"

namespace vectimus::cli {
namespace {

struct ServerOptions {
  std::string host;
  int port = -1;
  std::string unix_path;
  std::string policy_dir;
  bool observe = false;
  std::string tls_cert;
  std::string tls_key;
};

std::optional<std::string> given(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

int run_start(const ServerOptions& o) {
  // The server's Host: no `git config` per call (the event's folder is on another machine) and
  // not the server's own OS user as anyone's identity.
  Host base = real_host();
  base.git_email = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  base.os_user = [] { return std::string(); };
  std::map<std::string, std::string, std::less<>> over;
  if (o.observe) over["VECTIMUS_OBSERVE"] = "true";
  static server::OverlayEnvironment env(*base.env, std::move(over));
  base.env = &env;

  server::Flags flags;
  flags.host = given(o.host);
  if (o.port >= 0) flags.port = static_cast<uint16_t>(o.port);
  flags.unix_path = given(o.unix_path);
  flags.policy_dir = given(o.policy_dir);
  flags.observe = o.observe;
  flags.tls_cert = given(o.tls_cert);
  flags.tls_key = given(o.tls_key);

  const engine::Locations where = engine::locate(base, base.cwd, flags.policy_dir);
  auto config = engine::load_config(base, where.config_files);
  if (!config) {
    std::cerr << render(config.errors());
    return kExitBadInput;
  }
  auto settings = server::make_settings(*config, env, flags);
  if (!settings) {
    std::cerr << render(settings.errors());
    return kExitBadInput;
  }
  server::PolicyStore store(base, flags.policy_dir);
  store.load();
  if (const auto& set = store.current(); !set->engine) {
    std::cerr << "vectimus: the policies did not load; every call is denied until they do:\n"
              << render(set->engine.errors());
  }
  return server::serve(*settings, store, std::cout, std::cerr);
}

}  // namespace

void add_server_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ServerOptions>();
  auto* server = app.add_subcommand("server", "The team server: one policy decision point");
  server->require_subcommand(1);
  auto* start = server->add_subcommand("start", "Serve decisions over HTTP until stopped");
  start->add_option("--host", o->host, "address to listen on (default 127.0.0.1)");
  start->add_option("--port", o->port, "port to listen on (default 8420; 0: any free port)")
      ->check(CLI::Range(0, 65535));
  start->add_option("--unix", o->unix_path, "listen on this Unix socket instead of TCP");
  start->add_option("--policy-dir", o->policy_dir, "use only the packs in this folder");
  start->add_flag("--observe", o->observe, "log every decision, allow every call");
  start->add_option("--tls-cert", o->tls_cert, "PEM certificate chain: serve HTTPS");
  start->add_option("--tls-key", o->tls_key, "PEM private key of --tls-cert");
  start->callback([o, &exit_code] { exit_code = run_start(*o); });
}

}  // namespace vectimus::cli
