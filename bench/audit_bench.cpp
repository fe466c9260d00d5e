// The cost of the evidence each decision leaves: Ed25519 signing, building a receipt (canonical
// JSON, fingerprint, signature), writing its file, appending the log record, signing the
// checkpoint, and the whole issue_receipt(), each with the files flushed (fsync, as the product
// does) and without (a file system that renames without fsync: still safe against a killed
// process, not against a power cut). Run: build/ci/bench/audit_bench
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "audit/issue.hpp"
#include "audit/keys.hpp"
#include "audit/note.hpp"
#include "audit/receipt_log.hpp"
#include "support/host.hpp"

using namespace vectimus;
using namespace vectimus::audit;

namespace {

// The real file system, except that nothing is flushed to disk.
class NoSyncFileSystem final : public FileSystem {
 public:
  FileRead read(const std::string& p, std::size_t max) const override {
    return real().read(p, max);
  }
  bool is_directory(const std::string& p) const override { return real().is_directory(p); }
  bool exists(const std::string& p) const override { return real().exists(p); }
  std::vector<std::string> list(const std::string& d, bool dirs) const override {
    return real().list(d, dirs);
  }
  IoStatus append(const std::string& p, std::string_view b, unsigned m, bool) const override {
    return real().append(p, b, m, false);
  }
  IoStatus replace(const std::string& p, std::string_view b, unsigned m, bool) const override {
    return real().replace(p, b, m, false);
  }
  IoStatus write_at(const std::string& p, std::string_view b, uint64_t offset, unsigned m,
                    bool) const override {
    return real().write_at(p, b, offset, m, false);
  }
  IoStatus make_directories(const std::string& p, unsigned m) const override {
    return real().make_directories(p, m);
  }
  IoStatus set_mode(const std::string& p, unsigned m) const override {
    return real().set_mode(p, m);
  }
  IoStatus remove(const std::string& p) const override { return real().remove(p); }
  std::optional<uint64_t> size(const std::string& p) const override { return real().size(p); }
  IoStatus rename(const std::string& from, const std::string& to) const override {
    return real().rename(from, to);
  }
  Result<FileLock> lock(const std::string& p, unsigned m) const override {
    return real().lock(p, m);
  }

 private:
  static const FileSystem& real() { return real_file_system(); }
};

struct Fixture {
  std::string root;
  MapEnvironment env;
  NoSyncFileSystem nosync;
  Host host;
  explicit Fixture(bool durable) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "vectimus-bench-XXXXXX").string();
    root = ::mkdtemp(pattern.data());
    std::filesystem::create_directories(root + "/project");
    host = real_host();
    host.env = &env;
    if (!durable) host.fs = &nosync;
  }
  ~Fixture() { std::filesystem::remove_all(root); }
  std::string home() const { return root + "/home"; }
  std::string project() const { return root + "/project"; }
};

ReceiptFacts facts() {
  ReceiptFacts f;
  f.timestamp_ns = 1'767'225'600'123'456'000;
  f.principal_type = "agent";
  f.principal_id = "claude-code";
  f.tool = "Bash";
  f.normalised_tool = "shell_command";
  f.command = "git push --force origin main";
  f.policy_set_hash = "sha256:" + std::string(64, '0');
  f.policy_pack_version = "1.0.0";
  f.matched_policy_id = "vectimus-base-012";
  f.outcome = "deny";
  f.reason = "Force push to a protected branch";
  f.evaluation_time_ms = 0.3;
  return f;
}

void BM_Sign(benchmark::State& state) {
  const Ed25519Key key = *ed25519_generate();
  const std::string message(700, 'x');  // about one canonical receipt
  for (auto _ : state) benchmark::DoNotOptimize(ed25519_sign(key, message));
}
BENCHMARK(BM_Sign);

void BM_MakeReceipt(benchmark::State& state) {
  const Ed25519Key key = *ed25519_generate();
  const SigningKey signer{key, key_id(key.public_key)};
  for (auto _ : state) {
    Result<JsonValue> r = make_receipt(facts(), "vtms-00000000-0000-4000-8000-000000000000", signer,
                                       {"vectimus.local/p/00", 7});
    benchmark::DoNotOptimize(pretty_json(*r, Canon::jcs));
  }
}
BENCHMARK(BM_MakeReceipt);

void BM_Checkpoint(benchmark::State& state) {
  const Ed25519Key key = *ed25519_generate();
  CompactRange range;
  for (int i = 0; i < 1000; ++i) range.append(leaf_hash(std::to_string(i)));
  for (auto _ : state) {
    const Checkpoint cp{"vectimus.local/p/00", range.size(), range.root()};
    benchmark::DoNotOptimize(sign_note(checkpoint_text(cp), cp.origin, key));
  }
}
BENCHMARK(BM_Checkpoint);

void BM_ReceiptWrite(benchmark::State& state) {
  // As the log writes a receipt: a new file under a name of its own, one write.
  Fixture fx(state.range(0) != 0);
  const std::string text(900, 'r');
  const bool durable = state.range(0) != 0;
  uint64_t n = 0;
  for (auto _ : state) {
    const std::string path = fx.project() + "/r" + std::to_string(n++) + ".json";
    benchmark::DoNotOptimize(fx.host.fs->append(path, text, 0644, durable));
  }
}
BENCHMARK(BM_ReceiptWrite)->ArgName("fsync")->Arg(1)->Arg(0);

void BM_LogRecordAppend(benchmark::State& state) {
  Fixture fx(true);
  const std::string record(kEntrySize, 'e');
  const bool durable = state.range(0) != 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(fx.host.fs->append(fx.project() + "/entries", record, 0644, durable));
}
BENCHMARK(BM_LogRecordAppend)->ArgName("fsync")->Arg(1)->Arg(0);

void BM_StateSlotWrite(benchmark::State& state) {
  // The log's head, rewritten in place in one of its two slots (twice per append).
  Fixture fx(true);
  const std::string slot(5000, 's');
  const bool durable = state.range(0) != 0;
  uint64_t n = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        fx.host.fs->write_at(fx.project() + "/state", slot, (n++ % 2) * 16384, 0644, durable));
  }
}
BENCHMARK(BM_StateSlotWrite)->ArgName("fsync")->Arg(1)->Arg(0);

void BM_ReplaceFile(benchmark::State& state) {
  // What the head cost before the slots: a temporary file renamed over it.
  Fixture fx(true);
  const std::string text(900, 's');
  const bool durable = state.range(0) != 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(fx.host.fs->replace(fx.project() + "/state", text, 0644, durable));
}
BENCHMARK(BM_ReplaceFile)->ArgName("fsync")->Arg(1)->Arg(0);

// fsync 1: everything flushed (`[audit] durable = true`); 2: the default, `durable` off (only a
// kept checkpoint, every 100th append, is flushed); 0: nothing flushed at all.
void BM_IssueReceipt(benchmark::State& state) {
  const bool durable = state.range(0) == 1;
  Fixture fx(state.range(0) != 0);
  (void)issue_receipt(fx.host, fx.home(), fx.project(), facts());  // the key exists
  for (auto _ : state) {
    benchmark::DoNotOptimize(issue_receipt(fx.host, fx.home(), fx.project(), facts(), {durable}));
  }
}
BENCHMARK(BM_IssueReceipt)->ArgName("fsync")->Arg(1)->Arg(2)->Arg(0)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
