// Columns: arrays of fixed-width little-endian integers inside an ir::Writer / ir::Reader stream,
// the form the compiled rule index is stored in (index/policy_index.hpp, index/aho_corasick.hpp),
// and Column<T>, the array type the index keeps them in.
//
// A column is a LEB128 element count, then (4-byte columns only) zero bytes up to the next
// multiple of 4 from the start of the stream, then the elements, 1 or 4 bytes each. Because
// the padding depends on the offset only, a blob whose first byte is 4-byte aligned has every
// 4-byte column aligned too, so a loader can read the columns in place (view()) instead of
// copying them (get()), which is a bounds check and a memcpy instead of a loop over
// variable-length numbers (the index is loaded at every hook call). The checks below validate
// whole columns in branch-free loops the compiler vectorises; only when one fails is the column
// searched again for the first bad element, to name it in the error. Every check fails the
// Reader (first failure wins) and returns false; after a failure, reads give empty columns, so a
// decoder can go on and test once. Internal to index/.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ir/serialize.hpp"

namespace vectimus::index {

// An immutable array that either owns its elements (built at run time, or copied out of a
// blob) or views elements that live elsewhere and outlive it (a blob compiled into the binary).
// Reads go through one span either way, so lookups do not care which. Appending is only for
// owned columns (building); it keeps the span pointing at the owned storage. Copies of an owned
// column own a copy; copies of a view view the same elements.
template <typename T>
class Column {
 public:
  Column() = default;
  Column(std::initializer_list<T> values) : Column(std::vector<T>(values)) {}
  explicit Column(std::vector<T> values) : owned_(std::move(values)), data_(owned_) {}
  static Column view(std::span<const T> values) {
    Column c;
    c.data_ = values;
    c.borrowed_ = true;
    return c;
  }

  Column(const Column& other)
      : owned_(other.owned_), data_(other.data_of(owned_)), borrowed_(other.borrowed_) {}
  Column(Column&& other) noexcept
      : owned_(std::move(other.owned_)), data_(other.data_of(owned_)), borrowed_(other.borrowed_) {
    other.reset();
  }
  Column& operator=(const Column& other) {
    if (this == &other) return *this;
    owned_ = other.owned_;
    data_ = other.data_of(owned_);
    borrowed_ = other.borrowed_;
    return *this;
  }
  Column& operator=(Column&& other) noexcept {
    if (this == &other) return *this;
    owned_ = std::move(other.owned_);
    data_ = other.data_of(owned_);
    borrowed_ = other.borrowed_;
    other.reset();
    return *this;
  }
  Column& operator=(std::vector<T> values) {
    owned_ = std::move(values);
    data_ = owned_;
    borrowed_ = false;
    return *this;
  }

  // Only on an owned column.
  void push_back(T value) {
    owned_.push_back(value);
    data_ = owned_;
  }
  void append(std::span<const T> values) {
    owned_.insert(owned_.end(), values.begin(), values.end());
    data_ = owned_;
  }

  // Whether the elements live outside this column (view()).
  bool borrowed() const { return borrowed_; }
  size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  const T* data() const { return data_.data(); }
  const T& operator[](size_t i) const { return data_[i]; }
  const T& front() const { return data_.front(); }
  const T& back() const { return data_.back(); }
  auto begin() const { return data_.begin(); }
  auto end() const { return data_.end(); }
  std::span<const T> span() const { return data_; }
  operator std::span<const T>() const { return data_; }  // NOLINT: a column is a span
  std::vector<T> to_vector() const { return std::vector<T>(data_.begin(), data_.end()); }

 private:
  // What a copy of this column whose own storage is `owned` reads: the same borrowed elements,
  // or its own storage (never this column's, which may go away first).
  std::span<const T> data_of(const std::vector<T>& owned) const {
    return borrowed_ ? data_ : std::span<const T>(owned);
  }
  void reset() {
    owned_.clear();
    data_ = {};
    borrowed_ = false;
  }

  std::vector<T> owned_;
  std::span<const T> data_;
  bool borrowed_ = false;
};

namespace columns {

void put(ir::Writer& w, std::span<const uint32_t> values);
void put(ir::Writer& w, std::span<const uint8_t> values);

// Replaces `out` with the next column, copied (`copy`) or viewed in place. The count is checked
// against the bytes left before anything is allocated, and the padding must be zero. A view
// requires the stream's first byte to be 4-byte aligned and a little-endian host (the caller
// checks both once) and the stream's bytes to outlive `out`.
void get(ir::Reader& r, Column<uint32_t>& out, bool copy);
void get(ir::Reader& r, Column<uint8_t>& out, bool copy);
// The same for a length-prefixed string (ir::Writer::str).
void get(ir::Reader& r, Column<char>& out, bool copy);

// Every value is < `bound` (or is UINT32_MAX, "none", when `none_ok`). `what` names one element
// ("a trigger"), `of` what the values index ("policies").
bool below(ir::Reader& r, std::span<const uint32_t> values, uint64_t bound, const char* what,
           const char* of, bool none_ok = false);
bool below(ir::Reader& r, std::span<const uint8_t> values, uint32_t bound, const char* what);

// `offsets` delimits `count` ranges of a column of `end` elements: it has count + 1 entries,
// starts at 0 and ends at `end`. O(1).
bool covers(ir::Reader& r, std::span<const uint32_t> offsets, uint64_t count, uint64_t end,
            const char* what);
// covers(), and the offsets never decrease. O(count).
bool offsets(ir::Reader& r, std::span<const uint32_t> offsets, uint64_t count, uint64_t end,
             const char* what);

// links[s] < s for every s >= from (or links[s] is "none", when `none_ok`); no failure
// reported, the caller names what the links are.
bool descending(std::span<const uint32_t> links, uint32_t from, bool none_ok);

// `values.size() == size`.
bool sized(ir::Reader& r, size_t actual, uint64_t size, const char* what);

}  // namespace columns
}  // namespace vectimus::index
