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
//
// Stored form: building costs far more than a hook call may spend, so the index of the built-in
// packs is built at build time, serialize()d into the binary and deserialize()d at start-up.
// Everything the index holds is therefore flat: strings live in one pool and are referred to
// by number, atoms and trees are columns of integers, lookup tables are sorted columns of atom
// ids, so loading is a few dozen bounds-checked memcpys and checks over the columns (no per-atom
// allocation). Prefilters are not kept: explain output recomputes them from the policy set.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "index/aho_corasick.hpp"
#include "index/prefilter.hpp"
#include "interpreter/entities.hpp"
#include "interpreter/request.hpp"
#include "ir/ir.hpp"
#include "support/result.hpp"

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

inline constexpr uint32_t kIndexFormatVersion = 1;

class PolicyIndex {
 public:
  // Compiles the index for `set`. The index keeps no reference to `set`; it must be used with
  // the same set (policy indices refer to it).
  static PolicyIndex build(const ir::PolicySet& set, const IndexOptions& options = {});

  // The index as bytes: "VECTIMUS-INDEX\n", kIndexFormatVersion, the policy count, the options,
  // then the columns (index/columns.hpp) of the string pool, attribute paths, atoms, prefilter
  // trees, triggers, string matchers and scope tables. Deterministic: the same index gives the
  // same bytes, and serialize(deserialize(b)) == b.
  std::string serialize() const;
  // Reads what serialize() wrote, for a set of `policy_count` policies (a blob made for another
  // count is refused). Trusts none of it: every count is checked against the bytes left, every
  // id against the size of what it indexes, every kind against its range, every tree and link
  // against cycles and a depth bound. A truncated or corrupted blob gives a "serialized" error,
  // never a crash; any index it returns answers candidates() and explain() safely (corruption
  // that stays consistent can only change which policies are candidates). Only the magic,
  // version and sizes are compared with the build: it must be paired with the set it was built
  // from, as build()'s result must.
  static Result<PolicyIndex> deserialize(std::string_view bytes, size_t policy_count);

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
  size_t atom_count() const { return atom_kind_.size(); }
  size_t always_count() const { return always_.size(); }
  // The options it was built with; compute_prefilter(policy, options().prefilter) is the
  // prefilter the index holds for `policy`.
  const IndexOptions& options() const { return options_; }
  Atom atom(uint32_t id) const;

 private:
  struct Node {
    Prefilter::Kind kind = Prefilter::Kind::all;
    uint32_t first = 0;  // atom id, or start in children_
    uint32_t last = 0;   // end in children_
  };
  // One string attribute: its substring matcher and its exact values.
  struct PathAtoms {
    uint32_t path = 0;  // in the path table
    AhoCorasick matcher;
    // Per matcher pattern id: the atom for each of contains / prefix / suffix, or kNone.
    std::vector<uint32_t> contains;
    std::vector<uint32_t> prefix;
    std::vector<uint32_t> suffix;
    std::vector<uint32_t> equals;  // atoms, sorted by their bytes
  };
  struct ScopeAtoms {
    std::vector<uint32_t> eq;  // atoms, sorted by (uid type, uid id)
    std::vector<uint32_t> in;  // the same
    std::vector<uint32_t> is;  // atoms, sorted by their bytes (the type)
  };

  std::string_view str(uint32_t id) const {
    return std::string_view(strings_).substr(string_begin_[id],
                                             string_begin_[id + 1] - string_begin_[id]);
  }
  uint32_t intern(const Atom& atom, std::map<Atom, uint32_t>& ids, std::vector<Atom>& atoms);
  uint32_t flatten(const Prefilter& p, std::map<Atom, uint32_t>& ids, std::vector<Atom>& atoms);
  const interpreter::Value* resolve(uint32_t path, const interpreter::Request& request,
                                    const interpreter::Entities& entities) const;
  bool holds(uint32_t node, const std::vector<uint32_t>& matched) const;
  std::vector<uint32_t> match_atoms(const interpreter::Request& request,
                                    const interpreter::Entities& entities) const;
  std::vector<uint32_t> select(const std::vector<uint32_t>& matched) const;

  IndexOptions options_;
  // String pool: string k is strings_[string_begin_[k], string_begin_[k + 1]).
  std::string strings_;
  std::vector<uint32_t> string_begin_ = {0};
  // Attribute paths: root (ir::Var) and keys path_keys_[path_key_begin_[p], [p + 1]).
  std::vector<uint8_t> path_root_;
  std::vector<uint32_t> path_key_begin_ = {0};
  std::vector<uint32_t> path_keys_;  // string ids
  // Atoms, one column per field (strings and paths by id; unused fields refer to "").
  std::vector<uint8_t> atom_kind_;
  std::vector<uint32_t> atom_path_;
  std::vector<uint32_t> atom_bytes_;
  std::vector<uint32_t> atom_type_;  // uid type
  std::vector<uint32_t> atom_id_;    // uid id
  std::vector<Node> nodes_;          // a node's children come before it
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
