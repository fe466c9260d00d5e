// The context attributes a request about an event can carry: one row per name, with its value
// type, the action types whose requests can carry it, and the shape of its text where the
// normaliser guarantees one (paths are absolute).
//
// This is the one table of what policies can read. engine/requests.cpp fills the context from
// the Event; a test (tests/engine/attributes_test.cpp) runs every corpus event and inspected
// script through normalise and engine and checks that each attribute of each request is in
// this table for that request's action type, with this type, so the table cannot drift from
// the code. `vectimus lint` and the pack loader (engine/context_lint.hpp) compare the rules'
// `context.X` reads and `like` patterns with it; docs/policies.md lists it for people.
// Nothing here knows Cedar: types and shapes are plain names the engine maps.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "normalise/event.hpp"

namespace vectimus::normalise {

// A set of action types, one bit per ActionType value.
using ActionSet = uint16_t;
constexpr ActionSet action_bit(ActionType type) {
  return static_cast<ActionSet>(1u << static_cast<unsigned>(type));
}
inline constexpr ActionSet kAllActions = (1u << 11) - 1;

enum class AttributeType : uint8_t { string, long_, boolean, string_set, record };
std::string_view attribute_type_name(AttributeType type);

enum class AttributeShape : uint8_t {
  any,
  // An absolute path: `/x`, `C:/x`, `//server/share`, or rooted at `~` (normalise/path.hpp).
  // Relative paths are joined to the cwd, which every agent's payload carries.
  absolute_path,
};

struct ContextAttribute {
  std::string_view name;
  AttributeType type;
  ActionSet actions;  // the action types whose requests can carry it
  AttributeShape shape = AttributeShape::any;
};

// Every row, in name order.
std::span<const ContextAttribute> context_attributes();
// The row for `name`, or nullptr.
const ContextAttribute* find_context_attribute(std::string_view name);

// Whether a text of `shape` can begin with `prefix` (the literal a `like` pattern or an equality
// starts with). Every prefix can begin text of shape `any`.
bool shape_can_start_with(AttributeShape shape, std::string_view prefix);

}  // namespace vectimus::normalise
