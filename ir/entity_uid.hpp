// Entity identifiers: `Path::"id"`, shared by the IR (literals, scope) and the interpreter.
#pragma once

#include <compare>
#include <string>

namespace vectimus::ir {

struct EntityUid {
  std::string type;  // the full type path as written, e.g. "Vectimus::Action"
  std::string id;    // the id after unescaping
  friend bool operator==(const EntityUid&, const EntityUid&) = default;
  friend auto operator<=>(const EntityUid&, const EntityUid&) = default;
};

// `Type::"id"` with the id escaped as a Cedar string literal.
std::string to_cedar(const EntityUid& uid);

}  // namespace vectimus::ir
