// `vectimus policy bundle|update|status` end to end, with the real binary and HOME in a temp
// tree: a bundle installed from a file is what the hook then decides with; each refusal names
// its reason and leaves ~/.vectimus/policy-cache/ as it was; a running team server serves its
// bundle over HTTP to `policy update --from http://127.0.0.1:PORT`.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "audit/crypto.hpp"
#include "audit/json.hpp"
#include "tests/cli/process.hpp"
#include "tests/server/net.hpp"
#include "tests/support/temp_tree.hpp"

using vectimus::testing::ProcessResult;
using vectimus::testing::ServerProcess;
using vectimus::testing::TempTree;

namespace {

const std::string kBinary = VECTIMUS_BINARY;

const std::string kRule = R"(@id("team-no-curl")
@description("no curl in this team")
@suggested_alternative("use the internal mirror")
forbid(principal, action == Vectimus::Action::"shell_command", resource)
when { context.command like "curl *" };
)";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every file of the installed set (the bundle folders and the pointer), without the record of
// the last check, which every update writes whatever comes of it.
std::map<std::string, std::string> installed_set(const std::string& cache) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(cache, ec)) {
    const std::string rel = std::filesystem::relative(e.path(), cache).string();
    if (!e.is_regular_file() || rel == "last-check.json") continue;
    out[rel] = read_text(e.path().string());
  }
  return out;
}

struct Sandbox {
  TempTree t;
  std::vector<std::string> env;
  std::string pub;  // the publisher's public key, trusted by the developer
  Sandbox() {
    t.mkdir("publisher");
    t.mkdir("home");
    t.mkdir("work/.git");
    pack("1.0.0", kRule);
    // The publisher's key: made by `policy bundle` in the publisher's home on first use.
    const ProcessResult first = publish("0.0.1", {});
    REQUIRE(first.exit_code == 0);
    const std::string keys = t.path("publisher/.vectimus/keys");
    for (const auto& e : std::filesystem::directory_iterator(keys)) {
      if (e.path().extension() == ".pub") pub = e.path().string();
    }
    REQUIRE(!pub.empty());
    env = {"HOME=" + t.path("home")};
    trust({pub});
  }
  void pack(const std::string& version, const std::string& rules) const {
    t.write("packs/team/pack.toml", "[pack]\nname = \"team\"\nversion = \"" + version +
                                        "\"\ndescription = \"d\"\nauthor = \"a\"\n");
    t.write("packs/team/rules.cedar", rules);
  }
  void trust(const std::vector<std::string>& keys) const {
    std::string list;
    for (const auto& k : keys) list += (list.empty() ? "\"" : ", \"") + k + "\"";
    t.write("home/.vectimus/config.toml", "[updates]\ntrusted_keys = [" + list + "]\n");
  }
  // `policy bundle` as the publisher (its own HOME), into bundles/<version>.
  ProcessResult publish(const std::string& version, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{kBinary,         "policy", "bundle",
                                  t.path("packs"), "-o",     t.path("bundles/" + version),
                                  "--version",     version};
    args.insert(args.end(), extra.begin(), extra.end());
    std::filesystem::create_directories(t.path("bundles"));
    return vectimus::testing::run_process(args, {}, {{"HOME=" + t.path("publisher")}, t.path(".")});
  }
  ProcessResult run(std::vector<std::string> args, const std::string& input = {}) const {
    args.insert(args.begin(), kBinary);
    return vectimus::testing::run_process(args, input, {env, t.path("work")});
  }
  ProcessResult update(const std::string& from) const {
    return run({"policy", "update", "--from", from});
  }
  ProcessResult hook(const std::string& command) const {
    return run({"hook", "--source", "claude-code"},
               "{\"session_id\":\"s\",\"transcript_path\":\"/t\",\"cwd\":\"" + t.path("work") +
                   "\",\"permission_mode\":\"default\",\"hook_event_name\":\"PreToolUse\","
                   "\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"" +
                   command + "\"},\"tool_use_id\":\"t1\"}");
  }
  std::string cache() const { return t.path("home/.vectimus/policy-cache"); }
};

const std::string kUndescribed =
    "@id(\"team-1\")\n@suggested_alternative(\"s\")\nforbid(principal, action, resource);\n";

