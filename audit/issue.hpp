// The one call the pipeline makes per decision: sign a receipt and append it to the project's
// log. Everything else in audit/ (keys, canonical JSON, the Merkle log, verification) sits
// behind it.
//
// issue_receipt() loads (or, on first need, makes) the user's key in `<home>/.vectimus/keys/`,
// publishes its public half into `<project>/.vectimus/keys/`, and appends the receipt under the
// log's lock (audit/log.hpp). No exception leaves it: a read-only folder, a full disk or a
// broken key is a Diagnostic naming the file and the system's reason; the caller decides
// whether the decision stands.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "audit/crypto.hpp"  // sha256_hex, for the policy set hash
#include "audit/keys.hpp"
#include "audit/receipt.hpp"
#include "support/host.hpp"
#include "support/result.hpp"

namespace vectimus::audit {

struct Issued {
  std::string receipt_id;  // vtms-<uuid4>: cite it in the deny reason
  uint64_t log_index = 0;
  std::string path;  // the receipt file
  // The signed checkpoint this append kept for good (every 100th), for a copy elsewhere.
  std::optional<std::string> kept_checkpoint;
};

struct IssueOptions {
  bool durable = true;  // fsync the receipt file, the log record and the log head
  // A key the caller loaded once (the server signs thousands of receipts with one key); null:
  // the user's key is read (or made) for this receipt.
  const SigningKey* key = nullptr;
};

Result<Issued> issue_receipt(const Host& host, const std::string& home,
                             const std::string& project_root, const ReceiptFacts& facts,
                             const IssueOptions& options = {});

}  // namespace vectimus::audit
