// Signed policy bundles: a team's packs in one file, with proof of who published them and what
// they hold. `vectimus policy bundle` makes one (make_bundle), `vectimus policy update` checks
// one (verify_bundle) before bundle/install.hpp installs it.
//
// The file is one JSON document, readable with any JSON tool (`jq -r '.files[0].content'`):
//
//   {"manifest": {"format": "vectimus-bundle/1", "version": "2.1.0",
//                 "created": "2026-12-06T04:31:09.123456+00:00", "signer": "vtms-key-1a2b3c",
//                 "packs": [{"name": "team", "version": "1.0.0"}],
//                 "files": [{"path": "team/pack.toml", "sha256": "…", "size": 93}, …]},
//    "signature": "<base64 Ed25519 over the manifest's RFC 8785 canonical bytes>",
//    "files": [{"path": "team/pack.toml", "content": "…"}, …]}
//
// Only the manifest is signed; each file is bound to it by its SHA-256 and size, so the signature
// covers every byte that gets installed. Contents are JSON strings rather than base64 or a tar:
// packs are UTF-8 text (the Cedar parser and toml++ accept nothing else), and an auditor reads
// them as they are. Paths are exactly `<pack>/pack.toml` or `<pack>/<file>.cedar`, where `<pack>`
// is the pack's name: nothing else can be written (no `..`, no absolute paths, no links, no
// nested folders), which is what makes an install from an untrusted source safe to unpack.
//
// Verification, in order, each failure an error whose code names the refusal: `format` (not a
// bundle, unknown format, limits), `untrusted-key` (no trusted key has the signer's id),
// `signature` (no trusted key of that id verifies it), `path` (a path outside the layout
// above), `hash` (a file's SHA-256 or size differs from the manifest, or a file is missing or
// extra), `pack` (the manifest's packs differ from the pack.toml files). Loading and linting the
// packs (`lint`) and the version check (`rollback`) are bundle/install.hpp's, which knows what is
// installed.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/keys.hpp"
#include "support/host.hpp"
#include "support/result.hpp"

namespace vectimus::bundle {

inline constexpr std::string_view kFormat = "vectimus-bundle/1";
// A bundle is a handful of text files; anything near this is not one.
inline constexpr std::size_t kMaxBundleBytes = 32u << 20;
inline constexpr std::size_t kMaxFiles = 4096;

struct PackEntry {
  std::string name;
  std::string version;
};

struct FileEntry {
  std::string path;    // <pack>/pack.toml or <pack>/<name>.cedar
  std::string sha256;  // lowercase hex
  uint64_t size = 0;
  std::string content;  // verified against sha256 and size
};

struct Bundle {
  std::string version;
  std::string created;  // ISO 8601 UTC, when it was signed
  std::string signer;   // key id, vtms-key-xxxxxx
  std::vector<PackEntry> packs;
  std::vector<FileEntry> files;
  std::string digest;       // SHA-256 hex of the canonical manifest: the bundle's identity
  std::string signer_path;  // verify_bundle: the trusted key file that verified it
};

// Reads every pack under `dirs` (each a pack folder with a pack.toml, or a folder of them) and
// returns the signed bundle file's bytes. `version` empty: the signing time. A folder without a
// pack.toml, a pack name that is not a plain folder name, or two packs of one name is an error.
// Linting is the caller's (check_packs in bundle/install.hpp), so a broken pack is never
// published.
Result<std::string> make_bundle(const Host& host, const std::vector<std::string>& dirs,
                                const std::string& version, const audit::SigningKey& key,
                                int64_t now_ns);
// The packs of make_bundle() before signing (for checking them first).
Result<std::vector<FileEntry>> collect_pack_files(const Host& host,
                                                  const std::vector<std::string>& dirs);

// Parses and checks `bytes` against `trusted` keys (see the header comment for the order and
// the error codes). Only a bundle that passes every check is returned.
Result<Bundle> verify_bundle(std::string_view bytes, std::span<const audit::PublicKey> trusted);

// Compares versions as `sort -V` does: runs of digits numerically, other runs bytewise, a
// prefix first. <0, 0, >0. "1.10" > "1.9"; "2026-12-06T04:31:09…" orders by time.
int compare_versions(std::string_view a, std::string_view b);

// Whether `name` may be a pack folder: [A-Za-z0-9._-], not starting with '.', at most 100.
bool valid_pack_name(std::string_view name);

}  // namespace vectimus::bundle