// `bytes` with team/rules.cedar replaced by `rule`, its manifest entry updated and signed again
// with the publisher's key.
std::string resign_with_rule(const Sandbox& s, const std::string& bytes, const std::string& rule) {
  namespace audit = vectimus::audit;
  std::string key_file;
  for (const auto& e : std::filesystem::directory_iterator(s.t.path("publisher/.vectimus/keys"))) {
    if (e.path().extension() == ".key") key_file = e.path().string();
  }
  const audit::Ed25519Key key = audit::read_private_key_pem(read_text(key_file)).value();
  audit::JsonValue doc = audit::parse_json(bytes).value();
  doc.find("files")->items[1].set("content", audit::JsonValue::string_value(rule));
  audit::JsonValue& entry = doc.find("manifest")->find("files")->items[1];
  entry.set("sha256", audit::JsonValue::string_value(audit::sha256_hex(rule)));
  entry.set("size", audit::JsonValue::integer_value(static_cast<int64_t>(rule.size())));
  const std::string manifest = audit::canonical_json(*doc.find("manifest"), audit::Canon::jcs);
  doc.set("signature", audit::JsonValue::string_value(
                           audit::base64_encode(audit::ed25519_sign(key, manifest).value())));
  return audit::pretty_json(doc, audit::Canon::jcs);
}

bool denied_by_team(const ProcessResult& r) {
  return r.out.find("team-no-curl") != std::string::npos ||
         r.err.find("team-no-curl") != std::string::npos;
}

}  // namespace

TEST_CASE("policy: a bundle installed from a file is what the hook decides with") {
  Sandbox s;
  CHECK(!denied_by_team(s.hook("curl https://example.com")));
  REQUIRE(s.publish("1.0.0").exit_code == 0);
  const ProcessResult up = s.update(s.t.path("bundles/1.0.0"));
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(up.out.find("installed policy bundle 1.0.0") != std::string::npos);
  CHECK(denied_by_team(s.hook("curl https://example.com")));
  CHECK(!denied_by_team(s.hook("ls")));
  const ProcessResult status = s.run({"policy", "status"});
  CHECK(status.exit_code == 0);
  CHECK(status.out.find("installed bundle: version 1.0.0") != std::string::npos);
  CHECK(status.out.find("last check: ") != std::string::npos);
  CHECK(status.out.find("installed 1.0.0") != std::string::npos);
  // The pack list shows where the team pack comes from.
  const ProcessResult version = s.run({"--version"});
  CHECK(version.out.find("policy-cache/bundle-") != std::string::npos);
}

TEST_CASE("policy: a broken pointer to the installed bundle denies every call until an update") {
  Sandbox s;
  REQUIRE(s.publish("1.0.0").exit_code == 0);
  REQUIRE(s.update(s.t.path("bundles/1.0.0")).exit_code == 0);
  const std::string pointer = s.cache() + "/current";
  // Dropping the team's rules unnoticed would allow what they deny: an `ls` is denied instead.
  s.t.write("home/.vectimus/policy-cache/current", "../../packs\n");
  ProcessResult r = s.hook("ls");
  CHECK(r.out.find("\"permissionDecision\":\"deny\"") != std::string::npos);
  CHECK(r.err.find("does not name a bundle") != std::string::npos);
  s.t.write("home/.vectimus/policy-cache/current", "bundle-0123abcd\n");
  r = s.hook("ls");
  CHECK(r.out.find("\"permissionDecision\":\"deny\"") != std::string::npos);
  CHECK(r.err.find("is missing") != std::string::npos);
  // An update installs over the broken pointer.
  REQUIRE(s.publish("1.0.1").exit_code == 0);
  const ProcessResult up = s.update(s.t.path("bundles/1.0.1"));
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(read_text(pointer) != "bundle-0123abcd\n");
  CHECK(!denied_by_team(s.hook("ls")));
  CHECK(s.hook("ls").out.find("\"permissionDecision\":\"deny\"") == std::string::npos);
}

