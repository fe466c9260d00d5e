#include "index/policy_index.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string_view>
#include <tuple>
#include <vector>

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

size_t words_for(size_t bits) {
  return (bits + 63) / 64;
}

bool test_bit(const uint64_t* bits, uint32_t i) {
  return (bits[i / 64] >> (i % 64)) & 1;
}

// std::string_view's `<` (bytes compared as unsigned char), byte by byte: the strings a request
// is looked up with are short and mostly differ early, where the library's call to memcmp costs
// more than the comparison.
bool less_bytes(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(a[i]);
    const auto y = static_cast<unsigned char>(b[i]);
    if (x != y) return x < y;
  }
  return a.size() < b.size();
}

// std::string_view's `==`, with the sizes compared inline: most comparisons end there, and
// memcmp is called only for strings of the same size (std::string_view::compare is a call at
// -O2, and calls memcmp even when the sizes differ).
bool same_bytes(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

// Value::field, searching a small record linearly: requests carry records of a few fields, where
// comparing lengths first rejects almost every field at once and costs less than the binary
// search's string comparisons. The fields are unique, so the result is the same.
const Value* field(const Value& record, std::string_view key) {
  const interpreter::RecordFields& fields = record.as_record();
  if (fields.size() > 8) return record.field(key);
  for (const auto& [name, value] : fields) {
    if (same_bytes(name, key)) return &value;
  }
  return nullptr;
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
    std::vector<uint32_t> elements;
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
    if (inserted) paths.push_back(PathBuild{index.atom_path_[id], {}, {}, {}, {}, {}, {}});
    PathBuild& path = paths[slot->second];
    if (atom.kind == AtomKind::equals) {
      path.equals.push_back(id);
      continue;
    }
    if (atom.kind == AtomKind::element) {
      path.elements.push_back(id);
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
    std::sort(path.elements.begin(), path.elements.end(), by_bytes);
    index.paths_.push_back(PathAtoms{
        path.path, std::move(path.matcher), Column<uint32_t>(std::move(path.contains)),
        Column<uint32_t>(std::move(path.prefix)), Column<uint32_t>(std::move(path.suffix)),
        Column<uint32_t>(std::move(path.equals)), Column<uint32_t>(std::move(path.elements))});
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
  index.order_paths();
  return index;
}

void PolicyIndex::order_paths() {
  context_paths_.clear();
  other_paths_.clear();
  for (uint32_t i = 0; i < paths_.size(); ++i) {
    const uint32_t p = paths_[i].path;
    if (static_cast<ir::Var>(path_root_[p]) == ir::Var::context &&
        path_key_begin_[p + 1] - path_key_begin_[p] == 1) {
      context_paths_.emplace_back(path_keys_[path_key_begin_[p]], i);
    } else {
      other_paths_.push_back(i);
    }
  }
  std::sort(context_paths_.begin(), context_paths_.end(),
            [&](const auto& a, const auto& b) { return less_bytes(str(a.first), str(b.first)); });
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
// exactly when Cedar's `get_attr` chain errors, so a string or element atom on it cannot hold.
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
    value = field(*record, str(path_keys_[k]));
    if (value == nullptr) return nullptr;
  }
  return value;
}

// What one candidates() call works in. Kept per thread (candidates() is const and may run on
// several threads at once), so that once the buffers have grown to the index's size a call
// allocates nothing but its result: this is the hook's per-request hot path. Between calls every
// bit is clear and the lists are empty, and each call clears only what it set. A call that threw
// (an allocation failed) leaves `dirty` set, and the next call clears everything first.
struct PolicyIndex::Scratch {
  std::vector<uint64_t> atoms;  // bit per atom: it holds for the request
  // The atoms whose bit is set, in the order found: the first `matched_count`. Sized to the
  // atom count, which bounds it (each atom enters once), so adding is a store, not a push_back.
  std::vector<uint32_t> matched;
  size_t matched_count = 0;
  std::vector<uint64_t> policies;  // bit per policy: triggered by a matched atom, or always
  std::vector<uint64_t> seen;      // AhoCorasick::scan's
  AhoCorasick::Hits hits;
  bool dirty = false;
};

void PolicyIndex::match_atoms(const Request& request, const Entities& entities,
                              Scratch& scratch) const {
  uint64_t* const bits = scratch.atoms.data();
  uint32_t* const matched = scratch.matched.data();
  size_t& count = scratch.matched_count;
  // The bit makes each atom enter `matched` once, in whatever order and however often found.
  const auto match = [&](uint32_t atom) {
    uint64_t& word = bits[atom / 64];
    const uint64_t bit = uint64_t{1} << (atom % 64);
    if ((word & bit) != 0) return;
    word |= bit;
    matched[count++] = atom;
  };
  // The string pool read through raw pointers: str() is a call per string at -O2.
  const char* const chars = strings_.data();
  const uint32_t* const string_begin = string_begin_.data();
  const auto text_of = [&](uint32_t id) {
    return std::string_view(chars + string_begin[id], string_begin[id + 1] - string_begin[id]);
  };
  // Binary searches over the sorted atom columns; each matches the atom found, if any.
  const auto find_bytes = [&](const Column<uint32_t>& table, std::string_view bytes) {
    const uint32_t* const atom_bytes = atom_bytes_.data();
    const auto it = std::lower_bound(
        table.begin(), table.end(), bytes,
        [&](uint32_t a, std::string_view b) { return less_bytes(text_of(atom_bytes[a]), b); });
    if (it != table.end() && same_bytes(text_of(atom_bytes[*it]), bytes)) match(*it);
  };
  const auto find_uid = [&](const Column<uint32_t>& table, const ir::EntityUid& uid) {
    const uint32_t* const atom_type = atom_type_.data();
    const uint32_t* const atom_id = atom_id_.data();
    // The table is sorted by (type, id). Usually every atom in it has the same type (the packs'
    // scopes are all `Vectimus::Action`): then the type is compared once and the search
    // compares ids only.
    const uint32_t type = atom_type[table.front()];
    if (type == atom_type[table.back()]) {
      if (!same_bytes(text_of(type), uid.type)) return;
      const auto it = std::lower_bound(
          table.begin(), table.end(), std::string_view(uid.id),
          [&](uint32_t a, std::string_view id) { return less_bytes(text_of(atom_id[a]), id); });
      if (it != table.end() && same_bytes(text_of(atom_id[*it]), uid.id)) match(*it);
      return;
    }
    // Otherwise (type, id) order, comparing each string once (a pair's `<` compares the types
    // twice when they agree).
    const auto compare = [&](uint32_t a) {
      const int c = text_of(atom_type[a]).compare(uid.type);
      return c != 0 ? c : text_of(atom_id[a]).compare(uid.id);
    };
    const auto it = std::lower_bound(table.begin(), table.end(), 0,
                                     [&](uint32_t a, int) { return compare(a) < 0; });
    if (it != table.end() && compare(*it) == 0) match(*it);
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
  AhoCorasick::Hits& hits = scratch.hits;
  const auto match_hits = [&](const std::vector<uint32_t>& patterns,
                              const Column<uint32_t>& atom_of) {
    for (const uint32_t p : patterns) {
      if (atom_of[p] != kNone) match(atom_of[p]);
    }
  };
  const auto scan_path = [&](const PathAtoms& path, const Value* value) {
    if (value == nullptr) return;
    if (value->kind() == Kind::set) {
      // Only a string element can equal an atom's string; a set's elements are sorted by kind
      // first, but they are few, and testing each one's kind keeps this independent of that.
      if (path.elements.empty()) return;
      for (const Value& element : value->as_set()) {
        if (element.kind() == Kind::string) find_bytes(path.elements, element.as_string());
      }
      return;
    }
    if (value->kind() != Kind::string) return;
    const std::string& text = value->as_string();
    if (!path.equals.empty()) find_bytes(path.equals, text);
    if (path.matcher.pattern_count() == 0) return;
    hits.found.clear();
    hits.prefix.clear();
    hits.suffix.clear();
    path.matcher.scan(text, hits, scratch.seen);
    match_hits(hits.found, path.contains);
    match_hits(hits.prefix, path.prefix);
    match_hits(hits.suffix, path.suffix);
  };
  // Most paths are `context.key`: the context record and context_paths_ are both sorted by key
  // (bytes compared unsigned, as std::string's `<` does), so one merge walk finds each value,
  // which is what resolve() gives for them (nullptr where the key is absent).
  if (request.context.kind() == Kind::record) {
    const interpreter::RecordFields& fields = request.context.as_record();
    size_t f = 0;
    for (const auto& [key_id, path] : context_paths_) {
      const std::string_view key = text_of(key_id);
      while (f < fields.size() && less_bytes(fields[f].first, key)) ++f;
      if (f == fields.size()) break;
      if (same_bytes(fields[f].first, key)) scan_path(paths_[path], &fields[f].second);
    }
    for (const uint32_t path : other_paths_) {
      scan_path(paths_[path], resolve(paths_[path].path, request, entities));
    }
  } else {
    for (const PathAtoms& path : paths_) scan_path(path, resolve(path.path, request, entities));
  }
}

bool PolicyIndex::holds(uint32_t node, const uint64_t* matched) const {
  const uint8_t* const kind = node_kind_.data();
  const uint32_t* const first = node_first_.data();
  const uint32_t* const children = children_.data();
  // Most children are atoms (a prefilter is mostly ORs of atoms): they are tested here rather
  // than by a call each, which is most of the cost of a tree.
  const auto child_holds = [&](uint32_t child) {
    return kind[child] == static_cast<uint8_t>(PKind::atom) ? test_bit(matched, first[child])
                                                            : holds(child, matched);
  };
  switch (static_cast<PKind>(kind[node])) {
    case PKind::all: return true;
    case PKind::none: return false;
    case PKind::atom: return test_bit(matched, first[node]);
    case PKind::and_:
      for (uint32_t i = first[node], last = node_last_[node]; i < last; ++i) {
        if (!child_holds(children[i])) return false;
      }
      return true;
    case PKind::or_:
      for (uint32_t i = first[node], last = node_last_[node]; i < last; ++i) {
        if (child_holds(children[i])) return true;
      }
      return false;
  }
  return true;
}

std::vector<uint32_t> PolicyIndex::select(Scratch& scratch) const {
  // The policies triggered by a matched atom, and the always-candidates, as bits: walking the
  // words gives them ascending and once each without a sort. Only the words from `low` to
  // `high` can be set, which keeps the walk short on a large set.
  uint64_t* const bits = scratch.policies.data();
  size_t low = SIZE_MAX;
  size_t high = 0;
  size_t marked = 0;
  const auto mark = [&](std::span<const uint32_t> policies) {
    for (const uint32_t p : policies) {
      uint64_t& word = bits[p / 64];
      const uint64_t bit = uint64_t{1} << (p % 64);
      marked += (word & bit) == 0;
      word |= bit;
      low = std::min<size_t>(low, p / 64);
      high = std::max<size_t>(high, p / 64);
    }
  };
  mark(always_);
  for (size_t i = 0; i < scratch.matched_count; ++i) {
    const uint32_t a = scratch.matched[i];
    mark(trigger_policies_.span().subspan(trigger_begin_[a],
                                          trigger_begin_[a + 1] - trigger_begin_[a]));
  }
  std::vector<uint32_t> out;
  if (low > high) return out;
  out.reserve(marked);
  const uint64_t* const matched = scratch.atoms.data();
  for (size_t w = low; w <= high; ++w) {
    uint64_t word = bits[w];
    bits[w] = 0;
    while (word != 0) {
      const auto p = static_cast<uint32_t>(w * 64 + static_cast<size_t>(std::countr_zero(word)));
      word &= word - 1;
      if (holds(roots_[p], matched)) out.push_back(p);
    }
  }
  return out;
}

std::vector<uint32_t> PolicyIndex::run(const Request& request, const Entities& entities,
                                       std::vector<uint32_t>* matched) const {
  thread_local Scratch scratch;
  if (scratch.dirty) {
    std::fill(scratch.atoms.begin(), scratch.atoms.end(), 0);
    std::fill(scratch.policies.begin(), scratch.policies.end(), 0);
    std::fill(scratch.seen.begin(), scratch.seen.end(), 0);
    scratch.matched_count = 0;
  }
  scratch.dirty = true;
  // Grown to this index's size (another index on this thread may have needed less or more).
  if (scratch.atoms.size() < words_for(atom_count())) {
    scratch.atoms.resize(words_for(atom_count()), 0);
  }
  if (scratch.policies.size() < words_for(policy_count())) {
    scratch.policies.resize(words_for(policy_count()), 0);
  }
  if (scratch.matched.size() < atom_count()) scratch.matched.resize(atom_count());
  match_atoms(request, entities, scratch);
  const auto found = std::span(scratch.matched).first(scratch.matched_count);
  if (matched != nullptr) {
    matched->assign(found.begin(), found.end());
    std::sort(matched->begin(), matched->end());
  }
  std::vector<uint32_t> out = select(scratch);
  for (const uint32_t a : found) scratch.atoms[a / 64] = 0;
  scratch.matched_count = 0;
  scratch.dirty = false;
  return out;
}

std::vector<uint32_t> PolicyIndex::candidates(const Request& request,
                                              const Entities& entities) const {
  return run(request, entities, nullptr);
}

std::vector<uint32_t> PolicyIndex::candidates(const Request& request) const {
  return candidates(request, empty_entities());
}

Explanation PolicyIndex::explain(const Request& request, const Entities& entities) const {
  Explanation out;
  std::vector<uint32_t> matched;
  out.candidates = run(request, entities, &matched);
  for (const uint32_t a : matched) out.matched.push_back(atom(a));
  out.always = always_.to_vector();
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
    col::put(w, path.elements);
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
    col::below(r, x.atom_kind_, static_cast<uint32_t>(AtomKind::element) + 1, "an atom");
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

  // Attribute paths: a matcher and five columns each, at least 8 bytes.
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
    col::get(r, path.elements, copy);
    const size_t patterns = path.matcher.pattern_count();
    col::sized(r, path.contains.size(), patterns, "a matcher's substring atoms");
    col::sized(r, path.prefix.size(), patterns, "a matcher's prefix atoms");
    col::sized(r, path.suffix.size(), patterns, "a matcher's suffix atoms");
    if (copy) {
      col::below(r, path.contains, atoms, "a substring atom", "atoms", true);
      col::below(r, path.prefix, atoms, "a prefix atom", "atoms", true);
      col::below(r, path.suffix, atoms, "a suffix atom", "atoms", true);
      col::below(r, path.equals, atoms, "an exact-value atom", "atoms");
      col::below(r, path.elements, atoms, "a set-element atom", "atoms");
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
  x.order_paths();
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
