#include "ir/checks.hpp"

#include <string_view>
#include <unordered_map>

namespace vectimus::ir {
namespace {

const Annotation* find_annotation(const Policy& policy, std::string_view key) {
  for (const Annotation& a : policy.annotations) {
    if (a.key == key) return &a;
  }
  return nullptr;
}

// Where to point when a policy has no `@id`: its first token (the effect or first annotation).
Location policy_head(const Policy& policy) {
  return Location{policy.source, Span{policy.span.begin, policy.span.begin + 1}};
}

}  // namespace

Diagnostics check_policy_ids(const std::vector<const Policy*>& policies) {
  Diagnostics out;
  std::unordered_map<std::string_view, const Annotation*> first_by_id;
  std::unordered_map<std::string_view, const Policy*> first_policy;
  for (const Policy* policy : policies) {
    const Annotation* id = find_annotation(*policy, "id");
    if (id == nullptr) {
      out.push_back(make_error("missing-id", "policy has no `@id` annotation", policy_head(*policy),
                               "give every policy a unique id, e.g. `@id(\"team-rule-001\")`"));
      continue;
    }
    const auto [it, inserted] = first_by_id.emplace(id->value, id);
    if (inserted) {
      first_policy.emplace(id->value, policy);
      continue;
    }
    Diagnostic d = make_error("duplicate-id", "duplicate policy id `" + id->value + "`",
                              Location{policy->source, id->span},
                              "policy ids must be unique across all loaded files and packs");
    d.notes.push_back(
        Note{Location{first_policy.at(id->value)->source, it->second->span}, "first defined here"});
    out.push_back(std::move(d));
  }
  return out;
}

Diagnostics check_annotations(const Policy& policy, std::span<const std::string_view> keys) {
  Diagnostics found;
  std::string list;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    list += (i == 0 ? "@" : i + 1 == keys.size() ? " and @" : ", @") + std::string(keys[i]);
  }
  for (const std::string_view key : keys) {
    const Annotation* a = find_annotation(policy, key);
    if (key == "id" && a == nullptr) continue;
    if (a != nullptr && !a->value.empty()) continue;
    const std::string what = a == nullptr ? "has no" : "has an empty";
    found.push_back(make_error(
        "missing-annotation",
        "policy `" + policy.id() + "` " + what + " `@" + std::string(key) + "` annotation",
        policy_head(policy),
        "every rule in " + std::string(keys.size() > 3 ? "a built-in" : "a") + " pack carries " +
            list));
  }
  return found;
}

}  // namespace vectimus::ir
