#include "audit/issue.hpp"

#include <exception>
#include <optional>

#include "audit/crypto.hpp"
#include "audit/receipt_log.hpp"

namespace vectimus::audit {
namespace {

Result<Issued> issue(const Host& host, const std::string& home, const std::string& project_root,
                     const ReceiptFacts& facts, const IssueOptions& options) {
  if (home.empty()) {
    return make_error("key", "no home folder (HOME is not set), so no place for the signing key");
  }
  if (project_root.empty()) return make_error("io", "no project folder to write the receipt in");
  std::optional<SigningKey> read;
  if (options.key == nullptr) {
    Result<SigningKey> key = load_or_create_signing_key(host, home);
    if (!key) return std::move(key).take_errors();
    read = std::move(key).value();
  }
  const SigningKey& signer = options.key != nullptr ? *options.key : *read;
  if (IoStatus s = publish_public_key(host, project_root, signer); !s.ok()) {
    return make_error("io", "cannot publish the public key into the project: " + s.error);
  }
  Result<std::string> uuid = uuid4();
  if (!uuid) return std::move(uuid).take_errors();
  const std::string receipt_id = "vtms-" + *uuid;
  const std::string day = receipt_day(facts.timestamp_ns);
  auto make = [&](const std::string& origin, uint64_t index) -> Result<BuiltReceipt> {
    Result<JsonValue> receipt = make_receipt(facts, receipt_id, signer, {origin, index});
    if (!receipt) return std::move(receipt).take_errors();
    return BuiltReceipt{pretty_json(*receipt, Canon::jcs), receipt_entry(*receipt)};
  };
  Result<Appended> appended =
      append_to_log(host, project_root, signer, receipt_id, day, make, {options.durable});
  if (!appended) return std::move(appended).take_errors();
  return Issued{receipt_id, appended->index, appended->path, appended->kept_checkpoint};
}

}  // namespace

Result<Issued> issue_receipt(const Host& host, const std::string& home,
                             const std::string& project_root, const ReceiptFacts& facts,
                             const IssueOptions& options) {
  try {
    return issue(host, home, project_root, facts, options);
  } catch (const std::exception& e) {  // bad_alloc and the like: never past the API
    return make_error("internal", std::string("cannot issue a receipt: ") + e.what());
  }
}

}  // namespace vectimus::audit
