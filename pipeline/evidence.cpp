#include "pipeline/evidence.hpp"

#include <unistd.h>

#include "audit/log.hpp"
#include "audit/record.hpp"
#include "audit/syslog.hpp"
#include "support/endpoint.hpp"

namespace vectimus::pipeline {
namespace {

std::string hostname() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return {};
  return name;
}

std::string_view recorded_verdict(const Outcome& out) {
  if (out.decision && out.decision->observe_mode &&
      out.decision->evaluated != engine::Verdict::allow) {
    return "observe";
  }
  return engine::verdict_name(out.verdict);
}

// A copy of `what` (the audit record, a kept checkpoint) that could not be sent to `[audit]
// syslog`: stderr says why; with `[audit] required` the call is denied.
void export_failed(std::string_view what, const std::string& why, Outcome& out) {
  out.human += "vectimus: " + std::string(what) + " could not be sent to syslog: " + why + "\n";
  if (out.engine->config().audit_required && out.verdict != engine::Verdict::deny) {
    out.verdict = engine::Verdict::deny;
    out.reason = "vectimus: " + std::string(what) +
                 " could not be sent to `[audit] syslog` and `[audit] required` is set, so the "
                 "call is denied: " +
                 why;
  }
}

// Sends `record` to `[audit] syslog`, if set. It is sent whether or not the local write
// succeeded: the copy exists for when the local log cannot be trusted, and an agent that makes
// the log folder unwritable must not silence the collector too (the collector then holds the
// record, the next local one notes the gap). A failed send leaves the decision as it was and
// says why on stderr; with `[audit] required` it denies, as a failed write does. The record
// still says what the engine decided: the trail may show a call allowed that was denied for
// want of evidence, never one denied that was allowed.
void export_record(const audit::RecordFacts& facts, std::string_view record, Outcome& out) {
  // Without a loaded config (a payload or pack that did not load) no target is known.
  if (out.engine == nullptr || out.engine->config().audit_syslog.empty()) return;
  const engine::Config& config = out.engine->config();
  const auto to = parse_endpoint(config.audit_syslog);  // checked when the config was read
  IoStatus sent{to ? std::string() : to.errors().front().message};
  if (to) {
    const audit::DecisionExport decision{facts.verdict, facts.receipt_id, facts.log_index,
                                         out.matched_rule_ids(), record};
    const audit::SyslogHeader header{facts.timestamp_ns, facts.hostname, ::getpid()};
    sent = audit::send_syslog(*to, audit::decision_message(header, decision));
  }
  if (!sent.ok()) export_failed("the audit record", sent.error, out);
}

}  // namespace

std::string audit_log_folder(const Host& host, const engine::Config* config,
                             const std::optional<std::string>& project, const std::string& home) {
  std::string dir;
  if (config != nullptr) {
    dir = config->audit_log_dir.empty() ? config->log_dir : config->audit_log_dir;
  } else if (auto env = host.env->get("VECTIMUS_LOG_DIR")) {
    dir = *env;
  }
  if (dir.empty()) return join_path(home.empty() ? "/tmp" : home, ".vectimus/logs");
  if (dir.front() == '~' && (dir.size() == 1 || dir[1] == '/') && !home.empty()) {
    return home + dir.substr(1);
  }
  if (dir.front() == '/') return dir;
  return join_path(project.value_or(host.cwd), dir);
}

void leave_evidence(const Host& host, std::string_view source, double evaluation_ms, Outcome& out) {
  const std::string home = host.env->get("HOME").value_or("");
  const int64_t now = host.now_ns();
  audit::RecordFacts facts;
  facts.event = out.event ? &*out.event : nullptr;
  facts.source = std::string(source);
  facts.engine = out.engine;
  facts.decision = out.decision ? &*out.decision : nullptr;
  facts.verdict = std::string(recorded_verdict(out));
  facts.reason = out.reason;
  facts.timestamp_ns = now;
  facts.evaluation_ms = evaluation_ms;
  facts.project = out.project;
  if (out.project) facts.branch = audit::git_branch(host, *out.project);
  facts.hostname = hostname();

  audit::LogSettings settings;
  settings.dir = audit_log_folder(host, out.engine != nullptr ? &out.engine->config() : nullptr,
                                  out.project, home);
  if (out.engine != nullptr) {
    settings.max_file_bytes = uint64_t{out.engine->config().audit_max_file_size_mb} << 20;
  }
  const audit::AuditLog log(host, settings, home);
  facts.gap = log.claim_gap();
  const std::string record = audit::audit_record(facts);
  const IoStatus written = log.append(record, now);
  export_record(facts, record, out);
  if (written.ok()) return;
  // The decision stands; the human learns why, and the next record carries the gap.
  audit::Gap gap = facts.gap.value_or(audit::Gap{});
  const std::string at = audit::iso_timestamp(now);
  if (gap.missed == 0) gap.first_at = at;
  gap.missed += 1;
  gap.last_at = at;
  gap.why = written.error;
  log.note_missed(gap);
  out.human += "vectimus: the audit record could not be written: " + written.error + "\n";
  if (out.engine != nullptr && out.engine->config().audit_required &&
      out.verdict != engine::Verdict::deny) {
    out.verdict = engine::Verdict::deny;
    out.reason =
        "vectimus: the audit record could not be written and `[audit] required` is set, "
        "so the call is denied: " +
        written.error;
  }
}

}  // namespace vectimus::pipeline
