// The grammar actions for policies: annotations, effect, scope and conditions. Private to
// grammar/: included only by grammar/build.cpp, after grammar/actions_expr.hpp.
#pragma once

#include "grammar/actions_expr.hpp"

namespace vectimus::grammar::actions {

// Policies.
VECTIMUS_ACTION(annotation_key) {
  push_name(s, in, /*reserved_ok=*/true);
  Name key = s.pop_name();
  for (const ir::Annotation& a : s.policy.annotations) {
    if (a.key == key.text) {
      Diagnostic d = make_error("duplicate-annotation", "duplicate annotation `@" + key.text + "`",
                                Location{s.source, key.span},
                                "each annotation key may appear once per policy");
      d.notes.push_back(Note{Location{s.source, a.span}, "first defined here"});
      s.deferred.push_back(std::move(d));
      throw Failure{{}, {}, {}, key.span};  // no code: the diagnostic is already deferred
    }
  }
  s.policy.annotations.push_back(ir::Annotation{std::move(key.text), "", key.span});
}
};
VECTIMUS_ACTION(annotation_value) {
  s.policy.annotations.back().value = unescaped(s, in);
}
}
;
VECTIMUS_ACTION(annotation) {
  s.policy.annotations.back().span = {s.offset(in.begin()), s.last_end};
}
}
;
VECTIMUS_ACTION(effect) {
  s.policy.effect = *in.begin() == 'p' ? ir::Effect::permit : ir::Effect::forbid;
}
}
;
template <class Input>
void begin_scope(const Input& in, State& s, ir::ScopeConstraint& target) {
  s.target = &target;
  target.span = s.token_span(in.begin());
}
VECTIMUS_ACTION(scope_principal_kw) {
  begin_scope(in, s, s.policy.scope.principal);
}
}
;
VECTIMUS_ACTION(scope_action_kw) {
  begin_scope(in, s, s.policy.scope.action);
}
}
;
VECTIMUS_ACTION(scope_resource_kw) {
  begin_scope(in, s, s.policy.scope.resource);
}
}
;
template <class Input>
void end_scope(const Input& in, State& s) {
  s.target->span = {s.offset(in.begin()), s.last_end};
}
VECTIMUS_ACTION(scope_principal) {
  end_scope(in, s);
}
}
;
VECTIMUS_ACTION(scope_action) {
  end_scope(in, s);
}
}
;
VECTIMUS_ACTION(scope_resource) {
  end_scope(in, s);
}
}
;
VECTIMUS_ACTION(scope_slot) {
  const Span span = s.token_span(in.begin());
  const std::string slot(in.begin(), in.begin() + (span.end - span.begin));
  if (slot != "?principal" && slot != "?resource") {
    s.fail("`" + slot + "` is not a valid template slot", span,
           "a template slot may only be `?principal` or `?resource`");
  }
  s.unsupported("templates are not supported (found `" + slot + "`)", span,
                "write the entity uid in place of the slot");
  s.uids.emplace_back();
  s.uid_spans.push_back(span);
}
}
;
template <class Input>
void set_scope([[maybe_unused]] const Input& in, State& s, ir::ScopeConstraint::Kind kind) {
  s.target->kind = kind;
  s.target->entities.push_back(pop_uid(s));
}
VECTIMUS_ACTION(scope_eq) {
  set_scope(in, s, ir::ScopeConstraint::Kind::eq);
}
}
;
VECTIMUS_ACTION(scope_in) {
  set_scope(in, s, ir::ScopeConstraint::Kind::in);
}
}
;
VECTIMUS_ACTION(scope_is_in) {
  set_scope(in, s, ir::ScopeConstraint::Kind::is_in);
}
}
;
VECTIMUS_ACTION(scope_is) {
  if (s.target->kind != ir::ScopeConstraint::Kind::is_in)
    s.target->kind = ir::ScopeConstraint::Kind::is;
}
}
;
VECTIMUS_ACTION(action_eq) {
  set_scope(in, s, ir::ScopeConstraint::Kind::eq);
}
}
;
VECTIMUS_ACTION(action_in_one) {
  push_uid(s, true);
  set_scope(in, s, ir::ScopeConstraint::Kind::in);
}
}
;
VECTIMUS_ACTION(action_set) {
  s.target->kind = ir::ScopeConstraint::Kind::in_set;
  s.target->entities = std::move(s.uids);
  s.uids.clear();
  s.uid_spans.clear();
}
}
;
VECTIMUS_ACTION(when_kw) {
  s.is_when = true;
}
}
;
VECTIMUS_ACTION(unless_kw) {
  s.is_when = false;
}
}
;
VECTIMUS_ACTION(condition) {
  uint32_t h = 0;
  Expr body = s.pop(h);
  s.policy.conditions.push_back(
      ir::Condition{s.is_when, std::move(body), {s.offset(in.begin()), s.last_end}});
}
}
;
VECTIMUS_ACTION(policy) {
  s.policy.span = {s.offset(in.begin()), s.last_end};
}
}
;

}  // namespace vectimus::grammar::actions

#undef VECTIMUS_ACTION
