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
uint32_t note_key_hash(std::string_view key_name, std::string_view public_key);
// The signed-note verifier key: `<name>+<hex key hash>+<base64(0x01 || public key)>`.
std::string note_vkey(std::string_view key_name, std::string_view public_key);
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
