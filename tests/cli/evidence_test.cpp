// End-to-end tests of the evidence the real hook leaves in a project: a signed receipt per
// decision in the project's Merkle log, cited by the record and by the reason the agent reads;
// many hooks at once; hooks killed at random moments; a full disk and a read-only log folder
// (inside a user and mount namespace, as root ignores modes), with `[audit] required` off and on.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/cli/process.hpp"
#include "tests/support/temp_tree.hpp"

using vectimus::testing::ProcessResult;
using vectimus::testing::TempTree;

namespace {

const std::string kBinary = VECTIMUS_BINARY;
const std::string kPacks = std::string(VECTIMUS_SOURCE_DIR) + "/tests/packs/levels";

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Every record of every audit file in `dir`.
std::vector<std::string> records(const std::string& dir) {
  std::vector<std::string> out;
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.path().filename().string().starts_with("audit-")) continue;
    for (std::string& line : lines_of(read_file(entry.path()))) out.push_back(std::move(line));
  }
  return out;
}

// The receipt files under <project>/.vectimus/receipts/<day>/.
std::set<std::string> receipt_ids(const std::string& receipts) {
  std::set<std::string> out;
  if (!std::filesystem::exists(receipts)) return out;
  for (const auto& day : std::filesystem::directory_iterator(receipts)) {
    if (!day.is_directory() || day.path().filename() == "log") continue;
    for (const auto& file : std::filesystem::directory_iterator(day.path())) {
      out.insert(file.path().stem().string());
    }
  }
  return out;
}

// The value of `"key":"…"` or `"key":123` in a record (the first one).
std::string field(const std::string& record, const std::string& key) {
  const std::regex re("\"" + key + "\":(\"([^\"]*)\"|([0-9]+|null))");
  std::smatch m;
  if (!std::regex_search(record, m, re)) return {};
  return m[2].matched ? m[2].str() : m[3].str();
}

// A project (a git work tree) and a home folder in a temp tree.
struct Project {
  TempTree t;
  Project() {
    t.mkdir("home");
    t.mkdir("proj/.git");
  }
  std::string proj() const { return t.path("proj"); }
  std::string receipts() const { return t.path("proj/.vectimus/receipts"); }
  std::string logs() const { return t.path("home/.vectimus/logs"); }
  std::string payload(const std::string& command) const {
    return R"({"session_id":"s1","cwd":")" + proj() +
           R"(","permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Bash",)"
           R"("tool_input":{"command":")" +
           command + R"("},"tool_use_id":"t1"})";
  }
  std::vector<std::string> env() const { return {"HOME=" + t.path("home")}; }
  std::vector<std::string> hook_argv() const {
    return {kBinary, "hook", "--source", "claude-code", "--policy-dir", kPacks};
  }
  ProcessResult hook(const std::string& command) const {
    return vectimus::testing::run_process(hook_argv(), payload(command), {env(), proj()});
  }
  ProcessResult run(std::vector<std::string> args) const {
    args.insert(args.begin(), kBinary);
    return vectimus::testing::run_process(args, {}, {env(), proj()});
  }
  ProcessResult verify_log() const { return run({"verify", "--log", receipts()}); }
};

const std::regex kReceiptCitation(R"(\(receipt (vtms-[0-9a-f-]{36})\))");

}  // namespace

