// A multi-pattern substring matcher over bytes (Aho-Corasick), one per string attribute.
//
// Phases, in this order only: add() every pattern -> compile() -> scan() any number of texts
// (scan is const and may run from several threads). The trie is stored sparsely (sorted edge
// lists, a full 256-entry table at the root only), so memory is linear in the total pattern
// length; a scan follows failure links and is O(text + distinct patterns found + the output
// chain at the last byte). Patterns are exact bytes: no case folding, no UTF-8 decoding.
//
// compile() numbers the states breadth-first, which gives the compiled form two properties the
// stored form (serialize / deserialize) rests on: the children of a state are consecutive, so the
// target of edge i is state i + 1 and needs no table; and a failure or dictionary link always
// leads to a smaller state number (a proper suffix is shorter, so it was numbered earlier), which
// deserialize() checks and which makes every link walk in scan() end.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ir/serialize.hpp"

namespace vectimus::index {

class AhoCorasick {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // What one scan found, by pattern id. Each list holds a pattern at most once, in no order.
  struct Hits {
    std::vector<uint32_t> found;   // occurs anywhere
    std::vector<uint32_t> prefix;  // occurs at offset 0
    std::vector<uint32_t> suffix;  // occurs ending at the last byte
  };

  // Adds a non-empty pattern and returns its id (ids count up from 0; adding the same bytes
  // twice returns the first id). Only before compile(); an empty pattern, or a call after
  // compile(), is refused with kNone.
  uint32_t add(std::string_view pattern);
  void compile();

  // Appends to `hits` what occurs in `text`. Only after compile().
  void scan(std::string_view text, Hits& hits) const;

  // The compiled matcher (only after compile()): state count, then columns (index/columns.hpp)
  // of edge starts, edge bytes, failure links, dictionary links, and per pattern its end state
  // and length.
  void serialize(ir::Writer& w) const;
  // Reads what serialize() wrote, into a compiled matcher. Every state and pattern id is checked
  // against the sizes it indexes and every link against its state, so any matcher it returns
  // scans in bounds and terminates (a corrupted but consistent one only finds wrong patterns).
  // A failure is reported through `r`, and the matcher returned is then empty.
  static AhoCorasick deserialize(ir::Reader& r);

  size_t pattern_count() const { return pattern_length_.size(); }
  size_t state_count() const { return fail_.size(); }

 private:
  uint32_t child(uint32_t state, uint8_t byte) const;

  // Build-time trie: per state, its edges (byte, target), kept sorted by byte.
  std::vector<std::vector<std::pair<uint8_t, uint32_t>>> build_edges_ = {{}};
  // Compiled form, states numbered breadth-first. Per state: edges in
  // [edge_begin_[s], edge_begin_[s + 1]), sorted by byte; edge i leads to state i + 1, by byte
  // edge_byte_[i].
  std::vector<uint32_t> edge_begin_;
  std::vector<uint8_t> edge_byte_;
  std::array<uint32_t, 256> root_next_{};
  std::vector<uint32_t> fail_ = {0};
  std::vector<uint32_t> output_ = {kNone};  // pattern that ends at this state
  std::vector<uint32_t> dict_;              // nearest proper-suffix state with an output
  std::vector<uint32_t> pattern_length_;
  bool compiled_ = false;
};

}  // namespace vectimus::index
