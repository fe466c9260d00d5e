// Format-preserving config edits (engine/config_edit.hpp): each edit keeps every other byte, its
// inverse gives back the same bytes, the real reader (apply_config_toml) reads the value written,
// and a key or value the schema does not allow is an error naming it.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "engine/config.hpp"
#include "engine/config_edit.hpp"
#include "tests/support/test_host.hpp"

using namespace vectimus;
using namespace vectimus::engine;

namespace {

constexpr const char* kFile = "/p/.vectimus/config.toml";

const char* const kOriginal =
    "# team settings: keep this comment\n"
    "mode.observe = false  # trailing comment\n"
    "\n"
    "[rules]\n"
    "# the rules we switched off\n"
    "disabled = [\n"
    "  \"vectimus-git-001\",  # noisy\n"
    "  \"vectimus-git-002\",\n"
    "]\n"
    "\n"
    "[mcp]\n"
    "allowed_servers = [\"github\"]\n";

std::string ok(Result<std::string> r) {
  if (!r) FAIL(render(r.errors()));
  return std::move(r).value();
}

Config read(const std::string& text) {
  Config config;
  const Diagnostics d = apply_config_toml(config, make_source(kFile, text), LayerContext{"/p", ""});
  for (const Diagnostic& e : d) {
    if (e.severity == Severity::error) FAIL(render(e) + "\n" + text);
  }
  return config;
}

std::string message(const Result<std::string>& r) {
  REQUIRE_FALSE(r.ok());
  return render(r.errors());
}

}  // namespace

TEST_CASE("config_set replaces exactly the value's bytes") {
  const std::string out = ok(config_set(kOriginal, kFile, "mode.observe", true));
  std::string expected = kOriginal;
  expected.replace(expected.find("= false"), 7, "= true");
  CHECK(out == expected);
  CHECK(read(out).observe);
  CHECK(ok(config_set(out, kFile, "mode.observe", false)) == kOriginal);
}

TEST_CASE("config_set then config_unset of a missing key gives back the same bytes") {
  const std::vector<std::pair<std::string, ConfigValue>> edits = {
      {"rules.enforcement.vectimus-destruct-001", std::string("escalate")},
      {"packs.base.enabled", false},
      {"server.url", std::string("https://vectimus.example:8420")},
      {"policies.dir", std::string("./my policies")},
      {"identity.identity_type", std::string("agent")},
      {"content.max_bytes", int64_t{4096}},
  };
  for (const std::string& start :
       {std::string(kOriginal), std::string(), std::string("[rules]\n")}) {
    for (const auto& [key, value] : edits) {
      CAPTURE(start, key);
      const std::string set = ok(config_set(start, kFile, key, value));
      CHECK(set.starts_with(start.substr(0, start.find("[rules]"))));
      const std::string back = ok(config_unset(set, kFile, key));
      CHECK(back == start);
    }
  }
}

TEST_CASE("a missing key goes after the last key of its table; a missing table is appended") {
  const std::string out = ok(
      config_set(kOriginal, kFile, "rules.enforcement.vectimus-git-003", std::string("observe")));
  CHECK(out == std::string(kOriginal) + "\n[rules.enforcement]\nvectimus-git-003 = \"observe\"\n");
  CHECK(read(out).enforcement.at("vectimus-git-003") == Enforcement::observe);

  // Into an existing section, after its last key and before the comment of the next one.
  const std::string text = "[logging]\ndir = \"/l\"\n\n# next\n[mcp]\nallowed_servers = []\n";
  const std::string debug = ok(config_set(text, kFile, "logging.debug", true));
  CHECK(debug == "[logging]\ndir = \"/l\"\ndebug = true\n\n# next\n[mcp]\nallowed_servers = []\n");
  CHECK(read(debug).debug);
  CHECK(ok(config_unset(debug, kFile, "logging.debug")) == text);
  // An empty section gets the key right under its header.
  CHECK(ok(config_set("[mode]\n\n[x.y]\n", kFile, "mode.observe", true)) ==
        "[mode]\nobserve = true\n\n[x.y]\n");
}

TEST_CASE("keys with characters outside bare keys are quoted, and read back") {
  const std::string out = ok(config_set("", kFile, "packs.my team.enabled", false));
  CHECK(out == "[packs.\"my team\"]\nenabled = false\n");
  CHECK(read(out).pack_disabled("my team"));
  CHECK(ok(config_unset(out, kFile, "packs.my team.enabled")).empty());
}

TEST_CASE("a missing key of a table written with dotted keys is added as a dotted key") {
  const std::string text =
      "# top\nrules.enforcement.a = \"observe\"\n\n[mcp]\nallowed_servers = []\n";
  const std::string out = ok(config_set(text, kFile, "rules.enforcement.b", std::string("deny")));
  CHECK(out ==
        "# top\nrules.enforcement.a = \"observe\"\nrules.enforcement.b = \"deny\"\n\n"
        "[mcp]\nallowed_servers = []\n");
  CHECK(read(out).enforcement.at("b") == Enforcement::deny);
  CHECK(ok(config_unset(out, kFile, "rules.enforcement.b")) == text);
}

