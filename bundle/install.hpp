// Installing a verified bundle where the loader finds it, atomically, and what is installed.
//
//   install_bundle(bytes)
//     ─verify_bundle (bundle.hpp: format, trusted signer, signature, paths, hashes)
//     ─check_packs (every pack parses, its rules carry @id, @description and
//       @suggested_alternative, and it compiles together with the built-in packs)      "lint"
//     ─under ~/.vectimus/policy-cache/.lock: not older than the installed bundle       "rollback"
//     ─write every file into .staging-<random>/, rename it to bundle-<digest>/, then replace
//       the pointer file `current` (engine/packs.hpp) with that name: a hook sees the old
//       bundle or the new one, never a mix or a half-written one. The previous bundle's folder
//       is kept (a hook that read the old pointer a moment ago still finds its files); older
//       ones are removed.
//
// Anything refused leaves the installed set as it was (the staging folder is removed). Versions:
// a bundle older than the installed one (compare_versions) is refused; the same version with the
// same signed manifest is "unchanged" (nothing is written); the same version with different
// content is refused too, since two different bundles must not share a version (a team that
// re-publishes must raise it).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "audit/keys.hpp"
#include "bundle/bundle.hpp"
#include "support/host.hpp"
#include "support/result.hpp"

namespace vectimus::bundle {

// `[updates] trusted_keys` entries: a public key file (absolute or `~/` path, SubjectPublicKeyInfo
// PEM or the other tool's format), or a key id (`vtms-key-xxxxxx`, looked up in
// `~/.vectimus/keys/<id>.pub`). A missing or broken one is an error naming it.
Result<std::vector<audit::PublicKey>> load_trusted_keys(const Host& host,
                                                        const std::vector<std::string>& entries,
                                                        const std::string& home);

// Lints `files` as packs placed over the built-in ones: parse errors, ids (within the bundle and
// against the built-in packs), `@enforcement` values and the pack annotations. Errors keep the
// files' bundle paths (`team/rules.cedar:3:1`), after one "lint" error that says what failed.
Diagnostics check_packs(const std::vector<FileEntry>& files);

struct Installed {
  std::string version;
  std::string created;
  std::string signer;
  std::string signer_key;  // the trusted key file that verified it
  std::string digest;
  std::string source;        // the file or URL it came from
  std::string installed_at;  // ISO 8601
  std::string folder;        // ~/.vectimus/policy-cache/bundle-…
  std::vector<PackEntry> packs;
};

std::string policy_cache_dir(const std::string& home);
// The installed bundle, or nullopt when none is (or its record cannot be read).
std::optional<Installed> read_installed(const Host& host, const std::string& home);

enum class InstallOutcome : uint8_t { installed, unchanged };
struct InstallResult {
  InstallOutcome outcome = InstallOutcome::installed;
  Installed now;
  std::optional<Installed> before;
};

Result<InstallResult> install_bundle(const Host& host, const std::string& home,
                                     std::string_view bytes, const std::string& source,
                                     std::span<const audit::PublicKey> trusted);

// The last `policy update` (by hand or auto_sync): when, from where, and what came of it.
struct LastCheck {
  int64_t time_ns = 0;
  std::string source;
  std::string result;  // "installed 2.0.0", "unchanged", "refused: …", "failed: …"
};
std::optional<LastCheck> read_last_check(const Host& host, const std::string& home);
IoStatus write_last_check(const Host& host, const std::string& home, const LastCheck& check);
// `~/.vectimus/policy-cache/last-check.json`: its age decides whether auto_sync is due.
std::string last_check_path(const std::string& home);

}  // namespace vectimus::bundle
