#include "server/auth.hpp"

#include <cctype>

namespace vectimus::server {

bool constant_time_equal(std::string_view presented, std::string_view expected) {
  // Lengths are folded in, and every byte of `expected` is visited whatever `presented` holds.
  std::size_t diff = presented.size() ^ expected.size();
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const unsigned char p = i < presented.size() ? static_cast<unsigned char>(presented[i]) : 0;
    diff |= static_cast<std::size_t>(p ^ static_cast<unsigned char>(expected[i]));
  }
  return diff == 0;
}

std::optional<std::string_view> presented_key(std::string_view api_key_header,
                                              std::string_view authorization) {
  if (!api_key_header.empty()) return api_key_header;
  constexpr std::string_view kBearer = "bearer ";
  if (authorization.size() <= kBearer.size()) return std::nullopt;
  for (std::size_t i = 0; i < kBearer.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kBearer[i]) {
      return std::nullopt;
    }
  }
  std::string_view token = authorization.substr(kBearer.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return token;
}

const std::string* KeyRing::match(std::string_view presented) const {
  const std::string* found = nullptr;
  for (const NamedKey& k : keys_) {
    if (constant_time_equal(presented, k.key) && found == nullptr) found = &k.name;
  }
  return found;
}

}  // namespace vectimus::server
