// Configuration layers: defaults < ~/.vectimus/config.toml < <project>/.vectimus/config.toml <
// ./vectimus.toml < VECTIMUS_* variables, read from real temp folders; the schema table's rows
// (engine/config_schema.hpp) each checked for kind and merge; the docs' example files.
#include <catch2/catch.hpp>

#include "engine/config.hpp"
#include "engine/config_schema.hpp"
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
      {{"content.max_bytes = 1\nmode.observe = true", nullptr, nullptr, nullptr}, 1, true},
      {{"content.max_bytes = 1\nmode.observe = true", "content.max_bytes = 2\nmode.observe = false",
        nullptr, nullptr},
       2,
       false},
      {{"content.max_bytes = 1", "content.max_bytes = 2",
        "content.max_bytes = 3\nmode.observe = true", nullptr},
       3,
       true},
      {{"content.max_bytes = 1\nmode.observe = true", nullptr, "content.max_bytes = 3", "false"},
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
          "[mcp]\nallowed_servers = [\"github\"]\n[rules]\ndisabled = [\"a\"]\n"
          "[rules.enforcement]\n\"x\" = \"observe\"\n\"y\" = \"escalate\"\n"
          "[identity]\ngroups = [\"dev\"]\n");
  t.write("proj/.vectimus/config.toml",
          "[mcp]\nallowed_servers = [\"linear\"]\n[rules]\ndisabled = [\"b\"]\n"
          "[rules.enforcement]\n\"x\" = \"deny\"\n[identity]\ngroups = [\"ops\"]\nidentity_type = "
          "\"agent\"\n");
  h.env.set("VECTIMUS_MCP_ALLOWED", "slack, jira");
  const engine::Config c = load(t, h);
  CHECK(c.mcp_allowed == std::vector<std::string>{"github", "jira", "linear", "slack"});
  CHECK(c.disabled_rules == std::vector<std::string>{"a", "b"});
  CHECK(c.enforcement.at("x") == engine::Enforcement::deny);
  CHECK(c.enforcement.at("y") == engine::Enforcement::escalate);
  CHECK(c.groups == std::vector<std::string>{"ops"});
  CHECK(c.identity_type == "agent");
  CHECK(c.files == std::vector<std::string>{t.path("home/.vectimus/config.toml"),
                                            t.path("proj/.vectimus/config.toml")});

  h.env.set("VECTIMUS_GROUPS", "sre,oncall");
  h.env.set("VECTIMUS_IDENTITY_TYPE", "user");
  h.env.set("VECTIMUS_LOG_DIR", "/var/log/v");
  h.env.set("VECTIMUS_DEBUG", "yes");
  const engine::Config e = load(t, h);
  CHECK(e.groups == std::vector<std::string>{"oncall", "sre"});
  CHECK(e.identity_type == "user");
  CHECK(e.log_dir == "/var/log/v");
  CHECK(e.debug);
}

TEST_CASE("CI=true makes the identity an agent unless a layer says otherwise") {
  MapEnvironment env;
  env.set("CI", "true");
  engine::Config c;
  CHECK(engine::apply_config_env(c, env, {}).empty());
  CHECK(c.identity_type == "agent");
  engine::Config user;
  user.identity_type = "user";
  CHECK(engine::apply_config_env(user, env, {}).empty());
  CHECK(user.identity_type == "user");
}

TEST_CASE("a config file that does not parse, or has an unknown key, is an error with its place") {
  TempTree t;
  t.mkdir("home");
  TestHost h(t.path("proj"), t.path("home"));
  const std::string file = t.write("home/.vectimus/config.toml", "[mode]\nobserve = true\n[mcp\n");
  auto c = engine::load_config(h.host, {file});
  REQUIRE_FALSE(c.ok());
  CHECK(c.errors().front().code == "syntax");
  CHECK(render(c.errors().front()).rfind(file + ":3:", 0) == 0);

  t.write("home/.vectimus/config.toml", "[mode]\nobserve = true\n[rules]\ndisable = [\"x\"]\n");
  c = engine::load_config(h.host, {file});
  REQUIRE_FALSE(c.ok());
  CHECK(render(c.errors().front()) == file +
                                          ":4:1: error: unknown key `[rules] disable`\n"
                                          "disable = [\"x\"]\n"
                                          "^~~~~~~\n"
                                          "help: did you mean `[rules] disabled`?\n");

  t.write("home/.vectimus/config.toml", "[rules.enforcement]\n\"x\" = \"block\"\n");
  c = engine::load_config(h.host, {file});
  REQUIRE_FALSE(c.ok());
  CHECK(c.errors().front().message ==
        "a rule's level must be \"deny\", \"escalate\" or \"observe\"");
  CHECK(render(c.errors().front()).rfind(file + ":2:7:", 0) == 0);

  t.write("home/.vectimus/config.toml", "[mode]\nobserve = \"yes\"\n[server]\nport = 70000\n");
  c = engine::load_config(h.host, {file});
  REQUIRE(c.errors().size() == 2);
  CHECK(c.errors()[0].message == "`[mode] observe` must be true or false");
  CHECK(c.errors()[1].message == "`[server] port` must be at most 65535");

  t.write("home/.vectimus/config.toml", "[audit]\nrequired = true\nsyslog = \"tcp://10.0.0.9\"\n");
  c = engine::load_config(h.host, {file});
  REQUIRE(c.errors().size() == 1);
  CHECK(render(c.errors().front()) ==
        file +
            ":3:10: error: `[audit] syslog` must be udp://host:port, tcp://host:port or "
            "unix:///path: `tcp://10.0.0.9` has no port\n"
            "syslog = \"tcp://10.0.0.9\"\n"
            "         ^~~~~~~~~~~~~~~~\n");

  std::remove(file.c_str());
  h.env.set("VECTIMUS_OBSERVE", "maybe");
  c = engine::load_config(h.host, {file});
  REQUIRE_FALSE(c.ok());
  CHECK(c.errors().front().message == "`VECTIMUS_OBSERVE` is `maybe`: expected true or false");
}

