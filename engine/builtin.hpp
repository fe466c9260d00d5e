// The built-in packs and sample events, compiled into the binary so one file is the whole
// install. engine/embed.cmake generates the texts' definitions from policies/ at build time;
// vectimus_packc (engine/packc.cpp) then parses and checks those texts and generates
// builtin_compiled_packs(): the policy set serialised (ir/serialize.hpp) and the manifests read,
// so the hook decodes instead of parsing. A broken built-in pack fails the build there.
#pragma once

#include <span>
#include <string_view>

namespace vectimus::engine {

struct EmbeddedFile {
  std::string_view path;  // relative to policies/, e.g. "destructive-ops/pack.toml"
  std::string_view text;
};

// Every `policies/*/pack.toml` and `policies/*/*.cedar`, sorted by path.
std::span<const EmbeddedFile> builtin_pack_files();
// "sha256:" + SHA-256 of the built-in `.cedar` texts concatenated in that order: the receipts'
// policy_set_hash (pipeline/evidence.cpp), computed at build time.
std::string_view builtin_policy_set_hash();

// One built-in pack's manifest as vectimus_packc read it, in builtin_pack_files() order. No
// `license` or `requires`: no built-in pack sets them, and vectimus_packc fails if one does.
struct CompiledManifest {
  std::string_view folder;  // the pack's folder under policies/
  std::string_view name;
  std::string_view version;
  std::string_view description;
  std::string_view author;
};

// One built-in rule's RuleInfo (engine/packs.hpp) as vectimus_packc computed it.
struct CompiledRule {
  std::string_view id;
  std::string_view description;
  std::string_view suggested_alternative;
  std::string_view controls;
  std::string_view enforcement;  // meaningful only when has_enforcement
  bool has_enforcement = false;
  unsigned pack = 0;
};

struct CompiledPacks {
  // ir::serialize() of compile_packs(builtin_packs()).set() over
  // policy_sources(packs, permit-all) (engine/packs.hpp).
  std::string_view set;
  // PolicyIndex::serialize() of the index over that set.
  std::string_view index;
  std::span<const CompiledManifest> manifests;
  std::span<const CompiledRule> rules;  // parallel to the set's rules (not the permit-all)
  bool uses_principal = false;
};

// Defined by the file vectimus_packc generates; part of vectimus_engine only (vectimus_packc
// itself is built from the same sources without it).
CompiledPacks builtin_compiled_packs();

// `policies/samples.json`: the sample events `vectimus test` runs without `--file`.
std::string_view builtin_samples();

}  // namespace vectimus::engine
