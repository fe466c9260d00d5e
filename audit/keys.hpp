// Signing keys on disk: the user's Ed25519 key in `~/.vectimus/keys/` and the public keys a
// verifier looks up by id.
//
// issue_receipt() asks for the signing key (made on first need, under a lock so two hooks
// starting at once make one key) and publishes its public key into the project's
// `.vectimus/keys/`, so receipts verify without the user's home. Verifiers look a key id up in
// an explicit file, the project's keys, then the home's keys.
//
// Key id: `vtms-key-` + the first 3 bytes, in hex, of SHA-256 of the raw 32-byte public key.
// Files: `<id>.key` (PKCS#8 PEM, 0600) and `<id>.pub` (SubjectPublicKeyInfo PEM, 0644) in a
// 0700 folder. Keys in the other tool's raw-base64 PEM are read as well.
#pragma once

#include <string>
#include <vector>

#include "audit/crypto.hpp"
#include "support/host.hpp"

namespace vectimus::audit {

struct SigningKey {
  Ed25519Key key;
  std::string id;  // vtms-key-xxxxxx
};

struct PublicKey {
  std::string raw;  // 32 bytes
  std::string id;
  std::string path;  // where it was found
};

std::string key_id(std::string_view public_key);
std::string home_keys_dir(const std::string& home);
std::string project_keys_dir(const std::string& project_root);

// The first (by name) `*.key` in the home's key folder, or a new key written there.
Result<SigningKey> load_or_create_signing_key(const Host& host, const std::string& home);

// The private key in `path` (PKCS#8 PEM or the other tool's format), e.g. a team's key given
// with `--key`. Error code "key".
Result<SigningKey> read_signing_key(const Host& host, const std::string& path);

// Copies the public key into `<project>/.vectimus/keys/<id>.pub` when it is not there yet.
IoStatus publish_public_key(const Host& host, const std::string& project_root,
                            const SigningKey& key);

// Looks `id` up: `explicit_file` when given (its id is not checked: the user chose it), else
// `<cwd>/.vectimus/keys/<id>.pub`, else `<home>/.vectimus/keys/<id>.pub`. Error code "key".
Result<PublicKey> find_public_key(const Host& host, const std::string& id,
                                  const std::string& explicit_file, const std::string& home);

// Every readable `*.pub` in `dir` (for checkpoints, whose signature names a key by hash).
std::vector<PublicKey> public_keys_in(const Host& host, const std::string& dir);

}  // namespace vectimus::audit
