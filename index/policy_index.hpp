// The compiled rule index: for one request, the policies that can possibly be satisfied.
//
// Guarantee: a policy left out of the candidate set is guaranteed not to be satisfied by the
// request.
//
// Phases, in this order (re2's FilteredRE2 / PrefilterTree): build() computes every policy's
// prefilter (index/prefilter.hpp) and compiles them: atoms are interned, string atoms grouped by
// attribute path into one Aho-Corasick matcher each (plus a sorted table for exact values, and
// one for set elements), scope atoms into lookup tables, and each policy is hung on a few
// "trigger" atoms, at least one of which holds whenever its prefilter does. candidates() then
// matches atoms (each string attribute of the request is scanned once, each string element of a
// set attribute looked up once), collects the policies triggered by a matched atom plus those
// whose prefilter is ALL, and keeps those whose whole prefilter holds.
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
// packs is built at build time, serialize()d into the binary and loaded at start-up. Everything
// the index holds is therefore flat: strings live in one pool and are referred to by number,
// atoms and trees are columns of integers (index/columns.hpp), lookup tables are sorted columns
// of atom ids. deserialize() copies the columns out of the bytes and checks every element;
// view() reads them in place from bytes compiled into the binary and checks only the structure,
// so loading the built-in packs' index touches a few pages and allocates almost nothing.
// Prefilters are not kept: explain output recomputes them from the policy set.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "index/aho_corasick.hpp"
#include "index/columns.hpp"
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

// Version 2: 4-byte columns are padded to 4-byte offsets (for view()), and a matcher stores
// each state's output instead of each pattern's end state. Version 3: set-element atoms (a new
// atom kind, and a column of them per attribute path).
inline constexpr uint32_t kIndexFormatVersion = 3;

class PolicyIndex {
 public:
  // Compiles the index for `set`. The index keeps no reference to `set`; it must be used with
  // the same set (policy indices refer to it).
  static PolicyIndex build(const ir::PolicySet& set, const IndexOptions& options = {});

  // The index as bytes: "VECTIMUS-INDEX\n", kIndexFormatVersion, the policy count, the options,
  // then the columns (index/columns.hpp) of the string pool, attribute paths, atoms, prefilter
  // trees, triggers, per-path matchers and tables, and scope tables. Deterministic: the same index
  // gives the same bytes, and serialize(deserialize(b)) == serialize(view(b)) == b.
  std::string serialize() const;
  // Reads what serialize() wrote, for a set of `policy_count` policies (a blob made for another
  // count is refused), into an index that owns copies of the columns. Trusts none of it: every
  // count is checked against the bytes left, every id against the size of what it indexes,
  // every kind against its range, every tree and link against cycles and a depth bound. A
  // truncated or corrupted blob gives a "serialized" error, never a crash; any index it returns
  // answers candidates() and explain() safely (corruption that stays consistent can only change
  // which policies are candidates). Only the magic, version and sizes are compared with the
  // build: it must be paired with the set it was built from, as build()'s result must.
  static Result<PolicyIndex> deserialize(std::string_view bytes, size_t policy_count);
  // Zero-copy load, for bytes compiled into this same binary by vectimus_packc, which built
  // them and checked them with deserialize() at build time: the index reads its columns and
  // string pool in place from `bytes`, which must outlive it and every copy of it (a static
  // array does). Costs O(number of columns), not O(size of the index).
  //
  // TRUSTED INPUT ONLY. It checks the header (magic, version, policy count) and the structure:
  // every count fits in the bytes left, every column has the size its neighbours imply, every
  // range table spans its column, nothing follows the index; so a truncated or mismatched blob
  // is a "serialized" error. It does NOT check element values (ids in range, ranges ascending,
  // links towards the root, tree depth): an index viewed over corrupted bytes may read out of
  // bounds or loop. Never use it on bytes read from a file or from the network: use
  // deserialize().
  //
  // The columns are read in place only if `bytes.data()` is 4-byte aligned (packc emits the
  // array alignas(8)) and the host is little-endian, as the blob is; otherwise it falls back to
  // deserialize() (a correct, fully checked, slower load). borrowed() tells which happened.
  static Result<PolicyIndex> view(std::string_view bytes, size_t policy_count);

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
  // Whether the index reads its columns from bytes it does not own (view()); copies of it do
  // too.
  bool borrowed() const { return string_begin_.borrowed(); }

