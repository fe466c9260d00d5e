// Ed25519 through OpenSSL, base64, PEM in both formats, keys on disk (made once, modes).
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "audit/crypto.hpp"
#include "audit/keys.hpp"
#include "audit/note.hpp"
#include "tests/support/test_host.hpp"

using namespace vectimus;
using namespace vectimus::audit;

namespace {

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

std::string unhex(const std::string& h) {
  std::string out;
  for (std::size_t i = 0; i < h.size(); i += 2)
    out += static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16));
  return out;
}

}  // namespace

TEST_CASE("base64 round trips and rejects what is not standard base64", "[audit][crypto]") {
  for (const std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    std::string back;
    CHECK(base64_decode(base64_encode(s), back));
    CHECK(back == s);
  }
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  std::string out;
  CHECK_FALSE(base64_decode("Zm9vYmF", out));
  CHECK_FALSE(base64_decode("Zm9v YmFy", out));
  CHECK_FALSE(base64_decode("Zg==Zg==", out));
  CHECK_FALSE(base64_decode("Zm9-YmFy", out));
}

TEST_CASE("Ed25519: RFC 8032 test 1, sign and verify", "[audit][crypto]") {
  const Result<Ed25519Key> key =
      ed25519_from_seed(unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  REQUIRE(key.ok());
  CHECK(hex(key->public_key) == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const Result<std::string> sig = ed25519_sign(*key, "");
  REQUIRE(sig.ok());
  CHECK(hex(*sig) ==
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701c"
        "f9b46b"
        "d25bf5f0595bbe24655141438e7a100b");
  CHECK(ed25519_verify(key->public_key, "", *sig));
  CHECK_FALSE(ed25519_verify(key->public_key, "x", *sig));
}

TEST_CASE("Keys in PEM: PKCS#8 and SPKI, and the other tool's raw format", "[audit][crypto]") {
  const Result<Ed25519Key> key = ed25519_generate();
  REQUIRE(key.ok());
  const std::string pkcs8 = private_key_pem(*key);
  CHECK(pkcs8.rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
  // The public half follows in the same file, and is what the read key signs with.
  CHECK(pkcs8.find("-----BEGIN PUBLIC KEY-----") != std::string::npos);
  const Result<Ed25519Key> read = read_private_key_pem(pkcs8);
  REQUIRE(read.ok());
  CHECK(read->seed == key->seed);
  CHECK(read->public_key == key->public_key);
  CHECK(ed25519_verify(key->public_key, "m", *ed25519_sign(*read, "m")));
  // Without it (a key file written before, or by `openssl genpkey`), the public key is derived.
  const std::string private_only = pkcs8.substr(0, pkcs8.find("-----BEGIN PUBLIC KEY-----"));
  CHECK(read_private_key_pem(private_only)->public_key == key->public_key);
  const std::string spki = public_key_pem(key->public_key);
  CHECK(spki.rfind("-----BEGIN PUBLIC KEY-----", 0) == 0);
  CHECK(*read_public_key_pem(spki) == key->public_key);
  CHECK(read_private_key_pem(legacy_private_key_pem(*key))->public_key == key->public_key);
  CHECK(*read_public_key_pem(legacy_public_key_pem(key->public_key)) == key->public_key);
  CHECK_FALSE(read_private_key_pem(
                  "-----BEGIN ED25519 PRIVATE KEY-----\nAAAA\n-----END ED25519 PRIVATE KEY-----\n")
                  .ok());
  CHECK_FALSE(read_private_key_pem("garbage").ok());
}

TEST_CASE("The signing key is made once, 0600 in a 0700 folder, and published", "[audit][crypto]") {
  testing::TempTree tree;
  testing::TestHost th(tree.mkdir("project"), tree.mkdir("home"));
  const Result<SigningKey> first = load_or_create_signing_key(th.host, tree.path("home"));
  REQUIRE(first.ok());
  CHECK(first->id.rfind("vtms-key-", 0) == 0);
  CHECK(first->id.size() == 15);
  const std::string dir = home_keys_dir(tree.path("home"));
  CHECK(mode_of(dir) == 0700);
  CHECK(mode_of(join_path(dir, first->id + ".key")) == 0600);
  const Result<SigningKey> second = load_or_create_signing_key(th.host, tree.path("home"));
  REQUIRE(second.ok());
  CHECK(second->id == first->id);
  CHECK(publish_public_key(th.host, tree.path("project"), *first).ok());
  CHECK(find_public_key(th.host, first->id, "", "")->raw == first->key.public_key);

  tree.write("home/.vectimus/keys/" + first->id + ".key", "-----BEGIN PRIVATE KEY-----\nbroken\n");
  const Result<SigningKey> broken = load_or_create_signing_key(th.host, tree.path("home"));
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.errors()[0].message.find("is broken") != std::string::npos);
}

TEST_CASE("Signed notes: C2SP example vkey, sign and verify", "[audit][crypto]") {
  // signed-note.md: example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k
  std::string raw;
  REQUIRE(base64_decode("AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", raw));
  CHECK(note_key_hash("example.com/foo", raw.substr(1)) == 0x530d903a);
  CHECK(note_vkey("example.com/foo", raw.substr(1)) ==
        "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
  const Result<SignedNote> example = parse_note(
      "This is an example message.\n\n\xe2\x80\x94 example.com/foo "
      "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM="
      "\n");
  REQUIRE(example.ok());
  CHECK(verify_note(*example, "example.com/foo", {PublicKey{raw.substr(1), "k", ""}}).ok());

  const Result<Ed25519Key> key = ed25519_generate();
  REQUIRE(key.ok());
  const Checkpoint cp{"vectimus.local/p/00", 3, std::string(32, 'x')};
  const Result<std::string> note = sign_note(checkpoint_text(cp), cp.origin, *key);
  REQUIRE(note.ok());
  const Result<SignedNote> parsed = parse_note(*note);
  REQUIRE(parsed.ok());
  CHECK(parse_checkpoint(parsed->text)->size == 3);
  CHECK(verify_note(*parsed, cp.origin, {PublicKey{key->public_key, "k", ""}}).ok());
  std::string forged = *note;
  forged[forged.find("\n3\n") + 1] = '4';
  CHECK_FALSE(
      verify_note(*parse_note(forged), cp.origin, {PublicKey{key->public_key, "k", ""}}).ok());
}
