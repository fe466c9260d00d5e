// Reading the files a command names: whole files into Sources, and `.cedar` files found under
// directories. Failures are diagnostics with code "io" naming the path.
#pragma once

#include <string>
#include <vector>

#include "support/result.hpp"

namespace vectimus::cli {

Result<SourcePtr> read_source(const std::string& path);

// Each PATH that is a file as given; each directory replaced by the files under it (recursively)
// whose name ends in `extension`, sorted so the order is the same on every machine.
Result<std::vector<std::string>> expand_paths(const std::vector<std::string>& paths,
                                              const std::string& extension);

}  // namespace vectimus::cli
