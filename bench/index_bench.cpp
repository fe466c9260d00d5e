// Benchmarks of the rule index (index/): building it, looking up candidates, and deciding one
// event with and without it, on the built-in packs, on generated sets of 100 / 1,000 / 10,000
// rules in the packs' shape, and on an adversarial 64 KiB command against many-star patterns.
// "with index" always means candidates() plus authorize() of the candidates, the engine's path.
// Figures are compared as ratios within one run (the machines are shared and noisy).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/bench_packs.hpp"
#include "grammar/parse.hpp"
#include "index/policy_index.hpp"
#include "interpreter/authorizer.hpp"
#include "interpreter/like.hpp"

namespace {

using namespace vectimus;

// `n` distinct forbids in the packs' shape: an action scope and several `like "*...*"`
// patterns; two in three are shell rules on context.command, one in three file rules on
// context.file_path. Plus the permit-all.
std::string generated_rules(int n) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    const std::string k = std::to_string(i);
    if (i % 3 != 2) {
      text += "@id(\"gen-" + k +
              "\")\nforbid(principal, action == Vectimus::Action::\"shell_command\", resource)\n"
              "when { context.command like \"*tool" +
              k + " --danger*\" || context.command like \"*curl *evil" + k +
              ".example*| sh*\" || context.command like \"*rm -rf /srv/" + k + "*\" };\n";
    } else {
      text += "@id(\"gen-" + k +
              "\")\nforbid(principal, action == Vectimus::Action::\"file_write\", resource)\n"
              "when { context.file_path like \"*/secrets" +
              k + "/*\" || context.file_path like \"*.key" + k + "\" };\n";
    }
  }
  return text + "@id(\"allow-all\") permit(principal, action, resource);\n";
}

// Many-star patterns for the adversarial run: short runs (no usable atom, so always
// candidates), runs that occur everywhere in the command, and one long run that almost occurs.
std::string adversarial_rules() {
  const char* const patterns[] = {
      "*a*b*c*d*e*f*",
      "*a*a*a*a*a*a*a*a*a*a*b*",
      "*aa*aa*aa*aa*aa*aa*aa*aa*c*",
      "*aaa*aaa*aaa*aaa*z*",
      "*rm*-rf*/*x*",
      "*aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab*",
      "*a*",
      "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b",
  };
  std::string text;
  int i = 0;
  for (const char* p : patterns) {
    text += "@id(\"adv-" + std::to_string(i++) +
            "\") forbid(principal, action == Vectimus::Action::\"shell_command\", resource)"
            " when { context.command like \"" +
            p + "\" };\n";
  }
  return text + "@id(\"allow-all\") permit(principal, action, resource);\n";
}

interpreter::Request request(const char* action, const std::string& key, const std::string& value) {
  interpreter::Request r;
  r.principal = {"Vectimus::User", "developer"};
  r.action = {"Vectimus::Action", action};
  r.resource = {"Vectimus::Tool", "Bash"};
  r.context = interpreter::Value::record({{key, interpreter::Value::string(value)},
                                          {"cwd", interpreter::Value::string("/home/dev/app")}});
  return r;
}

const char* const kBenign = "git commit -m 'fix the build' && npm test -- --watch=false";
const char* const kDangerous = "sudo rm -rf / --no-preserve-root";

// ---- the built-in packs

// What the hook pays today at every start before the index: parsing every pack's text.
void BM_parse_packs(benchmark::State& state) {
  const std::string text = bench::builtin_packs_text();
  for (auto _ : state) benchmark::DoNotOptimize(grammar::parse_policies(make_source("p", text)));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_parse_packs)->Unit(benchmark::kMicrosecond);

void BM_index_build_packs(benchmark::State& state) {
  const ir::PolicySet set = bench::parse_or_die(bench::builtin_packs_text());
  for (auto _ : state) benchmark::DoNotOptimize(index::PolicyIndex::build(set));
}
BENCHMARK(BM_index_build_packs)->Unit(benchmark::kMicrosecond);