TEST_CASE("the names this project used before the docs' give way, each with a suggestion") {
  // Nothing was released: no aliases, but the error says what the key is called now.
  const std::pair<const char*, const char*> rows[] = {
      {"observe = true\n", "did you mean `[mode] observe`?"},
      {"[mcp]\nallowed = []\n", "did you mean `[mcp] allowed_servers`?"},
      {"[log]\ndir = \"x\"\n", "did you mean `[logging]`?"},
      {"[identity]\ntype = \"agent\"\n", "did you mean `[identity] identity_type`?"},
      {"[policies]\ndirs = \"x\"\n", "did you mean `[policies] dir`?"},
      {"[packs.core]\nenable = false\n", "did you mean `[packs.core] enabled`?"},
      {"[server]\napikey = \"k\"\n", "did you mean `[server] api_key`?"},
      {"[logging]\ndebugging = true\n", "did you mean `[logging] debug`?"},
      {"[receipt]\nenabled = true\n", "did you mean `[receipts]`?"},
      {"zzz = 1\n", "see the configuration section of the README"},
  };
  for (const auto& [text, help] : rows) {
    CAPTURE(text);
    engine::Config c;
    const auto errors = engine::apply_config_toml(c, make_source("f.toml", text), {});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].severity == Severity::error);
    CHECK(errors[0].help == help);
  }
}

