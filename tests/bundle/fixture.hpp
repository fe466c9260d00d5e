// What the bundle tests share: a home folder with a signing key, team packs on disk, and a way
// to forge a bundle (change its JSON, sign its manifest again) to reach checks past the
// signature.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "audit/crypto.hpp"
#include "audit/json.hpp"
#include "audit/keys.hpp"
#include "bundle/bundle.hpp"
#include "tests/support/temp_tree.hpp"
#include "tests/support/test_host.hpp"

namespace vectimus::testing {

inline const std::string kTeamRule = R"(@id("team-no-curl")
@description("no curl in this team")
@suggested_alternative("use the internal mirror")
forbid(principal, action == Vectimus::Action::"shell_command", resource)
when { context.command like "curl *" };
)";

inline std::string pack_toml(const std::string& name, const std::string& version) {
  return "[pack]\nname = \"" + name + "\"\nversion = \"" + version +
         "\"\ndescription = \"d\"\nauthor = \"a\"\n";
}

struct BundleFixture {
  TempTree t;
  TestHost th{t.path("work"), t.path("home")};
  audit::SigningKey key;
  audit::SigningKey other;

  BundleFixture() {
    t.mkdir("work");
    t.mkdir("home");
    key = audit::load_or_create_signing_key(th.host, t.path("home")).value();
    auto k = audit::ed25519_generate().value();
    other = {k, audit::key_id(k.public_key)};
    write_pack("team", "1.0.0", kTeamRule);
  }
  void write_pack(const std::string& name, const std::string& version, const std::string& rules,
                  const std::string& under = "packs") const {
    t.write(under + "/" + name + "/pack.toml", pack_toml(name, version));
    t.write(under + "/" + name + "/rules.cedar", rules);
  }
  std::vector<audit::PublicKey> trusted() const { return {{key.key.public_key, key.id, "k.pub"}}; }
  std::string make(const std::string& version, const std::string& dir = "packs") const {
    return bundle::make_bundle(th.host, {t.path(dir)}, version, key, th.clock_ns).value();
  }
};

// `bytes` with `change` applied to its JSON, the manifest signed again with `key`.
template <typename F>
std::string forge(const std::string& bytes, const audit::SigningKey& key, F change) {
  audit::JsonValue doc = audit::parse_json(bytes).value();
  change(doc);
  const std::string signed_bytes = audit::canonical_json(*doc.find("manifest"), audit::Canon::jcs);
  doc.set("signature", audit::JsonValue::string_value(audit::base64_encode(
                           audit::ed25519_sign(key.key, signed_bytes).value())));
  return audit::pretty_json(doc, audit::Canon::jcs);
}

inline std::string error_code(const Diagnostics& d) {
  return d.empty() ? "" : d.front().code;
}

}  // namespace vectimus::testing