TEST_CASE("a decision leaves a signed receipt in the project's log, cited by record and reason",
          "[evidence]") {
  Project p;
  p.t.write("proj/.git/HEAD", "ref: refs/heads/feature-x\n");
  const ProcessResult r = p.hook("danger now");
  REQUIRE(r.exit_code == 0);
  CHECK(has(r.out, "\"permissionDecision\":\"deny\""));
  std::smatch m;
  REQUIRE(std::regex_search(r.out, m, kReceiptCitation));
  const std::string id = m[1];
  CHECK(receipt_ids(p.receipts()) == std::set<std::string>{id});
  const auto recs = records(p.logs());
  REQUIRE(recs.size() == 1);
  CHECK(field(recs[0], "receipt_id") == id);
  CHECK(field(recs[0], "log_index") == "0");
  CHECK(field(recs[0], "branch") == "feature-x");  // the checkout the call ran in
  // The receipt verifies alone (the public key is in the project) and the log verifies.
  const std::string day = recs[0].substr(recs[0].find("\"timestamp\":\"") + 13, 10);
  const ProcessResult v = p.run({"verify", p.receipts() + "/" + day + "/" + id + ".json"});
  CHECK(v.exit_code == 0);
  CHECK(v.out.starts_with("VALID\n"));
  CHECK(has(v.out, id));
  const ProcessResult log = p.verify_log();
  CHECK(log.exit_code == 0);
  CHECK(has(log.out, "VALID"));
  CHECK(has(read_file(p.t.path("proj/.gitignore")), ".vectimus/receipts/\n"));
  CHECK(std::filesystem::status(p.t.path("home/.vectimus/keys")).permissions() ==
        std::filesystem::perms::owner_all);
  // An allowed call gets a receipt too, the next leaf; the agent's answer stays empty.
  const ProcessResult allowed = p.hook("ls");
  CHECK(allowed.out.empty());
  const auto both = records(p.logs());
  REQUIRE(both.size() == 2);
  CHECK(field(both[1], "log_index") == "1");
  CHECK(receipt_ids(p.receipts()).size() == 2);
  // `[receipts] enabled = false`: the record stays, without a receipt.
  p.t.write("proj/.vectimus/config.toml", "[receipts]\nenabled = false\n");
  REQUIRE(p.hook("danger").exit_code == 0);
  const auto three = records(p.logs());
  REQUIRE(three.size() == 3);
  CHECK(field(three[2], "receipt_id") == "null");
  CHECK(receipt_ids(p.receipts()).size() == 2);
}

TEST_CASE("8 hook processes x 500 events into one project: 4,000 records, receipts, a valid log",
          "[evidence]") {
  Project p;
  constexpr int kWorkers = 8;
  constexpr int kEach = 500;
  // One process per worker (run_process forks; forking from threads would leak pipes).
  std::vector<pid_t> workers;
  for (int w = 0; w < kWorkers; ++w) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int failures = 0;
      for (int i = 0; i < kEach; ++i) {
        const char* kind = i % 5 == 0 ? "danger " : i % 7 == 0 ? "risky " : "ls ";
        if (p.hook(kind + std::to_string(w) + "-" + std::to_string(i)).exit_code != 0) {
          ++failures;
        }
      }
      ::_exit(failures == 0 ? 0 : 1);
    }
    workers.push_back(pid);
  }
  for (pid_t pid : workers) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  const auto recs = records(p.logs());
  CHECK(recs.size() == kWorkers * kEach);
  std::set<std::string> cited;
  std::set<uint64_t> indexes;
  for (const std::string& rec : recs) {
    REQUIRE(rec.starts_with("{\"event\":{\"event_id\":\""));
    REQUIRE(rec.ends_with("}"));
    cited.insert(field(rec, "receipt_id"));
    indexes.insert(std::stoull(field(rec, "log_index")));
  }
  CHECK(cited.size() == kWorkers * kEach);
  CHECK(cited == receipt_ids(p.receipts()));
  CHECK(indexes.size() == kWorkers * kEach);
  CHECK(*indexes.rbegin() == kWorkers * kEach - 1);
  const ProcessResult v = p.verify_log();
  INFO(v.out << v.err);
  CHECK(v.exit_code == 0);
  CHECK(has(v.out, "Size:        4000\n"));
  CHECK(has(v.out, "Receipts:    4000 checked"));
  CHECK_FALSE(has(v.out, "INVALID"));
  // Every 100th checkpoint is kept.
  CHECK(std::distance(std::filesystem::directory_iterator(p.receipts() + "/log/checkpoints"),
                      std::filesystem::directory_iterator{}) == 40);
}

