// A compact binary form of a PolicySet, so the built-in packs are parsed once, at build time
// (engine/packc.cpp), and only decoded when the hook starts.
//
// Data flow: PolicySet -> serialize() -> bytes compiled into the binary -> deserialize(bytes,
// sources) -> the same PolicySet (ir::dump, spans and positional ids identical). The bytes name
// no text: each policy refers to its source by index into `sources`, which the caller supplies in
// the same order it gave them to the parser (the serialised form records the source names and
// sizes, and deserialize() checks them, so a blob can never be paired with the wrong texts).
//
// The format is versioned (a magic and kFormatVersion up front) and deserialize() trusts none of
// it: every length and count is checked against the bytes left, every enum against its range,
// nesting against a depth bound, every span against its source's length. A truncated or corrupted
// blob is an error ("serialized" diagnostic), never a crash or an unbounded allocation.
//
// The little byte Writer / Reader are public so index/ can serialise what it builds with the
// same encoding (LEB128 integers, length-prefixed strings).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ir/ir.hpp"
#include "support/result.hpp"

namespace vectimus::ir {

// Version 2: the policies' byte lengths precede them, so each decodes on its own.
inline constexpr uint32_t kFormatVersion = 2;

// `set`'s policies must all have a source among `sources` (pointer identity).
Result<std::string> serialize(const PolicySet& set, std::span<const SourcePtr> sources);
// Every policy: SerializedSet::open() and policy(i) for each i.
Result<PolicySet> deserialize(std::string_view bytes, std::span<const SourcePtr> sources);

// A serialised set opened for decoding one policy at a time, so a process that needs only a few
// policies (the hook: the rule index's candidates) decodes only those. open() reads and checks
// the header (magic, version, sources, the table of policy lengths), policy(i) decodes policy i
// from its own bytes with the same checks as deserialize(). The bytes must outlive this object.
class SerializedSet {
 public:
  static Result<SerializedSet> open(std::string_view bytes, std::span<const SourcePtr> sources);
  size_t size() const { return offsets_.size() - 1; }
  // i < size().
  Result<Policy> policy(size_t i) const;

 private:
  std::string_view bytes_;
  std::vector<SourcePtr> sources_;
  std::vector<uint32_t> offsets_ = {0};  // policy i is bytes_[offsets_[i], offsets_[i + 1])
};

// Appends integers (unsigned LEB128; signed ones zig-zagged) and length-prefixed strings.
class Writer {
 public:
  void u64(uint64_t value);
  void i64(int64_t value) {
    u64((static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63));
  }
  void str(std::string_view text);
  void raw(std::string_view bytes) { out_.append(bytes); }
  std::string& bytes() { return out_; }
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

// Reads what Writer wrote. After the first failure every read returns a zero value and ok()
// stays false, so a decoder can read a whole record and check once.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  uint64_t u64() {
    // Most numbers (ops, short lengths, span parts) take one byte: inline, no loop.
    if (at_ < bytes_.size() && static_cast<uint8_t>(bytes_[at_]) < 0x80 && error_.empty()) {
      return static_cast<uint8_t>(bytes_[at_++]);
    }
    return u64_slow();
  }
  uint32_t u32();  // fails past UINT32_MAX
  int64_t i64() {
    const uint64_t v = u64();
    return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
  }
  std::string str();
  std::string_view raw(size_t size);
  // A count of elements that each take at least `min_bytes`: fails if the bytes left cannot
  // hold them, so a corrupted count never drives a huge allocation.
  uint32_t count(size_t min_bytes = 1);
  // Fails unless value <= max; returns value, or 0 after a failure.
  uint32_t bounded(uint32_t max);
  void fail(std::string why);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  size_t offset() const { return at_; }
  bool at_end() const { return at_ == bytes_.size(); }

 private:
  uint64_t u64_slow();

  std::string_view bytes_;
  size_t at_ = 0;
  std::string error_;
};

}  // namespace vectimus::ir
