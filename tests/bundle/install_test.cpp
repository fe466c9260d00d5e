// Installing: a good bundle lands where the loader finds it (between the built-in and the home
// packs); a bundle refused for any reason leaves every byte of the installed set as it was.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "bundle/install.hpp"
#include "engine/locate.hpp"
#include "tests/bundle/fixture.hpp"

using namespace vectimus;
using namespace vectimus::testing;

namespace {

// Every file under `dir` (path -> content): the installed set, to compare before and after.
std::map<std::string, std::string> snapshot(const std::string& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    out[std::filesystem::relative(e.path(), dir).string()] = s.str();
  }
  return out;
}

Result<bundle::InstallResult> install(const BundleFixture& f, const std::string& bytes) {
  return bundle::install_bundle(f.th.host, f.t.path("home"), bytes, "test", f.trusted());
}

std::vector<engine::Pack> loaded_packs(const BundleFixture& f) {
  const engine::Locations where = engine::locate(f.th.host, f.t.path("work"), std::nullopt);
  return engine::discover_packs(f.th.host, where.packs).value();
}

const engine::Pack* find_pack(const std::vector<engine::Pack>& packs, const std::string& name) {
  for (const auto& p : packs) {
    if (p.manifest.name == name) return &p;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("install: a good bundle is installed and the loader reads its packs") {
  BundleFixture f;
  CHECK(!bundle::read_installed(f.th.host, f.t.path("home")));
  auto r = install(f, f.make("1.0.0"));
  REQUIRE(r);
  CHECK(r->outcome == bundle::InstallOutcome::installed);
  CHECK(!r->before);
  auto now = bundle::read_installed(f.th.host, f.t.path("home"));
  REQUIRE(now);
  CHECK(now->version == "1.0.0");
  CHECK(now->signer == f.key.id);
  CHECK(now->source == "test");
  const auto packs = loaded_packs(f);
  const engine::Pack* team = find_pack(packs, "team");
  REQUIRE(team);
  CHECK(team->location == now->folder + "/team");
  REQUIRE(team->files.size() == 1);
  CHECK(team->files[0]->text == kTeamRule);
}

TEST_CASE("install: the home's own pack replaces the bundle's, the bundle's a built-in") {
  BundleFixture f;
  f.write_pack("secrets", "9.9.9", kTeamRule, "bundled");  // replaces the built-in `secrets`
  REQUIRE(install(f, f.make("1", "bundled")));
  auto packs = loaded_packs(f);
  REQUIRE(find_pack(packs, "secrets"));
  CHECK(find_pack(packs, "secrets")->manifest.version == "9.9.9");
  f.write_pack("secrets", "0.0.1-mine", "", "home/.vectimus/packs");
  packs = loaded_packs(f);
  CHECK(find_pack(packs, "secrets")->manifest.version == "0.0.1-mine");
}

TEST_CASE("install: a newer bundle replaces the installed one; older and changed are refused") {
  BundleFixture f;
  REQUIRE(install(f, f.make("2.0.0")));
  const std::string cache = bundle::policy_cache_dir(f.t.path("home"));
  const auto before = snapshot(cache);

  SECTION("older") {
    auto r = install(f, f.make("1.9.9"));
    REQUIRE(!r);
    CHECK(error_code(r.errors()) == "rollback");
    CHECK(snapshot(cache) == before);
  }
  SECTION("the same version with other content") {
    f.write_pack("team", "1.0.1", kTeamRule);
    auto r = install(f, f.make("2.0.0"));
    REQUIRE(!r);
    CHECK(error_code(r.errors()) == "rollback");
    CHECK(snapshot(cache) == before);
  }
  SECTION("the same bundle again is unchanged") {
    auto installed = bundle::read_installed(f.th.host, f.t.path("home"));
    std::ifstream in(installed->folder + "/bundle.json", std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    auto r = install(f, bytes.str());
    REQUIRE(r);
    CHECK(r->outcome == bundle::InstallOutcome::unchanged);
    CHECK(snapshot(cache) == before);
  }
  SECTION("newer") {
    f.write_pack("team", "1.1.0", kTeamRule);
    auto r = install(f, f.make("2.1.0"));
    REQUIRE(r);
    CHECK(r->before->version == "2.0.0");
    CHECK(r->now.version == "2.1.0");
    CHECK(find_pack(loaded_packs(f), "team")->manifest.version == "1.1.0");
    // The previous bundle's folder stays for hooks that read the old pointer.
    CHECK(std::filesystem::is_directory(r->before->folder));
  }
}

TEST_CASE("install: refused bundles change nothing") {
  BundleFixture f;
  REQUIRE(install(f, f.make("1.0.0")));
  const std::string cache = bundle::policy_cache_dir(f.t.path("home"));
  const auto before = snapshot(cache);
  std::string bytes;
  std::string code;
  SECTION("bad signature") {
    audit::JsonValue doc = audit::parse_json(f.make("2.0.0")).value();
    doc.find("manifest")->set("version", audit::JsonValue::string_value("3.0.0"));
    bytes = audit::pretty_json(doc, audit::Canon::jcs);
    code = "signature";
  }
  SECTION("untrusted key") {
    bytes = bundle::make_bundle(f.th.host, {f.t.path("packs")}, "2.0.0", f.other, 0).value();
    code = "untrusted-key";
  }
  SECTION("changed file") {
    audit::JsonValue doc = audit::parse_json(f.make("2.0.0")).value();
    doc.find("files")->items[1].set("content", audit::JsonValue::string_value("// gone\n"));
    bytes = audit::pretty_json(doc, audit::Canon::jcs);
    code = "hash";
  }
  SECTION("a pack that does not parse") {
    f.write_pack("team", "1.0.0", "forbid(principal, action, resource) when {");
    bytes = f.make("2.0.0");
    code = "lint";
  }
  SECTION("a rule without @description") {
    f.write_pack("team", "1.0.0",
                 "@id(\"x-1\")\n@suggested_alternative(\"s\")\nforbid(principal, action, "
                 "resource);\n");
    bytes = f.make("2.0.0");
    code = "lint";
  }
  SECTION("an id a built-in rule has") {
    f.write_pack("team", "1.0.0",
                 "@id(\"vectimus-destruct-001\")\n@description(\"d\")\n@suggested_alternative("
                 "\"s\")\nforbid(principal, action, resource);\n");
    bytes = f.make("2.0.0");
    code = "lint";
  }
  SECTION("older") {
    bytes = f.make("0.9");
    code = "rollback";
  }
  auto r = install(f, bytes);
  REQUIRE(!r);
  CHECK(error_code(r.errors()) == code);
  CHECK(snapshot(cache) == before);
  CHECK(bundle::read_installed(f.th.host, f.t.path("home"))->version == "1.0.0");
}

TEST_CASE("install: trusted keys by file, ~/ path or key id; a missing one is an error") {
  BundleFixture f;
  const std::string home = f.t.path("home");
  const std::string pub = audit::home_keys_dir(home) + "/" + f.key.id + ".pub";
  auto keys = bundle::load_trusted_keys(
      f.th.host, {pub, "~/.vectimus/keys/" + f.key.id + ".pub", f.key.id}, home);
  REQUIRE(keys);
  REQUIRE(keys->size() == 3);
  for (const auto& k : *keys) CHECK(k.id == f.key.id);
  CHECK(!bundle::load_trusted_keys(f.th.host, {"/nonexistent.pub"}, home));
  CHECK(!bundle::load_trusted_keys(f.th.host, {"relative.pub"}, home));
}

TEST_CASE("install: a hand-edited pointer never leads outside the cache") {
  BundleFixture f;
  CHECK(engine::installed_bundle_dir(f.th.host, f.t.path("home")).value() == std::nullopt);
  f.t.write("home/.vectimus/policy-cache/current", "../../packs\n");
  const auto outside = engine::installed_bundle_dir(f.th.host, f.t.path("home"));
  REQUIRE(!outside);
  CHECK(outside.errors().front().message.find("does not name a bundle") != std::string::npos);
  f.t.write("home/.vectimus/policy-cache/current", "bundle-0123abcd\n");
  CHECK(engine::installed_bundle_dir(f.th.host, f.t.path("home")).value() ==
        f.t.path("home") + "/.vectimus/policy-cache/bundle-0123abcd");
}
