// Receipts: issued and verified, every INVALID reason, and a receipt of the other tool
// (spec 1.0: Python-canonical bytes, signature over their SHA-256, raw-base64 key files).
#include <catch2/catch.hpp>

#include "audit/crypto.hpp"
#include "audit/issue.hpp"
#include "audit/receipt_log.hpp"
#include "tests/audit/audit_fixture.hpp"

using namespace vectimus;
using namespace vectimus::audit;

namespace {

ReceiptCheck check_file(const testing::AuditProject& p, const std::string& path) {
  FileRead r = p.th.host.fs->read(path, 1 << 20);
  REQUIRE(r.status == FileRead::Status::ok);
  Result<JsonValue> json = parse_json(r.text);
  REQUIRE(json.ok());
  return check_receipt(
      *json, [&](const std::string& id) { return find_public_key(p.th.host, id, "", p.home()); });
}

JsonValue read_json(const std::string& path) {
  FileRead r = real_file_system().read(path, 1 << 20);
  return *parse_json(r.text);
}

void write_json(const std::string& path, const JsonValue& v) {
  REQUIRE(real_file_system().replace(path, pretty_json(v, Canon::jcs), 0644).ok());
}

}  // namespace

TEST_CASE("An issued receipt has the other tool's fields, its log place, and verifies",
          "[audit][receipt]") {
  testing::AuditProject p;
  const Result<Issued> issued = p.issue("rm -rf /");
  REQUIRE(issued.ok());
  CHECK(issued->receipt_id.rfind("vtms-", 0) == 0);
  CHECK(issued->receipt_id.size() == 41);
  CHECK(issued->log_index == 0);
  CHECK(issued->path ==
        p.project() + "/.vectimus/receipts/2026-01-01/" + issued->receipt_id + ".json");
  const JsonValue r = read_json(issued->path);
  CHECK(r.string_at("spec_version") == "2.0");
  CHECK(r.string_at("timestamp") == "2026-01-01T00:00:00.123456Z");
  CHECK(r.find("action")->string_at("command_summary") == "rm -rf /");
  CHECK(r.find("action")->string_at("context_hash").substr(0, 7) == "sha256:");
  CHECK(r.find("decision")->string_at("outcome") == "DENY");
  CHECK(r.find("policy")->string_at("matched_policy_id") == "no-rm");
  CHECK(r.find("log")->find("index")->text == "0");
  CHECK(r.find("signature")->string_at("value").substr(0, 7) == "base64:");
  const ReceiptCheck check = check_file(p, issued->path);
  CHECK(check.valid);
  CHECK(check.problem.empty());
  CHECK(check.outcome == "DENY");
  CHECK(p.issue("ls")->log_index == 1);
  // The .gitignore line is added once.
  FileRead gi = real_file_system().read(p.project() + "/.gitignore", 4096);
  CHECK(gi.text == ".vectimus/receipts/\n");
}

TEST_CASE("Every INVALID reason of verify", "[audit][receipt]") {
  testing::AuditProject p;
  const std::string path = p.issue("ls")->path;
  const JsonValue good = read_json(path);
  auto problem_with = [&](const std::function<void(JsonValue&)>& edit) {
    JsonValue v = good;
    edit(v);
    write_json(path, v);
    return check_file(p, path).problem;
  };
  CHECK(problem_with([](JsonValue& v) {
          v.find("decision")->set("outcome", JsonValue::string_value("ALLOW"));
        }).rfind("fingerprint mismatch (expected ", 0) == 0);
  CHECK(problem_with([](JsonValue& v) { v.erase("signature"); }) == "no signature block");
  CHECK(problem_with([](JsonValue& v) {
          v.find("signature")->set("algorithm", JsonValue::string_value("RSA"));
        }) == "unsupported algorithm `RSA`");
  CHECK(problem_with([](JsonValue& v) {
          v.find("signature")->set("value", JsonValue::string_value("AAAA"));
        }) == "signature value must start with `base64:`");
  CHECK(problem_with([](JsonValue& v) {
          v.find("signature")->set("value", JsonValue::string_value("base64:!!"));
        }) == "invalid base64 in the signature value");
  CHECK(problem_with([](JsonValue& v) {
          v.find("signature")->set("public_key_id", JsonValue::string_value("vtms-key-000000"));
        }) == "public key `vtms-key-000000` not found");
  CHECK(problem_with([](JsonValue& v) {
          v.find("signature")
              ->set("value",
                    JsonValue::string_value("base64:" + base64_encode(std::string(64, 'x'))));
        }) == "signature verification failed");
  CHECK(problem_with([](JsonValue&) {}).empty());
}

