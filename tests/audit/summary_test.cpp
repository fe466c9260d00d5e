// The audit log read back for `vectimus report`: the window (`--since` and the day files), the
// counts over a crafted log (a torn line, a foreign line, a record with a gap, records and files
// outside the window), the bounds on what is listed, and the three forms, HTML-escaped.
#include <catch2/catch.hpp>
#include <string>

#include "audit/json.hpp"
#include "audit/summary.hpp"
#include "audit/summary_format.hpp"
#include "tests/support/temp_tree.hpp"
#include "tests/support/test_host.hpp"

using namespace vectimus;
using vectimus::testing::TempTree;
using vectimus::testing::TestHost;

namespace {

constexpr int64_t kMinute = 60'000'000'000;
constexpr int64_t kDay = 1440 * kMinute;
constexpr int64_t kJan5 = 1'767'571'200'000'000'000;  // 2026-01-05T00:00:00Z

struct Rec {
  std::string at = "2026-01-05T10:00:00.000000+00:00";
  std::string decision = "allow";
  std::string agent = "claude-code";
  std::string project = "\"/p/shop\"";  // JSON: a string or null
  std::string command = "ls";
  std::string matched;  // the `matched` array's items
  std::string extra;    // more members at the end (a gap)
};

std::string line(const Rec& r) {
  return R"({"event":{"event_id":"e","timestamp":")" + r.at + R"(","source":{"tool":")" + r.agent +
         R"(","version":null},"action":{"command":")" + r.command +
         R"(","file_path":null},"context":{"repository":)" + r.project +
         R"(}},"decision":{"decision":")" + r.decision + R"(","reason":"because )" + r.decision +
         R"(","matched":[)" + r.matched + R"(]},"recorded_at":")" + r.at + "\"" + r.extra + "}";
}

constexpr const char* kDenyRule =
    R"({"id":"levels-deny","pack":"levels","enforcement":"deny","controls":["SOC2-CC6.1","NIST-1"]})";
constexpr const char* kEscalateRule =
    R"({"id":"levels-escalate","pack":"levels","enforcement":"escalate","controls":["SOC2-CC6.1"]})";

audit::Summary summarise(const TestHost& h, const std::string& dir, int64_t since, int64_t until) {
  Result<audit::Summary> s = audit::summarise_log(h.host, dir, since, until);
  REQUIRE(s.ok());
  return std::move(s).value();
}

uint64_t outcome(const audit::Summary& s, audit::Outcome o) {
  return s.outcomes[static_cast<std::size_t>(o)];
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the window's start (since): spans back from now, dates and times, a clear error",
          "[summary]") {
  const int64_t now = kJan5 + 12 * 60 * kMinute;
  CHECK(*audit::parse_since("7d", now) == now - 7 * kDay);
  CHECK(*audit::parse_since("12h", now) == now - 12 * 60 * kMinute);
  CHECK(*audit::parse_since("30m", now) == now - 30 * kMinute);
  CHECK(*audit::parse_since("0d", now) == now);
  CHECK(*audit::parse_since("99999d", now) == 0);  // never before 1970
  CHECK(*audit::parse_since("2026-01-05", now) == kJan5);
  CHECK(*audit::parse_since("2026-01-05T01:30:00Z", now) == kJan5 + 90 * kMinute);
  CHECK(*audit::parse_since("2026-01-05T01:30:00", now) == kJan5 + 90 * kMinute);
  CHECK(*audit::parse_since("2026-01-05T03:30:00+02:00", now) == kJan5 + 90 * kMinute);
  CHECK(*audit::parse_since("2026-01-04T23:00:00.5-02:30", now) ==
        kJan5 + 90 * kMinute + 500'000'000);  // 23:00 at -02:30 is 01:30Z
  for (const char* bad : {"", "7", "d", "7w", "-7d", "1000000d", "yesterday", "2026-13-01",
                          "2026-01-05T25:00:00Z", "2026-01-05 10:00", "2026-01-05T10:00:00+2"}) {
    INFO(bad);
    const Result<int64_t> r = audit::parse_since(bad, now);
    REQUIRE_FALSE(r.ok());
    CHECK(render(r.errors()) == "error: `--since " + std::string(bad) +
                                    "` is not a time I can read\n"
                                    "help: give a span back from now (`7d`, `12h`, `30m`) or "
                                    "a UTC date or time (`2026-01-31`, `2026-01-31T09:30:00Z`)\n");
  }
  int64_t ns = 0;
  REQUIRE(audit::parse_iso_time("2026-01-05T10:00:00.123456+00:00", ns));
  CHECK(ns == kJan5 + 600 * kMinute + 123'456'000);
}

