#include "audit/summary.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <tuple>

#include "audit/record.hpp"  // iso_timestamp
#include "support/utc.hpp"

namespace vectimus::audit {
namespace {

namespace dom = simdjson::dom;

constexpr std::string_view kOutcomeNames[kOutcomeCount] = {"allow", "deny", "escalate", "observe"};
constexpr int64_t kNsPerSecond = 1'000'000'000;
constexpr int64_t kNsPerDay = 86'400 * kNsPerSecond;

// The `n` decimal digits at text[at], or -1 when they are not all digits.
int64_t digits_at(std::string_view text, std::size_t at, std::size_t n) {
  if (at + n > text.size()) return -1;
  int64_t value = 0;
  for (char c : text.substr(at, n)) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool expect(std::string_view text, std::size_t at, char c) {
  return at < text.size() && text[at] == c;
}

// The UTC day (YYYY-MM-DD) of a log file name, audit-YYYY-MM-DD.jsonl or
// audit-YYYY-MM-DD-N.jsonl; "" for any other name.
std::string_view file_day(std::string_view name) {
  constexpr std::string_view kPrefix = "audit-";
  constexpr std::string_view kSuffix = ".jsonl";
  constexpr std::size_t kDay = 10;
  if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return {};
  const std::string_view day = name.substr(kPrefix.size(), kDay);
  int64_t ns = 0;
  if (day.size() != kDay || !parse_iso_time(day, ns)) return {};
  std::string_view rest = name.substr(kPrefix.size() + kDay);
  rest.remove_suffix(kSuffix.size());
  if (rest.empty()) return day;
  if (rest.front() != '-' || rest.size() == 1) return {};
  return digits_at(rest, 1, rest.size() - 1) >= 0 ? day : std::string_view();
}

// The string at `path` under `e`; "" when absent, null or not a string.
std::string_view text_at(dom::element e, std::initializer_list<std::string_view> path) {
  simdjson::simdjson_result<dom::element> at(dom::element{e});
  for (std::string_view key : path) at = at[key];
  std::string_view text;
  if (at.get_string().get(text) != simdjson::SUCCESS) return {};
  return text;
}

// Sorted most first, then by key.
std::vector<Count> ranked(const std::map<std::string, uint64_t>& counts, std::size_t limit) {
  std::vector<Count> out;
  for (const auto& [key, count] : counts) out.push_back(Count{key, count});
  std::stable_sort(out.begin(), out.end(),
                   [](const Count& a, const Count& b) { return a.count > b.count; });
  if (out.size() > limit) out.resize(limit);
  return out;
}

// Keeps the latest `limit` escalations, oldest first.
void keep_latest(std::vector<Escalation>& escalations, std::size_t limit) {
  std::stable_sort(escalations.begin(), escalations.end(),
                   [](const Escalation& a, const Escalation& b) { return a.at < b.at; });
  if (escalations.size() > limit) {
    escalations.erase(escalations.begin(), escalations.end() - static_cast<std::ptrdiff_t>(limit));
  }
}

// Counts records into a Summary, one line at a time.
class Tally {
 public:
  Tally(std::string log_dir, int64_t since_ns, int64_t until_ns)
      : since_ns_(since_ns), until_ns_(until_ns) {
    out_.log_dir = std::move(log_dir);
    out_.since = iso_timestamp(since_ns);
    out_.until = iso_timestamp(until_ns);
  }

  void read_file(const Host& host, const std::string& name) {
    out_.files.push_back(name);
    const FileRead file = host.fs->read(join_path(out_.log_dir, name), kMaxLogFileBytes);
    if (file.status == FileRead::Status::too_large) {
      return unread(name, 0, "larger than 1 GiB: not read");
    }
    if (file.status != FileRead::Status::ok) {
      return unread(name, 0, "cannot be read: " + (file.error.empty() ? "missing" : file.error));
    }
    const std::string_view text = file.text;
    uint64_t line_no = 0;
    for (std::size_t start = 0; start < text.size();) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      ++line_no;
      const std::string_view line = text.substr(start, end - start);
      start = end + 1;
      if (line.find_first_not_of(" \t\r") != std::string_view::npos) add_line(name, line_no, line);
    }
  }

  Summary finish() && {
    for (const auto& [key, count] : rules_) {
      const auto& [id, pack, enforcement] = key;
      out_.rules.push_back(RuleCount{id, pack, enforcement, count});
    }
    std::stable_sort(out_.rules.begin(), out_.rules.end(),
                     [](const RuleCount& a, const RuleCount& b) { return a.count > b.count; });
    out_.controls = ranked(controls_, SIZE_MAX);
    out_.agents = ranked(agents_, SIZE_MAX);
    out_.projects = ranked(projects_, SIZE_MAX);
    out_.most_blocked = ranked(blocked_, kMostBlockedListed);
    for (const auto& [day, outcomes] : days_) out_.by_day.push_back(DayCounts{day, outcomes});
    keep_latest(escalations_, kEscalationsListed);
    out_.escalations = std::move(escalations_);
    return std::move(out_);
  }

 private:
  void unread(const std::string& file, uint64_t line, std::string why) {
    ++out_.unread_count;
    if (out_.unread.size() < kUnreadListed) out_.unread.push_back({file, line, std::move(why)});
  }

  void add_line(const std::string& file, uint64_t line_no, std::string_view line) {
    dom::element record;
    if (const auto error = parser_.parse(line.data(), line.size()).get(record); error) {
      return unread(file, line_no, std::string("not JSON: ") + simdjson::error_message(error));
    }
    const std::string_view decision = text_at(record, {"decision", "decision"});
    const auto* name = std::find(std::begin(kOutcomeNames), std::end(kOutcomeNames), decision);
    if (decision.empty() || name == std::end(kOutcomeNames)) {
      return unread(file, line_no,
                    decision.empty() ? "not an audit record: no `decision.decision`"
                                     : "unknown decision `" + std::string(decision) + "`");
    }
    std::string_view at = text_at(record, {"event", "timestamp"});
    if (at.empty()) at = text_at(record, {"recorded_at"});
    int64_t at_ns = 0;
    if (!parse_iso_time(at, at_ns)) {
      return unread(file, line_no, "not an audit record: no readable `event.timestamp`");
    }
    if (at_ns < since_ns_ || at_ns > until_ns_) {
      ++out_.outside_window;
      return;
    }
    add_record(record, static_cast<Outcome>(name - std::begin(kOutcomeNames)), at);
    add_gap(record, at);
  }

  void add_record(dom::element record, Outcome outcome, std::string_view at) {
    const auto index = static_cast<std::size_t>(outcome);
    ++out_.decisions;
    ++out_.outcomes[index];
    ++days_[std::string(at.substr(0, 10))][index];
    ++agents_[std::string(text_at(record, {"event", "source", "tool"}))];
    const std::string project(text_at(record, {"event", "context", "repository"}));
    ++projects_[project];
    const std::vector<std::string> rules = add_rules(record);
    if (outcome != Outcome::deny && outcome != Outcome::escalate) return;
    std::string asked;
    for (std::string_view field : {"command", "file_path", "url", "mcp_tool"}) {
      asked = text_at(record, {"event", "action", field});
      if (!asked.empty()) break;
    }
    ++blocked_[asked];
    if (outcome != Outcome::escalate) return;
    escalations_.push_back(
        Escalation{std::string(at), std::string(text_at(record, {"event", "source", "tool"})),
                   project, asked, rules, std::string(text_at(record, {"decision", "reason"}))});
    // Bounded memory: past twice the listed number, drop the oldest.
    if (escalations_.size() >= 2 * kEscalationsListed)
      keep_latest(escalations_, kEscalationsListed);
  }

  // Counts the record's matched rules and their controls (each control once per decision);
  // returns the rule ids. Records without `decision.matched` (the Python tool's) give only
  // `matched_policy_ids`: their pack and enforcement are not known.
  std::vector<std::string> add_rules(dom::element record) {
    std::vector<std::string> ids;
    std::vector<std::string> controls;
    dom::array matched;
    if (record["decision"]["matched"].get_array().get(matched) == simdjson::SUCCESS) {
      for (dom::element m : matched) {
        ids.emplace_back(text_at(m, {"id"}));
        ++rules_[{ids.back(), std::string(text_at(m, {"pack"})),
                  std::string(text_at(m, {"enforcement"}))}];
        dom::array list;
        if (m["controls"].get_array().get(list) != simdjson::SUCCESS) continue;
        for (dom::element c : list) {
          std::string_view control;
          if (c.get_string().get(control) == simdjson::SUCCESS) controls.emplace_back(control);
        }
      }
    } else if (record["decision"]["matched_policy_ids"].get_array().get(matched) ==
               simdjson::SUCCESS) {
      for (dom::element m : matched) {
        std::string_view id;
        if (m.get_string().get(id) != simdjson::SUCCESS) continue;
        ids.emplace_back(id);
        ++rules_[{ids.back(), "", ""}];
      }
    }
    std::sort(controls.begin(), controls.end());
    controls.erase(std::unique(controls.begin(), controls.end()), controls.end());
    for (const std::string& c : controls) ++controls_[c];
    return ids;
  }

  void add_gap(dom::element record, std::string_view at) {
    dom::element gap;
    if (record["gap"].get(gap) != simdjson::SUCCESS || !gap.is_object()) return;
    uint64_t missed = 0;
    if (gap["missed"].get_uint64().get(missed) != simdjson::SUCCESS) missed = 0;
    out_.missed += missed;
    if (out_.gaps.size() >= kGapsListed) return;
    out_.gaps.push_back(GapNote{std::string(at), missed, std::string(text_at(gap, {"first_at"})),
                                std::string(text_at(gap, {"last_at"})),
                                std::string(text_at(gap, {"why"}))});
  }

  int64_t since_ns_;
  int64_t until_ns_;
  dom::parser parser_;
  Summary out_;
  std::map<std::tuple<std::string, std::string, std::string>, uint64_t> rules_;
  std::map<std::string, uint64_t> controls_, agents_, projects_, blocked_;
  std::map<std::string, OutcomeCounts> days_;
  std::vector<Escalation> escalations_;
};

}  // namespace

std::string_view outcome_name(Outcome outcome) {
  return kOutcomeNames[static_cast<std::size_t>(outcome)];
}

bool parse_iso_time(std::string_view text, int64_t& ns) {
  const int64_t year = digits_at(text, 0, 4);
  const int64_t month = digits_at(text, 5, 2);
  const int64_t day = digits_at(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || !expect(text, 4, '-') ||
      !expect(text, 7, '-')) {
    return false;
  }
  ns = days_from_civil(year, month, day) * kNsPerDay;
  if (text.size() == 10) return true;
  const int64_t hour = digits_at(text, 11, 2);
  const int64_t minute = digits_at(text, 14, 2);
  const int64_t second = digits_at(text, 17, 2);
  if (!expect(text, 10, 'T') || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 ||
      second > 60 || !expect(text, 13, ':') || !expect(text, 16, ':')) {
    return false;
  }
  ns += ((hour * 60 + minute) * 60 + second) * kNsPerSecond;
  std::size_t at = 19;
  if (expect(text, at, '.')) {
    int64_t scale = kNsPerSecond;
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) {
      scale /= 10;  // digits past nanoseconds count for nothing
      ns += (text[at] - '0') * scale;
    }
  }
  const std::string_view zone = text.substr(std::min(at, text.size()));
  if (zone.empty() || zone == "Z") return true;  // no zone: UTC, as every record is
  const int64_t zone_hours = digits_at(zone, 1, 2);
  const int64_t zone_minutes = digits_at(zone, 4, 2);
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' || zone_hours < 0 ||
      zone_minutes < 0) {
    return false;
  }
  const int64_t offset = (zone_hours * 60 + zone_minutes) * 60 * kNsPerSecond;
  ns += zone[0] == '+' ? -offset : offset;
  return true;
}

