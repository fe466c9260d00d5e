#include "pipeline/answer.hpp"

#include "support/json_writer.hpp"

namespace vectimus::pipeline {

using normalise::Dialect;

namespace {

// Claude Code's permission modes in which a hook's `ask` is put to the user.
bool mode_shows_ask(const std::optional<std::string>& mode) {
  return !mode || *mode == "default" || *mode == "acceptEdits" || *mode == "plan";
}

}  // namespace

bool asks_person(Dialect dialect, const std::optional<std::string>& permission_mode) {
  switch (dialect) {
    case Dialect::claude_code:
    case Dialect::claude_agent_sdk: return mode_shows_ask(permission_mode);
    case Dialect::copilot_vscode:
    case Dialect::copilot_cli:
    case Dialect::copilot_cli_pascal:
    case Dialect::cursor_before_shell:
    case Dialect::cursor_before_mcp: return true;
    default: return false;
  }
}

Answer hook_answer(Dialect dialect, const std::optional<std::string>& permission_mode,
                   engine::Verdict verdict, const std::string& reason) {
  Answer answer;
  if (verdict == engine::Verdict::allow) return answer;
  const bool ask = verdict == engine::Verdict::escalate && asks_person(dialect, permission_mode);
  const std::string text =
      verdict == engine::Verdict::escalate && !ask ? "[escalate] " + reason : reason;
  const char* decision = ask ? "ask" : "deny";
  JsonWriter w;
  switch (dialect) {
    case Dialect::unknown:
      answer.exit_code = 2;
      answer.err = text + "\n";
      return answer;
    case Dialect::claude_code:
    case Dialect::claude_agent_sdk:
    case Dialect::codex:
    case Dialect::copilot_vscode:
      w.begin_object().key("hookSpecificOutput").begin_object();
      w.key("hookEventName").value("PreToolUse");
      w.key("permissionDecision").value(decision);
      w.key("permissionDecisionReason").value(text);
      w.end_object().end_object();
      break;
    case Dialect::copilot_cli:
    case Dialect::copilot_cli_pascal:
      w.begin_object().key("permissionDecision").value(decision);
      w.key("permissionDecisionReason").value(text).end_object();
      break;
    case Dialect::cursor_before_read_file:
      // Cursor documents only user_message for beforeReadFile.
      w.begin_object().key("permission").value(decision).key("user_message").value(text);
      w.end_object();
      break;
    case Dialect::cursor_pre_tool_use:
    case Dialect::cursor_before_shell:
    case Dialect::cursor_before_mcp:
    case Dialect::cursor_after_file_edit:
      w.begin_object().key("permission").value(decision).key("user_message").value(text);
      w.key("agent_message").value(text).end_object();
      break;
    case Dialect::gemini_cli:
      w.begin_object().key("decision").value("deny").key("reason").value(text).end_object();
      break;
  }
  answer.out = w.take() + "\n";
  return answer;
}

std::string short_diagnostic(const Diagnostic& d) {
  if (!d.where || !d.where->source) return d.message;
  const LineCol at = locate(d.where->source->text, d.where->span.begin);
  return d.where->source->name + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
         ": " + d.message;
}

}  // namespace vectimus::pipeline
