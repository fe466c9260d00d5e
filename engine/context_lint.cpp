#include "engine/context_lint.hpp"

#include <set>
#include <string>
#include <utility>

#include "engine/temp_disable.hpp"
#include "normalise/attributes.hpp"

namespace vectimus::engine {
namespace {

using normalise::ActionSet;
using normalise::ContextAttribute;

constexpr std::string_view kActionType = "Vectimus::Action";

// The action types the scope admits. An action this build does not know (or of another type)
// admits nothing we can reason about, so it counts as every type: no scope warning then.
ActionSet scope_actions(const ir::ScopeConstraint& scope) {
  if (scope.kind == ir::ScopeConstraint::Kind::any || scope.entities.empty()) {
    return normalise::kAllActions;
  }
  ActionSet out = 0;
  for (const ir::EntityUid& uid : scope.entities) {
    const auto type = normalise::parse_action_type(uid.id);
    if (uid.type != kActionType || !type) return normalise::kAllActions;
    out |= normalise::action_bit(*type);
  }
  return out;
}

std::string action_names(ActionSet actions) {
  std::string out;
  for (unsigned i = 0; i < 16; ++i) {
    if ((actions & (1u << i)) == 0) continue;
    const auto name = normalise::action_type_name(static_cast<normalise::ActionType>(i));
    out += (out.empty() ? "`" : ", `") + std::string(name) + "`";
  }
  return out;
}

bool is_context(const ir::Expr& e) {
  return e.op == ir::Op::var && e.var == ir::Var::context;
}

// `context.X` (or `context["X"]`): X, else empty.
std::string_view context_read(const ir::Expr& e) {
  if (e.op == ir::Op::get_attr && !e.children.empty() && is_context(e.children[0])) return e.text;
  return {};
}

class Checker {
 public:
  explicit Checker(const ir::Policy& policy)
      : policy_(policy), actions_(scope_actions(policy.scope.action)) {}

  void walk(const ir::Expr& e) {
    if ((e.op == ir::Op::get_attr || e.op == ir::Op::has_attr) && !e.children.empty() &&
        is_context(e.children[0])) {
      attribute(e.text, e.span);
    }
    if (e.op == ir::Op::like && !e.children.empty()) matched(e.children[0], e.pattern, e.span);
    if ((e.op == ir::Op::eq || e.op == ir::Op::contains) && e.children.size() == 2) {
      compared(e.children[0], e.children[1], e.span);
      if (e.op == ir::Op::eq) compared(e.children[1], e.children[0], e.span);
    }
    for (const ir::Expr& child : e.children) walk(child);
  }

  // The findings, once every pattern of the rule is known.
  Diagnostics take() {
    for (const Candidate& c : relative_) {
      if (has_any_folder_form(c)) continue;
      if (!once("pattern", c.name)) continue;
      const std::string text(policy_.source->text.substr(c.span.begin, c.span.end - c.span.begin));
      const std::size_t quote = text.find('"');
      const std::string anywhere =
          quote == std::string::npos ? "*/..." : "\"*/" + text.substr(quote + 1);
      warn("pattern-never-matches",
           "`" + text + "` can only match a relative path, and `context." + c.name +
               "` is absolute whenever the agent sends a cwd (every supported agent does)",
           c.span,
           "match the file in any folder with `like " + anywhere +
               "` (the relative form may stay beside it, as a fallback for a payload without "
               "a cwd)");
    }
    return std::move(found_);
  }

 private:
  void attribute(const std::string& name, Span span) {
    const ContextAttribute* row = normalise::find_context_attribute(name);
    if (row == nullptr) {
      if (!once("unknown", name)) return;
      std::vector<std::string_view> known;
      for (const ContextAttribute& r : normalise::context_attributes()) known.push_back(r.name);
      const auto near = nearest_ids(name, known, 1);
      warn("unknown-attribute", "no event carries `context." + name + "`", span,
           near.empty() ? "docs/policies.md, \"Context attributes\", lists what a rule can read"
                        : "did you mean `" + near.front() + "`?");
      return;
    }
    if ((row->actions & actions_) != 0 || !once("scope", name)) return;
    warn("attribute-out-of-scope",
         "`context." + name + "` is never present on " + action_names(actions_) +
             " requests (the rule's action scope)",
         span,
         "`" + name + "` is carried by " + action_names(row->actions) +
             "; widen the action scope or read another attribute");
  }

  // `subject` compared with a string literal `other` (`==`, or an element of a set `contains`):
  // the pattern that is the literal alone.
  void compared(const ir::Expr& subject, const ir::Expr& other, Span span) {
    if (other.op == ir::Op::string_lit) {
      matched(subject, ir::Pattern{ir::PatternElem{false, other.text}}, span);
    }
  }

  // `subject` must match `pattern` for the comparison at `span` to hold.
  void matched(const ir::Expr& subject, const ir::Pattern& pattern, Span span) {
    const std::string_view name = context_read(subject);
    const ContextAttribute* row = name.empty() ? nullptr : normalise::find_context_attribute(name);
    if (row == nullptr) return;
    patterns_.emplace_back(std::string(name), pattern);
    const std::string_view prefix =
        pattern.empty() || pattern[0].wildcard ? std::string_view() : pattern[0].literal;
    if (normalise::shape_can_start_with(row->shape, prefix)) return;
    relative_.push_back(Candidate{std::string(name), pattern, span});
  }

  struct Candidate {
    std::string name;
    ir::Pattern pattern;  // starts with a literal no value of the attribute starts with
    Span span;
  };

  // Whether the rule also matches `c`'s file in any folder (`*/.git/config` beside
  // `.git/config`): then the relative form is only the fallback for a payload without a cwd.
  bool has_any_folder_form(const Candidate& c) const {
    ir::Pattern anywhere{ir::PatternElem{true, ""},
                         ir::PatternElem{false, "/" + c.pattern[0].literal}};
    anywhere.insert(anywhere.end(), c.pattern.begin() + 1, c.pattern.end());
    for (const auto& [name, pattern] : patterns_) {
      if (name == c.name && pattern == anywhere) return true;
    }
    return false;
  }

  bool once(const char* kind, const std::string& name) {
    return reported_.emplace(kind, name).second;
  }

  void warn(const char* code, std::string message, Span span, std::string help) {
    Diagnostic d =
        make_error(code, std::move(message), Location{policy_.source, span}, std::move(help));
    d.severity = Severity::warning;
    found_.push_back(std::move(d));
  }

  const ir::Policy& policy_;
  ActionSet actions_;
  std::set<std::pair<std::string, std::string>> reported_;
  std::vector<std::pair<std::string, ir::Pattern>> patterns_;  // every (attribute, pattern) read
  std::vector<Candidate> relative_;
  Diagnostics found_;
};

}  // namespace

Diagnostics check_context_reads(const ir::Policy& policy) {
  Checker checker(policy);
  for (const ir::Condition& condition : policy.conditions) checker.walk(condition.body);
  return checker.take();
}

}  // namespace vectimus::engine