TEST_CASE("a crafted log: every record counted once, nothing dropped silently", "[summary]") {
  TempTree t;
  TestHost h(t.mkdir("work"), t.mkdir("home"));
  Rec allow;
  Rec deny{.decision = "deny", .command = "rm -rf /", .matched = kDenyRule};
  Rec deny_again = deny;
  deny_again.at = "2026-01-05T11:00:00.000000+00:00";
  deny_again.agent = "cursor";
  Rec escalate{.at = "2026-01-06T09:00:00.000000+00:00",
               .decision = "escalate",
               .project = "null",
               .command = "risky <script>alert(1)</script>",
               .matched = kEscalateRule};
  Rec observe{.at = "2026-01-06T09:30:00.000000+00:00", .decision = "observe"};
  Rec gap{.at = "2026-01-06T10:00:00.000000+00:00",
          .extra = R"(,"gap":{"missed":3,"first_at":"2026-01-06T08:00:00.000000+00:00",)"
                   R"("last_at":"2026-01-06T08:10:00.000000+00:00","why":"disk full"})"};
  Rec too_early{.at = "2026-01-04T23:59:59.000000+00:00", .decision = "deny"};
  Rec in_file_outside{.at = "2026-01-03T10:00:00.000000+00:00", .decision = "deny"};
  const std::string dir = t.mkdir("logs");
  t.write("logs/audit-2026-01-05.jsonl", line(too_early) + "\n" + line(allow) + "\n" + line(deny) +
                                             "\n\n" + line(deny_again) + "\n");
  // A continuation file, a torn last line, a foreign line, an unknown decision.
  t.write("logs/audit-2026-01-06-1.jsonl",
          line(escalate) + "\n" + line(observe) + "\n{\"hello\":1}\n" +
              line(Rec{.decision = "maybe"}) + "\n" + line(gap) + "\n{\"event\":{\"timest");
  t.write("logs/audit-2026-01-01.jsonl", line(in_file_outside) + "\n");  // a day before
  t.write("logs/audit-2026-01-07.jsonl", line(in_file_outside) + "\n");  // a day after
  t.write("logs/notes.txt", "not a log file\n");
  t.write("logs/audit-2026-01-05.jsonl.bak", line(allow) + "\n");

  const audit::Summary s = summarise(h, dir, kJan5, kJan5 + 2 * kDay - 1);
  CHECK(s.files == std::vector<std::string>{"audit-2026-01-05.jsonl", "audit-2026-01-06-1.jsonl"});
  CHECK(s.decisions == 6);
  CHECK(outcome(s, audit::Outcome::allow) == 2);
  CHECK(outcome(s, audit::Outcome::deny) == 2);
  CHECK(outcome(s, audit::Outcome::escalate) == 1);
  CHECK(outcome(s, audit::Outcome::observe) == 1);
  CHECK(s.outside_window == 1);
  REQUIRE(s.by_day.size() == 2);
  CHECK(s.by_day[0].day == "2026-01-05");
  CHECK(s.by_day[0].outcomes == audit::OutcomeCounts{1, 2, 0, 0});
  CHECK(s.by_day[1].outcomes == audit::OutcomeCounts{1, 0, 1, 1});

  REQUIRE(s.rules.size() == 2);
  CHECK(s.rules[0].id == "levels-deny");
  CHECK(s.rules[0].pack == "levels");
  CHECK(s.rules[0].enforcement == "deny");
  CHECK(s.rules[0].count == 2);
  CHECK(s.rules[1].id == "levels-escalate");
  CHECK(s.rules[1].count == 1);
  REQUIRE(s.controls.size() == 2);
  CHECK(s.controls[0].key == "SOC2-CC6.1");
  CHECK(s.controls[0].count == 3);
  CHECK(s.controls[1].key == "NIST-1");
  CHECK(s.controls[1].count == 2);
  REQUIRE(s.agents.size() == 2);
  CHECK(s.agents[0].key == "claude-code");
  CHECK(s.agents[0].count == 5);
  CHECK(s.agents[1].key == "cursor");
  REQUIRE(s.projects.size() == 2);
  CHECK(s.projects[0].key == "/p/shop");
  CHECK(s.projects[0].count == 5);
  CHECK(s.projects[1].key.empty());
  REQUIRE(s.most_blocked.size() == 2);
  CHECK(s.most_blocked[0].key == "rm -rf /");
  CHECK(s.most_blocked[0].count == 2);
  CHECK(s.most_blocked[1].key == "risky <script>alert(1)</script>");

  REQUIRE(s.escalations.size() == 1);
  const audit::Escalation& e = s.escalations[0];
  CHECK(e.at == escalate.at);
  CHECK(e.agent == "claude-code");
  CHECK(e.project.empty());
  CHECK(e.command == "risky <script>alert(1)</script>");
  CHECK(e.rules == std::vector<std::string>{"levels-escalate"});
  CHECK(e.reason == "because escalate");

  REQUIRE(s.gaps.size() == 1);
  CHECK(s.gaps[0].missed == 3);
  CHECK(s.gaps[0].recorded_at == gap.at);
  CHECK(s.gaps[0].why == "disk full");
  CHECK(s.missed == 3);

  REQUIRE(s.unread_count == 3);
  REQUIRE(s.unread.size() == 3);
  CHECK(s.unread[0].file == "audit-2026-01-06-1.jsonl");
  CHECK(s.unread[0].line == 3);
  CHECK(s.unread[0].why == "not an audit record: no `decision.decision`");
  CHECK(s.unread[1].line == 4);
  CHECK(s.unread[1].why == "unknown decision `maybe`");
  CHECK(s.unread[2].line == 6);
  CHECK(s.unread[2].why.starts_with("not JSON: "));
}

