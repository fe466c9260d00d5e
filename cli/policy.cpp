// `vectimus policy bundle|update|status`: a team's signed policy bundles (docs/bundles.md).
//
//   policy bundle DIR... -o FILE [--version V] [--key F]   lint, then sign (bundle/bundle.hpp)
//   policy update [--from PATH|URL]                         fetch, verify, install
//                                                           (bundle/install.hpp)
//   policy status [--format json]                           built-in, installed, last check
//
// `update` takes its source from `--from`, else `[updates] source`; a URL with no path is a
// team server's, whose bundle is at /v1/bundle. Every update, installed or refused, is recorded
// as the last check; `--if-due` (what auto_sync runs, cli/policy_sync.hpp) first returns
// quietly unless `[updates] sync_interval_hours` have passed since it.
#include <CLI/CLI.hpp>
#include <iostream>

#include "audit/keys.hpp"
#include "audit/record.hpp"
#include "bundle/bundle.hpp"
#include "bundle/install.hpp"
#include "cli/commands.hpp"
#include "cli/config_target.hpp"
#include "cli/policy_sync.hpp"
#include "client/http_client.hpp"
#include "engine/builtin.hpp"
#include "engine/locate.hpp"
#include "support/json_writer.hpp"

namespace vectimus::cli {
namespace {

struct PolicyOptions {
  std::vector<std::string> dirs;
  std::string output;
  std::string version;
  std::string key;
  std::string from;
  bool if_due = false;
  int timeout_seconds = 30;
  std::string format = "text";
};

int fail(const Diagnostics& errors) {
  std::cerr << render(errors);
  return kExitBadInput;
}

std::optional<std::string> home_or_complain(const ConfigTarget& t) {
  if (!t.home) std::cerr << "error: HOME is not set, so there is no ~/.vectimus/\n";
  return t.home;
}

std::optional<engine::Config> load_config(const ConfigTarget& t) {
  auto config = engine::load_config(t.host, engine::locate(t.host, t.host.cwd, {}).config_files);
  if (!config) {
    std::cerr << render(config.errors());
    return std::nullopt;
  }
  return std::move(config).value();
}

int run_bundle(const PolicyOptions& o) {
  const ConfigTarget t = config_target();
  const auto home = home_or_complain(t);
  if (!home) return kExitBadInput;
  auto files = bundle::collect_pack_files(t.host, o.dirs);
  if (!files) return fail(files.errors());
  if (Diagnostics bad = bundle::check_packs(*files); !bad.empty()) return fail(bad);
  auto key = o.key.empty() ? audit::load_or_create_signing_key(t.host, *home)
                           : audit::read_signing_key(t.host, o.key);
  if (!key) return fail(key.errors());
  auto bytes = bundle::make_bundle(t.host, o.dirs, o.version, *key, t.host.now_ns());
  if (!bytes) return fail(bytes.errors());
  if (IoStatus s = t.host.fs->replace(o.output, *bytes, 0644); !s.ok()) {
    std::cerr << "error: " << s.error << '\n';
    return kExitBadInput;
  }
  auto made = bundle::verify_bundle(
      *bytes, std::vector<audit::PublicKey>{{key->key.public_key, key->id, o.key}});
  if (!made) return fail(made.errors());
  std::cout << "bundle " << o.output << ": version " << made->version << ", " << made->packs.size()
            << (made->packs.size() == 1 ? " pack, " : " packs, ") << made->files.size()
            << " files, signed by " << made->signer << '\n';
  if (o.key.empty()) {
    std::cout << "developers trust it with its public key: "
              << join_path(audit::home_keys_dir(*home), key->id + ".pub") << '\n';
  }
  return kExitOk;
}

// The bundle's bytes from a file or an http(s) URL (a bare server URL: its /v1/bundle).
Result<std::string> fetch(const Host& host, const std::string& from, int timeout_seconds) {
  if (!from.starts_with("http://") && !from.starts_with("https://")) {
    FileRead read = host.fs->read(from, bundle::kMaxBundleBytes);
    if (read.status == FileRead::Status::ok) return std::move(read.text);
    return make_error(
        "io", "cannot read the bundle `" + from + "`" +
                  (read.status == FileRead::Status::missing     ? ": no such file"
                   : read.status == FileRead::Status::too_large ? ": too large to be a bundle"
                                                                : ": " + read.error));
  }
  auto url = client::parse_url(from);
  if (!url) return make_error("url", "`" + from + "` is not an http(s) URL");
  client::Request req;
  req.url = url->target == "/" ? url->text() + "v1/bundle" : from;
  client::Options options;
  options.timeout = std::chrono::seconds(timeout_seconds);
  options.max_body_bytes = bundle::kMaxBundleBytes;
  client::HttpResult result = client::request(req, options);
  if (!result)
    return make_error("fetch", "cannot fetch `" + req.url + "`: " + result.error().message);
  if (result.response().status != 200) {
    return make_error("fetch", "`" + req.url + "` answered " +
                                   std::to_string(result.response().status) + ": " +
                                   result.response().body.substr(0, 200));
  }
  return std::move(result.response().body);
}

// Fetches, verifies and installs; returns the result line for the last check.
Result<bundle::InstallResult> update(const ConfigTarget& t, const std::string& home,
                                     const engine::Config& config, const std::string& from,
                                     int timeout_seconds) {
  auto keys = bundle::load_trusted_keys(t.host, config.updates_trusted_keys, home);
  if (!keys) return std::move(keys).take_errors();
  if (keys->empty()) {
    return make_error("untrusted-key", "no trusted keys: `[updates] trusted_keys` is empty",
                      std::nullopt,
                      "add your team's public key file to `[updates] trusted_keys` in "
                      "~/.vectimus/config.toml");
  }
  auto bytes = fetch(t.host, from, timeout_seconds);
  if (!bytes) return std::move(bytes).take_errors();
  return bundle::install_bundle(t.host, home, *bytes, from, *keys);
}

int run_update(const PolicyOptions& o) {
  const ConfigTarget t = config_target();
  const auto home = home_or_complain(t);
  if (!home) return kExitBadInput;
  const auto config = load_config(t);
  if (!config) return kExitBadInput;
  if (o.if_due && !sync_due(t.host, *home, *config)) return kExitOk;
  std::string from = !o.from.empty() ? o.from : config->updates_source.value_or("");
  // A file is recorded by its absolute path: `policy status` may run from anywhere.
  if (!from.empty() && from.front() != '/' && !from.starts_with("http://") &&
      !from.starts_with("https://")) {
    from = join_path(t.host.cwd, from);
  }
  if (o.if_due) {
    // Claimed at once, so the hooks that end while this one downloads do not start more.
    (void)bundle::write_last_check(t.host, *home, {t.host.now_ns(), from, "checking"});
  }
  if (from.empty()) {
    std::cerr << "error: no bundle to update from\n  help: give --from PATH|URL, or set "
                 "`[updates] source`\n";
    return kExitBadInput;
  }
  auto result = update(t, *home, *config, from, o.timeout_seconds);
  bundle::LastCheck check{t.host.now_ns(), from, {}};
  if (!result) {
    const Diagnostic& first = result.errors().front();
    check.result = "refused (" + first.code + "): " + first.message;
    std::cerr << "error: update refused, nothing changed\n" << render(result.errors());
  } else if (result->outcome == bundle::InstallOutcome::unchanged) {
    check.result = "unchanged: version " + result->now.version + " is installed";
    std::cout << "policy bundle " << result->now.version << " is installed already\n";
  } else {
    check.result = "installed " + result->now.version;
    std::cout << "installed policy bundle " << result->now.version << " from " << from
              << " (signed by " << result->now.signer << "; packs:";
    for (const bundle::PackEntry& p : result->now.packs)
      std::cout << ' ' << p.name << ' ' << p.version;
    std::cout << ")";
    if (result->before) std::cout << ", replacing " << result->before->version;
    std::cout << '\n';
  }
  if (IoStatus s = bundle::write_last_check(t.host, *home, check); !s.ok()) {
    std::cerr << "warning: cannot record the check: " << s.error << '\n';
  }
  return result ? kExitOk : kExitBadInput;
}

void write_status_json(JsonWriter& w, const std::optional<bundle::Installed>& installed,
                       const std::optional<bundle::LastCheck>& check,
                       const engine::Config& config) {
  w.begin_object();
  w.key("builtin").begin_object().key("vectimus").value(VECTIMUS_VERSION);
  w.key("policy_set_hash").value(engine::builtin_policy_set_hash()).end_object();
  w.key("installed");
  if (installed) {
    w.begin_object()
        .key("version")
        .value(installed->version)
        .key("signer")
        .value(installed->signer);
    w.key("created").value(installed->created).key("installed_at").value(installed->installed_at);
    w.key("source").value(installed->source).key("folder").value(installed->folder);
    w.key("packs").begin_array();
    for (const auto& p : installed->packs) {
      w.begin_object().key("name").value(p.name).key("version").value(p.version).end_object();
    }
    w.end_array().end_object();
  } else {
    w.null();
  }
  w.key("last_check");
  if (check) {
    w.begin_object().key("time").value(audit::iso_timestamp(check->time_ns));
    w.key("source").value(check->source).key("result").value(check->result).end_object();
  } else {
    w.null();
  }
  w.key("trusted_keys").begin_array();
  for (const std::string& k : config.updates_trusted_keys) w.value(k);
  w.end_array();
  w.key("auto_sync").value(config.updates_auto_sync);
  w.key("sync_interval_hours").value(static_cast<uint64_t>(config.updates_sync_interval_hours));
  w.end_object();
}

int run_status(const PolicyOptions& o) {
  const ConfigTarget t = config_target();
  const auto home = home_or_complain(t);
  if (!home) return kExitBadInput;
  const auto config = load_config(t);
  if (!config) return kExitBadInput;
  const auto installed = bundle::read_installed(t.host, *home);
  const auto check = bundle::read_last_check(t.host, *home);
  if (o.format == "json") {
    JsonWriter w;
    write_status_json(w, installed, check, *config);
    std::cout << w.str() << '\n';
    return kExitOk;
  }
  std::cout << "built-in: vectimus " VECTIMUS_VERSION ", policy set "
            << engine::builtin_policy_set_hash() << '\n';
  if (installed) {
    std::cout << "installed bundle: version " << installed->version << ", signed by "
              << installed->signer << " at " << installed->created << ", installed "
              << installed->installed_at << " from " << installed->source << '\n';
    for (const auto& p : installed->packs) {
      std::cout << "  pack " << p.name << ' ' << p.version << '\n';
    }
  } else {
    std::cout << "installed bundle: none\n";
  }
  if (check) {
    std::cout << "last check: " << audit::iso_timestamp(check->time_ns) << " from " << check->source
              << ": " << check->result << '\n';
  } else {
    std::cout << "last check: never\n";
  }
  std::cout << "trusted keys:";
  for (const std::string& k : config->updates_trusted_keys) std::cout << ' ' << k;
  std::cout << (config->updates_trusted_keys.empty() ? " none\n" : "\n");
  std::cout << "auto sync: "
            << (config->updates_auto_sync
                    ? "every " + std::to_string(config->updates_sync_interval_hours) + " h"
                    : std::string("off"))
            << '\n';
  return kExitOk;
}

}  // namespace

void add_policy_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<PolicyOptions>();
  auto* cmd = app.add_subcommand("policy", "Signed policy bundles: make, update, status");
  cmd->require_subcommand(1);
  auto* make = cmd->add_subcommand("bundle", "Lint packs and sign them into one bundle file");
  make->add_option("dirs", o->dirs, "pack folders, or folders of packs")->required();
  make->add_option("-o,--output", o->output, "the bundle file to write")->required();
  make->add_option("--version", o->version, "the bundle's version (default: the signing time)");
  make->add_option("--key", o->key, "the Ed25519 private key (PEM) to sign with (default: yours)");
  make->callback([o, &exit_code] { exit_code = run_bundle(*o); });
  auto* up = cmd->add_subcommand("update", "Fetch, verify and install a signed bundle");
  up->add_option("--from", o->from, "a bundle file, or an http(s) URL (a team server's)");
  up->add_option("--timeout", o->timeout_seconds, "seconds for the download");
  up->add_flag("--if-due", o->if_due, "only when [updates] sync_interval_hours have passed")
      ->group("");
  up->callback([o, &exit_code] { exit_code = run_update(*o); });
  auto* status =
      cmd->add_subcommand("status", "The built-in, the installed bundle, the last check");
  status->add_option("--format", o->format, "output format")
      ->check(CLI::IsMember({"text", "json"}));
  status->callback([o, &exit_code] { exit_code = run_status(*o); });
}

}  // namespace vectimus::cli
