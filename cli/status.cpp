// `vectimus status [--format json]`: can the hook run in each agent (setup/status.hpp), the mode,
// the packs and their rule counts, disabled rules by scope, the MCP allowlist, today's audit
// figures (audit/summary.hpp over the folder the hook writes to) and the signing key's id.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <memory>

#include "audit/keys.hpp"
#include "audit/log.hpp"
#include "audit/summary.hpp"
#include "cli/commands.hpp"
#include "cli/setup_common.hpp"
#include "cli/table.hpp"
#include "engine/engine.hpp"
#include "engine/temp_disable.hpp"
#include "pipeline/evidence.hpp"
#include "setup/json_doc.hpp"
#include "setup/status.hpp"
#include "support/json_writer.hpp"

namespace vectimus::cli {
namespace {

constexpr int64_t kDayNs = 86'400'000'000'000;

struct StatusOptions {
  std::string format = "text";
};

struct RuleScope {
  std::string id;
  std::string scope;  // "project", "global" or "temporary"
  std::string left;   // a temporary disable's time left, e.g. "24m"
};

struct Today {
  bool read = false;
  audit::Summary summary;
  std::string last_record;   // its timestamp
  std::string last_failure;  // the latest gap note: when and why
};

struct View {
  std::vector<setup::AgentStatus> agents;
  std::string config_error;
  bool observe = false;
  std::vector<std::pair<std::string, std::size_t>> packs;  // name (version), rules
  std::vector<std::string> disabled_packs;
  std::vector<RuleScope> disabled;
  std::vector<std::string> mcp_allowed;
  Today today;
  std::string key_id;
};

// Disabled rules of one config file, to say where each was disabled.
std::vector<std::string> disabled_in(const Host& host, const std::string& file) {
  const Result<engine::Config> c = engine::load_config(host, {file});
  return c ? c->disabled_rules : std::vector<std::string>{};
}

// When the last record of the last day file was written (its `recorded_at`).
std::string last_record(const Host& host, const audit::Summary& s) {
  if (s.files.empty()) return "";
  FileRead r = host.fs->read(join_path(s.log_dir, s.files.back()), audit::kMaxLogFileBytes);
  std::string_view text = r.text;
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  const std::size_t nl = text.rfind('\n');
  const std::string_view line = nl == std::string_view::npos ? text : text.substr(nl + 1);
  const Result<setup::JsonNode> doc = setup::parse_json(line, "", false);
  const setup::JsonNode* ts = doc ? doc->find("recorded_at") : nullptr;
  return ts ? ts->text : "";
}

View gather(const Host& host, const SetupPlace& place, bool have_project) {
  View v;
  v.agents = setup::agent_statuses(host, {have_project ? place.root : "", place.home});
  const engine::Locations where = engine::locate(host, host.cwd, std::nullopt);
  Result<engine::Engine> eng = engine::Engine::load(host, where, {});
  const engine::Config* config = nullptr;
  if (!eng) {
    v.config_error = render(eng.errors());
  } else {
    config = &eng->config();
    v.observe = config->observe;
    const engine::PolicyPacks& packs = eng->packs();
    for (std::size_t i = 0; i < packs.packs.size(); ++i) {
      const auto& m = packs.packs[i].manifest;
      const auto n = static_cast<std::size_t>(std::count_if(
          packs.rules.begin(), packs.rules.end(), [&](const auto& r) { return r.pack == i; }));
      v.packs.emplace_back(m.name + " " + m.version, n);
      if (config->pack_disabled(m.name)) v.disabled_packs.push_back(m.name);
    }
    const std::vector<std::string> global =
        disabled_in(host, join_path(place.home, ".vectimus/config.toml"));
    for (const std::string& id : config->disabled_rules) {
      const bool g = std::find(global.begin(), global.end(), id) != global.end();
      v.disabled.push_back({id, g ? "global" : "project"});
    }
    v.mcp_allowed = config->mcp_allowed;
  }
  const int64_t now_s = host.now_ns() / 1'000'000'000;
  if (where.project) {
    for (const auto& [id, expiry] : engine::read_temp_disables(host, *where.project, now_s)) {
      v.disabled.push_back({id, "temporary", engine::format_remaining(expiry - now_s)});
    }
  }
  const std::string folder = pipeline::audit_log_folder(host, config, where.project, place.home);
  const int64_t now = host.now_ns();
  const Result<audit::Summary> s = audit::summarise_log(host, folder, now - now % kDayNs, now);
  if (s) {
    v.today.read = true;
    v.today.summary = *s;
    v.today.last_record = last_record(host, *s);
    if (!s->gaps.empty()) {
      const audit::GapNote& g = s->gaps.back();
      v.today.last_failure = g.last_at + ": " + g.why;
    }
  }
  // Failures no record has reported yet are later than any gap note in the log.
  const audit::AuditLog log(host, {folder}, place.home);
  if (const std::optional<audit::Gap> gap = log.pending_gap()) {
    v.today.last_failure = gap->last_at + ": " + gap->why + " (" + std::to_string(gap->missed) +
                           " records missing, not yet noted in the log)";
  }
  const std::vector<std::string> keys = host.fs->list(audit::home_keys_dir(place.home), false);
  for (const std::string& k : keys) {
    if (k.size() > 4 && k.ends_with(".key")) {
      v.key_id = k.substr(0, k.size() - 4);
      break;
    }
  }
  return v;
}

uint64_t count(const audit::Summary& s, audit::Outcome o) {
  return s.outcomes[static_cast<std::size_t>(o)];
}

std::string json(const View& v) {
  JsonWriter w;
  w.begin_object().key("agents").begin_array();
  for (const setup::AgentStatus& a : v.agents) {
    w.begin_object().key("agent").value(a.agent->name).key("configured").value(a.configured);
    w.key("level").value(a.level).key("file").value(a.file).key("command").value(a.command);
    if (!a.server.empty()) w.key("server").value(a.server).key("http_hook").value(a.http);
    w.key("can_run").value(a.can_run).key("problems").begin_array();
    for (const std::string& p : a.problems) w.value(p);
    w.end_array().end_object();
  }
  w.end_array();
  if (!v.config_error.empty()) w.key("config_error").value(v.config_error);
  w.key("mode").value(v.observe ? "observe" : "enforce").key("packs").begin_array();
  for (const auto& [name, rules] : v.packs) {
    w.begin_object().key("pack").value(name).key("rules").value(static_cast<uint64_t>(rules));
    w.end_object();
  }
  w.end_array().key("disabled_packs").begin_array();
  for (const std::string& p : v.disabled_packs) w.value(p);
  w.end_array().key("disabled_rules").begin_array();
  for (const RuleScope& r : v.disabled) {
    w.begin_object().key("id").value(r.id).key("scope").value(r.scope);
    if (!r.left.empty()) w.key("time_left").value(r.left);
    w.end_object();
  }
  w.end_array().key("mcp_allowed").begin_array();
  for (const std::string& m : v.mcp_allowed) w.value(m);
  w.end_array().key("today").begin_object();
  const audit::Summary& s = v.today.summary;
  w.key("log_dir").value(s.log_dir).key("total").value(s.decisions);
  w.key("allow").value(count(s, audit::Outcome::allow));
  w.key("deny").value(count(s, audit::Outcome::deny));
  w.key("escalate").value(count(s, audit::Outcome::escalate));
  w.key("observe").value(count(s, audit::Outcome::observe));
  w.key("last_record").value(v.today.last_record);
  w.key("last_failure").value(v.today.last_failure);
  w.end_object().key("signing_key").value(v.key_id).end_object();
  return w.take() + "\n";
}

std::string text(const View& v, bool colour) {
  std::string out;
  Table agents({"AGENT", "LEVEL", "HOOK", "PROBLEMS"});
  for (const setup::AgentStatus& a : v.agents) {
    const Cell hook = !a.configured ? Cell("not configured", Colour::dim)
                      : a.can_run   ? Cell("runs", Colour::green)
                                    : Cell("will not run", Colour::red);
    std::string problems;
    for (const std::string& p : a.problems) problems += (problems.empty() ? "" : "; ") + p;
    agents.add({Cell(a.agent->name), Cell(a.level), hook, Cell(problems)});
  }
  out += agents.render(colour);
  for (const setup::AgentStatus& a : v.agents) {
    if (a.server.empty()) continue;
    out += std::string(a.agent->name) + ": " +
           (a.http ? "decided by the server " + a.server + " (http hook)"
                   : "asks the server " + a.server +
                         " first, decides locally when it cannot (client mode)") +
           "\n";
  }
  if (!v.config_error.empty()) out += "\nthe config or packs do not load:\n" + v.config_error;
  out += "\nmode: " +
         std::string(v.observe ? "observe (calls are logged, never blocked)" : "enforce") + "\n\n";
  Table packs({"PACK", "RULES"});
  for (const auto& [name, rules] : v.packs) packs.add({name, std::to_string(rules)});
  out += packs.render(colour);
  for (const std::string& p : v.disabled_packs) out += "pack disabled: " + p + "\n";
  out += "\ndisabled rules:" + std::string(v.disabled.empty() ? " none\n" : "\n");
  for (const RuleScope& r : v.disabled) {
    out +=
        "  " + r.id + " (" + (r.left.empty() ? r.scope : "temporary, " + r.left + " left") + ")\n";
  }
  std::string mcp;
  for (const std::string& m : v.mcp_allowed) mcp += (mcp.empty() ? "" : ", ") + m;
  out += "MCP servers allowed: " + (mcp.empty() ? std::string("none") : mcp) + "\n";
  const audit::Summary& s = v.today.summary;
  out += "\ntoday (" + s.log_dir + "): " + std::to_string(s.decisions) + " decisions, " +
         std::to_string(count(s, audit::Outcome::allow)) + " allow, " +
         std::to_string(count(s, audit::Outcome::deny)) + " deny, " +
         std::to_string(count(s, audit::Outcome::escalate)) + " escalate\n";
  out += "last record: " + (v.today.last_record.empty() ? "none" : v.today.last_record) + "\n";
  out +=
      "last failure to write: " + (v.today.last_failure.empty() ? "none" : v.today.last_failure) +
      "\n";
  out += "signing key: " +
         (v.key_id.empty() ? "none yet (made by init or the first hook)" : v.key_id) + "\n";
  return out;
}

int run_status(const StatusOptions& opt) {
  const Host host = real_host();
  const Result<SetupPlace> place = setup_place(host, false);
  if (!place) {
    std::cerr << render(place.errors());
    return kExitBadInput;
  }
  const bool have_project = place->root != place->home;
  const View v = gather(host, *place, have_project);
  std::cout << (opt.format == "json" ? json(v) : text(v, use_colour()));
  return kExitOk;
}

}  // namespace

void add_status_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<StatusOptions>();
  auto* cmd = app.add_subcommand("status", "Show whether the hook runs in each agent, and more");
  cmd->add_option("--format", opt->format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([opt, &exit_code] { exit_code = run_status(*opt); });
}

}  // namespace vectimus::cli
