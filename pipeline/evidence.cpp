#include "pipeline/evidence.hpp"

#include <unistd.h>

#include "audit/crypto.hpp"
#include "audit/issue.hpp"
#include "audit/log.hpp"
#include "audit/record.hpp"
#include "audit/redact.hpp"
#include "audit/syslog.hpp"
#include "audit/writer.hpp"
#include "engine/builtin.hpp"
#include "pipeline/answer.hpp"
#include "support/endpoint.hpp"

namespace vectimus::pipeline {
namespace {

// Once per process (the server records it with every decision).
const std::string& hostname() {
  static const std::string name = [] {
    char buf[256] = {};
    return ::gethostname(buf, sizeof buf - 1) == 0 ? std::string(buf) : std::string();
  }();
  return name;
}

// Whether `path` is `folder` or below it (both absolute and normal, as the pipeline makes them).
bool inside(std::string_view path, std::string_view folder) {
  return path.starts_with(folder) &&
         (path.size() == folder.size() || folder == "/" || path[folder.size()] == '/');
}

std::string_view recorded_verdict(const Outcome& out) {
  if (out.decision && out.decision->observe_mode &&
      out.decision->evaluated != engine::Verdict::allow) {
    return "observe";
  }
  return engine::verdict_name(out.verdict);
}

// The identity for the evidence when no rule asked for one: everything but `git config`, whose
// process start would double the hook's cost (payload email, VECTIMUS_PRINCIPAL, the OS user).
engine::Identity identity_without_git(const Host& host, const engine::Config& config,
                                      const normalise::Event& event,
                                      const std::optional<std::string>& project) {
  Host without_git = host;
  without_git.git_email = nullptr;  // and so no look for the project's .git either
  return engine::resolve_identity(without_git, config, event, project);
}

audit::ReceiptFacts receipt_facts(const Outcome& out, const audit::RecordFacts& record,
                                  double evaluation_ms) {
  audit::ReceiptFacts f;
  f.timestamp_ns = record.timestamp_ns;
  if (out.decision) {
    const engine::Identity& id = out.decision->identity;
    f.principal_type = id.type == engine::IdentityType::agent ? "agent" : "developer";
    f.principal_id = id.id;
  } else {
    f.principal_type = "developer";
    f.principal_id = "unknown";
  }
  uint32_t redacted = 0;
  const auto redacted_copy = [&](const std::optional<std::string>& text) {
    return text ? std::optional<std::string>(audit::redact(*text, redacted)) : std::nullopt;
  };
  if (out.event) {
    f.tool = out.event->raw_tool_name;
    f.normalised_tool = std::string(normalise::action_type_name(out.event->action_type));
    f.command = redacted_copy(out.event->command);
    f.file_path = redacted_copy(out.event->file_path);
    f.url = redacted_copy(out.event->url);
  }
  if (out.engine != nullptr) {
    const engine::PolicyPacks& packs = out.engine->packs();
    f.policy_set_hash = policy_set_hash(packs);
    if (!packs.packs.empty()) f.policy_pack_version = packs.packs.front().manifest.version;
    const std::vector<std::string> matched = out.matched_rule_ids();
    if (!matched.empty()) f.matched_policy_id = matched.front();
  }
  f.outcome = record.verdict;
  f.reason = audit::redact(out.reason, redacted);
  f.evaluation_time_ms = evaluation_ms;
  return f;
}

// Sends a copy of `record` to `[audit] syslog`, if set; returns what failed, if anything. It is
// sent whether or not the local write succeeded: the copy exists for when the local log cannot
// be trusted, and an agent that makes the log folder unwritable must not silence the collector
// too (the collector then holds the record, the next local one notes the gap).
std::optional<std::string> export_record(const engine::Config* config,
                                         const audit::RecordFacts& facts, std::string_view record,
                                         const Outcome& out) {
  // Without a loaded config (a payload or pack that did not load) no target is known.
  if (config == nullptr || config->audit_syslog.empty()) return std::nullopt;
  const auto to = parse_endpoint(config->audit_syslog);  // checked when the config was read
  if (!to) return "the audit record could not be sent to syslog: " + to.errors().front().message;
  const audit::DecisionExport decision{facts.verdict, facts.receipt_id, facts.log_index,
                                       out.matched_rule_ids(), record};
  const audit::SyslogHeader header{facts.timestamp_ns, facts.hostname, ::getpid()};
  const IoStatus sent = audit::send_syslog(*to, audit::decision_message(header, decision));
  if (sent.ok()) return std::nullopt;
  return "the audit record could not be sent to syslog: " + sent.error;
}

// A kept checkpoint (every 100th log head) goes to `[audit] syslog` too, so a copy of the log's
// head lives where the agent cannot rewrite it.
std::optional<std::string> export_checkpoint(const engine::Config* config,
                                             const std::string& signed_note, int64_t now) {
  if (config == nullptr || config->audit_syslog.empty()) return std::nullopt;
  const IoStatus sent = audit::send_checkpoint(config->audit_syslog, signed_note, now);
  if (sent.ok()) return std::nullopt;
  return "the kept checkpoint could not be sent to syslog: " + sent.error;
}

}  // namespace

std::string policy_set_hash(const engine::PolicyPacks& packs) {
  if (packs.compiled) return std::string(engine::builtin_policy_set_hash());
  std::string text;
  for (const engine::Pack& pack : packs.packs) {
    for (const SourcePtr& file : pack.files) text += file->text;
  }
  return "sha256:" + audit::sha256_hex(text);
}

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

IoStatus append_audit_record(const Host& host, const engine::Config* config,
                             const std::optional<std::string>& project, std::string_view record) {
  const std::string home = host.env->get("HOME").value_or("");
  audit::LogSettings settings;
  settings.dir = audit_log_folder(host, config, project, home);
  if (config != nullptr) {
    settings.max_file_bytes = uint64_t{config->audit_max_file_size_mb} << 20;
    settings.durable = config->audit_durable;
  }
  const audit::AuditLog log(host, settings, home);
  const int64_t now = host.now_ns();
  const IoStatus written = log.append(record, now);
  if (!written.ok()) {
    audit::Gap gap;
    gap.first_at = gap.last_at = audit::iso_timestamp(now);
    gap.missed = 1;
    gap.why = written.error;
    log.note_missed(gap);
  }
  return written;
}

void leave_evidence(const Host& host, std::string_view source, double evaluation_ms, Outcome& out,
                    const DecideOptions& options) {
  audit::AuditWriter* writer = options.audit_writer;
  const std::string home = host.env->get("HOME").value_or("");
  const int64_t now = host.now_ns();
  const engine::Config* config = out.engine != nullptr ? &out.engine->config() : nullptr;
  if (out.decision && out.decision->identity.origin == "unresolved" && out.event) {
    out.decision->identity = identity_without_git(host, *config, *out.event, out.project);
  }
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
  // The branch of the project the call ran in: not the server's own project, where the
  // receipts of a developer's call go but which says nothing about the developer's checkout.
  if (out.project && out.event && out.event->cwd && inside(*out.event->cwd, *out.project)) {
    facts.branch = audit::git_branch(host, *out.project);
  }
  facts.hostname = hostname();
  facts.api_key_name = options.api_key_name;

  // The receipt first: the record carries its id and log index.
  std::vector<std::string> failures;
  if (out.project && (config == nullptr || config->receipts_enabled)) {
    Result<audit::Issued> issued =
        audit::issue_receipt(host, home, *out.project, receipt_facts(out, facts, evaluation_ms),
                             {config != nullptr && config->audit_durable, options.signing_key});
    if (issued) {
      facts.receipt_id = issued->receipt_id;
      out.receipt_id = issued->receipt_id;
      facts.log_index = issued->log_index;
      if (issued->kept_checkpoint) {
        if (auto failed = export_checkpoint(config, *issued->kept_checkpoint, now)) {
          failures.push_back(*failed);
        }
      }
    } else {
      failures.push_back("the receipt could not be written: " +
                         short_diagnostic(issued.errors().front()));
    }
  }

  audit::LogSettings settings;
  settings.dir = audit_log_folder(host, config, out.project, home);
  if (config != nullptr) {
    settings.max_file_bytes = uint64_t{config->audit_max_file_size_mb} << 20;
    settings.durable = config->audit_durable;
  }
  // The server's writer keeps its file open; it serves only the folder it was opened for.
  if (writer != nullptr && writer->settings().dir != settings.dir) writer = nullptr;
  // Without a writer (a hook) the record goes through a log opened for it.
  std::optional<audit::AuditLog> log;
  if (writer == nullptr) log.emplace(host, settings, home);
  facts.gap = writer != nullptr ? writer->claim_gap(now) : log->claim_gap();
  std::string record = audit::audit_record(facts);
  // Sent before the record is handed on (the server's queue takes it); reported after.
  const std::optional<std::string> export_failure = export_record(config, facts, record, out);
  const bool required = config != nullptr && config->audit_required;
  const bool queued =
      writer != nullptr && options.queue_record && !required &&
      options.queue_record(std::move(record), now, facts.gap ? &*facts.gap : nullptr);
  if (!queued) {
    const IoStatus written =
        writer != nullptr ? writer->append(record, now) : log->append(record, now);
    if (!written.ok()) {
      // The next record that is written carries the gap.
      const audit::Gap gap = audit::missed_records(facts.gap, 1, now, written.error);
      if (writer != nullptr) {
        writer->note_missed(gap);
      } else {
        log->note_missed(gap);
      }
      failures.push_back("the audit record could not be written: " + written.error);
    }
  }
  if (export_failure) failures.push_back(*export_failure);

  // The decision stands unless `[audit] required` says evidence is a condition of the call. The
  // receipt and the record still say what the engine decided: the trail may show a call allowed
  // that was denied for want of evidence, never one denied that was allowed.
  for (const std::string& failure : failures) out.human += "vectimus: " + failure + "\n";
  if (!failures.empty() && config != nullptr && config->audit_required &&
      out.verdict != engine::Verdict::deny) {
    out.verdict = engine::Verdict::deny;
    out.reason =
        "vectimus: `[audit] required` is set and " + failures.front() + ", so the call is denied";
  }
  if (out.verdict != engine::Verdict::allow && facts.receipt_id) {
    out.reason += " (receipt " + *facts.receipt_id + ")";
  }
}

}  // namespace vectimus::pipeline
