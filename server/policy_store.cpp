#include "server/policy_store.hpp"

#include <filesystem>
#include <system_error>

#include "audit/keys.hpp"
#include "engine/temp_disable.hpp"
#include "pipeline/answer.hpp"
#include "pipeline/evidence.hpp"

namespace vectimus::server {
namespace {

std::atomic<uint64_t> g_next_store_id{1};

// Files visited per fingerprint at most: a pack folder is a few dozen files.
constexpr std::size_t kMaxWatchedEntries = 20'000;

void add_entry(std::string& out, const std::filesystem::path& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  out += path.string();
  if (ec || !std::filesystem::exists(status)) {
    out += " -\n";
    return;
  }
  const auto mtime = std::filesystem::last_write_time(path, ec);
  out += ' ';
  out += std::to_string(ec ? 0 : mtime.time_since_epoch().count());
  if (std::filesystem::is_regular_file(status)) {
    out += ' ';
    out += std::to_string(std::filesystem::file_size(path, ec));
  }
  out += '\n';
}

// Every file and folder under `dir` (bounded), by path, mtime and size.
void add_tree(std::string& out, const std::string& dir, std::size_t& budget) {
  add_entry(out, dir);
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(
      dir, std::filesystem::directory_options::skip_permission_denied, ec);
  for (; !ec && it != std::filesystem::recursive_directory_iterator() && budget > 0;
       it.increment(ec), --budget) {
    if (it.depth() > 3) {
      it.disable_recursion_pending();
      continue;
    }
    add_entry(out, it->path());
  }
}

}  // namespace

std::optional<std::string> OverlayEnvironment::get(std::string_view name) const {
  const auto it = over_.find(name);
  if (it != over_.end()) return it->second;
  return base_.get(name);
}

PolicyStore::PolicyStore(Host host, std::optional<std::string> policy_dir)
    : host_(std::move(host)), policy_dir_(std::move(policy_dir)), store_id_(g_next_store_id++) {}

std::shared_ptr<const LoadedSet> PolicyStore::load_set() const {
  engine::EngineOptions options;
  options.policy_dir = policy_dir_;
  options.use_index = true;
  options.index_after_requests = 0;  // a server decides many calls: build the index at load
  engine::Locations locations = engine::locate(host_, host_.cwd, policy_dir_);
  auto set = std::make_shared<LoadedSet>(
      LoadedSet{engine::Engine::load(host_, std::move(locations), options), {}, 0, 0});
  set->loaded_ns = host_.now_ns ? host_.now_ns() : 0;
  if (set->engine) {
    if (const auto& project = set->engine->locations().project) {
      const int64_t now_s = set->loaded_ns / 1'000'000'000;
      for (const auto& [rule, expiry] : engine::read_temp_disables(host_, *project, now_s)) {
        if (set->expires_s == 0 || expiry < set->expires_s) set->expires_s = expiry;
      }
    }
    set->hash = pipeline::policy_set_hash(set->engine->packs());
    set->rules = set->engine->packs().rules.size();
    (void)set->engine->rule_index();
    // The folder leave_evidence would pick for a decision of this set (the server's project, or
    // its working folder): the same place, without an open and a close per record.
    const engine::Config& config = set->engine->config();
    const std::string home = host_.env->get("HOME").value_or("");
    audit::LogSettings log;
    log.dir = pipeline::audit_log_folder(
        host_, &config, set->engine->locations().project.value_or(host_.cwd), home);
    log.max_file_bytes = uint64_t{config.audit_max_file_size_mb} << 20;
    log.durable = config.audit_durable;
    set->audit_writer = std::make_shared<audit::AuditWriter>(host_, std::move(log), home);
    if (config.receipts_enabled && !home.empty()) {
      if (Result<audit::SigningKey> key = audit::load_or_create_signing_key(host_, home)) {
        set->signing_key = std::make_shared<const audit::SigningKey>(std::move(key).value());
      }
    }
  }
  return set;
}

std::string PolicyStore::fingerprint_of(const LoadedSet& set) const {
  // What the set was read from; for a set that did not load, where it would have been.
  const engine::Locations located =
      set.engine ? set.engine->locations() : engine::locate(host_, host_.cwd, policy_dir_);
  std::string out;
  std::size_t budget = kMaxWatchedEntries;
  for (const std::string& file : located.config_files) add_entry(out, file);
  if (located.packs.policy_dir) add_tree(out, *located.packs.policy_dir, budget);
  // Home and project packs live in `<base>/.vectimus/packs` (engine/packs.hpp); only that folder
  // is watched, never the base itself (a whole repository, and the server's own receipts).
  for (const auto& base : {located.packs.home, located.packs.project}) {
    if (base) add_tree(out, join_path(join_path(*base, ".vectimus"), "packs"), budget);
  }
  // `rule disable --for` keeps its state in a file of its own. (Not the whole project
  // .vectimus folder: the server's own receipts are written there.)
  if (located.project) {
    if (auto state = engine::temp_disable_file(host_, *located.project)) add_entry(out, *state);
  }
  if (set.engine && set.engine->config().policy_dir) {
    add_tree(out, *set.engine->config().policy_dir, budget);
  }
  return out;
}

void PolicyStore::load() {
  auto set = load_set();
  std::string print = fingerprint_of(*set);
  const std::lock_guard lock(mutex_);
  current_ = std::move(set);
  fingerprint_ = std::move(print);
  reload_error_.reset();
  generation_.fetch_add(1, std::memory_order_acq_rel);
}

const std::shared_ptr<const LoadedSet>& PolicyStore::current() const {
  struct Cache {
    uint64_t store = 0;
    uint64_t generation = 0;
    std::shared_ptr<const LoadedSet> set;
  };
  thread_local Cache cache;
  const uint64_t generation = generation_.load(std::memory_order_acquire);
  if (cache.store != store_id_ || cache.generation != generation) {
    const std::lock_guard lock(mutex_);
    cache.store = store_id_;
    cache.generation = generation_.load(std::memory_order_acquire);
    cache.set = current_;
  }
  return cache.set;
}

bool PolicyStore::poll() {
  std::shared_ptr<const LoadedSet> serving;
  std::string old_print;
  {
    const std::lock_guard lock(mutex_);
    serving = current_;
    old_print = fingerprint_;
  }
  if (serving == nullptr) return false;
  std::string print = fingerprint_of(*serving);
  const bool expired = serving->expires_s != 0 && host_.now_ns &&
                       host_.now_ns() / 1'000'000'000 >= serving->expires_s;
  if (print == old_print && !expired) return false;
  auto candidate = load_set();
  // What the new files say the set is read from (a config change may move the packs).
  print = fingerprint_of(*candidate);
  const std::lock_guard lock(mutex_);
  fingerprint_ = std::move(print);
  if (!candidate->engine && serving->engine) {
    reload_error_ = pipeline::short_diagnostic(candidate->engine.errors().front());
    return false;
  }
  current_ = std::move(candidate);
  reload_error_.reset();
  generation_.fetch_add(1, std::memory_order_acq_rel);
  return true;
}

std::optional<std::string> PolicyStore::reload_error() const {
  const std::lock_guard lock(mutex_);
  return reload_error_;
}

}  // namespace vectimus::server
