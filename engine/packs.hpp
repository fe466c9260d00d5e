// Policy packs: where they are found, and how they become one policy set.
//
// Discovery (no parsing): built-in packs (compiled in) < `~/.vectimus/packs/<name>/` <
// `<project>/.vectimus/packs/<name>/`; a pack from a later location replaces the pack of the same
// name in place, so document order stays stable. `--policy-dir DIR` replaces all of them: DIR is
// one pack (it holds a pack.toml) or a folder of packs. A pack is a folder with a `pack.toml`
// and `*.cedar` files directly inside it, read in name order.
//
// Compilation: every file parsed (positional ids continuing across files), then `@id` checked
// across all packs (ir::check_policy_ids: missing or duplicate is an error naming both places),
// then the permit-all policy appended, so the decision is "allow unless a forbid is satisfied".
// Rule indices 0..rule_count-1 are in document order: pack order, file order, text order.
//
// The built-in packs alone (no --policy-dir, no home or project pack) have a compiled form
// (engine/builtin.hpp): load_compiled_packs() decodes it into exactly what
// compile_packs(builtin_packs()) gives (tests compare the two), without parsing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/builtin.hpp"
#include "engine/host.hpp"
#include "engine/manifest.hpp"
#include "ir/ir.hpp"
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
};

// Reads (but does not parse) every pack. An unreadable file, a pack folder without pack.toml or
// with a bad one, or an empty --policy-dir is an error.
Result<std::vector<Pack>> discover_packs(const Host& host, const PackSearch& search);
// The built-in packs alone.
std::vector<Pack> builtin_packs();

struct RuleInfo {
  std::string id;
  std::string description;                 // @description, may be empty
  std::string suggested_alternative;       // @suggested_alternative, may be empty
  std::optional<std::string> enforcement;  // @enforcement as written
  uint32_t pack = 0;                       // index into packs
};

struct PolicyPacks {
  std::vector<Pack> packs;
  ir::PolicySet set;            // rules in document order, then the permit-all policy
  std::vector<RuleInfo> rules;  // parallel to set.policies[0..rules.size())
  bool uses_principal = false;  // some rule reads `principal` (identity look-up needed)
  bool compiled = false;        // decoded from the compiled built-in packs, nothing parsed
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