// What the hook pays instead of building: loading the index compiled at build time.
void BM_index_load_packs(benchmark::State& state) {
  const ir::PolicySet set = bench::parse_or_die(bench::builtin_packs_text());
  const std::string bytes = index::PolicyIndex::build(set).serialize();
  for (auto _ : state) {
    auto loaded = index::PolicyIndex::deserialize(bytes, set.policies.size());
    if (!loaded.ok()) std::abort();
    benchmark::DoNotOptimize(loaded);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_index_load_packs)->Unit(benchmark::kMicrosecond);

// What the hook pays now: viewing the compiled-in index in place (the columns are not copied or
// checked element by element). The blob is copied to an 8-byte aligned buffer, as packc's
// alignas array is.
void BM_index_view_packs(benchmark::State& state) {
  const ir::PolicySet set = bench::parse_or_die(bench::builtin_packs_text());
  const std::string bytes = index::PolicyIndex::build(set).serialize();
  std::vector<uint64_t> aligned(bytes.size() / 8 + 1);
  std::memcpy(aligned.data(), bytes.data(), bytes.size());
  const std::string_view blob(reinterpret_cast<const char*>(aligned.data()), bytes.size());
  for (auto _ : state) {
    auto loaded = index::PolicyIndex::view(blob, set.policies.size());
    if (!loaded.ok() || !loaded->borrowed()) std::abort();
    benchmark::DoNotOptimize(loaded);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_index_view_packs)->Unit(benchmark::kMicrosecond);

void BM_candidates_packs(benchmark::State& state, const char* command) {
  const ir::PolicySet set = bench::parse_or_die(bench::builtin_packs_text());
  const index::PolicyIndex idx = index::PolicyIndex::build(set);
  const auto req = request("shell_command", "command", command);
  for (auto _ : state) benchmark::DoNotOptimize(idx.candidates(req));
}
BENCHMARK_CAPTURE(BM_candidates_packs, benign, kBenign);
BENCHMARK_CAPTURE(BM_candidates_packs, dangerous, kDangerous);

void BM_eval_packs_full(benchmark::State& state, const char* command) {
  const ir::PolicySet set = bench::parse_or_die(bench::builtin_packs_text());
  const interpreter::Entities entities;
  const auto req = request("shell_command", "command", command);
  for (auto _ : state) benchmark::DoNotOptimize(interpreter::authorize(set, req, entities));
}
BENCHMARK_CAPTURE(BM_eval_packs_full, benign, kBenign);
BENCHMARK_CAPTURE(BM_eval_packs_full, dangerous, kDangerous);

void BM_eval_packs_index(benchmark::State& state, const char* command) {
  const ir::PolicySet set = bench::parse_or_die(bench::builtin_packs_text());
  const index::PolicyIndex idx = index::PolicyIndex::build(set);
  const interpreter::Entities entities;
  const auto req = request("shell_command", "command", command);
  for (auto _ : state) {
    benchmark::DoNotOptimize(interpreter::authorize(set, idx.candidates(req), req, entities));
  }
}
BENCHMARK_CAPTURE(BM_eval_packs_index, benign, kBenign);
BENCHMARK_CAPTURE(BM_eval_packs_index, dangerous, kDangerous);

// ---- scaling: 100, 1,000, 10,000 generated rules

void BM_index_build_generated(benchmark::State& state) {
  const ir::PolicySet set = bench::parse_or_die(generated_rules(static_cast<int>(state.range(0))));
  for (auto _ : state) benchmark::DoNotOptimize(index::PolicyIndex::build(set));
}
BENCHMARK(BM_index_build_generated)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);

void BM_eval_generated_full(benchmark::State& state) {
  const ir::PolicySet set = bench::parse_or_die(generated_rules(static_cast<int>(state.range(0))));
  const interpreter::Entities entities;
  const auto req = request("shell_command", "command", kBenign);
  for (auto _ : state) benchmark::DoNotOptimize(interpreter::authorize(set, req, entities));
}
BENCHMARK(BM_eval_generated_full)->Arg(100)->Arg(1000)->Arg(10000);

void BM_eval_generated_index(benchmark::State& state) {
  const ir::PolicySet set = bench::parse_or_die(generated_rules(static_cast<int>(state.range(0))));
  const index::PolicyIndex idx = index::PolicyIndex::build(set);
  const interpreter::Entities entities;
  const auto req = request("shell_command", "command", kBenign);
  for (auto _ : state) {
    benchmark::DoNotOptimize(interpreter::authorize(set, idx.candidates(req), req, entities));
  }
}
BENCHMARK(BM_eval_generated_index)->Arg(100)->Arg(1000)->Arg(10000);

// A command that one generated rule forbids (rule 3 * n / 4 rounded to a shell rule).
void BM_eval_generated_index_hit(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const ir::PolicySet set = bench::parse_or_die(generated_rules(n));
  const index::PolicyIndex idx = index::PolicyIndex::build(set);
  const interpreter::Entities entities;
  const int k = (3 * n / 4) / 3 * 3;
  const auto req = request("shell_command", "command", "tool" + std::to_string(k) + " --danger");
  const auto r = interpreter::authorize(set, idx.candidates(req), req, entities);
  if (r.decision != interpreter::Decision::deny) std::abort();
  for (auto _ : state) {
    benchmark::DoNotOptimize(interpreter::authorize(set, idx.candidates(req), req, entities));
  }
}
BENCHMARK(BM_eval_generated_index_hit)->Arg(100)->Arg(1000)->Arg(10000);

// ---- adversarial: a 64 KiB command against many-star patterns

std::string adversarial_command() {
  std::string command = "echo ";
  command.resize(64 * 1024, 'a');
  return command;
}

void BM_adversarial_full(benchmark::State& state) {
  const ir::PolicySet set = bench::parse_or_die(adversarial_rules());
  const interpreter::Entities entities;
  const auto req = request("shell_command", "command", adversarial_command());
  for (auto _ : state) benchmark::DoNotOptimize(interpreter::authorize(set, req, entities));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 64 * 1024);
}
BENCHMARK(BM_adversarial_full)->Unit(benchmark::kMicrosecond);

