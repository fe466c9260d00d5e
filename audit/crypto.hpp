// The few cryptographic primitives evidence needs, over plain byte strings: SHA-256, hex and
// base64, random bytes and UUID4s, Ed25519 signing and verification, and Ed25519 keys in PEM.
//
// OpenSSL 3 (EVP) does the work in crypto.cpp and never shows here: keys travel as their raw
// RFC 8032 bytes (32-byte seed, 32-byte public key), the form every format we read or write
// (PKCS#8, SubjectPublicKeyInfo, the other tool's raw-base64 PEM, signed-note vkeys) reduces to.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "support/result.hpp"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace vectimus::audit {

std::string sha256(std::string_view bytes);      // 32 raw bytes
std::string sha256_hex(std::string_view bytes);  // 64 lowercase hex digits
std::string hex(std::string_view bytes);
std::string base64_encode(std::string_view bytes);
// Strict standard base64 (RFC 4648 section 4, padded); false on anything else.
bool base64_decode(std::string_view text, std::string& out);

// `n` bytes from OpenSSL's CSPRNG; fails only when it cannot be seeded.
Result<std::string> random_bytes(std::size_t n);
// A random (version 4) UUID in its 36-character text form.
Result<std::string> uuid4();

struct Ed25519Key {
  std::string seed;        // 32 bytes: the private key
  std::string public_key;  // 32 bytes
  // OpenSSL's form of the key, made once by ed25519_from_seed: making it derives the public
  // key (a scalar multiplication), which a hook would otherwise pay again for each signature.
  std::shared_ptr<evp_pkey_st> openssl;
};

Result<Ed25519Key> ed25519_generate();
Result<Ed25519Key> ed25519_from_seed(std::string_view seed);
// The 64-byte signature of `message` (pure Ed25519: the message itself, not a digest).
Result<std::string> ed25519_sign(const Ed25519Key& key, std::string_view message);
bool ed25519_verify(std::string_view public_key, std::string_view message,
                    std::string_view signature);

// Both halves, given: no derivation (see read_private_key_pem for when that is safe).
Result<Ed25519Key> ed25519_from_pair(std::string_view seed, std::string_view public_key);

// Standard PEM: PKCS#8 `PRIVATE KEY` and SubjectPublicKeyInfo `PUBLIC KEY`, what
// `openssl pkey` reads and writes. A private key file holds the PKCS#8 block and then its
// public key's block (`openssl pkey` and `pkeyutl -inkey` read the first).
std::string private_key_pem(const Ed25519Key& key);
std::string public_key_pem(std::string_view public_key);
// Reads a private key in PKCS#8 PEM or the other tool's `ED25519 PRIVATE KEY` (base64 of the
// raw 32-byte seed). Errors ("key") say which format was expected.
Result<Ed25519Key> read_private_key_pem(std::string_view text);
// The other tool's formats: base64 of the raw 32 bytes in 64-character lines, between
// `-----BEGIN ED25519 PRIVATE KEY-----` / `-----BEGIN PUBLIC KEY-----` and their END lines.
std::string legacy_private_key_pem(const Ed25519Key& key);
std::string legacy_public_key_pem(std::string_view public_key);
// Reads a public key in SubjectPublicKeyInfo PEM, or the other tool's `PUBLIC KEY` block holding
// the raw 32-byte key. Returns the 32 raw bytes.
Result<std::string> read_public_key_pem(std::string_view text);

}  // namespace vectimus::audit
