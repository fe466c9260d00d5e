// `pack.toml`: a pack's name, version, description and author. The loader and `vectimus lint`
// read it through parse_pack_manifest(), so both report a missing or mistyped field the same way.
#pragma once

#include <string>

#include "support/result.hpp"

namespace vectimus::engine {

struct PackManifest {
  std::string name;
  std::string version;
  std::string description;
  std::string author;
};

// All four fields must be present and strings; errors carry file:line:col.
Result<PackManifest> parse_pack_manifest(const SourcePtr& source);

}  // namespace vectimus::engine
