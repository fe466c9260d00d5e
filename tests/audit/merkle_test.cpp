// RFC 6962 hashing against the certificate-transparency test vectors, the compact range against
// the recursive definition, and inclusion proofs for every (index, size) of small trees.
#include <catch2/catch.hpp>

#include "audit/crypto.hpp"
#include "audit/merkle.hpp"

using namespace vectimus;
using namespace vectimus::audit;

namespace {

std::vector<std::string> ct_leaves() {
  const std::string entries[] = {
      std::string(),
      std::string("\x00", 1),
      "\x10",
      "\x20\x21",
      "\x30\x31",
      "\x40\x41\x42\x43",
      "\x50\x51\x52\x53\x54\x55\x56\x57",
      "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"};
  std::vector<std::string> out;
  for (const std::string& e : entries) out.push_back(leaf_hash(e));
  return out;
}

}  // namespace

TEST_CASE("RFC 6962 roots of the certificate-transparency test leaves", "[audit][merkle]") {
  CHECK(hex(empty_root()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const char* roots[] = {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                         "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                         "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
                         "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                         "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
                         "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
                         "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
                         "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  const std::vector<std::string> leaves = ct_leaves();
  CompactRange range;
  for (std::size_t n = 1; n <= leaves.size(); ++n) {
    range.append(leaves[n - 1]);
    const std::vector<std::string> prefix(leaves.begin(), leaves.begin() + static_cast<long>(n));
    CHECK(hex(merkle_root(prefix)) == roots[n - 1]);
    CHECK(hex(range.root()) == roots[n - 1]);
  }
}

TEST_CASE("Compact range: popcount(n) hashes, root equal to the recursive one", "[audit][merkle]") {
  std::vector<std::string> leaves;
  CompactRange range;
  for (int i = 0; i < 70; ++i) {
    leaves.push_back(leaf_hash("leaf " + std::to_string(i)));
    range.append(leaves.back());
    CHECK(range.hashes().size() == static_cast<std::size_t>(__builtin_popcountll(range.size())));
    CHECK(range.root() == merkle_root(leaves));
  }
  CompactRange copy;
  CHECK(copy.assign(range.size(), range.hashes()));
  CHECK_FALSE(copy.assign(range.size() + 1, range.hashes()));
}

TEST_CASE("Inclusion proofs verify for every index and size, and only there", "[audit][merkle]") {
  std::vector<std::string> leaves;
  for (int i = 0; i < 20; ++i) leaves.push_back(leaf_hash("entry " + std::to_string(i)));
  for (uint64_t size = 1; size <= leaves.size(); ++size) {
    const std::vector<std::string> prefix(leaves.begin(), leaves.begin() + static_cast<long>(size));
    const std::string root = merkle_root(prefix);
    for (uint64_t i = 0; i < size; ++i) {
      const std::vector<std::string> proof = inclusion_proof(leaves, i, size);
      CHECK(verify_inclusion(leaves[i], i, size, proof, root));
      CHECK_FALSE(verify_inclusion(leaves[(i + 1) % 20], i, size, proof, root));
      if (size > 1) CHECK_FALSE(verify_inclusion(leaves[i], (i + 1) % size, size, proof, root));
    }
  }
}

namespace {

std::vector<std::string> from_hex(std::initializer_list<const char*> items) {
  std::vector<std::string> out;
  for (const char* h : items) {
    std::string raw;
    for (std::size_t i = 0; h[i] != '\0'; i += 2) {
      raw += static_cast<char>(std::stoi(std::string(h + i, 2), nullptr, 16));
    }
    out.push_back(raw);
  }
  return out;
}

std::vector<std::string> numbered_leaves(int n, int fork_at = -1) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    out.push_back(leaf_hash("entry " + std::to_string(i) + (i == fork_at ? " forked" : "")));
  }
  return out;
}

std::vector<std::string> prefix(const std::vector<std::string>& leaves, uint64_t n) {
  return {leaves.begin(), leaves.begin() + static_cast<std::ptrdiff_t>(n)};
}

}  // namespace

TEST_CASE("consistency proofs match the certificate-transparency test vectors", "[audit][merkle]") {
  const std::vector<std::string> leaves = ct_leaves();
  CHECK(consistency_proof(leaves, 1, 1).empty());
  CHECK(consistency_proof(leaves, 1, 8) ==
        from_hex({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
  CHECK(consistency_proof(leaves, 6, 8) ==
        from_hex({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}));
  CHECK(consistency_proof(leaves, 2, 5) ==
        from_hex({"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}));
}

TEST_CASE("every consistency proof of small trees verifies, and no other does", "[audit][merkle]") {
  const std::vector<std::string> leaves = numbered_leaves(20);
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    const std::string new_root = merkle_root(prefix(leaves, n));
    for (uint64_t m = 1; m <= n; ++m) {
      const std::string old_root = merkle_root(prefix(leaves, m));
      const std::vector<std::string> proof = consistency_proof(leaves, m, n);
      INFO("old " << m << " new " << n);
      CHECK(verify_consistency(m, n, old_root, new_root, proof));
      // A log that rewrote any leaf below m (a fork) cannot show consistency with it.
      const std::vector<std::string> forked =
          numbered_leaves(static_cast<int>(n), static_cast<int>((m - 1) / 2));
      CHECK_FALSE(
          verify_consistency(m, n, old_root, merkle_root(forked), consistency_proof(forked, m, n)));
      if (!proof.empty()) {
        std::vector<std::string> tampered = proof;
        tampered.back()[0] = static_cast<char>(tampered.back()[0] ^ 1);
        CHECK_FALSE(verify_consistency(m, n, old_root, new_root, tampered));
        std::vector<std::string> shorter(proof.begin(), proof.end() - 1);
        CHECK_FALSE(verify_consistency(m, n, old_root, new_root, shorter));
      }
    }
  }
  // A larger old size than new (a rollback) never verifies.
  CHECK_FALSE(
      verify_consistency(5, 4, merkle_root(prefix(leaves, 5)), merkle_root(prefix(leaves, 4)), {}));
}
