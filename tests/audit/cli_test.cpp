// End to end: the real `vectimus verify` and `vectimus receipts`, and the openssl command line
// (Debian's `openssl`) checking one of our receipts' signatures by hand.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "audit/crypto.hpp"
#include "audit/json.hpp"
#include "tests/audit/audit_fixture.hpp"
#include "tests/cli/process.hpp"

using namespace vectimus;
using namespace vectimus::audit;
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void spill(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

testing::ProcessResult run_cli(const testing::AuditProject& p, std::vector<std::string> args) {
  args.insert(args.begin(), VECTIMUS_BINARY);
  return testing::run_process(args, "", {{"HOME=" + p.home(), "PATH=/usr/bin:/bin"}, p.project()});
}

std::string key_file(const testing::AuditProject& p) {
  for (const auto& e : fs::directory_iterator(p.project() + "/.vectimus/keys"))
    return e.path().string();
  return {};
}

}  // namespace

TEST_CASE("verify: VALID with the receipt's lines, INVALID with the reason", "[audit][cli]") {
  testing::AuditProject p;
  const Issued issued = *p.issue("rm -rf /");
  testing::ProcessResult r = run_cli(p, {"verify", issued.path});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("VALID\n", 0) == 0);
  CHECK(r.out.find("Receipt:     " + issued.receipt_id + "\n") != std::string::npos);
  CHECK(r.out.find("Fingerprint: ") != std::string::npos);
  CHECK(r.out.find("Decision:    DENY\n") != std::string::npos);
  CHECK(r.out.find("Signed by:   vtms-key-") != std::string::npos);

  // Without the project's keys folder the home's copy is found; --public-key names one.
  r = run_cli(p, {"verify", issued.path, "--public-key", key_file(p)});
  CHECK(r.exit_code == 0);

  std::string text = slurp(issued.path);
  text.replace(text.find("DENY"), 4, "ALLOW");
  spill(issued.path, text);
  r = run_cli(p, {"verify", issued.path});
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("INVALID: fingerprint mismatch (expected ", 0) == 0);
  CHECK(r.out.find("Receipt: " + issued.receipt_id) != std::string::npos);

  spill(issued.path, "{not json");
  r = run_cli(p, {"verify", issued.path});
  CHECK(r.exit_code == 1);
  CHECK(r.err.rfind("Error reading receipt: ", 0) == 0);
}

TEST_CASE("openssl pkeyutl verifies one of our receipts by hand", "[audit][cli]") {
  if (!fs::exists("/usr/bin/openssl"))
    FAIL("the openssl command line is missing: apt-get install openssl");
  testing::AuditProject p;
  const Issued issued = *p.issue("git push --force");
  JsonValue receipt = *parse_json(slurp(issued.path));
  std::string sig;
  REQUIRE(base64_decode(receipt.find("signature")->string_at("value").substr(7), sig));
  receipt.erase("signature");
  const std::string msg = p.tree.write("msg", canonical_json(receipt, Canon::jcs));
  const std::string sigfile = p.tree.write("sig", sig);
  testing::ProcessResult r =
      testing::run_process({"/usr/bin/openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
                            key_file(p), "-rawin", "-in", msg, "-sigfile", sigfile});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Signature Verified Successfully") != std::string::npos);
  spill(msg, slurp(msg) + " ");
  r = testing::run_process({"/usr/bin/openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
                            key_file(p), "-rawin", "-in", msg, "-sigfile", sigfile});
  CHECK(r.exit_code != 0);
  // And openssl reads our private key file as a standard PKCS#8 Ed25519 key.
  for (const auto& e : fs::directory_iterator(p.home() + "/.vectimus/keys")) {
    if (e.path().extension() != ".key") continue;
    r = testing::run_process(
        {"/usr/bin/openssl", "pkey", "-in", e.path().string(), "-noout", "-text"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("ED25519 Private-Key") != std::string::npos);
  }
}

TEST_CASE("verify --log, receipts list, prove, verify --proof, prune, bundle", "[audit][cli]") {
  testing::AuditProject p;
  std::vector<Issued> issued;
  for (int i = 0; i < 3; ++i) issued.push_back(*p.issue("c" + std::to_string(i)));
  testing::ProcessResult r = run_cli(p, {"verify", "--log"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("VALID\n") != std::string::npos);
  CHECK(r.out.find("Size:        3\n") != std::string::npos);

  r = run_cli(p, {"receipts", "list"});
  CHECK(r.out.find("1\t" + issued[1].receipt_id + "\t2026-01-01\n") != std::string::npos);
  r = run_cli(p, {"receipts", "show", issued[2].receipt_id});
  CHECK(r.out == slurp(issued[2].path));

  const std::string proof = p.tree.path("r.tlog-proof");
  r = run_cli(p, {"receipts", "prove", issued[1].receipt_id, "-o", proof});
  CHECK(r.exit_code == 0);
  r = run_cli(p, {"verify", issued[1].path, "--proof", proof});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("In log:      vectimus.local/project/") != std::string::npos);
  r = run_cli(p, {"verify", issued[0].path, "--proof", proof});
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("INVALID: ", 0) == 0);

  r = run_cli(p, {"receipts", "bundle", p.tree.path("bundle")});
  CHECK(r.exit_code == 0);
  CHECK(fs::exists(p.tree.path("bundle/README.md")));

  fs::remove(issued[1].path);
  r = run_cli(p, {"verify", "--log"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("INVALID: deleted: receipt " + issued[1].receipt_id + " at index 1: ") !=
        std::string::npos);

  r = run_cli(p, {"receipts", "prune", "--all"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("pruned 2 receipt files") != std::string::npos);
  r = run_cli(p, {"receipts", "prune"});
  CHECK(r.exit_code == 1);
}
