// Small text helpers shared by the parsers (Cedar string escapes, shell ANSI-C quoting).
#pragma once

namespace vectimus {

// The value of a hexadecimal digit, or -1 when `c` is not one.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace vectimus
