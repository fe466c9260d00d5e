#include "bundle/install.hpp"

#include <algorithm>
#include <filesystem>

#include "audit/crypto.hpp"
#include "audit/json.hpp"
#include "audit/record.hpp"
#include "audit/summary.hpp"
#include "engine/packs.hpp"
#include "ir/checks.hpp"
#include "support/json_writer.hpp"

namespace vectimus::bundle {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxRecordBytes = 1u << 20;
constexpr std::string_view kInstalledFile = "installed.json";
constexpr std::string_view kBundleFile = "bundle.json";

Diagnostic refused(std::string code, std::string message, std::string help = {}) {
  return make_error(std::move(code), std::move(message), std::nullopt, std::move(help));
}

// The bundle's packs, in manifest order, as the loader would read them.
Result<std::vector<engine::Pack>> packs_of(const std::vector<FileEntry>& files) {
  std::vector<engine::Pack> packs;
  for (const FileEntry& f : files) {
    if (!f.path.ends_with("/pack.toml")) continue;
    SourcePtr source = make_source(f.path, f.content);
    auto manifest = engine::parse_pack_manifest(source);
    if (!manifest) return std::move(manifest).take_errors();
    engine::Pack pack{std::move(manifest).value(), f.path.substr(0, f.path.find('/')), source, {}};
    if (pack.manifest.name != pack.location) {
      return refused("pack", "`" + f.path + "` names the pack `" + pack.manifest.name + "`, not `" +
                                 pack.location + "`");
    }
    packs.push_back(std::move(pack));
  }
  // .cedar files in name order, as engine::discover_packs reads a folder.
  std::vector<const FileEntry*> cedar;
  for (const FileEntry& f : files) {
    if (f.path.ends_with(".cedar")) cedar.push_back(&f);
  }
  std::sort(cedar.begin(), cedar.end(),
            [](const FileEntry* a, const FileEntry* b) { return a->path < b->path; });
  for (const FileEntry* f : cedar) {
    const std::string folder = f->path.substr(0, f->path.find('/'));
    for (engine::Pack& pack : packs) {
      if (pack.location == folder) pack.files.push_back(make_source(f->path, f->content));
    }
  }
  return packs;
}

std::string text_at(const audit::JsonValue& v, std::string_view key) {
  return std::string(v.string_at(key));
}

// Writes the bundle's files into `dir` (created), plus the original bytes and the install record.
IoStatus write_tree(const Host& host, const std::string& dir, const Bundle& b,
                    std::string_view bytes, const std::string& record) {
  if (IoStatus s = host.fs->make_directories(dir, 0755); !s.ok()) return s;
  for (const PackEntry& p : b.packs) {
    if (IoStatus s = host.fs->make_directories(join_path(dir, p.name), 0755); !s.ok()) return s;
  }
  for (const FileEntry& f : b.files) {
    if (IoStatus s = host.fs->replace(join_path(dir, f.path), f.content, 0644); !s.ok()) return s;
  }
  if (IoStatus s = host.fs->replace(join_path(dir, kBundleFile), bytes, 0644); !s.ok()) return s;
  return host.fs->replace(join_path(dir, kInstalledFile), record, 0644);
}

std::string installed_record(const Bundle& b, const std::string& source, int64_t now_ns) {
  JsonWriter w;
  w.begin_object();
  w.key("version").value(b.version).key("created").value(b.created);
  w.key("signer").value(b.signer).key("signer_key").value(b.signer_path);
  w.key("digest").value(b.digest).key("source").value(source);
  w.key("installed_at").value(audit::iso_timestamp(now_ns));
  w.key("packs").begin_array();
  for (const PackEntry& p : b.packs) {
    w.begin_object().key("name").value(p.name).key("version").value(p.version).end_object();
  }
  w.end_array().end_object();
  return w.take() + "\n";
}

// Removes the bundle folders other than `keep` (the new and the previous one) and stale staging
// folders of interrupted updates (we hold the lock, so none is in use).
void prune(const std::string& cache, std::span<const std::string> keep) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(cache, ec)) {
    const std::string name = entry.path().filename().string();
    const bool ours = name.starts_with("bundle-") || name.starts_with(".staging-");
    if (!ours || std::find(keep.begin(), keep.end(), name) != keep.end()) continue;
    fs::remove_all(entry.path(), ec);
  }
}