TEST_CASE("every row of the schema round-trips its kind and merge through two layers and env") {
  // Per kind: a TOML value for layer 1 and layer 2, and what a wrong type looks like.
  struct Sample {
    std::string one, two, wrong;
  };
  const auto sample = [](const engine::ConfigKey& key) -> Sample {
    switch (key.kind) {
      case engine::ValueKind::boolean: return {"true", "false", "\"true\""};
      case engine::ValueKind::integer: return {"7", "9", "\"7\""};
      case engine::ValueKind::string: return {"\"one\"", "\"two\"", "1"};
      case engine::ValueKind::choice:
        return {"\"" + std::string(key.choices.front()) + "\"",
                "\"" + std::string(key.choices.back()) + "\"", "[]"};
      case engine::ValueKind::path: return {"\"/one\"", "\"/two\"", "false"};
      case engine::ValueKind::string_list: return {"[\"a\", \"b\"]", "[\"c\", \"a\"]", "\"a\""};
      case engine::ValueKind::enforcement: return {"\"observe\"", "\"escalate\"", "\"block\""};
      case engine::ValueKind::table_array: return {"[{k = \"1\"}]", "[{k = \"2\"}, {k = 3}]", "1"};
      case engine::ValueKind::endpoint:
        return {"\"udp://127.0.0.1:514\"", "\"tcp://[::1]:6514\"", "1"};
    }
    return {};
  };
  // TOML setting `path` (with `x` for `*`) to `value`.
  const auto doc = [](std::string path, const std::string& value) {
    for (std::size_t star = path.find('*'); star != std::string::npos; star = path.find('*')) {
      path.replace(star, 1, "x");
    }
    return path + " = " + value + "\n";
  };
  for (const engine::ConfigKey& key : engine::config_schema()) {
    CAPTURE(key.path);
    // The default parses (default_config() relies on it).
    if (!key.default_text.empty()) CHECK(engine::parse_config_text(key, key.default_text).ok());
    if (!key.in_files) continue;
    const Sample s = sample(key);
    engine::Config c;
    const engine::LayerContext context{"/base", "/home/u"};
    auto errors = engine::apply_config_toml(
        c, make_source("1.toml", doc(std::string(key.path), s.one)), context);
    errors = engine::apply_config_toml(c, make_source("2.toml", doc(std::string(key.path), s.two)),
                                       context);
    for (const Diagnostic& d : errors) {
      CHECK(d.severity == Severity::warning);  // only "not built yet" notes
      CHECK(!key.built);
    }
    CHECK(errors.size() == (key.built ? 0u : 1u));
    // What the field holds after the two layers, per its type and the row's merge.
    std::visit(
        [&](auto member) {
          const auto& field = c.*member;
          using Field = std::remove_cvref_t<decltype(field)>;
          if constexpr (std::is_same_v<Field, bool>) {
            CHECK(field == false);
          } else if constexpr (std::is_same_v<Field, std::size_t>) {
            CHECK(field == 9);
          } else if constexpr (std::is_same_v<Field, std::string> ||
                               std::is_same_v<Field, std::optional<std::string>>) {
            const std::string expected =
                key.kind == engine::ValueKind::choice     ? std::string(key.choices.back())
                : key.kind == engine::ValueKind::path     ? "/two"
                : key.kind == engine::ValueKind::endpoint ? "tcp://[::1]:6514"
                                                          : "two";
            CHECK(field == expected);
          } else if constexpr (std::is_same_v<Field, std::vector<std::string>>) {
            CHECK(field == (key.merge == engine::Merge::unite
                                ? std::vector<std::string>{"a", "b", "c"}
                                : std::vector<std::string>{"a", "c"}));
          } else if constexpr (std::is_same_v<Field, std::map<std::string, engine::Enforcement,
                                                              std::less<>>>) {
            CHECK(key.merge == engine::Merge::per_key);
            CHECK(field.at("x") == engine::Enforcement::escalate);
          } else if constexpr (std::is_same_v<Field, std::map<std::string, bool, std::less<>>>) {
            CHECK(key.merge == engine::Merge::per_key);
            CHECK(field.at("x") == false);
          } else {
            CHECK(field.size() == 2);
            CHECK(field.at(1).at("k") == "3");
          }
        },
        key.target);
    // The origin is the key's own name (a dotted key's last part).
    CHECK(c.origins.at(doc(std::string(key.path), "").substr(0, key.path.size())).label ==
          "2.toml:1:" + std::to_string(key.path.rfind('.') + 2));
    // A wrong type is an error at the value.
    engine::Config wrong;
    errors = engine::apply_config_toml(
        wrong, make_source("3.toml", doc(std::string(key.path), s.wrong)), context);
    REQUIRE_FALSE(errors.empty());
    CHECK(errors.front().severity == Severity::error);
    CHECK(render(errors.front()).rfind("3.toml:1:", 0) == 0);
  }
}

TEST_CASE("each variable sets its row's key, over every file; paths resolve from the cwd") {
  const std::map<std::string_view, std::pair<std::string, std::string>> values = {
      // variable -> (text, what the field shows)
      {"VECTIMUS_POLICY_DIR", {"rel/p", "/cwd/rel/p"}},
      {"VECTIMUS_OBSERVE", {"true", "true"}},
      {"VECTIMUS_MCP_ALLOWED", {"slack, github", "github,slack"}},
      {"VECTIMUS_IDENTITY_TYPE", {"agent", "agent"}},
      {"VECTIMUS_GROUPS", {"ci,deploy", "ci,deploy"}},
      {"VECTIMUS_PERSONA", {"reviewer", "reviewer"}},
      {"VECTIMUS_PRINCIPAL", {"svc", "svc"}},
      {"VECTIMUS_LOG_DIR", {"~/logs", "/home/u/logs"}},
      {"VECTIMUS_DEBUG", {"1", "true"}},
      {"VECTIMUS_HOST", {"127.0.0.1", "127.0.0.1"}},
      {"VECTIMUS_PORT", {"9000", "9000"}},
      {"VECTIMUS_SERVER_URL", {"https://v.example", "https://v.example"}},
      {"VECTIMUS_API_KEY", {"secret", "secret"}},
      {"VECTIMUS_TIMEOUT", {"12", "12"}},
  };
  std::size_t rows_with_env = 0;
  for (const engine::ConfigKey& key : engine::config_schema()) {
    if (key.env.empty()) continue;
    ++rows_with_env;
    CAPTURE(key.env);
    REQUIRE(values.count(key.env) == 1);
    MapEnvironment env;
    env.set(std::string(key.env), values.at(key.env).first);
    engine::Config c;
    REQUIRE(engine::apply_config_env(c, env, {"/cwd", "/home/u"}).empty());
    std::string shown;
    std::visit(
        [&](auto member) {
          const auto& field = c.*member;
          using Field = std::remove_cvref_t<decltype(field)>;
          if constexpr (std::is_same_v<Field, bool>) {
            shown = field ? "true" : "false";
          } else if constexpr (std::is_same_v<Field, std::size_t>) {
            shown = std::to_string(field);
          } else if constexpr (std::is_same_v<Field, std::string>) {
            shown = field;
          } else if constexpr (std::is_same_v<Field, std::optional<std::string>>) {
            shown = field.value_or("<unset>");
          } else if constexpr (std::is_same_v<Field, std::vector<std::string>>) {
            for (const auto& item : field) shown += (shown.empty() ? "" : ",") + item;
          }
        },
        key.target);
    CHECK(shown == values.at(key.env).second);
    CHECK(c.origins.at(std::string(key.path)).label == key.env);
  }
  CHECK(rows_with_env == values.size());
}

