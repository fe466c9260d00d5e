// The engine: packs + configuration + identity + content inspection -> one Decision per Event.
//
// Flow: Engine::load(host, locations) reads the config layers and the packs and compiles them
// (every failure is a Result error: the hook then denies every call). decide(event) builds the
// event's requests (engine/requests.hpp) and one per line of inspected content, evaluates each
// against the enabled rules plus the permit-all policy, and maps the satisfied forbids to their
// enforcement level (project > global config override > `@enforcement` > deny). The strictest
// matched level wins; content over its size limit, and a command, script or written shell
// script whose analysis stopped at a bound, escalate whatever the packs say; in observe mode
// (`[mode] observe = true`) the decision is logged and the call allowed. Rules of a pack set
// `[packs.<name>] enabled = false` are left out like disabled rules (the compiled built-in set
// stays as built), and so are rules disabled for a while (`rule disable --for`, the state file
// of engine/temp_disable.hpp, read at load). Matches are reported in document order (pack, file,
// text).
//
// The rule index (index/policy_index.hpp): the compiled built-in packs carry one compiled at
// build time, used from the first request. Other packs get one built at most once per load over
// the whole policy set, when first needed: after EngineOptions::index_after_requests requests
// (building costs about as much as evaluating that many requests against every rule, so a hook
// call, which evaluates one event, does not build it; `vectimus test`, `eval` and the server
// do), or when rule_index() is asked. From then on each request is evaluated against the enabled
// rules the index keeps as candidates, and only those are decoded (PackPolicies). By the index's
// guarantee the decision, the matched rules and the reasons are exactly those of evaluating every
// enabled rule; only the errors differ: a rule the index leaves out is not evaluated, so an error
// it would have raised is not reported (it could not have been satisfied). `vectimus explain`
// evaluates every rule, so it still shows them all.
//
// Session caches one Engine per project root so `vectimus test` and `eval` load each only once.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/config.hpp"
#include "engine/identity.hpp"
#include "engine/locate.hpp"
#include "engine/packs.hpp"
#include "engine/requests.hpp"
#include "index/policy_index.hpp"
#include "interpreter/authorizer.hpp"
#include "normalise/event.hpp"
#include "support/host.hpp"
#include "support/result.hpp"

namespace vectimus::engine {

enum class Verdict : uint8_t { allow, escalate, deny };
std::string_view verdict_name(Verdict verdict);

struct RuleMatch {
  uint32_t rule = 0;     // index into PolicyPacks::rules (document order)
  uint32_t request = 0;  // index into Decision::requests
  Enforcement level = Enforcement::deny;
};

struct EvaluatedRequest {
  PlannedRequest planned;
  std::vector<uint32_t> matched;  // satisfied forbids (rule indices), ascending
  // Rules skipped because they errored. With the index, only rules that were candidates:
  // errors of rules the index left out are not computed (EngineOptions::use_index).
  std::vector<interpreter::PolicyError> errors;
};

struct Decision {
  Verdict verdict = Verdict::allow;    // what the agent is told
  Verdict evaluated = Verdict::allow;  // before observe mode
  bool observe_mode = false;
  std::vector<RuleMatch> matches;  // sorted by rule, then request
  std::string reason;              // for the agent; empty when the verdict is allow
  // Each bound the shell analysis stopped at (shell::bound), as `<where>: <bound>`: `command:
  // max_bytes`, `script /p/x.sh:3: max_reparse`, `content /p/w.sh:2: max_depth`. Past a bound
  // the command was not fully checked, so any of them makes the verdict at least escalate,
  // whatever the packs say (observe mode still allows, and logs it).
  std::vector<std::string> bounds;
  std::vector<std::string> log;        // for stderr: what observe mode let through
  std::vector<std::string> debug_log;  // for stderr with VECTIMUS_DEBUG: skipped scripts, errors
  std::vector<EvaluatedRequest> requests;
  Identity identity;
};

struct EngineOptions {
  std::optional<std::string> policy_dir;  // --policy-dir
  bool always_resolve_identity = false;   // explain shows who, even if no rule asks
  // Evaluate only the rules the rule index keeps as candidates (the hook's path). false
  // evaluates every enabled rule: same decision and reasons, plus the errors of rules that could
  // not have been satisfied. For `explain`, `--no-index` A/B checks and tests.
  bool use_index = true;
  // With use_index: the requests this engine evaluates against every enabled rule before it
  // builds the index and uses it for the rest (0: build it at load). Building it over the
  // built-in packs costs ~32M instructions (~4 ms), evaluating one request against every rule
  // ~0.5M of which the index saves ~0.6M at best, so it pays from about 50 requests on.
  uint32_t index_after_requests = 64;
};

class Engine {
 public:
  static Result<Engine> load(const Host& host, Locations locations, const EngineOptions& options);

