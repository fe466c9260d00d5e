// What a decision leaves behind: the audit record (audit/log.hpp), written after the decision
// and before the answer, so no answer leaves without its evidence.
//
// Where: `[audit] log_dir` / `[logging] dir` / `VECTIMUS_LOG_DIR` (a relative folder is taken from
// the project root, else the process's folder), default `~/.vectimus/logs`. When the record cannot
// be written the decision stands, `human` (stderr) says why, and the next record that is written
// notes the gap. With `[audit] syslog` a copy of the record goes to that collector too
// (audit/syslog.hpp); a copy that cannot be sent is reported the same way. `[audit] required`
// denies either failure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/config.hpp"

#include "pipeline/decide.hpp"
#include "support/host.hpp"

namespace vectimus::pipeline {

// Writes the record of `outcome`, decided from a payload of `source` in `evaluation_ms`; sets
// outcome.receipt_id. From `options`: the API key's name, the long-lived audit log writer and
// signing key of the server (null for a hook).
void leave_evidence(const Host& host, std::string_view source, double evaluation_ms,
                    Outcome& outcome, const DecideOptions& options = {});

// Appends `record` (one JSON line, e.g. audit::approval_record) to the audit log folder of
// `config` (see audit_log_folder), noting a gap if it cannot. Returns what failed, if anything.
IoStatus append_audit_record(const Host& host, const engine::Config* config,
                             const std::optional<std::string>& project, std::string_view record);

// The audit log folder: `[audit] log_dir`, else `[logging] dir` (the config resolves relative
// ones), else ~/.vectimus/logs. Without a loaded config (`config` null: a payload or pack that
// did not load) the environment's VECTIMUS_LOG_DIR still counts, taken from `project` (else the
// process's folder) when relative.
std::string audit_log_folder(const Host& host, const engine::Config* config,
                             const std::optional<std::string>& project, const std::string& home);

// "sha256:" + SHA-256 of the active policy text: every loaded pack's .cedar files, in load
// order (the receipts' policy_set_hash, and `vectimus --version`). The built-in packs' is
// computed at build time (engine/embed.cmake).
std::string policy_set_hash(const engine::PolicyPacks& packs);

}  // namespace vectimus::pipeline
