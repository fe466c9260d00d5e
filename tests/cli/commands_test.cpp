// End-to-end tests of `vectimus test`, `explain`, `eval`, and the pack checks of `lint`.
#include <catch2/catch.hpp>

#include "tests/cli/process.hpp"
#include "tests/support/temp_tree.hpp"

using vectimus::testing::ProcessResult;
using vectimus::testing::TempTree;

namespace {

const std::string kBinary = VECTIMUS_BINARY;
const std::string kRepo = VECTIMUS_SOURCE_DIR;

struct Sandbox {
  TempTree t;
  Sandbox() {
    t.mkdir("home");
    t.mkdir("work");
  }
  ProcessResult run(std::vector<std::string> args, const std::string& input = {}) const {
    args.insert(args.begin(), kBinary);
    return vectimus::testing::run_process(args, input,
                                          {{"HOME=" + t.path("home")}, t.path("work")});
  }
};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

TEST_CASE(
    "vectimus test with no arguments passes the built-in samples against the built-in packs") {
  Sandbox s;
  const auto r = s.run({"test"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.rfind("RESULT  NAME ", 0) == 0);
  CHECK(ends_with(r.out, "\n33 passed, 0 failed\n"));
  CHECK(r.out.find("FAIL") == std::string::npos);
  CHECK(r.out.find("\x1b[") == std::string::npos);  // not a terminal: no colour
  const auto row = r.out.find("PASS    claude-code deletes the filesystem root ");
  REQUIRE(row != std::string::npos);
  const std::string line = r.out.substr(row, r.out.find('\n', row) - row);
  CHECK(line.find(" deny      deny      ") != std::string::npos);
  CHECK(line.find("vectimus-destruct-001") != std::string::npos);
}

TEST_CASE("vectimus test --file reports failures and exits 1; bad files are errors") {
  Sandbox s;
  const std::string file = s.t.write(
      "cases.json",
      R"([{"name":"safe","source":"gemini-cli","expected":"allow","payload":{"session_id":"g","cwd":"/nowhere","hook_event_name":"BeforeTool","tool_name":"run_shell_command","tool_input":{"command":"ls"}}},
          {"name":"wrong","source":"claude-code","expected":"allow","payload":"{\"session_id\":\"s\",\"cwd\":\"/nowhere\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"danger\"}}"},
          {"name":"bad payload","source":"claude-code","expected":"deny","payload":"[1]"}])");
  auto r = s.run({"test", "--file", file, "--policy-dir", kRepo + "/tests/packs/levels"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("\nPASS    safe         allow     allow     -  ") != std::string::npos);
  CHECK(r.out.find("\nFAIL    wrong        allow     deny      levels-deny  ") !=
        std::string::npos);
  CHECK(r.out.find("\nPASS    bad payload  deny      deny      (payload: payload is a JSON array, "
                   "expected an object)  ") != std::string::npos);
  CHECK(ends_with(r.out, "\n2 passed, 1 failed\n"));

  s.t.write("cases.json", R"([{"name":"x","source":"codex","expected":"maybe","payload":{}}])");
  r = s.run({"test", "--file", file});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "error: `" + file + "` case 0: expected is `maybe`, must be allow, deny or escalate\n");

  r = s.run({"test", "--policy-dir", kRepo + "/tests/packs/broken"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.rfind("vectimus: policies could not be loaded\n" + kRepo +
                        "/tests/packs/broken/broken.cedar:5:39: error: ",
                    0) == 0);
}

TEST_CASE("vectimus explain shows the event, each request, the matched rules and the decision") {
  Sandbox s;
  const auto r = s.run(
      {"explain", "--source", "claude-code", "--policy-dir", kRepo + "/tests/packs/hook"},
      R"({"session_id":"s","cwd":"/nowhere/shop","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"rm -rf /"}})");
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(
      r.out.rfind(
          R"({"source":"claude-code","dialect":"claude-code","status":"event","events":[{"source":"claude-code","dialect":"claude-code","action":"shell_command","tool":"Bash","session":"s","hook_event_name":"PreToolUse","command":"rm -rf /","cwd":"/nowhere/shop","tool_input":{"command":"rm -rf /"}}],"project":null,)",
          0) == 0);
  CHECK(
      r.out.find(
          R"("action":{"type":"Vectimus::Action","id":"shell_command"},"resource":{"type":"Vectimus::Tool","id":"Bash"},"context":{"command":"rm -rf /","cwd":"/nowhere/shop","hook_event_name":"PreToolUse","source":"claude-code","tool_name":"Bash"},"matched":["vectimus-destruct-001"],"errors":[]},{"origin":"command",)") !=
      std::string::npos);
  CHECK(
      r.out.find(
          R"("context":{"args":["/"],"command":"rm -rf /","cwd":"/nowhere/shop","flags":["f","r"],"hook_event_name":"PreToolUse","program":"rm","provenance":"top","raw_command":"rm -rf /","source":"claude-code","tool_name":"Bash"},"matched":["vectimus-destruct-001"],"errors":[]},{"origin":"command",)") !=
      std::string::npos);
  // `rm` writes the paths it removes: that is a file_write request of its own.
  CHECK(
      r.out.find(
          R"("action":{"type":"Vectimus::Action","id":"file_write"},"resource":{"type":"Vectimus::Tool","id":"Bash"},"context":{"command":"rm -rf /","cwd":"/nowhere/shop","file_path":"/",)") !=
      std::string::npos);
  CHECK(
      r.out.find(
          R"("matched":[{"id":"vectimus-destruct-001","pack":"destructive-ops","enforcement":"deny",)") !=
      std::string::npos);
  CHECK(ends_with(
      r.out,
      R"("observe_mode":false,"evaluated":"deny","decision":"deny","reason":"vectimus: blocked by vectimus-destruct-001: Recursive forced delete of the filesystem root or the home folder. Instead: Delete the specific project paths you created, e.g. `rm -r ./build`","answer":{"exit_code":0,"stdout":"{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"permissionDecision\":\"deny\",\"permissionDecisionReason\":\"vectimus: blocked by vectimus-destruct-001: Recursive forced delete of the filesystem root or the home folder. Instead: Delete the specific project paths you created, e.g. `rm -r ./build`\"}}\n","stderr":""}})"
      "\n"));

  const auto bad = s.run({"explain", "--source", "copilot"}, "[1]");
  CHECK(bad.exit_code == 0);
  CHECK(bad.out.find(R"("status":"error",)") != std::string::npos);
  CHECK(ends_with(
      bad.out,
      R"("decision":"deny","reason":"vectimus: the hook payload could not be read: payload is a JSON array, expected an object","answer":{"exit_code":2,"stdout":"","stderr":"vectimus: the hook payload could not be read: payload is a JSON array, expected an object\n"}})"
      "\n"));
}

