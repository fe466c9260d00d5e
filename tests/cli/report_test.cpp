// End-to-end tests of `vectimus report`: the real `vectimus hook` decides a handful of calls
// (allow, deny, escalate, an observe-level match, two agents) with the levels test pack and HOME
// in a temp tree, then the real `vectimus report` finds the log where the hook wrote it and
// counts it. The HTML is rendered by headless Chromium (Debian's `chromium`) and the DOM it
// builds is checked: the totals, a rule, a control, an escalation, the charts' bars, and a
// recorded `<script>` shown as text, never run as an element.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "audit/json.hpp"
#include "tests/cli/process.hpp"
#include "tests/support/temp_tree.hpp"

using vectimus::audit::JsonValue;
using vectimus::testing::ProcessResult;
using vectimus::testing::TempTree;

namespace {

const std::string kBinary = VECTIMUS_BINARY;
const std::string kPacks = std::string(VECTIMUS_SOURCE_DIR) + "/tests/packs/levels";
constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kScript = "echo '<script>alert(1)</script>' risky";

std::string bash_payload(const std::string& command, const std::string& cwd) {
  return R"({"session_id":"s1","cwd":")" + cwd +
         R"(","permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Bash",)"
         R"("tool_input":{"command":")" +
         command + R"("},"tool_use_id":"t1"})";
}

// A temp HOME and a project (a folder with .git), with `extra` variables for every process.
struct Sandbox {
  TempTree t;
  std::vector<std::string> env;

  explicit Sandbox(std::vector<std::string> extra = {}) : env(std::move(extra)) {
    t.mkdir("home");
    t.mkdir("project/.git");
    env.push_back("HOME=" + t.path("home"));
    env.push_back("PATH=/usr/bin:/bin");
  }
  ProcessResult hook(const std::string& source, const std::string& command) const {
    return vectimus::testing::run_process(
        {kBinary, "hook", "--source", source, "--policy-dir", kPacks},
        bash_payload(command, t.path("project")), {env, t.path("project")});
  }
  ProcessResult report(std::vector<std::string> args) const {
    args.insert(args.begin(), {kBinary, "report"});
    return vectimus::testing::run_process(args, "", {env, t.path("project")});
  }
  // allow, deny, escalate twice (one of them a command holding `<script>`), an observe-level
  // match (allowed): five decisions from two agents.
  void decide_calls() const {
    for (const auto& [source, command] :
         std::vector<std::pair<std::string, std::string>>{{"claude-code", "ls"},
                                                          {"claude-code", "danger now"},
                                                          {"claude-code", "risky move"},
                                                          {"claude-agent-sdk", kScript},
                                                          {"claude-code", "watch this"}}) {
      const ProcessResult r = hook(source, command);
      INFO(command << ": " << r.err);
      REQUIRE(r.exit_code == 0);
    }
  }
};

JsonValue parse(const std::string& text) {
  auto json = vectimus::audit::parse_json(text);
  INFO(text);
  REQUIRE(json.ok());
  return std::move(json).value();
}

