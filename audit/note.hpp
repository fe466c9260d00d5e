// C2SP tlog-checkpoint inside a C2SP signed-note: the signed head of a project's receipt log.
//
//   <origin>\n<tree size>\n<base64 root hash>\n      (the checkpoint: the note text)
//   \n
//   — <key name> <base64(4-byte key hash || 64-byte Ed25519 signature)>\n
//
// The key name is the log's origin; the key hash is the first 4 bytes of
// SHA-256(name || 0x0A || 0x01 || public key) (signed-note, Ed25519 type 0x01), so a verifier
// holding several project keys knows which one signed. The signature is over the note text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "audit/crypto.hpp"
#include "audit/keys.hpp"

namespace vectimus::audit {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  std::string root;  // 32 raw bytes
};

std::string checkpoint_text(const Checkpoint& checkpoint);
// The 4-byte key hash of signed-note: SHA-256(name || 0x0A || type || public key)[:4]; type 0x01
// for a note signature, 0x04 for a C2SP cosignature/v1.
inline constexpr uint8_t kNoteSignatureType = 0x01;
inline constexpr uint8_t kCosignatureType = 0x04;
uint32_t note_key_hash(std::string_view key_name, std::string_view public_key,
                       uint8_t type = kNoteSignatureType);
// `value`'s low `bytes` bytes, most significant first (the key hash, a cosignature's time).
std::string big_endian(uint64_t value, int bytes);
uint64_t read_big_endian(std::string_view bytes);
// The signed-note verifier key: `<name>+<hex key hash>+<base64(0x01 || public key)>`.
std::string note_vkey(std::string_view key_name, std::string_view public_key);
struct VerifierKey {
  std::string name;
  std::string public_key;  // 32 raw bytes
};
// Reads a verifier key of an Ed25519 note signer (type 0x01), checking its key hash.
Result<VerifierKey> parse_vkey(std::string_view vkey);
Result<std::string> sign_note(std::string_view text, std::string_view key_name,
                              const Ed25519Key& key);

struct NoteSignature {
  std::string key_name;
  uint32_t key_hash = 0;
  std::string signature;  // without the key hash
};
struct SignedNote {
  std::string text;
  std::vector<NoteSignature> signatures;
};

Result<SignedNote> parse_note(std::string_view note);
Result<Checkpoint> parse_checkpoint(std::string_view text);
// Verifies `note` with the key among `keys` whose name (`key_name`) and hash match a signature
// line. Returns the id of the key that verified; errors name what failed.
Result<std::string> verify_note(const SignedNote& note, std::string_view key_name,
                                const std::vector<PublicKey>& keys);

}  // namespace vectimus::audit
