// The built-in packs and sample events, compiled into the binary so one file is the whole
// install. engine/embed.cmake generates the definitions from policies/ at build time.
#pragma once

#include <span>
#include <string_view>

namespace vectimus::engine {

struct EmbeddedFile {
  std::string_view path;  // relative to policies/, e.g. "destructive-ops/pack.toml"
  std::string_view text;
};

// Every `policies/*/pack.toml` and `policies/*/*.cedar`, sorted by path.
std::span<const EmbeddedFile> builtin_pack_files();

// `policies/samples.json`: the sample events `vectimus test` runs without `--file`.
std::string_view builtin_samples();

}  // namespace vectimus::engine
