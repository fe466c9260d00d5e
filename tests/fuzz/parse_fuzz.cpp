// libFuzzer target for the grammar: any input must parse or fail with diagnostics (never
// crash, hang or trip a sanitizer), and whatever parses must print to text that parses back
// to the same IR.
#include <cstddef>
#include <cstdint>
#include <string>

#include "grammar/parse.hpp"
#include "ir/print.hpp"

namespace {

std::string dump_all(const vectimus::ir::PolicySet& set) {
  std::string out;
  for (const vectimus::ir::Policy& p : set.policies) out += vectimus::ir::dump(p) + "\n";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vectimus;
  const auto source =
      make_source("fuzz.cedar", std::string(reinterpret_cast<const char*>(data), size));
  auto first = grammar::parse_policies(source);
  if (!first.ok()) {
    (void)render(first.errors());  // rendering must cope with any span too
    return 0;
  }
  const std::string printed = ir::print(*first);
  auto second = grammar::parse_policies(make_source("printed.cedar", printed));
  if (!second.ok() || dump_all(*second) != dump_all(*first)) __builtin_trap();
  return 0;
}
