// The witness (audit/witness.hpp) over a real project log: the first checkpoint pins the log's
// key, later ones are cosigned only with a consistency proof from the size it holds, and a
// rolled-back, forked, unsigned or unknown log is refused with the tlog-witness status codes.
#include <catch2/catch.hpp>

#include "audit/crypto.hpp"
#include "audit/merkle.hpp"
#include "audit/receipt_log.hpp"
#include "audit/witness.hpp"
#include "tests/audit/audit_fixture.hpp"

using namespace vectimus;
using namespace vectimus::audit;

namespace {

constexpr uint64_t kNow = 1'767'225'600;

struct WitnessFixture {
  testing::AuditProject project;
  SigningKey witness_key = *load_or_create_signing_key(project.th.host, project.tree.mkdir("w"));
  WitnessSettings settings{"vectimus.witness/test", project.tree.path("w/state"), {}, true};
  Witness witness{project.th.host, settings, witness_key};

  void issue(int n) {
    for (int i = 0; i < n; ++i) REQUIRE(project.issue("echo " + std::to_string(i), false));
  }
  LogState state() const { return **read_log_state(project.th.host, LogPaths(project.receipts())); }
  std::string log_vkey() const {
    const SigningKey key = *load_or_create_signing_key(project.th.host, project.home());
    return note_vkey(state().origin, key.key.public_key);
  }
  std::string request(uint64_t old_size) const {
    Result<WitnessRequest> r = witness_request_for(project.th.host, project.receipts(), old_size);
    REQUIRE(r);
    return format_witness_request(*r);
  }
  // A checkpoint of this log's origin, signed with its own key, over a root of our choosing.
  std::string forged(uint64_t size, const std::string& root) const {
    const SigningKey key = *load_or_create_signing_key(project.th.host, project.home());
    const std::string origin = state().origin;
    return *sign_note(checkpoint_text({origin, size, root}), origin, key.key);
  }
};

}  // namespace

TEST_CASE("the witness cosigns a log's first checkpoint and pins its key", "[audit][witness]") {
  WitnessFixture f;
  f.issue(3);
  const std::string vkey = f.log_vkey();
  // The request names the key that signed the head: the project's published key.
  CHECK(witness_request_for(f.project.th.host, f.project.receipts(), 0)->log_key == vkey);
  // Without the key, an unknown log is refused.
  CHECK(f.witness.add_checkpoint(f.request(0), std::nullopt, kNow).status == 404);

  const WitnessAnswer first = f.witness.add_checkpoint(f.request(0), vkey, kNow);
  REQUIRE(first.status == 200);
  CHECK(first.note.find("pinned the key of new log") != std::string::npos);
  CHECK_FALSE(first.suspicious);
  // The cosignature verifies as C2SP cosignature/v1 over the checkpoint, with its time.
  Result<SignedNote> cosigned = parse_note(f.state().checkpoint + first.body);
  REQUIRE(cosigned);
  const VerifierKey witness_key{"vectimus.witness/test", f.witness_key.key.public_key};
  CHECK(verify_cosignature(*cosigned, witness_key.name, witness_key.public_key) == kNow);
  CHECK_FALSE(verify_cosignature(*cosigned, witness_key.name, std::string(32, 'x')));
  CHECK(f.witness.vkey().find("vectimus.witness/test+") == 0);

  // The same head again is cosigned again (nothing new), without a proof.
  CHECK(f.witness.add_checkpoint(f.request(3), std::nullopt, kNow).status == 200);
}

TEST_CASE("the witness asks for the size it holds, then checks the consistency proof",
          "[audit][witness]") {
  WitnessFixture f;
  f.issue(3);
  REQUIRE(f.witness.add_checkpoint(f.request(0), f.log_vkey(), kNow).status == 200);
  f.issue(4);
  const WitnessAnswer stale = f.witness.add_checkpoint(f.request(0), std::nullopt, kNow);
  CHECK(stale.status == 409);
  CHECK(stale.content_type == "text/x.tlog.size");
  CHECK(stale.body == "3\n");
  CHECK_FALSE(stale.suspicious);
  const WitnessAnswer grown = f.witness.add_checkpoint(f.request(3), std::nullopt, kNow);
  CHECK(grown.status == 200);
  CHECK(grown.note.empty());

  // A new witness on the same folder holds the same state.
  Witness again(f.project.th.host, f.settings, f.witness_key);
  CHECK(again.add_checkpoint(f.request(7), std::nullopt, kNow).status == 200);
}