TEST_CASE("policy: refused updates name their reason and change nothing installed") {
  Sandbox s;
  REQUIRE(s.publish("1.0.0").exit_code == 0);
  REQUIRE(s.update(s.t.path("bundles/1.0.0")).exit_code == 0);
  const auto before = installed_set(s.cache());
  REQUIRE(!before.empty());
  std::string bundle;
  std::string reason;
  SECTION("bad signature") {
    REQUIRE(s.publish("2.0.0").exit_code == 0);
    std::string text = read_text(s.t.path("bundles/2.0.0"));
    text.replace(text.find("\"version\": \"2.0.0\""), 18, "\"version\": \"3.0.0\"");
    bundle = s.t.write("bundles/tampered", text);
    reason = "(signature): bad signature";
  }
  SECTION("untrusted key") {
    // Signed by a key of the developer's own, which they never listed.
    bundle = s.t.path("bundles/mine");
    REQUIRE(s.run({"policy", "bundle", s.t.path("packs"), "-o", bundle, "--version", "2.0.0"})
                .exit_code == 0);
    reason = "(untrusted-key)";
  }
  SECTION("changed file") {
    REQUIRE(s.publish("2.0.0").exit_code == 0);
    std::string text = read_text(s.t.path("bundles/2.0.0"));
    text.replace(text.find("curl *"), 6, "wget *");
    bundle = s.t.write("bundles/changed", text);
    reason = "(hash): file `team/rules.cedar` was changed";
  }
  SECTION("a pack that does not lint") {
    // `policy bundle` lints before it signs, so a publisher with another tool stands in: the
    // same key signs a bundle whose rule has no @description.
    REQUIRE(s.publish("2.0.0").exit_code == 0);
    bundle = s.t.write("bundles/unlinted",
                       resign_with_rule(s, read_text(s.t.path("bundles/2.0.0")), kUndescribed));
    reason = "(lint): a pack of the bundle does not load or lint";
  }
  SECTION("older version") {
    s.pack("0.9.0", kRule);
    REQUIRE(s.publish("0.9.0").exit_code == 0);
    bundle = s.t.path("bundles/0.9.0");
    reason = "(rollback): bundle version `0.9.0` is older than the installed `1.0.0`";
  }
  const ProcessResult r = s.update(bundle);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("update refused, nothing changed") != std::string::npos);
  const ProcessResult status = s.run({"policy", "status"});
  INFO(status.out);
  CHECK(status.out.find(reason) != std::string::npos);
  CHECK(installed_set(s.cache()) == before);
  CHECK(denied_by_team(s.hook("curl https://example.com")));
}

TEST_CASE("policy: an update from a running team server over HTTP") {
  Sandbox s;
  REQUIRE(s.publish("4.2.0").exit_code == 0);
  s.t.mkdir("server/.git");
  s.t.write("server/vectimus.toml", "[server]\nbundle = \"" + s.t.path("bundles/4.2.0") + "\"\n");
  ServerProcess server(
      {kBinary, "server", "start", "--port", "0", "--policy-dir", s.t.path("packs")},
      {"HOME=" + s.t.path("server-home"), "VECTIMUS_LOG_DIR=" + s.t.path("logs")},
      s.t.path("server"));
  REQUIRE(server.port() != 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port());
  const ProcessResult up = s.update(url);
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(up.out.find("installed policy bundle 4.2.0 from " + url) != std::string::npos);
  CHECK(denied_by_team(s.hook("curl https://example.com")));
  // Again: the same bundle, nothing to do.
  const ProcessResult again = s.update(url + "/v1/bundle");
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("installed already") != std::string::npos);
}

TEST_CASE("policy: a server without a bundle answers 404, and the update says so") {
  Sandbox s;
  s.t.mkdir("server/.git");
  ServerProcess server({kBinary, "server", "start", "--port", "0"},
                       {"HOME=" + s.t.path("server-home"), "VECTIMUS_LOG_DIR=" + s.t.path("logs")},
                       s.t.path("server"));
  REQUIRE(server.port() != 0);
  const ProcessResult up = s.update("http://127.0.0.1:" + std::to_string(server.port()));
  CHECK(up.exit_code == 1);
  CHECK(up.err.find("answered 404") != std::string::npos);
  CHECK(!std::filesystem::exists(s.cache() + "/current"));
}

TEST_CASE("policy: auto_sync updates after a hook has answered, in a detached process") {
  Sandbox s;
  REQUIRE(s.publish("5.0.0").exit_code == 0);
  s.t.write("home/.vectimus/config.toml", "[updates]\ntrusted_keys = [\"" + s.pub +
                                              "\"]\nsource = \"" + s.t.path("bundles/5.0.0") +
                                              "\"\nauto_sync = true\nsync_interval_hours = 1\n");
  // The first hook decides with what is installed (nothing), then starts the check.
  const ProcessResult first = s.hook("curl https://example.com");
  CHECK(first.exit_code == 0);
  CHECK(!denied_by_team(first));
  bool installed = false;
  for (int i = 0; i < 200 && !installed; ++i) {  // at most 20 s
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    installed = read_text(s.t.path("home/.vectimus/policy-cache/last-check.json"))
                    .find("installed 5.0.0") != std::string::npos;
  }
  REQUIRE(installed);
  CHECK(denied_by_team(s.hook("curl https://example.com")));
}