TEST_CASE("defaults come from the table and match Config's own initial values") {
  const engine::Config d = engine::default_config({"/cwd", "/home/u"});
  const engine::Config plain;
  CHECK(d.observe == plain.observe);
  CHECK(d.identity_resolver == plain.identity_resolver);
  CHECK(d.default_persona == plain.default_persona);
  CHECK(d.content_max_bytes == plain.content_max_bytes);
  CHECK(d.log_format == plain.log_format);
  CHECK(d.server_host == plain.server_host);
  CHECK(d.server_port == plain.server_port);
  CHECK(d.server_timeout == plain.server_timeout);
  CHECK(d.log_dir == "/home/u/.vectimus/logs");
  CHECK(d.effective_persona() == "default");
  CHECK_FALSE(d.policy_dir);
}

TEST_CASE("relative paths are taken from the folder the file configures") {
  CHECK(engine::config_base_dir("/p/.vectimus/config.toml") == "/p");
  CHECK(engine::config_base_dir("/home/u/.vectimus/config.toml") == "/home/u");
  CHECK(engine::config_base_dir("/work/vectimus.toml") == "/work");
  CHECK(engine::config_base_dir("/vectimus.toml") == "/");
  TempTree t;
  t.mkdir("proj/.git");
  t.mkdir("home");
  TestHost h(t.path("proj/sub"), t.path("home"));
  t.write("home/.vectimus/config.toml", "[logging]\ndir = \"logs\"\n[policies]\ndir = \"p\"\n");
  auto c = engine::load_config(h.host, {t.path("home/.vectimus/config.toml")});
  REQUIRE(c.ok());
  CHECK(c->log_dir == t.path("home/logs"));
  CHECK(c->policy_dir == t.path("home/p"));
  t.write("proj/.vectimus/config.toml", "[policies]\ndir = \"./policies/../mine\"\n");
  t.write("proj/sub/vectimus.toml", "[logging]\ndir = \"~/l\"\n");
  c = engine::load_config(
      h.host, {t.path("home/.vectimus/config.toml"), t.path("proj/.vectimus/config.toml"),
               t.path("proj/sub/vectimus.toml")});
  REQUIRE(c.ok());
  CHECK(c->policy_dir == t.path("proj/mine"));
  CHECK(c->log_dir == t.path("home/l"));
  CHECK(c->origins.at("policies.dir").label == t.path("proj/.vectimus/config.toml") + ":2:1");
}

TEST_CASE("the docs' example config files load; unbuilt features would be notes, not errors") {
  // server.md, "Configuration".
  const char* server_md = R"([server]
host = "0.0.0.0"
port = 8420

[policies]
dir = "./policies"

[mcp]
allowed_servers = ["github", "slack"]

[logging]
dir = "~/.vectimus/logs"
)";
  // architecture.md, "Configuration".
  const char* architecture_md = R"([policies]
dir = "./policies"

[logging]
dir = "~/.vectimus/logs"
format = "jsonl"

[identity]
resolver = "git"    # "git", "env" or "system"
default_persona = "default"
)";
  engine::Config c;
  auto notes = engine::apply_config_toml(c, make_source("server.toml", server_md), {"/w", "/h"});
  CHECK(c.policy_dir == "/w/policies");
  CHECK(c.mcp_allowed == std::vector<std::string>{"github", "slack"});
  CHECK(c.log_dir == "/h/.vectimus/logs");
  CHECK(c.server_port == 8420);
  std::vector<std::string> shown;
  for (const Diagnostic& d : notes) {
    CHECK(d.severity == Severity::warning);
    shown.push_back(render(d).substr(0, render(d).find('\n')));
  }
  CHECK(shown.empty());  // the server is built: its host and port have effect
  engine::Config a;
  notes = engine::apply_config_toml(a, make_source("arch.toml", architecture_md), {"/w", "/h"});
  CHECK(notes.size() == 1);  // logging.format (logging.dir is built)
  CHECK(a.identity_resolver == "git");
  CHECK(a.effective_persona() == "default");
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
