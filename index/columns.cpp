#include "index/columns.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace vectimus::index::columns {

namespace {

constexpr bool kLittle = std::endian::native == std::endian::little;

// Zero bytes up to the next multiple of 4 from the start of the stream.
void pad(ir::Writer& w) {
  std::string& out = w.bytes();
  out.resize((out.size() + 3) / 4 * 4, '\0');
}

}  // namespace

void put(ir::Writer& w, std::span<const uint32_t> values) {
  w.u64(values.size());
  pad(w);
  std::string& out = w.bytes();
  const size_t at = out.size();
  out.resize(at + values.size() * 4);
  if constexpr (kLittle) {
    if (!values.empty()) std::memcpy(out.data() + at, values.data(), values.size() * 4);
  } else {
    for (size_t i = 0; i < values.size(); ++i) {
      for (size_t b = 0; b < 4; ++b) out[at + i * 4 + b] = static_cast<char>(values[i] >> (8 * b));
    }
  }
}

void put(ir::Writer& w, std::span<const uint8_t> values) {
  w.u64(values.size());
  w.raw(std::string_view(reinterpret_cast<const char*>(values.data()), values.size()));
}

namespace {

// Skips what pad() wrote, which must be zeros.
void skip_padding(ir::Reader& r) {
  const std::string_view padding = r.raw((4 - r.offset() % 4) % 4);
  for (const char c : padding) {
    if (c != 0) {
      r.fail("the padding before a column is not zero");
      return;
    }
  }
}

}  // namespace

void get(ir::Reader& r, Column<uint32_t>& out, bool copy) {
  const uint32_t n = r.count(4);
  skip_padding(r);
  const std::string_view bytes = r.raw(size_t{n} * 4);
  if (!r.ok()) {
    out = Column<uint32_t>();
    return;
  }
  if (!copy && kLittle) {
    // The caller guarantees the alignment (the stream starts 4-byte aligned, the element at a
    // multiple of 4 from it). The bytes are only read, never written through another type.
    out = Column<uint32_t>::view({reinterpret_cast<const uint32_t*>(bytes.data()), n});
    return;
  }
  std::vector<uint32_t> values(n);
  if constexpr (kLittle) {
    if (n != 0) std::memcpy(values.data(), bytes.data(), bytes.size());
  } else {
    for (size_t i = 0; i < n; ++i) {
      uint32_t v = 0;
      for (size_t b = 0; b < 4; ++b)
        v |= uint32_t{static_cast<uint8_t>(bytes[i * 4 + b])} << (8 * b);
      values[i] = v;
    }
  }
  out = std::move(values);
}

void get(ir::Reader& r, Column<uint8_t>& out, bool copy) {
  const uint32_t n = r.count(1);
  const std::string_view bytes = r.raw(n);
  if (!r.ok()) {
    out = Column<uint8_t>();
    return;
  }
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  out = copy ? Column<uint8_t>(std::vector<uint8_t>(data, data + n))
             : Column<uint8_t>::view({data, n});
}

void get(ir::Reader& r, Column<char>& out, bool copy) {
  const uint32_t n = r.count(1);
  const std::string_view bytes = r.raw(n);
  if (!r.ok()) {
    out = Column<char>();
    return;
  }
  out = copy ? Column<char>(std::vector<char>(bytes.begin(), bytes.end()))
             : Column<char>::view(bytes);
}

bool below(ir::Reader& r, std::span<const uint32_t> values, uint64_t bound, const char* what,
           const char* of, bool none_ok) {
  if (!r.ok()) return false;
  if (bound > UINT32_MAX) return true;  // every uint32 is below it
  const auto limit = static_cast<uint32_t>(bound);
  // "none" is UINT32_MAX: adding one wraps it to 0, below any bound.
  const uint32_t shift = none_ok ? 1 : 0;
  uint32_t bad = 0;
  for (const uint32_t v : values) bad |= static_cast<uint32_t>(v + shift) >= limit + shift;
  if (bad == 0) return true;
  for (size_t i = 0; i < values.size(); ++i) {
    const uint32_t v = values[i];
    if (v < bound || (none_ok && v == UINT32_MAX)) continue;
    r.fail(std::string(what) + " (number " + std::to_string(i) + ") refers to " +
           std::to_string(v) + ", but there are only " + std::to_string(bound) + " " + of);
    return false;
  }
  return true;  // a false alarm of the fast check (a bound of UINT32_MAX)
}

bool below(ir::Reader& r, std::span<const uint8_t> values, uint32_t bound, const char* what) {
  if (!r.ok()) return false;
  uint32_t bad = 0;
  for (const uint8_t v : values) bad |= v >= bound;
  if (bad == 0) return true;
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] < bound) continue;
    r.fail(std::string(what) + " (number " + std::to_string(i) + ") has the unknown kind " +
           std::to_string(values[i]));
    return false;
  }
  return true;
}

bool covers(ir::Reader& r, std::span<const uint32_t> offsets, uint64_t count, uint64_t end,
            const char* what) {
  if (!r.ok()) return false;
  if (offsets.size() != count + 1 || offsets.front() != 0 || offsets.back() != end) {
    r.fail(std::string("the ranges of ") + what + " do not cover their " + std::to_string(end) +
           " elements");
    return false;
  }
  return true;
}

bool offsets(ir::Reader& r, std::span<const uint32_t> offsets, uint64_t count, uint64_t end,
             const char* what) {
  if (!covers(r, offsets, count, end, what)) return false;
  uint32_t bad = 0;
  for (size_t i = 1; i < offsets.size(); ++i) bad |= offsets[i - 1] > offsets[i];
  if (bad == 0) return true;
  for (size_t i = 1; i < offsets.size(); ++i) {
    if (offsets[i - 1] <= offsets[i]) continue;
    r.fail(std::string("range ") + std::to_string(i - 1) + " of " + what +
           " ends before it starts");
    return false;
  }
  return true;
}

bool descending(std::span<const uint32_t> links, uint32_t from, bool none_ok) {
  const uint32_t shift = none_ok ? 1 : 0;
  const auto n = static_cast<uint32_t>(links.size());
  const uint32_t* data = links.data();
  uint32_t bad = 0;
  for (uint32_t s = from; s < n; ++s) bad |= (data[s] + shift > s) ? 1u : 0u;
  return bad == 0;
}

bool sized(ir::Reader& r, size_t actual, uint64_t size, const char* what) {
  if (!r.ok()) return false;
  if (actual == size) return true;
  r.fail(std::string(what) + " has " + std::to_string(actual) + " entries, not " +
         std::to_string(size));
  return false;
}

}  // namespace vectimus::index::columns
