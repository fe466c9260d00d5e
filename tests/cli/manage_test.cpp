// End-to-end tests of `vectimus rule`, `mcp` and `observe`: the real binary in a temporary home
// and project (a folder with .git), its output and exit code, the config files it writes, and
// the hook honouring what they say (a disabled rule no longer matches; a temporary disable ends
// on time; a garbled state file leaves the rule on).
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/cli/process.hpp"
#include "tests/support/temp_tree.hpp"

using vectimus::testing::ProcessResult;
using vectimus::testing::TempTree;

namespace {

const std::string kBinary = VECTIMUS_BINARY;

struct Project {
  TempTree t;
  bool runtime_dir;
  explicit Project(bool xdg = true) : runtime_dir(xdg) {
    t.mkdir("home");
    t.mkdir("proj/.git");
    t.mkdir("run");
  }
  ProcessResult run(std::vector<std::string> args, const std::string& input = {}) const {
    args.insert(args.begin(), kBinary);
    std::vector<std::string> env{"HOME=" + t.path("home")};
    if (runtime_dir) env.push_back("XDG_RUNTIME_DIR=" + t.path("run"));
    return vectimus::testing::run_process(args, input, {env, t.path("proj")});
  }
  // Whether the hook's answer to `rm -rf /` names vectimus-destruct-001.
  bool destruct_001_matches() const {
    const auto r = run({"hook", "--source", "claude-code"},
                       R"({"session_id":"s","cwd":")" + t.path("proj") +
                           R"(","hook_event_name":"PreToolUse","tool_name":"Bash",)"
                           R"("tool_input":{"command":"rm -rf /"}})");
    const bool named = (r.out + r.err).find("vectimus-destruct-001") != std::string::npos;
    // Named means denied by it (observe mode is never on in these tests).
    if (named) CHECK(r.out.find("\"permissionDecision\":\"deny\"") != std::string::npos);
    return named;
  }
  std::string read(const std::string& rel) const {
    std::ifstream in(t.path(rel));
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::string state_file() const {
    const std::string dir = runtime_dir ? t.path("run/vectimus") : t.path("home/.vectimus/run");
    for (const auto& e : std::filesystem::directory_iterator(dir)) return e.path().string();
    return {};
  }
};

std::string line_of(const std::string& text, const std::string& start) {
  const auto at = text.find("\n" + start);
  if (at == std::string::npos) return {};
  return text.substr(at + 1, text.find('\n', at + 1) - at - 1);
}

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

}  // namespace

