// RFC 6962 / RFC 9162 Merkle tree hashing for the per-project receipt log.
//
// leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || left || right), over 32-byte raw hashes.
// The log keeps a compact range (the roots of the perfect subtrees covering [0, n), largest
// first: one per set bit of n), so an append costs O(log n) hashes and the root is a fold of at
// most 64 hashes. Inclusion proofs are built from the leaf hashes (the `prove` command has them
// all) and checked with RFC 9162's algorithm.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vectimus::audit {

std::string leaf_hash(std::string_view entry);
std::string node_hash(std::string_view left, std::string_view right);
// The root of the empty tree: SHA-256 of nothing.
std::string empty_root();

class CompactRange {
 public:
  CompactRange() = default;
  // `hashes` must hold popcount(size) hashes; false when it does not.
  bool assign(uint64_t size, std::vector<std::string> hashes);
  void append(const std::string& leaf);
  std::string root() const;
  uint64_t size() const { return size_; }
  const std::vector<std::string>& hashes() const { return hashes_; }

 private:
  uint64_t size_ = 0;
  std::vector<std::string> hashes_;
};

// The root over all of `leaves`.
std::string merkle_root(const std::vector<std::string>& leaves);
// RFC 6962 PATH(index, leaves[0, size)): sibling hashes from the leaf up.
std::vector<std::string> inclusion_proof(const std::vector<std::string>& leaves, uint64_t index,
                                         uint64_t size);
bool verify_inclusion(const std::string& leaf, uint64_t index, uint64_t size,
                      const std::vector<std::string>& proof, const std::string& root);

// RFC 6962 PROOF(old_size, leaves[0, new_size)): the hashes that show the tree of `old_size`
// leaves is a prefix of the tree of `new_size` (0 < old_size <= new_size <= leaves.size(); else
// empty). A witness checks it before it cosigns a larger checkpoint of the same log.
std::vector<std::string> consistency_proof(const std::vector<std::string>& leaves,
                                           uint64_t old_size, uint64_t new_size);
// RFC 9162 section 2.1.4.2. Equal sizes hold when the roots are equal and the proof is empty.
bool verify_consistency(uint64_t old_size, uint64_t new_size, const std::string& old_root,
                        const std::string& new_root, const std::vector<std::string>& proof);

}  // namespace vectimus::audit
