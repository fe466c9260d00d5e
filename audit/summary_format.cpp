// The text and JSON forms (the HTML one is in summary_html.cpp).
#include <algorithm>

#include "audit/summary_format.hpp"
#include "support/json_writer.hpp"

namespace vectimus::audit {
namespace {

constexpr std::size_t kTextCellWidth = 100;

// Characters on screen, counting each UTF-8 sequence once.
std::size_t width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// One line of at most kTextCellWidth characters: control characters shown as `\n`, `\t` or `?`
// (a command's newline must not break the table), "(none)" for an empty key.
std::string cell(std::string_view text) {
  if (text.empty()) return "(none)";
  std::string out;
  std::size_t shown = 0;
  for (char c : text) {
    const bool starts_character = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (starts_character && ++shown > kTextCellWidth) return out + "…";
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += '?';
    } else {
      out += c;
    }
  }
  return out;
}

struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;  // cells already passed through cell()
  std::size_t right_aligned = 1;               // the leading columns that hold numbers
};

void write_table(std::string& out, const std::string& title, const Table& table) {
  if (table.rows.empty()) return;
  std::vector<std::size_t> widths;
  for (const std::string& h : table.headers) widths.push_back(width(h));
  for (const auto& row : table.rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], width(row[i]));
    }
  }
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string text = " ";
    for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
      const std::string pad(widths[i] - width(cells[i]), ' ');
      text += ' ' + (i < table.right_aligned ? pad + cells[i] : cells[i] + pad) + ' ';
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + '\n';
  };
  out += '\n' + title + '\n';
  line(table.headers);
  for (const auto& row : table.rows) line(row);
}

Table counts(const std::string& what, const std::vector<Count>& items) {
  Table t{{"count", what}, {}};
  for (const Count& c : items) t.rows.push_back({std::to_string(c.count), cell(c.key)});
  return t;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

void write_counts(JsonWriter& w, std::string_view key, std::string_view name,
                  const std::vector<Count>& items) {
  w.key(key).begin_array();
  for (const Count& c : items) {
    w.begin_object().key(name);
    if (c.key.empty()) {
      w.null();
    } else {
      w.value(c.key);
    }
    w.key("count").value(c.count).end_object();
  }
  w.end_array();
}

void write_outcomes(JsonWriter& w, const OutcomeCounts& outcomes) {
  for (std::size_t i = 0; i < kOutcomeCount; ++i) {
    w.key(outcome_name(static_cast<Outcome>(i))).value(outcomes[i]);
  }
}

}  // namespace

