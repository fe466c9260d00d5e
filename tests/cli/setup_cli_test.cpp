// End-to-end tests of `vectimus init`, `remove` and `status`: the real binary in a temporary
// project and HOME, with PATH pointing nowhere so only the folders we make say which agents are
// installed. Every flag's output and exit code; remove gives back every file byte for byte.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "setup/json_doc.hpp"
#include "tests/cli/process.hpp"
#include "tests/support/temp_tree.hpp"

using vectimus::testing::ProcessResult;
using vectimus::testing::TempTree;

namespace {

const std::string kBinary = VECTIMUS_BINARY;

struct Sandbox {
  TempTree t;
  Sandbox() {
    t.mkdir("home");
    t.mkdir("proj/.git");
  }
  ProcessResult run(std::vector<std::string> args, const std::string& cwd = "proj") const {
    args.insert(args.begin(), kBinary);
    return vectimus::testing::run_process(
        args, "", {{"HOME=" + t.path("home"), "PATH=" + t.path("no-bin")}, t.path(cwd)});
  }
  std::string read(const std::string& rel) const {
    std::ifstream in(t.path(rel), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  // Every file under the sandbox but the home's signing keys, which init makes and remove keeps
  // (receipts already written need them).
  std::map<std::string, std::string> snapshot() const {
    std::map<std::string, std::string> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(t.root())) {
      const std::string rel = std::filesystem::relative(e.path(), t.root()).string();
      if (rel.rfind("home/.vectimus", 0) == 0) continue;
      out[rel] = e.is_regular_file() ? read(rel) : "<dir>";
    }
    return out;
  }
};

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The line of `text` holding `part` (columns are as wide as the temporary paths make them).
std::string line_with(const std::string& text, const std::string& part) {
  const std::size_t at = text.find(part);
  if (at == std::string::npos) return "";
  const std::size_t begin =
      text.rfind('\n', at) == std::string::npos ? 0 : text.rfind('\n', at) + 1;
  return text.substr(begin, text.find('\n', at) - begin);
}

// Each agent's hook file with a foreign hook and keys we do not know.
const std::map<std::string, std::pair<std::string, std::string>> kFiles = {
    {"claude-code",
     {".claude/settings.json",
      "{\n  \"env\": {\"X\": \"1\"},\n  \"hooks\": {\n    \"PreToolUse\": [\n      {\"matcher\": "
      "\"Bash\", \"hooks\": [{\"type\": \"command\", \"command\": \"guard\"}]}\n    ]\n  }\n}\n"}},
    {"cursor",
     {".cursor/hooks.json",
      "{\n  \"version\": 1,\n  \"hooks\": {\"preToolUse\": [{\"command\": \"x\"}]},\n  "
      "\"later\": null\n}\n"}},
    {"copilot",
     {".github/hooks/vectimus.json",
      "{\"version\": 1, \"hooks\": {\"sessionStart\": [{\"type\": \"command\", \"bash\": "
      "\"hi\"}]}}"}},
    {"gemini-cli",
     {".gemini/settings.json",
      "{\n    \"ui\": {\"theme\": \"x\"},\n    \"hooks\": {\n        \"BeforeTool\": [\n          "
      "  {\"matcher\": \"*\", \"hooks\": [{\"name\": \"mine\", \"type\": \"command\", "
      "\"command\": \"mine\"}]}\n        ]\n    }\n}\n"}},
    {"codex",
     {".codex/hooks.json",
      "{\n\t\"hooks\": {\n\t\t\"PostToolUse\": [],\n\t\t\"PreToolUse\": [{\"hooks\": []}]\n\t},\n\t"
      "\"zz\": 1\n}\n"}},
};

}  // namespace

TEST_CASE("init then remove --force leaves each agent's project files byte-identical") {
  for (const auto& [agent, file] : kFiles) {
    INFO(agent);
    Sandbox s;
    s.t.write("proj/" + file.first, file.second);
    const auto before = s.snapshot();
    ProcessResult r = s.run({"init", "--agent", agent});
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.rfind("FILE ", 0) == 0);
    CHECK(has(r.out, s.t.path("proj/" + file.first)));
    CHECK(has(r.out, "\nsigning key: vtms-key-"));
    const std::string edited = s.read("proj/" + file.first);
    CHECK(has(edited, kBinary + " hook --source " + agent));
    const auto once = s.snapshot();
    r = s.run({"init", "--agent", agent});
    CHECK(r.exit_code == 0);
    CHECK(has(r.out, "unchanged"));
    CHECK_FALSE(has(r.out, "updated"));
    CHECK(s.snapshot() == once);
    r = s.run({"remove", "--force"});
    CHECK(r.exit_code == 0);
    CHECK(has(r.out, "restored"));
    CHECK(s.snapshot() == before);
  }
}

