#include "index/aho_corasick.hpp"

#include <algorithm>
#include <deque>

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
  const size_t n = build_edges_.size();
  edge_begin_.assign(n + 1, 0);
  for (size_t s = 0; s < n; ++s) {
    edge_begin_[s + 1] = edge_begin_[s] + static_cast<uint32_t>(build_edges_[s].size());
  }
  edge_byte_.resize(edge_begin_[n]);
  edge_target_.resize(edge_begin_[n]);
  for (size_t s = 0; s < n; ++s) {
    uint32_t at = edge_begin_[s];
    for (const auto& [byte, target] : build_edges_[s]) {
      edge_byte_[at] = byte;
      edge_target_[at++] = target;
    }
  }
  root_next_.fill(0);
  for (const auto& [byte, target] : build_edges_[0]) root_next_[byte] = target;

  // Breadth-first: a state's failure link is the longest proper suffix of its string that is
  // also a trie state; its dictionary link the nearest such suffix that ends a pattern.
  dict_.assign(n, kNone);
  std::deque<uint32_t> queue;
  for (const auto& [byte, target] : build_edges_[0]) {
    fail_[target] = 0;
    queue.push_back(target);
  }
  compiled_ = true;  // child() and the root table are usable from here on
  while (!queue.empty()) {
    const uint32_t s = queue.front();
    queue.pop_front();
    for (const auto& [byte, target] : build_edges_[s]) {
      uint32_t f = fail_[s];
      uint32_t next = kNone;
      while (true) {
        next = f == 0 ? root_next_[byte] : child(f, byte);
        if (next != kNone || f == 0) break;
        f = fail_[f];
      }
      fail_[target] = next;
      dict_[target] = output_[next] != kNone ? next : dict_[next];
      queue.push_back(target);
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
      if (edge_byte_[i] == byte) return edge_target_[i];
    }
    return kNone;
  }
  const auto* first = edge_byte_.data() + begin;
  const auto* last = edge_byte_.data() + end;
  const auto* it = std::lower_bound(first, last, byte);
  return it != last && *it == byte ? edge_target_[begin + static_cast<uint32_t>(it - first)]
                                   : kNone;
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