std::string report_text(const Summary& s) {
  std::string out = "vectimus report: " + s.since + " to " + s.until + "\nlog folder " + s.log_dir +
                    " (" + std::to_string(s.files.size()) + " files read)\n";
  if (s.decisions == 0) {
    out += "\nno decisions recorded since " + s.since + "\n";
  } else {
    Table outcomes{{"count", "outcome"}, {}};
    for (std::size_t i = 0; i < kOutcomeCount; ++i) {
      outcomes.rows.push_back(
          {std::to_string(s.outcomes[i]), std::string(outcome_name(static_cast<Outcome>(i)))});
    }
    write_table(out, std::to_string(s.decisions) + " decisions", outcomes);
    Table days{{"allow", "deny", "escalate", "observe", "day"}, {}, kOutcomeCount};
    for (const DayCounts& d : s.by_day) {
      std::vector<std::string> row;
      for (uint64_t n : d.outcomes) row.push_back(std::to_string(n));
      row.push_back(d.day);
      days.rows.push_back(std::move(row));
    }
    write_table(out, "by day", days);
    Table rules{{"count", "rule", "pack", "enforcement"}, {}};
    for (const RuleCount& r : s.rules) {
      rules.rows.push_back(
          {std::to_string(r.count), cell(r.id), cell(r.pack), cell(r.enforcement)});
    }
    write_table(out, "by rule", rules);
    write_table(out, "by control", counts("control", s.controls));
    write_table(out, "by agent", counts("agent", s.agents));
    write_table(out, "by project", counts("project", s.projects));
    write_table(out, "most blocked (denied or escalated)", counts("command", s.most_blocked));
  }
  Table escalations{{"at", "agent", "project", "rules", "command", "reason"}, {}, 0};
  for (const Escalation& e : s.escalations) {
    escalations.rows.push_back({e.at, cell(e.agent), cell(e.project), cell(join(e.rules, ", ")),
                                cell(e.command), cell(e.reason)});
  }
  const uint64_t escalated = s.outcomes[static_cast<std::size_t>(Outcome::escalate)];
  write_table(out,
              "escalations, apart from denies (" +
                  (escalated > s.escalations.size()
                       ? "the latest " + std::to_string(s.escalations.size()) + " of "
                       : std::string()) +
                  std::to_string(escalated) + ")",
              escalations);
  Table gaps{{"missed", "from", "to", "noted at", "why"}, {}};
  for (const GapNote& g : s.gaps) {
    gaps.rows.push_back(
        {std::to_string(g.missed), g.first_at, g.last_at, g.recorded_at, cell(g.why)});
  }
  write_table(out,
              "gaps: " + std::to_string(s.missed) + " decisions whose record could not be written",
              gaps);
  Table unread{{"line", "file", "why"}, {}};
  for (const UnreadLine& u : s.unread) {
    unread.rows.push_back({u.line == 0 ? "-" : std::to_string(u.line), u.file, cell(u.why)});
  }
  write_table(
      out, "not read: " + std::to_string(s.unread_count) + " lines or files that are not records",
      unread);
  if (s.outside_window > 0) {
    out += "\n" + std::to_string(s.outside_window) +
           " records in the files read fall outside the window (not counted)\n";
  }
  return out;
}

std::string report_json(const Summary& s) {
  JsonWriter w;
  w.begin_object().key("version").value(1);
  w.key("log_dir").value(s.log_dir).key("since").value(s.since).key("until").value(s.until);
  w.key("files").begin_array();
  for (const std::string& f : s.files) w.value(f);
  w.end_array();
  w.key("decisions").value(s.decisions);
  w.key("outcomes").begin_object();
  write_outcomes(w, s.outcomes);
  w.end_object();
  w.key("by_day").begin_array();
  for (const DayCounts& d : s.by_day) {
    w.begin_object().key("day").value(d.day);
    write_outcomes(w, d.outcomes);
    w.end_object();
  }
  w.end_array();
  w.key("rules").begin_array();
  for (const RuleCount& r : s.rules) {
    w.begin_object().key("id").value(r.id).key("pack").value(r.pack);
    w.key("enforcement").value(r.enforcement).key("count").value(r.count).end_object();
  }
  w.end_array();
  write_counts(w, "controls", "control", s.controls);
  write_counts(w, "agents", "agent", s.agents);
  write_counts(w, "projects", "project", s.projects);
  write_counts(w, "most_blocked", "command", s.most_blocked);
  w.key("escalations").begin_array();
  for (const Escalation& e : s.escalations) {
    w.begin_object().key("at").value(e.at).key("agent").value(e.agent).key("project");
    if (e.project.empty()) {
      w.null();
    } else {
      w.value(e.project);
    }
    w.key("command").value(e.command).key("rules").begin_array();
    for (const std::string& r : e.rules) w.value(r);
    w.end_array().key("reason").value(e.reason).end_object();
  }
  w.end_array();
  w.key("missed").value(s.missed).key("gaps").begin_array();
  for (const GapNote& g : s.gaps) {
    w.begin_object().key("recorded_at").value(g.recorded_at).key("missed").value(g.missed);
    w.key("first_at").value(g.first_at).key("last_at").value(g.last_at);
    w.key("why").value(g.why).end_object();
  }
  w.end_array();
  w.key("unread_count").value(s.unread_count).key("unread").begin_array();
  for (const UnreadLine& u : s.unread) {
    w.begin_object().key("file").value(u.file).key("line").value(u.line);
    w.key("why").value(u.why).end_object();
  }
  w.end_array();
  w.key("outside_window").value(s.outside_window);
  w.end_object();
  return w.take() + "\n";
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace vectimus::audit
