// Policy packs: where they are found, and how they become one policy set.
//
// Discovery (no parsing): built-in packs (compiled in) < the installed signed bundle's packs
// (`~/.vectimus/policy-cache/<bundle>/<name>/`, bundle/install.hpp) < `~/.vectimus/packs/<name>/`
// < `<project>/.vectimus/packs/<name>/`; a pack from a later location replaces the pack of the
// same name in place, so document order stays stable. A policy directory (`--policy-dir DIR`, else
// `[policies] dir` / VECTIMUS_POLICY_DIR from config) replaces all of them. A pack is a folder
// with a `pack.toml` (engine/manifest.hpp) and `*.cedar` files directly inside it, read in name
// order. A policy directory is what writing-policies.md says ("place .cedar files in your policy
// directory"): either one pack (it holds a pack.toml), or a folder whose bare `*.cedar` files form
// one pack named after the folder (there is no manifest to name it, and the folder's name is what
// the user chose), followed by its subfolders that hold a pack.toml, each a pack. A subfolder
// without pack.toml is an error rather than skipped (its rules would silently not apply); hidden
// ones (`.git`) are skipped. A missing or empty policy directory is an error, never "no
// policies": every call would then be allowed.
//
// Compilation: every file parsed (positional ids continuing across files), then `@id` checked
// across all packs (ir::check_policy_ids: missing or duplicate is an error naming both places),
// then the permit-all policy appended, so the decision is "allow unless a forbid is satisfied".
// Rule indices 0..rule_count-1 are in document order: pack order, file order, text order.
//
// The built-in packs alone (no policy directory, no home or project pack) have a compiled form
// (engine/builtin.hpp): load_compiled_packs() gives exactly what compile_packs(builtin_packs())
// gives (tests compare the two) without parsing, plus the rule index compiled at build time. Its
// policies are decoded one at a time when first needed (PackPolicies), so a hook call decodes
// only the few rules the index keeps as candidates.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/builtin.hpp"
#include "engine/manifest.hpp"
#include "index/policy_index.hpp"
#include "ir/ir.hpp"
#include "ir/serialize.hpp"
#include "support/host.hpp"
#include "support/result.hpp"

namespace vectimus::engine {

struct Pack {
  PackManifest manifest;
  std::string location;  // "built-in", or the pack's folder
  SourcePtr manifest_source;
  std::vector<SourcePtr> files;  // the .cedar files, in name order
};

struct PackSearch {
  std::optional<std::string> policy_dir;  // replaces every other location
  std::optional<std::string> home;        // ~/.vectimus/packs
  std::optional<std::string> project;     // <project>/.vectimus/packs
  // Who set policy_dir, for the error when it does not exist: "--policy-dir",
  // "`VECTIMUS_POLICY_DIR`", or a config key and position (then `where` points at the key).
  std::string policy_dir_origin = "--policy-dir";
  std::optional<Location> policy_dir_where;
  // The installed bundle's folder (installed_bundle_dir()), read once per process by locate().
  std::optional<std::string> bundle;
  // Why the installed bundle's pointer cannot be followed: loading then fails (every call is
  // denied, naming the file), since dropping the team's rules unnoticed would allow what they deny.
  Diagnostics bundle_errors;
};

// Where `vectimus policy update` installs signed bundles, under the home folder. The file
// `current` in it names the active bundle's folder (`bundle-<hex>`): a reader reads that name once
// and then only that folder, so an update that swaps `current` (an atomic rename) mid-load never
// mixes two bundles' files. Costs the hook one failed open() when no bundle is installed.
inline constexpr std::string_view kPolicyCacheDir = ".vectimus/policy-cache";
inline constexpr std::string_view kPolicyCacheCurrent = "current";
// `<home>/.vectimus/policy-cache/<active bundle>`, or nullopt when none is installed (no
// pointer). A pointer that cannot be read or is not a `bundle-…` name is an error (a hand-edited
// pointer never leads outside the cache).
Result<std::optional<std::string>> installed_bundle_dir(const Host& host, const std::string& home);

// Reads (but does not parse) every pack. An unreadable file, a pack folder without pack.toml or
// with a bad one, or a missing or empty policy directory is an error.
Result<std::vector<Pack>> discover_packs(const Host& host, const PackSearch& search);
// The built-in packs alone.
std::vector<Pack> builtin_packs();

// Views of the rule's own annotations (or of the compiled-in texts): valid as long as the
// PolicyPacks they came with.
struct RuleInfo {
  std::string_view id;
  std::string_view description;                 // @description, may be empty
  std::string_view suggested_alternative;       // @suggested_alternative, may be empty
  std::string_view controls;                    // @controls as written, may be empty
  std::optional<std::string_view> enforcement;  // @enforcement as written
  uint32_t pack = 0;                            // index into packs
};

// The packs' policies: all of them at hand (parsed packs), or decoded one at a time from the
// compiled built-in packs the first time they are needed. Safe to use from several threads.
// A policy that fails to decode (a corrupted binary: vectimus_packc and the tests decode every
// one) throws std::runtime_error, which the hook answers with a deny.
class PackPolicies {
 public:
  explicit PackPolicies(ir::PolicySet set);
  explicit PackPolicies(ir::SerializedSet compiled);

  size_t size() const { return decoded_.size(); }  // fixed at construction
  // How many are decoded so far (all of them for parsed packs).
  size_t decoded_count() const;
  // Every policy.
  const ir::PolicySet& all() const;
  // The set with at least `policies` decoded; read only those from it.
  const ir::PolicySet& with(std::span<const uint32_t> policies) const;

 private:
  void decode(uint32_t policy) const;  // mutex_ held

  std::optional<ir::SerializedSet> compiled_;
  mutable std::mutex mutex_;
  mutable ir::PolicySet set_;          // sized up front: decoding never moves a policy
  mutable std::vector<bool> decoded_;  // parallel to set_.policies
  mutable size_t undecoded_ = 0;
};

struct PolicyPacks {
  std::vector<Pack> packs;
  // Rules in document order, then the permit-all policy.
  std::shared_ptr<const PackPolicies> policies;
  std::vector<RuleInfo> rules;  // parallel to the policies [0..rules.size())
  bool uses_principal = false;  // some rule reads `principal` (identity look-up needed)
  bool compiled = false;        // from the compiled built-in packs, nothing parsed
  // What engine/context_lint.hpp finds in the rules of packs that are not built in (the
  // built-in ones are checked by `vectimus lint --strict --builtin` in the build's tests):
  // warnings only, shown by `vectimus test`, never by the hook.
  Diagnostics warnings;
  // The rule index over the policies, compiled at build time (compiled packs only), else null.
  std::shared_ptr<const index::PolicyIndex> index;

  // Every policy, decoded.
  const ir::PolicySet& set() const { return policies->all(); }
};

Result<PolicyPacks> compile_packs(std::vector<Pack> packs);

// Whether discover_packs() would give exactly the built-in packs (looks only at whether the
// home and project pack folders list any folder).
bool only_builtin_packs(const Host& host, const PackSearch& search);
// compile_packs(builtin_packs()) from its compiled form; an error if that does not match the
// embedded texts (a stale or corrupted build).
Result<PolicyPacks> load_compiled_packs(const CompiledPacks& compiled);
// The sources a compiled set refers to, in order: every pack's files, then the permit-all
// policy's source (the last policy's).
std::vector<SourcePtr> policy_sources(const std::vector<Pack>& packs, const SourcePtr& permit_all);

}  // namespace vectimus::engine
