#include "interpreter/entities.hpp"

#include <algorithm>
#include <functional>
#include <unordered_set>

namespace vectimus::interpreter {

size_t Entities::UidHash::operator()(const ir::EntityUid& uid) const {
  const size_t h = std::hash<std::string>{}(uid.type);
  return h ^ (std::hash<std::string>{}(uid.id) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

void Entities::add(Entity entity) {
  ir::EntityUid key = entity.uid;
  entities_.insert_or_assign(std::move(key), std::move(entity));
}

void Entities::finish() {
  // A depth-first walk over `parents` from every entity. The visited set makes cycles harmless
  // (an entity in a cycle is its own ancestor, which `in` already is reflexively). Parents that
  // are absent from the store are still ancestors; they just have no parents of their own.
  std::vector<const ir::EntityUid*> stack;
  for (auto& [uid, entity] : entities_) {
    std::unordered_set<ir::EntityUid, UidHash> seen;
    stack.clear();
    for (const ir::EntityUid& p : entity.parents) stack.push_back(&p);
    while (!stack.empty()) {
      const ir::EntityUid* next = stack.back();
      stack.pop_back();
      if (!seen.insert(*next).second) continue;
      auto it = entities_.find(*next);
      if (it == entities_.end()) continue;
      for (const ir::EntityUid& p : it->second.parents) stack.push_back(&p);
    }
    std::vector<ir::EntityUid> found(seen.begin(), seen.end());
    std::sort(found.begin(), found.end());
    entity.ancestors = std::move(found);
  }
}

const Entity* Entities::find(const ir::EntityUid& uid) const {
  auto it = entities_.find(uid);
  return it == entities_.end() ? nullptr : &it->second;
}

bool Entities::is_in(const ir::EntityUid& child, const ir::EntityUid& ancestor) const {
  if (child == ancestor) return true;
  const Entity* entity = find(child);
  if (entity == nullptr) return false;
  return std::binary_search(entity->ancestors.begin(), entity->ancestors.end(), ancestor);
}

}  // namespace vectimus::interpreter
