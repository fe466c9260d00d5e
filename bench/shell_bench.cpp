// Shell analysis cost against input size: time should grow linearly with the command's length
// (Complexity reports the fitted curve), and inputs past a bound stop at the bound.
#include <benchmark/benchmark.h>

#include <string>

#include "normalise/shell/analysis.hpp"

namespace {

using vectimus::shell::analyse;

// A realistic mix of constructs, repeated to `bytes`.
std::string command_of_size(size_t bytes) {
  const std::string unit =
      "sudo env A=1 rm -rf \"$HOME\"/tmp/x && ls -la | grep 'a b' > out.txt; "
      "bash -c 'cat ~/.env' || echo $(date +%s) `id -u`\n";
  std::string out;
  while (out.size() + unit.size() <= bytes) out += unit;
  return out;
}

std::string nested_substitutions(int depth) {
  std::string out;
  for (int i = 0; i < depth; ++i) out += "echo $(";
  out += "rm -rf /";
  for (int i = 0; i < depth; ++i) out += ")";
  return out;
}

void BM_analyse_by_size(benchmark::State& state) {
  const std::string text = command_of_size(static_cast<size_t>(state.range(0)));
  size_t commands = 0;
  for (auto _ : state) {
    const auto analysis = analyse(text);
    commands = analysis.commands.size();
    benchmark::DoNotOptimize(analysis);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.SetComplexityN(static_cast<int64_t>(text.size()));
  state.counters["commands"] = static_cast<double>(commands);
}
BENCHMARK(BM_analyse_by_size)->RangeMultiplier(4)->Range(1 << 10, 64 << 10)->Complexity();

void BM_analyse_nested(benchmark::State& state) {
  const std::string text = nested_substitutions(static_cast<int>(state.range(0)));
  bool bounded = false;
  for (auto _ : state) {
    const auto analysis = analyse(text);
    bounded = false;
    for (const auto& code : analysis.unresolved) bounded = bounded || code == "depth-limit";
    benchmark::DoNotOptimize(analysis);
  }
  state.counters["depth_limit"] = bounded ? 1 : 0;
}
BENCHMARK(BM_analyse_nested)->Arg(8)->Arg(32)->Arg(1000)->Arg(10000);

}  // namespace

BENCHMARK_MAIN();
