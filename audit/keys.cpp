#include "audit/keys.hpp"

namespace vectimus::audit {
namespace {

constexpr std::size_t kMaxKeyFile = 64 * 1024;

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

Result<std::string> read_file(const Host& host, const std::string& path) {
  FileRead r = host.fs->read(path, kMaxKeyFile);
  if (r.status == FileRead::Status::ok) return std::move(r.text);
  if (r.status == FileRead::Status::missing) return make_error("key", "`" + path + "` is missing");
  if (r.status == FileRead::Status::too_large) {
    return make_error("key", "`" + path + "` is too large to be a key");
  }
  return make_error("key", "cannot read `" + path + "`: " + r.error);
}

std::string first_key_file(const Host& host, const std::string& dir) {
  for (const std::string& name : host.fs->list(dir, false)) {
    if (ends_with(name, ".key")) return join_path(dir, name);
  }
  return {};
}

}  // namespace

Result<SigningKey> read_signing_key(const Host& host, const std::string& path) {
  Result<std::string> text = read_file(host, path);
  if (!text) return std::move(text).take_errors();
  Result<Ed25519Key> key = read_private_key_pem(*text);
  if (!key) {
    return make_error("key",
                      "the signing key `" + path + "` is broken: " + key.errors()[0].message);
  }
  SigningKey out{std::move(key).value(), {}};
  out.id = key_id(out.key.public_key);
  return out;
}

std::string key_id(std::string_view public_key) {
  return "vtms-key-" + hex(sha256(public_key).substr(0, 3));
}

std::string home_keys_dir(const std::string& home) {
  return join_path(join_path(home, ".vectimus"), "keys");
}

std::string project_keys_dir(const std::string& project_root) {
  return join_path(join_path(project_root, ".vectimus"), "keys");
}

Result<SigningKey> load_or_create_signing_key(const Host& host, const std::string& home) {
  const std::string dir = home_keys_dir(home);
  if (std::string path = first_key_file(host, dir); !path.empty()) {
    return read_signing_key(host, path);
  }
  if (IoStatus s = host.fs->make_directories(dir, 0700); !s.ok()) {
    return make_error("io", "cannot create the key folder: " + s.error);
  }
  if (IoStatus s = host.fs->set_mode(dir, 0700); !s.ok()) return make_error("io", s.error);
  // Two hooks starting at once must end with one key: the second finds the first's.
  Result<FileLock> lock = host.fs->lock(join_path(dir, ".lock"), 0600);
  if (!lock) return std::move(lock).take_errors();
  if (std::string path = first_key_file(host, dir); !path.empty()) {
    return read_signing_key(host, path);
  }
  Result<Ed25519Key> key = ed25519_generate();
  if (!key) return std::move(key).take_errors();
  SigningKey out{std::move(key).value(), {}};
  out.id = key_id(out.key.public_key);
  // The public key first: a private key without its public half would be published broken.
  if (IoStatus s = host.fs->replace(join_path(dir, out.id + ".pub"),
                                    public_key_pem(out.key.public_key), 0644);
      !s.ok()) {
    return make_error("io", "cannot write the public key: " + s.error);
  }
  if (IoStatus s =
          host.fs->replace(join_path(dir, out.id + ".key"), private_key_pem(out.key), 0600);
      !s.ok()) {
    return make_error("io", "cannot write the signing key: " + s.error);
  }
  return out;
}

IoStatus publish_public_key(const Host& host, const std::string& project_root,
                            const SigningKey& key) {
  const std::string dir = project_keys_dir(project_root);
  const std::string path = join_path(dir, key.id + ".pub");
  if (host.fs->exists(path)) return {};
  if (IoStatus s = host.fs->make_directories(dir, 0755); !s.ok()) return s;
  return host.fs->replace(path, public_key_pem(key.key.public_key), 0644);
}

Result<PublicKey> find_public_key(const Host& host, const std::string& id,
                                  const std::string& explicit_file, const std::string& home) {
  std::vector<std::string> candidates;
  if (!explicit_file.empty()) {
    candidates.push_back(explicit_file);
  } else {
    candidates.push_back(join_path(project_keys_dir(host.cwd), id + ".pub"));
    if (!home.empty()) candidates.push_back(join_path(home_keys_dir(home), id + ".pub"));
  }
  for (const std::string& path : candidates) {
    FileRead r = host.fs->read(path, kMaxKeyFile);
    if (r.status == FileRead::Status::missing) continue;
    if (r.status != FileRead::Status::ok) {
      return make_error("key", "cannot read the public key `" + path + "`");
    }
    Result<std::string> raw = read_public_key_pem(r.text);
    if (!raw) return make_error("key", "`" + path + "`: " + raw.errors()[0].message);
    return PublicKey{std::move(raw).value(), id, path};
  }
  return make_error("key", "public key `" + id + "` not found");
}

std::vector<PublicKey> public_keys_in(const Host& host, const std::string& dir) {
  std::vector<PublicKey> out;
  for (const std::string& name : host.fs->list(dir, false)) {
    if (!ends_with(name, ".pub")) continue;
    const std::string path = join_path(dir, name);
    FileRead r = host.fs->read(path, kMaxKeyFile);
    if (r.status != FileRead::Status::ok) continue;
    Result<std::string> raw = read_public_key_pem(r.text);
    if (!raw) continue;
    out.push_back(PublicKey{*raw, key_id(*raw), path});
  }
  return out;
}

}  // namespace vectimus::audit
