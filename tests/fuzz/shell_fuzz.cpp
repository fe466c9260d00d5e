// libFuzzer target: any byte string must be analysed without a crash, a sanitizer report, a
// hang, or a result that breaks the invariants below. Built only with -DVECTIMUS_FUZZ=ON (clang).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "normalise/shell/analysis.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  vectimus::shell::Options options;
  options.max_work = 256 * 1024;  // keeps each run fast; the bounds themselves are what is tested
  vectimus::shell::Analysis a = vectimus::shell::analyse(input, options);
  (void)vectimus::shell::dump(a);
  for (const auto& c : a.commands) {
    (void)c.canonical();
    // Every command's codes are in the whole input's codes.
    for (const auto& code : c.unresolved) {
      if (!std::binary_search(a.unresolved.begin(), a.unresolved.end(), code)) std::abort();
    }
  }
  if (a.commands.size() > options.max_commands) std::abort();
  return 0;
}
