// The entity store: entities with attributes and parents, and the transitive ancestor relation.
//
// Build it with add(); finish() computes every entity's ancestors once, so `in` is a lookup at
// evaluation time. An entity absent from the store has no attributes and is only `in` itself.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "interpreter/value.hpp"
#include "ir/entity_uid.hpp"

namespace vectimus::interpreter {

struct Entity {
  ir::EntityUid uid;
  Value attrs = Value::record({});  // a record
  std::vector<ir::EntityUid> parents;
  std::vector<ir::EntityUid> ancestors;  // transitive, sorted; filled by Entities::finish()
};

class Entities {
 public:
  // Adds or replaces an entity. Call finish() after the last add.
  void add(Entity entity);
  void finish();

  const Entity* find(const ir::EntityUid& uid) const;
  // Reflexive, transitive ancestry over `parents`.
  bool is_in(const ir::EntityUid& child, const ir::EntityUid& ancestor) const;
  size_t size() const { return entities_.size(); }

 private:
  struct UidHash {
    size_t operator()(const ir::EntityUid& uid) const;
  };
  std::unordered_map<ir::EntityUid, Entity, UidHash> entities_;
};

}  // namespace vectimus::interpreter
