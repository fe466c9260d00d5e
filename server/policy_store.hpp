// The one policy set the server decides with, and its live reload.
//
// The set is located from the server's working folder (config layers, packs, `--policy-dir`),
// never from an event's cwd: every developer is judged by the same rules. poll() (the server
// calls it every second) compares a fingerprint of everything the set was read from (the config
// files, each pack folder's files, the `rule disable --for` state file, by path, size and mtime);
// when it changed, the new set is loaded and checked first, and swapped in whole only if it
// loads. A broken set leaves the old one serving and keeps its error for /health.
//
// current() is the decision path: it takes no lock. Each thread keeps its own reference to the
// set and refreshes it only when the generation counter says a new one was swapped in.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "audit/keys.hpp"
#include "audit/writer.hpp"
#include "engine/engine.hpp"
#include "support/host.hpp"
#include "support/result.hpp"

namespace vectimus::server {

// The process's variables with a few set over them (`--observe` is VECTIMUS_OBSERVE=true).
class OverlayEnvironment final : public Environment {
 public:
  OverlayEnvironment(const Environment& base, std::map<std::string, std::string, std::less<>> over)
      : base_(base), over_(std::move(over)) {}
  std::optional<std::string> get(std::string_view name) const override;

 private:
  const Environment& base_;
  std::map<std::string, std::string, std::less<>> over_;
};

struct LoadedSet {
  Result<engine::Engine> engine;
  std::string hash;  // policy_set_hash; empty when the set did not load
  std::size_t rules = 0;
  int64_t loaded_ns = 0;
  // When the first `rule disable --for` it applied runs out (Unix seconds; 0: none): the set is
  // reloaded then, though no file changed.
  int64_t expires_s = 0;
  // The audit log of this set's config, its file kept open (null when the set did not load).
  std::shared_ptr<audit::AuditWriter> audit_writer;
  // The key that signs this set's receipts, read (or made) once: null when receipts are off or
  // it could not be read (each receipt then tries again, and its failure is reported as usual).
  std::shared_ptr<const audit::SigningKey> signing_key;
};

class PolicyStore {
 public:
  // `host` must have the server's working folder as cwd; the store keeps it (the engine points
  // at it).
  PolicyStore(Host host, std::optional<std::string> policy_dir);
  PolicyStore(const PolicyStore&) = delete;
  PolicyStore& operator=(const PolicyStore&) = delete;

  // Loads the first set. When it fails every call is denied (fail closed) until a reload works.
  void load();
  // The set now serving, for this thread; valid until this thread calls current() again.
  const std::shared_ptr<const LoadedSet>& current() const;
  // Reloads when a watched file changed; true when a new set was swapped in.
  bool poll();
  // The last reload's error (file:line:col: message) while the old set still serves.
  std::optional<std::string> reload_error() const;
  const Host& host() const { return host_; }
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  Host host_;
  std::optional<std::string> policy_dir_;
  const uint64_t store_id_;
  std::atomic<uint64_t> generation_{0};
  mutable std::mutex mutex_;
  std::shared_ptr<const LoadedSet> current_;
  std::string fingerprint_;
  std::optional<std::string> reload_error_;

  std::shared_ptr<const LoadedSet> load_set() const;
  std::string fingerprint_of(const LoadedSet& set) const;
};

}  // namespace vectimus::server
