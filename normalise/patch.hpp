// The files an apply_patch text touches (Codex, VS Code): the patch format names them on header
// lines, so the adapter reads them there instead of trusting any path field.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vectimus::normalise {

// Paths from `*** Add File: p`, `*** Update File: p`, `*** Delete File: p` and `*** Move to: p`
// lines, in patch order, as written (trimmed, not normalised), without duplicates.
std::vector<std::string> patch_file_paths(std::string_view patch);

}  // namespace vectimus::normalise