TEST_CASE("records of the tool we rebuild: rules from matched_policy_ids", "[summary]") {
  TempTree t;
  TestHost h(t.mkdir("work"), t.mkdir("home"));
  t.write("logs/audit-2026-01-05.jsonl",
          R"({"event":{"timestamp":"2026-01-05T10:00:00.000000+00:00","source":{"tool":"codex"},)"
          R"("action":{"command":null,"file_path":"/p/.env"},"context":{"repository":null}},)"
          R"("decision":{"decision":"deny","reason":"r","matched_policy_ids":["secrets-001"]}})"
          "\n");
  const audit::Summary s = summarise(h, t.path("logs"), kJan5, kJan5 + kDay);
  CHECK(s.decisions == 1);
  REQUIRE(s.rules.size() == 1);
  CHECK(s.rules[0].id == "secrets-001");
  CHECK(s.rules[0].pack.empty());
  CHECK(s.controls.empty());
  REQUIRE(s.most_blocked.size() == 1);
  CHECK(s.most_blocked[0].key == "/p/.env");  // no command: the file path
}

TEST_CASE("what a summary lists is bounded; its counts are not", "[summary]") {
  TempTree t;
  TestHost h(t.mkdir("work"), t.mkdir("home"));
  std::string text;
  const std::size_t escalations = 2 * audit::kEscalationsListed + 7;
  for (std::size_t i = 0; i < escalations; ++i) {
    char at[40];
    std::snprintf(at, sizeof at, "2026-01-05T%02zu:%02zu:%02zu.000000+00:00", i / 3600, i / 60 % 60,
                  i % 60);
    text += line(Rec{.at = at,
                     .decision = "escalate",
                     .command = "c" + std::to_string(i % 20),
                     .matched = kEscalateRule}) +
            "\n";
  }
  for (std::size_t i = 0; i < audit::kUnreadListed + 5; ++i) text += "torn\n";
  t.write("logs/audit-2026-01-05.jsonl", text);
  const audit::Summary s = summarise(h, t.path("logs"), kJan5, kJan5 + kDay);
  CHECK(outcome(s, audit::Outcome::escalate) == escalations);
  REQUIRE(s.escalations.size() == audit::kEscalationsListed);
  CHECK(s.escalations.front().command == "c" + std::to_string((escalations - 500) % 20));
  CHECK(s.escalations.back().at == "2026-01-05T00:16:46.000000+00:00");  // the last, 1006 s
  CHECK(s.most_blocked.size() == audit::kMostBlockedListed);
  CHECK(s.unread_count == audit::kUnreadListed + 5);
  CHECK(s.unread.size() == audit::kUnreadListed);
}

