#include "index/policy_index.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <string_view>
#include <tuple>

#include "index/columns.hpp"
#include "ir/serialize.hpp"

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

void push_hits(const std::vector<uint32_t>& patterns, const Column<uint32_t>& atom_of,
               std::vector<uint32_t>& matched) {
  for (const uint32_t p : patterns) {
    if (atom_of[p] != kNone) matched.push_back(atom_of[p]);
  }
}

const Entities& empty_entities() {
  static const Entities store;
  return store;
}

constexpr std::string_view kMagic = "VECTIMUS-INDEX\n";
// Prefilter trees are checked for depth before holds() recurses through them. A parsed policy
// stays far below (expressions nest at most limits::kMaxExpressionDepth deep, and node_budget
// bounds a tree); the bound keeps a corrupted tree from exhausting the stack.
constexpr uint32_t kMaxTreeDepth = 8192;

Diagnostic corrupt(const std::string& why, size_t offset) {
  return make_error(
      "serialized",
      "the compiled rule index is unusable: " + why + " (at byte " + std::to_string(offset) + ")",
      std::nullopt,
      "rebuild vectimus; the rule index of the built-in packs is compiled at build time");
}

}  // namespace

uint32_t PolicyIndex::intern(const Atom& atom, std::map<Atom, uint32_t>& ids,
                             std::vector<Atom>& atoms) {
  auto [it, inserted] = ids.try_emplace(atom, static_cast<uint32_t>(atoms.size()));
  if (inserted) atoms.push_back(atom);
  return it->second;
}

uint32_t PolicyIndex::flatten(const Prefilter& p, std::map<Atom, uint32_t>& ids,
                              std::vector<Atom>& atoms) {
  const uint32_t atom = p.kind == PKind::atom ? intern(p.atom, ids, atoms) : 0;
  std::vector<uint32_t> kids;
  for (const Prefilter& child : p.children) kids.push_back(flatten(child, ids, atoms));
  node_first_.push_back(p.kind == PKind::atom ? atom : static_cast<uint32_t>(children_.size()));
  children_.append(kids);
  node_last_.push_back(static_cast<uint32_t>(children_.size()));
  node_kind_.push_back(static_cast<uint8_t>(p.kind));
  return static_cast<uint32_t>(node_kind_.size() - 1);
}

