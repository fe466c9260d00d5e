#include "index/policy_index.hpp"

#include <algorithm>
#include <limits>

namespace vectimus::index {

namespace {

using interpreter::Entities;
using interpreter::Kind;
using interpreter::Request;
using interpreter::Value;
using PKind = Prefilter::Kind;

constexpr uint32_t kNone = AhoCorasick::kNone;

bool is_scope(AtomKind kind) {
  return kind == AtomKind::scope_eq || kind == AtomKind::scope_in || kind == AtomKind::scope_is;
}

// How much work a trigger atom is expected to cause: a scope atom (`action == A`) holds for
// every request of that action, so it is used only when a policy offers nothing better.
uint64_t atom_cost(const Atom& atom) {
  return is_scope(atom.kind) ? 1u << 20 : 1;
}

// A set of atoms at least one of which holds whenever `p` holds (p is neither ALL nor NONE):
// an atom is its own trigger; an OR needs the triggers of every branch; an AND needs those of
// one child only, the cheapest.
std::vector<const Atom*> triggers(const Prefilter& p, uint64_t& cost) {
  if (p.kind == PKind::atom) {
    cost = atom_cost(p.atom);
    return {&p.atom};
  }
  std::vector<const Atom*> best;
  uint64_t best_cost = std::numeric_limits<uint64_t>::max();
  cost = 0;
  for (const Prefilter& child : p.children) {
    uint64_t c = 0;
    std::vector<const Atom*> t = triggers(child, c);
    if (p.kind == PKind::or_) {
      best.insert(best.end(), t.begin(), t.end());
      cost += c;
    } else if (c < best_cost) {
      best = std::move(t);
      best_cost = c;
    }
  }
  if (p.kind == PKind::and_) cost = best_cost;
  return best;
}

// The value at `path` for this request, or nullptr where evaluating the path would fail
// (missing attribute, absent entity, access on a value that is neither record nor entity):
// exactly when Cedar's `get_attr` chain errors, so a string atom on it cannot hold.
const Value* resolve(const AttrPath& path, const Request& request, const Entities& entities) {
  const Value* value = nullptr;
  const ir::EntityUid* entity = nullptr;
  switch (path.root) {
    case ir::Var::context: value = &request.context; break;
    case ir::Var::principal: entity = &request.principal; break;
    case ir::Var::action: entity = &request.action; break;
    case ir::Var::resource: entity = &request.resource; break;
  }
  for (const std::string& key : path.keys) {
    if (entity == nullptr && value->kind() == Kind::entity) entity = &value->as_entity();
    const Value* record = value;
    if (entity != nullptr) {
      const interpreter::Entity* e = entities.find(*entity);
      if (e == nullptr) return nullptr;
      record = &e->attrs;
      entity = nullptr;
    } else if (value->kind() != Kind::record) {
      return nullptr;
    }
    value = record->field(key);
    if (value == nullptr) return nullptr;
  }
  return value;
}

void push_hits(const std::vector<uint32_t>& patterns, const std::vector<uint32_t>& atom_of,
               std::vector<uint32_t>& matched) {
  for (const uint32_t p : patterns) {
    if (atom_of[p] != kNone) matched.push_back(atom_of[p]);
  }
}

const Entities& empty_entities() {
  static const Entities store;
  return store;
}

}  // namespace

uint32_t PolicyIndex::intern(const Atom& atom, std::map<Atom, uint32_t>& ids) {
  auto [it, inserted] = ids.try_emplace(atom, static_cast<uint32_t>(atoms_.size()));
  if (inserted) atoms_.push_back(atom);
  return it->second;
}

uint32_t PolicyIndex::flatten(const Prefilter& p, std::map<Atom, uint32_t>& ids) {
  Node node;
  node.kind = p.kind;
  if (p.kind == PKind::atom) node.first = intern(p.atom, ids);
  std::vector<uint32_t> kids;
  for (const Prefilter& child : p.children) kids.push_back(flatten(child, ids));
  node.first = p.kind == PKind::atom ? node.first : static_cast<uint32_t>(children_.size());
  children_.insert(children_.end(), kids.begin(), kids.end());
  node.last = static_cast<uint32_t>(children_.size());
  nodes_.push_back(node);
  return static_cast<uint32_t>(nodes_.size() - 1);
}

PolicyIndex PolicyIndex::build(const ir::PolicySet& set, const IndexOptions& options) {
  PolicyIndex index;
  std::map<Atom, uint32_t> ids;
  std::vector<std::vector<uint32_t>> triggered;  // per atom
  const auto n = static_cast<uint32_t>(set.policies.size());

  // Phase 1: prefilters, interned atoms, flat trees, triggers.
  for (uint32_t i = 0; i < n; ++i) {
    index.prefilters_.push_back(compute_prefilter(set.policies[i], options.prefilter));
    const Prefilter& p = index.prefilters_.back();
    index.roots_.push_back(index.flatten(p, ids));
    triggered.resize(index.atoms_.size());
    if (p.kind == PKind::all) {
      index.always_.push_back(i);
    } else if (p.kind != PKind::none) {
      uint64_t cost = 0;
      std::vector<uint32_t> atoms;
      for (const Atom* a : triggers(p, cost)) atoms.push_back(ids.at(*a));
      std::sort(atoms.begin(), atoms.end());
      atoms.erase(std::unique(atoms.begin(), atoms.end()), atoms.end());
      for (const uint32_t a : atoms) triggered[a].push_back(i);
    }
  }
  index.trigger_begin_.push_back(0);
  for (const auto& list : triggered) {
    index.trigger_policies_.insert(index.trigger_policies_.end(), list.begin(), list.end());
    index.trigger_begin_.push_back(static_cast<uint32_t>(index.trigger_policies_.size()));
  }

  // Phase 2: lookup structures per string path and per scope variable.
  std::map<AttrPath, size_t> path_slot;
  for (uint32_t id = 0; id < index.atoms_.size(); ++id) {
    const Atom& atom = index.atoms_[id];
    if (is_scope(atom.kind)) {
      ScopeAtoms& scope = index.scope_[static_cast<size_t>(atom.path.root)];
      if (atom.kind == AtomKind::scope_eq) scope.eq.emplace(atom.uid, id);
      if (atom.kind == AtomKind::scope_in) scope.in.emplace(atom.uid, id);
      if (atom.kind == AtomKind::scope_is) scope.is.emplace(atom.bytes, id);
      continue;
    }
    auto [slot, inserted] = path_slot.try_emplace(atom.path, index.paths_.size());
    if (inserted) index.paths_.push_back(PathAtoms{atom.path, {}, {}, {}, {}, {}});
    PathAtoms& path = index.paths_[slot->second];
    if (atom.kind == AtomKind::equals) {
      path.equals.emplace(atom.bytes, id);
      continue;
    }
    const uint32_t pattern = path.matcher.add(atom.bytes);
    if (pattern == kNone) continue;  // empty: cannot happen past the minimum length
    for (auto* list : {&path.contains, &path.prefix, &path.suffix})
      list->resize(pattern + 1, kNone);
    auto& slot_of = atom.kind == AtomKind::contains ? path.contains
                    : atom.kind == AtomKind::prefix ? path.prefix
                                                    : path.suffix;
    slot_of[pattern] = id;
  }
  for (PathAtoms& path : index.paths_) path.matcher.compile();
  return index;
}

std::vector<uint32_t> PolicyIndex::match_atoms(const Request& request,
                                               const Entities& entities) const {
  std::vector<uint32_t> matched;
  const ir::EntityUid* uids[3] = {&request.principal, &request.action, &request.resource};
  for (size_t v = 0; v < 3; ++v) {
    const ScopeAtoms& scope = scope_[v];
    const ir::EntityUid& uid = *uids[v];
    if (auto it = scope.eq.find(uid); it != scope.eq.end()) matched.push_back(it->second);
    if (auto it = scope.is.find(uid.type); it != scope.is.end()) matched.push_back(it->second);
    if (scope.in.empty()) continue;
    if (auto it = scope.in.find(uid); it != scope.in.end()) matched.push_back(it->second);
    if (const interpreter::Entity* e = entities.find(uid)) {
      for (const ir::EntityUid& ancestor : e->ancestors) {
        if (auto it = scope.in.find(ancestor); it != scope.in.end()) matched.push_back(it->second);
      }
    }
  }
  AhoCorasick::Hits hits;
  for (const PathAtoms& path : paths_) {
    const Value* value = resolve(path.path, request, entities);
    if (value == nullptr || value->kind() != Kind::string) continue;
    const std::string& text = value->as_string();
    if (auto it = path.equals.find(text); it != path.equals.end()) matched.push_back(it->second);
    if (path.matcher.pattern_count() == 0) continue;
    hits.found.clear();
    hits.prefix.clear();
    hits.suffix.clear();
    path.matcher.scan(text, hits);
    push_hits(hits.found, path.contains, matched);
    push_hits(hits.prefix, path.prefix, matched);
    push_hits(hits.suffix, path.suffix, matched);
  }
  std::sort(matched.begin(), matched.end());
  matched.erase(std::unique(matched.begin(), matched.end()), matched.end());
  return matched;
}

bool PolicyIndex::holds(uint32_t node, const std::vector<uint32_t>& matched) const {
  const Node& n = nodes_[node];
  switch (n.kind) {
    case PKind::all: return true;
    case PKind::none: return false;
    case PKind::atom: return std::binary_search(matched.begin(), matched.end(), n.first);
    case PKind::and_:
      for (uint32_t i = n.first; i < n.last; ++i) {
        if (!holds(children_[i], matched)) return false;
      }
      return true;
    case PKind::or_:
      for (uint32_t i = n.first; i < n.last; ++i) {
        if (holds(children_[i], matched)) return true;
      }
      return false;
  }
  return true;
}

std::vector<uint32_t> PolicyIndex::select(const std::vector<uint32_t>& matched) const {
  std::vector<uint32_t> out = always_;
  for (const uint32_t a : matched) {
    out.insert(out.end(), trigger_policies_.begin() + trigger_begin_[a],
               trigger_policies_.begin() + trigger_begin_[a + 1]);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  out.erase(std::remove_if(out.begin(), out.end(),
                           [&](uint32_t p) { return !holds(roots_[p], matched); }),
            out.end());
  return out;
}

std::vector<uint32_t> PolicyIndex::candidates(const Request& request,
                                              const Entities& entities) const {
  return select(match_atoms(request, entities));
}

std::vector<uint32_t> PolicyIndex::candidates(const Request& request) const {
  return candidates(request, empty_entities());
}

Explanation PolicyIndex::explain(const Request& request, const Entities& entities) const {
  Explanation out;
  const std::vector<uint32_t> matched = match_atoms(request, entities);
  for (const uint32_t a : matched) out.matched.push_back(atoms_[a]);
  out.always = always_;
  out.candidates = select(matched);
  return out;
}

std::string to_text(const Explanation& explanation, const PolicyIndex& index,
                    const ir::PolicySet& set) {
  std::string out;
  for (const Atom& atom : explanation.matched) out += "matched: " + dump(atom) + "\n";
  if (explanation.matched.empty()) out += "matched: nothing\n";
  for (const uint32_t p : explanation.candidates) {
    const bool always = std::binary_search(explanation.always.begin(), explanation.always.end(), p);
    out += "candidate: " + set.policies[p].id() + (always ? " (always)" : "") + " " +
           dump(index.prefilter(p)) + "\n";
  }
  out += std::to_string(explanation.candidates.size()) + " of " +
         std::to_string(index.policy_count()) + " policies are candidates\n";
  return out;
}

}  // namespace vectimus::index
