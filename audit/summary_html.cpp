// The HTML form: one page that opens anywhere offline. The charts are inline SVG drawn here
// (bar lengths computed from the counts), the style is inline CSS, and there is no script at all:
// every string that came from the log goes through html_escape(), so a recorded command holding
// `<script>` is shown as text.
#include <algorithm>

#include "audit/summary_format.hpp"

namespace vectimus::audit {
namespace {

constexpr const char* kStyle = R"(
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.8em}
table{border-collapse:collapse;margin:.4em 0}th,td{padding:.25em .8em;text-align:left;
vertical-align:top;border-bottom:1px solid #ddd}th{background:#f4f4f4}td.n{text-align:right}
td.cmd{font-family:ui-monospace,monospace;white-space:pre-wrap;word-break:break-all;max-width:40em}
.window,.note{color:#555}.empty{font-size:1.2em;padding:1em;background:#f4f4f4}
.warn{background:#fff4e5;border-left:4px solid #e65100;padding:.5em 1em}
.chart{display:block;overflow:visible;margin:.5em 0}.chart text{font-size:12px;fill:#333}
.days{overflow-x:auto}
.allow{fill:#2e7d32;background:#2e7d32}.deny{fill:#c62828;background:#c62828}
.escalate{fill:#ef6c00;background:#ef6c00}.observe{fill:#1565c0;background:#1565c0}
.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.4em}
)";

constexpr int kBarHeight = 22;      // outcome chart: one horizontal bar per outcome
constexpr int kBarMaxLength = 420;  // the largest count's bar
constexpr int kLabelWidth = 80;     // outcome names left of the bars
constexpr int kDayStep = 28;        // day chart: one stacked column per day
constexpr int kDayColumn = 18;
constexpr int kDayChartHeight = 160;  // the busiest day's column

std::string num(uint64_t n) {
  return std::to_string(n);
}

// The length of a bar for `count` out of `max`, at least 1 px for a non-zero count.
int scaled(uint64_t count, uint64_t max, int length) {
  if (count == 0 || max == 0) return 0;
  return std::max(1,
                  static_cast<int>(static_cast<double>(count) / static_cast<double>(max) * length));
}

std::string outcome_chart(const Summary& s) {
  const uint64_t max = *std::max_element(s.outcomes.begin(), s.outcomes.end());
  const int height = kBarHeight * static_cast<int>(kOutcomeCount) + 4;
  std::string svg =
      "<svg class=\"chart\" role=\"img\" aria-label=\"decisions by outcome\" "
      "width=\"" +
      num(kLabelWidth + kBarMaxLength + 60) + "\" height=\"" + num(height) + "\">";
  for (std::size_t i = 0; i < kOutcomeCount; ++i) {
    const std::string name(outcome_name(static_cast<Outcome>(i)));
    const int y = static_cast<int>(i) * kBarHeight;
    const int length = scaled(s.outcomes[i], max, kBarMaxLength);
    svg += "<text x=\"0\" y=\"" + num(y + 15) + "\">" + name + "</text>";
    svg += "<rect class=\"bar " + name + "\" x=\"" + num(kLabelWidth) + "\" y=\"" + num(y + 2) +
           "\" width=\"" + num(length) + "\" height=\"" + num(kBarHeight - 6) + "\"><title>" +
           name + ": " + num(s.outcomes[i]) + "</title></rect>";
    svg += "<text x=\"" + num(kLabelWidth + length + 6) + "\" y=\"" + num(y + 15) + "\">" +
           num(s.outcomes[i]) + "</text>";
  }
  return svg + "</svg>";
}

// One column per day with records, its outcomes stacked (allow at the bottom).
std::string day_chart(const Summary& s) {
  uint64_t max = 0;
  for (const DayCounts& d : s.by_day) {
    uint64_t total = 0;
    for (uint64_t n : d.outcomes) total += n;
    max = std::max(max, total);
  }
  const int width = kDayStep * static_cast<int>(s.by_day.size()) + 10;
  std::string svg = "<svg class=\"chart\" role=\"img\" aria-label=\"decisions by day\" width=\"" +
                    num(width) + "\" height=\"" + num(kDayChartHeight + 50) + "\">";
  for (std::size_t col = 0; col < s.by_day.size(); ++col) {
    const DayCounts& d = s.by_day[col];
    const int x = static_cast<int>(col) * kDayStep + 4;
    int top = kDayChartHeight;
    for (std::size_t i = 0; i < kOutcomeCount; ++i) {
      const int h = scaled(d.outcomes[i], max, kDayChartHeight);
      if (h == 0) continue;
      top -= h;
      const std::string name(outcome_name(static_cast<Outcome>(i)));
      svg += "<rect class=\"bar " + name + "\" x=\"" + num(x) + "\" y=\"" + num(top) +
             "\" width=\"" + num(kDayColumn) + "\" height=\"" + num(h) + "\"><title>" + d.day +
             " " + name + ": " + num(d.outcomes[i]) + "</title></rect>";
    }
    svg += "<text transform=\"translate(" + num(x + 4) + " " + num(kDayChartHeight + 8) +
           ") rotate(60)\">" + d.day.substr(5) + "</text>";
  }
  return svg + "</svg>";
}

std::string td(std::string_view text) {
  return "<td>" + (text.empty() ? std::string("(none)") : html_escape(text)) + "</td>";
}
std::string td_number(uint64_t n) {
  return "<td class=\"n\">" + num(n) + "</td>";
}
std::string td_command(std::string_view text) {
  return "<td class=\"cmd\">" + (text.empty() ? std::string("(none)") : html_escape(text)) +
         "</td>";
}

// A section with a heading and a table; nothing when there are no rows.
std::string section(std::string_view id, const std::string& title,
                    std::initializer_list<std::string_view> headers, const std::string& rows) {
  if (rows.empty()) return {};
  std::string out = "<section id=\"" + std::string(id) + "\"><h2>" + title + "</h2><table><tr>";
  for (std::string_view h : headers) out += "<th>" + std::string(h) + "</th>";
  return out + "</tr>" + rows + "</table></section>\n";
}

std::string count_rows(const std::vector<Count>& items, bool command) {
  std::string rows;
  for (const Count& c : items) {
    rows += "<tr>" + td_number(c.count) + (command ? td_command(c.key) : td(c.key)) + "</tr>";
  }
  return rows;
}

std::string decision_sections(const Summary& s) {
  std::string out = "<section id=\"outcomes\"><h2>" + num(s.decisions) + " decisions</h2>" +
                    outcome_chart(s) + "<table><tr><th>outcome</th><th>count</th></tr>";
  for (std::size_t i = 0; i < kOutcomeCount; ++i) {
    const std::string name(outcome_name(static_cast<Outcome>(i)));
    out += "<tr><td><span class=\"swatch " + name + "\"></span>" + name + "</td>" +
           td_number(s.outcomes[i]) + "</tr>";
  }
  out += "</table></section>\n<section id=\"by-day\"><h2>By day (UTC)</h2><div class=\"days\">" +
         day_chart(s) + "</div></section>\n";
  std::string rules;
  for (const RuleCount& r : s.rules) {
    rules += "<tr>" + td_number(r.count) + td(r.id) + td(r.pack) + td(r.enforcement) + "</tr>";
  }
  out += section("rules", "By rule", {"count", "rule", "pack", "enforcement"}, rules);
  out += section("controls", "By control", {"count", "control"}, count_rows(s.controls, false));
  out += section("agents", "By agent", {"count", "agent"}, count_rows(s.agents, false));
  out += section("projects", "By project", {"count", "project"}, count_rows(s.projects, false));
  out += section("most-blocked", "Most blocked (denied or escalated)", {"count", "command"},
                 count_rows(s.most_blocked, true));
  return out;
}

std::string evidence_sections(const Summary& s) {
  std::string rows;
  for (const Escalation& e : s.escalations) {
    std::string rules;
    for (const std::string& r : e.rules) rules += (rules.empty() ? "" : ", ") + r;
    rows += "<tr>" + td(e.at) + td(e.agent) + td(e.project) + td(rules) + td_command(e.command) +
            td(e.reason) + "</tr>";
  }
  const uint64_t escalated = s.outcomes[static_cast<std::size_t>(Outcome::escalate)];
  std::string out = section(
      "escalations",
      "Escalations, apart from denies (" +
          (escalated > s.escalations.size() ? "the latest " + num(s.escalations.size()) + " of "
                                            : std::string()) +
          num(escalated) + ")",
      {"at", "agent", "project", "rules", "command", "reason"}, rows);
  rows.clear();
  for (const GapNote& g : s.gaps) {
    rows += "<tr>" + td_number(g.missed) + td(g.first_at) + td(g.last_at) + td(g.recorded_at) +
            td(g.why) + "</tr>";
  }
  out += section("gaps",
                 "<span class=\"warn\">Gaps: " + num(s.missed) +
                     " decisions whose record could not be written</span>",
                 {"missed", "from", "to", "noted at", "why"}, rows);
  rows.clear();
  for (const UnreadLine& u : s.unread) {
    rows += "<tr>" + td(u.file) + "<td class=\"n\">" + (u.line == 0 ? "-" : num(u.line)) + "</td>" +
            td(u.why) + "</tr>";
  }
  out += section("unread",
                 "<span class=\"warn\">Not read: " + num(s.unread_count) +
                     " lines or files that are not records</span>",
                 {"file", "line", "why"}, rows);
  if (s.outside_window > 0) {
    out += "<p class=\"note\">" + num(s.outside_window) +
           " records in the files read fall outside the window (not counted).</p>\n";
  }
  return out;
}

}  // namespace

std::string report_html(const Summary& s) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width\">"
      "<title>vectimus report</title><style>" +
      std::string(kStyle) + "</style></head>\n<body>\n<h1>vectimus report</h1>\n" +
      "<p class=\"window\">From " + html_escape(s.since) + " to " + html_escape(s.until) +
      " &middot; log folder <code>" + html_escape(s.log_dir) + "</code> &middot; " +
      num(s.files.size()) + " files read</p>\n";
  if (s.decisions == 0) {
    out += "<p class=\"empty\">no decisions recorded since " + html_escape(s.since) + "</p>\n";
  } else {
    out += decision_sections(s);
  }
  return out + evidence_sections(s) + "</body></html>\n";
}

}  // namespace vectimus::audit
