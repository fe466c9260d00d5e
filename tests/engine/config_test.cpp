// Configuration layers: defaults < ~/.vectimus/config.toml < <project>/.vectimus/config.toml <
// ./vectimus.toml < VECTIMUS_* variables, read from real temp folders.
#include <catch2/catch.hpp>

#include "engine/config.hpp"
#include "engine/locate.hpp"
#include "tests/support/test_host.hpp"

using namespace vectimus;
using vectimus::testing::TempTree;
using vectimus::testing::TestHost;

namespace {

struct Layers {
  const char* global;   // ~/.vectimus/config.toml, or nullptr
  const char* project;  // <project>/.vectimus/config.toml
  const char* local;    // ./vectimus.toml
  const char* env;      // VECTIMUS_OBSERVE
};

engine::Config load(const TempTree& t, TestHost& h) {
  const auto where = engine::locate(h.host, t.path("proj/src"), std::nullopt);
  auto config = engine::load_config(h.host, where.config_files);
  REQUIRE(config.ok());
  return std::move(config).value();
}

}  // namespace

TEST_CASE("each config layer overrides the one before it") {
  // Each layer sets max_bytes to its own number; observe is set by whichever layer says so last.
  struct Row {
    Layers layers;
    std::size_t max_bytes;
    bool observe;
  };
  const Row rows[] = {
      {{nullptr, nullptr, nullptr, nullptr}, 1048576, false},
      {{"content.max_bytes = 1\nobserve = true", nullptr, nullptr, nullptr}, 1, true},
      {{"content.max_bytes = 1\nobserve = true", "content.max_bytes = 2\nobserve = false", nullptr,
        nullptr},
       2,
       false},
      {{"content.max_bytes = 1", "content.max_bytes = 2", "content.max_bytes = 3\nobserve = true",
        nullptr},
       3,
       true},
      {{"content.max_bytes = 1\nobserve = true", nullptr, "content.max_bytes = 3", "false"},
       3,
       false},
      {{nullptr, "content.max_bytes = 2", nullptr, "1"}, 2, true},
  };
  for (const Row& row : rows) {
    TempTree t;
    t.mkdir("proj/.git");
    t.mkdir("proj/src");
    t.mkdir("home");
    TestHost h(t.path("proj"), t.path("home"));
    if (row.layers.global) t.write("home/.vectimus/config.toml", row.layers.global);
    if (row.layers.project) t.write("proj/.vectimus/config.toml", row.layers.project);
    if (row.layers.local) t.write("proj/vectimus.toml", row.layers.local);
    if (row.layers.env) h.env.set("VECTIMUS_OBSERVE", row.layers.env);
    const engine::Config c = load(t, h);
    CAPTURE(row.layers.global ? row.layers.global : "-",
            row.layers.project ? row.layers.project : "-",
            row.layers.local ? row.layers.local : "-", row.layers.env ? row.layers.env : "-");
    CHECK(c.content_max_bytes == row.max_bytes);
    CHECK(c.observe == row.observe);
  }
}

TEST_CASE("lists merge across layers, groups and enforcement levels are replaced") {
  TempTree t;
  t.mkdir("proj/.git");
  t.mkdir("home");
  TestHost h(t.path("proj"), t.path("home"));
  t.write("home/.vectimus/config.toml",
          "[mcp]\nallowed = [\"github\"]\n[rules]\ndisabled = [\"a\"]\n"
          "[rules.enforcement]\n\"x\" = \"observe\"\n\"y\" = \"escalate\"\n"
          "[identity]\ngroups = [\"dev\"]\n");
  t.write(
      "proj/.vectimus/config.toml",
      "[mcp]\nallowed = [\"linear\"]\n[rules]\ndisabled = [\"b\"]\n"
      "[rules.enforcement]\n\"x\" = \"deny\"\n[identity]\ngroups = [\"ops\"]\ntype = \"agent\"\n");
  h.env.set("VECTIMUS_MCP_ALLOWED", "slack, jira");
  const engine::Config c = load(t, h);
  CHECK(c.mcp_allowed == std::vector<std::string>{"github", "jira", "linear", "slack"});
  CHECK(c.disabled_rules == std::vector<std::string>{"a", "b"});
  CHECK(c.enforcement.at("x") == engine::Enforcement::deny);
  CHECK(c.enforcement.at("y") == engine::Enforcement::escalate);
  CHECK(c.groups == std::vector<std::string>{"ops"});
  CHECK(c.identity_type == engine::IdentityType::agent);
  CHECK(c.files == std::vector<std::string>{t.path("home/.vectimus/config.toml"),
                                            t.path("proj/.vectimus/config.toml")});

  h.env.set("VECTIMUS_GROUPS", "sre,oncall");
  h.env.set("VECTIMUS_IDENTITY_TYPE", "user");
  h.env.set("VECTIMUS_LOG_DIR", "/var/log/v");
  h.env.set("VECTIMUS_DEBUG", "yes");
  const engine::Config e = load(t, h);
  CHECK(e.groups == std::vector<std::string>{"oncall", "sre"});
  CHECK(e.identity_type == engine::IdentityType::user);
  CHECK(e.log_dir == "/var/log/v");
  CHECK(e.debug);
}