TEST_CASE(
    "500 hooks killed at random moments: the log verifies or names the one interrupted "
    "append, and the next hook repairs it",
    "[evidence]") {
  Project p;
  REQUIRE(p.hook("ls").exit_code == 0);  // the key and the log exist
  // How long one hook takes here and now: the kills land uniformly over 0..1.5x of it, so
  // wherever the machine's load puts the append, some kills hit it. Nothing is asserted on time.
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) REQUIRE(p.hook("ls").exit_code == 0);
  const auto one_hook = (std::chrono::steady_clock::now() - start) / 5;
  const auto window = std::chrono::duration_cast<std::chrono::microseconds>(one_hook * 3 / 2);
  std::mt19937 rng(20261205);
  std::uniform_int_distribution<long> moment(0, window.count());
  const std::string payload = p.payload("danger");
  std::vector<std::string> envp_strings = p.env();
  int interrupted = 0;
  for (int round = 0; round < 500; ++round) {
    int in[2];
    REQUIRE(::pipe(in) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::dup2(in[0], 0);
      ::close(in[0]);
      ::close(in[1]);
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 1);
      ::dup2(null, 2);
      if (::chdir(p.proj().c_str()) != 0) ::_exit(127);
      std::vector<std::string> argv = p.hook_argv();
      std::vector<char*> args, envs;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      for (auto& e : envp_strings) envs.push_back(e.data());
      envs.push_back(nullptr);
      ::execve(args[0], args.data(), envs.data());
      ::_exit(127);
    }
    ::close(in[0]);
    REQUIRE(::write(in[1], payload.data(), payload.size()) == static_cast<ssize_t>(payload.size()));
    ::close(in[1]);
    std::this_thread::sleep_for(std::chrono::microseconds(moment(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    const ProcessResult v = p.verify_log();
    INFO("round " << round << "\n" << v.out << v.err);
    REQUIRE(v.exit_code == 0);
    REQUIRE_FALSE(has(v.out, "INVALID"));
    std::size_t named = 0;  // the appends verify names as interrupted
    for (const std::string& line : lines_of(v.out)) named += line.starts_with("INTERRUPTED:");
    REQUIRE(named <= 1);
    if (named == 1) {
      ++interrupted;
      REQUIRE(p.hook("ls").exit_code == 0);  // the next hook finishes or rolls it back
      const ProcessResult after = p.verify_log();
      INFO(after.out << after.err);
      REQUIRE(after.exit_code == 0);
      REQUIRE_FALSE(has(after.out, "INTERRUPTED"));
    }
  }
  WARN(interrupted << " of 500 kills landed inside an append");
  CHECK(interrupted > 0);  // else no kill tested the repair
}

namespace {

// Runs `script` in bash as root of a new user and mount namespace (so mounts are private and a
// read-only mount holds for the "root" inside). Arguments follow as $1...
ProcessResult in_namespace(const Project& p, const std::string& script,
                           const std::vector<std::string>& args) {
  std::vector<std::string> argv = {
      "/usr/bin/unshare", "--user", "--map-root-user", "--mount", "/bin/bash", "-euc", script,
      "sandbox"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> env = p.env();
  env.push_back("PATH=/usr/sbin:/usr/bin:/sbin:/bin");
  return vectimus::testing::run_process(argv, {}, {env, p.t.root()});
}

// The hook inside the namespace: $1 binary, $2 policy dir, $3 payload file, $4 output prefix.
const std::string kRunHook =
    "run_hook() { \"$1\" hook --source claude-code --policy-dir \"$2\" <\"$3\" >\"$4.out\" "
    "2>\"$4.err\"; }\n";

}  // namespace

TEST_CASE(
    "a full disk: the decision stands and stderr says why, `required` denies, the next "
    "record notes the gap",
    "[evidence]") {
  Project p;
  p.t.write("call.json", p.payload("ls"));
  p.t.mkdir("out");
  // The project sits on a 256 KiB tmpfs; its audit log too (`log_dir` relative to it). The disk
  // is filled, the hook runs with `required` off, then on; then room is made and it runs again.
  const std::string script = kRunHook + R"(
    mount -t tmpfs -o size=256k full "$5"
    mkdir -p "$5/.git" "$5/.vectimus"
    printf '[audit]\nlog_dir = "logs"\n' >"$5/.vectimus/config.toml"
    dd if=/dev/zero of="$5/filler" bs=4k 2>/dev/null || true
    run_hook "$1" "$2" "$3" "$4/off"
    printf '[audit]\nlog_dir = "logs"\nrequired = true\n' >"$5/.vectimus/config.toml" || true
    run_hook "$1" "$2" "$3" "$4/on"
    rm "$5/filler"
    run_hook "$1" "$2" "$3" "$4/after"
    cp -r "$5/logs" "$4/logs"
    "$1" verify --log "$5/.vectimus/receipts" >"$4/verify.out" 2>&1 || true
  )";
  const ProcessResult r =
      in_namespace(p, script, {kBinary, kPacks, p.t.path("call.json"), p.t.path("out"), p.proj()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  // required off: allowed (an empty answer), and stderr names the failure.
  CHECK(read_file(p.t.path("out/off.out")).empty());
  const std::string off_err = read_file(p.t.path("out/off.err"));
  CHECK(has(off_err, "vectimus: the audit record could not be written: "));
  CHECK(has(off_err, "No space left on device"));
  // required on: denied, citing the failure.
  const std::string on_out = read_file(p.t.path("out/on.out"));
  CHECK(has(on_out, "\"permissionDecision\":\"deny\""));
  CHECK(has(on_out, "`[audit] required` is set and "));
  CHECK(has(on_out, "No space left on device"));
  // With room again: allowed, recorded, and the record says two were missed, and why.
  CHECK(read_file(p.t.path("out/after.out")).empty());
  CHECK(read_file(p.t.path("out/after.err")).empty());
  const auto recs = records(p.t.path("out/logs"));
  REQUIRE(recs.size() == 1);
  CHECK(has(recs[0], R"("gap":{"missed":2,)"));
  CHECK(has(read_file(p.t.path("out/verify.out")), "VALID"));
}

TEST_CASE("a read-only log folder: the decision stands and stderr says why, `required` denies",
          "[evidence]") {
  Project p;
  p.t.write("call.json", p.payload("ls"));
  p.t.mkdir("out");
  p.t.mkdir("logs");
  p.t.write("proj/.vectimus/config.toml", "[audit]\nlog_dir = \"" + p.t.path("logs") + "\"\n");
  p.t.write("required.toml", "[audit]\nlog_dir = \"" + p.t.path("logs") + "\"\nrequired = true\n");
  // The log folder is bind-mounted read-only: even root (inside the namespace) cannot write.
  const std::string script = kRunHook + R"(
    mount --bind "$5" "$5" && mount -o remount,bind,ro "$5"
    run_hook "$1" "$2" "$3" "$4/off"
    cp "$6" "$7/.vectimus/config.toml"
    run_hook "$1" "$2" "$3" "$4/on"
  )";
  const ProcessResult r = in_namespace(p, script,
                                       {kBinary, kPacks, p.t.path("call.json"), p.t.path("out"),
                                        p.t.path("logs"), p.t.path("required.toml"), p.proj()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(read_file(p.t.path("out/off.out")).empty());
  CHECK(has(read_file(p.t.path("out/off.err")), "Read-only file system"));
  const std::string on_out = read_file(p.t.path("out/on.out"));
  CHECK(has(on_out, "\"permissionDecision\":\"deny\""));
  CHECK(has(on_out, "`[audit] required` is set and the audit record could not be written"));
  CHECK(has(on_out, "Read-only file system"));
  CHECK(records(p.t.path("logs")).empty());
  // The receipts, in the writable project, were still issued and cited in the deny.
  CHECK(receipt_ids(p.receipts()).size() == 2);
  CHECK(std::regex_search(on_out, kReceiptCitation));
}
