#include "pipeline/evidence.hpp"

#include <unistd.h>

#include "audit/log.hpp"
#include "audit/record.hpp"

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
  settings.dir = audit_log_folder(
      host, out.engine != nullptr ? &out.engine->config() : nullptr, out.project, home);
  if (out.engine != nullptr) {
    settings.max_file_bytes = uint64_t{out.engine->config().audit_max_file_size_mb} << 20;
  }
  const audit::AuditLog log(host, settings, home);
  facts.gap = log.claim_gap();
  const IoStatus written = log.append(audit::audit_record(facts), now);
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