void BM_adversarial_index(benchmark::State& state) {
  const ir::PolicySet set = bench::parse_or_die(adversarial_rules());
  const index::PolicyIndex idx = index::PolicyIndex::build(set);
  const interpreter::Entities entities;
  const auto req = request("shell_command", "command", adversarial_command());
  for (auto _ : state) {
    benchmark::DoNotOptimize(interpreter::authorize(set, idx.candidates(req), req, entities));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 64 * 1024);
}
BENCHMARK(BM_adversarial_index)->Unit(benchmark::kMicrosecond);

// The index's own share: one scan of 64 KiB against the packs' and the generated 10,000 rules'
// atoms.
void BM_adversarial_candidates(benchmark::State& state) {
  const ir::PolicySet set = bench::parse_or_die(state.range(0) == 0 ? bench::builtin_packs_text()
                                                                    : generated_rules(10000));
  const index::PolicyIndex idx = index::PolicyIndex::build(set);
  const auto req = request("shell_command", "command", adversarial_command());
  for (auto _ : state) benchmark::DoNotOptimize(idx.candidates(req));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 64 * 1024);
}
BENCHMARK(BM_adversarial_candidates)->Arg(0)->Arg(10000)->Unit(benchmark::kMicrosecond);

// `like` alone, one pattern at a time, on the 64 KiB command (interpreter/like.cpp).
void BM_like_64k(benchmark::State& state, const char* pattern_text) {
  const ir::PolicySet set = bench::parse_or_die(
      std::string("forbid(principal, action, resource) when { context.c like \"") + pattern_text +
      "\" };");
  const ir::Pattern& pattern = set.policies[0].conditions[0].body.pattern;
  const std::string command = adversarial_command();
  for (auto _ : state) benchmark::DoNotOptimize(interpreter::like_match(command, pattern));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 64 * 1024);
}
BENCHMARK_CAPTURE(BM_like_64k, many_stars, "*a*b*c*d*e*f*")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_like_64k, anchored_stars, "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_like_64k, long_run_32, "*aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab*")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(
    BM_like_64k, long_run_256,
    "*aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaab*")
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
