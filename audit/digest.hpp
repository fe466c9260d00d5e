// SHA-256, for recording written content by its hash (OpenSSL stays in digest.cpp).
#pragma once

#include <string>
#include <string_view>

namespace vectimus::audit {

// The lowercase hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

}  // namespace vectimus::audit