TEST_CASE("vectimus explain --index shows the matched atoms and candidate rules per request") {
  Sandbox s;
  s.t.write("packs/p/pack.toml",
            "[pack]\nname = \"p\"\nversion = \"1\"\ndescription = \"d\"\nauthor = \"a\"\n");
  s.t.write("packs/p/rules.cedar", R"(
@id("root")
forbid(principal, action == Vectimus::Action::"shell_command", resource)
when { context.command like "*rm -rf /*" };
@id("reads")
forbid(principal, action == Vectimus::Action::"file_read", resource)
when { context.file_path like "*.env" };
@id("any")
forbid(principal, action, resource) when { context has nothing };
)");
  const std::vector<std::string> args = {"explain", "--source", "claude-code", "--policy-dir",
                                         s.t.path("packs")};
  const std::string payload =
      R"({"session_id":"s","cwd":"/nowhere/shop","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"rm -rf /"}})";
  const auto plain = s.run(args, payload);
  CHECK(plain.out.find(R"("index":)") == std::string::npos);
  std::vector<std::string> with_index = args;
  with_index.push_back("--index");
  const auto r = s.run(with_index, payload);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(
      r.out.find(
          R"j("matched":["root"],"errors":[],"index":{"atoms":["action==Vectimus::Action::\"shell_command\"","sub(context.command,\"rm -rf /\")"],"always":["any","vectimus-allow-unless-forbidden"],"candidates":["root","any","vectimus-allow-unless-forbidden"]}})j") !=
      std::string::npos);
  // Apart from the index's view, the explanation is the same.
  std::string stripped = r.out;
  for (std::size_t at; (at = stripped.find(R"(,"index":{)")) != std::string::npos;) {
    stripped.erase(at, stripped.find("]}", at) + 2 - at);
  }
  CHECK(stripped == plain.out);
}

TEST_CASE("vectimus eval decides one JSONL payload per line") {
  Sandbox s;
  const std::string input =
      R"({"session_id":"s","cwd":"/nowhere","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"ls"}})"
      "\n"
      "\n"
      R"({"session_id":"s","cwd":"/nowhere","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"risky danger"}})"
      "\n"
      R"({"session_id":"s","cwd":"/nowhere","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"risky"}})"
      "\n"
      "{not json\n";
  const auto r = s.run(
      {"eval", "--source", "claude-code", "--policy-dir", kRepo + "/tests/packs/levels"}, input);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(
      r.out ==
      R"({"decision":"allow","rules":[],"reason":""})"
      "\n"
      R"({"decision":"deny","rules":["levels-deny","levels-escalate"],"reason":"vectimus: blocked by levels-deny: Dangerous command. Instead: Run something safe"})"
      "\n"
      R"({"decision":"escalate","rules":["levels-escalate"],"reason":"vectimus: approval needed: levels-escalate: Risky command. Instead: Ask first"})"
      "\n"
      R"({"decision":"deny","rules":[],"reason":"vectimus: the hook payload could not be read: payload is not valid JSON at byte 1: expected a string key"})"
      "\n");
}

TEST_CASE("lint checks pack.toml fields and rule ids across packs") {
  Sandbox s;
  auto r = s.run({"lint", kRepo + "/tests/packs/bad-manifest"});
  const std::string file = kRepo + "/tests/packs/bad-manifest/pack.toml";
  CHECK(r.exit_code == 1);
  CHECK(r.out == file +
                     ":3:11: error: `[pack] version` must be a string\n"
                     "version = 2\n"
                     "          ^\n" +
                     file +
                     ":1:1: error: pack.toml has no `[pack] author`\n"
                     "[pack]\n"
                     "^\n"
                     "help: a pack.toml is a `[pack]` table with `name`, `version`, `description` "
                     "and `author`, each a string\n"
                     "2 errors\n");
  r = s.run({"lint", kRepo + "/tests/packs/dupes"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind(
            kRepo + "/tests/packs/dupes/b/b.cedar:2:1: error: duplicate policy id `dupe-001`\n",
            0) == 0);
  r = s.run({"lint", kRepo + "/policies"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
}