 private:
  // One attribute path: its substring matcher and its exact values (used when the request's
  // value there is a string), and its set elements (used when it is a set).
  struct PathAtoms {
    uint32_t path = 0;  // in the path table
    AhoCorasick matcher;
    // Per matcher pattern id: the atom for each of contains / prefix / suffix, or kNone.
    Column<uint32_t> contains;
    Column<uint32_t> prefix;
    Column<uint32_t> suffix;
    Column<uint32_t> equals;    // atoms, sorted by their bytes
    Column<uint32_t> elements;  // `element` atoms, sorted by their bytes
  };
  struct ScopeAtoms {
    Column<uint32_t> eq;  // atoms, sorted by (uid type, uid id)
    Column<uint32_t> in;  // the same
    Column<uint32_t> is;  // atoms, sorted by their bytes (the type)
  };

  // Fills context_paths_ and other_paths_ from paths_ (after build() and load()).
  void order_paths();
  // deserialize() when `copy`, else view() (whose caller checked alignment and byte order).
  static Result<PolicyIndex> load(std::string_view bytes, size_t policy_count, bool copy);
  std::string_view str(uint32_t id) const {
    return std::string_view(strings_.data() + string_begin_[id],
                            string_begin_[id + 1] - string_begin_[id]);
  }
  uint32_t intern(const Atom& atom, std::map<Atom, uint32_t>& ids, std::vector<Atom>& atoms);
  uint32_t flatten(const Prefilter& p, std::map<Atom, uint32_t>& ids, std::vector<Atom>& atoms);
  const interpreter::Value* resolve(uint32_t path, const interpreter::Request& request,
                                    const interpreter::Entities& entities) const;
  // Per-thread buffers of one candidates() call (policy_index.cpp).
  struct Scratch;
  bool holds(uint32_t node, const uint64_t* matched) const;
  void match_atoms(const interpreter::Request& request, const interpreter::Entities& entities,
                   Scratch& scratch) const;
  std::vector<uint32_t> select(Scratch& scratch) const;
  std::vector<uint32_t> run(const interpreter::Request& request,
                            const interpreter::Entities& entities,
                            std::vector<uint32_t>* matched) const;

  IndexOptions options_;
  // String pool: string k is strings_[string_begin_[k], string_begin_[k + 1]).
  Column<char> strings_;
  Column<uint32_t> string_begin_ = {0};
  // Attribute paths: root (ir::Var) and keys path_keys_[path_key_begin_[p], [p + 1]).
  Column<uint8_t> path_root_;
  Column<uint32_t> path_key_begin_ = {0};
  Column<uint32_t> path_keys_;  // string ids
  // Atoms, one column per field (strings and paths by id; unused fields refer to "").
  Column<uint8_t> atom_kind_;
  Column<uint32_t> atom_path_;
  Column<uint32_t> atom_bytes_;
  Column<uint32_t> atom_type_;  // uid type
  Column<uint32_t> atom_id_;    // uid id
  // Prefilter nodes, one column per field; a node's children come before it.
  Column<uint8_t> node_kind_;    // Prefilter::Kind
  Column<uint32_t> node_first_;  // atom id, or start in children_
  Column<uint32_t> node_last_;   // end in children_
  Column<uint32_t> children_;
  Column<uint32_t> roots_;          // per policy
  Column<uint32_t> trigger_begin_;  // per atom, into trigger_policies_ (size atoms + 1)
  Column<uint32_t> trigger_policies_;
  Column<uint32_t> always_;  // ascending
  std::vector<PathAtoms> paths_;
  // Derived at load, not stored: the paths that are one key of the context (`context.command`,
  // nearly all of them) as (key string id, index in paths_), sorted by the key's bytes, so one
  // merge walk over them and the request's context record (sorted by key too) finds every
  // value; and the indices in paths_ of the others, which resolve() reads.
  std::vector<std::pair<uint32_t, uint32_t>> context_paths_;
  std::vector<uint32_t> other_paths_;
  ScopeAtoms scope_[3];  // principal, action, resource
};

// Human-readable lines for `vectimus explain --index`: matched atoms, then each candidate with
// its id and prefilter.
std::string to_text(const Explanation& explanation, const PolicyIndex& index,
                    const ir::PolicySet& set);

}  // namespace vectimus::index