TEST_CASE("A spec 1.0 receipt of the other tool, with its key files, verifies",
          "[audit][receipt]") {
  testing::AuditProject p;
  const Result<Ed25519Key> key = ed25519_generate();
  REQUIRE(key.ok());
  const std::string id = "vtms-key-abc123";  // the other tool names its keys its own way
  p.tree.write("home/.vectimus/keys/" + id + ".key", legacy_private_key_pem(*key));
  p.tree.write("home/.vectimus/keys/" + id + ".pub", legacy_public_key_pem(key->public_key));
  // What the Python tool wrote: floats as repr (3.0), keys sorted, UTF-8 unescaped.
  const std::string body =
      R"({"action":{"command_summary":"git push --force \u00e9","context_hash":"sha256:)" +
      std::string(64, 'a') +
      R"(","normalised_tool":"shell_command","tool":"Bash"},)"
      R"("decision":{"evaluation_time_ms":3.0,"outcome":"DENY","reason":"Force push blocked"},)"
      R"("fingerprint":"","policy":{"matched_policy_id":"vectimus-base-012","policy_pack_version":"1.2.0",)"
      R"("policy_set_hash":"sha256:)" +
      std::string(64, 'b') +
      R"("},"principal":{"id":"dev@example.com","type":"developer"},)"
      R"("receipt_id":"vtms-6f0c2d7e-3c1b-4d55-9c1e-7d2a0e1b9f00","spec_version":"1.0","timestamp":"2026-01-01T00:00:00Z"})";
  JsonValue r = *parse_json(body);
  const std::string python_bytes = canonical_json(r, Canon::python);
  CHECK(python_bytes.find("\"evaluation_time_ms\":3.0,") != std::string::npos);
  CHECK(python_bytes.find("\xc3\xa9") != std::string::npos);
  r.set("fingerprint", JsonValue::string_value(sha256_hex(python_bytes).substr(0, 16)));
  const Result<std::string> sig = ed25519_sign(*key, sha256(canonical_json(r, Canon::python)));
  REQUIRE(sig.ok());
  JsonValue& s = r.set("signature", JsonValue::object_value());
  s.set("algorithm", JsonValue::string_value("Ed25519"));
  s.set("public_key_id", JsonValue::string_value(id));
  s.set("value", JsonValue::string_value("base64:" + base64_encode(*sig)));
  const std::string file = p.tree.write("old.json", pretty_json(r, Canon::python));
  const ReceiptCheck check = check_file(p, file);
  CHECK(check.problem.empty());
  CHECK(check.valid);
  CHECK(check.signer == id);
  // The same receipt read as JCS (3.0 written as 3) would not verify: the flavour matters.
  CHECK(canonical_json(r, Canon::jcs).find("\"evaluation_time_ms\":3,") != std::string::npos);
}

TEST_CASE("Errors are values naming the place: a read-only project, a broken key",
          "[audit][receipt]") {
  testing::AuditProject p;
  REQUIRE(p.issue("ls").ok());
  p.tree.write("home/.vectimus/keys/vtms-key-000000.key",
               "-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----\n");
  const Result<Issued> broken = p.issue("ls");
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.errors()[0].message.find("vtms-key-000000.key") != std::string::npos);
  std::filesystem::remove(p.tree.path("home/.vectimus/keys/vtms-key-000000.key"));
  if (::geteuid() != 0) {  // root writes anywhere
    std::filesystem::permissions(
        p.project() + "/.vectimus/receipts/log",
        std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    const Result<Issued> ro = p.issue("ls");
    REQUIRE_FALSE(ro.ok());
    CHECK(ro.errors()[0].message.find(".vectimus/receipts/log") != std::string::npos);
    std::filesystem::permissions(p.project() + "/.vectimus/receipts/log",
                                 std::filesystem::perms::owner_all);
  }
}