PolicyIndex PolicyIndex::build(const ir::PolicySet& set, const IndexOptions& options) {
  PolicyIndex index;
  index.options_ = options;
  std::map<Atom, uint32_t> ids;
  std::vector<Atom> atoms;
  std::vector<std::vector<uint32_t>> triggered;  // per atom
  const auto n = static_cast<uint32_t>(set.policies.size());

  // Phase 1: prefilters, interned atoms, flat trees, triggers.
  for (uint32_t i = 0; i < n; ++i) {
    const Prefilter p = compute_prefilter(set.policies[i], options.prefilter);
    index.roots_.push_back(index.flatten(p, ids, atoms));
    triggered.resize(atoms.size());
    if (p.kind == PKind::all) {
      index.always_.push_back(i);
    } else if (p.kind != PKind::none) {
      uint64_t cost = 0;
      std::vector<uint32_t> trigger_atoms;
      for (const Atom* a : triggers(p, cost)) trigger_atoms.push_back(ids.at(*a));
      std::sort(trigger_atoms.begin(), trigger_atoms.end());
      trigger_atoms.erase(std::unique(trigger_atoms.begin(), trigger_atoms.end()),
                          trigger_atoms.end());
      for (const uint32_t a : trigger_atoms) triggered[a].push_back(i);
    }
  }
  index.trigger_begin_.push_back(0);
  for (const auto& list : triggered) {
    index.trigger_policies_.append(list);
    index.trigger_begin_.push_back(static_cast<uint32_t>(index.trigger_policies_.size()));
  }

  // Phase 2: atoms as columns over a string pool and a path table, both deduplicated.
  std::map<std::string, uint32_t, std::less<>> string_ids;
  auto string_id = [&](std::string_view text) {
    auto [it, inserted] = string_ids.try_emplace(std::string(text), string_ids.size());
    if (inserted) {
      index.strings_.append(text);
      index.string_begin_.push_back(static_cast<uint32_t>(index.strings_.size()));
    }
    return it->second;
  };
  std::map<AttrPath, uint32_t> path_ids;
  auto path_id = [&](const AttrPath& path) {
    auto [it, inserted] = path_ids.try_emplace(path, index.path_root_.size());
    if (inserted) {
      index.path_root_.push_back(static_cast<uint8_t>(path.root));
      for (const std::string& key : path.keys) index.path_keys_.push_back(string_id(key));
      index.path_key_begin_.push_back(static_cast<uint32_t>(index.path_keys_.size()));
    }
    return it->second;
  };
  string_id("");
  for (const Atom& atom : atoms) {
    index.atom_kind_.push_back(static_cast<uint8_t>(atom.kind));
    index.atom_path_.push_back(path_id(atom.path));
    index.atom_bytes_.push_back(string_id(atom.bytes));
    index.atom_type_.push_back(string_id(atom.uid.type));
    index.atom_id_.push_back(string_id(atom.uid.id));
  }

  // Phase 3: lookup structures per string path and per scope variable, built as vectors and
  // then frozen into the index's columns.
  struct PathBuild {
    uint32_t path = 0;
    AhoCorasick matcher;
    std::vector<uint32_t> contains;
    std::vector<uint32_t> prefix;
    std::vector<uint32_t> suffix;
    std::vector<uint32_t> equals;
  };
  struct ScopeBuild {
    std::vector<uint32_t> eq;
    std::vector<uint32_t> in;
    std::vector<uint32_t> is;
  };
  std::vector<PathBuild> paths;
  ScopeBuild scopes[3];
  std::map<uint32_t, size_t> path_slot;  // path id -> paths index
  for (uint32_t id = 0; id < atoms.size(); ++id) {
    const Atom& atom = atoms[id];
    if (is_scope(atom.kind)) {
      ScopeBuild& scope = scopes[static_cast<size_t>(atom.path.root)];
      if (atom.kind == AtomKind::scope_eq) scope.eq.push_back(id);
      if (atom.kind == AtomKind::scope_in) scope.in.push_back(id);
      if (atom.kind == AtomKind::scope_is) scope.is.push_back(id);
      continue;
    }
    auto [slot, inserted] = path_slot.try_emplace(index.atom_path_[id], paths.size());
    if (inserted) paths.push_back(PathBuild{index.atom_path_[id], {}, {}, {}, {}, {}});
    PathBuild& path = paths[slot->second];
    if (atom.kind == AtomKind::equals) {
      path.equals.push_back(id);
      continue;
    }
    const uint32_t pattern = path.matcher.add(atom.bytes);
    if (pattern == kNone) continue;  // empty: cannot happen past the minimum length
    // Grow only: an atom may reuse an earlier pattern (a prefix and a suffix of the same bytes),
    // and shrinking would drop the slots of the patterns added since.
    if (path.contains.size() <= pattern) {
      for (auto* list : {&path.contains, &path.prefix, &path.suffix})
        list->resize(pattern + 1, kNone);
    }
    auto& slot_of = atom.kind == AtomKind::contains ? path.contains
                    : atom.kind == AtomKind::prefix ? path.prefix
                                                    : path.suffix;
    slot_of[pattern] = id;
  }
  const auto by_bytes = [&](uint32_t a, uint32_t b) {
    return index.str(index.atom_bytes_[a]) < index.str(index.atom_bytes_[b]);
  };
  const auto by_uid = [&](uint32_t a, uint32_t b) {
    return std::tuple(index.str(index.atom_type_[a]), index.str(index.atom_id_[a])) <
           std::tuple(index.str(index.atom_type_[b]), index.str(index.atom_id_[b]));
  };
  for (PathBuild& path : paths) {
    path.matcher.compile();
    std::sort(path.equals.begin(), path.equals.end(), by_bytes);
    index.paths_.push_back(PathAtoms{
        path.path, std::move(path.matcher), Column<uint32_t>(std::move(path.contains)),
        Column<uint32_t>(std::move(path.prefix)), Column<uint32_t>(std::move(path.suffix)),
        Column<uint32_t>(std::move(path.equals))});
  }
  for (size_t v = 0; v < 3; ++v) {
    ScopeBuild& scope = scopes[v];
    std::sort(scope.eq.begin(), scope.eq.end(), by_uid);
    std::sort(scope.in.begin(), scope.in.end(), by_uid);
    std::sort(scope.is.begin(), scope.is.end(), by_bytes);
    index.scope_[v] =
        ScopeAtoms{Column<uint32_t>(std::move(scope.eq)), Column<uint32_t>(std::move(scope.in)),
                   Column<uint32_t>(std::move(scope.is))};
  }
  return index;
}

