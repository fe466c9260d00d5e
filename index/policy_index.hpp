// The compiled rule index: for one request, the policies that can possibly be satisfied.
//
// Guarantee: a policy left out of the candidate set is guaranteed not to be satisfied by the
// request.
//
// Phases, in this order (re2's FilteredRE2 / PrefilterTree): build() computes every policy's
// prefilter (index/prefilter.hpp) and compiles them: atoms are interned, string atoms grouped by
// attribute path into one Aho-Corasick matcher each (plus a hash table for exact values), scope
// atoms into lookup tables, and each policy is hung on a few "trigger" atoms, at least one of
// which holds whenever its prefilter does. candidates() then matches atoms (each string
// attribute of the request is scanned once), collects the policies triggered by a matched atom
// plus those whose prefilter is ALL, and keeps those whose whole prefilter holds.
//
// What the guarantee gives the engine: authorize(set, index.candidates(req, ents), req, ents)
// has the same decision and the same reasons as authorize(set, req, ents), and its errors are
// a subset of the full errors (a policy left out is not evaluated, so an error it would have
// raised is not reported; such a policy could not have been satisfied, so it changes neither
// decision nor reasons). Errors of skipped policies are diagnostics only.
//
// The index depends on the IR and on the interpreter's Request / Entities / Value only; the
// interpreter does not know it exists. The slow path (evaluate every policy) stays the
// reference that tests compare with.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "index/aho_corasick.hpp"
#include "index/prefilter.hpp"
#include "interpreter/entities.hpp"
#include "interpreter/request.hpp"
#include "ir/ir.hpp"

namespace vectimus::index {

struct IndexOptions {
  PrefilterOptions prefilter;
};

// Why a request got its candidates; for `vectimus explain --index` and tests.
struct Explanation {
  std::vector<Atom> matched;         // atoms that hold for the request, in index order
  std::vector<uint32_t> always;      // policies whose prefilter is ALL (no usable atom)
  std::vector<uint32_t> candidates;  // ascending
};

class PolicyIndex {
 public:
  // Compiles the index for `set`. The index keeps no reference to `set`; it must be used with
  // the same set (policy indices refer to it).
  static PolicyIndex build(const ir::PolicySet& set, const IndexOptions& options = {});

  // Ascending indices of the policies that may be satisfied. `entities` is the store the
  // request is evaluated with: scope `in` follows its ancestors, and attribute paths through
  // entities (`principal.name`) read its attributes.
  std::vector<uint32_t> candidates(const interpreter::Request& request,
                                   const interpreter::Entities& entities) const;
  // The same with an empty entity store (the hook's case: the packs use no entities).
  std::vector<uint32_t> candidates(const interpreter::Request& request) const;

  Explanation explain(const interpreter::Request& request,
                      const interpreter::Entities& entities) const;

  size_t policy_count() const { return roots_.size(); }
  size_t atom_count() const { return atoms_.size(); }
  size_t always_count() const { return always_.size(); }
  const Prefilter& prefilter(uint32_t policy) const { return prefilters_[policy]; }
  const Atom& atom(uint32_t id) const { return atoms_[id]; }

 private:
  struct Node {
    Prefilter::Kind kind = Prefilter::Kind::all;
    uint32_t first = 0;  // atom id, or start in children_
    uint32_t last = 0;   // end in children_
  };
  // One string attribute: its substring matcher and its exact values.
  struct PathAtoms {
    AttrPath path;
    AhoCorasick matcher;
    // Per matcher pattern id: the atom for each of contains / prefix / suffix, or kNone.
    std::vector<uint32_t> contains;
    std::vector<uint32_t> prefix;
    std::vector<uint32_t> suffix;
    std::unordered_map<std::string, uint32_t> equals;
  };
  struct ScopeAtoms {
    std::map<ir::EntityUid, uint32_t> eq;
    std::map<ir::EntityUid, uint32_t> in;
    std::map<std::string, uint32_t> is;
  };

  uint32_t intern(const Atom& atom, std::map<Atom, uint32_t>& ids);
  uint32_t flatten(const Prefilter& p, std::map<Atom, uint32_t>& ids);
  bool holds(uint32_t node, const std::vector<uint32_t>& matched) const;
  std::vector<uint32_t> match_atoms(const interpreter::Request& request,
                                    const interpreter::Entities& entities) const;
  std::vector<uint32_t> select(const std::vector<uint32_t>& matched) const;

  std::vector<Prefilter> prefilters_;
  std::vector<Atom> atoms_;
  std::vector<Node> nodes_;
  std::vector<uint32_t> children_;
  std::vector<uint32_t> roots_;          // per policy
  std::vector<uint32_t> trigger_begin_;  // per atom, into trigger_policies_ (size atoms + 1)
  std::vector<uint32_t> trigger_policies_;
  std::vector<uint32_t> always_;  // ascending
  std::vector<PathAtoms> paths_;
  ScopeAtoms scope_[3];  // principal, action, resource
};

// Human-readable lines for `vectimus explain --index`: matched atoms, then each candidate with
// its id and prefilter.
std::string to_text(const Explanation& explanation, const PolicyIndex& index,
                    const ir::PolicySet& set);

}  // namespace vectimus::index
