// Benchmarks of the Cedar engine in process: parsing policy text, and deciding one request.
// Figures are compared as ratios within one run (the machines are shared and noisy).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/bench_packs.hpp"
#include "grammar/parse.hpp"
#include "interpreter/authorizer.hpp"

namespace {

using namespace vectimus;

// `n` distinct rules in the shape the packs use: an action scope and a few `like` patterns.
std::string generated_rules(int n) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    const std::string k = std::to_string(i);
    text += "@id(\"gen-" + k +
            "\")\nforbid(principal, action == Vectimus::Action::\"shell_command\"," +
            " resource)\nwhen { context.command like \"*tool" + k + " --danger*\" || " +
            "(context has cwd && context.cwd like \"/srv/" + k + "/*\") };\n";
  }
  return text + "permit(principal, action, resource);\n";
}

interpreter::Request shell_request(const std::string& command) {
  interpreter::Request r;
  r.principal = {"Vectimus::User", "developer"};
  r.action = {"Vectimus::Action", "shell_command"};
  r.resource = {"Vectimus::Tool", "Bash"};
  r.context =
      interpreter::Value::record({{"command", interpreter::Value::string(command)},
                                  {"cwd", interpreter::Value::string("/home/dev/project")}});
  return r;
}

void BM_parse_builtin_packs(benchmark::State& state) {
  const std::string text = bench::builtin_packs_text();
  for (auto _ : state) benchmark::DoNotOptimize(grammar::parse_policies(make_source("p", text)));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_parse_builtin_packs);

void BM_parse_generated(benchmark::State& state) {
  const std::string text = generated_rules(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(grammar::parse_policies(make_source("p", text)));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_parse_generated)->Arg(100)->Arg(1000);

void BM_authorize_builtin(benchmark::State& state, const char* command) {
  const ir::PolicySet set = bench::parse_or_die(bench::builtin_packs_text());
  const interpreter::Entities entities;
  const interpreter::Request request = shell_request(command);
  for (auto _ : state) benchmark::DoNotOptimize(interpreter::authorize(set, request, entities));
}
BENCHMARK_CAPTURE(BM_authorize_builtin, benign, "cargo test --workspace --all-features");
BENCHMARK_CAPTURE(BM_authorize_builtin, denied, "sudo rm -rf / --no-preserve-root");

void BM_authorize_generated(benchmark::State& state) {
  const ir::PolicySet set = bench::parse_or_die(generated_rules(static_cast<int>(state.range(0))));
  const interpreter::Entities entities;
  const interpreter::Request request = shell_request("cargo test --workspace --all-features");
  for (auto _ : state) benchmark::DoNotOptimize(interpreter::authorize(set, request, entities));
}
BENCHMARK(BM_authorize_generated)->Arg(100)->Arg(1000);

}  // namespace

BENCHMARK_MAIN();