TEST_CASE("init --user writes the user-level files; remove --user gives them back") {
  for (const auto& [agent, file] : kFiles) {
    INFO(agent);
    Sandbox s;
    const std::string user_file = agent == "copilot" ? ".copilot/hooks/vectimus.json" : file.first;
    s.t.write("home/" + user_file, file.second);
    const auto before = s.snapshot();
    ProcessResult r = s.run({"init", "--user", "--agent", agent});
    CHECK(r.exit_code == 0);
    CHECK(has(s.read("home/" + user_file), " hook --source " + agent));
    CHECK_FALSE(std::filesystem::exists(s.t.path("proj/.vectimus")));
    const auto once = s.snapshot();
    CHECK(s.run({"init", "--user", "--agent", agent}).exit_code == 0);
    CHECK(s.snapshot() == once);
    r = s.run({"remove", "--user", "--force"});
    CHECK(r.exit_code == 0);
    CHECK(s.snapshot() == before);
  }
}

TEST_CASE("init sets up the agents whose folders exist, and says what is left to do in them") {
  Sandbox s;
  s.t.mkdir("home/.gemini");
  s.t.mkdir("home/.codex");
  s.t.write("proj/.mcp.json", "{\"mcpServers\": {\"github\": {\"command\": \"gh\"}}}");
  s.t.write("proj/.vscode/mcp.json", "{\n  // JSONC\n  \"servers\": {\"fetch\": {}}\n}");
  const ProcessResult r = s.run({"init"});
  CHECK(r.exit_code == 0);
  CHECK(has(line_with(r.out, "/proj/.gemini/settings.json"), " gemini-cli  created"));
  CHECK(has(line_with(r.out, "/proj/.codex/hooks.json"), " codex       created"));
  CHECK_FALSE(has(r.out, "claude-code"));
  CHECK(has(r.out, "MCP servers found:\n  fetch  (" + s.t.path("proj/.vscode/mcp.json") +
                       ")\n  github  (" + s.t.path("proj/.mcp.json") + ")\n"));
  CHECK(has(r.out, "MCP servers approved: none"));
  CHECK(has(r.out, "\nStill to do in the agents themselves:\n"));
  CHECK(has(r.out, "Gemini CLI ignores project hooks in a folder it does not trust"));
  // Named twice, set up once.
  const ProcessResult twice = s.run({"init", "--agent", "gemini-cli", "--agent", "gemini-cli"});
  CHECK(twice.exit_code == 0);
  CHECK(twice.out.find("gemini-cli") == twice.out.rfind("gemini-cli  unchanged"));
  CHECK(has(r.out, "open `/hooks`"));
  CHECK(s.read("proj/.gitignore") == ".vectimus/receipts/\n");
  CHECK(std::filesystem::exists(s.t.path("proj/.vectimus/config.toml")));
}

