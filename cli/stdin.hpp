// Reading a command's whole stdin. Bounded so a runaway writer cannot exhaust memory: past
// `cap` bytes the rest is drained and dropped (the payload is then over every limit anyway).
#pragma once

#include <cstddef>
#include <string>

namespace vectimus::cli {

std::string read_all_stdin(std::size_t cap = std::size_t{64} << 20);

}  // namespace vectimus::cli
