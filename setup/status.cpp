#include "setup/status.hpp"

#include <unistd.h>

#include "setup/codex_toml.hpp"
#include "setup/json_doc.hpp"

namespace vectimus::setup {
namespace {

constexpr std::size_t kMaxBytes = 4 << 20;

std::optional<JsonNode> read_json(const Host& host, const std::string& path,
                                  std::vector<std::string>& problems) {
  FileRead r = host.fs->read(path, kMaxBytes);
  if (r.status == FileRead::Status::missing) return std::nullopt;
  if (r.status != FileRead::Status::ok) {
    problems.push_back("cannot read `" + path + "`: " + r.error);
    return std::nullopt;
  }
  Result<JsonNode> doc = parse_json(r.text, path, true);
  if (!doc) {
    const Diagnostic& d = doc.errors().front();
    const LineCol at = locate(d.where->source->text, d.where->span.begin);
    problems.push_back(path + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                       ": does not parse (" + d.message + "); the agent may ignore it");
    return std::nullopt;
  }
  return std::move(doc).value();
}

// `dir` is `base` or below it.
bool within(const std::string& dir, const std::string& base) {
  return dir == base || (dir.rfind(base + "/", 0) == 0) || base == "/";
}

std::string parent(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

void claude_switches(const Host& host, const StatusPlaces& p, AgentStatus& s) {
  std::vector<std::string> files{join_path(p.home, ".claude/settings.json")};
  if (!p.project.empty()) {
    files.push_back(join_path(p.project, ".claude/settings.json"));
    files.push_back(join_path(p.project, ".claude/settings.local.json"));
  }
  files.push_back(p.claude_managed);
  for (const std::string& f : files) {
    const std::optional<JsonNode> doc = read_json(host, f, s.problems);
    if (!doc || !doc->is_object()) continue;
    if (const JsonNode* off = doc->find("disableAllHooks"); off && off->is_true()) {
      s.problems.push_back("`disableAllHooks` is true in " + f);
    }
    if (const JsonNode* only = doc->find("allowManagedHooksOnly");
        only && only->is_true() && f == p.claude_managed) {
      s.problems.push_back("managed settings allow only managed hooks (" + f + ")");
    }
  }
}

void gemini_switches(const Host& host, const StatusPlaces& p, AgentStatus& s) {
  std::vector<std::string> files{join_path(p.home, ".gemini/settings.json")};
  if (!p.project.empty()) files.push_back(join_path(p.project, ".gemini/settings.json"));
  for (const std::string& f : files) {
    const std::optional<JsonNode> doc = read_json(host, f, s.problems);
    const JsonNode* config = doc ? doc->find("hooksConfig") : nullptr;
    if (!config || !config->is_object()) continue;
    if (const JsonNode* on = config->find("enabled");
        on && on->kind == JsonNode::Kind::boolean && !on->is_true()) {
      s.problems.push_back("`hooksConfig.enabled` is false in " + f);
    }
    if (const JsonNode* off = config->find("disabled")) {
      for (const JsonNode& name : off->items) {
        if (name.text == "vectimus" || name.text == s.command) {
          s.problems.push_back("our hook is in `hooksConfig.disabled` in " + f);
        }
      }
    }
  }
  if (s.level != "project") return;
  const std::optional<JsonNode> trusted =
      read_json(host, join_path(p.home, ".gemini/trustedFolders.json"), s.problems);
  bool ok = false;
  if (trusted) {
    for (const JsonMember& m : trusted->members) {
      const std::string& how = m.node().text;
      if ((how == "TRUST_FOLDER" && within(p.project, m.key)) ||
          (how == "TRUST_PARENT" && within(p.project, parent(m.key)))) {
        ok = true;
      }
    }
  }
  if (!ok) {
    s.problems.push_back("Gemini CLI does not trust " + p.project +
                         ", so it ignores project hooks: trust the folder when it asks");
  }
}

void copilot_switches(const Host& host, const StatusPlaces& p, AgentStatus& s) {
  if (s.level != "project") return;
  const std::optional<JsonNode> config =
      read_json(host, join_path(p.home, ".copilot/config.json"), s.problems);
  const JsonNode* folders = config ? config->find("trustedFolders") : nullptr;
  bool ok = false;
  if (folders) {
    for (const JsonNode& f : folders->items) ok = ok || within(p.project, f.text);
  }
  if (!ok) {
    s.problems.push_back("Copilot CLI does not trust " + p.project +
                         ", so it ignores project hooks without a word: trust the folder");
  }
}

void codex_switches(const Host& host, const StatusPlaces& p, AgentStatus& s) {
  std::vector<std::string> files{join_path(p.home, ".codex/config.toml")};
  if (!p.project.empty()) files.push_back(join_path(p.project, ".codex/config.toml"));
  bool reviewed = false;
  bool trusted = s.level != "project";
  for (const std::string& f : files) {
    FileRead r = host.fs->read(f, kMaxBytes);
    if (r.status != FileRead::Status::ok) continue;
    Result<CodexConfig> config = read_codex_config(r.text, f);
    if (!config) {
      s.problems.push_back(config.errors().front().message);
      continue;
    }
    if (config->hooks_feature == false) {
      s.problems.push_back("the hooks feature is off in " + f + " (`[features] hooks = false`)");
    }
    for (const std::string& key : config->reviewed_hooks) {
      reviewed = reviewed || key.rfind(s.file + ":pre_tool_use:", 0) == 0;
    }
    for (const std::string& dir : config->trusted_projects) {
      trusted = trusted || within(p.project, dir);
    }
  }
  if (!reviewed) {
    s.problems.push_back(
        "not reviewed in Codex: open `/hooks` in codex and trust it (until then Codex skips it)");
  }
  if (!trusted) s.problems.push_back("Codex does not trust the project " + p.project);
}

// The value of `--server-url` in a hook command, or "".
std::string server_of(const std::string& command) {
  const std::string flag = "--server-url ";
  const std::size_t at = command.find(flag);
  if (at == std::string::npos) return "";
  std::string rest = command.substr(at + flag.size());
  if (!rest.empty() && rest.front() == '\'') {
    const std::size_t end = rest.find('\'', 1);
    return rest.substr(1, end == std::string::npos ? std::string::npos : end - 1);
  }
  return rest.substr(0, rest.find(' '));
}

using Switches = void (*)(const Host&, const StatusPlaces&, AgentStatus&);
struct AgentSwitches {
  std::string_view agent;
  Switches check;
};
constexpr AgentSwitches kSwitches[] = {
    {"claude-code", claude_switches},
    {"gemini-cli", gemini_switches},
    {"copilot", copilot_switches},
    {"codex", codex_switches},
};

}  // namespace

std::vector<AgentStatus> agent_statuses(const Host& host, const StatusPlaces& places) {
  std::vector<AgentStatus> out;
  for (const AgentSpec& agent : agents()) {
    AgentStatus s;
    s.agent = &agent;
    std::vector<std::pair<std::string, std::string>> candidates;
    if (!places.project.empty()) {
      candidates.emplace_back("project", join_path(places.project, agent.project_file));
    }
    candidates.emplace_back("user", join_path(places.home, agent.user_file));
    for (const auto& [level, file] : candidates) {
      const std::optional<JsonNode> doc = read_json(host, file, s.problems);
      if (!doc) continue;
      const std::vector<std::string> ours = our_commands(*doc, agent);
      if (ours.empty()) continue;
      s.level = level;
      s.file = file;
      s.command = ours.front();
      s.configured = true;
      break;
    }
    if (s.configured) {
      // An http entry (the agent posts to the team server itself) runs no binary.
      const bool http = is_our_hook_url(s.command, agent);
      s.http = http;
      s.server = http ? s.command.substr(0, s.command.size() - agent.name.size() - 10)
                      : server_of(s.command);
      const std::string bin = http ? std::string() : command_binary(s.command);
      if (!http && (bin.empty() || bin[0] != '/' || ::access(bin.c_str(), X_OK) != 0)) {
        s.problems.push_back("the hook's binary `" + bin +
                             "` is missing or not executable: run "
                             "`vectimus init` again");
      }
      for (const AgentSwitches& sw : kSwitches) {
        if (sw.agent == agent.name) sw.check(host, places, s);
      }
      s.can_run = s.problems.empty();
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace vectimus::setup