Atom PolicyIndex::atom(uint32_t id) const {
  Atom atom;
  atom.kind = static_cast<AtomKind>(atom_kind_[id]);
  const uint32_t path = atom_path_[id];
  atom.path.root = static_cast<ir::Var>(path_root_[path]);
  for (uint32_t k = path_key_begin_[path]; k < path_key_begin_[path + 1]; ++k) {
    atom.path.keys.emplace_back(str(path_keys_[k]));
  }
  atom.bytes = str(atom_bytes_[id]);
  atom.uid.type = str(atom_type_[id]);
  atom.uid.id = str(atom_id_[id]);
  return atom;
}

// The value at `path` for this request, or nullptr where evaluating the path would fail
// (missing attribute, absent entity, access on a value that is neither record nor entity):
// exactly when Cedar's `get_attr` chain errors, so a string atom on it cannot hold.
const Value* PolicyIndex::resolve(uint32_t path, const Request& request,
                                  const Entities& entities) const {
  const Value* value = nullptr;
  const ir::EntityUid* entity = nullptr;
  switch (static_cast<ir::Var>(path_root_[path])) {
    case ir::Var::context: value = &request.context; break;
    case ir::Var::principal: entity = &request.principal; break;
    case ir::Var::action: entity = &request.action; break;
    case ir::Var::resource: entity = &request.resource; break;
  }
  for (uint32_t k = path_key_begin_[path]; k < path_key_begin_[path + 1]; ++k) {
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
    value = record->field(str(path_keys_[k]));
    if (value == nullptr) return nullptr;
  }
  return value;
}

