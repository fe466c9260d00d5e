// `pack.toml`: a pack's manifest, the `[pack]` table of writing-policies.md:
//
//   [pack]
//   name = "my-team"                 # required strings: name, version, description, author
//   version = "1.0.0"
//   description = "Team-specific governance rules"
//   author = "My Team"
//   license = "Apache-2.0"           # optional string
//   requires = ["base>=1.0"]         # optional: packs (and versions) this one builds on, a
//                                    # string or a list of strings; stored, not yet enforced
//
// Any other key is an error naming file:line:col with a "did you mean". The loader, the
// build-time compiler of the built-in packs and `vectimus lint` all read it through
// parse_pack_manifest(), so they report a missing or mistyped field the same way.
#pragma once

#include <string>
#include <vector>

#include "support/result.hpp"

namespace vectimus::engine {

struct PackManifest {
  std::string name;
  std::string version;
  std::string description;
  std::string author;
  std::string license;                      // empty when not given
  std::vector<std::string> required_packs;  // `requires`, as written
};

Result<PackManifest> parse_pack_manifest(const SourcePtr& source);

}  // namespace vectimus::engine