// The version rule (see install.hpp). nullopt: go ahead; else unchanged or the refusal.
std::optional<Result<InstallOutcome>> version_check(const Bundle& b,
                                                    const std::optional<Installed>& before) {
  if (!before) return std::nullopt;
  const int order = compare_versions(b.version, before->version);
  if (order > 0) return std::nullopt;
  if (order == 0 && b.digest == before->digest)
    return Result<InstallOutcome>(InstallOutcome::unchanged);
  if (order == 0) {
    return Result<InstallOutcome>(
        refused("rollback",
                "bundle version `" + b.version + "` is installed already, with different content",
                "a changed bundle needs a higher version (`vectimus policy bundle --version`)"));
  }
  return Result<InstallOutcome>(refused(
      "rollback",
      "bundle version `" + b.version + "` is older than the installed `" + before->version + "`",
      "updates never go back; publish the old packs again with a higher version"));
}

Result<std::string> move_into_place(const Host& host, const std::string& cache, const Bundle& b,
                                    std::string_view bytes, const std::string& record) {
  auto random = audit::random_bytes(8);
  if (!random) return std::move(random).take_errors();
  const std::string staging = join_path(cache, ".staging-" + audit::hex(*random));
  const std::string name = "bundle-" + b.digest.substr(0, 16);
  IoStatus s = write_tree(host, staging, b, bytes, record);
  std::error_code ec;
  if (s.ok()) {
    fs::remove_all(join_path(cache, name), ec);  // an earlier copy of this very bundle
    s = host.fs->rename(staging, join_path(cache, name));
  }
  if (!s.ok()) {
    fs::remove_all(staging, ec);
    return refused("io", "cannot install the bundle: " + s.error);
  }
  return name;
}

}  // namespace

std::string policy_cache_dir(const std::string& home) {
  return join_path(home, engine::kPolicyCacheDir);
}

std::string last_check_path(const std::string& home) {
  return join_path(policy_cache_dir(home), "last-check.json");
}

Result<std::vector<audit::PublicKey>> load_trusted_keys(const Host& host,
                                                        const std::vector<std::string>& entries,
                                                        const std::string& home) {
  std::vector<audit::PublicKey> keys;
  for (const std::string& entry : entries) {
    std::string path = entry;
    if (entry.starts_with("vtms-key-")) {
      path = join_path(audit::home_keys_dir(home), entry + ".pub");
    } else if (entry.starts_with("~/")) {
      path = join_path(home, entry.substr(2));
    } else if (!entry.starts_with("/")) {
      return refused("key",
                     "trusted key `" + entry + "` is not a key id, an absolute path or a `~/` path",
                     "`[updates] trusted_keys` lists public key files or `vtms-key-…` ids");
    }
    FileRead read = host.fs->read(path, 64 * 1024);
    if (read.status != FileRead::Status::ok) {
      return refused("key", "trusted key `" + entry + "`: cannot read `" + path + "`" +
                                (read.status == FileRead::Status::missing ? ": no such file" : ""));
    }
    auto raw = audit::read_public_key_pem(read.text);
    if (!raw) {
      return refused(
          "key", "trusted key `" + path + "` is not a public key: " + raw.errors().front().message);
    }
    keys.push_back({*raw, audit::key_id(*raw), path});
  }
  return keys;
}

Diagnostics check_packs(const std::vector<FileEntry>& files) {
  Diagnostics found;
  auto packs = packs_of(files);
  if (!packs) {
    found = packs.errors();
  } else {
    // Alone first (their own syntax, ids and annotations), then over the built-in packs as
    // the loader will place them (an id shared with a built-in rule would deny every call).
    auto own = engine::compile_packs(*packs);
    if (!own) {
      found = own.errors();
    } else {
      for (const ir::Policy& policy : own->set().policies) {
        if (policy.id() == "vectimus-allow-unless-forbidden") continue;
        const Diagnostics missing = ir::check_annotations(policy, ir::kPackAnnotations);
        found.insert(found.end(), missing.begin(), missing.end());
      }
      std::vector<engine::Pack> all = engine::builtin_packs();
      for (engine::Pack& pack : *packs) {
        const auto same = std::find_if(all.begin(), all.end(), [&](const engine::Pack& p) {
          return p.manifest.name == pack.manifest.name;
        });
        if (same != all.end()) {
          *same = std::move(pack);
        } else {
          all.push_back(std::move(pack));
        }
      }
      if (auto together = engine::compile_packs(std::move(all)); !together) {
        found.insert(found.end(), together.errors().begin(), together.errors().end());
      }
    }
  }
  if (found.empty()) return found;
  found.insert(found.begin(),
               refused("lint", "a pack of the bundle does not load or lint (" +
                                   std::to_string(found.size()) + " problems below)"));
  return found;
}

