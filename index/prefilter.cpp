#include "index/prefilter.hpp"

#include <optional>
#include <utility>

namespace vectimus::index {

namespace {

using ir::Expr;
using ir::Op;
using Kind = Prefilter::Kind;

// Shared by make_and and make_or: `kind` is the node being built, `unit` the child that changes
// nothing (ALL for AND, NONE for OR), `zero` the child that decides alone.
//
// Every child is already simplified, so the grandchildren taken from a child of the same kind are
// distinct from one another: each element is compared only with those taken from earlier
// children. A chain `a || b || c || ...` (parsed left-nested, one new child per level) then costs
// one comparison per element at each level instead of a quadratic dedup, which made the packs'
// long `||` chains cost milliseconds to index.
Prefilter combine(Kind kind, std::vector<Prefilter> children, Kind unit, Kind zero) {
  std::size_t total = 0;
  for (const Prefilter& child : children) {
    if (child.kind == zero) return child;
    total += child.kind == kind ? child.children.size() : 1;
  }
  std::vector<Prefilter> unique;
  unique.reserve(total);
  for (Prefilter& child : children) {
    if (child.kind == unit) continue;
    const std::size_t earlier = unique.size();
    const auto add = [&](Prefilter&& p) {
      for (std::size_t i = 0; i < earlier; ++i) {
        if (unique[i] == p) return;
      }
      unique.push_back(std::move(p));
    };
    if (child.kind == kind) {
      for (Prefilter& grandchild : child.children) add(std::move(grandchild));
    } else {
      add(std::move(child));
    }
  }
  if (unique.empty()) {
    Prefilter p;
    p.kind = unit;
    return p;
  }
  if (unique.size() == 1) return std::move(unique.front());
  Prefilter p;
  p.kind = kind;
  p.children = std::move(unique);
  return p;
}

// Two children, moved (a braced list would copy them: initializer_list elements are const, and
// copying the accumulated side of a long `||` chain at every level is quadratic). Callers
// evaluate the left side into a variable first, so the node budget is spent in source order.
std::vector<Prefilter> two(Prefilter a, Prefilter b) {
  std::vector<Prefilter> v;
  v.reserve(2);
  v.push_back(std::move(a));
  v.push_back(std::move(b));
  return v;
}

// `context.a.b` and friends: a variable followed by attribute accesses, nothing else.
std::optional<AttrPath> path_of(const Expr& e) {
  if (e.op == Op::var) return AttrPath{e.var, {}};
  if (e.op != Op::get_attr) return std::nullopt;
  std::optional<AttrPath> base = path_of(e.children[0]);
  if (base) base->keys.push_back(e.text);
  return base;
}

// A path that can hold a string: a bare variable is a record or an entity, never a string.
std::optional<AttrPath> string_path(const Expr& e) {
  std::optional<AttrPath> path = path_of(e);
  if (path && path->keys.empty()) return std::nullopt;
  return path;
}

// A path that can hold a set: as for strings, a bare variable is a record or an entity.
std::optional<AttrPath> set_path(const Expr& e) {
  return string_path(e);
}

Atom string_atom(AtomKind kind, AttrPath path, std::string bytes) {
  Atom a;
  a.kind = kind;
  a.path = std::move(path);
  a.bytes = std::move(bytes);
  return a;
}

class Analyzer {
 public:
  explicit Analyzer(const PrefilterOptions& options)
      : options_(options), budget_(options.node_budget) {}

  // Necessary condition for `e` to evaluate to true (without error).
  Prefilter when_true(const Expr& e) {
    if (!spend()) return Prefilter::all();
    switch (e.op) {
      case Op::bool_lit: return e.boolean ? Prefilter::all() : Prefilter::none();
      case Op::and_: {  // short-circuit: true only if both sides are true
        Prefilter left = when_true(e.children[0]);
        return Prefilter::make_and(two(std::move(left), when_true(e.children[1])));
      }
      case Op::or_: {  // true if the left is true, or the left is false and the right true
        Prefilter left = when_true(e.children[0]);
        return Prefilter::make_or(two(std::move(left), when_true(e.children[1])));
      }
      case Op::not_: return when_false(e.children[0]);
      case Op::if_then_else: {
        Prefilter c = when_true(e.children[0]);
        Prefilter then = Prefilter::make_and(two(std::move(c), when_true(e.children[1])));
        Prefilter not_c = when_false(e.children[0]);
        return Prefilter::make_or(two(
            std::move(then), Prefilter::make_and(two(std::move(not_c), when_true(e.children[2])))));
      }
      case Op::like: return like(e);
      case Op::eq: return equality(e);
      case Op::contains: return set_contains(e);
      case Op::contains_all: return set_contains_all(e);
      case Op::contains_any: return set_contains_any(e);
      default: return Prefilter::all();
    }
  }

