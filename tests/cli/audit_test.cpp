// End-to-end tests of the audit log the hook leaves: the real binary, HOME in a temp dir. One
// record per decision, secrets redacted, written content kept as a hash; concurrent hooks never
// interleave (evidence_test.cpp, 8 hooks x 500 events); a record that cannot be written leaves the
// decision as it was, says why on stderr, and the next record notes the gap.
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "tests/cli/process.hpp"
#include "tests/support/temp_tree.hpp"

using vectimus::testing::ProcessResult;
using vectimus::testing::TempTree;

namespace {

const std::string kBinary = VECTIMUS_BINARY;
const std::string kPacks = std::string(VECTIMUS_SOURCE_DIR) + "/tests/packs/levels";

std::string bash_payload(const std::string& command) {
  return R"({"session_id":"s1","cwd":"/nonexistent/shop","permission_mode":"default",)"
         R"("hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":")" +
         command + R"("},"tool_use_id":"t1"})";
}

ProcessResult hook(const TempTree& t, const std::string& payload,
                   std::vector<std::string> env = {}) {
  env.push_back("HOME=" + t.path("home"));
  return vectimus::testing::run_process(
      {kBinary, "hook", "--source", "claude-code", "--policy-dir", kPacks}, payload,
      {env, t.path("work")});
}

// Every line of every audit file in `dir`.
std::vector<std::string> records(const std::string& dir) {
  std::vector<std::string> lines;
  if (!std::filesystem::exists(dir)) return lines;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("audit-") || !name.ends_with(".jsonl")) continue;
    FILE* f = std::fopen(entry.path().c_str(), "rb");
    REQUIRE(f != nullptr);
    std::string text;
    char buf[65536];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
    std::fclose(f);
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      REQUIRE(end != std::string::npos);  // every record ends its line
      lines.push_back(text.substr(start, end - start));
      start = end + 1;
    }
  }
  return lines;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("each hook decision leaves one record, with secrets redacted") {
  TempTree t;
  t.mkdir("home");
  t.mkdir("work");
  const ProcessResult r =
      hook(t, bash_payload("GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345 "
                           "danger"));
  REQUIRE(r.exit_code == 0);
  CHECK(has(r.out, "\"permissionDecision\":\"deny\""));
  const auto lines = records(t.path("home/.vectimus/logs"));
  REQUIRE(lines.size() == 1);
  const std::string& rec = lines[0];
  CHECK(rec.starts_with("{\"event\":{\"event_id\":\""));
  CHECK(has(rec, R"("decision":{"decision":"deny")"));
  // `@controls("SOC2-CC6.1,  NIST-CSF-PR.AC-4,")`: a list, trimmed, the empty tail dropped.
  CHECK(has(rec, R"("matched":[{"id":"levels-deny","pack":"levels","enforcement":"deny",)"
                 R"("controls":["SOC2-CC6.1","NIST-CSF-PR.AC-4"]}])"));
  CHECK(has(rec, R"("command":"GITHUB_TOKEN=[REDACTED] danger")"));
  CHECK_FALSE(has(rec, "ghp_0123456789"));
  CHECK(has(rec, R"("redactions":)"));
  CHECK_FALSE(has(rec, R"("redactions":0)"));
  // An allowed call is recorded too.
  REQUIRE(hook(t, bash_payload("ls")).exit_code == 0);
  const auto both = records(t.path("home/.vectimus/logs"));
  REQUIRE(both.size() == 2);
  CHECK(has(both[1], R"("decision":{"decision":"allow")"));
  // A rule without `@controls` records an empty list.
  REQUIRE(hook(t, bash_payload("watch")).exit_code == 0);
  const auto three = records(t.path("home/.vectimus/logs"));
  REQUIRE(three.size() == 3);
  CHECK(has(three[2], R"("matched":[{"id":"levels-observe","pack":"levels",)"
                      R"("enforcement":"observe","controls":[]}])"));
}

TEST_CASE("written content is recorded as its hash, length and matched lines") {
  TempTree t;
  t.mkdir("home");
  t.mkdir("work");
  const std::string payload =
      R"({"session_id":"s1","cwd":"/nonexistent/shop","hook_event_name":"PreToolUse",)"
      R"("tool_name":"Write","tool_input":{"file_path":"/nonexistent/shop/x.sh",)"
      R"("content":"echo hello\ndanger now\n"},"tool_use_id":"t1"})";
  REQUIRE(hook(t, payload).exit_code == 0);
  const auto lines = records(t.path("home/.vectimus/logs"));
  REQUIRE(lines.size() == 1);
  // sha256 of "echo hello\ndanger now\n"
  CHECK(has(lines[0], R"("file_content":{"sha256":")"));
  CHECK(has(lines[0], R"("length":22,"matched_lines":[{"line":2,"text":"danger now"}]})"));
  CHECK_FALSE(has(lines[0], "echo hello"));
}

TEST_CASE(
    "a log folder that cannot be written: the decision stands, stderr says why, the next "
    "record notes the gap") {
  TempTree t;
  t.mkdir("home");
  t.mkdir("work");
  t.write("blocked", "a file where the log folder should be");
  const std::vector<std::string> broken = {"VECTIMUS_LOG_DIR=" + t.path("blocked/logs")};
  const ProcessResult denied = hook(t, bash_payload("danger"), broken);
  CHECK(denied.exit_code == 0);
  CHECK(has(denied.out, "\"permissionDecision\":\"deny\""));
  CHECK(has(denied.err, "vectimus: the audit record could not be written: "));
  CHECK(has(denied.err, t.path("blocked/logs")));
  const ProcessResult allowed = hook(t, bash_payload("ls"), broken);
  CHECK(allowed.exit_code == 0);
  CHECK(allowed.out.empty());
  CHECK(has(allowed.err, "vectimus: the audit record could not be written: "));
  // The log folder works again: the next record says that two were missed, and why.
  REQUIRE(hook(t, bash_payload("ls")).exit_code == 0);
  const auto lines = records(t.path("home/.vectimus/logs"));
  REQUIRE(lines.size() == 1);
  CHECK(has(lines[0], R"("gap":{"missed":2,)"));
  CHECK(has(lines[0], t.path("blocked/logs")));
  REQUIRE(hook(t, bash_payload("ls")).exit_code == 0);
  const auto after = records(t.path("home/.vectimus/logs"));
  REQUIRE(after.size() == 2);
  CHECK_FALSE(has(after[1], "\"gap\""));
}

TEST_CASE("[audit] required: a call whose record cannot be written is denied") {
  TempTree t;
  t.mkdir("home");
  t.mkdir("work");
  t.write("blocked", "a file where the log folder should be");
  t.write("work/vectimus.toml",
          "[audit]\nrequired = true\nlog_dir = \"" + t.path("blocked/logs") + "\"\n");
  const ProcessResult r = hook(t, bash_payload("ls"));
  CHECK(r.exit_code == 0);
  CHECK(has(r.out, "\"permissionDecision\":\"deny\""));
  CHECK(has(r.out, "`[audit] required` is set and the audit record could not be written: "));
  CHECK(has(r.err, "vectimus: the audit record could not be written: "));
  // Without `required` the same call is allowed.
  t.write("work/vectimus.toml", "[audit]\nlog_dir = \"" + t.path("blocked/logs") + "\"\n");
  const ProcessResult allowed = hook(t, bash_payload("ls"));
  CHECK(allowed.out.empty());
  CHECK(has(allowed.err, "vectimus: the audit record could not be written: "));
}