std::optional<Installed> read_installed(const Host& host, const std::string& home) {
  // A broken pointer reads as no bundle here: an update then installs over it.
  const auto pointer = engine::installed_bundle_dir(host, home);
  const std::optional<std::string> dir = pointer ? *pointer : std::nullopt;
  if (!dir) return std::nullopt;
  FileRead read = host.fs->read(join_path(*dir, kInstalledFile), kMaxRecordBytes);
  if (read.status != FileRead::Status::ok) return std::nullopt;
  auto json = audit::parse_json(read.text);
  if (!json) return std::nullopt;
  Installed out{text_at(*json, "version"),
                text_at(*json, "created"),
                text_at(*json, "signer"),
                text_at(*json, "signer_key"),
                text_at(*json, "digest"),
                text_at(*json, "source"),
                text_at(*json, "installed_at"),
                *dir,
                {}};
  if (const audit::JsonValue* packs = json->find("packs")) {
    for (const audit::JsonValue& p : packs->items) {
      out.packs.push_back({text_at(p, "name"), text_at(p, "version")});
    }
  }
  return out;
}

Result<InstallResult> install_bundle(const Host& host, const std::string& home,
                                     std::string_view bytes, const std::string& source,
                                     std::span<const audit::PublicKey> trusted) {
  auto bundle = verify_bundle(bytes, trusted);
  if (!bundle) return std::move(bundle).take_errors();
  if (Diagnostics bad = check_packs(bundle->files); !bad.empty()) return bad;
  const std::string cache = policy_cache_dir(home);
  if (IoStatus s = host.fs->make_directories(cache, 0755); !s.ok()) {
    return refused("io", "cannot create `" + cache + "`: " + s.error);
  }
  // Two updates at once (a person and auto_sync) install one after the other.
  Result<FileLock> lock = host.fs->lock(join_path(cache, ".lock"), 0600);
  if (!lock) return std::move(lock).take_errors();
  InstallResult out;
  out.before = read_installed(host, home);
  if (auto verdict = version_check(*bundle, out.before)) {
    if (!*verdict) return std::move(*verdict).take_errors();
    out.outcome = InstallOutcome::unchanged;
    out.now = *out.before;
    return out;
  }
  const std::string record = installed_record(*bundle, source, host.now_ns());
  auto name = move_into_place(host, cache, *bundle, bytes, record);
  if (!name) return std::move(name).take_errors();
  if (IoStatus s =
          host.fs->replace(join_path(cache, engine::kPolicyCacheCurrent), *name + "\n", 0644);
      !s.ok()) {
    return refused("io", "cannot switch to the new bundle: " + s.error);
  }
  std::vector<std::string> keep{*name};
  if (out.before) keep.push_back(fs::path(out.before->folder).filename().string());
  prune(cache, keep);
  auto now = read_installed(host, home);
  if (!now) return refused("io", "the bundle was installed but its record cannot be read back");
  out.now = std::move(*now);
  return out;
}

std::optional<LastCheck> read_last_check(const Host& host, const std::string& home) {
  FileRead read = host.fs->read(last_check_path(home), kMaxRecordBytes);
  if (read.status != FileRead::Status::ok) return std::nullopt;
  auto json = audit::parse_json(read.text);
  if (!json) return std::nullopt;
  LastCheck out{0, text_at(*json, "source"), text_at(*json, "result")};
  if (!audit::parse_iso_time(json->string_at("time"), out.time_ns)) return std::nullopt;
  return out;
}

IoStatus write_last_check(const Host& host, const std::string& home, const LastCheck& check) {
  if (IoStatus s = host.fs->make_directories(policy_cache_dir(home), 0755); !s.ok()) return s;
  JsonWriter w;
  w.begin_object().key("time").value(audit::iso_timestamp(check.time_ns));
  w.key("source").value(check.source).key("result").value(check.result).end_object();
  return host.fs->replace(last_check_path(home), w.take() + "\n", 0644, false);
}

}  // namespace vectimus::bundle
