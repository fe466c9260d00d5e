// check_answer() (answer.hpp): is a server's answer one the agent accepts? The shapes are those
// hook_answer() writes, read back with simdjson; anything else is refused, so the hook decides
// locally rather than print a document the agent would ignore (which most agents treat as an
// allow).
#include <simdjson.h>

#include <array>
#include <span>

#include "pipeline/answer.hpp"

namespace vectimus::pipeline {
namespace {

namespace dom = simdjson::dom;
using normalise::Dialect;

// A field of the document: its name, and whether it must be there.
struct Field {
  std::string_view name;
  bool required = true;
};

// The object has only fields from `fields`, and each required one; each is a string except
// `nested` (when set), which is an object. On failure `why` says which field.
bool has_exact_fields(dom::object object, std::span<const Field> fields, std::string_view nested,
                      std::string& why) {
  for (const auto& member : object) {
    bool known = false;
    for (const Field& f : fields) known = known || f.name == member.key;
    if (!known) {
      why = "unexpected field `" + std::string(member.key) + "`";
      return false;
    }
    const bool want_object = member.key == nested;
    if (want_object ? !member.value.is_object() : !member.value.is_string()) {
      why = "field `" + std::string(member.key) + "` is not " +
            (want_object ? "an object" : "a string");
      return false;
    }
  }
  for (const Field& f : fields) {
    dom::element ignored;
    if (f.required && object.at_key(f.name).get(ignored) != simdjson::SUCCESS) {
      why = "no field `" + std::string(f.name) + "`";
      return false;
    }
  }
  return true;
}

std::string_view string_at(dom::object object, std::string_view key) {
  std::string_view out;
  if (object.at_key(key).get_string().get(out) != simdjson::SUCCESS) return {};
  return out;
}

// The verdict a decision word carries, when the dialect accepts the word.
std::optional<engine::Verdict> verdict_of(std::string_view word, bool ask_ok, bool block_ok,
                                          std::string& why) {
  if (word == "allow") return engine::Verdict::allow;
  if (word == "deny" || (block_ok && word == "block")) return engine::Verdict::deny;
  if (word == "ask" && ask_ok) return engine::Verdict::escalate;
  why = "decision `" + std::string(word) + "` is not one this agent acts on here";
  return std::nullopt;
}

}  // namespace

std::optional<engine::Verdict> check_answer(Dialect dialect,
                                            const std::optional<std::string>& permission_mode,
                                            std::string_view document, std::string& why) {
  if (dialect == Dialect::unknown) {
    why = "the payload's agent is unknown, so no JSON answer can reach it";
    return std::nullopt;
  }
  dom::parser parser;
  dom::element root;
  if (const auto error = parser.parse(document.data(), document.size()).get(root)) {
    why = std::string("not JSON (") + simdjson::error_message(error) + ")";
    return std::nullopt;
  }
  dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    why = "not a JSON object";
    return std::nullopt;
  }
  const bool ask_ok = asks_person(dialect, permission_mode);
  switch (dialect) {
    case Dialect::claude_code:
    case Dialect::claude_agent_sdk:
    case Dialect::codex:
    case Dialect::copilot_vscode: {
      static constexpr std::array<Field, 1> outer{{{"hookSpecificOutput"}}};
      if (!has_exact_fields(object, outer, "hookSpecificOutput", why)) return std::nullopt;
      dom::object inner;
      if (object.at_key("hookSpecificOutput").get_object().get(inner) != simdjson::SUCCESS) {
        return std::nullopt;  // has_exact_fields checked it is an object
      }
      static constexpr std::array<Field, 3> fields{
          {{"hookEventName"}, {"permissionDecision"}, {"permissionDecisionReason"}}};
      if (!has_exact_fields(inner, fields, {}, why)) return std::nullopt;
      if (string_at(inner, "hookEventName") != "PreToolUse") {
        why = "`hookEventName` is not `PreToolUse`";
        return std::nullopt;
      }
      return verdict_of(string_at(inner, "permissionDecision"), ask_ok, false, why);
    }
    case Dialect::copilot_cli:
    case Dialect::copilot_cli_pascal: {
      static constexpr std::array<Field, 2> fields{
          {{"permissionDecision"}, {"permissionDecisionReason"}}};
      if (!has_exact_fields(object, fields, {}, why)) return std::nullopt;
      return verdict_of(string_at(object, "permissionDecision"), ask_ok, false, why);
    }
    case Dialect::cursor_before_read_file:
    case Dialect::cursor_pre_tool_use:
    case Dialect::cursor_before_shell:
    case Dialect::cursor_before_mcp:
    case Dialect::cursor_after_file_edit: {
      static constexpr std::array<Field, 3> fields{
          {{"permission"}, {"user_message"}, {"agent_message", false}}};
      if (!has_exact_fields(object, fields, {}, why)) return std::nullopt;
      return verdict_of(string_at(object, "permission"), ask_ok, false, why);
    }
    case Dialect::gemini_cli: {
      static constexpr std::array<Field, 2> fields{{{"decision"}, {"reason"}}};
      if (!has_exact_fields(object, fields, {}, why)) return std::nullopt;
      return verdict_of(string_at(object, "decision"), false, true, why);
    }
    case Dialect::unknown: break;
  }
  why = "the payload's agent is unknown";
  return std::nullopt;
}

}  // namespace vectimus::pipeline
