// The bundle format: what make_bundle writes verifies, and each way a bundle can be wrong is
// refused with its own error code before anything is installed.
#include "tests/bundle/fixture.hpp"

using namespace vectimus;
using namespace vectimus::testing;

namespace {

audit::JsonValue& files_of(audit::JsonValue& doc) {
  return *doc.find("files");
}
audit::JsonValue& manifest_files(audit::JsonValue& doc) {
  return *doc.find("manifest")->find("files");
}

}  // namespace

TEST_CASE("bundle: a made bundle verifies, with its packs, files and hashes") {
  BundleFixture f;
  const std::string bytes = f.make("2.0.0");
  auto b = bundle::verify_bundle(bytes, f.trusted());
  REQUIRE(b);
  CHECK(b->version == "2.0.0");
  CHECK(b->signer == f.key.id);
  REQUIRE(b->packs.size() == 1);
  CHECK(b->packs[0].name == "team");
  CHECK(b->packs[0].version == "1.0.0");
  REQUIRE(b->files.size() == 2);
  CHECK(b->files[0].path == "team/pack.toml");
  CHECK(b->files[1].path == "team/rules.cedar");
  CHECK(b->files[1].content == kTeamRule);
  CHECK(b->files[1].sha256 == audit::sha256_hex(kTeamRule));
  CHECK(b->digest.size() == 64);
}

TEST_CASE("bundle: without --version the version is the signing time") {
  BundleFixture f;
  auto b = bundle::verify_bundle(f.make(""), f.trusted());
  REQUIRE(b);
  CHECK(b->version == "2026-01-01T00:00:00.000000+00:00");
  CHECK(b->created == b->version);
}

TEST_CASE("bundle: a key that is not trusted is refused") {
  BundleFixture f;
  const std::vector<audit::PublicKey> others{{f.other.key.public_key, f.other.id, "o.pub"}};
  auto b = bundle::verify_bundle(f.make("1"), others);
  REQUIRE(!b);
  CHECK(error_code(b.errors()) == "untrusted-key");
  CHECK(b.errors()[0].message.find(f.key.id) != std::string::npos);
}

TEST_CASE("bundle: a bad signature is refused") {
  BundleFixture f;
  const std::string bytes = f.make("1");
  SECTION("the manifest changed after signing") {
    audit::JsonValue doc = audit::parse_json(bytes).value();
    doc.find("manifest")->set("version", audit::JsonValue::string_value("9"));
    auto b = bundle::verify_bundle(audit::pretty_json(doc, audit::Canon::jcs), f.trusted());
    REQUIRE(!b);
    CHECK(error_code(b.errors()) == "signature");
  }
  SECTION("signed by another key claiming the trusted key's id") {
    audit::SigningKey impostor{f.other.key, f.key.id};
    const std::string forged = forge(bytes, impostor, [](audit::JsonValue&) {});
    auto b = bundle::verify_bundle(forged, f.trusted());
    REQUIRE(!b);
    CHECK(error_code(b.errors()) == "signature");
  }
}

TEST_CASE("bundle: a changed, missing or extra file is refused") {
  BundleFixture f;
  const std::string bytes = f.make("1");
  audit::JsonValue doc = audit::parse_json(bytes).value();
  SECTION("changed content") {
    files_of(doc).items[1].set(
        "content", audit::JsonValue::string_value("permit(principal, action, resource);"));
  }
  SECTION("missing") {
    files_of(doc).items.pop_back();
  }
  SECTION("extra") {
    audit::JsonValue extra = audit::JsonValue::object_value();
    extra.set("path", audit::JsonValue::string_value("team/more.cedar"));
    extra.set("content", audit::JsonValue::string_value(""));
    files_of(doc).items.push_back(extra);
  }
  auto b = bundle::verify_bundle(audit::pretty_json(doc, audit::Canon::jcs), f.trusted());
  REQUIRE(!b);
  CHECK(error_code(b.errors()) == "hash");
}

TEST_CASE("bundle: a signed path outside <pack>/<file> is refused") {
  BundleFixture f;
  const std::string bad = GENERATE(
      std::string("../evil.cedar"), std::string("/etc/x.cedar"), std::string("team/../../x.cedar"),
      std::string("team/sub/x.cedar"), std::string(".hidden/x.cedar"), std::string("team/run.sh"));
  const std::string forged = forge(f.make("1"), f.key, [&](audit::JsonValue& doc) {
    manifest_files(doc).items[1].set("path", audit::JsonValue::string_value(bad));
    files_of(doc).items[1].set("path", audit::JsonValue::string_value(bad));
  });
  auto b = bundle::verify_bundle(forged, f.trusted());
  REQUIRE(!b);
  CHECK(error_code(b.errors()) == "path");
}

TEST_CASE("bundle: not a bundle, or another format, is refused") {
  BundleFixture f;
  CHECK(error_code(bundle::verify_bundle("not json", f.trusted()).errors()) == "format");
  CHECK(error_code(bundle::verify_bundle("{}", f.trusted()).errors()) == "format");
  const std::string v2 = forge(f.make("1"), f.key, [](audit::JsonValue& doc) {
    doc.find("manifest")->set("format", audit::JsonValue::string_value("vectimus-bundle/2"));
  });
  CHECK(error_code(bundle::verify_bundle(v2, f.trusted()).errors()) == "format");
}

TEST_CASE("bundle: a folder without pack.toml is not bundled") {
  BundleFixture f;
  f.t.write("bare/rules.cedar", kTeamRule);
  auto made = bundle::make_bundle(f.th.host, {f.t.path("bare")}, "1", f.key, f.th.clock_ns);
  REQUIRE(!made);
  CHECK(error_code(made.errors()) == "pack");
}

TEST_CASE("bundle: versions compare as sort -V does") {
  CHECK(bundle::compare_versions("1.10", "1.9") > 0);
  CHECK(bundle::compare_versions("1.0", "1.0") == 0);
  CHECK(bundle::compare_versions("1.0", "1.0.1") < 0);
  CHECK(bundle::compare_versions("2.0.0", "10.0.0") < 0);
  CHECK(bundle::compare_versions("1.02", "1.2") == 0);
  CHECK(bundle::compare_versions("2026-12-06T04:31:09.000001+00:00",
                                 "2026-12-06T04:31:09.000000+00:00") > 0);
  CHECK(bundle::compare_versions("2027-01-01T00:00:00.000000+00:00",
                                 "2026-12-31T23:59:59.999999+00:00") > 0);
}
