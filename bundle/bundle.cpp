#include "bundle/bundle.hpp"

#include <algorithm>
#include <map>

#include "audit/crypto.hpp"
#include "audit/json.hpp"
#include "audit/record.hpp"
#include "engine/packs.hpp"

namespace vectimus::bundle {
namespace {

using audit::JsonValue;

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

Diagnostic refused(std::string code, std::string message, std::string help = {}) {
  return make_error(std::move(code), std::move(message), std::nullopt, std::move(help));
}

// The signed part, in the order people read it (the signature is over its canonical form).
JsonValue manifest_json(const Bundle& b) {
  JsonValue m = JsonValue::object_value();
  m.set("format", JsonValue::string_value(std::string(kFormat)));
  m.set("version", JsonValue::string_value(b.version));
  m.set("created", JsonValue::string_value(b.created));
  m.set("signer", JsonValue::string_value(b.signer));
  JsonValue packs{JsonValue::Kind::array};
  for (const PackEntry& p : b.packs) {
    JsonValue entry = JsonValue::object_value();
    entry.set("name", JsonValue::string_value(p.name));
    entry.set("version", JsonValue::string_value(p.version));
    packs.items.push_back(std::move(entry));
  }
  m.set("packs", std::move(packs));
  JsonValue files{JsonValue::Kind::array};
  for (const FileEntry& f : b.files) {
    JsonValue entry = JsonValue::object_value();
    entry.set("path", JsonValue::string_value(f.path));
    entry.set("sha256", JsonValue::string_value(f.sha256));
    entry.set("size", JsonValue::integer_value(static_cast<int64_t>(f.size)));
    files.items.push_back(std::move(entry));
  }
  m.set("files", std::move(files));
  return m;
}

// `<pack>/pack.toml` or `<pack>/<name>.cedar`, nothing else.
bool valid_path(std::string_view path) {
  const std::size_t slash = path.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view pack = path.substr(0, slash);
  const std::string_view file = path.substr(slash + 1);
  if (!valid_pack_name(pack)) return false;
  if (file == "pack.toml") return true;
  return ends_with(file, ".cedar") && file.size() > 6 && valid_pack_name(file);
}

// Reads the manifest's fields; `format` errors for anything missing or of the wrong type.
Result<Bundle> read_manifest(const JsonValue& m) {
  if (m.kind != JsonValue::Kind::object) return refused("format", "`manifest` is not an object");
  if (m.string_at("format") != kFormat) {
    return refused("format", "unknown bundle format `" + std::string(m.string_at("format")) + "`",
                   "this vectimus reads `" + std::string(kFormat) + "`; update vectimus");
  }
  Bundle b;
  b.version = m.string_at("version");
  b.created = m.string_at("created");
  b.signer = m.string_at("signer");
  if (b.version.empty() || b.created.empty() || b.signer.empty()) {
    return refused("format", "the manifest lacks `version`, `created` or `signer`");
  }
  const JsonValue* packs = m.find("packs");
  const JsonValue* files = m.find("files");
  if (!packs || packs->kind != JsonValue::Kind::array || !files ||
      files->kind != JsonValue::Kind::array) {
    return refused("format", "the manifest lacks its `packs` or `files` list");
  }
  if (files->items.size() > kMaxFiles) {
    return refused("format", "the manifest lists over " + std::to_string(kMaxFiles) + " files");
  }
  for (const JsonValue& p : packs->items) {
    b.packs.push_back({std::string(p.string_at("name")), std::string(p.string_at("version"))});
  }
  for (const JsonValue& f : files->items) {
    FileEntry entry{std::string(f.string_at("path")), std::string(f.string_at("sha256")), 0, {}};
    const JsonValue* size = f.find("size");
    if (!size || size->kind != JsonValue::Kind::integer || size->number < 0) {
      return refused("format", "file `" + entry.path + "` has no size in the manifest");
    }
    entry.size = static_cast<uint64_t>(size->number);
    b.files.push_back(std::move(entry));
  }
  return b;
}

// The signer's id names which trusted keys to try; any of them verifying is enough (ids are
// short, so two keys may share one).
Diagnostics check_signature(Bundle& b, std::string_view signed_bytes, std::string_view signature,
                            std::span<const audit::PublicKey> trusted) {
  bool known = false;
  for (const audit::PublicKey& key : trusted) {
    if (key.id != b.signer) continue;
    known = true;
    if (audit::ed25519_verify(key.raw, signed_bytes, signature)) {
      b.signer_path = key.path;
      return {};
    }
  }
  if (!known) {
    return {refused("untrusted-key",
                    "the bundle is signed by `" + b.signer + "`, which is not a trusted key",
                    "add its public key file to `[updates] trusted_keys` once you know it is your "
                    "team's (`vectimus policy status` lists the trusted keys)")};
  }
  return {refused("signature",
                  "bad signature: the manifest does not verify with `" + b.signer + "`",
                  "the bundle was changed after it was signed, or signed by another key")};
}

// Every manifest file present once with its hash and size, and no file the manifest lacks.
Diagnostics check_files(Bundle& b, const JsonValue& files) {
  std::map<std::string, const JsonValue*, std::less<>> content;
  for (const JsonValue& f : files.items) {
    const std::string path(f.string_at("path"));
    const JsonValue* text = f.find("content");
    if (!text || text->kind != JsonValue::Kind::string) {
      return {refused("format", "file `" + path + "` has no `content` string")};
    }
    if (!content.emplace(path, text).second) {
      return {refused("hash", "file `" + path + "` appears twice")};
    }
  }
  for (FileEntry& entry : b.files) {
    if (!valid_path(entry.path)) {
      return {refused("path", "file path `" + entry.path + "` is not `<pack>/pack.toml` or " +
                                  "`<pack>/<name>.cedar`")};
    }
    const auto it = content.find(entry.path);
    if (it == content.end()) return {refused("hash", "file `" + entry.path + "` is missing")};
    entry.content = it->second->text;
    if (entry.content.size() != entry.size || audit::sha256_hex(entry.content) != entry.sha256) {
      return {refused("hash", "file `" + entry.path + "` was changed: its SHA-256 or size " +
                                  "differs from the signed manifest")};
    }
    content.erase(it);
  }
  if (!content.empty()) {
    return {refused("hash", "file `" + content.begin()->first + "` is not in the signed manifest")};
  }
  return {};
}

// The manifest's packs are exactly the folders with a pack.toml, each named as its folder.
Diagnostics check_pack_list(const Bundle& b) {
  std::vector<std::string> folders;
  for (const FileEntry& f : b.files) {
    const std::string folder = f.path.substr(0, f.path.find('/'));
    if (ends_with(f.path, "/pack.toml")) folders.push_back(folder);
  }
  std::vector<std::string> named;
  for (const PackEntry& p : b.packs) named.push_back(p.name);
  std::sort(folders.begin(), folders.end());
  std::sort(named.begin(), named.end());
  if (folders != named || b.packs.empty()) {
    return {refused("pack", "the manifest's packs do not match the bundle's pack.toml files")};
  }
  for (const FileEntry& f : b.files) {
    const std::string folder = f.path.substr(0, f.path.find('/'));
    if (!std::binary_search(folders.begin(), folders.end(), folder)) {
      return {refused("pack", "file `" + f.path + "` is in no pack (its folder has no pack.toml)")};
    }
  }
  return {};
}

}  // namespace

bool valid_pack_name(std::string_view name) {
  if (name.empty() || name.size() > 100 || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

Result<std::vector<FileEntry>> collect_pack_files(const Host& host,
                                                  const std::vector<std::string>& dirs) {
  std::vector<FileEntry> files;
  std::vector<std::string> names;
  for (const std::string& dir : dirs) {
    engine::PackSearch search;
    search.policy_dir = dir;
    search.policy_dir_origin = "the command line";
    auto packs = engine::discover_packs(host, search);
    if (!packs) return std::move(packs).take_errors();
    for (const engine::Pack& pack : *packs) {
      const std::string& name = pack.manifest.name;
      if (!pack.manifest_source) {
        return refused("pack", "`" + pack.location + "` has .cedar files but no pack.toml",
                       "a bundle carries packs: give the folder a pack.toml (its version is "
                       "what `vectimus policy status` shows)");
      }
      if (!valid_pack_name(name)) {
        return refused("pack", "pack name `" + name + "` cannot be a folder name",
                       "use letters, digits, `.`, `_` and `-`");
      }
      if (std::find(names.begin(), names.end(), name) != names.end()) {
        return refused("pack", "two packs are named `" + name + "`");
      }
      names.push_back(name);
      const auto add = [&](const SourcePtr& source, std::string file) {
        const std::string text(source->text);
        files.push_back({name + "/" + file, audit::sha256_hex(text), text.size(), text});
      };
      add(pack.manifest_source, "pack.toml");
      for (const SourcePtr& cedar : pack.files) {
        const std::string path(cedar->name);
        add(cedar, path.substr(path.find_last_of('/') + 1));
      }
    }
  }
  if (files.empty()) return refused("pack", "no packs to bundle");
  return files;
}

Result<std::string> make_bundle(const Host& host, const std::vector<std::string>& dirs,
                                const std::string& version, const audit::SigningKey& key,
                                int64_t now_ns) {
  auto files = collect_pack_files(host, dirs);
  if (!files) return std::move(files).take_errors();
  Bundle b;
  b.created = audit::iso_timestamp(now_ns);
  b.version = version.empty() ? b.created : version;
  b.signer = key.id;
  b.files = std::move(files).value();
  for (const FileEntry& f : b.files) {
    if (f.path.ends_with("/pack.toml")) {
      // The pack's own manifest gives its version; parse it again from the bytes we sign.
      auto manifest = engine::parse_pack_manifest(make_source(f.path, f.content));
      if (!manifest) return std::move(manifest).take_errors();
      b.packs.push_back({manifest->name, manifest->version});
    }
  }
  if (Diagnostics bad = check_pack_list(b); !bad.empty()) return bad;
  const JsonValue manifest = manifest_json(b);
  auto signature = audit::ed25519_sign(key.key, audit::canonical_json(manifest, audit::Canon::jcs));
  if (!signature) return std::move(signature).take_errors();
  JsonValue doc = JsonValue::object_value();
  doc.set("manifest", manifest);
  doc.set("signature", JsonValue::string_value(audit::base64_encode(*signature)));
  JsonValue contents{JsonValue::Kind::array};
  for (const FileEntry& f : b.files) {
    JsonValue entry = JsonValue::object_value();
    entry.set("path", JsonValue::string_value(f.path));
    entry.set("content", JsonValue::string_value(f.content));
    contents.items.push_back(std::move(entry));
  }
  doc.set("files", std::move(contents));
  return audit::pretty_json(doc, audit::Canon::jcs) + "\n";
}

Result<Bundle> verify_bundle(std::string_view bytes, std::span<const audit::PublicKey> trusted) {
  if (bytes.size() > kMaxBundleBytes) {
    return refused("format", "the bundle is over " + std::to_string(kMaxBundleBytes) + " bytes");
  }
  auto doc = audit::parse_json(bytes);
  if (!doc) {
    return refused("format", "not a bundle: " + doc.errors().front().message,
                   "a bundle is the JSON file `vectimus policy bundle` writes");
  }
  const JsonValue* manifest = doc->find("manifest");
  const JsonValue* files = doc->find("files");
  std::string signature;
  if (!manifest || !files || files->kind != JsonValue::Kind::array ||
      !audit::base64_decode(doc->string_at("signature"), signature)) {
    return refused("format", "not a bundle: it needs `manifest`, `signature` and `files`");
  }
  auto bundle = read_manifest(*manifest);
  if (!bundle) return bundle;
  const std::string signed_bytes = audit::canonical_json(*manifest, audit::Canon::jcs);
  if (Diagnostics bad = check_signature(*bundle, signed_bytes, signature, trusted); !bad.empty()) {
    return bad;
  }
  // Only a signed manifest is looked at further: its paths and hashes are the publisher's word.
  if (Diagnostics bad = check_files(*bundle, *files); !bad.empty()) return bad;
  if (Diagnostics bad = check_pack_list(*bundle); !bad.empty()) return bad;
  bundle->digest = audit::sha256_hex(signed_bytes);
  return bundle;
}

int compare_versions(std::string_view a, std::string_view b) {
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const bool digits = is_digit(a[i]);
    if (digits != is_digit(b[j])) return digits ? -1 : 1;  // as sort -V: digits first
    std::size_t ei = i;
    std::size_t ej = j;
    while (ei < a.size() && is_digit(a[ei]) == digits) ++ei;
    while (ej < b.size() && is_digit(b[ej]) == digits) ++ej;
    std::string_view x = a.substr(i, ei - i);
    std::string_view y = b.substr(j, ej - j);
    if (digits) {
      while (x.size() > 1 && x.front() == '0') x.remove_prefix(1);
      while (y.size() > 1 && y.front() == '0') y.remove_prefix(1);
      if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
    }
    if (const int c = x.compare(y); c != 0) return c < 0 ? -1 : 1;
    i = ei;
    j = ej;
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

}  // namespace vectimus::bundle