TEST_CASE("the witness refuses a rolled-back log", "[audit][witness]") {
  WitnessFixture f;
  f.issue(2);
  const std::string small = f.request(0);
  REQUIRE(f.witness.add_checkpoint(small, f.log_vkey(), kNow).status == 200);
  f.issue(3);
  REQUIRE(f.witness.add_checkpoint(f.request(2), std::nullopt, kNow).status == 200);
  // The size-2 head shown again after size 5 was cosigned: a rollback, whatever old size it says.
  const WitnessAnswer back = f.witness.add_checkpoint(small, std::nullopt, kNow);
  CHECK(back.status == 409);
  CHECK(back.body == "5\n");
  CHECK(back.suspicious);
  CHECK(back.note.find("refused a rollback") != std::string::npos);
  WitnessRequest claimed = *parse_witness_request(small);
  claimed.old_size = 5;
  const WitnessAnswer back2 =
      f.witness.add_checkpoint(format_witness_request(claimed), std::nullopt, kNow);
  CHECK(back2.status == 400);
  CHECK(back2.suspicious);
}

TEST_CASE("the witness refuses a forked log", "[audit][witness]") {
  WitnessFixture f;
  f.issue(3);
  REQUIRE(f.witness.add_checkpoint(f.request(0), f.log_vkey(), kNow).status == 200);
  const std::string other_root = sha256("another history");
  // Another root for the size it holds.
  WitnessRequest same_size{3, {}, f.forged(3, other_root)};
  const WitnessAnswer fork1 =
      f.witness.add_checkpoint(format_witness_request(same_size), std::nullopt, kNow);
  CHECK(fork1.status == 409);
  CHECK(fork1.suspicious);
  CHECK(fork1.note.find("refused a fork") != std::string::npos);
  // A larger head whose proof cannot tie it to the size held.
  f.issue(2);
  WitnessRequest honest = *witness_request_for(f.project.th.host, f.project.receipts(), 3);
  WitnessRequest larger{3, honest.proof, f.forged(5, other_root)};
  const WitnessAnswer fork2 =
      f.witness.add_checkpoint(format_witness_request(larger), std::nullopt, kNow);
  CHECK(fork2.status == 422);
  CHECK(fork2.suspicious);
  // The honest head still extends what the witness holds.
  CHECK(f.witness.add_checkpoint(format_witness_request(honest), std::nullopt, kNow).status == 200);
}

TEST_CASE("the witness refuses checkpoints not signed by the log's key, and bad requests",
          "[audit][witness]") {
  WitnessFixture f;
  f.issue(1);
  REQUIRE(f.witness.add_checkpoint(f.request(0), f.log_vkey(), kNow).status == 200);
  const std::string origin = f.state().origin;
  Ed25519Key stranger = *ed25519_generate();
  WitnessRequest foreign{
      1, {}, *sign_note(checkpoint_text({origin, 1, sha256("x")}), origin, stranger)};
  // A new key offered for a pinned log does not replace the pinned one.
  CHECK(f.witness
            .add_checkpoint(format_witness_request(foreign), note_vkey(origin, stranger.public_key),
                            kNow)
            .status == 403);
  CHECK(f.witness.add_checkpoint("nonsense", std::nullopt, kNow).status == 400);
  CHECK(f.witness.add_checkpoint("old 01\n\n" + f.state().checkpoint, std::nullopt, kNow).status ==
        400);
  CHECK(f.witness.add_checkpoint("old 1\nnot-base64\n\n" + f.state().checkpoint, std::nullopt, kNow)
            .status == 400);
  CHECK(parse_vkey(note_vkey("a/b", std::string(32, 'k'))));
  CHECK_FALSE(parse_vkey("a/b+00000000+" + base64_encode("\x01" + std::string(32, 'k'))));
}