std::vector<uint32_t> PolicyIndex::match_atoms(const Request& request,
                                               const Entities& entities) const {
  std::vector<uint32_t> matched;
  // Binary searches over the sorted atom columns; each pushes the atom found, if any.
  const auto find_bytes = [&](const Column<uint32_t>& table, std::string_view bytes) {
    const auto it =
        std::lower_bound(table.begin(), table.end(), bytes,
                         [&](uint32_t a, std::string_view b) { return str(atom_bytes_[a]) < b; });
    if (it != table.end() && str(atom_bytes_[*it]) == bytes) matched.push_back(*it);
  };
  const auto find_uid = [&](const Column<uint32_t>& table, const ir::EntityUid& uid) {
    const auto key = [&](uint32_t a) { return std::pair(str(atom_type_[a]), str(atom_id_[a])); };
    const std::pair<std::string_view, std::string_view> wanted(uid.type, uid.id);
    const auto it = std::lower_bound(table.begin(), table.end(), wanted,
                                     [&](uint32_t a, const auto& w) { return key(a) < w; });
    if (it != table.end() && key(*it) == wanted) matched.push_back(*it);
  };
  const ir::EntityUid* uids[3] = {&request.principal, &request.action, &request.resource};
  for (size_t v = 0; v < 3; ++v) {
    const ScopeAtoms& scope = scope_[v];
    const ir::EntityUid& uid = *uids[v];
    if (!scope.eq.empty()) find_uid(scope.eq, uid);
    if (!scope.is.empty()) find_bytes(scope.is, uid.type);
    if (scope.in.empty()) continue;
    find_uid(scope.in, uid);
    if (const interpreter::Entity* e = entities.find(uid)) {
      for (const ir::EntityUid& ancestor : e->ancestors) find_uid(scope.in, ancestor);
    }
  }
  AhoCorasick::Hits hits;
  for (const PathAtoms& path : paths_) {
    const Value* value = resolve(path.path, request, entities);
    if (value == nullptr || value->kind() != Kind::string) continue;
    const std::string& text = value->as_string();
    if (!path.equals.empty()) find_bytes(path.equals, text);
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
  const uint32_t first = node_first_[node];
  const uint32_t last = node_last_[node];
  switch (static_cast<PKind>(node_kind_[node])) {
    case PKind::all: return true;
    case PKind::none: return false;
    case PKind::atom: return std::binary_search(matched.begin(), matched.end(), first);
    case PKind::and_:
      for (uint32_t i = first; i < last; ++i) {
        if (!holds(children_[i], matched)) return false;
      }
      return true;
    case PKind::or_:
      for (uint32_t i = first; i < last; ++i) {
        if (holds(children_[i], matched)) return true;
      }
      return false;
  }
  return true;
}

std::vector<uint32_t> PolicyIndex::select(const std::vector<uint32_t>& matched) const {
  std::vector<uint32_t> out = always_.to_vector();
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
  for (const uint32_t a : matched) out.matched.push_back(atom(a));
  out.always = always_.to_vector();
  out.candidates = select(matched);
  return out;
}

std::string PolicyIndex::serialize() const {
  namespace col = columns;
  ir::Writer w;
  w.raw(kMagic);
  w.u64(kIndexFormatVersion);
  w.u64(roots_.size());
  w.u64(options_.prefilter.min_atom_length);
  w.u64(options_.prefilter.node_budget);
  w.str(std::string_view(strings_.data(), strings_.size()));
  col::put(w, string_begin_);
  col::put(w, path_root_);
  col::put(w, path_key_begin_);
  col::put(w, path_keys_);
  col::put(w, atom_kind_);
  col::put(w, atom_path_);
  col::put(w, atom_bytes_);
  col::put(w, atom_type_);
  col::put(w, atom_id_);
  col::put(w, node_kind_);
  col::put(w, node_first_);
  col::put(w, node_last_);
  col::put(w, children_);
  col::put(w, roots_);
  col::put(w, trigger_begin_);
  col::put(w, trigger_policies_);
  col::put(w, always_);
  w.u64(paths_.size());
  for (const PathAtoms& path : paths_) {
    w.u64(path.path);
    path.matcher.serialize(w);
    col::put(w, path.contains);
    col::put(w, path.prefix);
    col::put(w, path.suffix);
    col::put(w, path.equals);
  }
  for (const ScopeAtoms& scope : scope_) {
    col::put(w, scope.eq);
    col::put(w, scope.in);
    col::put(w, scope.is);
  }
  return std::move(w.bytes());
}

Result<PolicyIndex> PolicyIndex::deserialize(std::string_view bytes, size_t policy_count) {
  return load(bytes, policy_count, true);
}

Result<PolicyIndex> PolicyIndex::view(std::string_view bytes, size_t policy_count) {
  // In place needs the blob's byte order and 4-byte columns at aligned addresses (the writer
  // aligns them relative to the blob's start); anything else is still loadable by copying.
  const bool in_place = std::endian::native == std::endian::little &&
                        reinterpret_cast<uintptr_t>(bytes.data()) % alignof(uint32_t) == 0;
  return load(bytes, policy_count, !in_place);
}

// Both loaders in one, so that they read the same format and check the same structure: `copy`
// (deserialize) copies every column and checks every element, view checks the O(1)-per-column
// facts only (see the header).
Result<PolicyIndex> PolicyIndex::load(std::string_view bytes, size_t policy_count, bool copy) {
  namespace col = columns;
  ir::Reader r(bytes);
  if (r.raw(kMagic.size()) != kMagic) {
    return corrupt("it does not start with the rule index's magic", 0);
  }
  if (const uint64_t version = r.u64(); r.ok() && version != kIndexFormatVersion) {
    return corrupt("format version " + std::to_string(version) + ", expected " +
                       std::to_string(kIndexFormatVersion),
                   r.offset());
  }
  if (const uint64_t count = r.u64(); r.ok() && count != policy_count) {
    return corrupt("it was built for " + std::to_string(count) + " policies, not " +
                       std::to_string(policy_count),
                   r.offset());
  }
  // Range tables: whole (ascending) when copying, their ends only when viewing.
  const auto ranges = [&](std::span<const uint32_t> offsets, uint64_t count, uint64_t end,
                          const char* what) {
    if (copy) {
      col::offsets(r, offsets, count, end, what);
    } else {
      col::covers(r, offsets, count, end, what);
    }
  };
  PolicyIndex x;
  x.options_.prefilter.min_atom_length = r.u64();
  x.options_.prefilter.node_budget = r.u64();

  // Strings and paths.
  col::get(r, x.strings_, copy);
  col::get(r, x.string_begin_, copy);
  const uint64_t strings = x.string_begin_.empty() ? 0 : x.string_begin_.size() - 1;
  ranges(x.string_begin_, strings, x.strings_.size(), "the strings");
  col::get(r, x.path_root_, copy);
  col::get(r, x.path_key_begin_, copy);
  col::get(r, x.path_keys_, copy);
  const uint64_t paths = x.path_root_.size();
  ranges(x.path_key_begin_, paths, x.path_keys_.size(), "the attribute paths' keys");
  if (copy) {
    col::below(r, x.path_root_, 4, "an attribute path");
    col::below(r, x.path_keys_, strings, "a path key", "strings");
  }

  // Atoms.
  col::get(r, x.atom_kind_, copy);
  col::get(r, x.atom_path_, copy);
  col::get(r, x.atom_bytes_, copy);
  col::get(r, x.atom_type_, copy);
  col::get(r, x.atom_id_, copy);
  const uint64_t atoms = x.atom_kind_.size();
  col::sized(r, x.atom_path_.size(), atoms, "the atoms' paths");
  col::sized(r, x.atom_bytes_.size(), atoms, "the atoms' strings");
  col::sized(r, x.atom_type_.size(), atoms, "the atoms' entity types");
  col::sized(r, x.atom_id_.size(), atoms, "the atoms' entity ids");
  if (copy) {
    col::below(r, x.atom_kind_, static_cast<uint32_t>(AtomKind::scope_is) + 1, "an atom");
    col::below(r, x.atom_path_, paths, "an atom's path", "paths");
    col::below(r, x.atom_bytes_, strings, "an atom's string", "strings");
    col::below(r, x.atom_type_, strings, "an atom's entity type", "strings");
    col::below(r, x.atom_id_, strings, "an atom's entity id", "strings");
  }

  // Prefilter trees: a node's children come before it (so no cycle), and no tree is deeper
  // than kMaxTreeDepth (so holds() cannot exhaust the stack).
  col::get(r, x.node_kind_, copy);
  col::get(r, x.node_first_, copy);
  col::get(r, x.node_last_, copy);
  col::get(r, x.children_, copy);
  col::get(r, x.roots_, copy);
  const uint64_t nodes = x.node_kind_.size();
  col::sized(r, x.node_first_.size(), nodes, "the prefilter nodes' starts");
  col::sized(r, x.node_last_.size(), nodes, "the prefilter nodes' ends");
  col::sized(r, x.roots_.size(), policy_count, "the prefilter roots");
  if (copy) {
    col::below(r, x.node_kind_, static_cast<uint32_t>(PKind::or_) + 1, "a prefilter node");
    col::below(r, x.roots_, nodes, "a prefilter root", "nodes");
  }
  if (copy && r.ok()) {
    std::vector<uint32_t> depth(nodes, 1);
    for (uint32_t i = 0; i < nodes && r.ok(); ++i) {
      const auto kind = static_cast<PKind>(x.node_kind_[i]);
      const uint32_t first = x.node_first_[i];
      const uint32_t last = x.node_last_[i];
      if (kind == PKind::atom && first >= atoms) {
        r.fail("prefilter node " + std::to_string(i) + " refers to atom " + std::to_string(first) +
               ", but there are only " + std::to_string(atoms));
      }
      if (kind != PKind::and_ && kind != PKind::or_) continue;
      if (first > last || last > x.children_.size()) {
        r.fail("the children of prefilter node " + std::to_string(i) + " are out of range");
        break;
      }
      for (uint32_t c = first; c < last; ++c) {
        const uint32_t child = x.children_[c];
        if (child >= i) {
          r.fail("prefilter node " + std::to_string(i) + " has node " + std::to_string(child) +
                 " as a child, which does not come before it");
          break;
        }
        depth[i] = std::max(depth[i], depth[child] + 1);
      }
      if (depth[i] > kMaxTreeDepth) {
        r.fail("prefilter node " + std::to_string(i) + " is nested deeper than " +
               std::to_string(kMaxTreeDepth));
      }
    }
  }

  // Triggers.
  col::get(r, x.trigger_begin_, copy);
  col::get(r, x.trigger_policies_, copy);
  col::get(r, x.always_, copy);
  ranges(x.trigger_begin_, atoms, x.trigger_policies_.size(), "the triggers");
  if (copy) {
    col::below(r, x.trigger_policies_, policy_count, "a trigger", "policies");
    col::below(r, x.always_, policy_count, "an always-candidate", "policies");
  }

  // String paths: a matcher and four columns each, at least 8 bytes.
  x.paths_.resize(r.count(8));
  for (PathAtoms& path : x.paths_) {
    if (!r.ok()) break;
    path.path = r.u32();
    if (r.ok() && path.path >= paths) {
      r.fail("a string matcher refers to path " + std::to_string(path.path) +
             ", but there are only " + std::to_string(paths));
    }
    path.matcher = copy ? AhoCorasick::deserialize(r) : AhoCorasick::view(r);
    col::get(r, path.contains, copy);
    col::get(r, path.prefix, copy);
    col::get(r, path.suffix, copy);
    col::get(r, path.equals, copy);
    const size_t patterns = path.matcher.pattern_count();
    col::sized(r, path.contains.size(), patterns, "a matcher's substring atoms");
    col::sized(r, path.prefix.size(), patterns, "a matcher's prefix atoms");
    col::sized(r, path.suffix.size(), patterns, "a matcher's suffix atoms");
    if (copy) {
      col::below(r, path.contains, atoms, "a substring atom", "atoms", true);
      col::below(r, path.prefix, atoms, "a prefix atom", "atoms", true);
      col::below(r, path.suffix, atoms, "a suffix atom", "atoms", true);
      col::below(r, path.equals, atoms, "an exact-value atom", "atoms");
    }
  }
  for (ScopeAtoms& scope : x.scope_) {
    col::get(r, scope.eq, copy);
    col::get(r, scope.in, copy);
    col::get(r, scope.is, copy);
    if (copy) {
      col::below(r, scope.eq, atoms, "a scope `==` atom", "atoms");
      col::below(r, scope.in, atoms, "a scope `in` atom", "atoms");
      col::below(r, scope.is, atoms, "a scope `is` atom", "atoms");
    }
  }
  if (r.ok() && !r.at_end()) r.fail("there are bytes after the index");
  if (!r.ok()) return corrupt(r.error(), r.offset());
  return x;
}

std::string to_text(const Explanation& explanation, const PolicyIndex& index,
                    const ir::PolicySet& set) {
  std::string out;
  for (const Atom& atom : explanation.matched) out += "matched: " + dump(atom) + "\n";
  if (explanation.matched.empty()) out += "matched: nothing\n";
  for (const uint32_t p : explanation.candidates) {
    const bool always = std::binary_search(explanation.always.begin(), explanation.always.end(), p);
    out += "candidate: " + set.policies[p].id() + (always ? " (always)" : "") + " " +
           dump(compute_prefilter(set.policies[p], index.options().prefilter)) + "\n";
  }
  out += std::to_string(explanation.candidates.size()) + " of " +
         std::to_string(index.policy_count()) + " policies are candidates\n";
  return out;
}

}  // namespace vectimus::index
