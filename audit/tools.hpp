// What `vectimus receipts` does with a project's log: list, find, prune receipt files, write
// C2SP tlog-proofs, and check one (with `verify --proof`), and assemble an auditor's bundle.
//
// Pruning removes receipt files only: their leaf hashes stay in log/entries, and each pruned id
// is recorded in log/pruned first, so the log still verifies and `verify --log` does not call a
// pruned receipt deleted. A proof is the receipt's inclusion proof under the current signed
// head; with the receipt and the public key it is checked offline.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/keys.hpp"
#include "audit/receipt_log.hpp"
#include "support/host.hpp"

namespace vectimus::audit {

struct ListedReceipt {
  uint64_t index = 0;
  std::string receipt_id, day, path;
  bool present = false;  // the file exists (else it was pruned or lost)
};

Result<std::vector<ListedReceipt>> list_receipts(const Host& host, const LogPaths& paths);
// The log record for `receipt_id`.
Result<ListedReceipt> find_receipt(const Host& host, const LogPaths& paths,
                                   const std::string& receipt_id);

// Removes the receipt files of days before `before_day` (YYYY-MM-DD; empty: every day).
// Returns how many were removed.
Result<uint64_t> prune_receipts(const Host& host, const LogPaths& paths,
                                const std::string& before_day);

// A C2SP tlog-proof (`c2sp.org/tlog-proof@v1`) for `receipt_id` under the signed head.
Result<std::string> prove_receipt(const Host& host, const LogPaths& paths,
                                  const std::string& receipt_id);

// Checks that `receipt_text` (a valid receipt of ours) is in the log `proof_text` names: the
// checkpoint is signed by one of `keys` under the receipt's origin, and the inclusion proof binds
// the receipt's leaf at its index to the checkpoint's root. Returns the checkpoint's size.
Result<uint64_t> check_proof(const std::string& receipt_text, const std::string& proof_text,
                             const std::vector<PublicKey>& keys);

// Writes an auditor's bundle into the new folder `out`: receipts/ (day folders and log/), keys/,
// checkpoint (the signed head), proofs/<id>.tlog-proof, README.md. Returns the receipt count.
Result<uint64_t> write_bundle(const Host& host, const std::string& project_root,
                              const std::string& out);

}  // namespace vectimus::audit
