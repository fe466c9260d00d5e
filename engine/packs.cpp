#include "engine/packs.hpp"

#include <algorithm>
#include <stdexcept>

#include "engine/builtin.hpp"
#include "engine/config.hpp"
#include "grammar/parse.hpp"
#include "ir/checks.hpp"
#include "ir/serialize.hpp"
#include "support/limits.hpp"

namespace vectimus::engine {
namespace {

constexpr std::string_view kBuiltinLocation = "built-in";
constexpr std::string_view kPermitAll =
    "@id(\"vectimus-allow-unless-forbidden\")\npermit(principal, action, resource);\n";

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

Result<SourcePtr> read_file(const Host& host, const std::string& path) {
  FileRead read = host.fs->read(path, limits::kMaxPolicyFileBytes);
  switch (read.status) {
    case FileRead::Status::ok: return make_source(path, std::move(read.text));
    case FileRead::Status::missing:
      return make_error("io", "cannot read `" + path + "`: no such file");
    case FileRead::Status::too_large:
      return make_error("io", "cannot read `" + path + "`: over the " +
                                  std::to_string(limits::kMaxPolicyFileBytes) + "-byte limit");
    case FileRead::Status::error: break;
  }
  return make_error("io", "cannot read `" + path + "`: " + read.error);
}

// The `.cedar` files directly in `dir`, in name order, into pack.files.
Diagnostics read_cedar_files(const Host& host, const std::string& dir, Pack& pack) {
  Diagnostics errors;
  for (const std::string& name : host.fs->list(dir, false)) {
    if (!ends_with(name, ".cedar")) continue;
    auto source = read_file(host, join_path(dir, name));
    if (!source) {
      errors.insert(errors.end(), source.errors().begin(), source.errors().end());
      continue;
    }
    pack.files.push_back(*source);
  }
  return errors;
}

// One pack folder: pack.toml plus its .cedar files.
Result<Pack> read_pack(const Host& host, const std::string& dir) {
  auto manifest_source = read_file(host, join_path(dir, "pack.toml"));
  if (!manifest_source) {
    return make_error("pack", "pack folder `" + dir + "` has no readable pack.toml", std::nullopt,
                      "a pack is a folder with a pack.toml (a `[pack]` table: name, version, "
                      "description, author) and .cedar files");
  }
  auto manifest = parse_pack_manifest(*manifest_source);
  if (!manifest) return std::move(manifest).take_errors();
  Pack pack{std::move(manifest).value(), dir, *manifest_source, {}};
  Diagnostics errors = read_cedar_files(host, dir, pack);
  if (!errors.empty()) return errors;
  return pack;
}

// The bare `.cedar` files directly in a policy directory, as one pack named after the folder.
Result<Pack> read_bare_pack(const Host& host, const std::string& dir) {
  std::string name = dir;
  while (name.size() > 1 && name.back() == '/') name.pop_back();
  name = name.substr(name.find_last_of('/') + 1);
  Pack pack;
  pack.manifest.name = name.empty() || name == "." ? std::string("policies") : name;
  pack.manifest.description = "the .cedar files in " + dir;
  pack.location = dir;
  Diagnostics errors = read_cedar_files(host, dir, pack);
  if (!errors.empty()) return errors;
  return pack;
}

// Adds `pack`, replacing the pack of the same name where it stands.
void add_or_replace(std::vector<Pack>& packs, Pack pack) {
  for (Pack& existing : packs) {
    if (existing.manifest.name == pack.manifest.name) {
      existing = std::move(pack);
      return;
    }
  }
  packs.push_back(std::move(pack));
}

// Every pack folder directly under `dir`; a missing `dir` has none.
Diagnostics add_packs_under(const Host& host, const std::string& dir, std::vector<Pack>& packs) {
  Diagnostics errors;
  for (const std::string& name : host.fs->list(dir, true)) {
    if (name.starts_with('.')) continue;
    auto pack = read_pack(host, join_path(dir, name));
    if (!pack) {
      errors.insert(errors.end(), pack.errors().begin(), pack.errors().end());
      continue;
    }
    add_or_replace(packs, std::move(pack).value());
  }
  return errors;
}

bool expr_uses_principal(const ir::Expr& expr) {
  if (expr.op == ir::Op::var && expr.var == ir::Var::principal) return true;
  return std::any_of(expr.children.begin(), expr.children.end(), expr_uses_principal);
}

bool policy_uses_principal(const ir::Policy& policy) {
  if (policy.scope.principal.kind != ir::ScopeConstraint::Kind::any) return true;
  return std::any_of(policy.conditions.begin(), policy.conditions.end(),
                     [](const ir::Condition& c) { return expr_uses_principal(c.body); });
}

SourcePtr permit_all_source() {
  return make_static_source("<built-in>/allow-unless-forbidden.cedar", kPermitAll);
}

// Fills out.rules and out.uses_principal for set.policies[0..pack_of.size()) and checks their
// ids and `@enforcement` values. (The compiled packs carry what this computed at build time.)
Diagnostics describe_rules(const ir::PolicySet& set, PolicyPacks& out,
                           const std::vector<uint32_t>& pack_of) {
  std::vector<const ir::Policy*> rules;
  for (size_t i = 0; i < pack_of.size(); ++i) rules.push_back(&set.policies[i]);
  Diagnostics errors = ir::check_policy_ids(rules);
  for (uint32_t i = 0; i < pack_of.size(); ++i) {
    const ir::Policy& policy = set.policies[i];
    RuleInfo info;
    info.id = policy.id();
    info.pack = pack_of[i];
    if (const std::string* d = policy.annotation("description")) info.description = *d;
    if (const std::string* a = policy.annotation("suggested_alternative")) {
      info.suggested_alternative = *a;
    }
    if (const std::string* c = policy.annotation("controls")) info.controls = *c;
    if (const std::string* e = policy.annotation("enforcement")) {
      info.enforcement = *e;
      if (!parse_enforcement(*e)) {
        const auto it =
            std::find_if(policy.annotations.begin(), policy.annotations.end(),
                         [](const ir::Annotation& a) { return a.key == "enforcement"; });
        errors.push_back(make_error("enforcement", "unknown enforcement `" + *e + "`",
                                    Location{policy.source, it->span},
                                    "`@enforcement` is \"deny\", \"escalate\" or \"observe\""));
      }
    }
    out.uses_principal = out.uses_principal || policy_uses_principal(policy);
    out.rules.push_back(std::move(info));
  }
  return errors;
}

// The built-in packs' sources; each manifest's name is its folder's until the manifest is read.
std::vector<Pack> builtin_pack_sources() {
  std::vector<Pack> packs;
  const auto files = builtin_pack_files();
  for (const EmbeddedFile& file : files) {
    const std::size_t slash = file.path.find('/');
    const std::string_view dir = file.path.substr(0, slash);
    const std::string_view name = file.path.substr(slash + 1);
    if (name != "pack.toml") continue;
    Pack pack;
    pack.location = kBuiltinLocation;
    pack.manifest_source = make_static_source("<built-in>/" + std::string(file.path), file.text);
    pack.manifest.name = std::string(dir);
    for (const EmbeddedFile& other : files) {
      if (other.path.starts_with(file.path.substr(0, slash + 1)) &&
          ends_with(other.path, ".cedar")) {
        pack.files.push_back(
            make_static_source("<built-in>/" + std::string(other.path), other.text));
      }
    }
    packs.push_back(std::move(pack));
  }
  return packs;
}

}  // namespace

std::vector<Pack> builtin_packs() {
  std::vector<Pack> packs = builtin_pack_sources();
  for (Pack& pack : packs) {
    // vectimus_packc checks the built-in manifests at build time; the folder name stands in if
    // one were ever unreadable.
    auto manifest = parse_pack_manifest(pack.manifest_source);
    if (manifest) pack.manifest = std::move(manifest).value();
  }
  return packs;
}

Result<std::optional<std::string>> installed_bundle_dir(const Host& host, const std::string& home) {
  const std::string cache = join_path(home, kPolicyCacheDir);
  const std::string pointer = join_path(cache, kPolicyCacheCurrent);
  FileRead read = host.fs->read(pointer, 256);
  if (read.status == FileRead::Status::missing) return std::optional<std::string>{};
  const std::string help = "run `vectimus policy update` to install the bundle again";
  if (read.status != FileRead::Status::ok) {
    return make_error("bundle",
                      "cannot read the installed bundle's pointer `" + pointer + "`" +
                          (read.error.empty() ? "" : ": " + read.error),
                      std::nullopt, help);
  }
  std::string_view name = read.text;
  while (!name.empty() && (name.back() == '\n' || name.back() == ' ')) name.remove_suffix(1);
  constexpr std::string_view kPrefix = "bundle-";
  if (!name.starts_with(kPrefix) || name.size() == kPrefix.size() ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string_view::npos) {
    return make_error("bundle",
                      "the installed bundle's pointer `" + pointer + "` does not name a bundle",
                      std::nullopt, help);
  }
  return std::optional<std::string>{join_path(cache, name)};
}

bool only_builtin_packs(const Host& host, const PackSearch& search) {
  if (search.policy_dir) return false;
  if (search.bundle || !search.bundle_errors.empty()) return false;
  for (const auto& base : {search.home, search.project}) {
    if (base && !host.fs->list(join_path(join_path(*base, ".vectimus"), "packs"), true).empty()) {
      return false;
    }
  }
  return true;
}

std::vector<SourcePtr> policy_sources(const std::vector<Pack>& packs, const SourcePtr& permit_all) {
  std::vector<SourcePtr> out;
  for (const Pack& pack : packs) out.insert(out.end(), pack.files.begin(), pack.files.end());
  out.push_back(permit_all);
  return out;
}

Result<std::vector<Pack>> discover_packs(const Host& host, const PackSearch& search) {
  std::vector<Pack> packs;
  Diagnostics errors;
  if (search.policy_dir) {
    const std::string& dir = *search.policy_dir;
    if (!host.fs->is_directory(dir)) {
      return make_error("io", "policy folder `" + dir + "` does not exist", search.policy_dir_where,
                        "it is set by " + search.policy_dir_origin +
                            "; every call is denied until it names a folder of .cedar files or "
                            "packs (no policies would allow everything)");
    }
    if (host.fs->exists(join_path(dir, "pack.toml"))) {
      auto pack = read_pack(host, dir);
      if (!pack) return std::move(pack).take_errors();
      packs.push_back(std::move(pack).value());
      return packs;
    }
    auto bare = read_bare_pack(host, dir);
    if (!bare) return std::move(bare).take_errors();
    errors = add_packs_under(host, dir, packs);
    if (!bare->files.empty()) {
      for (const Pack& pack : packs) {
        if (pack.manifest.name != bare->manifest.name) continue;
        return make_error("pack",
                          "the .cedar files in `" + dir + "` form a pack named `" +
                              pack.manifest.name + "`, and `" + pack.location +
                              "` is a pack of the same name",
                          std::nullopt, "rename one, so that neither replaces the other");
      }
      packs.insert(packs.begin(), std::move(bare).value());
    }
    if (errors.empty() && packs.empty()) {
      return make_error("pack", "policy folder `" + dir + "` holds no policies",
                        search.policy_dir_where,
                        "put .cedar files in it, or packs (folders with a pack.toml and .cedar "
                        "files); it is set by " +
                            search.policy_dir_origin);
    }
  } else {
    packs = builtin_packs();
    errors = search.bundle_errors;
    if (search.bundle && !host.fs->is_directory(*search.bundle)) {
      errors.push_back(
          make_error("bundle", "the installed bundle `" + *search.bundle + "` is missing",
                     std::nullopt, "run `vectimus policy update` to install the bundle again"));
    } else if (search.bundle) {
      Diagnostics found = add_packs_under(host, *search.bundle, packs);
      errors.insert(errors.end(), found.begin(), found.end());
    }
    for (const auto& base : {search.home, search.project}) {
      if (!base) continue;
      Diagnostics found =
          add_packs_under(host, join_path(join_path(*base, ".vectimus"), "packs"), packs);
      errors.insert(errors.end(), found.begin(), found.end());
    }
  }
  if (!errors.empty()) return errors;
  return packs;
}

Result<PolicyPacks> compile_packs(std::vector<Pack> packs) {
  PolicyPacks out;
  ir::PolicySet set;
  Diagnostics errors;
  std::vector<uint32_t> pack_of;
  for (uint32_t p = 0; p < packs.size(); ++p) {
    for (const SourcePtr& file : packs[p].files) {
      auto parsed = grammar::parse_policies(file, set.policies.size());
      if (!parsed) {
        errors.insert(errors.end(), parsed.errors().begin(), parsed.errors().end());
        continue;
      }
      for (ir::Policy& policy : parsed->policies) {
        set.policies.push_back(std::move(policy));
        pack_of.push_back(p);
      }
    }
  }
  if (!errors.empty()) return errors;
  auto permit = grammar::parse_policies(permit_all_source(), set.policies.size());
  if (!permit) return std::move(permit).take_errors();
  set.policies.push_back(std::move(permit->policies.front()));
  // The rules' infos view the policies' annotations: taken once the set has its final place.
  out.policies = std::make_shared<const PackPolicies>(std::move(set));
  errors = describe_rules(out.policies->all(), out, pack_of);
  if (!errors.empty()) return errors;
  out.packs = std::move(packs);
  return out;
}

Result<PolicyPacks> load_compiled_packs(const CompiledPacks& compiled) {
  const auto stale = [](std::string_view what) {
    return make_error(
        "serialized",
        "the compiled built-in packs do not match the embedded ones: " + std::string(what),
        std::nullopt, "rebuild vectimus");
  };
  std::vector<Pack> packs = builtin_pack_sources();
  if (packs.size() != compiled.manifests.size()) return stale("a different number of packs");
  for (size_t i = 0; i < packs.size(); ++i) {
    const CompiledManifest& m = compiled.manifests[i];
    if (m.folder != packs[i].manifest.name) return stale("a different pack folder");
    packs[i].manifest = PackManifest{std::string(m.name), std::string(m.version),
                                     std::string(m.description), std::string(m.author)};
  }
  // Only the header is read here (it checks the sources' names and sizes); policies decode on
  // first use.
  auto set = ir::SerializedSet::open(compiled.set, policy_sources(packs, permit_all_source()));
  if (!set) return std::move(set).take_errors();
  if (set->size() != compiled.rules.size() + 1) return stale("a different number of rules");
  auto index = index::PolicyIndex::view(compiled.index, set->size());
  if (!index) return std::move(index).take_errors();

  PolicyPacks out;
  out.rules.reserve(compiled.rules.size());
  for (const CompiledRule& rule : compiled.rules) {
    if (rule.pack >= packs.size()) return stale("a rule of a missing pack");
    RuleInfo info{rule.id,       rule.description, rule.suggested_alternative,
                  rule.controls, std::nullopt,     rule.pack};
    if (rule.has_enforcement) info.enforcement = rule.enforcement;
    out.rules.push_back(std::move(info));
  }
  out.uses_principal = compiled.uses_principal;
  out.policies = std::make_shared<const PackPolicies>(std::move(set).value());
  out.index = std::make_shared<const index::PolicyIndex>(std::move(index).value());
  out.packs = std::move(packs);
  out.compiled = true;
  return out;
}

PackPolicies::PackPolicies(ir::PolicySet set)
    : set_(std::move(set)), decoded_(set_.policies.size(), true) {}

PackPolicies::PackPolicies(ir::SerializedSet compiled)
    : compiled_(std::move(compiled)),
      decoded_(compiled_->size(), false),
      undecoded_(compiled_->size()) {
  set_.policies.resize(compiled_->size());
}

void PackPolicies::decode(uint32_t policy) const {
  if (policy >= size()) throw std::out_of_range("no policy " + std::to_string(policy));
  if (decoded_[policy]) return;
  auto decoded = compiled_->policy(policy);
  if (!decoded) {
    throw std::runtime_error("the compiled built-in packs are corrupted: " +
                             decoded.errors().front().message);
  }
  set_.policies[policy] = std::move(decoded).value();
  decoded_[policy] = true;
  --undecoded_;
}

size_t PackPolicies::decoded_count() const {
  std::lock_guard lock(mutex_);
  return size() - undecoded_;
}

const ir::PolicySet& PackPolicies::all() const {
  std::lock_guard lock(mutex_);
  for (uint32_t i = 0; undecoded_ > 0 && i < size(); ++i) decode(i);
  return set_;
}

const ir::PolicySet& PackPolicies::with(std::span<const uint32_t> policies) const {
  std::lock_guard lock(mutex_);
  for (const uint32_t i : policies) {
    if (undecoded_ == 0) break;
    decode(i);
  }
  return set_;
}

}  // namespace vectimus::engine