TEST_CASE("init finds no agent, a bad --agent, a file that does not parse: errors, no change") {
  Sandbox s;
  const auto before = s.snapshot();
  ProcessResult r = s.run({"init"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.rfind("error: no agent found: ", 0) == 0);
  CHECK(has(r.err, "vectimus init --agent claude-code"));
  r = s.run({"init", "--agent", "vim"});
  CHECK(r.exit_code == 1);
  CHECK(has(r.err, "--agent: vim not in {claude-code,cursor,copilot,gemini-cli,codex}"));
  CHECK(s.snapshot() == before);
  s.t.write("proj/.claude/settings.json", "{\n  \"a\": 1\n  \"b\": 2\n}\n");
  const auto broken = s.snapshot();
  r = s.run({"init", "--agent", "claude-code"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.rfind(s.t.path("proj/.claude/settings.json") + ":3:3: error: expected `,` or `}`",
                    0) == 0);
  CHECK(has(r.err, "nothing was changed"));
  CHECK(s.snapshot() == broken);
  r = s.run({"init", "--agent", "codex", "--server-url", "ftp://x"});
  CHECK(r.exit_code == 1);
  CHECK(has(r.err, "--server-url `ftp://x` is not an http(s) URL"));
  r = s.run({"init", "--agent", "codex", "--policy-dir", "nowhere"});
  CHECK(r.exit_code == 1);
  CHECK(has(r.err, "--policy-dir `nowhere` is not a folder"));
  CHECK(s.snapshot() == broken);
}

TEST_CASE("remove without --force off a terminal refuses; with nothing set up it says so") {
  Sandbox s;
  ProcessResult r = s.run({"remove"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "vectimus is not set up in " + s.t.path("proj") + ": nothing to remove\n");
  REQUIRE(s.run({"init", "--agent", "cursor"}).exit_code == 0);
  const auto set_up = s.snapshot();
  r = s.run({"remove"});
  CHECK(r.exit_code == 1);
  CHECK(r.err ==
        "error: vectimus remove would change 4 files and cannot ask for confirmation (not a "
        "terminal)\nhelp: run it on a terminal, or pass --force\n");
  CHECK(s.snapshot() == set_up);
}

TEST_CASE("status shows which hooks run, and the switches that stop them") {
  Sandbox s;
  REQUIRE(s.run({"init", "--agent", "claude-code", "--agent", "codex"}).exit_code == 0);
  ProcessResult r = s.run({"status"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("AGENT        LEVEL    HOOK            PROBLEMS\n"
                    "claude-code  project  runs\n"
                    "cursor                not configured\n",
                    0) == 0);
  CHECK(has(r.out, "codex        project  will not run    not reviewed in Codex"));
  CHECK(has(r.out, "\nmode: enforce\n"));
  CHECK(has(r.out, "destructive-ops 0.1.0    19\n"));
  CHECK(has(r.out, "today (" + s.t.path("home/.vectimus/logs") + "): 0 decisions"));
  CHECK(has(r.out, "\nsigning key: vtms-key-"));

  s.t.write("proj/.claude/settings.local.json", "{\"disableAllHooks\": true}");
  s.t.write("home/.codex/config.toml", "[features]\nhooks = false\n\n[projects.\"" +
                                           s.t.path("proj") +
                                           "\"]\ntrust_level = \"trusted\"\n\n[hooks.state.\"" +
                                           s.t.path("proj/.codex/hooks.json") +
                                           ":pre_tool_use:0:0\"]\ntrusted_hash = \"x\"\n");
  s.t.write("proj/.vectimus/config.toml",
            "[mode]\nobserve = true\n[rules]\ndisabled = "
            "[\"vectimus-destruct-001\"]\n");
  r = s.run({"status"});
  CHECK(has(r.out, "claude-code  project  will not run    `disableAllHooks` is true in " +
                       s.t.path("proj/.claude/settings.local.json")));
  CHECK(has(r.out, "codex        project  will not run    the hooks feature is off in " +
                       s.t.path("home/.codex/config.toml")));
  CHECK_FALSE(has(r.out, "not reviewed"));
  CHECK(has(r.out, "\nmode: observe"));
  CHECK(has(r.out, "disabled rules:\n  vectimus-destruct-001 (project)\n"));

  r = s.run({"status", "--format", "json"});
  CHECK(r.exit_code == 0);
  auto doc = vectimus::setup::parse_json(r.out, "status", false);
  REQUIRE(doc.ok());
  const auto& agents = doc->find("agents")->items;
  REQUIRE(agents.size() == 5);
  CHECK(agents[0].find("agent")->text == "claude-code");
  CHECK(agents[0].find("configured")->is_true());
  CHECK_FALSE(agents[0].find("can_run")->is_true());
  CHECK(agents[1].find("configured")->text == "false");
  CHECK(doc->find("mode")->text == "observe");
  CHECK(doc->find("disabled_rules")->items[0].find("scope")->text == "project");
  CHECK(doc->find("today")->find("total")->text == "0");
  CHECK(doc->find("signing_key")->text.rfind("vtms-key-", 0) == 0);
  CHECK(s.run({"status", "--format", "yaml"}).exit_code == 1);
}

TEST_CASE("status sees a hook whose binary is gone, and the decisions the hook recorded today") {
  Sandbox s;
  s.t.write("proj/.gemini/settings.json",
            "{\"hooks\": {\"BeforeTool\": [{\"hooks\": [{\"command\": \"/gone/vectimus hook "
            "--source gemini-cli\"}]}]}, \"hooksConfig\": {\"disabled\": [\"vectimus\"]}}");
  const std::string payload =
      R"({"session_id":"s","cwd":")" + s.t.path("proj") +
      R"(","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"rm -rf /"}})";
  const ProcessResult hook = vectimus::testing::run_process(
      {kBinary, "hook", "--source", "claude-code"}, payload,
      {{"HOME=" + s.t.path("home"), "PATH=/usr/bin:/bin"}, s.t.path("proj")});
  CHECK(hook.exit_code == 0);
  const ProcessResult r = s.run({"status"});
  CHECK(has(r.out,
            "gemini-cli   project  will not run    the hook's binary `/gone/vectimus` is "
            "missing or not executable"));
  CHECK(has(r.out, "our hook is in `hooksConfig.disabled`"));
  CHECK(has(r.out, "Gemini CLI does not trust " + s.t.path("proj")));
  CHECK(has(r.out, "): 1 decisions, 0 allow, 1 deny, 0 escalate\n"));
  CHECK(has(r.out, "\nlast record: 20"));
  CHECK(has(r.out, "\nlast failure to write: none\n"));
}

// On a terminal (util-linux `script` gives the command one; the answers come through it).
TEST_CASE("on a terminal init asks about MCP servers and remove asks before changing anything") {
  if (!std::filesystem::exists("/usr/bin/script")) {
    std::printf("SKIPPED: /usr/bin/script (util-linux) is not installed\n");
    return;
  }
  Sandbox s;
  s.t.write("proj/.mcp.json", "{\"mcpServers\": {\"github\": {}}}");
  const auto at_terminal = [&](const std::string& command, const std::string& answers) {
    return vectimus::testing::run_process(
        {"/usr/bin/script", "-qec", kBinary + " " + command, "/dev/null"}, answers,
        {{"HOME=" + s.t.path("home"), "PATH=/usr/bin:/bin"}, s.t.path("proj")});
  };
  ProcessResult r = at_terminal("init --agent cursor", "n\n");
  CHECK(r.exit_code == 0);
  CHECK(has(r.out, "Approve these MCP servers? [a]ll, [n]one, [e]ach: "));
  CHECK(has(r.out, "MCP servers approved: none"));
  const auto set_up = s.snapshot();
  r = at_terminal("remove", "n\n");
  CHECK(r.exit_code == 1);
  CHECK(has(r.out, "Remove vectimus from these files? [y/N]: "));
  CHECK(has(r.out, "nothing was changed"));
  CHECK(s.snapshot() == set_up);
  r = at_terminal("remove", "y\n");
  CHECK(r.exit_code == 0);
  CHECK(has(r.out, "deleted"));
  CHECK_FALSE(std::filesystem::exists(s.t.path("proj/.cursor/hooks.json")));
}

// The config keys init stores go through engine/config_edit.hpp; the result is checked through
// what the engine reads back (`status --format json`).
TEST_CASE("init --ci, --allow-mcp, --server-url, --policy-dir store their config keys") {
  Sandbox s;
  s.t.write("proj/.mcp.json", "{\"mcpServers\": {\"github\": {}, \"slack\": {}}}");
  s.t.write("proj/packs/mine/pack.toml", "name = \"mine\"\nversion = \"1.0.0\"\n");
  const auto before = s.snapshot();
  ProcessResult r = s.run({"init", "--agent", "codex", "--ci", "--allow-mcp", "--server-url",
                           "https://vectimus.example.com"});
  CHECK(r.exit_code == 0);
  CHECK(has(r.out, "MCP servers approved: github, slack"));
  CHECK(has(r.out, "identity type: agent (--ci)"));
  const std::string config = s.read("proj/.vectimus/config.toml");
  CHECK(has(config, "https://vectimus.example.com"));
  CHECK(has(config, "agent"));
  r = s.run({"status", "--format", "json"});
  auto doc = vectimus::setup::parse_json(r.out, "status", false);
  REQUIRE(doc.ok());
  REQUIRE(doc->find("mcp_allowed")->items.size() == 2);
  CHECK(doc->find("mcp_allowed")->items[1].text == "slack");
  r = s.run({"init", "--agent", "codex", "--policy-dir", "packs"});
  CHECK(r.exit_code == 0);
  CHECK(has(s.read("proj/.vectimus/config.toml"), "packs"));
  // The config init created goes with the rest.
  r = s.run({"remove", "--force"});
  CHECK(r.exit_code == 0);
  CHECK(s.snapshot() == before);
}

TEST_CASE("init asks the installed Claude Code its version: onFailure block only when it is new") {
  for (const std::string version : {"2.1.300", "2.1.197"}) {
    INFO(version);
    Sandbox s;
    s.t.write("no-bin/claude", "#!/bin/sh\necho '" + version + " (Claude Code)'\n");
    std::filesystem::permissions(s.t.path("no-bin/claude"), std::filesystem::perms::owner_all);
    const ProcessResult r = vectimus::testing::run_process(
        {kBinary, "init"}, "",
        {{"HOME=" + s.t.path("home"), "PATH=" + s.t.path("no-bin") + ":/usr/bin:/bin"},
         s.t.path("proj")});
    CHECK(r.exit_code == 0);
    CHECK(has(r.out, "claude-code"));  // found on PATH
    CHECK(has(s.read("proj/.claude/settings.json"), "\"onFailure\": \"block\"") ==
          (version == "2.1.300"));
  }
}

TEST_CASE("status shows the last failure to write a record, before any record reports it") {
  Sandbox s;
  s.t.write("not-a-folder", "x\n");
  const std::vector<std::string> env{"HOME=" + s.t.path("home"), "PATH=/usr/bin:/bin",
                                     "VECTIMUS_LOG_DIR=" + s.t.path("not-a-folder")};
  const std::string payload = R"({"session_id":"s","cwd":")" + s.t.path("proj") +
                              R"(","hook_event_name":"PreToolUse","tool_name":"Bash",)"
                              R"("tool_input":{"command":"ls"}})";
  const ProcessResult hook = vectimus::testing::run_process(
      {kBinary, "hook", "--source", "claude-code"}, payload, {env, s.t.path("proj")});
  CHECK(hook.exit_code == 0);
  const ProcessResult r =
      vectimus::testing::run_process({kBinary, "status"}, "", {env, s.t.path("proj")});
  CHECK(r.exit_code == 0);
  const std::string line = line_with(r.out, "last failure to write: ");
  CHECK(has(line, "(1 records missing, not yet noted in the log)"));
  CHECK(has(line, "not-a-folder"));
}

TEST_CASE("init warns when the policy folder it stored does not load") {
  Sandbox s;
  s.t.mkdir("proj/empty-packs");
  const ProcessResult r = s.run({"init", "--agent", "cursor", "--policy-dir", "empty-packs"});
  CHECK(r.exit_code == 0);
  CHECK(has(r.err,
            "warning: the configuration or packs above do not load, so the hook will "
            "deny every call until they are fixed\n"));
  CHECK(has(s.read("proj/.vectimus/config.toml"), "empty-packs"));
  const auto mode = std::filesystem::status(s.t.path("proj/.vectimus/config.toml")).permissions() &
                    std::filesystem::perms::all;
  CHECK(mode == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
}

TEST_CASE("status lists a temporary disable with its time left") {
  Sandbox s;
  s.t.mkdir("proj/.vectimus");
  const ProcessResult off = s.run({"rule", "disable", "vectimus-git-001", "--for", "30m"});
  REQUIRE(off.exit_code == 0);
  const ProcessResult text = s.run({"status"});
  CHECK(text.exit_code == 0);
  CHECK(has(text.out, "  vectimus-git-001 (temporary, 30m left)"));
  const ProcessResult r = s.run({"status", "--format", "json"});
  CHECK(r.exit_code == 0);
  CHECK(has(r.out, R"({"id":"vectimus-git-001","scope":"temporary","time_left":"30m"})"));
  // `rule enable` ends it: status no longer lists it.
  REQUIRE(s.run({"rule", "enable", "vectimus-git-001"}).exit_code == 0);
  CHECK_FALSE(has(s.run({"status"}).out, "vectimus-git-001"));
}