TEST_CASE("an empty or missing log is a report saying so; a file in its place is an error",
          "[summary]") {
  TempTree t;
  TestHost h(t.mkdir("work"), t.mkdir("home"));
  const audit::Summary s = summarise(h, t.path("nothing-here"), kJan5, kJan5 + kDay);
  CHECK(s.decisions == 0);
  CHECK(s.files.empty());
  const std::string text = audit::report_text(s);
  CHECK(has(text, "no decisions recorded since 2026-01-05T00:00:00.000000+00:00\n"));
  CHECK(has(audit::report_html(s), "no decisions recorded since 2026-01-05T00:00:00.000000+00:00"));
  const Result<audit::JsonValue> json = audit::parse_json(audit::report_json(s));
  REQUIRE(json.ok());
  CHECK(json->find("decisions")->text == "0");
  t.write("logs-file", "x");
  const Result<audit::Summary> r =
      audit::summarise_log(h.host, t.path("logs-file"), kJan5, kJan5 + kDay);
  REQUIRE_FALSE(r.ok());
  CHECK(render(r.errors()) ==
        "error: the audit log folder `" + t.path("logs-file") + "` is not a folder\n");
}

TEST_CASE("the three forms: tables, a documented JSON shape, escaped HTML with charts",
          "[summary]") {
  TempTree t;
  TestHost h(t.mkdir("work"), t.mkdir("home"));
  Rec escalate{.decision = "escalate",
               .command = R"(risky <script>alert(\"x\")</script> & 'more')",
               .matched = kEscalateRule};
  Rec deny{.decision = "deny", .command = "rm -rf /\\nsecond line", .matched = kDenyRule};
  t.write("logs/audit-2026-01-05.jsonl",
          line(escalate) + "\n" + line(deny) + "\n" + line(Rec{}) + "\n{torn\n");
  const audit::Summary s = summarise(h, t.path("logs"), kJan5, kJan5 + kDay);

  const std::string text = audit::report_text(s);
  CHECK(has(text, "\n3 decisions\n  count  outcome\n      1  allow\n      1  deny\n"));
  CHECK(has(text,
            "\nby rule\n  count  rule             pack    enforcement\n"
            "      1  levels-deny      levels  deny\n"));
  CHECK(has(text, "      1  rm -rf /\\nsecond line\n"));  // the newline shown, not obeyed
  CHECK(has(text, "\nescalations, apart from denies (1)\n"));
  CHECK(has(text, "\nnot read: 1 lines or files that are not records\n"));

  const Result<audit::JsonValue> json = audit::parse_json(audit::report_json(s));
  REQUIRE(json.ok());
  std::vector<std::string> keys;
  for (const auto& [key, value] : json->members) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{
                    "version", "log_dir", "since", "until", "files", "decisions", "outcomes",
                    "by_day", "rules", "controls", "agents", "projects", "most_blocked",
                    "escalations", "missed", "gaps", "unread_count", "unread", "outside_window"});
  CHECK(json->find("outcomes")->find("escalate")->text == "1");
  const audit::JsonValue& esc = json->find("escalations")->items.at(0);
  CHECK(esc.string_at("command") == R"(risky <script>alert("x")</script> & 'more')");
  CHECK(esc.find("rules")->items.at(0).text == "levels-escalate");
  CHECK(json->find("controls")->items.at(0).string_at("control") == "SOC2-CC6.1");

  const std::string html = audit::report_html(s);
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK_FALSE(has(html, "<script"));
  CHECK(has(html, "risky &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;"));
  CHECK(has(html, "<svg class=\"chart\" role=\"img\" aria-label=\"decisions by outcome\""));
  CHECK(has(html, "<svg class=\"chart\" role=\"img\" aria-label=\"decisions by day\""));
  CHECK(has(html, "<rect class=\"bar escalate\""));
  CHECK_FALSE(has(html, "http://"));
  CHECK_FALSE(has(html, "https://"));
}
