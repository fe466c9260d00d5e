// Equivalence: authorization through the index equals authorization of every policy.
//
// What is compared, for every generated policy set and request (seeded, reproducible):
//   * the guarantee itself: every policy that is satisfied on its own (evaluated as the only
//     candidate) is in index.candidates();
//   * decision and reasons of authorize(set, candidates) equal those of authorize(set) exactly;
//   * the errors through the index are a subset of the full errors (same policy, same message):
//     a policy left out is not evaluated, so an error it would raise is not reported. Such a
//     policy is not satisfied, so it changes neither the decision nor the reasons.
// The generator leans on what the prefilter must get right: patterns with many stars, literal
// `\*`, backslashes, non-ASCII text, short runs, `==`/`!=`/contains, `&&`/`||`/`!`/`unless`/
// `if`/`has`, missing and non-string attributes, attributes of entities, scope hierarchy,
// permits as well as forbids, and contains/containsAny/containsAll on set attributes.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "index/policy_index.hpp"
#include "interpreter/authorizer.hpp"
#include "tests/index/generator.hpp"
#include "tests/index/index_text.hpp"

namespace vectimus::index {
namespace {

using test::Gen;

struct Totals {
  size_t requests = 0;
  size_t policies = 0;
  size_t candidates = 0;
  size_t satisfied = 0;
  size_t errors_full = 0;
  size_t errors_index = 0;
};

void check_request(const ir::PolicySet& set, const PolicyIndex& index,
                   const interpreter::Request& request, const interpreter::Entities& store,
                   Totals& totals) {
  const std::vector<uint32_t> candidates = index.candidates(request, store);
  REQUIRE(std::is_sorted(candidates.begin(), candidates.end()));
  // The guarantee, policy by policy.
  for (uint32_t i = 0; i < set.policies.size(); ++i) {
    const uint32_t only[] = {i};
    const auto alone = interpreter::authorize(set, only, request, store);
    const bool satisfied =
        std::find(alone.reasons.begin(), alone.reasons.end(), i) != alone.reasons.end();
    if (!satisfied) continue;
    ++totals.satisfied;
    INFO("policy " << i << " is satisfied but not a candidate; prefilter "
                   << dump(compute_prefilter(set.policies[i], index.options().prefilter)));
    REQUIRE(std::binary_search(candidates.begin(), candidates.end(), i));
  }
  const auto full = interpreter::authorize(set, request, store);
  const auto fast = interpreter::authorize(set, candidates, request, store);
  REQUIRE(fast.decision == full.decision);
  REQUIRE(fast.reasons == full.reasons);
  for (const auto& e : fast.errors) {
    const bool in_full = std::any_of(full.errors.begin(), full.errors.end(), [&](const auto& f) {
      return f.policy == e.policy && f.message == e.message;
    });
    REQUIRE(in_full);
  }
  ++totals.requests;
  totals.policies += set.policies.size();
  totals.candidates += candidates.size();
  totals.errors_full += full.errors.size();
  totals.errors_index += fast.errors.size();
}

TEST_CASE("index and full evaluation agree on generated sets", "[index][equivalence]") {
  Totals totals;
  for (uint32_t seed = 1; seed <= 1500; ++seed) {
    Gen gen(seed);
    std::string text;
    const size_t n = 1 + gen.below(12);
    for (size_t i = 0; i < n; ++i) text += gen.policy();
    if (gen.chance(50)) text += "permit(principal, action, resource);\n";
    INFO("seed " << seed << "\n" << text);
    const ir::PolicySet set = test::parse_set(text);
    const PolicyIndex index = PolicyIndex::build(set);
    for (int r = 0; r < 24; ++r) {
      const interpreter::Request request = gen.request();
      const interpreter::Entities store = gen.entities();
      INFO("request " << r);
      check_request(set, index, request, store, totals);
    }
  }
  INFO(totals.requests << " requests, " << totals.errors_full << "/" << totals.errors_index
                       << " errors " << totals.candidates << " candidates of " << totals.policies
                       << " policies, " << totals.satisfied << " satisfied");
  // The index must actually leave policies out, and the generator must reach satisfaction
  // and errors often, or the comparison above proves little.
  CHECK(totals.candidates * 10 < totals.policies * 7);
  CHECK(totals.satisfied * 10 > totals.requests);
  CHECK(totals.errors_full > totals.requests / 10);
  CHECK(totals.errors_index < totals.errors_full);
}

TEST_CASE("index and full evaluation agree with a minimum atom length of 1",
          "[index][equivalence]") {
  Totals totals;
  IndexOptions options;
  options.prefilter.min_atom_length = 1;
  for (uint32_t seed = 5001; seed <= 5400; ++seed) {
    Gen gen(seed);
    std::string text;
    const size_t n = 1 + gen.below(12);
    for (size_t i = 0; i < n; ++i) text += gen.policy();
    INFO("seed " << seed << "\n" << text);
    const ir::PolicySet set = test::parse_set(text);
    const PolicyIndex index = PolicyIndex::build(set, options);
    for (int r = 0; r < 24; ++r) {
      const interpreter::Request request = gen.request();
      const interpreter::Entities store = gen.entities();
      check_request(set, index, request, store, totals);
    }
  }
  CHECK(totals.requests == 400 * 24);
}

}  // namespace
}  // namespace vectimus::index
