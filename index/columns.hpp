// Columns: arrays of fixed-width little-endian integers inside an ir::Writer / ir::Reader stream,
// the form the compiled rule index is stored in (index/policy_index.hpp, index/aho_corasick.hpp).
//
// A column is a LEB128 element count followed by the elements, 1 or 4 bytes each, so that
// loading one is a bounds check and a memcpy instead of a loop over variable-length numbers (the
// index is loaded at every hook call). The checks below validate whole columns in branch-free
// loops the compiler vectorises; only when one fails is the column searched again for the first
// bad element, to name it in the error. Every check fails the Reader (first failure wins) and
// returns false; after a failure, reads give empty columns, so a decoder can go on and test once.
// Internal to index/.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ir/serialize.hpp"

namespace vectimus::index::columns {

void put(ir::Writer& w, std::span<const uint32_t> values);
void put(ir::Writer& w, std::span<const uint8_t> values);

// Replaces `out` with the next column. The count is checked against the bytes left before
// anything is allocated.
void get(ir::Reader& r, std::vector<uint32_t>& out);
void get(ir::Reader& r, std::vector<uint8_t>& out);

// Every value is < `bound` (or is UINT32_MAX, "none", when `none_ok`). `what` names one element
// ("a trigger"), `of` what the values index ("policies").
bool below(ir::Reader& r, std::span<const uint32_t> values, uint64_t bound, const char* what,
           const char* of, bool none_ok = false);
bool below(ir::Reader& r, std::span<const uint8_t> values, uint32_t bound, const char* what);

// `offsets` delimits `count` ranges of a column of `end` elements: it has count + 1 entries,
// starts at 0, never decreases and ends at `end`.
bool offsets(ir::Reader& r, std::span<const uint32_t> offsets, uint64_t count, uint64_t end,
             const char* what);

// links[s] < s for every s >= from (or links[s] is "none", when `none_ok`); no failure
// reported, the caller names what the links are.
bool descending(std::span<const uint32_t> links, uint32_t from, bool none_ok);

// `values.size() == size`.
bool sized(ir::Reader& r, size_t actual, uint64_t size, const char* what);

}  // namespace vectimus::index::columns
