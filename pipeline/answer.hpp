// The hook's answer in the calling agent's own protocol (docs/hook-protocols.md, "Answers
// out"): allow is exit 0 and nothing on stdout; deny is the dialect's JSON document and exit 0;
// escalate is `ask` only where an ask stops the call until a person answers (asks_person),
// else a deny whose reason starts with `[escalate] `; when the dialect is unknown, exit 2 with
// the reason alone on stderr.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/engine.hpp"
#include "normalise/event.hpp"

namespace vectimus::pipeline {

struct Answer {
  int exit_code = 0;
  std::string out;  // the document for the agent, newline-terminated, or empty
  std::string err;  // for exit 2 only: the reason the agent sees
};

// Whether an `ask` in `dialect` reaches a person who can still stop the call. Claude Code and
// the Agent SDK: only in the permission modes where a hook's ask is shown (`default`,
// `acceptEdits`, `plan`, or no mode given); in `auto` it has no effect and `bypassPermissions`
// approved it in older versions. Codex and Cursor's preToolUse run the call anyway, and Gemini
// CLI waits forever for an answer that never comes in non-interactive use: never.
bool asks_person(normalise::Dialect dialect, const std::optional<std::string>& permission_mode);

Answer hook_answer(normalise::Dialect dialect, const std::optional<std::string>& permission_mode,
                   engine::Verdict verdict, const std::string& reason);

// Checks that `document` (a server's answer in client mode, what `vectimus hook` would print)
// is an answer `dialect` accepts, with `ask` only where asks_person() says an ask reaches a
// person: valid JSON, an object with exactly the fields hook_answer() writes for that dialect,
// a decision value the agent knows. Returns the verdict it carries (an `ask` is escalate), or
// why it is not one (set `why`). Unknown dialects accept no document (their answer is exit 2).
std::optional<engine::Verdict> check_answer(normalise::Dialect dialect,
                                            const std::optional<std::string>& permission_mode,
                                            std::string_view document, std::string& why);

// "file:line:col: message" for the first diagnostic (just the message when it has no place).
std::string short_diagnostic(const Diagnostic& diagnostic);

}  // namespace vectimus::pipeline