Result<int64_t> parse_since(std::string_view since, int64_t now_ns) {
  constexpr std::pair<char, int64_t> kUnits[] = {
      {'d', kNsPerDay}, {'h', 3600 * kNsPerSecond}, {'m', 60 * kNsPerSecond}};
  // At most 5 digits (99999d is 273 years): the span in nanoseconds stays within int64.
  if (since.size() >= 2 && since.size() <= 6) {
    const int64_t n = digits_at(since, 0, since.size() - 1);
    for (const auto& [unit, ns] : kUnits) {
      if (n >= 0 && since.back() == unit) return std::max<int64_t>(0, now_ns - n * ns);
    }
  }
  int64_t ns = 0;
  if (parse_iso_time(since, ns)) return ns;
  return make_error("since", "`--since " + std::string(since) + "` is not a time I can read",
                    std::nullopt,
                    "give a span back from now (`7d`, `12h`, `30m`) or a UTC date or time "
                    "(`2026-01-31`, `2026-01-31T09:30:00Z`)");
}

Result<Summary> summarise_log(const Host& host, const std::string& log_dir, int64_t since_ns,
                              int64_t until_ns) {
  Tally tally(log_dir, since_ns, until_ns);
  if (host.fs->exists(log_dir) && !host.fs->is_directory(log_dir)) {
    return make_error("io", "the audit log folder `" + log_dir + "` is not a folder");
  }
  const std::string first_day = iso_timestamp(since_ns).substr(0, 10);
  const std::string last_day = iso_timestamp(until_ns).substr(0, 10);
  for (const std::string& name : host.fs->list(log_dir, false)) {
    const std::string_view day = file_day(name);
    if (!day.empty() && day >= first_day && day <= last_day) tally.read_file(host, name);
  }
  return std::move(tally).finish();
}

}  // namespace vectimus::audit
