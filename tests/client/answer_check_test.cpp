// check_answer (pipeline/answer.hpp): which server answers the hook in client mode passes on.
// Every document hook_answer() writes passes, in its own dialect only; anything else fails with
// a reason.
#include <catch2/catch.hpp>

#include "pipeline/answer.hpp"

using namespace vectimus;
using normalise::Dialect;
using pipeline::check_answer;

namespace {

std::optional<engine::Verdict> check(Dialect d, const std::string& doc,
                                     std::optional<std::string> mode = std::nullopt) {
  std::string why;
  return check_answer(d, mode, doc, why);
}

std::string why(Dialect d, const std::string& doc) {
  std::string out;
  CHECK_FALSE(check_answer(d, std::nullopt, doc, out));
  return out;
}

const Dialect kKnown[] = {
    Dialect::claude_code,
    Dialect::claude_agent_sdk,
    Dialect::codex,
    Dialect::cursor_pre_tool_use,
    Dialect::cursor_before_shell,
    Dialect::cursor_before_mcp,
    Dialect::cursor_before_read_file,
    Dialect::cursor_after_file_edit,
    Dialect::copilot_vscode,
    Dialect::copilot_cli,
    Dialect::copilot_cli_pascal,
    Dialect::gemini_cli,
};

}  // namespace

TEST_CASE("every deny and escalate document hook_answer writes passes in its dialect",
          "[client][answer]") {
  for (const Dialect d : kKnown) {
    INFO(normalise::dialect_name(d));
    const pipeline::Answer deny =
        pipeline::hook_answer(d, std::nullopt, engine::Verdict::deny, "r");
    CHECK(check(d, deny.out) == engine::Verdict::deny);
    const pipeline::Answer esc =
        pipeline::hook_answer(d, std::nullopt, engine::Verdict::escalate, "r");
    const auto verdict = check(d, esc.out);
    REQUIRE(verdict);
    CHECK(*verdict == (pipeline::asks_person(d, std::nullopt) ? engine::Verdict::escalate
                                                              : engine::Verdict::deny));
  }
}

TEST_CASE("a document of another dialect does not pass", "[client][answer]") {
  const std::string claude =
      pipeline::hook_answer(Dialect::claude_code, std::nullopt, engine::Verdict::deny, "r").out;
  const std::string gemini =
      pipeline::hook_answer(Dialect::gemini_cli, std::nullopt, engine::Verdict::deny, "r").out;
  const std::string cursor =
      pipeline::hook_answer(Dialect::cursor_before_shell, std::nullopt, engine::Verdict::deny, "r")
          .out;
  CHECK(why(Dialect::gemini_cli, claude) == "unexpected field `hookSpecificOutput`");
  CHECK(why(Dialect::claude_code, gemini) == "unexpected field `decision`");
  CHECK(why(Dialect::copilot_cli, cursor) == "unexpected field `permission`");
  CHECK(why(Dialect::unknown, claude) ==
        "the payload's agent is unknown, so no JSON answer can reach it");
}

TEST_CASE("wrong shapes, values and garbage do not pass", "[client][answer]") {
  const Dialect c = Dialect::claude_code;
  CHECK(why(c, "not json").rfind("not JSON (", 0) == 0);
  CHECK(why(c, R"({"hookSpecificOutput":{"hookEventName":"PreToolUse")").rfind("not JSON", 0) == 0);
  CHECK(why(c, "[1,2]") == "not a JSON object");
  CHECK(why(c, "{}") == "no field `hookSpecificOutput`");
  CHECK(why(c, R"({"hookSpecificOutput":"deny"})") ==
        "field `hookSpecificOutput` is not an object");
  CHECK(why(c,
            R"({"hookSpecificOutput":{"hookEventName":"PostToolUse","permissionDecision":)"
            R"("deny","permissionDecisionReason":"r"}})") == "`hookEventName` is not `PreToolUse`");
  CHECK(why(c, R"({"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":)"
               R"("defer","permissionDecisionReason":"r"}})") ==
        "decision `defer` is not one this agent acts on here");
  CHECK(why(c, R"({"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":)"
               R"("deny"}})") == "no field `permissionDecisionReason`");
  CHECK(why(c, R"({"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":)"
               R"(true,"permissionDecisionReason":"r"}})") ==
        "field `permissionDecision` is not a string");
  // `ask` only where it reaches a person: not in Claude Code's auto mode, never for Codex.
  const std::string ask =
      R"({"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"ask",)"
      R"("permissionDecisionReason":"r"}})";
  CHECK(check(c, ask, "default") == engine::Verdict::escalate);
  CHECK_FALSE(check(c, ask, "auto"));
  CHECK_FALSE(check(Dialect::codex, ask));
  CHECK_FALSE(check(Dialect::gemini_cli, R"({"decision":"ask","reason":"r"})"));
  CHECK(check(Dialect::gemini_cli, R"({"decision":"block","reason":"r"})") ==
        engine::Verdict::deny);
  // An explicit allow document is an allow.
  CHECK(check(Dialect::copilot_cli,
              R"({"permissionDecision":"allow","permissionDecisionReason":""})") ==
        engine::Verdict::allow);
}