TEST_CASE("CI=true makes the identity an agent unless a layer says otherwise") {
  MapEnvironment env;
  env.set("CI", "true");
  engine::Config c;
  CHECK(engine::apply_config_env(c, env).empty());
  CHECK(c.identity_type == engine::IdentityType::agent);
  engine::Config user;
  user.identity_type = engine::IdentityType::user;
  CHECK(engine::apply_config_env(user, env).empty());
  CHECK(user.identity_type == engine::IdentityType::user);
}

TEST_CASE("a config file that does not parse, or has an unknown key, is an error with its place") {
  TempTree t;
  t.mkdir("home");
  TestHost h(t.path("proj"), t.path("home"));
  const std::string file = t.write("home/.vectimus/config.toml", "observe = true\n[mcp\n");
  auto c = engine::load_config(h.host, {file});
  REQUIRE_FALSE(c.ok());
  CHECK(c.errors().front().code == "syntax");
  CHECK(render(c.errors().front()).rfind(file + ":2:", 0) == 0);

  t.write("home/.vectimus/config.toml", "observe = true\n[rules]\ndisable = [\"x\"]\n");
  c = engine::load_config(h.host, {file});
  REQUIRE_FALSE(c.ok());
  CHECK(render(c.errors().front()) ==
        file +
            ":3:1: error: unknown key `rules.disable`\n"
            "disable = [\"x\"]\n"
            "^~~~~~~\n"
            "help: expected one of `mcp.allowed`, `rules.disabled`, `rules.enforcement`, "
            "`identity.type`, `identity.groups`, `content.max_bytes`, `log.dir`, `log.debug`\n");

  t.write("home/.vectimus/config.toml", "[rules.enforcement]\n\"x\" = \"block\"\n");
  c = engine::load_config(h.host, {file});
  REQUIRE_FALSE(c.ok());
  CHECK(c.errors().front().message ==
        "enforcement of `x` must be \"deny\", \"escalate\" or \"observe\"");

  std::remove(file.c_str());
  h.env.set("VECTIMUS_OBSERVE", "maybe");
  c = engine::load_config(h.host, {file});
  REQUIRE_FALSE(c.ok());
  CHECK(c.errors().front().message == "`VECTIMUS_OBSERVE` is `maybe`, expected true or false");
}

TEST_CASE("the project root is the nearest folder with .vectimus or .git, never home") {
  TempTree t;
  t.mkdir("home/.git");
  t.mkdir("home/code/app/.git");
  t.mkdir("home/code/app/pkg/.vectimus");
  t.mkdir("home/code/app/src/deep");
  t.mkdir("home/loose/dir");
  t.mkdir("srv/site/.vectimus");
  TestHost h(t.root(), t.path("home"));
  const std::string home = t.path("home");
  CHECK(engine::find_project_root(h.host, t.path("home/code/app/src/deep"), home) ==
        t.path("home/code/app"));
  CHECK(engine::find_project_root(h.host, t.path("home/code/app/pkg"), home) ==
        t.path("home/code/app/pkg"));
  CHECK(engine::find_project_root(h.host, t.path("home/loose/dir"), home) == std::nullopt);
  CHECK(engine::find_project_root(h.host, home, home) == std::nullopt);
  CHECK(engine::find_project_root(h.host, t.path("srv/site/./x/.."), home) == t.path("srv/site"));
  CHECK(engine::find_project_root(h.host, "relative/dir", home) == std::nullopt);
}
