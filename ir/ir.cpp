#include "ir/ir.hpp"

namespace vectimus::ir {

const std::string* Policy::annotation(std::string_view key) const {
  for (const Annotation& a : annotations) {
    if (a.key == key) return &a.value;
  }
  return nullptr;
}

const std::string& Policy::id() const {
  const std::string* id = annotation("id");
  return id != nullptr ? *id : positional_id;
}

}  // namespace vectimus::ir
