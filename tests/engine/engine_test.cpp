// Decisions: enforcement levels and overrides, disabled rules, observe mode, the MCP allowlist,
// identity, content inspection and document order, on test packs in temp folders.
// ctest runs every case twice: with the rule index (the hook's path) and, with
// VECTIMUS_TEST_NO_INDEX set (tests/engine/CMakeLists.txt), evaluating every rule.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>

#include "engine/engine.hpp"
#include "normalise/payload.hpp"
#include "tests/support/test_host.hpp"

using namespace vectimus;
using engine::Verdict;
using vectimus::testing::TempTree;
using vectimus::testing::TestHost;

namespace {

constexpr const char* kRules = R"(
@id("t-deny")
@description("Dangerous command.")
@suggested_alternative("Do something safe")
forbid(principal, action == Vectimus::Action::"shell_command", resource)
when { context.command like "*danger*" };

@id("t-escalate")
@description("Risky command")
@enforcement("escalate")
forbid(principal, action == Vectimus::Action::"shell_command", resource)
when { context.command like "*risky*" };

@id("t-observe")
@enforcement("observe")
forbid(principal, action == Vectimus::Action::"shell_command", resource)
when { context.command like "*watch*" };

@id("t-mcp-approved")
@description("MCP server is not approved")
forbid(principal, action == Vectimus::Action::"mcp_tool", resource)
when { !context.mcp_server_approved };

@id("t-mcp-delete")
@description("Deleting repositories")
forbid(principal, action == Vectimus::Action::"mcp_tool", resource)
when { context.mcp_tool == "delete_repo" };
)";

constexpr const char* kPrincipalRules = R"(
@id("p-interns")
forbid(principal, action == Vectimus::Action::"shell_command", resource)
when { principal.groups.contains("interns") && context.command like "*deploy*" };

@id("p-agents")
forbid(principal is Vectimus::Agent, action == Vectimus::Action::"git_operation", resource);

@id("p-reviewers")
forbid(principal, action == Vectimus::Action::"file_write", resource)
when { principal.persona == "reviewer" };
)";

bool use_index() {
  return std::getenv("VECTIMUS_TEST_NO_INDEX") == nullptr;
}

struct Fixture {
  TempTree t;
  TestHost h{"", ""};
  Fixture() : h(t.path("proj"), t.path("home")) {
    t.mkdir("proj/.git");
    t.mkdir("home");
    t.write("packs/core/pack.toml",
            "[pack]\nname = \"core\"\nversion = \"1\"\ndescription = \"d\"\nauthor = \"a\"\n");
    t.write("packs/core/rules.cedar", kRules);
  }
  void principal_pack() {
    t.write("packs/who/pack.toml",
            "[pack]\nname = \"who\"\nversion = \"1\"\ndescription = \"d\"\nauthor = \"a\"\n");
    t.write("packs/who/rules.cedar", kPrincipalRules);
  }
  engine::Engine engine() {
    const auto where = engine::locate(h.host, t.path("proj"), t.path("packs"));
    engine::EngineOptions options;
    options.policy_dir = t.path("packs");
    options.use_index = use_index();
    options.index_after_requests = 0;  // every request through the index, when it is on
    auto e = engine::Engine::load(h.host, where, options);
    if (!e) FAIL(render(e.errors()));
    CHECK((e->rule_index() != nullptr) == use_index());
    return std::move(e).value();
  }
  normalise::Event event(const std::string& tool, const std::string& input,
                         const std::string& extra = "") {
    const std::string json = "{\"session_id\":\"s\",\"transcript_path\":\"/t\",\"cwd\":\"" +
                             t.path("proj") + "\",\"hook_event_name\":\"PreToolUse\"," + extra +
                             "\"tool_name\":\"" + tool + "\",\"tool_input\":" + input + "}";
    auto outcome = normalise::normalise_payload("claude-code", json);
    REQUIRE(outcome.status == normalise::PayloadStatus::event);
    return outcome.event;
  }
  normalise::Event bash(const std::string& command) {
    return event("Bash", "{\"command\":\"" + command + "\"}");
  }
  engine::Decision decide(const normalise::Event& e) { return engine().decide(e); }
};

