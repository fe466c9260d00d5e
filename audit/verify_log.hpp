// `vectimus verify --log`: checks a project's whole receipt log and names each problem.
//
// Inputs are the receipts folder (day folders + log/), the public keys beside it
// (`<dir>/../keys/*.pub`) and in the home, and optionally checkpoints kept elsewhere (a copy
// sent to syslog, an auditor's earlier bundle). Every receipt file's signature is checked; every
// log record is matched with its receipt file (by id, leaf hash and claimed index); the tree is
// rebuilt from the records and each kept, head and given checkpoint is checked for its
// signature and for its root at its size (which also proves consistency between them).
//
// Problem kinds: edited (a receipt's bytes or a record changed), deleted (a receipt file or a
// kept checkpoint gone, not pruned), reordered (a record sits at another index than its receipt
// claims), inserted (a receipt or record that the signed log does not hold), truncated (the log
// holds fewer leaves than a signed checkpoint covers), forked (a signed checkpoint of this
// origin whose root the log's leaves do not give), damaged (unreadable log files). An append cut
// short by a killed process is reported apart, as `interrupted`: the next append repairs it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support/host.hpp"

namespace vectimus::audit {

struct LogProblem {
  std::string kind;
  std::string receipt_id;  // empty when the problem is not one receipt's
  std::optional<uint64_t> index;
  std::string detail;
};

struct LogReport {
  std::string origin;
  uint64_t size = 0;  // leaves under the signed head
  uint64_t receipts_checked = 0;
  uint64_t pruned = 0;
  uint64_t checkpoints_checked = 0;
  std::vector<LogProblem> problems;
  std::optional<LogProblem> interrupted;
  bool ok() const { return problems.empty(); }
};

struct VerifyLogOptions {
  std::string home;                            // for `~/.vectimus/keys`
  std::vector<std::string> extra_checkpoints;  // signed checkpoint texts kept elsewhere
};

LogReport verify_log(const Host& host, const std::string& receipts_dir,
                     const VerifyLogOptions& options);

// `edited: receipt vtms-… at index 3: …`
std::string render_problem(const LogProblem& problem);

}  // namespace vectimus::audit
