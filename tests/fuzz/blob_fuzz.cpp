// libFuzzer target for the two decoders of compiled blobs: ir::deserialize (a policy set) and
// index::PolicyIndex::deserialize (a rule index). Both promise to trust none of their bytes:
// any input gives an error or a usable result, never a crash, a sanitizer report or a hang; an
// index they accept answers candidates() and explain() in bounds, and a set they accept prints.
// The first byte picks the decoder (low bit) and the index's policy count (the rest); the magic
// strings are short, so the fuzzer finds its way past them from an empty corpus.
// Built only with -DVECTIMUS_FUZZ=ON (clang).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "index/policy_index.hpp"
#include "interpreter/request.hpp"
#include "ir/print.hpp"
#include "ir/serialize.hpp"

namespace {

using vectimus::interpreter::Value;

// Requests that reach every kind of atom: scope, strings, prefixes, set elements.
std::vector<vectimus::interpreter::Request> probe_requests() {
  std::vector<vectimus::interpreter::Request> out;
  for (const char* command : {"rm -rf /", "git push --force origin main", "ls", ""}) {
    vectimus::interpreter::Request r;
    r.principal = {"Vectimus::User", "alice"};
    r.action = {"Vectimus::Action", "shell_command"};
    r.resource = {"Vectimus::Tool", "Bash"};
    r.context = Value::record(
        {{"command", Value::string(command)},
         {"program", Value::string("git")},
         {"args", Value::set({Value::string("push"), Value::string("main"), Value::long_(1)})}});
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t policy_count = data[0] >> 1;
  if ((data[0] & 1) == 0) {
    static const std::vector<vectimus::SourcePtr> sources = {
        vectimus::make_source("a.cedar", std::string(4096, ' ')),
        vectimus::make_source("b.cedar", std::string(64, ' '))};
    auto set = vectimus::ir::deserialize(bytes, sources);
    if (set) {
      for (const auto& policy : set->policies) (void)vectimus::ir::dump(policy);
    }
    return 0;
  }
  auto index = vectimus::index::PolicyIndex::deserialize(bytes, policy_count);
  if (!index) return 0;
  static const auto requests = probe_requests();
  for (const auto& request : requests) {
    for (const uint32_t p : index->candidates(request)) {
      if (p >= policy_count) std::abort();  // a candidate names a policy that does not exist
    }
    (void)index->explain(request, vectimus::interpreter::Entities{});
  }
  return 0;
}