// The `count` of the item of `list` whose `key` is `value`; -1 when there is none.
long count_of(const JsonValue& report, std::string_view list, std::string_view key,
              std::string_view value) {
  for (const JsonValue& item : report.find(list)->items) {
    if (item.string_at(key) == value) return std::stol(item.find("count")->text);
  }
  return -1;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("report --format json counts what the hook recorded, escalations apart") {
  Sandbox s;
  s.decide_calls();
  const ProcessResult r = s.report({"--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const JsonValue report = parse(r.out);
  CHECK(report.string_at("log_dir") == s.t.path("home/.vectimus/logs"));
  CHECK(report.find("decisions")->text == "5");
  const JsonValue& outcomes = *report.find("outcomes");
  CHECK(outcomes.find("allow")->text == "2");
  CHECK(outcomes.find("deny")->text == "1");
  CHECK(outcomes.find("escalate")->text == "2");
  CHECK(outcomes.find("observe")->text == "0");
  CHECK(count_of(report, "rules", "id", "levels-deny") == 1);
  CHECK(count_of(report, "rules", "id", "levels-escalate") == 2);
  CHECK(count_of(report, "rules", "id", "levels-observe") == 1);
  CHECK(report.find("rules")->items.at(0).string_at("pack") == "levels");
  CHECK(report.find("rules")->items.at(0).string_at("enforcement") == "escalate");
  CHECK(count_of(report, "controls", "control", "OWASP-Agentic-T3") == 2);
  CHECK(count_of(report, "controls", "control", "SOC2-CC6.1") == 1);
  CHECK(count_of(report, "controls", "control", "NIST-CSF-PR.AC-4") == 1);
  CHECK(count_of(report, "agents", "agent", "claude-code") == 4);
  CHECK(count_of(report, "agents", "agent", "claude-agent-sdk") == 1);
  CHECK(count_of(report, "projects", "project", s.t.path("project")) == 5);
  CHECK(count_of(report, "most_blocked", "command", "danger now") == 1);
  CHECK(count_of(report, "most_blocked", "command", kScript) == 1);
  CHECK(count_of(report, "most_blocked", "command", "ls") == -1);
  // Escalations are listed apart; the deny is not among them.
  const auto& escalations = report.find("escalations")->items;
  REQUIRE(escalations.size() == 2);
  CHECK(escalations[0].string_at("command") == "risky move");
  CHECK(escalations[0].string_at("agent") == "claude-code");
  CHECK(escalations[0].string_at("project") == s.t.path("project"));
  CHECK(escalations[0].find("rules")->items.at(0).text == "levels-escalate");
  CHECK(has(std::string(escalations[0].string_at("reason")), "Risky command"));
  CHECK(escalations[1].string_at("agent") == "claude-agent-sdk");
  CHECK(report.find("unread_count")->text == "0");
  CHECK(report.find("missed")->text == "0");

  // A line that is not a record is counted, never dropped silently.
  const std::string day_file =
      s.t.path("home/.vectimus/logs/") + report.find("files")->items.at(0).text;
  std::FILE* f = std::fopen(day_file.c_str(), "ab");
  REQUIRE(f != nullptr);
  std::fputs("{\"torn\":", f);
  std::fclose(f);
  const JsonValue again = parse(s.report({"--format", "json"}).out);
  CHECK(again.find("decisions")->text == "5");
  CHECK(again.find("unread_count")->text == "1");
}

TEST_CASE("report finds the log the project's config points the hook to") {
  Sandbox s;
  s.t.write("project/.vectimus/config.toml", "[audit]\nlog_dir = \"audit-logs\"\n");
  REQUIRE(s.hook("claude-code", "danger").exit_code == 0);
  REQUIRE(std::filesystem::exists(s.t.path("project/audit-logs")));
  const ProcessResult text = s.report({});
  INFO(text.err);
  REQUIRE(text.exit_code == 0);
  CHECK(has(text.out, "log folder " + s.t.path("project/audit-logs") + " (1 files read)\n"));
  CHECK(has(text.out, "\n1 decisions\n"));
  CHECK(has(text.out, "      1  levels-deny  levels  deny\n"));
  // --log-dir reads another folder: here an empty one.
  s.t.mkdir("project/empty");
  const ProcessResult empty = s.report({"--log-dir", "empty", "--since", "2026-01-01"});
  CHECK(empty.exit_code == 0);
  CHECK(has(empty.out, "no decisions recorded since 2026-01-01T00:00:00.000000+00:00\n"));
}

TEST_CASE("report: a bad --since or --format is a clear error") {
  Sandbox s;
  const ProcessResult since = s.report({"--since", "last week"});
  CHECK(since.exit_code == 1);
  CHECK(since.out.empty());
  CHECK(has(since.err, "error: `--since last week` is not a time I can read\n"));
  CHECK(has(since.err, "help: give a span back from now (`7d`, `12h`, `30m`)"));
  const ProcessResult format = s.report({"--format", "pdf"});
  CHECK(format.exit_code == 1);
  CHECK(has(format.err, "pdf"));
}

TEST_CASE("report --format html renders in headless Chromium: totals, rules, charts, escapes") {
  if (!std::filesystem::exists(kChromium)) {
    WARN("SKIPPED: no " << kChromium << " (Debian package `chromium`, in .ci/deps)");
    return;
  }
  Sandbox s;
  s.decide_calls();
  const std::string page = s.t.path("report.html");
  const ProcessResult r = s.report({"--format", "html", "--output", page});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // Root needs --no-sandbox; a profile of its own keeps the user's away. Start-up on a busy
  // machine takes seconds: the bound is generous and nothing is timed.
  const ProcessResult dom = vectimus::testing::run_process(
      {"/usr/bin/timeout", "-k", "5", "60", kChromium, "--headless", "--no-sandbox",
       "--disable-gpu", "--user-data-dir=" + s.t.path("chromium-profile"), "--dump-dom",
       "file://" + page},
      "", {s.env, s.t.root()});
  INFO(dom.err);
  REQUIRE(dom.exit_code == 0);
  const std::string& html = dom.out;
  CHECK(has(html, "<h2>5 decisions</h2>"));
  CHECK(has(html, "<td>levels-escalate</td>"));
  CHECK(has(html, "<td>OWASP-Agentic-T3</td>"));
  CHECK(has(html, "<section id=\"escalations\"><h2>Escalations, apart from denies (2)</h2>"));
  CHECK(has(html, "<td class=\"cmd\">risky move</td>"));
  // The charts: inline SVG with a bar per outcome and per day.
  CHECK(has(html, "<svg class=\"chart\" role=\"img\" aria-label=\"decisions by outcome\""));
  CHECK(has(html, "<rect class=\"bar deny\""));
  CHECK(has(html, "<rect class=\"bar escalate\""));
  CHECK(has(html, "aria-label=\"decisions by day\""));
  // The recorded <script> is text in a cell: no script element was built from it.
  CHECK(has(html, "echo '&lt;script&gt;alert(1)&lt;/script&gt;' risky"));
  CHECK_FALSE(has(html, "<script"));
}
