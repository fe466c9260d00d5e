#include "index/aho_corasick.hpp"

#include <algorithm>

#include "index/columns.hpp"

namespace vectimus::index {

namespace {

// The edge among [begin, end) labelled `byte`, plus one (the state it leads to), or kNone: the
// per-byte hot path of scan(). Edge bytes are sorted and distinct.
inline uint32_t find_edge(const uint8_t* edge_byte, uint32_t begin, uint32_t end, uint8_t byte) {
  const uint32_t count = end - begin;
  if (count > 8) {
    const uint8_t* const last = edge_byte + end;
    const uint8_t* const it = std::lower_bound(edge_byte + begin, last, byte);
    return it != last && *it == byte ? static_cast<uint32_t>(it - edge_byte) + 1
                                     : AhoCorasick::kNone;
  }
  // Sorted: the search ends at the first byte not below `byte`, which cuts a miss short (most
  // lookups miss and follow a failure link).
  for (uint32_t e = begin; e < end; ++e) {
    if (edge_byte[e] >= byte) return edge_byte[e] == byte ? e + 1 : AhoCorasick::kNone;
  }
  return AhoCorasick::kNone;
}

}  // namespace

uint32_t AhoCorasick::add(std::string_view pattern) {
  if (pattern.empty() || compiled_) return kNone;
  add_root();
  uint32_t state = 0;
  for (const char ch : pattern) {
    const auto byte = static_cast<uint8_t>(ch);
    auto& edges = build_edges_[state];
    auto it = std::lower_bound(edges.begin(), edges.end(), std::pair<uint8_t, uint32_t>{byte, 0},
                               [](const auto& a, const auto& b) { return a.first < b.first; });
    if (it != edges.end() && it->first == byte) {
      state = it->second;
      continue;
    }
    const auto next = static_cast<uint32_t>(build_edges_.size());
    edges.insert(it, {byte, next});
    build_edges_.emplace_back();
    build_output_.push_back(kNone);
    state = next;
  }
  if (build_output_[state] == kNone) {
    build_output_[state] = static_cast<uint32_t>(pattern_length_.size());
    pattern_length_.push_back(static_cast<uint32_t>(pattern.size()));
  }
  return build_output_[state];
}

void AhoCorasick::compile() {
  if (compiled_) return;
  // Breadth-first numbering, children in byte order: state `order[s]` of the build-time trie
  // becomes state s, and the children of one state get consecutive numbers.
  add_root();
  const size_t n = build_edges_.size();
  std::vector<uint32_t> order = {0};
  order.reserve(n);
  std::vector<uint32_t> edge_begin(n + 1, 0);
  std::vector<uint8_t> edge_byte(n - 1, 0);
  for (size_t s = 0; s < n; ++s) {
    const auto& edges = build_edges_[order[s]];
    edge_begin[s + 1] = edge_begin[s] + static_cast<uint32_t>(edges.size());
    for (const auto& [byte, target] : edges) {
      edge_byte[order.size() - 1] = byte;
      order.push_back(target);
    }
  }
  std::vector<uint32_t> output(n);
  for (size_t s = 0; s < n; ++s) output[s] = build_output_[order[s]];
  edge_begin_ = std::move(edge_begin);
  edge_byte_ = std::move(edge_byte);
  root_next_.fill(0);
  for (uint32_t i = edge_begin_[0]; i < edge_begin_[1]; ++i) root_next_[edge_byte_[i]] = i + 1;

  // A state's failure link is the longest proper suffix of its string that is also a trie
  // state; its dictionary link the nearest such suffix that ends a pattern. Both are shorter, so
  // numbered earlier: in increasing order, a state's links are known before its children's.
  std::vector<uint32_t> fail(n, 0);
  std::vector<uint32_t> dict(n, kNone);
  compiled_ = true;  // child() and the root table are usable from here on
  for (uint32_t s = 0; s < n; ++s) {
    for (uint32_t i = edge_begin_[s]; i < edge_begin_[s + 1]; ++i) {
      const uint32_t target = i + 1;
      uint32_t next = 0;
      if (s != 0) {
        uint32_t f = fail[s];
        while (true) {
          next = f == 0 ? root_next_[edge_byte_[i]] : child(f, edge_byte_[i]);
          if (next != kNone || f == 0) break;
          f = fail[f];
        }
      }
      fail[target] = next;
      dict[target] = output[next] != kNone ? next : dict[next];
    }
  }
  fail_ = std::move(fail);
  dict_ = std::move(dict);
  output_ = std::move(output);
  build_edges_.clear();
  build_edges_.shrink_to_fit();
  build_output_.clear();
  build_output_.shrink_to_fit();
}

void AhoCorasick::add_root() {
  if (!build_edges_.empty()) return;
  build_edges_.emplace_back();
  build_output_.push_back(kNone);
}

uint32_t AhoCorasick::child(uint32_t state, uint8_t byte) const {
  return find_edge(edge_byte_.data(), edge_begin_[state], edge_begin_[state + 1], byte);
}

void AhoCorasick::serialize(ir::Writer& w) const {
  w.u64(fail_.size());
  columns::put(w, edge_begin_);
  columns::put(w, edge_byte_);
  columns::put(w, fail_);
  columns::put(w, dict_);
  columns::put(w, output_);
  columns::put(w, pattern_length_);
}

AhoCorasick AhoCorasick::deserialize(ir::Reader& r) {
  return load(r, true);
}

AhoCorasick AhoCorasick::view(ir::Reader& r) {
  return load(r, false);
}

// deserialize() when `copy`, else view(): the same reads and structural checks, and the
// element checks only when copying.
AhoCorasick AhoCorasick::load(ir::Reader& r, bool copy) {
  AhoCorasick m;
  m.compiled_ = true;
  // A state takes at least 17 bytes (edge start, edge byte, failure and dictionary links,
  // output).
  const uint32_t n = r.count(17);
  if (r.ok() && n == 0) r.fail("a matcher has no root state");
  columns::get(r, m.edge_begin_, copy);
  columns::get(r, m.edge_byte_, copy);
  columns::get(r, m.fail_, copy);
  columns::get(r, m.dict_, copy);
  columns::get(r, m.output_, copy);
  columns::get(r, m.pattern_length_, copy);
  const uint64_t edges = uint64_t{n} - 1;
  if (copy) {
    columns::offsets(r, m.edge_begin_, n, edges, "matcher edges");
  } else {
    columns::covers(r, m.edge_begin_, n, edges, "matcher edges");
  }
  columns::sized(r, m.edge_byte_.size(), edges, "the matcher's edge bytes");
  columns::sized(r, m.fail_.size(), n, "the matcher's failure links");
  columns::sized(r, m.dict_.size(), n, "the matcher's dictionary links");
  columns::sized(r, m.output_.size(), n, "the matcher's outputs");
  if (copy) {
    columns::below(r, m.output_, m.pattern_length_.size(), "a state's output", "patterns", true);
    // Links must lead to a smaller state (breadth-first numbering), which bounds every walk. The
    // root's failure link is never followed.
    if (r.ok() &&
        (!columns::descending(m.fail_, 1, false) || !columns::descending(m.dict_, 0, true))) {
      r.fail("a matcher's link does not lead towards its root");
    }
  }
  // The root's edges index edge_byte_ below (O(1) to check, so a view checks it too).
  if (r.ok() && m.edge_begin_[1] > edges) r.fail("the matcher's root has too many edges");
  if (!r.ok()) return AhoCorasick{};
  for (uint32_t i = m.edge_begin_[0]; i < m.edge_begin_[1]; ++i)
    m.root_next_[m.edge_byte_[i]] = i + 1;
  return m;
}

void AhoCorasick::scan(std::string_view text, Hits& hits) const {
  std::vector<uint64_t> seen;
  scan(text, hits, seen);
}

void AhoCorasick::scan(std::string_view text, Hits& hits, std::vector<uint64_t>& seen) const {
  if (!compiled_ || pattern_length_.empty()) return;
  // `seen` lets the output walk stop early: when a pattern was found before, every pattern on
  // its output chain (its suffixes) was found at that same earlier position, and so was any
  // prefix fact (a pattern can only be a prefix at its first occurrence). At the last byte the
  // walk goes on regardless, since suffix facts are new there.
  const size_t words = (pattern_length_.size() + 63) / 64;
  if (seen.size() < words) seen.resize(words, 0);
  const size_t found_before = hits.found.size();
  // Raw pointers: the loop below stores into `hits`, after which the compiler would otherwise
  // reload every column's span from `this`.
  const uint32_t* const edge_begin = edge_begin_.data();
  const uint8_t* const edge_byte = edge_byte_.data();
  const uint32_t* const fail = fail_.data();
  const uint32_t* const output = output_.data();
  const uint32_t* const dict = dict_.data();
  const uint32_t* const length = pattern_length_.data();
  uint64_t* const bits = seen.data();
  uint32_t state = 0;
  uint32_t walked = kNone;  // where the last output walk started
  const size_t n = text.size();
  for (size_t i = 0; i < n; ++i) {
    const auto byte = static_cast<uint8_t>(text[i]);
    // The transition (child(), inlined: this is the per-byte hot path).
    while (state != 0) {
      const uint32_t next = find_edge(edge_byte, edge_begin[state], edge_begin[state + 1], byte);
      if (next != kNone) {
        state = next;
        break;
      }
      state = fail[state];
    }
    if (state == 0) state = root_next_[byte];
    uint32_t s = output[state] != kNone ? state : dict[state];
    if (s == kNone) continue;  // most bytes end no pattern
    const size_t end = i + 1;
    const bool last = end == n;
    // The walk starts where an earlier one did (a run of one byte repeats the same state): its
    // first pattern was seen, so the walk would stop at once, but at the last byte.
    if (s == walked && !last) continue;
    walked = s;
    for (; s != kNone; s = dict[s]) {
      const uint32_t p = output[s];
      uint64_t& word = bits[p / 64];
      const uint64_t bit = uint64_t{1} << (p % 64);
      if ((word & bit) == 0) {
        word |= bit;
        hits.found.push_back(p);
        if (end == length[p]) hits.prefix.push_back(p);
      } else if (!last) {
        break;
      }
      if (last) hits.suffix.push_back(p);
    }
  }
  // Every bit set above belongs to a pattern appended to `found`.
  for (size_t k = found_before; k < hits.found.size(); ++k) bits[hits.found[k] / 64] = 0;
}

}  // namespace vectimus::index