  Decision decide(const normalise::Event& event) const;

  const PolicyPacks& packs() const { return *packs_; }
  const Config& config() const { return config_; }
  const Locations& locations() const { return locations_; }
  // The level a rule enforces: config override, else `@enforcement`, else deny.
  Enforcement enforcement_of(uint32_t rule) const;
  bool rule_enabled(uint32_t rule) const;
  // The rule index over packs().set(), built now if it was not yet; null when
  // EngineOptions::use_index is false.
  const index::PolicyIndex* rule_index() const;
  // The entity store requests are evaluated with: the principal, its groups as parents.
  static interpreter::Entities entities_for(const Identity& identity);

 private:
  const Host* host_ = nullptr;
  Locations locations_;
  Config config_;
  std::shared_ptr<const PolicyPacks> packs_;
  std::vector<uint32_t> candidates_;  // enabled rules + the permit-all policy
  // Per policy (rules, then the permit-all): whether it is in candidates_.
  std::vector<bool> enabled_;
  // When no rule reads `principal`, every decision has the same identity and entity store:
  // made once at load rather than per event.
  Identity unresolved_;
  interpreter::Entities unresolved_entities_;
  // The index over packs_->set(), built once on first need (decide() may run on several
  // threads, hence call_once); null when !use_index.
  struct LazyIndex {
    std::once_flag once;
    std::shared_ptr<const index::PolicyIndex> index;  // the packs' own, or built here
    std::atomic<uint64_t> evaluated{0};               // requests evaluated so far
  };
  std::shared_ptr<LazyIndex> index_;
  EngineOptions options_;

  void evaluate(EvaluatedRequest& request, const interpreter::Entities& entities) const;
  // Adds a request per line of content written or of a script run (and, for shell scripts, per
  // simple command and file access of each line), and records the bounds their analysis hit in
  // decision.bounds. Returns why the call escalates: the files over the content limit, the
  // lines whose analysis stopped at a bound.
  std::vector<std::string> inspect_content(const normalise::Event& event, const RequestFacts& facts,
                                           Decision& decision) const;
};

// Loads engines on demand, one per project root. Where an event's cwd leads (its project root,
// found by a stat of `.vectimus` and `.git` in every folder up to `/`) is remembered for
// kLocateCacheNs of the host's clock, so a server deciding many events from the same folders
// does not walk the file system for each; a project created meanwhile is seen after that
// time at most. Without a clock (host.now_ns unset) nothing is remembered.
class Session {
 public:
  Session(Host host, EngineOptions options)
      : host_(std::move(host)), options_(std::move(options)) {}
  // The engine for an event whose cwd is `cwd`.
  const Result<Engine>& engine_for(const std::optional<std::string>& cwd);
  const Host& host() const { return host_; }

 private:
  static constexpr int64_t kLocateCacheNs = 1'000'000'000;
  static constexpr size_t kLocateCacheSize = 4096;  // cwds remembered at most
  struct Located {
    const Result<Engine>* engine = nullptr;
    int64_t until_ns = 0;
  };

  Host host_;
  EngineOptions options_;
  std::map<std::string, std::unique_ptr<Result<Engine>>> engines_;
  std::unordered_map<std::string, Located> located_;  // by the cwd looked up
};

// One-line human phrase for the rule: `id: description. Instead: alternative`.
std::string rule_phrase(const RuleInfo& rule);

}  // namespace vectimus::engine
