// The adapters: one agent hook payload (the bytes read from stdin or an HTTP body) in, one
// normalised Event out, or a reason the payload could not be read.
//
// Flow: size check -> empty check -> simdjson parse (copied out immediately; no simdjson type
// leaves payload.cpp) -> dialect detection by field names (the `--source` value is a hint: a
// `--source claude-code` hook also receives Cursor, VS Code and Copilot payloads) -> the tool
// table in classify.hpp -> Event; a command line is analysed once by normalise/shell/ (the
// Event carries the analysis) and its action classified from it. The caller owns the input; the
// outcome owns everything in it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "normalise/event.hpp"
#include "support/diagnostic.hpp"
#include "support/host.hpp"

namespace vectimus::normalise {

// The `--source` values the hook accepts.
enum class SourceTool : uint8_t {
  claude_code,
  claude_agent_sdk,
  cursor,
  copilot,
  gemini_cli,
  codex
};
std::optional<SourceTool> parse_source_tool(std::string_view name);
std::string_view source_tool_name(SourceTool tool);
std::span<const std::string_view> source_tool_names();

// The dialect to answer in when the payload itself cannot tell (not JSON, not an object, too
// large): the one answer format `--source` implies. Cursor's events all take the same deny
// document, so `cursor` assumes preToolUse (what `vectimus init` registers). `copilot` has two
// answer formats: unknown (the hook then exits 2 with the reason on stderr).
Dialect fallback_dialect(SourceTool tool);

enum class PayloadStatus : uint8_t {
  event,  // `event` holds the normalised call
  empty,  // stdin was empty or only whitespace: nothing to judge (the hook allows)
  error,  // `errors` says why the payload could not be read (the hook denies)
};

struct PayloadOutcome {
  PayloadStatus status = PayloadStatus::error;
  // The payload's dialect when its fields showed it, else fallback_dialect(source); unknown for
  // an unknown `--source`. Set for every status: the answer format depends on it.
  Dialect dialect = Dialect::unknown;
  Event event;         // status == event
  Diagnostics errors;  // status == error: at least one; codes "unknown-source", "limit", "json",
                       // "payload" (valid JSON of the wrong shape), "internal"
};

// What the adapters need to know about the machine, not found in the payload.
struct PayloadOptions {
  // What `~` and `$HOME` mean to the shell analysis of a command line: the home folder of the
  // user the agent runs as (the hook passes $HOME). The default is the analysis' own.
  std::string home = shell::Options{}.home;
};
// The options for a payload on this host: `home` from $HOME when set (as engine::locate reads it).
PayloadOptions payload_options(const Host& host);

// Never throws. Error messages: "unknown source `x`; expected one of ...", "payload is N bytes,
// over the 16777216-byte limit", "payload is not valid JSON at byte N: <what>", "payload is a
// JSON array, expected an object", "`toolArgs` is a string that is not valid JSON at byte N:
// <what>", "`tool_input` is a JSON number, expected an object".
PayloadOutcome normalise_payload(std::string_view source_name, std::string_view json,
                                 const PayloadOptions& options = {});

}  // namespace vectimus::normalise