  // Necessary condition for `e` to evaluate to false (without error).
  Prefilter when_false(const Expr& e) {
    if (!spend()) return Prefilter::all();
    switch (e.op) {
      case Op::bool_lit: return e.boolean ? Prefilter::none() : Prefilter::all();
      case Op::and_: {  // false if the left is false, or the left is true and the right false
        Prefilter left_false = when_false(e.children[0]);
        Prefilter left_true = when_true(e.children[0]);
        return Prefilter::make_or(
            two(std::move(left_false),
                Prefilter::make_and(two(std::move(left_true), when_false(e.children[1])))));
      }
      case Op::or_: {  // false only if both sides are false
        Prefilter left = when_false(e.children[0]);
        return Prefilter::make_and(two(std::move(left), when_false(e.children[1])));
      }
      case Op::not_: return when_true(e.children[0]);
      case Op::if_then_else: {
        Prefilter c = when_true(e.children[0]);
        Prefilter then = Prefilter::make_and(two(std::move(c), when_false(e.children[1])));
        Prefilter not_c = when_false(e.children[0]);
        return Prefilter::make_or(
            two(std::move(then),
                Prefilter::make_and(two(std::move(not_c), when_false(e.children[2])))));
      }
      case Op::ne:  // `p != "x"` is false exactly when p is the string "x"
        return equality(e);
      default: return Prefilter::all();
    }
  }

 private:
  bool spend() {
    if (budget_ == 0) return false;
    --budget_;
    return true;
  }

  // `p like pattern`: every literal run must be in the string, the first one at its start
  // and the last one at its end; a pattern without wildcard is an exact value.
  Prefilter like(const Expr& e) {
    std::optional<AttrPath> path = string_path(e.children[0]);
    if (!path) return Prefilter::all();
    struct Run {
      std::string bytes;
      bool at_start = false;
      bool at_end = false;
    };
    std::vector<Run> runs;
    bool star_seen = false;
    bool in_run = false;
    for (const ir::PatternElem& elem : e.pattern) {
      if (elem.wildcard) {
        star_seen = true;
        in_run = false;
        continue;
      }
      if (!in_run) {
        runs.push_back(Run{{}, !star_seen, false});
        in_run = true;
      }
      runs.back().bytes += elem.literal;
    }
    if (!star_seen) {
      return Prefilter::of(string_atom(AtomKind::equals, *path, runs.empty() ? "" : runs[0].bytes));
    }
    const ir::PatternElem& last = e.pattern.back();
    if (!last.wildcard && !runs.empty()) runs.back().at_end = true;
    std::vector<Prefilter> required;
    for (Run& run : runs) {
      if (run.bytes.size() < options_.min_atom_length) continue;
      const AtomKind kind = run.at_start ? AtomKind::prefix
                            : run.at_end ? AtomKind::suffix
                                         : AtomKind::contains;
      required.push_back(Prefilter::of(string_atom(kind, *path, std::move(run.bytes))));
    }
    return Prefilter::make_and(std::move(required));
  }

  // `p == "x"` or `"x" == p` (and `!=` through when_false).
  static Prefilter equality(const Expr& e) {
    for (int side = 0; side < 2; ++side) {
      const Expr& lit = e.children[side];
      const Expr& other = e.children[1 - side];
      if (lit.op != Op::string_lit) continue;
      if (std::optional<AttrPath> path = string_path(other)) {
        return Prefilter::of(string_atom(AtomKind::equals, std::move(*path), lit.text));
      }
    }
    return Prefilter::all();
  }

