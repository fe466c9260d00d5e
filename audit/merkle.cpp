#include "audit/merkle.hpp"

#include <bit>

#include "audit/crypto.hpp"

namespace vectimus::audit {
namespace {

// The largest power of two strictly below n (n > 1).
uint64_t split_point(uint64_t n) {
  return std::bit_floor(n - 1);
}

std::string subtree_root(const std::vector<std::string>& leaves, uint64_t begin, uint64_t end) {
  if (end - begin == 1) return leaves[begin];
  const uint64_t k = split_point(end - begin);
  return node_hash(subtree_root(leaves, begin, begin + k), subtree_root(leaves, begin + k, end));
}

void path(const std::vector<std::string>& leaves, uint64_t index, uint64_t begin, uint64_t end,
          std::vector<std::string>& out) {
  if (end - begin <= 1) return;
  const uint64_t k = split_point(end - begin);
  if (index < begin + k) {
    path(leaves, index, begin, begin + k, out);
    out.push_back(subtree_root(leaves, begin + k, end));
  } else {
    path(leaves, index, begin + k, end, out);
    out.push_back(subtree_root(leaves, begin, begin + k));
  }
}

// RFC 6962 SUBPROOF(m, leaves[begin, end), whole): `whole` is true while [begin, begin + m) is
// the old tree itself, whose root the verifier already has.
void subproof(const std::vector<std::string>& leaves, uint64_t m, uint64_t begin, uint64_t end,
              bool whole, std::vector<std::string>& out) {
  if (m == end - begin) {
    if (!whole) out.push_back(subtree_root(leaves, begin, end));
    return;
  }
  const uint64_t k = split_point(end - begin);
  if (m <= k) {
    subproof(leaves, m, begin, begin + k, whole, out);
    out.push_back(subtree_root(leaves, begin + k, end));
  } else {
    subproof(leaves, m - k, begin + k, end, false, out);
    out.push_back(subtree_root(leaves, begin, begin + k));
  }
}

}  // namespace

std::string leaf_hash(std::string_view entry) {
  std::string buf;
  buf.reserve(entry.size() + 1);
  buf += '\0';
  buf += entry;
  return sha256(buf);
}

std::string node_hash(std::string_view left, std::string_view right) {
  std::string buf;
  buf.reserve(65);
  buf += '\x01';
  buf += left;
  buf += right;
  return sha256(buf);
}

std::string empty_root() {
  return sha256("");
}

bool CompactRange::assign(uint64_t size, std::vector<std::string> hashes) {
  if (hashes.size() != static_cast<std::size_t>(std::popcount(size))) return false;
  for (const std::string& h : hashes) {
    if (h.size() != 32) return false;
  }
  size_ = size;
  hashes_ = std::move(hashes);
  return true;
}

void CompactRange::append(const std::string& leaf) {
  // A binary counter: each trailing one bit of size is a subtree the new one merges with.
  std::string h = leaf;
  for (uint64_t m = size_; (m & 1) != 0; m >>= 1) {
    h = node_hash(hashes_.back(), h);
    hashes_.pop_back();
  }
  hashes_.push_back(std::move(h));
  ++size_;
}

std::string CompactRange::root() const {
  if (hashes_.empty()) return empty_root();
  std::string h = hashes_.back();
  for (std::size_t i = hashes_.size() - 1; i-- > 0;) h = node_hash(hashes_[i], h);
  return h;
}

std::string merkle_root(const std::vector<std::string>& leaves) {
  if (leaves.empty()) return empty_root();
  return subtree_root(leaves, 0, leaves.size());
}

std::vector<std::string> inclusion_proof(const std::vector<std::string>& leaves, uint64_t index,
                                         uint64_t size) {
  std::vector<std::string> out;
  if (index < size && size <= leaves.size()) path(leaves, index, 0, size, out);
  return out;
}

bool verify_inclusion(const std::string& leaf, uint64_t index, uint64_t size,
                      const std::vector<std::string>& proof, const std::string& root) {
  if (index >= size) return false;
  uint64_t fn = index;
  uint64_t sn = size - 1;
  std::string r = leaf;
  for (const std::string& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = node_hash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

std::vector<std::string> consistency_proof(const std::vector<std::string>& leaves,
                                           uint64_t old_size, uint64_t new_size) {
  std::vector<std::string> out;
  if (old_size == 0 || old_size >= new_size || new_size > leaves.size()) return out;
  subproof(leaves, old_size, 0, new_size, true, out);
  return out;
}

bool verify_consistency(uint64_t old_size, uint64_t new_size, const std::string& old_root,
                        const std::string& new_root, const std::vector<std::string>& proof) {
  if (old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (old_size == 0) return proof.empty();  // the empty tree is a prefix of every tree
  if (proof.empty()) return false;
  std::vector<std::string> path;
  path.reserve(proof.size() + 1);
  // An old tree that is a perfect subtree is not in the proof: its root stands for it.
  if (std::has_single_bit(old_size)) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = path.front();
  std::string sr = path.front();
  for (std::size_t i = 1; i < path.size(); ++i) {
    const std::string& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

}  // namespace vectimus::audit