TEST_CASE("rule disable and enable edit the project config, and the hook follows") {
  Project p;
  CHECK(p.destruct_001_matches());
  auto r = p.run({"rule", "disable", "vectimus-destruct-001"});
  CHECK(r.exit_code == 0);
  CHECK(r.out ==
        "rule vectimus-destruct-001 disabled (" + p.t.path("proj/.vectimus/config.toml") + ")\n");
  CHECK(p.read("proj/.vectimus/config.toml") ==
        "[rules]\ndisabled = [\"vectimus-destruct-001\"]\n");
  CHECK(mode_of(p.t.path("proj/.vectimus/config.toml")) == 0600);
  CHECK_FALSE(p.destruct_001_matches());
  r = p.run({"rule", "list"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("ID ", 0) == 0);
  CHECK(r.out.find("\x1b[") == std::string::npos);  // piped: no colour
  CHECK(line_of(r.out, "vectimus-destruct-001 ").ends_with("deny      off (project)"));
  r = p.run({"rule", "disable", "vectimus-destruct-001"});
  CHECK(r.out.starts_with("rule vectimus-destruct-001 was already disabled"));
  r = p.run({"rule", "enable", "vectimus-destruct-001"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.starts_with("rule vectimus-destruct-001 enabled"));
  CHECK(p.read("proj/.vectimus/config.toml").empty());
  CHECK(p.destruct_001_matches());
}

TEST_CASE("rule disable --global writes ~/.vectimus/config.toml") {
  Project p;
  auto r = p.run({"rule", "disable", "vectimus-destruct-001", "--global"});
  CHECK(r.exit_code == 0);
  CHECK(p.read("home/.vectimus/config.toml") ==
        "[rules]\ndisabled = [\"vectimus-destruct-001\"]\n");
  CHECK(mode_of(p.t.path("home/.vectimus")) == 0700);
  CHECK(line_of(p.run({"rule", "list"}).out, "vectimus-destruct-001 ").ends_with("off (global)"));
  CHECK_FALSE(p.destruct_001_matches());
  CHECK(p.run({"rule", "enable", "vectimus-destruct-001", "--global"}).exit_code == 0);
  CHECK(p.destruct_001_matches());
}

TEST_CASE("rule disable --for ends on time, in XDG_RUNTIME_DIR or under ~/.vectimus") {
  for (const bool xdg : {true, false}) {
    CAPTURE(xdg);
    Project p(xdg);
    auto r = p.run({"rule", "disable", "vectimus-destruct-001", "--for", "3s"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.starts_with("rule vectimus-destruct-001 disabled for 3s in " + p.t.path("proj")));
    CHECK_FALSE(std::filesystem::exists(p.t.path("proj/.vectimus/config.toml")));
    const std::string state = p.state_file();
    REQUIRE_FALSE(state.empty());
    CHECK(mode_of(state) == 0600);
    // Comes back: poll, bounded by a generous number of tries (a busy machine only waits longer).
    bool back = false;
    for (int i = 0; i < 120 && !back; ++i) {
      back = p.destruct_001_matches();
      if (!back) std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    CHECK(back);
    CHECK(line_of(p.run({"rule", "list"}).out, "vectimus-destruct-001 ").ends_with(" on"));
  }
}

TEST_CASE("a temporary disable shows in rule list and overrides, and enable clears it") {
  Project p;
  REQUIRE(p.run({"rule", "disable", "vectimus-destruct-001", "--for", "1h30m"}).exit_code == 0);
  CHECK_FALSE(p.destruct_001_matches());
  const auto list = p.run({"rule", "list"}).out;
  const std::string line = line_of(list, "vectimus-destruct-001 ");
  CHECK((line.ends_with("temp (1h30m)") || line.ends_with("temp (1h29m)")));
  const auto json = p.run({"rule", "list", "--format", "json"}).out;
  CHECK(json.find(R"("id":"vectimus-destruct-001","pack":"destructive-ops")") != std::string::npos);
  CHECK(json.find(R"("status":"temp (1h)") != std::string::npos);
  CHECK(p.run({"rule", "overrides"}).out.find("temp   vectimus-destruct-001  disabled (") !=
        std::string::npos);
  auto r = p.run({"rule", "enable", "vectimus-destruct-001"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "rule vectimus-destruct-001: temporary disable cleared\n");
  CHECK(p.destruct_001_matches());
}

TEST_CASE("a garbled or unreadable state file leaves every rule on") {
  Project p;
  REQUIRE(p.run({"rule", "disable", "vectimus-destruct-001", "--for", "2h"}).exit_code == 0);
  const std::string state = p.state_file();
  const std::string good = p.read(state.substr(p.t.path("").size()));
  CHECK_FALSE(p.destruct_001_matches());
  for (const std::string& bad :
       {good + "garbage\n", good.substr(0, good.size() - 1),
        std::string("vectimus-destruct-001 x\n"), std::string("\x01\x02\xff")}) {
    std::ofstream(state, std::ios::trunc) << bad;
    CHECK(p.destruct_001_matches());
    CHECK(line_of(p.run({"rule", "list"}).out, "vectimus-destruct-001 ").ends_with(" on"));
  }
  std::ofstream(state, std::ios::trunc) << good;
  CHECK_FALSE(p.destruct_001_matches());
  ::chmod(state.c_str(), 0);
  if (::geteuid() != 0) CHECK(p.destruct_001_matches());  // root reads it anyway
}

TEST_CASE("rule commands refuse what they cannot do, saying why") {
  Project p;
  auto r = p.run({"rule", "disable", "vectimus-destruct-001", "--for", "30m", "--global"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.starts_with("error: --for cannot be combined with --global"));
  r = p.run({"rule", "disable", "vectimus-destruct-001", "--for", "30x"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("`30x` is not a duration") != std::string::npos);
  CHECK(r.err.find("90s, 30m, 2h or 1h30m") != std::string::npos);
  r = p.run({"rule", "disable", "vectimus-destruct-01"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("error: no rule `vectimus-destruct-01` in the loaded packs\n  help: did you "
                   "mean `vectimus-destruct-001`") != std::string::npos);
  r = p.run({"rule", "show", "nope"});
  CHECK(r.exit_code == 1);
  r = p.run({"rule", "enforce", "vectimus-destruct-001"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("--level deny|escalate|observe or --clear") != std::string::npos);
  r = p.run({"rule", "enforce", "vectimus-destruct-001", "--level", "block"});
  CHECK(r.exit_code == 1);
  std::filesystem::remove_all(p.t.path("proj/.git"));
  r = p.run({"rule", "disable", "vectimus-destruct-001"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("is not inside a project") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(p.t.path("proj/.vectimus")));
}

TEST_CASE(
    "rule enforce resolves project over global over annotation, with --clear, overrides and show") {
  Project p;
  auto r = p.run({"rule", "enforce", "vectimus-destruct-001", "--level", "escalate", "--global"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.starts_with("rule vectimus-destruct-001 now enforces escalate"));
  CHECK(p.read("home/.vectimus/config.toml") ==
        "[rules.enforcement]\nvectimus-destruct-001 = \"escalate\"\n");
  CHECK(line_of(p.run({"rule", "list"}).out, "vectimus-destruct-001 ").ends_with("escalate  on"));
  r = p.run({"rule", "enforce", "vectimus-destruct-001", "--level", "observe"});
  CHECK(r.exit_code == 0);
  r = p.run({"rule", "show", "vectimus-destruct-001"});
  CHECK(r.exit_code == 0);
  CHECK(line_of(r.out, "level ") == "level        observe (project)");
  r = p.run({"rule", "show", "vectimus-destruct-001", "--format", "json"});
  CHECK(r.out.find(R"("level":"observe","level_source":"project")") != std::string::npos);
  r = p.run({"rule", "overrides"});
  CHECK(r.out ==
        "SCOPE    RULE                   SETTING\n"
        "project  vectimus-destruct-001  level observe\n"
        "global   vectimus-destruct-001  level escalate\n");
  r = p.run({"rule", "overrides", "--format", "json"});
  CHECK(r.out.starts_with(R"([{"scope":"project","rule":"vectimus-destruct-001",)"));
  CHECK(p.run({"rule", "enforce", "vectimus-destruct-001", "--clear"}).exit_code == 0);
  CHECK(p.read("proj/.vectimus/config.toml").empty());
  r = p.run({"rule", "show", "vectimus-destruct-001"});
  CHECK(line_of(r.out, "level ") == "level        escalate (global)");
  CHECK(p.run({"rule", "enforce", "vectimus-destruct-001", "--clear", "--global"}).exit_code == 0);
  r = p.run({"rule", "show", "vectimus-destruct-001"});
  CHECK(line_of(r.out, "level ") == "level        deny (default)");
  CHECK(p.run({"rule", "overrides"}).out ==
        "no overrides: every rule runs at its annotated level\n");
}

TEST_CASE("mcp allow, deny and list") {
  Project p;
  auto r = p.run({"mcp", "list"});
  CHECK(r.out == "no MCP server is allowed: vectimus-mcp-001 denies every MCP tool call\n");
  CHECK(p.run({"mcp", "allow", "github"}).exit_code == 0);
  CHECK(p.run({"mcp", "allow", "slack", "--global"}).exit_code == 0);
  CHECK(p.read("proj/.vectimus/config.toml") == "[mcp]\nallowed_servers = [\"github\"]\n");
  r = p.run({"mcp", "list"});
  CHECK(r.out == "SERVER  SCOPE\ngithub  project\nslack   global\n");
  r = p.run({"mcp", "list", "--format", "json"});
  CHECK(r.out ==
        "[{\"server\":\"github\",\"scope\":\"project\"},{\"server\":\"slack\",\"scope\":\"global\"}"
        "]\n");
  r = p.run({"mcp", "allow", "bad name"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.starts_with("error: `bad name` is not an MCP server name"));
  CHECK(p.run({"mcp", "allow", "a__b"}).exit_code == 1);
  CHECK(p.run({"mcp", "deny", "github"}).exit_code == 0);
  CHECK(p.read("proj/.vectimus/config.toml").empty());
}

TEST_CASE("observe on, off and status") {
  Project p;
  auto r = p.run({"observe", "status"});
  CHECK(r.out == "observe mode off (default)\n");
  r = p.run({"observe", "on"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.starts_with("observe mode on: calls are logged and allowed"));
  CHECK(p.read("proj/.vectimus/config.toml") == "[mode]\nobserve = true\n");
  r = p.run({"observe", "status", "--format", "json"});
  CHECK(r.out ==
        "{\"observe\":true,\"set_by\":\"" + p.t.path("proj/.vectimus/config.toml") + ":2:1\"}\n");
  CHECK(p.run({"observe", "off"}).exit_code == 0);
  CHECK(p.read("proj/.vectimus/config.toml") == "[mode]\nobserve = false\n");
  CHECK(p.run({"observe", "on", "--global"}).exit_code == 0);
  CHECK(p.run({"observe", "status"}).out.starts_with("observe mode off ("));  // project wins
}

TEST_CASE("pack new scaffolds a project pack whose tests vectimus test runs") {
  Project p;
  auto r = p.run({"pack", "new", "my-team"});
  CHECK(r.exit_code == 0);
  const std::string dir = p.t.path("proj/.vectimus/packs/my-team");
  CHECK(r.out == "created pack my-team in " + dir + " (pack.toml, rules.cedar, tests.json)\n" +
                     "test it: vectimus test --file " + dir + "/tests.json --policy-dir " + dir +
                     "\n");
  r = p.run({"test", "--file", dir + "/tests.json", "--policy-dir", dir});
  CHECK(r.exit_code == 0);
  CHECK(r.out.ends_with("\n2 passed, 0 failed\n"));
  CHECK(p.run({"lint", dir}).exit_code == 0);
  // The pack is loaded with the built-in ones, and counted.
  r = p.run({"pack", "list"});
  CHECK(
      line_of(r.out, "my-team ").starts_with("my-team            0.1.0    1      enabled  " + dir));
  r = p.run({"pack", "new", "my-team"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("already exists") != std::string::npos);
  r = p.run({"pack", "new", "My Team"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.starts_with("error: `My Team` is not a pack name"));
}

TEST_CASE("pack disable and enable in project and global config, and pack list --format json") {
  Project p;
  CHECK(p.destruct_001_matches());
  auto r = p.run({"pack", "disable", "destructive-ops", "--global"});
  CHECK(r.exit_code == 0);
  CHECK(p.read("home/.vectimus/config.toml") == "[packs.destructive-ops]\nenabled = false\n");
  CHECK_FALSE(p.destruct_001_matches());
  CHECK(line_of(p.run({"pack", "list"}).out, "destructive-ops ").find("disabled (global)") !=
        std::string::npos);
  // The project enables it over the global switch: it says so explicitly.
  CHECK(p.run({"pack", "enable", "destructive-ops"}).exit_code == 0);
  CHECK(p.read("proj/.vectimus/config.toml") == "[packs.destructive-ops]\nenabled = true\n");
  CHECK(p.destruct_001_matches());
  r = p.run({"pack", "list", "--format", "json"});
  CHECK(r.out.find(R"({"name":"destructive-ops","version":"0.1.0","rules":)") != std::string::npos);
  CHECK(r.out.find(R"x("status":"enabled (project)","location":"built-in"})x") !=
        std::string::npos);
  r = p.run({"pack", "disable", "destructive-op"});
  CHECK(r.exit_code == 1);
  CHECK(r.err ==
        "error: no pack `destructive-op` is loaded here\n  help: did you mean "
        "`destructive-ops`?\n");
}

TEST_CASE("vectimus --version shows the version, the packs and the active policy set's hash") {
  Project p;
  auto r = p.run({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.starts_with("vectimus 0.1.0\npolicy set sha256:"));
  CHECK(r.out.find("\ndestructive-ops    0.1.0    built-in\n") != std::string::npos);
  const std::string builtin_hash = line_of(r.out, "policy set ");
  REQUIRE(p.run({"pack", "new", "my-team"}).exit_code == 0);
  r = p.run({"--version"});
  CHECK(line_of(r.out, "policy set ").size() == builtin_hash.size());
  CHECK(line_of(r.out, "policy set ") != builtin_hash);  // the project's pack is in the set
  CHECK(r.out.find("\nmy-team ") != std::string::npos);
}
