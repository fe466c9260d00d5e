#include "interpreter/authorizer.hpp"

#include <algorithm>

#include "interpreter/evaluator.hpp"

namespace vectimus::interpreter {

namespace {

using ir::ScopeConstraint;

// Scope constraints only compare entities, so they can never fail (docs/cedar.md: a policy for
// another action never reports a missing attribute).
bool scope_matches(const ScopeConstraint& c, const ir::EntityUid& uid, const Entities& entities) {
  switch (c.kind) {
    case ScopeConstraint::Kind::any: return true;
    case ScopeConstraint::Kind::eq: return !c.entities.empty() && uid == c.entities[0];
    case ScopeConstraint::Kind::in:
      return !c.entities.empty() && entities.is_in(uid, c.entities[0]);
    case ScopeConstraint::Kind::in_set:
      for (const ir::EntityUid& e : c.entities) {
        if (entities.is_in(uid, e)) return true;
      }
      return false;
    case ScopeConstraint::Kind::is: return uid.type == c.entity_type;
    case ScopeConstraint::Kind::is_in:
      return uid.type == c.entity_type && !c.entities.empty() && entities.is_in(uid, c.entities[0]);
  }
  return false;
}

enum class Outcome : uint8_t { satisfied, unsatisfied, error };

// `scope && when₁ && !unless₁ && ...` in source order; the first false clause stops.
Outcome evaluate_policy(const ir::Policy& policy, const Request& request, const Entities& entities,
                        const Evaluator& evaluator, std::string& error) {
  if (!scope_matches(policy.scope.principal, request.principal, entities) ||
      !scope_matches(policy.scope.action, request.action, entities) ||
      !scope_matches(policy.scope.resource, request.resource, entities)) {
    return Outcome::unsatisfied;
  }
  for (const ir::Condition& condition : policy.conditions) {
    EvalResult r = evaluator.evaluate(condition.body);
    if (!r.ok()) {
      error = std::move(r).take_error().message;
      return Outcome::error;
    }
    const Value& v = r.value();
    if (v.kind() != Kind::boolean) {
      // Same words for `when { 1 }` (`true && 1`) and `unless { 1 }` (`!1`).
      error = "type error: expected bool, got " + describe_type(v);
      return Outcome::error;
    }
    if (v.as_bool() != condition.is_when) return Outcome::unsatisfied;
  }
  return Outcome::satisfied;
}

class Collector {
 public:
  Collector(const ir::PolicySet& policies, const Request& request, const Entities& entities)
      : policies_(policies),
        request_(request),
        entities_(entities),
        evaluator_(request, entities) {}

  void run(uint32_t index) {
    const ir::Policy& policy = policies_.policies[index];
    std::string error;
    switch (evaluate_policy(policy, request_, entities_, evaluator_, error)) {
      case Outcome::satisfied:
        (policy.effect == ir::Effect::permit ? permits_ : forbids_).push_back(index);
        break;
      case Outcome::unsatisfied: break;
      case Outcome::error: response_.errors.push_back(PolicyError{index, std::move(error)});
    }
  }

  Response finish() {
    // Candidates are promised ascending; sorting keeps the output contract even if they are not.
    std::sort(permits_.begin(), permits_.end());
    std::sort(forbids_.begin(), forbids_.end());
    std::sort(response_.errors.begin(), response_.errors.end(),
              [](const PolicyError& a, const PolicyError& b) { return a.policy < b.policy; });
    // Allow iff some permit holds and no forbid does; the reasons are the policies that decided.
    if (!permits_.empty() && forbids_.empty()) {
      response_.decision = Decision::allow;
      response_.reasons = std::move(permits_);
    } else {
      response_.decision = Decision::deny;
      response_.reasons = std::move(forbids_);
    }
    return std::move(response_);
  }

 private:
  const ir::PolicySet& policies_;
  const Request& request_;
  const Entities& entities_;
  Evaluator evaluator_;
  std::vector<uint32_t> permits_;
  std::vector<uint32_t> forbids_;
  Response response_;
};

}  // namespace

Response authorize(const ir::PolicySet& policies, const Request& request,
                   const Entities& entities) {
  Collector collector(policies, request, entities);
  const auto n = static_cast<uint32_t>(policies.policies.size());
  for (uint32_t i = 0; i < n; ++i) collector.run(i);
  return collector.finish();
}

Response authorize(const ir::PolicySet& policies, std::span<const uint32_t> candidates,
                   const Request& request, const Entities& entities) {
  Collector collector(policies, request, entities);
  for (const uint32_t i : candidates) {
    if (i < policies.policies.size()) collector.run(i);
  }
  return collector.finish();
}

}  // namespace vectimus::interpreter