  // `["a", "b"].contains(p)`: p is one of the strings (every element must be a string literal,
  // since p could equal a non-string element). `p.contains("a")`: the set at p has the string
  // "a" (Cedar compares values, and only the string "a" equals it).
  static Prefilter set_contains(const Expr& e) {
    const Expr& set = e.children[0];
    const Expr& arg = e.children[1];
    if (set.op != Op::set) {
      std::optional<AttrPath> path = set_path(set);
      if (!path || arg.op != Op::string_lit) return Prefilter::all();
      return Prefilter::of(string_atom(AtomKind::element, std::move(*path), arg.text));
    }
    std::optional<AttrPath> path = string_path(arg);
    if (!path) return Prefilter::all();
    std::vector<Prefilter> options;
    for (const Expr& elem : set.children) {
      if (elem.op != Op::string_lit) return Prefilter::all();
      options.push_back(Prefilter::of(string_atom(AtomKind::equals, *path, elem.text)));
    }
    return Prefilter::make_or(std::move(options));
  }

  // One element atom per member of `literals`, a set literal of string literals only (with any
  // other member, p could hold a value equal to it that no string atom sees); nullopt otherwise.
  static std::optional<std::vector<Prefilter>> element_atoms(const AttrPath& path,
                                                             const Expr& literals) {
    if (literals.op != Op::set) return std::nullopt;
    std::vector<Prefilter> atoms;
    for (const Expr& elem : literals.children) {
      if (elem.op != Op::string_lit) return std::nullopt;
      atoms.push_back(Prefilter::of(string_atom(AtomKind::element, path, elem.text)));
    }
    return atoms;
  }

  // `p.containsAll(["a", "b"])`: the set at p has every one of the strings. With no string
  // the AND is empty, ALL: it is true for any set.
  static Prefilter set_contains_all(const Expr& e) {
    std::optional<AttrPath> path = set_path(e.children[0]);
    if (!path) return Prefilter::all();
    std::optional<std::vector<Prefilter>> atoms = element_atoms(*path, e.children[1]);
    return atoms ? Prefilter::make_and(std::move(*atoms)) : Prefilter::all();
  }

  // `p.containsAny(["a", "b"])` or `["a", "b"].containsAny(p)` (the operation is symmetric):
  // one of the strings is in the set at p. With no string the OR is empty, NONE: it is never
  // true (false for any set, an error otherwise).
  static Prefilter set_contains_any(const Expr& e) {
    for (int side = 0; side < 2; ++side) {
      std::optional<AttrPath> path = set_path(e.children[side]);
      if (!path) continue;
      std::optional<std::vector<Prefilter>> atoms = element_atoms(*path, e.children[1 - side]);
      if (atoms) return Prefilter::make_or(std::move(*atoms));
    }
    return Prefilter::all();
  }