TEST_CASE("config_list_add and config_list_remove are inverses and keep comments") {
  for (const char* key : {"rules.disabled", "mcp.allowed_servers"}) {
    CAPTURE(key);
    const std::string added = ok(config_list_add(kOriginal, kFile, key, "new-item"));
    CHECK(added.find("# noisy") != std::string::npos);
    const Config c = read(added);
    const auto& list = std::string(key) == "rules.disabled" ? c.disabled_rules : c.mcp_allowed;
    CHECK(std::ranges::find(list, "new-item") != list.end());
    CHECK(ok(config_list_add(added, kFile, key, "new-item")) == added);  // no-op if present
    CHECK(ok(config_list_remove(added, kFile, key, "new-item")) == kOriginal);
    CHECK(ok(config_list_remove(kOriginal, kFile, key, "absent")) == kOriginal);
  }
  // The multi-line list gains a line with the same indentation and trailing comma.
  const std::string added = ok(config_list_add(kOriginal, kFile, "rules.disabled", "x"));
  CHECK(added.find("  \"vectimus-git-002\",\n  \"x\",\n]") != std::string::npos);
  // A single-line list.
  CHECK(ok(config_list_add(kOriginal, kFile, "mcp.allowed_servers", "slack"))
            .ends_with("allowed_servers = [\"github\", \"slack\"]\n"));
  // Removing the first item of a line, and the commented one of a multi-line list.
  CHECK(ok(config_list_remove("[mcp]\nallowed_servers = [\"a\", \"b\"]\n", kFile,
                              "mcp.allowed_servers", "a")) == "[mcp]\nallowed_servers = [\"b\"]\n");
  const std::string removed =
      ok(config_list_remove(kOriginal, kFile, "rules.disabled", "vectimus-git-001"));
  CHECK(removed.find("disabled = [\n  \"vectimus-git-002\",\n]") != std::string::npos);
  CHECK(read(removed).disabled_rules == std::vector<std::string>{"vectimus-git-002"});
}

TEST_CASE("adding to a missing list creates it; removing its last item removes the key") {
  const std::string added = ok(config_list_add("", kFile, "mcp.allowed_servers", "github"));
  CHECK(added == "[mcp]\nallowed_servers = [\"github\"]\n");
  CHECK(ok(config_list_remove(added, kFile, "mcp.allowed_servers", "github")).empty());
  CHECK(ok(config_list_add("[mcp]\nallowed_servers = []\n", kFile, "mcp.allowed_servers", "a")) ==
        "[mcp]\nallowed_servers = [\"a\"]\n");
}

TEST_CASE("an unknown key or a value of the wrong kind is an error naming it") {
  CHECK_THAT(message(config_set("", kFile, "mode.observer", true)),
             Catch::Contains("unknown config key `[mode] observer`") &&
                 Catch::Contains("did you mean `[mode] observe`?"));
  CHECK_THAT(message(config_set("", kFile, "mode.observe", std::string("yes"))),
             Catch::Contains("`[mode] observe` must be true or false"));
  CHECK_THAT(message(config_set("", kFile, "rules.enforcement.x", std::string("block"))),
             Catch::Contains("\"deny\", \"escalate\" or \"observe\""));
  CHECK_THAT(message(config_set("", kFile, "identity.identity_type", std::string("robot"))),
             Catch::Contains("must be \"agent\" or \"user\""));
  CHECK_THAT(message(config_set("", kFile, "content.max_bytes", int64_t{-1})),
             Catch::Contains("non-negative integer"));
  CHECK_THAT(message(config_list_add("", kFile, "mode.observe", "x")),
             Catch::Contains("is not a list"));
  CHECK_THAT(message(config_list_add("[mcp]\nallowed_servers = \"github\"\n", kFile,
                                     "mcp.allowed_servers", "x")),
             Catch::Contains(std::string(kFile) + ":2:19: `[mcp] allowed_servers` must be a list"));
}

TEST_CASE("text that does not parse is an error with file:line:col") {
  CHECK_THAT(message(config_set("[mode]\nobserve = = true\n", kFile, "mode.observe", true)),
             Catch::Contains(std::string(kFile) + ":2:") && Catch::Contains("invalid TOML"));
}

TEST_CASE("edit_config_file writes atomically with mode 0600 in a 0700 folder") {
  testing::TempTree t;
  testing::TestHost h(t.path("p"), t.path("home"));
  const std::string path = t.path("home/.vectimus/config.toml");
  auto changed = edit_config_file(h.host, path, [](std::string_view text) {
    return config_set(text, "config.toml", "mode.observe", true);
  });
  REQUIRE(changed.ok());
  CHECK(*changed);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat(t.path("home/.vectimus").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  auto again = edit_config_file(h.host, path, [](std::string_view text) {
    return config_set(text, "config.toml", "mode.observe", true);
  });
  REQUIRE(again.ok());
  CHECK_FALSE(*again);
}
