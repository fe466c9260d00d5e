// The per-event cost of the decision path in process: a hook payload's bytes in, the agent's
// answer out (pipeline::Session::decide_payload: JSON parse, normalise, shell analysis, project
// look-up, request building, rule index, Cedar evaluation, decision, answer), with the built-in
// packs, as the team server and `vectimus eval` run it. No evidence (leave_evidence = false):
// BM_decide_evidence adds it for one event, and bench/audit_bench breaks it down.
//
// Run: build/release/bench/decide_bench  (wall time; noisy on a shared machine). Instructions,
// which a busy machine does not disturb: run one event under callgrind, collecting only inside
// decide_bytes (pipeline/decide.cpp, under both entry points), with DECIDE_BENCH_COUNT=N (each
// event exactly N times) for two values of N; the difference divided by the difference of N is the
// cost of one event, without the first call's engine load:
//   DECIDE_BENCH_COUNT=300 valgrind --tool=callgrind --toggle-collect='*decide_bytes*'
//       build/release/bench/decide_bench --benchmark_filter='^BM_decide/bash_benign_npm/'
//
// Figures, 2-core shared machine, release build, before (a7efffc) and after (branch perf):
// instructions per event from callgrind (exact, whatever the load) and the best CPU µs per event
// of three interleaved runs of both binaries (noisy: the machine was busy).
//   event                        instructions          CPU µs
//   bash_benign_npm             104,302 ->  50,561    22.9 ->  4.9
//   bash_benign_git_status      105,013 ->  51,979    23.1 ->  5.0
//   bash_benign_ls              110,311 ->  53,316    23.6 ->  5.2
//   bash_benign_pipeline        247,142 -> 129,918    34.5 -> 11.1
//   bash_denied_rm_rf           320,704 -> 125,765    39.7 -> 11.1
//   write_small                 185,943 -> 111,055    30.5 -> 10.3
//   read                         55,343 ->  26,751    18.2 ->  2.8
//   no_clock/bash_benign_npm    104,302 ->  56,873    22.9 -> 19.2  (8 stats of the cwd walk)
//   evidence/bash_benign_npm                          69.9 -> 53.9  (the audit record, no receipt)
//   with/bash_benign_npm                  ->  50,430           ->  4.7  (the server's path)
//   with/bash_denied_rm_rf                -> 125,771           -> 10.7
// Before, every event walked the file system from its cwd to `/` for the project root (2 stats
// per folder, ~14 µs here: most of the old figure, and invisible to callgrind); the engine
// Session now remembers where a cwd leads for a second. no_clock shows the walk's cost still.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "pipeline/decide.hpp"
#include "support/host.hpp"

namespace {

using namespace vectimus;

// HOME is an empty temp folder: no user config, no user packs (the built-in packs' cost).
struct Fixture {
  std::filesystem::path home;
  MapEnvironment env;
  Host host;

