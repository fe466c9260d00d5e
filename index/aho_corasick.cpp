#include "index/aho_corasick.hpp"

#include <algorithm>

#include "index/columns.hpp"

namespace vectimus::index {

uint32_t AhoCorasick::add(std::string_view pattern) {
  if (pattern.empty() || compiled_) return kNone;
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
    fail_.push_back(0);
    output_.push_back(kNone);
    state = next;
  }
  if (output_[state] == kNone) {
    output_[state] = static_cast<uint32_t>(pattern_length_.size());
    pattern_length_.push_back(static_cast<uint32_t>(pattern.size()));
  }
  return output_[state];
}

void AhoCorasick::compile() {
  if (compiled_) return;
  // Breadth-first numbering, children in byte order: state `order[s]` of the build-time trie
  // becomes state s, and the children of one state get consecutive numbers.
  const size_t n = build_edges_.size();
  std::vector<uint32_t> order = {0};
  order.reserve(n);
  edge_begin_.assign(n + 1, 0);
  edge_byte_.assign(n - 1, 0);
  for (size_t s = 0; s < n; ++s) {
    const auto& edges = build_edges_[order[s]];
    edge_begin_[s + 1] = edge_begin_[s] + static_cast<uint32_t>(edges.size());
    for (const auto& [byte, target] : edges) {
      edge_byte_[order.size() - 1] = byte;
      order.push_back(target);
    }
  }
  std::vector<uint32_t> output(n);
  for (size_t s = 0; s < n; ++s) output[s] = output_[order[s]];
  output_ = std::move(output);
  root_next_.fill(0);
  for (uint32_t i = edge_begin_[0]; i < edge_begin_[1]; ++i) root_next_[edge_byte_[i]] = i + 1;

  // A state's failure link is the longest proper suffix of its string that is also a trie
  // state; its dictionary link the nearest such suffix that ends a pattern. Both are shorter, so
  // numbered earlier: in increasing order, a state's links are known before its children's.
  fail_.assign(n, 0);
  dict_.assign(n, kNone);
  compiled_ = true;  // child() and the root table are usable from here on
  for (uint32_t s = 0; s < n; ++s) {
    for (uint32_t i = edge_begin_[s]; i < edge_begin_[s + 1]; ++i) {
      const uint32_t target = i + 1;
      uint32_t next = 0;
      if (s != 0) {
        uint32_t f = fail_[s];
        while (true) {
          next = f == 0 ? root_next_[edge_byte_[i]] : child(f, edge_byte_[i]);
          if (next != kNone || f == 0) break;
          f = fail_[f];
        }
      }
      fail_[target] = next;
      dict_[target] = output_[next] != kNone ? next : dict_[next];
    }
  }
  build_edges_.clear();
  build_edges_.shrink_to_fit();
}

uint32_t AhoCorasick::child(uint32_t state, uint8_t byte) const {
  const uint32_t begin = edge_begin_[state];
  const uint32_t end = edge_begin_[state + 1];
  if (end - begin <= 8) {
    for (uint32_t i = begin; i < end; ++i) {
      if (edge_byte_[i] == byte) return i + 1;
    }
    return kNone;
  }
  const auto* first = edge_byte_.data() + begin;
  const auto* last = edge_byte_.data() + end;
  const auto* it = std::lower_bound(first, last, byte);
  return it != last && *it == byte ? begin + static_cast<uint32_t>(it - first) + 1 : kNone;
}

void AhoCorasick::serialize(ir::Writer& w) const {
  std::vector<uint32_t> end_state(pattern_length_.size(), 0);
  for (uint32_t s = 0; s < output_.size(); ++s) {
    if (output_[s] != kNone) end_state[output_[s]] = s;
  }
  w.u64(fail_.size());
  columns::put(w, edge_begin_);
  columns::put(w, edge_byte_);
  columns::put(w, fail_);
  columns::put(w, dict_);
  columns::put(w, end_state);
  columns::put(w, pattern_length_);
}

AhoCorasick AhoCorasick::deserialize(ir::Reader& r) {
  AhoCorasick m;
  m.build_edges_.clear();
  m.compiled_ = true;
  std::vector<uint32_t> end_state;
  // A state takes at least 13 bytes (edge start, edge byte, failure and dictionary links).
  const uint32_t n = r.count(13);
  if (r.ok() && n == 0) r.fail("a matcher has no root state");
  columns::get(r, m.edge_begin_);
  columns::get(r, m.edge_byte_);
  columns::get(r, m.fail_);
  columns::get(r, m.dict_);
  columns::get(r, end_state);
  columns::get(r, m.pattern_length_);
  columns::offsets(r, m.edge_begin_, n, uint64_t{n} - 1, "matcher edges");
  columns::sized(r, m.edge_byte_.size(), uint64_t{n} - 1, "the matcher's edge bytes");
  columns::sized(r, m.fail_.size(), n, "the matcher's failure links");
  columns::sized(r, m.dict_.size(), n, "the matcher's dictionary links");
  columns::sized(r, m.pattern_length_.size(), end_state.size(), "the matcher's pattern lengths");
  columns::below(r, end_state, n, "a pattern's end state", "matcher states");
  if (r.ok()) {
    // Links must lead to a smaller state (breadth-first numbering), which bounds every walk.
    m.fail_[0] = 0;
    if (!columns::descending(m.fail_, 1, false) || !columns::descending(m.dict_, 0, true)) {
      r.fail("a matcher's link does not lead towards its root");
    }
  }
  if (!r.ok()) return AhoCorasick{};
  m.output_.assign(n, kNone);
  for (uint32_t p = 0; p < end_state.size(); ++p) m.output_[end_state[p]] = p;
  m.root_next_.fill(0);
  for (uint32_t i = m.edge_begin_[0]; i < m.edge_begin_[1]; ++i)
    m.root_next_[m.edge_byte_[i]] = i + 1;
  return m;
}

void AhoCorasick::scan(std::string_view text, Hits& hits) const {
  if (!compiled_ || pattern_length_.empty()) return;
  // `seen` lets the output walk stop early: when a pattern was found before, every pattern on
  // its output chain (its suffixes) was found at that same earlier position, and so was any
  // prefix fact (a pattern can only be a prefix at its first occurrence). At the last byte the
  // walk goes on regardless, since suffix facts are new there.
  std::vector<uint64_t> seen((pattern_length_.size() + 63) / 64, 0);
  uint32_t state = 0;
  const size_t n = text.size();
  for (size_t i = 0; i < n; ++i) {
    const auto byte = static_cast<uint8_t>(text[i]);
    while (true) {
      if (state == 0) {
        state = root_next_[byte];
        break;
      }
      const uint32_t next = child(state, byte);
      if (next != kNone) {
        state = next;
        break;
      }
      state = fail_[state];
    }
    const size_t end = i + 1;
    const bool last = end == n;
    for (uint32_t s = output_[state] != kNone ? state : dict_[state]; s != kNone; s = dict_[s]) {
      const uint32_t p = output_[s];
      uint64_t& word = seen[p / 64];
      const uint64_t bit = uint64_t{1} << (p % 64);
      if ((word & bit) == 0) {
        word |= bit;
        hits.found.push_back(p);
        if (end == pattern_length_[p]) hits.prefix.push_back(p);
      } else if (!last) {
        break;
      }
      if (last) hits.suffix.push_back(p);
    }
  }
}

}  // namespace vectimus::index
