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
// deserialize() checks and which makes every link walk in scan() end. The compiled form lives in
// columns (index/columns.hpp), so a matcher read from a blob that outlives it (view()) uses the
// blob's bytes in place.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "index/columns.hpp"
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
  // The same with caller-provided scratch, so that a caller scanning many texts allocates once:
  // `seen` must hold no set bit on entry (any size; it is grown as needed) and holds none again
  // on return, unless an allocation for `hits` threw.
  void scan(std::string_view text, Hits& hits, std::vector<uint64_t>& seen) const;

  // The compiled matcher (only after compile()): state count, then columns (index/columns.hpp)
  // of edge starts, edge bytes, failure links, dictionary links and outputs per state, and the
  // length per pattern.
  void serialize(ir::Writer& w) const;
  // Reads what serialize() wrote, into a compiled matcher. Every state and pattern id is checked
  // against the sizes it indexes and every link against its state, so any matcher it returns
  // scans in bounds and terminates (a corrupted but consistent one only finds wrong patterns).
  // A failure is reported through `r`, and the matcher returned is then empty.
  static AhoCorasick deserialize(ir::Reader& r);
  // The same without copying or checking the elements: the columns are read in place from the
  // Reader's bytes, which must outlive the matcher, start 4-byte aligned and hold what
  // serialize() wrote on a little-endian host (PolicyIndex::view() ensures all of these). Only
  // the structure is checked: counts against the bytes left, column sizes against each other.
  static AhoCorasick view(ir::Reader& r);

  size_t pattern_count() const { return pattern_length_.size(); }
  size_t state_count() const {
    return compiled_ ? fail_.size() : std::max<size_t>(build_output_.size(), 1);
  }

 private:
  static AhoCorasick load(ir::Reader& r, bool copy);
  void add_root();
  uint32_t child(uint32_t state, uint8_t byte) const;

  // Build-time trie: per state, its edges (byte, target), kept sorted by byte, and the pattern
  // that ends there. The root (state 0) is added by the first add() or compile(), so that an
  // empty matcher (one per string path when loading an index) allocates nothing.
  std::vector<std::vector<std::pair<uint8_t, uint32_t>>> build_edges_;
  std::vector<uint32_t> build_output_;
  // Compiled form, states numbered breadth-first. Per state: edges in
  // [edge_begin_[s], edge_begin_[s + 1]), sorted by byte; edge i leads to state i + 1, by byte
  // edge_byte_[i].
  Column<uint32_t> edge_begin_;
  Column<uint8_t> edge_byte_;
  std::array<uint32_t, 256> root_next_{};
  Column<uint32_t> fail_;
  Column<uint32_t> output_;  // pattern that ends at this state
  Column<uint32_t> dict_;    // nearest proper-suffix state with an output
  Column<uint32_t> pattern_length_;
  bool compiled_ = false;
};

}  // namespace vectimus::index
