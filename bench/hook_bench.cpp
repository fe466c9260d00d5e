// Whole-process latency of `vectimus hook` (spawn to exit) on a benign event, against trivial
// C++ programs that only read stdin (one linked statically, the true floor, as vectimus is; one
// linked dynamically), measured in the same run, interleaved so all see the same machine load.
// Prints the medians and the ratios.
//
// Also prints the hook's median with `--no-index` (the cost of building the rule index at start)
// and the largest peak RSS of any vectimus run. Given a second vectimus binary (an earlier build),
// it is run interleaved too, so a change is judged against its "before" in one sitting.
//
// The hook leaves its evidence as in use: the main run is an event in a project (a git work
// tree), so it writes the audit record and signs a receipt into the project's log, nothing
// flushed (`[audit] durable` off, the default). Beside it, the same event with `durable` on
// (every file fsynced), with `[receipts] enabled = false` (the record only), and outside any
// project (no receipt possible): the differences are what each part of the evidence costs.
//
// Run: build/<preset>/bench/hook_bench [runs] [other-vectimus]   (default 400 runs of each)
// The hook runs with HOME and its working folder in a fresh temp dir, so no user config or
// project packs are read: this is the built-in packs' cost.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

// A benign Bash event whose cwd is `cwd`.
std::string payload_in(const std::string& cwd) {
  return R"({"session_id":"bench","transcript_path":"/tmp/t.jsonl","cwd":")" + cwd +
         R"(","permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Bash",)"
         R"("tool_input":{"command":"ls -la src","description":"List files"},)"
         R"("tool_use_id":"toolu_1"})";
}

// A project folder (a git work tree) under `dir`, with `config` as its .vectimus/config.toml.
std::string make_project(const std::string& dir, const std::string& name,
                         const std::string& config) {
  const std::string root = dir + "/" + name;
  std::filesystem::create_directories(root + "/.git");
  std::filesystem::create_directories(root + "/.vectimus");
  if (!config.empty()) {
    FILE* f = std::fopen((root + "/.vectimus/config.toml").c_str(), "w");
    if (f == nullptr || std::fputs(config.c_str(), f) < 0) std::abort();
    std::fclose(f);
  }
  return root;
}

long peak_rss_kib = 0;  // largest max RSS of any vectimus run (wait4's rusage)

// Runs argv with `input` on stdin, stdout/stderr discarded; returns microseconds to exit.
double run_once(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                const std::string& cwd, const std::string& payload) {
  int in[2];
  if (pipe(in) != 0) std::abort();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_addclose(&actions, in[1]);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data()) != 0) {
    std::fprintf(stderr, "cannot run %s\n", args[0]);
    std::exit(1);
  }
  close(in[0]);
  if (!payload.empty() &&
      write(in[1], payload.data(), payload.size()) != static_cast<ssize_t>(payload.size())) {
    std::abort();
  }
  close(in[1]);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  const auto end = std::chrono::steady_clock::now();
  if (argv[0] == VECTIMUS_BINARY) peak_rss_kib = std::max(peak_rss_kib, usage.ru_maxrss);
  posix_spawn_file_actions_destroy(&actions);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "%s exited with status %d\n", args[0], status);
    std::exit(1);
  }
  return std::chrono::duration<double, std::micro>(end - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 400;
  char pattern[] = "/tmp/vectimus-bench-XXXXXX";
  const std::string dir = mkdtemp(pattern);
  const std::vector<std::string> env = {"HOME=" + dir, "PATH=/usr/bin:/bin"};
  const std::vector<std::string> hook = {VECTIMUS_BINARY, "hook", "--source", "claude-code"};
  const std::vector<std::string> no_index = {VECTIMUS_BINARY, "hook", "--no-index", "--source",
                                             "claude-code"};
  const std::vector<std::string> baseline = {READ_STDIN_BINARY};
  const std::vector<std::string> static_baseline = {READ_STDIN_STATIC_BINARY};
  std::vector<std::string> other;
  if (argc > 2) other = {argv[2], "hook", "--source", "claude-code"};
  const std::string in_project = payload_in(make_project(dir, "proj", ""));
  const std::string durable =
      payload_in(make_project(dir, "proj-durable", "[audit]\ndurable = true\n"));
  const std::string record_only =
      payload_in(make_project(dir, "proj-record-only", "[receipts]\nenabled = false\n"));
  const std::string no_project = payload_in("/nonexistent/shop");
  // The other build logs into a project of its own: the two may write the log differently.
  const std::string other_project = payload_in(make_project(dir, "proj-other", ""));
  for (int i = 0; i < 20; ++i) {  // warm the page cache
    run_once(hook, env, dir, in_project);
    run_once(baseline, env, dir, in_project);
    run_once(static_baseline, env, dir, in_project);
    if (!other.empty()) run_once(other, env, dir, other_project);
  }
  // The empty-stdin hook run allows without loading any pack: process start-up alone.
  // The --no-index run shows what building the rule index at start costs.
  std::vector<double> hook_us, base_us, static_us, empty_us, no_index_us, other_us, durable_us,
      record_only_us, no_project_us;
  for (int i = 0; i < runs; ++i) {
    hook_us.push_back(run_once(hook, env, dir, in_project));
    base_us.push_back(run_once(baseline, env, dir, in_project));
    static_us.push_back(run_once(static_baseline, env, dir, in_project));
    empty_us.push_back(run_once(hook, env, dir, ""));
    no_index_us.push_back(run_once(no_index, env, dir, in_project));
    durable_us.push_back(run_once(hook, env, dir, durable));
    record_only_us.push_back(run_once(hook, env, dir, record_only));
    no_project_us.push_back(run_once(hook, env, dir, no_project));
    if (!other.empty()) other_us.push_back(run_once(other, env, dir, other_project));
  }
  std::filesystem::remove_all(dir);
  const double h = median(hook_us);
  const double b = median(base_us);
  const double sb = median(static_us);
  std::printf("runs: %d each, interleaved\n", runs);
  std::printf("vectimus hook (benign Bash event, record + receipt): median %.0f us\n", h);
  std::printf("read-stdin baseline, static:       median %.0f us\n", sb);
  std::printf("read-stdin baseline, dynamic:      median %.0f us\n", b);
  std::printf("vectimus hook, empty stdin:        median %.0f us (start-up, no packs loaded)\n",
              median(empty_us));
  std::printf("vectimus hook --no-index:           median %.0f us (every rule, no index built)\n",
              median(no_index_us));
  std::printf("  with [audit] durable (fsync):     median %.0f us\n", median(durable_us));
  std::printf("  record only (no receipt):         median %.0f us\n", median(record_only_us));
  std::printf("  outside a project (record only):  median %.0f us\n", median(no_project_us));
  if (!other_us.empty()) {
    const double o = median(other_us);
    std::printf("other vectimus (%s): median %.0f us, %.2fx the static baseline\n", argv[2], o,
                o / sb);
  }
  std::printf("ratio to the static baseline: %.2fx\n", h / sb);
  std::printf("ratio to the dynamic baseline: %.2fx\n", h / b);
  std::printf("peak RSS of the vectimus runs: %.1f MiB\n",
              static_cast<double>(peak_rss_kib) / 1024);
  return 0;
}