  const PrefilterOptions& options_;
  size_t budget_;
};

Atom scope_atom(AtomKind kind, ir::Var var, const ir::EntityUid* uid, std::string type = {}) {
  Atom a;
  a.kind = kind;
  a.path.root = var;
  if (uid != nullptr) a.uid = *uid;
  a.bytes = std::move(type);
  return a;
}

// Scope constraints are exact: the atom holds iff the constraint does.
Prefilter scope_prefilter(const ir::ScopeConstraint& c, ir::Var var) {
  using K = ir::ScopeConstraint::Kind;
  const ir::EntityUid* first = c.entities.empty() ? nullptr : &c.entities[0];
  switch (c.kind) {
    case K::any: return Prefilter::all();
    case K::eq:
      return first ? Prefilter::of(scope_atom(AtomKind::scope_eq, var, first)) : Prefilter::none();
    case K::in:
      return first ? Prefilter::of(scope_atom(AtomKind::scope_in, var, first)) : Prefilter::none();
    case K::in_set: {
      std::vector<Prefilter> options;
      for (const ir::EntityUid& uid : c.entities) {
        options.push_back(Prefilter::of(scope_atom(AtomKind::scope_in, var, &uid)));
      }
      return Prefilter::make_or(std::move(options));
    }
    case K::is: return Prefilter::of(scope_atom(AtomKind::scope_is, var, nullptr, c.entity_type));
    case K::is_in:
      if (!first) return Prefilter::none();
      return Prefilter::make_and(
          {Prefilter::of(scope_atom(AtomKind::scope_is, var, nullptr, c.entity_type)),
           Prefilter::of(scope_atom(AtomKind::scope_in, var, first))});
  }
  return Prefilter::all();
}

const char* var_name(ir::Var v) {
  switch (v) {
    case ir::Var::principal: return "principal";
    case ir::Var::action: return "action";
    case ir::Var::resource: return "resource";
    case ir::Var::context: return "context";
  }
  return "?";
}

std::string quoted(const std::string& bytes) {
  static const char* const kHex = "0123456789abcdef";
  std::string out = "\"";
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c >= 0x20 && c < 0x7f) {
      out += ch;
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out + "\"";
}

bool is_ident(const std::string& s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (const char c : s) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Prefilter Prefilter::none() {
  Prefilter p;
  p.kind = Kind::none;
  return p;
}

Prefilter Prefilter::of(Atom atom) {
  Prefilter p;
  p.kind = Kind::atom;
  p.atom = std::move(atom);
  return p;
}

Prefilter Prefilter::make_and(std::vector<Prefilter> children) {
  return combine(Kind::and_, std::move(children), Kind::all, Kind::none);
}

Prefilter Prefilter::make_or(std::vector<Prefilter> children) {
  return combine(Kind::or_, std::move(children), Kind::none, Kind::all);
}

bool operator==(const Prefilter& a, const Prefilter& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == Kind::atom) return a.atom == b.atom;
  return a.children == b.children;
}

Prefilter compute_prefilter(const ir::Policy& policy, const PrefilterOptions& options) {
  Analyzer analyzer(options);
  std::vector<Prefilter> parts;
  parts.push_back(scope_prefilter(policy.scope.principal, ir::Var::principal));
  parts.push_back(scope_prefilter(policy.scope.action, ir::Var::action));
  parts.push_back(scope_prefilter(policy.scope.resource, ir::Var::resource));
  for (const ir::Condition& c : policy.conditions) {
    parts.push_back(c.is_when ? analyzer.when_true(c.body) : analyzer.when_false(c.body));
  }
  return Prefilter::make_and(std::move(parts));
}

std::string dump(const AttrPath& path) {
  std::string out = var_name(path.root);
  for (const std::string& key : path.keys) {
    out += is_ident(key) ? "." + key : "[" + quoted(key) + "]";
  }
  return out;
}

std::string dump(const Atom& atom) {
  const std::string root = var_name(atom.path.root);
  switch (atom.kind) {
    case AtomKind::contains: return "sub(" + dump(atom.path) + "," + quoted(atom.bytes) + ")";
    case AtomKind::prefix: return "pre(" + dump(atom.path) + "," + quoted(atom.bytes) + ")";
    case AtomKind::suffix: return "suf(" + dump(atom.path) + "," + quoted(atom.bytes) + ")";
    case AtomKind::equals: return "eq(" + dump(atom.path) + "," + quoted(atom.bytes) + ")";
    case AtomKind::scope_eq: return root + "==" + ir::to_cedar(atom.uid);
    case AtomKind::scope_in: return root + " in " + ir::to_cedar(atom.uid);
    case AtomKind::scope_is: return root + " is " + atom.bytes;
    case AtomKind::element: return "elem(" + dump(atom.path) + "," + quoted(atom.bytes) + ")";
  }
  return "?";
}

std::string dump(const Prefilter& p) {
  switch (p.kind) {
    case Kind::all: return "all";
    case Kind::none: return "none";
    case Kind::atom: return dump(p.atom);
    case Kind::and_:
    case Kind::or_: {
      std::string out = p.kind == Kind::and_ ? "and{" : "or{";
      for (size_t i = 0; i < p.children.size(); ++i) {
        if (i > 0) out += ',';
        out += dump(p.children[i]);
      }
      return out + "}";
    }
  }
  return "?";
}

}  // namespace vectimus::index
