// Prefilters: for one policy, a necessary condition on the request, written over atoms.
//
// Data flow: ir::Policy -> compute_prefilter() -> a tree of ALL / NONE / ATOM / AND / OR nodes
// -> PolicyIndex (index/policy_index.hpp) collects the atoms of every tree, matches them against
// a request, and keeps only the policies whose tree holds. The model is re2's Prefilter (one
// AND-OR tree of required strings per rule), with exact bytes instead of lowercased text: Cedar
// `like` and `==` on strings are case-sensitive.
//
// The one property everything else rests on: if a policy is satisfied by a request (every
// clause evaluates to exactly the value that lets it hold, without error), its prefilter
// evaluates to true on that request's atoms. A prefilter is never stronger than the policy.
//
// What yields atoms (everything else is ALL, "no information"):
//   scope       `action == A`, `action in A`, `action in [A, B]`, `principal/resource == U`,
//               `in U`, `is T`, `is T in U`
//   `p like "pat"`   where p is an attribute path (`context.a.b`, `principal.name`): the pattern's
//               literal runs; a leading run is a prefix, a trailing one a suffix, a pattern
//               without wildcard an exact value; runs shorter than the minimum length give ALL
//   `p == "lit"`, `"lit" == p`, `["a", "b"].contains(p)`: exact values (any length)
//   `p.contains("lit")`, `p.containsAll(["a", "b"])`, `p.containsAny(["a", "b"])` and
//               `["a", "b"].containsAny(p)`, where p is an attribute path holding a set: set
//               elements (`element` atoms, any length), AND for containsAll, OR for containsAny.
//               Every element of the literal set must be a string literal (p could hold a
//               non-string element equal to another one); an empty one gives ALL for
//               containsAll (true for any set) and NONE for containsAny (never true). Their
//               negations (`!p.contains("x")`, `unless { p.containsAny(..) }`) say only what p
//               lacks, so they are ALL.
//   `&&` AND, `||` OR, `if c then a else b` OR(AND(c, a), AND(!c, b)), `!` and `unless` through
//   the dual rules for "evaluates to false" (`!(p != "x")` gives p == "x"; `!(p like ..)` gives
//   ALL) `true` ALL, `false` NONE (so `when { false }` is never a candidate)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/ir.hpp"

namespace vectimus::index {

// Where a string or a set comes from: a variable followed by attribute accesses, e.g.
// context.command or context.args.
struct AttrPath {
  ir::Var root = ir::Var::context;
  std::vector<std::string> keys;
  friend bool operator==(const AttrPath&, const AttrPath&) = default;
  friend auto operator<=>(const AttrPath&, const AttrPath&) = default;
};

enum class AtomKind : uint8_t {
  contains,  // `bytes` occurs in the string at `path`
  prefix,    // the string at `path` starts with `bytes`
  suffix,    // the string at `path` ends with `bytes`
  equals,    // the string at `path` is exactly `bytes`
  scope_eq,  // the request's `path.root` entity is `uid`
  scope_in,  // the request's `path.root` entity is `uid` or has it as an ancestor
  scope_is,  // the request's `path.root` entity has type `bytes`
  element,   // the value at `path` is a set that has the string `bytes` among its elements
};

struct Atom {
  AtomKind kind = AtomKind::contains;
  AttrPath path;      // for scope kinds: root only (principal, action or resource)
  std::string bytes;  // the literal, or the entity type for scope_is
  ir::EntityUid uid;  // scope_eq and scope_in only
  friend bool operator==(const Atom&, const Atom&) = default;
  friend auto operator<=>(const Atom&, const Atom&) = default;
};

struct Prefilter {
  enum class Kind : uint8_t { all, none, atom, and_, or_ };
  Kind kind = Kind::all;
  Atom atom;                        // kind == atom
  std::vector<Prefilter> children;  // and_ / or_: at least two, none of them all/none/same kind

  static Prefilter all() { return {}; }
  static Prefilter none();
  static Prefilter of(Atom atom);
  // Both simplify: flatten nested nodes of the same kind, drop neutral children, absorb
  // (AND with NONE is NONE, OR with ALL is ALL), drop duplicates, unwrap a single child.
  static Prefilter make_and(std::vector<Prefilter> children);
  static Prefilter make_or(std::vector<Prefilter> children);

  friend bool operator==(const Prefilter& a, const Prefilter& b);
};

struct PrefilterOptions {
  // `contains`, `prefix` and `suffix` atoms shorter than this are dropped (re2's
  // min_atom_len): a 1- or 2-byte string occurs in almost every command and would only make
  // the scan report more. Exact values (`equals`) and set elements (`element`) are looked up
  // whole, so any length is kept.
  size_t min_atom_length = 3;
  // Upper bound on the nodes built for one policy; past it the remaining parts become ALL
  // (still sound). Keeps pathological nesting such as `if (if (if ..))` from blowing up.
  size_t node_budget = 4096;
};

// The prefilter of `policy`: AND of its scope and of every `when` (must be true) and `unless`
// (must be false) clause.
Prefilter compute_prefilter(const ir::Policy& policy, const PrefilterOptions& options = {});

// Compact text for tests and `explain`, e.g.
//   and{action in Vectimus::Action::"shell_command",or{sub(context.command,"rm -rf"),all}}
std::string dump(const Prefilter& prefilter);
std::string dump(const Atom& atom);
std::string dump(const AttrPath& path);

}  // namespace vectimus::index
