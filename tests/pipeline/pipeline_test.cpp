// The one entry point: decide_payload() from an agent's bytes to its answer, with the
// fail-closed rules (empty, unreadable payload, packs that do not load) and the escalation
// answer per agent and Claude Code permission mode. Packs and HOME live in temp folders.
#include <catch2/catch.hpp>

#include <string>

#include "pipeline/decide.hpp"
#include "pipeline/report.hpp"
#include "tests/support/temp_tree.hpp"
#include "tests/support/test_host.hpp"

using namespace vectimus;
using pipeline::Stage;
using vectimus::testing::TempTree;
using vectimus::testing::TestHost;

namespace {

// The end-to-end tests' pack: `levels-deny` on "*danger*", `levels-escalate` on "*risky*".
const std::string kLevels = std::string(VECTIMUS_SOURCE_DIR) + "/tests/packs/levels";

struct Fixture {
  TempTree tree;
  TestHost host{tree.mkdir("work"), tree.mkdir("home")};
  std::string packs = kLevels;
  std::optional<pipeline::Session> session;  // an Outcome points into its Session's engine

  pipeline::Outcome decide(const std::string& source, const std::string& bytes) {
    pipeline::SessionOptions options;
    options.policy_dir = packs;
    session.emplace(host.host, options);
    return session->decide_payload(source, bytes);
  }
};

std::string claude_bash(const std::string& command, const std::string& mode = "") {
  return R"({"session_id":"s","transcript_path":"/t","cwd":"/w","hook_event_name":"PreToolUse",)"
         R"("tool_name":"Bash","tool_input":{"command":")" +
         command + "\"}" + (mode.empty() ? "" : R"(,"permission_mode":")" + mode + "\"") + "}";
}

}  // namespace

TEST_CASE("empty input is allowed without loading anything", "[pipeline]") {
  Fixture f;
  const auto out = f.decide("claude-code", "  \n");
  CHECK(out.stage == Stage::empty);
  CHECK(out.verdict == engine::Verdict::allow);
  CHECK(out.answer.exit_code == 0);
  CHECK(out.answer.out.empty());
  CHECK(out.engine == nullptr);
}

TEST_CASE("an unreadable payload is denied; an unknown dialect exits 2", "[pipeline]") {
  Fixture f;
  auto out = f.decide("claude-code", "{not json");
  CHECK(out.stage == Stage::payload_error);
  CHECK(out.verdict == engine::Verdict::deny);
  CHECK(out.reason.starts_with("vectimus: the hook payload could not be read: "));
  CHECK(out.answer.out.find("\"permissionDecision\":\"deny\"") != std::string::npos);
  CHECK_FALSE(out.human.empty());
  out = f.decide("copilot", "{not json");  // copilot has two answer formats: unknown
  CHECK(out.answer.exit_code == 2);
  CHECK(out.answer.out.empty());
  CHECK(out.answer.err == out.reason + "\n");
}

TEST_CASE("packs that do not load deny every call, naming file:line:col", "[pipeline]") {
  Fixture f;
  f.tree.write("packs/t/pack.toml",
               "[pack]\nname = \"t\"\nversion = \"1\"\ndescription = \"t\"\nauthor = \"t\"\n");
  f.tree.write("packs/t/broken.cedar", "forbid(principal, action, resource) when { ( };\n");
  f.packs = f.tree.path("packs/t");
  const auto out = f.decide("claude-code", claude_bash("ls"));
  CHECK(out.stage == Stage::load_error);
  CHECK(out.verdict == engine::Verdict::deny);
  CHECK(out.event.has_value());
  CHECK(out.reason.find(f.tree.path("packs/t/broken.cedar") + ":1:") != std::string::npos);
  CHECK(out.answer.out.find("\"deny\"") != std::string::npos);
}

TEST_CASE("a decided call carries its event, decision, rule ids and hint", "[pipeline]") {
  Fixture f;
  const auto out = f.decide("claude-code", claude_bash("echo danger"));
  REQUIRE(out.stage == Stage::decided);
  CHECK(out.verdict == engine::Verdict::deny);
  CHECK(out.matched_rule_ids() == std::vector<std::string>{"levels-deny"});
  CHECK(out.reason ==
        "vectimus: blocked by levels-deny: Dangerous command. Instead: Run something safe");
  // The hint goes to the human only; the agent's reason never says how to turn a rule off.
  CHECK(out.human.find("to turn this off") != std::string::npos);
  CHECK(out.reason.find("turn this off") == std::string::npos);
  CHECK(pipeline::summary_json(out) == R"({"decision":"deny","rules":["levels-deny"],"reason":)"
                                       "\"" +
                                           out.reason + "\"}");
}

TEST_CASE("escalate asks only where an ask stops the call", "[pipeline]") {
  Fixture f;
  struct Row {
    std::string mode;  // "" = no permission_mode in the payload
    bool ask;
  };
  const Row rows[] = {{"", true},        {"default", true}, {"acceptEdits", true},
                      {"plan", true},    {"auto", false},   {"bypassPermissions", false},
                      {"dontAsk", false}};
  for (const Row& row : rows) {
    for (const std::string source : {"claude-code", "claude-agent-sdk"}) {
      INFO(source << " permission_mode=" << row.mode);
      const auto out = f.decide(source, claude_bash("risky", row.mode));
      REQUIRE(out.verdict == engine::Verdict::escalate);
      if (row.ask) {
        CHECK(out.answer.out.find("\"permissionDecision\":\"ask\"") != std::string::npos);
        CHECK(out.answer.out.find("[escalate]") == std::string::npos);
      } else {
        CHECK(out.answer.out.find("\"permissionDecision\":\"deny\"") != std::string::npos);
        CHECK(out.answer.out.find("\"permissionDecisionReason\":\"[escalate] vectimus:") !=
              std::string::npos);
      }
    }
  }
  // Codex sends permission_mode too, and never gets an ask, whatever the mode.
  const auto codex = f.decide(
      "codex",
      R"({"session_id":"s","turn_id":"t","cwd":"/w","hook_event_name":"PreToolUse",)"
      R"("permission_mode":"default","tool_name":"Bash","tool_input":{"command":"risky"}})");
  CHECK(codex.answer.out.find("\"permissionDecision\":\"deny\"") != std::string::npos);
}
