// What a decision leaves behind: the audit record (audit/log.hpp), written after the decision
// and before the answer, so no answer leaves without its evidence.
//
// Where: `[log] dir` / `VECTIMUS_LOG_DIR` (a relative folder is taken from the project root,
// else the process's folder), default `~/.vectimus/logs`. When the record cannot be written the
// decision stands, `human` (stderr) says why, and the next record that is written notes the gap.
#pragma once

#include <string_view>

#include "pipeline/decide.hpp"
#include "support/host.hpp"

namespace vectimus::pipeline {

// Writes the record of `outcome`, decided from a payload of `source` in `evaluation_ms`.
void leave_evidence(const Host& host, std::string_view source, double evaluation_ms,
                    Outcome& outcome);

}  // namespace vectimus::pipeline