  Fixture() {
    char pattern[] = "/tmp/vectimus-decide-bench-XXXXXX";
    const char* dir = mkdtemp(pattern);
    if (dir == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    home = dir;
    env.set("HOME", home.string());
    host = real_host();
    host.env = &env;
    host.cwd = home.string();
  }
  ~Fixture() {
    std::error_code ec;
    std::filesystem::remove_all(home, ec);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

std::string claude(std::string_view tool, std::string_view input) {
  return R"({"session_id":"s1","transcript_path":"/tmp/t.jsonl","cwd":"/home/dev/shop",)"
         R"("permission_mode":"default","hook_event_name":"PreToolUse","tool_name":")" +
         std::string(tool) + R"(","tool_input":)" + std::string(input) +
         R"(,"tool_use_id":"toolu_1"})";
}

std::string bash(std::string_view command) {
  return claude("Bash", R"({"command":")" + std::string(command) + R"("})");
}

// One event decided over and over by one Session (the server's case: engines loaded once).
// Without a clock the Session does not remember where a cwd leads (engine::Session), so each
// event walks the file system up from its cwd looking for the project root, as a hook does.
void run(benchmark::State& state, const std::string& payload, const char* expect, bool evidence,
         bool clock = true) {
  pipeline::SessionOptions options;
  options.leave_evidence = evidence;
  Host host = fixture().host;
  if (!clock) host.now_ns = nullptr;
  pipeline::Session session(host, options);
  {
    const pipeline::Outcome first = session.decide_payload("claude-code", payload);
    const std::string_view verdict = engine::verdict_name(first.verdict);
    if (first.stage != pipeline::Stage::decided || verdict != expect) {
      std::fprintf(stderr, "decide_bench: expected %s, got %.*s (%s)\n", expect,
                   static_cast<int>(verdict.size()), verdict.data(), first.reason.c_str());
      std::abort();
    }
  }
  for (auto _ : state) {
    pipeline::Outcome out = session.decide_payload("claude-code", payload);
    benchmark::DoNotOptimize(out.answer);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_decide(benchmark::State& state, const std::string& payload, const char* expect) {
  run(state, payload, expect, false);
}

// The team server's path: one engine for every event, whatever its cwd
// (pipeline::decide_payload_with), so no project look-up at all.
void BM_decide_with(benchmark::State& state, const std::string& payload, const char* expect) {
  const Host& host = fixture().host;
  engine::EngineOptions engine_options;
  const Result<engine::Engine> engine =
      engine::Engine::load(host, engine::locate(host, std::nullopt, std::nullopt), engine_options);
  const pipeline::DecideOptions options;
  const pipeline::Outcome first =
      pipeline::decide_payload_with(host, engine, "claude-code", payload, options);
  if (first.stage != pipeline::Stage::decided || engine::verdict_name(first.verdict) != expect) {
    std::fprintf(stderr, "decide_bench: decide_payload_with did not decide %s\n", expect);
    std::abort();
  }
  for (auto _ : state) {
    pipeline::Outcome out =
        pipeline::decide_payload_with(host, engine, "claude-code", payload, options);
    benchmark::DoNotOptimize(out.answer);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_decide_no_clock(benchmark::State& state, const std::string& payload, const char* expect) {
  run(state, payload, expect, false, false);
}

void BM_decide_evidence(benchmark::State& state, const std::string& payload, const char* expect) {
  run(state, payload, expect, true);
}

const std::string kNpmTest = bash("npm test");
const std::string kGitStatus = bash("git status");
const std::string kLs = bash("ls -la src");
const std::string kPipeline = bash("git diff HEAD~1 | grep -n TODO && make -j4 test");
const std::string kRmRf = bash("rm -rf /");
const std::string kWrite = claude(
    "Write",
    R"({"file_path":"/home/dev/shop/src/app.py","content":"import os\n\ndef main():\n    print('hello')\n"})");
const std::string kRead = claude("Read", R"({"file_path":"/home/dev/shop/src/app.py"})");

// A fixed count of iterations when DECIDE_BENCH_COUNT is set (exact callgrind division).
benchmark::internal::Benchmark* count(benchmark::internal::Benchmark* b) {
  if (const char* n = std::getenv("DECIDE_BENCH_COUNT")) b->Iterations(std::atoll(n));
  return b;
}

}  // namespace

BENCHMARK_CAPTURE(BM_decide, bash_benign_npm, kNpmTest, "allow")->Apply([](auto* b) { count(b); });
BENCHMARK_CAPTURE(BM_decide, bash_benign_git_status, kGitStatus, "allow")->Apply([](auto* b) {
  count(b);
});
BENCHMARK_CAPTURE(BM_decide, bash_benign_ls, kLs, "allow")->Apply([](auto* b) { count(b); });
BENCHMARK_CAPTURE(BM_decide, bash_benign_pipeline, kPipeline, "allow")->Apply([](auto* b) {
  count(b);
});
BENCHMARK_CAPTURE(BM_decide, bash_denied_rm_rf, kRmRf, "deny")->Apply([](auto* b) { count(b); });
BENCHMARK_CAPTURE(BM_decide, write_small, kWrite, "allow")->Apply([](auto* b) { count(b); });
BENCHMARK_CAPTURE(BM_decide, read, kRead, "allow")->Apply([](auto* b) { count(b); });
BENCHMARK_CAPTURE(BM_decide_with, bash_benign_npm, kNpmTest, "allow")->Apply([](auto* b) {
  count(b);
});
BENCHMARK_CAPTURE(BM_decide_with, bash_denied_rm_rf, kRmRf, "deny")->Apply([](auto* b) {
  count(b);
});
BENCHMARK_CAPTURE(BM_decide_no_clock, bash_benign_npm, kNpmTest, "allow")->Apply([](auto* b) {
  count(b);
});
BENCHMARK_CAPTURE(BM_decide_evidence, bash_benign_npm, kNpmTest, "allow")->Apply([](auto* b) {
  count(b);
});

BENCHMARK_MAIN();
