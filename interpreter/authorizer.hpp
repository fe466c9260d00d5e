// The authorizer: Cedar's decision for one request against a policy set.
//
// Semantics are Cedar's exactly (docs/cedar.md): each policy is `scope && when... && !unless...`
// evaluated left to right with short-circuit; a policy whose evaluation errors is skipped and
// reported; Allow iff some permit is satisfied and no forbid is; reasons are the satisfied
// permits on Allow, else the satisfied forbids (empty for a default deny).
// Policies are referred to by their index in the PolicySet; the caller chooses which id to
// show (positional for the conformance corpus, `@id` for packs).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "interpreter/entities.hpp"
#include "interpreter/request.hpp"
#include "interpreter/value.hpp"
#include "ir/ir.hpp"

namespace vectimus::interpreter {

enum class Decision : uint8_t { allow, deny };

struct PolicyError {
  uint32_t policy = 0;  // index in the PolicySet
  std::string message;  // as Cedar words it, e.g. "record does not have the attribute `command`"
};

struct Response {
  Decision decision = Decision::deny;
  std::vector<uint32_t> reasons;    // ascending policy indices
  std::vector<PolicyError> errors;  // ascending policy indices
};

// Evaluates every policy of `policies`.
Response authorize(const ir::PolicySet& policies, const Request& request, const Entities& entities);

// Evaluates only `candidates` (ascending indices); every other policy is taken as not
// satisfied. The rule index uses this; its guarantee makes the answer equal to the full one.
Response authorize(const ir::PolicySet& policies, std::span<const uint32_t> candidates,
                   const Request& request, const Entities& entities);

}  // namespace vectimus::interpreter
