#include "audit/record.hpp"

#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "audit/crypto.hpp"
#include "audit/redact.hpp"
#include "support/json_writer.hpp"
#include "support/utc.hpp"

namespace vectimus::audit {
namespace {

// Writes strings through redact(), counting what it removed.
class RecordWriter {
 public:
  RecordWriter& key(std::string_view k) {
    w_.key(k);
    return *this;
  }
  RecordWriter& text(std::string_view value) {
    scratch_.clear();  // reused: a record writes dozens of strings
    append_redacted(scratch_, value, redactions_);
    w_.value(scratch_);
    return *this;
  }
  RecordWriter& text(const std::string& value) { return text(std::string_view(value)); }
  RecordWriter& text(const char* value) { return text(std::string_view(value)); }
  RecordWriter& text(const std::optional<std::string>& value) {
    if (value) return text(std::string_view(*value));
    w_.null();
    return *this;
  }
  JsonWriter& json() { return w_; }
  uint32_t redactions() const { return redactions_; }

 private:
  JsonWriter w_;
  uint32_t redactions_ = 0;
  std::string scratch_;
};

// The content lines of `path` that matched a rule: `{"line":N,"text":"…"}` each, once.
void write_matched_lines(RecordWriter& r, const engine::Decision& d, const std::string& path,
                         bool from_script) {
  std::vector<uint32_t> seen;
  r.json().key("matched_lines").begin_array();
  for (const auto& req : d.requests) {
    const auto& p = req.planned;
    if (p.origin != "content" || p.content_path != path || p.from_script != from_script ||
        req.matched.empty() || std::find(seen.begin(), seen.end(), p.content_line) != seen.end()) {
      continue;
    }
    seen.push_back(p.content_line);
    const interpreter::Value* line = p.request.context.field("command");
    r.json().begin_object().key("line").value(static_cast<uint64_t>(p.content_line));
    r.key("text").text(line != nullptr && line->kind() == interpreter::Kind::string
                           ? std::string_view(line->as_string())
                           : std::string_view());
    r.json().end_object();
  }
  r.json().end_array();
}

// Scripts the command ran whose lines were inspected: path and matched lines.
void write_scripts(RecordWriter& r, const engine::Decision* d) {
  std::vector<std::string> paths;
  if (d != nullptr) {
    for (const auto& req : d->requests) {
      if (req.planned.from_script &&
          std::find(paths.begin(), paths.end(), req.planned.content_path) == paths.end()) {
        paths.push_back(req.planned.content_path);
      }
    }
  }
  if (paths.empty()) {
    r.json().null();
    return;
  }
  r.json().begin_array();
  for (const std::string& path : paths) {
    r.json().begin_object();
    r.key("path").text(path);
    write_matched_lines(r, *d, path, true);
    r.json().end_object();
  }
  r.json().end_array();
}

void write_action(RecordWriter& r, const RecordFacts& f) {
  const normalise::Event& e = *f.event;
  r.json().key("action").begin_object();
  r.key("action_type").text(normalise::action_type_name(e.action_type));
  r.key("raw_tool_name").text(e.raw_tool_name);
  r.key("command").text(e.command);
  r.key("file_path").text(e.file_path);
  r.key("url").text(e.url);
  r.key("mcp_server").text(e.mcp_server);
  r.key("mcp_tool").text(e.mcp_tool);
  r.key("package_name").text(e.package_name);
  r.key("file_content");
  if (e.content) {
    r.json().begin_object().key("sha256").value(sha256_hex(*e.content));
    r.json().key("length").value(static_cast<uint64_t>(e.content->size()));
    if (f.decision != nullptr) {
      write_matched_lines(r, *f.decision, e.file_path.value_or("<content>"), false);
    }
    r.json().end_object();
  } else {
    r.json().null();
  }
  r.key("script_content");
  write_scripts(r, f.decision);
  // The tool input holds the written content in full: recorded only when there is none.
  r.key("raw_input");
  if (e.content) {
    r.json().null();
  } else {
    r.text(e.tool_input_json);
  }
  r.json().end_object();
}

void write_event(RecordWriter& r, const RecordFacts& f, const std::string& timestamp) {
  r.json().key("event").begin_object();
  r.key("event_id").text(random_uuid());
  r.key("timestamp").text(timestamp);
  r.key("event_type").text("pre_action");
  const normalise::Event* e = f.event;
  r.json().key("source").begin_object();
  r.key("tool").text(f.source);
  r.key("version").json().null();
  r.key("session_id").text(e ? e->session_id : std::nullopt);
  r.key("dialect").text(e ? normalise::dialect_name(e->dialect) : "unknown");
  if (f.api_key_name) r.key("api_key_name").text(*f.api_key_name);
  r.json().end_object();
  r.json().key("identity").begin_object();
  if (f.decision != nullptr) {
    const engine::Identity& id = f.decision->identity;
    r.key("principal").text(id.id);
    r.key("persona").json().null();
    r.json().key("groups").begin_array();
    for (const std::string& g : id.groups) r.text(g);
    r.json().end_array();
    r.key("identity_type").text(id.type == engine::IdentityType::agent ? "agent" : "human");
    r.key("origin").text(id.origin);
  } else {
    r.key("principal").json().null();
  }
  r.json().end_object();
  if (e != nullptr) write_action(r, f);
  r.json().key("context").begin_object();
  r.key("repository").text(f.project);
  r.key("branch").text(f.branch);
  r.key("hostname").text(f.hostname);
  r.key("cwd").text(e ? e->cwd : std::nullopt);
  r.json().end_object();
  r.json().end_object();
}

// A rule's `@controls("SOC2-CC6.1, NIST-CSF-PR.AC-4")` as a list, each control trimmed, empty
// ones dropped: the packs write one comma-separated string, and a list is what a report or a
// `jq '.decision.matched[].controls[]'` query counts by. The wording of each control is kept.
void write_controls(RecordWriter& r, std::string_view controls) {
  r.json().key("controls").begin_array();
  while (!controls.empty()) {
    const std::size_t comma = std::min(controls.find(','), controls.size());
    std::string_view control = controls.substr(0, comma);
    controls.remove_prefix(std::min(comma + 1, controls.size()));
    const std::size_t begin = control.find_first_not_of(" \t\n");
    if (begin == std::string_view::npos) continue;
    control = control.substr(begin, control.find_last_not_of(" \t\n") - begin + 1);
    r.text(control);
  }
  r.json().end_array();
}

// The matched rules, each once, in document order (the decision's matches are sorted by rule).
std::vector<const engine::RuleMatch*> first_matches(const engine::Decision* d) {
  std::vector<const engine::RuleMatch*> out;
  if (d == nullptr) return out;
  for (const auto& m : d->matches) {
    if (out.empty() || out.back()->rule != m.rule) out.push_back(&m);
  }
  return out;
}

void write_decision(RecordWriter& r, const RecordFacts& f) {
  r.json().key("decision").begin_object();
  r.key("decision").text(f.verdict);
  r.key("reason").text(f.reason);
  const std::vector<const engine::RuleMatch*> matches = first_matches(f.decision);
  const engine::RuleInfo* first =
      matches.empty() ? nullptr : &f.engine->packs().rules[matches.front()->rule];
  r.key("suggested_alternative");
  if (first != nullptr && !first->suggested_alternative.empty()) {
    r.text(first->suggested_alternative);
  } else {
    r.json().null();
  }
  r.json().key("matched_policy_ids").begin_array();
  for (const engine::RuleMatch* m : matches) r.text(f.engine->packs().rules[m->rule].id);
  r.json().end_array();
  r.json().key("matched").begin_array();
  for (const engine::RuleMatch* m : matches) {
    const engine::RuleInfo& rule = f.engine->packs().rules[m->rule];
    r.json().begin_object();
    r.key("id").text(rule.id);
    r.key("pack").text(f.engine->packs().packs[rule.pack].manifest.name);
    r.key("enforcement").text(engine::enforcement_name(m->level));
    write_controls(r, rule.controls);
    r.json().end_object();
  }
  r.json().end_array();
  r.json().key("bounds").begin_array();  // analysis bounds hit: not fully checked
  if (f.decision != nullptr) {
    for (const std::string& bound : f.decision->bounds) r.text(bound);
  }
  r.json().end_array();
  r.json().key("evaluation_time_ms").raw(fixed3(f.evaluation_ms));
  r.json().end_object();
}

// Each Cedar request and the rules it matched. Content lines that matched nothing are only
// counted: a large file would otherwise fill the log with lines that were fine.
void write_trace(RecordWriter& r, const RecordFacts& f) {
  r.json().key("trace").begin_object();
  uint64_t quiet_content = 0;
  r.json().key("requests").begin_array();
  const std::size_t count = f.decision != nullptr ? f.decision->requests.size() : 0;
  for (std::size_t i = 0; i < count; ++i) {
    const engine::EvaluatedRequest& req = f.decision->requests[i];
    const auto& p = req.planned;
    if (p.origin == "content" && req.matched.empty()) {
      ++quiet_content;
      continue;
    }
    r.json().begin_object();
    r.key("origin").text(p.origin);
    r.key("action").text(p.request.action.id);
    for (const char* attr : {"command", "file_path", "url"}) {
      const interpreter::Value* v = p.request.context.field(attr);
      if (v != nullptr && v->kind() == interpreter::Kind::string) r.key(attr).text(v->as_string());
    }
    if (p.origin == "content") {
      r.key("content_path").text(p.content_path);
      r.json().key("content_line").value(static_cast<uint64_t>(p.content_line));
    }
    r.json().key("matched").begin_array();
    for (uint32_t rule : req.matched) r.text(f.engine->packs().rules[rule].id);
    r.json().end_array().end_object();
  }
  r.json().end_array();
  r.json().key("content_lines_without_match").value(quiet_content);
  r.json().end_object();
}

}  // namespace

std::string iso_timestamp(int64_t ns) {
  return utc_iso(utc_time(ns), 6) + "+00:00";
}

Gap missed_records(std::optional<Gap> carried, uint64_t missed, int64_t now_ns, std::string why) {
  Gap gap = std::move(carried).value_or(Gap{});
  const std::string at = iso_timestamp(now_ns);
  if (gap.missed == 0) gap.first_at = at;
  gap.missed += missed;
  gap.last_at = at;
  gap.why = std::move(why);
  return gap;
}

std::string random_uuid() {
  Result<std::string> id = uuid4();
  return id ? std::move(id).value() : std::string("00000000-0000-4000-8000-000000000000");
}

std::optional<std::string> git_branch(const Host& host, const std::string& root) {
  const FileRead head = host.fs->read(root + "/.git/HEAD", 4096);
  constexpr std::string_view kRef = "ref: refs/heads/";
  if (head.status != FileRead::Status::ok || head.text.rfind(kRef, 0) != 0) return std::nullopt;
  std::string branch = head.text.substr(kRef.size());
  while (!branch.empty() && (branch.back() == '\n' || branch.back() == '\r')) branch.pop_back();
  return branch;
}

std::string audit_record(const RecordFacts& f) {
  RecordWriter r;
  const std::string timestamp = iso_timestamp(f.timestamp_ns);
  r.json().begin_object();
  write_event(r, f, timestamp);
  write_decision(r, f);
  write_trace(r, f);
  r.key("recorded_at").text(timestamp);
  r.key("receipt_id").text(f.receipt_id);
  r.json().key("log_index");
  if (f.log_index) {
    r.json().value(*f.log_index);
  } else {
    r.json().null();
  }
  if (f.gap) {
    r.json().key("gap").begin_object().key("missed").value(f.gap->missed);
    r.key("first_at").text(f.gap->first_at).key("last_at").text(f.gap->last_at);
    r.key("why").text(f.gap->why);
    r.json().end_object();
  }
  r.json().key("redactions").value(static_cast<uint64_t>(r.redactions()));
  r.json().end_object();
  return r.json().take();
}

std::string approval_record(const ApprovalFacts& f) {
  RecordWriter r;
  const std::string timestamp = iso_timestamp(f.timestamp_ns);
  r.json().begin_object();
  r.key("type").text("approval");
  r.key("timestamp").text(timestamp);
  r.key("approval_id").text(f.approval_id);
  r.key("state").text(f.state);
  r.key("by").text(f.by);
  r.key("receipt_id").text(f.receipt_id);
  r.json().key("rules").begin_array();
  for (const std::string& rule : f.rules) r.text(rule);
  r.json().end_array();
  r.json().key("source").begin_object();
  r.key("tool").text(f.source);
  r.key("session_id").text(f.session_id);
  r.key("api_key_name").text(f.api_key_name);
  r.json().end_object();
  r.json().key("redactions").value(static_cast<uint64_t>(r.redactions()));
  r.json().end_object();
  return r.json().take();
}

}  // namespace vectimus::audit
