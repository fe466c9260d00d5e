// End-to-end tests of `vectimus hook`: the real binary, run with HOME and its working folder in
// temp dirs (so a developer's ~/.vectimus never leaks in) and an otherwise empty environment.
// Each test compares stdout, stderr and the exit code exactly, per docs/hook-protocols.md.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/cli/process.hpp"
#include "tests/support/temp_tree.hpp"

using vectimus::testing::ProcessResult;
using vectimus::testing::TempTree;
using vectimus::testing::without_receipt_ids;

namespace {

const std::string kBinary = VECTIMUS_BINARY;
const std::string kRepo = VECTIMUS_SOURCE_DIR;
const std::string kFixtures = kRepo + "/tests/normalise/fixtures/";
const std::string kPacks = kRepo + "/tests/packs/";

const std::string kDestruct001 =
    "vectimus: blocked by vectimus-destruct-001: Recursive forced delete of the filesystem root "
    "or the home folder. Instead: Delete the specific project paths you created, e.g. `rm -r "
    "./build`";
const std::string kMcp001 =
    "vectimus: blocked by vectimus-mcp-001: MCP server is not on the approved list. Instead: Use "
    "a tool from an approved MCP server, or ask the user to review this server";

std::string hint(const std::string& ids, const std::string& file = "~/.vectimus/config.toml") {
  return "vectimus: to turn this off, add " + ids + " to `[rules] disabled` in " + file +
         ", or set its level under `[rules.enforcement]`\n"
         "vectimus: or run `vectimus rule disable <id>` (`--for 30m`: for a while, `--global`: "
         "everywhere) or `vectimus rule enforce <id> --level escalate`\n";
}

// JSON string escaping for the few characters our reasons contain.
std::string q(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string claude_doc(const std::string& reason, const std::string& decision = "deny") {
  return "{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"permissionDecision\":\"" +
         decision + "\",\"permissionDecisionReason\":" + q(reason) + "}}\n";
}
std::string copilot_cli_doc(const std::string& reason, const std::string& decision = "deny") {
  return "{\"permissionDecision\":\"" + decision + "\",\"permissionDecisionReason\":" + q(reason) +
         "}\n";
}
std::string cursor_doc(const std::string& reason, const std::string& decision = "deny") {
  return "{\"permission\":\"" + decision + "\",\"user_message\":" + q(reason) +
         ",\"agent_message\":" + q(reason) + "}\n";
}
std::string gemini_doc(const std::string& reason) {
  return "{\"decision\":\"deny\",\"reason\":" + q(reason) + "}\n";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Payloads in each dialect, for a shell command run in `cwd`.
std::string claude_bash(const std::string& command, const std::string& cwd = "/nonexistent/shop") {
  return "{\"session_id\":\"s1\",\"transcript_path\":\"/t.jsonl\",\"cwd\":\"" + cwd +
         "\",\"permission_mode\":\"default\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":"
         "\"Bash\",\"tool_input\":{\"command\":\"" +
         command + "\"},\"tool_use_id\":\"toolu_1\"}";
}
std::string codex_bash(const std::string& command) {
  return "{\"session_id\":\"x1\",\"turn_id\":\"1\",\"transcript_path\":\"/t.jsonl\",\"cwd\":"
         "\"/nonexistent/shop\",\"hook_event_name\":\"PreToolUse\",\"model\":\"gpt-5-codex\","
         "\"permission_mode\":\"default\",\"tool_name\":\"Bash\",\"tool_use_id\":\"c1\","
         "\"tool_input\":{\"command\":\"" +
         command + "\"}}";
}
std::string cursor_shell(const std::string& command) {
  return "{\"conversation_id\":\"c1\",\"generation_id\":\"g1\",\"hook_event_name\":\"preToolUse\","
         "\"workspace_roots\":[\"/nonexistent/shop\"],\"user_email\":\"dev@acme.example\","
         "\"tool_name\":\"Shell\",\"tool_input\":{\"command\":\"" +
         command +
         "\"},\"tool_use_id\":\"t1\",\"cwd\":\"/nonexistent/shop\",\"agent_message\":\"\"}";
}
std::string cursor_before_shell(const std::string& command) {
  return "{\"conversation_id\":\"c1\",\"generation_id\":\"g1\",\"hook_event_name\":"
         "\"beforeShellExecution\",\"workspace_roots\":[\"/nonexistent/shop\"],\"command\":\"" +
         command + "\",\"cwd\":\"/nonexistent/shop\",\"sandbox\":false}";
}
std::string copilot_cli_bash(const std::string& command) {
  return "{\"sessionId\":\"p1\",\"timestamp\":1762165200123,\"cwd\":\"/nonexistent/shop\","
         "\"toolName\":\"bash\",\"toolArgs\":{\"command\":\"" +
         command + "\"}}";
}
std::string copilot_vscode_bash(const std::string& command) {
  return "{\"timestamp\":\"2025-11-03T10:15:42.118Z\",\"cwd\":\"/nonexistent/shop\",\"sessionId\":"
         "\"v1\",\"hookEventName\":\"PreToolUse\",\"transcript_path\":\"/t.json\",\"tool_name\":"
         "\"runTerminalCommand\",\"tool_input\":{\"command\":\"" +
         command + "\"},\"tool_use_id\":\"call_1\"}";
}
std::string gemini_bash(const std::string& command) {
  return "{\"session_id\":\"g1\",\"transcript_path\":\"/t.json\",\"cwd\":\"/nonexistent/shop\","
         "\"hook_event_name\":\"BeforeTool\",\"timestamp\":\"2025-11-03T10:30:00.000Z\","
         "\"tool_name\":\"run_shell_command\",\"tool_input\":{\"command\":\"" +
         command + "\"}}";
}

// HOME, a project and the process's working folder, all in one temp tree.
struct Sandbox {
  TempTree t;
  std::vector<std::string> env;
  Sandbox() {
    t.mkdir("home");
    t.mkdir("work");
    t.mkdir("proj/.git");
    t.mkdir("proj/src");
    env = {"HOME=" + t.path("home")};
  }
  ProcessResult run(std::vector<std::string> args, const std::string& input = {}) const {
    args.insert(args.begin(), kBinary);
    return vectimus::testing::run_process(args, input, {env, t.path("work")});
  }
  ProcessResult hook(const std::string& source, const std::string& payload,
                     const std::string& policy_dir = {}) const {
    // Whole answer documents are compared, so the packs are the frozen ones in tests/packs/hook
    // unless a test names others; the built-in packs are tested by their own fixtures.
    const std::string packs = kPacks + (policy_dir.empty() ? "hook" : policy_dir);
    return run({"hook", "--source", source, "--policy-dir", packs}, payload);
  }
};

void check(const ProcessResult& r, int exit_code, const std::string& out, const std::string& err) {
  CHECK(r.exit_code == exit_code);
  CHECK(without_receipt_ids(r.out) == out);
  CHECK(r.err == err);
}

}  // namespace

TEST_CASE("each source gets its documented deny document, exit 0, and the hint on stderr") {
  Sandbox s;
  const std::string h = hint("\"vectimus-destruct-001\"");
  check(s.hook("claude-code", claude_bash("rm -rf /")), 0, claude_doc(kDestruct001), h);
  check(s.hook("claude-agent-sdk", claude_bash("rm -rf /")), 0, claude_doc(kDestruct001), h);
  check(s.hook("codex", codex_bash("rm -rf /")), 0, claude_doc(kDestruct001), h);
  check(s.hook("cursor", cursor_shell("rm -rf /")), 0, cursor_doc(kDestruct001), h);
  check(s.hook("cursor", cursor_before_shell("rm -rf /")), 0, cursor_doc(kDestruct001), h);
  check(s.hook("copilot", copilot_cli_bash("rm -rf /")), 0, copilot_cli_doc(kDestruct001), h);
  check(s.hook("copilot", copilot_vscode_bash("rm -rf /")), 0, claude_doc(kDestruct001), h);
  check(s.hook("gemini-cli", gemini_bash("rm -rf /")), 0, gemini_doc(kDestruct001), h);
  // A --source claude-code hook answers a Copilot CLI payload in Copilot's format.
  check(s.hook("claude-code", copilot_cli_bash("rm -rf /")), 0, copilot_cli_doc(kDestruct001), h);
}

TEST_CASE("each source's allowed call exits 0 with empty stdout and stderr") {
  Sandbox s;
  for (const auto& [source, payload] : std::vector<std::pair<std::string, std::string>>{
           {"claude-code", claude_bash("ls -la")},
           {"claude-agent-sdk", claude_bash("ls -la")},
           {"codex", codex_bash("cargo test")},
           {"cursor", cursor_shell("npm test")},
           {"copilot", copilot_cli_bash("make")},
           {"copilot", copilot_vscode_bash("make")},
           {"gemini-cli", gemini_bash("git status")}}) {
    CAPTURE(source, payload);
    check(s.hook(source, payload), 0, "", "");
  }
}

TEST_CASE("every payload fixture, every source and event kind, against the hook test packs") {
  Sandbox s;
  // MCP calls are denied (no server is approved); everything else in the fixtures is allowed.
  const std::map<std::string, std::string> denied = {
      {"claude-code/mcp.json", claude_doc(kMcp001)},
      {"claude-code/mcp-plugin.json", claude_doc(kMcp001)},
      {"codex/mcp.json", claude_doc(kMcp001)},
      {"cursor/before-mcp-execution.json", cursor_doc(kMcp001)},
      {"cursor/before-mcp-execution-url.json", cursor_doc(kMcp001)},
      {"cursor/pretooluse-mcp.json", cursor_doc(kMcp001)},
      {"gemini-cli/mcp.json", gemini_doc(kMcp001)},
      {"gemini-cli/mcp-no-context.json", gemini_doc(kMcp001)},
  };
  std::size_t seen = 0;
  for (const auto& dir : std::filesystem::directory_iterator(kFixtures)) {
    for (const auto& file : std::filesystem::directory_iterator(dir.path())) {
      const std::string source = dir.path().filename().string();
      const std::string key = source + "/" + file.path().filename().string();
      CAPTURE(key);
      const auto r = s.hook(source, read_file(file.path().string()));
      const auto it = denied.find(key);
      if (it == denied.end()) {
        check(r, 0, "", "");
      } else {
        check(r, 0, it->second, hint("\"vectimus-mcp-001\""));
      }
      ++seen;
    }
  }
  CHECK(seen >= 40);
}

TEST_CASE("payloads that cannot be read are denied with a reason and a diagnostic") {
  Sandbox s;
  const std::string pre = "vectimus: the hook payload could not be read: ";
  std::string m = "payload is not valid JSON at byte 1: expected a string key";
  check(s.hook("claude-code", "{x"), 0, claude_doc(pre + m), "error: " + m + "\n");
  m = "payload is a JSON array, expected an object";
  check(s.hook("claude-code", "[{\"tool_name\":\"Bash\"}]"), 0, claude_doc(pre + m),
        "error: " + m + "\n");
  check(s.hook("gemini-cli", "[1]"), 0, gemini_doc(pre + m), "error: " + m + "\n");
  check(s.hook("cursor", "[1]"), 0, cursor_doc(pre + m), "error: " + m + "\n");
  m = "payload is 20971520 bytes, over the 16777216-byte limit";
  check(s.hook("codex", std::string(20u << 20, ' ')), 0, claude_doc(pre + m), "error: " + m + "\n");
  // Copilot's dialect is unknown until the payload is read: exit 2, the reason alone on stderr.
  check(s.hook("copilot", "{x"), 2, "",
        pre + "payload is not valid JSON at byte 1: expected a string key\n");
  check(s.hook("nope", "{}"), 2, "",
        pre +
            "unknown source `nope`; expected one of claude-code, claude-agent-sdk, cursor, "
            "copilot, gemini-cli, codex\n");
}

TEST_CASE("empty stdin allows; a hook command line without --source blocks with exit 2") {
  Sandbox s;
  check(s.hook("claude-code", ""), 0, "", "");
  check(s.hook("claude-code", " \n"), 0, "", "");
  const auto r = s.run({"hook"}, claude_bash("ls"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
}

TEST_CASE("a policy file with a syntax error denies every call, naming file and line") {
  Sandbox s;
  const std::string file = kPacks + "broken/broken.cedar";
  const std::string reason =
      "vectimus: policies could not be loaded, so every call is denied: " + file +
      ":5:39: expected an expression after `&&`, found `}`";
  const std::string diagnostic = file +
                                 ":5:39: error: expected an expression after `&&`, found `}`\n"
                                 "when { context.command like \"*x*\" &&  };\n"
                                 "                                      ^\n";
  check(s.hook("claude-code", claude_bash("ls"), "broken"), 0, claude_doc(reason), diagnostic);
  check(s.hook("gemini-cli", gemini_bash("ls"), "broken"), 0, gemini_doc(reason), diagnostic);
  check(s.hook("copilot", copilot_cli_bash("ls"), "broken"), 0, copilot_cli_doc(reason),
        diagnostic);
}

TEST_CASE("a duplicate @id across packs denies every call, naming both places") {
  Sandbox s;
  const std::string a = kPacks + "dupes/a/a.cedar";
  const std::string b = kPacks + "dupes/b/b.cedar";
  const std::string reason =
      "vectimus: policies could not be loaded, so every call is denied: " + b +
      ":2:1: duplicate policy id `dupe-001`";
  const std::string diagnostic = b +
                                 ":2:1: error: duplicate policy id `dupe-001`\n"
                                 "@id(\"dupe-001\")\n^~~~~~~~~~~~~~~\n" +
                                 a +
                                 ":1:1: note: first defined here\n"
                                 "@id(\"dupe-001\")\n^~~~~~~~~~~~~~~\n"
                                 "help: policy ids must be unique across all loaded files "
                                 "and packs\n";
  check(s.hook("claude-code", claude_bash("ls"), "dupes"), 0, claude_doc(reason), diagnostic);
  check(s.hook("cursor", cursor_shell("ls"), "dupes"), 0, cursor_doc(reason), diagnostic);
}

TEST_CASE("escalate is `ask` where the agent honours it, else a deny starting with [escalate]") {
  Sandbox s;
  const std::string reason =
      "vectimus: approval needed: levels-escalate: Risky command. Instead: Ask first";
  const std::string esc = "[escalate] " + reason;
  const std::string h = hint("\"levels-escalate\"");
  check(s.hook("claude-code", claude_bash("risky"), "levels"), 0, claude_doc(reason, "ask"), h);
  check(s.hook("claude-agent-sdk", claude_bash("risky"), "levels"), 0, claude_doc(reason, "ask"),
        h);
  check(s.hook("copilot", copilot_vscode_bash("risky"), "levels"), 0, claude_doc(reason, "ask"), h);
  check(s.hook("copilot", copilot_cli_bash("risky"), "levels"), 0, copilot_cli_doc(reason, "ask"),
        h);
  check(s.hook("cursor", cursor_before_shell("risky"), "levels"), 0, cursor_doc(reason, "ask"), h);
  check(s.hook("cursor", cursor_shell("risky"), "levels"), 0, cursor_doc(esc), h);
  check(s.hook("codex", codex_bash("risky"), "levels"), 0, claude_doc(esc), h);
  check(s.hook("gemini-cli", gemini_bash("risky"), "levels"), 0, gemini_doc(esc), h);
  // Deny beats escalate; the reason names the deciding rules only.
  check(s.hook("gemini-cli", gemini_bash("risky danger"), "levels"), 0,
        gemini_doc(
            "vectimus: blocked by levels-deny: Dangerous command. Instead: Run something safe"),
        hint("\"levels-deny\", \"levels-escalate\""));
}

TEST_CASE("escalate to Claude Code asks only in the permission modes where a person answers") {
  Sandbox s;
  const std::string reason =
      "vectimus: approval needed: levels-escalate: Risky command. Instead: Ask first";
  const std::string h = hint("\"levels-escalate\"");
  auto with_mode = [](std::string payload, const std::string& mode) {
    const std::string from = "\"permission_mode\":\"default\"";
    const std::size_t at = payload.find(from);
    REQUIRE(at != std::string::npos);
    payload.replace(at, from.size(),
                    mode.empty() ? std::string("\"permission_mode\":null")
                                 : "\"permission_mode\":\"" + mode + "\"");
    return payload;
  };
  // A mode whose ask is put to the user (or no mode at all): ask.
  for (const std::string mode : {"default", "acceptEdits", "plan", ""}) {
    for (const std::string source : {"claude-code", "claude-agent-sdk"}) {
      INFO(source << " " << mode);
      check(s.hook(source, with_mode(claude_bash("risky"), mode), "levels"), 0,
            claude_doc(reason, "ask"), h);
    }
  }
  // `auto` ignores a hook's ask, `bypassPermissions` approved it in older versions, and
  // `dontAsk` never asks: a deny that says it is an escalation.
  for (const std::string mode : {"auto", "bypassPermissions", "dontAsk"}) {
    for (const std::string source : {"claude-code", "claude-agent-sdk"}) {
      INFO(source << " " << mode);
      check(s.hook(source, with_mode(claude_bash("risky"), mode), "levels"), 0,
            claude_doc("[escalate] " + reason), h);
    }
  }
  // Codex carries permission_mode too, and never gets an ask, whatever its mode.
  for (const std::string mode : {"default", "auto"}) {
    INFO("codex " << mode);
    check(s.hook("codex", with_mode(codex_bash("risky"), mode), "levels"), 0,
          claude_doc("[escalate] " + reason), h);
  }
  // Gemini CLI would wait forever for a confirmation: never an ask.
  check(s.hook("gemini-cli", gemini_bash("risky"), "levels"), 0, gemini_doc("[escalate] " + reason),
        h);
}

TEST_CASE("observe: rules and the global mode log on stderr and allow") {
  Sandbox s;
  check(s.hook("claude-code", claude_bash("watch"), "levels"), 0, "",
        "vectimus: observed (not enforced): levels-observe: Watched command\n");
  s.env.push_back("VECTIMUS_OBSERVE=true");
  check(s.hook("claude-code", claude_bash("danger"), "levels"), 0, "",
        "vectimus: observe mode, allowed: vectimus: blocked by levels-deny: Dangerous command. "
        "Instead: Run something safe\n");
}

TEST_CASE("config precedence: home < project < ./vectimus.toml < environment") {
  Sandbox s;
  const std::string cwd = s.t.path("proj/src");
  const std::string payload = claude_bash("danger", cwd);
  const std::string deny =
      "vectimus: blocked by levels-deny: Dangerous command. Instead: Run something safe";
  const std::string project_hint =
      hint("\"levels-deny\"", s.t.path("proj") + "/.vectimus/config.toml");
  check(s.hook("claude-code", payload, "levels"), 0, claude_doc(deny), project_hint);

  s.t.write("home/.vectimus/config.toml", "[rules.enforcement]\n\"levels-deny\" = \"escalate\"\n");
  check(
      s.hook("claude-code", payload, "levels"), 0,
      claude_doc(
          "vectimus: approval needed: levels-deny: Dangerous command. Instead: Run something safe",
          "ask"),
      project_hint);

  s.t.write("proj/.vectimus/config.toml", "[rules.enforcement]\n\"levels-deny\" = \"observe\"\n");
  check(s.hook("claude-code", payload, "levels"), 0, "",
        "vectimus: observed (not enforced): levels-deny: Dangerous command. Instead: Run something "
        "safe\n");

  s.t.write("work/vectimus.toml", "[rules.enforcement]\n\"levels-deny\" = \"deny\"\n");
  check(s.hook("claude-code", payload, "levels"), 0, claude_doc(deny), project_hint);

  s.env.push_back("VECTIMUS_OBSERVE=1");
  check(s.hook("claude-code", payload, "levels"), 0, "",
        "vectimus: observe mode, allowed: " + deny + "\n");
}

TEST_CASE("disabled rules are not evaluated; a bad config denies with file:line:col") {
  Sandbox s;
  const std::string payload = claude_bash("danger", s.t.path("proj"));
  s.t.write("home/.vectimus/config.toml", "[rules]\ndisabled = [\"levels-deny\"]\n");
  check(s.hook("claude-code", payload, "levels"), 0, "", "");
  std::filesystem::remove(s.t.path("home/.vectimus/config.toml"));
  s.t.write("proj/.vectimus/config.toml", "[rules]\ndisabled = [\"levels-deny\"]\n");
  check(s.hook("claude-code", payload, "levels"), 0, "", "");

  const std::string file = s.t.path("proj/.vectimus/config.toml");
  s.t.write("proj/.vectimus/config.toml", "[rules]\ndisabled = \"levels-deny\"\n");
  check(s.hook("claude-code", payload, "levels"), 0,
        claude_doc("vectimus: policies could not be loaded, so every call is denied: " + file +
                   ":2:12: `[rules] disabled` must be a list of strings"),
        file +
            ":2:12: error: `[rules] disabled` must be a list of strings\n"
            "disabled = \"levels-deny\"\n"
            "           ^~~~~~~~~~~~~\n");
}

TEST_CASE("MCP allowlist: unapproved servers are denied, approved ones face the other rules") {
  Sandbox s;
  const std::string payload = read_file(kFixtures + "claude-code/mcp.json");  // github
  check(s.hook("claude-code", payload), 0, claude_doc(kMcp001), hint("\"vectimus-mcp-001\""));
  s.env.push_back("VECTIMUS_MCP_ALLOWED=linear,github");
  check(s.hook("claude-code", payload), 0, "", "");
  s.env.pop_back();
  s.t.write("home/.vectimus/config.toml", "[mcp]\nallowed_servers = [\"github\"]\n");
  check(s.hook("claude-code", payload), 0, "", "");
  check(s.hook("claude-code", payload, "levels"), 0,
        claude_doc("vectimus: blocked by levels-mcp-002: Pull requests need a human"),
        hint("\"levels-mcp-002\""));
  check(s.hook("claude-code", read_file(kFixtures + "claude-code/mcp-plugin.json")), 0,
        claude_doc(kMcp001), hint("\"vectimus-mcp-001\""));
}

TEST_CASE("content inspection: scripts run and content written are checked line by line") {
  Sandbox s;
  const std::string proj = s.t.path("proj");
  const std::string script = s.t.write("proj/cleanup.sh", "#!/bin/sh\necho cleaning\nrm -rf /\n");
  const std::string tail =
      ": Recursive forced delete of the filesystem root or the home folder. Instead: Delete the "
      "specific project paths you created, e.g. `rm -r ./build`";
  const std::string h = hint("\"vectimus-destruct-001\"", proj + "/.vectimus/config.toml");
  check(s.hook("claude-code", claude_bash("bash cleanup.sh", proj)), 0,
        claude_doc("vectimus: blocked by vectimus-destruct-001 (in the script `" + script +
                   "`, line 3)" + tail),
        h);
  check(s.hook("gemini-cli", "{\"session_id\":\"g\",\"cwd\":\"" + proj +
                                 "\",\"hook_event_name\":\"BeforeTool\",\"tool_name\":\"run_shell_"
                                 "command\",\"tool_input\":{\"command\":\"./cleanup.sh --all\"}}"),
        0,
        gemini_doc("vectimus: blocked by vectimus-destruct-001 (in the script `" + script +
                   "`, line 3)" + tail),
        h);
  // Wherever the shell analysis finds the command that runs it (the interim splitter did not).
  for (const char* command : {"sudo bash cleanup.sh", "bash -c 'sh cleanup.sh'",
                              "echo $(sh cleanup.sh)", "bash < cleanup.sh"}) {
    CAPTURE(command);
    check(s.hook("claude-code", claude_bash(command, proj)), 0,
          claude_doc("vectimus: blocked by vectimus-destruct-001 (in the script `" + script +
                     "`, line 3)" + tail),
          h);
  }
  const std::string write = "{\"session_id\":\"s1\",\"transcript_path\":\"/t\",\"cwd\":\"" + proj +
                            "\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Write\","
                            "\"tool_input\":{\"file_path\":\"" +
                            proj + "/new.sh\",\"content\":\"echo hi\\n\\nrm -rf ~/\\n\"}}";
  check(s.hook("claude-code", write), 0,
        claude_doc("vectimus: blocked by vectimus-destruct-001 (in the content written to `" +
                   proj + "/new.sh`, line 3)" + tail),
        h);
  // A script that does not exist yet is allowed; with VECTIMUS_DEBUG the skip is on stderr.
  check(s.hook("claude-code", claude_bash("bash later.sh", proj)), 0, "", "");
  s.env.push_back("VECTIMUS_DEBUG=1");
  check(s.hook("claude-code", claude_bash("bash later.sh", proj)), 0, "",
        "vectimus: script `" + proj + "/later.sh` not inspected: no such file\n");
  s.env.pop_back();
  // Past the limit the call escalates, so padding cannot hide a line.
  s.t.write("proj/.vectimus/config.toml", "[content]\nmax_bytes = 8\n");
  s.t.write("proj/pad.sh", "echo 1234567890\nrm -rf /\n");
  const std::string over = "vectimus: approval needed: the content of `" + proj +
                           "/pad.sh` is over the 8-byte inspection limit, so it was not fully "
                           "checked";
  check(s.hook("claude-code", claude_bash("sh pad.sh", proj)), 0, claude_doc(over, "ask"), "");
  check(s.hook("gemini-cli", "{\"session_id\":\"g\",\"cwd\":\"" + proj +
                                 "\",\"hook_event_name\":\"BeforeTool\",\"tool_name\":\"run_shell_"
                                 "command\",\"tool_input\":{\"command\":\"sh pad.sh\"}}"),
        0, gemini_doc("[escalate] " + over), "");
}

TEST_CASE("a rule matched by one simple command of a longer line names that command") {
  Sandbox s;
  // The raw line does not contain `rm -rf /`; the shell analysis finds it inside the -c body.
  check(s.hook("claude-code", claude_bash("ls && bash -c \\\"r''m -rf /\\\"")), 0,
        claude_doc("vectimus: blocked by vectimus-destruct-001 (in `rm -rf /`): Recursive "
                   "forced delete of the filesystem root or the home folder. Instead: Delete the "
                   "specific project paths you created, e.g. `rm -r ./build`"),
        hint("\"vectimus-destruct-001\""));
}

TEST_CASE("shell scripts written or run are parsed like a command line; other content is not") {
  Sandbox s;
  const std::string proj = s.t.path("proj");
  auto write = [&](const std::string& name, const std::string& content) {
    return "{\"session_id\":\"s1\",\"transcript_path\":\"/t\",\"cwd\":\"" + proj +
           "\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Write\",\"tool_input\":{"
           "\"file_path\":\"" +
           proj + "/" + name + "\",\"content\":\"" + content + "\"}}";
  };
  // The raw line `r''m -rf /` matches no pattern; its simple command `rm -rf /` does.
  const std::string disguised = "echo start\\nr''m -rf /\\n";
  check(
      s.hook("claude-code", write("wipe.sh", disguised)), 0,
      claude_doc("vectimus: blocked by vectimus-destruct-001 (in the content written to `" + proj +
                 "/wipe.sh`, line 2): Recursive forced delete of the filesystem root "
                 "or the home folder. Instead: Delete the specific project paths you created, "
                 "e.g. `rm -r ./build`"),
      hint("\"vectimus-destruct-001\"", proj + "/.vectimus/config.toml"));
  // A shebang makes a file without an extension a shell script too.
  CHECK(s.hook("claude-code", write("wipe", "#!/usr/bin/env bash\\n" + disguised))
            .out.find("vectimus-destruct-001") != std::string::npos);
  // Prose is not parsed as shell, so the same words in notes are allowed.
  check(s.hook("claude-code", write("notes.md", disguised)), 0, "", "");
}

namespace {
// A JSON string's body (no quotes), for commands with quotes and backslashes.
std::string json_text(const std::string& text) {
  const std::string quoted = q(text);
  return quoted.substr(1, quoted.size() - 2);
}
// `rm -rf /` inside `levels` nested `bash -c '…'`.
std::string nested_bash_c(int levels) {
  std::string body = "rm -rf /";
  for (int i = 0; i < levels; ++i) {
    std::string quoted = "'";
    for (char c : body) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    body = "bash -c " + quoted + "'";
  }
  return body;
}
}  // namespace

TEST_CASE("a command past an analysis bound asks, whatever the packs say") {
  // The built-in packs, which allowed both headline cases before: their rules read the analysed
  // commands, and past a bound there are none to read.
  Sandbox s;
  auto hook = [&](const std::string& source, const std::string& payload) {
    return s.run({"hook", "--source", source}, payload);
  };
  auto denied = [](const ProcessResult& r) {
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("\"permissionDecision\":\"deny\"") != std::string::npos);
    CHECK(r.out.find("vectimus-destruct-001") != std::string::npos);
  };
  const std::string tail = " ; rm -rf /";
  // 1 MB of echo before `rm -rf /`: over the 256 KiB bound, so nothing of it was analysed.
  check(hook("claude-code", claude_bash("echo " + std::string(1024 * 1024, 'a') + tail)), 0,
        claude_doc("vectimus: approval needed: the command is over the 262144-byte analysis "
                   "bound, so it was not fully checked",
                   "ask"),
        "");
  // At the bound exactly, it is analysed and denied.
  denied(hook("claude-code",
              claude_bash("echo " + std::string(256 * 1024 - 5 - tail.size(), 'a') + tail)));
  // Eight nested `bash -c` levels: past the re-parse bound. Seven: analysed, denied.
  check(hook("claude-code", claude_bash(json_text(nested_bash_c(8)))), 0,
        claude_doc("vectimus: approval needed: the command runs code within code deeper than the "
                   "8-level analysis bound, so it was not fully checked",
                   "ask"),
        "");
  denied(hook("claude-code", claude_bash(json_text(nested_bash_c(7)))));
  // `vectimus explain` names the bound.
  const ProcessResult explained =
      s.run({"explain", "--source", "claude-code"}, claude_bash(json_text(nested_bash_c(8))));
  CHECK(explained.out.find(R"("bounds":["command: max_reparse"],"observe_mode":false,)") !=
        std::string::npos);
  // Where the agent cannot ask, escalate is a deny that says so.
  check(hook("codex", codex_bash(json_text(nested_bash_c(8)))), 0,
        claude_doc("[escalate] vectimus: approval needed: the command runs code within code "
                   "deeper than the 8-level analysis bound, so it was not fully checked"),
        "");
}
