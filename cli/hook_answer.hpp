// The hook's answer in the calling agent's own protocol (docs/hook-protocols.md, "Answers
// out"): allow is exit 0 and nothing on stdout; deny is the dialect's JSON document and exit 0;
// escalate is `ask` where the agent honours it, else a deny whose reason starts with
// `[escalate] `; when the dialect is unknown, exit 2 with the reason alone on stderr.
#pragma once

#include <string>

#include "engine/engine.hpp"
#include "normalise/event.hpp"

namespace vectimus::cli {

struct HookAnswer {
  int exit_code = 0;
  std::string out;  // the document for the agent, newline-terminated, or empty
  std::string err;  // for exit 2 only: the reason the agent sees
};

bool honours_ask(normalise::Dialect dialect);

HookAnswer hook_answer(normalise::Dialect dialect, engine::Verdict verdict,
                       const std::string& reason);

// "file:line:col: message" for the first diagnostic (just the message when it has no place).
std::string short_diagnostic(const Diagnostic& diagnostic);

}  // namespace vectimus::cli