// The matched rules, each once, in document order.
std::vector<std::string> matched(const engine::Engine& engine, const engine::Decision& d) {
  std::vector<std::string> out;
  for (const auto& m : d.matches) {
    const std::string id(engine.packs().rules[m.rule].id);
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

}  // namespace

TEST_CASE("enforcement: project > global > @enforcement > deny") {
  struct Row {
    const char* rule;
    const char* global;   // level set in ~/.vectimus/config.toml, or nullptr
    const char* project;  // level set in <project>/.vectimus/config.toml
    Verdict expected;
  };
  const Row rows[] = {
      {"t-deny", nullptr, nullptr, Verdict::deny},
      {"t-escalate", nullptr, nullptr, Verdict::escalate},
      {"t-observe", nullptr, nullptr, Verdict::allow},
      {"t-escalate", "deny", nullptr, Verdict::deny},
      {"t-deny", "observe", nullptr, Verdict::allow},
      {"t-deny", "observe", "escalate", Verdict::escalate},
      {"t-observe", "escalate", "deny", Verdict::deny},
      {"t-escalate", nullptr, "observe", Verdict::allow},
  };
  const std::map<std::string, std::string> commands = {
      {"t-deny", "danger"}, {"t-escalate", "risky"}, {"t-observe", "watch"}};
  for (const Row& row : rows) {
    Fixture f;
    auto level = [&](const char* l) {
      return std::string("[rules.enforcement]\n\"") + row.rule + "\" = \"" + l + "\"\n";
    };
    if (row.global) f.t.write("home/.vectimus/config.toml", level(row.global));
    if (row.project) f.t.write("proj/.vectimus/config.toml", level(row.project));
    CAPTURE(row.rule, row.global ? row.global : "-", row.project ? row.project : "-");
    const engine::Engine e = f.engine();
    const engine::Decision d = e.decide(f.bash(commands.at(row.rule)));
    CHECK(d.verdict == row.expected);
    CHECK(matched(e, d) == std::vector<std::string>{row.rule});
  }
}

TEST_CASE("the strictest matched level wins and the reason lists that level's rules") {
  Fixture f;
  auto d = f.decide(f.bash("watch risky danger"));
  CHECK(d.verdict == Verdict::deny);
  CHECK(d.reason == "vectimus: blocked by t-deny: Dangerous command. Instead: Do something safe");
  CHECK(d.log == std::vector<std::string>{"vectimus: observed (not enforced): t-observe"});

  d = f.decide(f.bash("watch risky"));
  CHECK(d.verdict == Verdict::escalate);
  CHECK(d.reason == "vectimus: approval needed: t-escalate: Risky command");

  d = f.decide(f.bash("watch"));
  CHECK(d.verdict == Verdict::allow);
  CHECK(d.reason.empty());
  CHECK(d.log.size() == 1);

  d = f.decide(f.bash("ls"));
  CHECK(d.verdict == Verdict::allow);
  CHECK(d.matches.empty());
  CHECK(d.log.empty());
}

TEST_CASE("matched rules are reported in document order") {
  Fixture f;
  f.t.write("packs/core/rules.cedar",
            std::string("@id(\"z-first\")\nforbid(principal, action, resource) when { "
                        "context.command like \"*danger*\" };\n") +
                kRules);
  const engine::Engine e = f.engine();
  const auto d = e.decide(f.bash("danger"));
  CHECK(matched(e, d) == std::vector<std::string>{"z-first", "t-deny"});
  CHECK(d.reason ==
        "vectimus: blocked by z-first; also blocked by t-deny: Dangerous command. Instead: Do "
        "something safe");
}

TEST_CASE("each simple command the shell would run is its own request, canonical text included") {
  Fixture f;
  const engine::Engine e = f.engine();
  for (const char* command :
       {"r''m -rf /", "\\\"rm\\\" -rf / ", "/bin/rm -rf /", "bash -c 'rm -rf /'"}) {
    f.t.write("packs/core/rules.cedar",
              "@id(\"root\")\nforbid(principal, action, resource) when { context.command == \"rm "
              "-rf /\" };\n");
    const engine::Engine root = f.engine();
    CAPTURE(command);
    const auto d = root.decide(f.bash(command));
    CHECK(d.verdict == Verdict::deny);
    REQUIRE_FALSE(d.matches.empty());
    CHECK(d.requests[d.matches.front().request].planned.origin == "command");
  }
  const auto d = e.decide(f.bash("echo hi && sudo danger --force x"));
  REQUIRE(d.requests.size() == 3);
  CHECK(d.requests[0].planned.origin == "event");
  const auto& ctx = d.requests[2].planned.request.context;
  CHECK(ctx.field("command")->as_string() == "danger --force x");
  CHECK(ctx.field("raw_command")->as_string() == "echo hi && sudo danger --force x");
  CHECK(ctx.field("program")->as_string() == "danger");
  CHECK(ctx.field("args")->as_set().size() == 1);
  CHECK(ctx.field("flags")->as_set().front().as_string() == "force");
  CHECK(matched(e, d) == std::vector<std::string>{"t-deny"});
}

TEST_CASE("disabled rules, globally or per project, are not evaluated") {
  for (const char* file : {"home/.vectimus/config.toml", "proj/.vectimus/config.toml"}) {
    Fixture f;
    f.t.write(file, "[rules]\ndisabled = [\"t-deny\"]\n");
    const engine::Engine e = f.engine();
    CHECK_FALSE(e.rule_enabled(0));
    const auto d = e.decide(f.bash("danger risky"));
    CHECK(d.verdict == Verdict::escalate);
    CHECK(matched(e, d) == std::vector<std::string>{"t-escalate"});
  }
}

TEST_CASE("observe mode logs what it would do and allows") {
  Fixture f;
  f.t.write("proj/vectimus.toml", "[mode]\nobserve = true\n");
  const auto d = f.decide(f.bash("danger"));
  CHECK(d.verdict == Verdict::allow);
  CHECK(d.evaluated == Verdict::deny);
  CHECK(d.observe_mode);
  CHECK(d.log == std::vector<std::string>{
                     "vectimus: observe mode, allowed: vectimus: blocked by t-deny: Dangerous "
                     "command. Instead: Do something safe"});
}

TEST_CASE("MCP calls are denied unless the server is approved; approved servers face other rules") {
  Fixture f;
  const auto call = [&](const std::string& tool) { return f.event("mcp__github__" + tool, "{}"); };
  auto e = f.engine();
  auto d = e.decide(call("create_issue"));
  CHECK(d.verdict == Verdict::deny);
  CHECK(matched(e, d) == std::vector<std::string>{"t-mcp-approved"});

  f.t.write("home/.vectimus/config.toml", "[mcp]\nallowed_servers = [\"github\"]\n");
  e = f.engine();
  CHECK(e.decide(call("create_issue")).verdict == Verdict::allow);
  d = e.decide(call("delete_repo"));
  CHECK(matched(e, d) == std::vector<std::string>{"t-mcp-delete"});
  CHECK(e.decide(f.event("mcp__gitlab__create_issue", "{}")).verdict == Verdict::deny);

  f.h.env.set("VECTIMUS_MCP_ALLOWED", "gitlab,slack");
  e = f.engine();
  CHECK(e.decide(f.event("mcp__gitlab__create_issue", "{}")).verdict == Verdict::allow);
  CHECK(e.decide(call("create_issue")).verdict == Verdict::allow);
}

TEST_CASE("identity: payload, then git in a git project, then the OS user; git only when needed") {
  Fixture f;
  f.h.git_answer = "dev@git.example";
  auto d = f.decide(f.bash("ls"));
  CHECK(f.h.git_calls == 0);  // no rule reads the principal
  CHECK(d.identity.origin == "unresolved");

  f.principal_pack();
  d = f.decide(f.bash("ls"));
  CHECK(f.h.git_calls == 1);
  CHECK(d.identity.id == "dev@git.example");
  CHECK(d.identity.origin == "git");
  CHECK(d.requests.at(0).planned.request.principal ==
        ir::EntityUid{"Vectimus::User", "dev@git.example"});

  const normalise::Event cursor = [&] {
    auto o = normalise::normalise_payload(
        "cursor",
        "{\"conversation_id\":\"c\",\"generation_id\":\"g\",\"hook_event_name\":"
        "\"beforeShellExecution\",\"user_email\":\"me@cursor.example\",\"command\":"
        "\"ls\",\"cwd\":\"" +
            f.t.path("proj") + "\"}");
    return o.event;
  }();
  d = f.decide(cursor);
  CHECK(f.h.git_calls == 1);
  CHECK(d.identity.id == "me@cursor.example");
  CHECK(d.identity.origin == "payload");

  f.h.git_answer.reset();
  d = f.decide(f.bash("ls"));
  CHECK(d.identity.id == "os-user");
  CHECK(d.identity.origin == "os");

  std::filesystem::remove(f.t.path("proj/.git"));
  f.t.mkdir("proj/.vectimus");
  f.h.git_answer = "dev@git.example";
  d = f.decide(f.bash("ls"));
  CHECK(f.h.git_calls == 2);  // not a git project: git is not asked
  CHECK(d.identity.origin == "os");
}

TEST_CASE("groups and identity type are Cedar entities the policies test") {
  Fixture f;
  f.principal_pack();
  CHECK(f.decide(f.bash("deploy prod")).verdict == Verdict::allow);
  f.h.env.set("VECTIMUS_GROUPS", "interns,dev");
  auto d = f.decide(f.bash("deploy prod"));
  CHECK(d.verdict == Verdict::deny);
  CHECK(d.identity.groups == std::vector<std::string>{"dev", "interns"});

  CHECK(f.decide(f.bash("git push")).verdict == Verdict::allow);
  f.h.env.set("CI", "true");
  d = f.decide(f.bash("git push"));
  CHECK(d.verdict == Verdict::deny);
  CHECK(d.requests.at(0).planned.request.principal.type == "Vectimus::Agent");
  f.t.write("proj/.vectimus/config.toml", "[identity]\nidentity_type = \"user\"\n");
  CHECK(f.decide(f.bash("git push")).verdict == Verdict::allow);
}

TEST_CASE("the persona is an attribute of the principal: persona > default_persona > \"default\"") {
  Fixture f;
  f.principal_pack();
  const auto write =
      f.event("Write", "{\"file_path\":\"" + f.t.path("proj/a.txt") + "\",\"content\":\"x\"}");
  auto d = f.decide(write);
  CHECK(d.verdict == Verdict::allow);
  CHECK(d.identity.persona == "default");
  f.t.write("home/.vectimus/config.toml", "[identity]\ndefault_persona = \"reviewer\"\n");
  d = f.decide(write);
  CHECK(d.verdict == Verdict::deny);
  CHECK(d.identity.persona == "reviewer");
  f.t.write("proj/.vectimus/config.toml", "[identity]\npersona = \"builder\"\n");
  CHECK(f.decide(write).verdict == Verdict::allow);
  f.h.env.set("VECTIMUS_PERSONA", "reviewer");
  d = f.decide(write);
  CHECK(d.verdict == Verdict::deny);
  const auto entity = engine::principal_entity(d.identity);
  CHECK(entity.attrs.field("persona")->as_string() == "reviewer");
}

TEST_CASE("identity resolver: git (payload, git, OS user), env (VECTIMUS_PRINCIPAL), system") {
  Fixture f;
  f.principal_pack();
  f.h.git_answer = "dev@git.example";
  f.h.env.set("VECTIMUS_PRINCIPAL", "svc-deploy");
  struct Row {
    const char* resolver;  // nullptr: the default
    const char* id;
    const char* origin;
  };
  const Row rows[] = {{nullptr, "dev@git.example", "git"},
                      {"git", "dev@git.example", "git"},
                      {"env", "svc-deploy", "env"},
                      {"system", "os-user", "os"}};
  for (const Row& row : rows) {
    CAPTURE(row.resolver ? row.resolver : "-");
    if (row.resolver) {
      f.t.write("proj/vectimus.toml",
                std::string("[identity]\nresolver = \"") + row.resolver + "\"\n");
    }
    const auto d = f.decide(f.bash("ls"));
    CHECK(d.identity.id == row.id);
    CHECK(d.identity.origin == row.origin);
    CHECK(d.requests.at(0).planned.request.principal.id == row.id);
  }
  // env without the variable: the OS user, never an empty principal.
  f.t.write("proj/vectimus.toml", "[identity]\nresolver = \"env\"\n");
  f.h.env.set("VECTIMUS_PRINCIPAL", "");
  CHECK(f.decide(f.bash("ls")).identity.id == "os-user");
}

TEST_CASE("[packs.<name>] enabled = false leaves the pack's rules out") {
  Fixture f;
  f.principal_pack();
  f.h.env.set("VECTIMUS_GROUPS", "interns");
  CHECK(f.decide(f.bash("danger")).verdict == Verdict::deny);
  CHECK(f.decide(f.bash("deploy")).verdict == Verdict::deny);
  f.t.write("proj/.vectimus/config.toml", "[packs.core]\nenabled = false\n");
  CHECK(f.decide(f.bash("danger")).verdict == Verdict::allow);
  CHECK(f.decide(f.bash("deploy")).verdict == Verdict::deny);
  f.t.write("proj/vectimus.toml", "[packs.core]\nenabled = true\n");
  CHECK(f.decide(f.bash("danger")).verdict == Verdict::deny);
}

TEST_CASE("[policies] dir chooses the packs as --policy-dir does; the flag wins; missing denies") {
  Fixture f;
  f.t.write("bare/mine.cedar",
            "@id(\"bare-1\")\nforbid(principal, action, resource) when { context.command like "
            "\"*bare*\" };\n");
  const auto load = [&](std::optional<std::string> flag) {
    engine::EngineOptions options;
    options.policy_dir = flag;
    options.use_index = use_index();
    return engine::Engine::load(f.h.host, engine::locate(f.h.host, f.t.path("proj"), flag),
                                options);
  };
  // Relative to the project root for <project>/.vectimus/config.toml.
  f.t.write("proj/.vectimus/config.toml", "[policies]\ndir = \"../bare\"\n");
  auto e = load(std::nullopt);
  REQUIRE(e.ok());
  CHECK(e->packs().packs.size() == 1);
  CHECK(e->packs().packs[0].manifest.name == "bare");
  CHECK(e->decide(f.bash("bare")).verdict == Verdict::deny);
  CHECK(e->decide(f.bash("danger")).verdict == Verdict::allow);
  // The flag wins.
  e = load(f.t.path("packs"));
  REQUIRE(e.ok());
  CHECK(e->decide(f.bash("danger")).verdict == Verdict::deny);
  // The variable wins over the files; a missing folder fails, naming who set it.
  f.h.env.set("VECTIMUS_POLICY_DIR", f.t.path("nowhere"));
  e = load(std::nullopt);
  REQUIRE_FALSE(e.ok());
  CHECK(e.errors().front().message == "policy folder `" + f.t.path("nowhere") + "` does not exist");
  CHECK(e.errors().front().help.find("`VECTIMUS_POLICY_DIR`") != std::string::npos);
  f.h.env.set("VECTIMUS_POLICY_DIR", f.t.path("packs"));
  e = load(std::nullopt);
  REQUIRE(e.ok());
  CHECK(e->decide(f.bash("danger")).verdict == Verdict::deny);
  // A missing folder set in a file points at the key.
  f.h.env.set("VECTIMUS_POLICY_DIR", "");
  f.t.write("proj/.vectimus/config.toml", "[policies]\ndir = \"./gone\"\n");
  e = load(std::nullopt);
  REQUIRE_FALSE(e.ok());
  CHECK(render(e.errors().front())
            .starts_with(f.t.path("proj/.vectimus/config.toml") + ":2:1: error: policy folder `" +
                         f.t.path("proj/gone") + "` does not exist\n"));
}

TEST_CASE("content inspection: written content and executed scripts are checked line by line") {
  Fixture f;
  const std::string script = f.t.path("proj/run.sh");
  auto write = f.event("Write", "{\"file_path\":\"" + script +
                                    "\",\"content\":\"#!/bin/sh\\n# danger in a comment\\n\\necho "
                                    "ok\\n  danger now\\n\"}");
  auto d = f.decide(write);
  CHECK(d.verdict == Verdict::deny);
  CHECK(d.reason == "vectimus: blocked by t-deny (in the content written to `" + script +
                        "`, line 5): Dangerous command. Instead: Do something safe");

  // The script does not exist yet: allowed, and said on the debug log.
  d = f.decide(f.bash("bash run.sh"));
  CHECK(d.verdict == Verdict::allow);
  CHECK(d.debug_log ==
        std::vector<std::string>{"vectimus: script `" + script + "` not inspected: no such file"});

  f.t.write("proj/run.sh", "echo start\nrisky thing\n");
  for (const char* command : {"bash run.sh", "sh ./run.sh", "./run.sh", "source run.sh",
                              "cd x && bash -x run.sh --flag"}) {
    CAPTURE(command);
    d = f.decide(f.bash(command));
    CHECK(d.verdict == Verdict::escalate);
    CHECK(d.reason == "vectimus: approval needed: t-escalate (in the script `" + script +
                          "`, line 2): Risky command");
  }
  CHECK(f.decide(f.bash("bash -c 'echo hi'")).verdict == Verdict::allow);
  f.t.write("proj/tool.py", "import os\nos.system('danger')\n");
  CHECK(f.decide(f.bash("python3 tool.py")).verdict == Verdict::deny);
}

TEST_CASE("content past the limit escalates, unless a line within it already denies") {
  Fixture f;
  f.t.write("proj/.vectimus/config.toml", "[content]\nmax_bytes = 16\n");
  const std::string script = f.t.path("proj/big.sh");
  f.t.write("proj/big.sh", "echo 1\necho 2\necho 3\ndanger\n");
  auto d = f.decide(f.bash("bash big.sh"));
  CHECK(d.verdict == Verdict::escalate);
  CHECK(d.reason == "vectimus: approval needed: the content of `" + script +
                        "` is over the 16-byte inspection limit, so it was not fully checked");
  f.t.write("proj/big.sh", "danger\n# padding padding padding\n");
  CHECK(f.decide(f.bash("bash big.sh")).verdict == Verdict::deny);

  const std::string padded(40, ' ');
  d = f.decide(f.event("Write", "{\"file_path\":\"" + f.t.path("proj/w.sh") + "\",\"content\":\"" +
                                    padded + "\\ndanger\"}"));
  CHECK(d.verdict == Verdict::escalate);
}

TEST_CASE("content inspection follows every way the analysis reaches a script") {
  // The interim splitter saw none of these: a launcher it did not know, a `-c` body, a
  // substitution, backticks, a `find -exec`, a script run from a heredoc fed to a shell.
  Fixture f;
  f.t.write("proj/x.sh", "echo start\nrisky thing\n");
  f.t.write("proj/x.py", "import os\nos.system('risky')\n");
  const std::string sh = f.t.path("proj/x.sh");
  const std::string py = f.t.path("proj/x.py");
  for (const char* command :
       {"sudo bash x.sh", "bash -c 'python3 x.py'", "echo $(sh x.sh)", "echo `sh x.sh`",
        "setsid nohup sh x.sh", "find . -maxdepth 0 -exec sh x.sh {} +",
        "bash <<'EOF'\\nsh x.sh\\nEOF", "sh -c \\\"eval 'node --inspect x.py'\\\""}) {
    CAPTURE(command);
    const auto d = f.decide(f.bash(command));
    CHECK(d.verdict == Verdict::escalate);
    const std::string file = std::string(command).find(".py") != std::string::npos ? py : sh;
    CHECK(d.reason == "vectimus: approval needed: t-escalate (in the script `" + file +
                          "`, line 2): Risky command");
  }
}

namespace {

// JSON string body (no quotes) for the payloads below.
std::string json_text(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string sh_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// `rm -rf /` reached through `levels` of one mechanism (as in tests/shell/analysis_test.cpp).
std::string nested(std::string_view how, int levels) {
  std::string body = "rm -rf /";
  if (how == "bash -c" || how == "eval") {
    for (int i = 0; i < levels; ++i) body = std::string(how) + " " + sh_quoted(body);
  } else if (how == "$(") {
    body = "echo " + repeat("$(", levels) + body + repeat(")", levels);
  } else if (how == "`") {
    body = "echo `" + repeat("$(", levels) + body + repeat(")", levels) + "`";
  } else if (how == "heredoc") {
    for (int i = levels; i > 0; --i) {
      const std::string end = "E" + std::to_string(i);
      body = "bash <<'" + end + "'\n" + body + "\n" + end;
    }
  } else if (how == "padded") {  // a line of `levels` bytes
    const std::string tail = " ; rm -rf /";
    body = "echo " + std::string(static_cast<std::size_t>(levels) - 5 - tail.size(), 'a') + tail;
  }
  return body;
}

constexpr const char* kRootRule =
    "@id(\"root\")\n@description(\"Deleting the root\")\nforbid(principal, action, resource) "
    "when { context.command == \"rm -rf /\" };\n";

}  // namespace

TEST_CASE("a bound never allows: just under it the command is checked, past it escalated") {
  Fixture f;
  f.t.write("packs/core/rules.cedar", kRootRule);
  const engine::Engine e = f.engine();
  struct Row {
    const char* how;
    int over;  // the first level (bytes for `padded`) past the bound
    const char* bound;
    const char* phrase;
  };
  const Row rows[] = {
      {"bash -c", 8, "max_reparse", "runs code within code deeper than the 8-level analysis bound"},
      {"eval", 8, "max_reparse", "runs code within code deeper than the 8-level analysis bound"},
      {"heredoc", 8, "max_reparse", "runs code within code deeper than the 8-level analysis bound"},
      {"$(", 32, "max_depth", "nests deeper than the 64-level analysis bound"},
      {"`", 31, "max_depth", "nests deeper than the 64-level analysis bound"},
      {"padded", 256 * 1024 + 1, "max_bytes", "is over the 262144-byte analysis bound"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.how);
    const auto under = e.decide(f.bash(json_text(nested(row.how, row.over - 1))));
    CHECK(under.verdict == Verdict::deny);
    CHECK(under.bounds.empty());
    const auto over = e.decide(f.bash(json_text(nested(row.how, row.over))));
    CHECK(over.verdict == Verdict::escalate);
    CHECK(over.bounds == std::vector<std::string>{std::string("command: ") + row.bound});
    CHECK(over.reason == std::string("vectimus: approval needed: the command ") + row.phrase +
                             ", so it was not fully checked");
  }
  // A rule that denies another part of the line still denies.
  const auto both = e.decide(f.bash(json_text(nested("bash -c", 8) + " ; rm -rf /")));
  CHECK(both.verdict == Verdict::deny);
  CHECK(both.bounds == std::vector<std::string>{"command: max_reparse"});
}

TEST_CASE("a bound in a script run or a shell script written escalates; in other content not") {
  Fixture f;
  f.t.write("packs/core/rules.cedar", kRootRule);
  const engine::Engine e = f.engine();
  const std::string script = f.t.path("proj/deep.sh");
  f.t.write("proj/deep.sh", "echo start\n" + nested("bash -c", 8) + "\n");
  auto d = e.decide(f.bash("sudo bash deep.sh"));
  CHECK(d.verdict == Verdict::escalate);
  CHECK(d.bounds == std::vector<std::string>{"script " + script + ":2: max_reparse"});
  CHECK(d.reason == "vectimus: approval needed: line 2 of the script `" + script +
                        "` runs code within code deeper than the 8-level analysis bound, so it "
                        "was not fully checked");
  f.t.write("proj/deep.sh", "echo start\n" + nested("bash -c", 7) + "\n");
  CHECK(e.decide(f.bash("sudo bash deep.sh")).verdict == Verdict::deny);

  const std::string written = f.t.path("proj/w.sh");
  const std::string long_line = nested("padded", 300 * 1024);
  d = e.decide(f.event(
      "Write", "{\"file_path\":\"" + written + "\",\"content\":\"" + json_text(long_line) + "\"}"));
  CHECK(d.verdict == Verdict::escalate);
  CHECK(d.bounds == std::vector<std::string>{"content " + written + ":1: max_bytes"});
  // The same line in a file that is not a shell script is text, not something that runs.
  d = e.decide(f.event("Write", "{\"file_path\":\"" + f.t.path("proj/app.min.js") +
                                    "\",\"content\":\"" + json_text(long_line) + "\"}"));
  CHECK(d.verdict == Verdict::allow);
  CHECK(d.bounds.empty());
}

TEST_CASE("observe mode allows a command past a bound, and logs it") {
  Fixture f;
  f.t.write("packs/core/rules.cedar", kRootRule);
  f.t.write("proj/.vectimus/config.toml", "[mode]\nobserve = true\n");
  const auto d = f.decide(f.bash(json_text(nested("eval", 8))));
  CHECK(d.verdict == Verdict::allow);
  CHECK(d.evaluated == Verdict::escalate);
  CHECK(d.bounds == std::vector<std::string>{"command: max_reparse"});
  CHECK(d.log == std::vector<std::string>{
                     "vectimus: observe mode, allowed: vectimus: approval needed: the command runs "
                     "code within code deeper than the 8-level analysis bound, so it was not fully "
                     "checked"});
}

TEST_CASE("a Session remembers where a cwd leads for a second of its clock, without one never") {
  TempTree t;
  t.mkdir("home");
  t.mkdir("work/sub");
  t.mkdir("other/sub");
  TestHost h(t.path("work"), t.path("home"));
  engine::EngineOptions options;
  options.use_index = use_index();
  engine::Session session(h.host, options);
  const std::optional<std::string> cwd = t.path("work/sub");
  const Result<engine::Engine>& before = session.engine_for(cwd);
  REQUIRE(before);
  CHECK_FALSE(before->locations().project);
  // A project made meanwhile is not seen within the second: the walk is not made again.
  t.mkdir("work/.git");
  h.clock_ns += 999'999'999;
  CHECK(&session.engine_for(cwd) == &before);
  // After it, the cwd is located again and leads to the new project's engine.
  h.clock_ns += 2;
  const Result<engine::Engine>& after = session.engine_for(cwd);
  REQUIRE(after);
  CHECK(&after != &before);
  CHECK(after->locations().project == t.path("work"));

  // Without a clock every event's cwd is located.
  Host no_clock = h.host;
  no_clock.now_ns = nullptr;
  engine::Session walking(no_clock, options);
  const std::optional<std::string> other = t.path("other/sub");
  CHECK_FALSE(walking.engine_for(other)->locations().project);
  t.mkdir("other/.vectimus");
  CHECK(walking.engine_for(other)->locations().project == t.path("other"));
}

TEST_CASE("file accesses say whether they lie in the project root (else the cwd)") {
  Fixture f;
  f.t.write("packs/core/rules.cedar", R"(
@id("t-outside")
forbid(principal, action == Vectimus::Action::"file_write", resource)
when { context has in_project && !context.in_project && context.flags.contains("r") };
)");
  f.t.mkdir("proj/sub");
  auto e = f.engine();
  const auto in = [&](const std::string& cwd, const std::string& command) {
    const std::string json = "{\"session_id\":\"s\",\"cwd\":\"" + cwd +
                             "\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
                             "\"tool_input\":{\"command\":\"" +
                             command + "\"}}";
    auto outcome = normalise::normalise_payload("claude-code", json);
    REQUIRE(outcome.status == normalise::PayloadStatus::event);
    return e.decide(outcome.event).verdict;
  };
  const std::string proj = f.t.path("proj");
  CHECK(in(proj, "rm -r build") == Verdict::allow);
  CHECK(in(proj, "rm -r ../elsewhere") == Verdict::deny);
  CHECK(in(proj, "rm -f ../elsewhere") == Verdict::allow);  // not recursive: the rule's own test
  // A cwd below the root: the root bounds the project, so a sibling folder is inside it.
  CHECK(in(proj + "/sub", "rm -r ../other") == Verdict::allow);
  CHECK(in(proj + "/sub", "rm -r ../../elsewhere") == Verdict::deny);
  // A cwd outside the project the engine found: the cwd stands for the project.
  CHECK(in("/srv/app", "rm -r cache") == Verdict::allow);
  CHECK(in("/srv/app", "rm -r /srv/other") == Verdict::deny);
}

TEST_CASE("an MCP tool's path and command arguments make the requests the agent's tools would") {
  Fixture f;
  f.t.write("packs/core/rules.cedar", R"(
@id("t-read")
forbid(principal, action == Vectimus::Action::"file_read", resource)
when { context.file_path like "*/secret" && context.mcp_tool == "read_file" };

@id("t-write")
forbid(principal, action == Vectimus::Action::"file_write", resource)
when { context.file_path like "*/guarded" };

@id("t-cmd")
forbid(principal, action == Vectimus::Action::"shell_command", resource)
when { context has program && context.program == "danger" };

@id("t-sql")
forbid(principal, action == Vectimus::Action::"mcp_tool", resource)
when { context has sql && context.sql == "drop table x" };
)");
  f.h.env.set("VECTIMUS_MCP_ALLOWED", "fs");
  auto e = f.engine();
  const auto call = [&](const std::string& tool, const std::string& input) {
    return e.decide(f.event("mcp__fs__" + tool, input)).verdict;
  };
  CHECK(call("read_file", R"({"path":"/x/secret"})") == Verdict::deny);
  CHECK(call("read_file", R"({"path":"/x/guarded"})") == Verdict::allow);
  CHECK(call("write_file", R"({"path":"/x/guarded","content":""})") == Verdict::deny);
  CHECK(call("editFile", R"({"file_path":"/x/guarded"})") == Verdict::deny);
  CHECK(call("list_directory", R"({"path":"/x/guarded"})") == Verdict::allow);
  CHECK(call("run", R"({"command":"cd x && sudo danger now"})") == Verdict::deny);
  CHECK(call("run", R"({"command":"echo danger"})") == Verdict::allow);
  // The `sql` argument in one canonical form (normalise/shell/sql.hpp).
  CHECK(call("query", R"({"sql":"DROP/* x */\n  Table X"})") == Verdict::deny);
  CHECK(call("query", R"({"sql":"DROP TABLE y"})") == Verdict::allow);
  CHECK(call("search", R"({"query":"DROP TABLE x"})") == Verdict::allow);
}
