// The public entry points: loops over the policies of a source, numbers them, and recovers
// from errors so that one run reports every broken policy (for `vectimus lint`).
#include "grammar/parse.hpp"

#include <string_view>

#include "grammar/build.hpp"
#include "support/limits.hpp"

namespace vectimus::grammar {
namespace {

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// True when `text` at `at` starts a policy: `@`, or the keyword `permit` or `forbid`.
bool starts_policy(std::string_view text, size_t at) {
  if (at >= text.size()) return false;
  if (text[at] == '@') return true;
  for (const std::string_view kw : {std::string_view("permit"), std::string_view("forbid")}) {
    if (text.substr(at, kw.size()) == kw &&
        (at + kw.size() == text.size() || !is_ident_char(text[at + kw.size()]))) {
      return true;
    }
  }
  return false;
}

// After an error in the policy that began at `policy_begin` and failed at `error_at`: the
// first line whose first non-blank text starts a policy, at or after the error (a missing `;`
// fails right at the next `permit`) and after the policy's start (so we always progress).
// Returns text.size() when there is none.
size_t resync(std::string_view text, size_t policy_begin, size_t error_at) {
  size_t line = text.rfind('\n', error_at == 0 ? 0 : error_at - 1);
  line = line == std::string_view::npos ? 0 : line + 1;
  while (line < text.size()) {
    size_t at = line;
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\r')) ++at;
    if (at > policy_begin && at >= error_at && starts_policy(text, at)) return at;
    const size_t next = text.find('\n', line);
    if (next == std::string_view::npos) break;
    line = next + 1;
  }
  return text.size();
}

}  // namespace

Result<ir::PolicySet> parse_policies(const SourcePtr& source, size_t first_index) {
  const std::string_view text = source->text;
  if (text.size() > limits::kMaxPolicyFileBytes) {
    return make_error("limit",
                      "the policy file is larger than " +
                          std::to_string(limits::kMaxPolicyFileBytes >> 20) + " MiB",
                      Location{source, {0, 0}});
  }
  ir::PolicySet set;
  Diagnostics errors;
  size_t index = first_index;
  size_t at = skip_space(source, 0);
  while (at < text.size()) {
    PolicyOutcome outcome = parse_policy_at(source, at);
    if (outcome.diagnostics.empty()) {
      outcome.policy.positional_id = "policy" + std::to_string(index);
      set.policies.push_back(std::move(outcome.policy));
      at = outcome.end;
    } else {
      for (Diagnostic& d : outcome.diagnostics) errors.push_back(std::move(d));
      // A policy that only used unsupported features parsed to its end; resume there.
      at = outcome.completed ? outcome.end : resync(text, at, outcome.end);
    }
    ++index;
  }
  if (!errors.empty()) return errors;
  return set;
}

Result<ir::EntityUid> parse_entity_uid(const SourcePtr& source) {
  return parse_uid(source);
}

}  // namespace vectimus::grammar
