// install() and uninstall() on real temporary folders: for every agent, a project that already
// holds a foreign hook and keys we do not know gets our entry first and everything else kept;
// a second install changes no byte; uninstall gives back every file byte for byte.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "setup/install.hpp"
#include "tests/support/temp_tree.hpp"

using namespace vectimus;
using namespace vectimus::setup;
using vectimus::testing::TempTree;

namespace {

const std::string kBinary = "/opt/vectimus/bin/vectimus";

// A hook file as people have them: a foreign hook in our array, keys we do not know, 4-space
// indentation, a comment.
const std::map<std::string, std::string> kExisting = {
    {"claude-code",
     "{\n    \"model\": \"opus\",\n    // kept\n    \"hooks\": {\n        \"PreToolUse\": [\n      "
     "      {\"matcher\": \"Bash\", \"hooks\": [{\"type\": \"command\", \"command\": "
     "\"other-guard\"}]}\n        ]\n    },\n    \"zeta\": [1, 2]\n}\n"},
    {"cursor",
     "{\n  \"version\": 1,\n  \"hooks\": {\n    \"afterFileEdit\": [{\"command\": \"fmt\"}]\n  "
     "},\n  \"x-unknown\": true\n}\n"},
    {"copilot",
     "{\n  \"version\": 1,\n  \"hooks\": {\n    \"preToolUse\": [\n      {\"type\": \"command\", "
     "\"bash\": \"./audit.sh\"}\n    ]\n  }\n}"},
    {"gemini-cli",
     "{\n  \"theme\": \"dark\",\n  \"hooksConfig\": {\"enabled\": true},\n  \"mcpServers\": "
     "{}\n}\n"},
    {"codex",
     "{\"hooks\": {\"PreToolUse\": [{\"hooks\": [{\"type\": \"command\", \"command\": "
     "\"lint\"}]}]}}\n"},
};

std::string read(const std::string& path) {
  FileRead r = real_file_system().read(path, 1 << 20);
  return r.status == FileRead::Status::ok ? r.text : "<missing>";
}

// Every regular file under `dir`, path relative to it, with its bytes.
std::map<std::string, std::string> snapshot(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    const std::string rel = std::filesystem::relative(e.path(), dir).string();
    out[rel] = e.is_regular_file() ? read(e.path().string()) : "<dir>";
  }
  return out;
}

InstallRequest request(const TempTree& t, const AgentSpec& agent, bool user) {
  InstallRequest r;
  r.home = t.path("home");
  r.root = user ? r.home : t.path("proj");
  r.user = user;
  r.binary = kBinary;
  r.agents = {&agent};
  return r;
}

}  // namespace

TEST_CASE("install then uninstall leaves each agent's existing file byte-identical") {
  for (const AgentSpec& agent : agents()) {
    for (const bool user : {false, true}) {
      INFO(agent.name << (user ? " --user" : ""));
      TempTree t;
      t.mkdir("home");
      t.write("proj/.git/HEAD", "ref: refs/heads/main\n");
      t.write("proj/.gitignore", "build/\n");
      const InstallRequest req = request(t, agent, user);
      const std::string file = hook_file(agent, req.root, user);
      t.write(std::filesystem::relative(file, t.root()).string(),
              kExisting.at(std::string(agent.name)));
      const auto before = snapshot(t.root());

      Result<InstallResult> first = install(real_host(), req);
      REQUIRE(first.ok());
      const std::string edited = read(file);
      Result<JsonNode> doc = parse_json(edited, file, true);
      REQUIRE(doc.ok());
      CHECK(our_commands(*doc, agent) ==
            std::vector<std::string>{kBinary + " hook --source " + std::string(agent.name)});
      CHECK(edited.find(kExisting.at(std::string(agent.name)).substr(0, 10)) == 0);
      // Ours is the first entry of the array.
      const JsonNode* array = doc->find(agent.path[0])->find(agent.path[1]);
      REQUIRE(array);
      CHECK(is_our_entry(array->items.front(), agent));
      CHECK(first->key_id.rfind("vtms-key-", 0) == 0);

      const auto after_first = snapshot(t.root());
      REQUIRE(install(real_host(), req).ok());
      CHECK(snapshot(t.root()) == after_first);

      Result<std::vector<FileOutcome>> removed = uninstall(real_host(), req.root, user);
      REQUIRE(removed.ok());
      auto now = snapshot(t.root());
      // The signing key stays in the home folder: other projects' receipts need it.
      for (auto it = now.begin(); it != now.end();) {
        it = it->first.rfind("home/.vectimus/keys", 0) == 0 || it->first == "home/.vectimus"
                 ? now.erase(it)
                 : std::next(it);
      }
      CHECK(now == before);
    }
  }
}

TEST_CASE("install into a project without hook files creates them; uninstall deletes them") {
  TempTree t;
  t.mkdir("home");
  t.mkdir("proj/.git");
  InstallRequest req;
  req.home = t.path("home");
  req.root = t.path("proj");
  req.binary = "/path with space/vectimus";
  for (const AgentSpec& a : agents()) req.agents.push_back(&a);
  const auto before = snapshot(t.path("proj"));
  Result<InstallResult> r = install(real_host(), req);
  REQUIRE(r.ok());
  CHECK(read(t.path("proj/.cursor/hooks.json")) ==
        "{\n  \"version\": 1,\n  \"hooks\": {\n    \"preToolUse\": [\n      {\n        "
        "\"command\": \"'/path with space/vectimus' hook --source cursor\",\n        "
        "\"failClosed\": true\n      }\n    ]\n  }\n}\n");
  CHECK(read(t.path("proj/.gitignore")) == ".vectimus/receipts/\n");
  CHECK(read(t.path("proj/.vectimus/keys/" + r->key_id + ".pub")).rfind("-----BEGIN", 0) == 0);
  CHECK(r->todo.size() == 4);  // Cursor, Copilot, Gemini trust; Codex review
  REQUIRE(uninstall(real_host(), req.root, false).ok());
  CHECK(snapshot(t.path("proj")) == before);
}

TEST_CASE("uninstall of a file changed since init takes out only our entry") {
  TempTree t;
  t.mkdir("home");
  t.write("proj/.claude/settings.json", kExisting.at("claude-code"));
  InstallRequest req = request(t, *find_agent("claude-code"), false);
  REQUIRE(install(real_host(), req).ok());
  const std::string path = t.path("proj/.claude/settings.json");
  std::string text = read(path);
  text.replace(text.find("\"opus\""), 6, "\"sonnet\"");
  t.write("proj/.claude/settings.json", text);
  Result<std::vector<FileOutcome>> out = uninstall(real_host(), req.root, false);
  REQUIRE(out.ok());
  std::string expected = kExisting.at("claude-code");
  expected.replace(expected.find("\"opus\""), 6, "\"sonnet\"");
  CHECK(read(path) == expected);
}

TEST_CASE("install refuses a hook file that does not parse and writes nothing") {
  TempTree t;
  t.mkdir("home");
  t.write("proj/.gemini/settings.json", "{\n  \"theme\": \"dark\",,\n}\n");
  const auto before = snapshot(t.root());
  Result<InstallResult> r = install(real_host(), request(t, *find_agent("gemini-cli"), false));
  REQUIRE_FALSE(r.ok());
  CHECK(render(r.errors())
            .find(t.path("proj/.gemini/settings.json") + ":2:19: error: expected a "
                                                         "key") == 0);
  CHECK(snapshot(t.root()) == before);
}

TEST_CASE("install replaces a stale entry of ours (the binary moved) and keeps the rest") {
  TempTree t;
  t.mkdir("home");
  InstallRequest req = request(t, *find_agent("codex"), false);
  t.write("proj/.codex/hooks.json", kExisting.at("codex"));
  REQUIRE(install(real_host(), req).ok());
  req.binary = "/usr/local/bin/vectimus";
  REQUIRE(install(real_host(), req).ok());
  Result<JsonNode> doc = parse_json(read(t.path("proj/.codex/hooks.json")), "", false);
  REQUIRE(doc.ok());
  CHECK(our_commands(*doc, *find_agent("codex")) ==
        std::vector<std::string>{"/usr/local/bin/vectimus hook --source codex"});
  REQUIRE(uninstall(real_host(), req.root, false).ok());
  CHECK(read(t.path("proj/.codex/hooks.json")) == kExisting.at("codex"));
}

TEST_CASE("install turns Codex's hooks feature on in place; uninstall turns it off again") {
  TempTree t;
  const std::string text =
      "model = \"o3\"\n\n[features]\n# off while testing\nhooks   = false # later\nweb = true\n";
  t.write("home/.codex/config.toml", text);
  t.write("proj/.codex/config.toml", "[features]\ncodex_hooks = true\n");
  InstallRequest req = request(t, *find_agent("codex"), false);
  Result<InstallResult> r = install(real_host(), req);
  REQUIRE(r.ok());
  std::string on = text;
  on.replace(on.find("false"), 5, "true");
  CHECK(read(t.path("home/.codex/config.toml")) == on);
  CHECK(read(t.path("proj/.codex/config.toml")) == "[features]\ncodex_hooks = true\n");
  bool said = false;
  for (const FileOutcome& f : r->files) said = said || f.what == "hooks feature turned on";
  CHECK(said);
  // The user edits the file since: only the switch goes back.
  t.write("home/.codex/config.toml", on + "[x]\n");
  REQUIRE(uninstall(real_host(), req.root, false).ok());
  CHECK(read(t.path("home/.codex/config.toml")) == text + "[x]\n");

  t.write("home/.codex/config.toml", "[features\nhooks = false\n");
  Result<InstallResult> bad = install(real_host(), req);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.errors()[0].message.rfind(t.path("home/.codex/config.toml") + ":1:", 0) == 0);
}

TEST_CASE("Claude Code new enough gets onFailure block; a second install with it changes nothing") {
  CHECK(version_at_least("2.1.295 (Claude Code)\n", "2.1.295"));
  CHECK(version_at_least("claude 10.0.0", "2.1.295"));
  CHECK_FALSE(version_at_least("2.1.197 (Claude Code)", "2.1.295"));
  CHECK_FALSE(version_at_least("", "2.1.295"));
  CHECK_FALSE(version_at_least("v2.1", "2.1.295"));
  TempTree t;
  t.mkdir("home");
  InstallRequest req = request(t, *find_agent("claude-code"), false);
  REQUIRE(install(real_host(), req).ok());
  const std::string path = t.path("proj/.claude/settings.json");
  CHECK_FALSE(read(path).find("onFailure") != std::string::npos);
  req.versions["claude-code"] = "2.1.300 (Claude Code)";
  REQUIRE(install(real_host(), req).ok());
  const std::string newer = read(path);
  CHECK(newer.find("\"onFailure\": \"block\"") != std::string::npos);
  REQUIRE(install(real_host(), req).ok());
  CHECK(read(path) == newer);
  REQUIRE(uninstall(real_host(), req.root, false).ok());
  CHECK(read(path) == "<missing>");
}

TEST_CASE("an install that fails part way records what it wrote, so uninstall undoes it") {
  TempTree t;
  t.mkdir("home");
  t.write("proj/.cursor/hooks.json", kExisting.at("cursor"));
  t.write("proj/.vectimus/backups", "a file where the backups folder goes\n");
  const auto before = snapshot(t.path("proj"));
  InstallRequest req = request(t, *find_agent("claude-code"), false);
  req.agents.push_back(find_agent("cursor"));
  Result<InstallResult> r = install(real_host(), req);
  REQUIRE_FALSE(r.ok());
  CHECK(r.errors()[0].message.rfind("cannot write `" + t.path("proj/.cursor/hooks.json") + "`",
                                    0) == 0);
  CHECK(read(t.path("proj/.claude/settings.json")) != "<missing>");  // written before the failure
  REQUIRE(uninstall(real_host(), req.root, false).ok());
  CHECK(snapshot(t.path("proj")) == before);
}

TEST_CASE("with a server URL: Claude Code as an http hook, the others in client mode") {
  CHECK(hook_command("/b/vectimus", *find_agent("codex"), "https://v.example") ==
        "/b/vectimus hook --source codex --server-url https://v.example");
  CHECK(hook_command("/b/vectimus", *find_agent("codex"), "https://v.example/a b") ==
        "/b/vectimus hook --source codex --server-url 'https://v.example/a b'");
  const AgentSpec& claude = *find_agent("claude-code");
  CHECK(is_our_hook_url("https://v.example/base/v1/hooks/claude-code", claude));
  CHECK_FALSE(is_our_hook_url("https://v.example/v1/hooks/codex", claude));
  CHECK_FALSE(is_our_hook_url("/v1/hooks/claude-code", claude));
  TempTree t;
  t.mkdir("home");
  for (const AgentSpec& agent : agents()) {
    INFO(agent.name);
    InstallRequest req = request(t, agent, false);
    req.server_url = "https://v.example";
    Result<InstallResult> done = install(real_host(), req);
    REQUIRE(done.ok());
    const std::string path = hook_file(agent, req.root, false);
    const std::string text = read(path);
    Result<JsonNode> doc = parse_json(text, path, true);
    REQUIRE(doc.ok());
    const std::vector<std::string> ours = our_commands(*doc, agent);
    REQUIRE(ours.size() == 1);
    if (agent.name == "claude-code") {
      CHECK(ours[0] == "https://v.example/v1/hooks/claude-code");
      CHECK(text.find("\"type\": \"http\"") != std::string::npos);
      CHECK(text.find("\"X-Vectimus-API-Key\": \"$VECTIMUS_API_KEY\"") != std::string::npos);
      CHECK(text.find("\"allowedEnvVars\": [") != std::string::npos);
      CHECK(text.find("onFailure") == std::string::npos);  // no version known: an old one
      bool warned = false;
      for (const std::string& todo : done->todo) {
        warned = warned || todo.find("lets the call run") != std::string::npos;
      }
      CHECK(warned);
    } else {
      CHECK(ours[0] == hook_command(kBinary, agent, "https://v.example"));
    }
    // Installing the local hook again replaces the server entry; installing with the server
    // again puts it back, and uninstall takes it out.
    req.server_url.clear();
    REQUIRE(install(real_host(), req).ok());
    Result<JsonNode> local = parse_json(read(path), path, true);
    REQUIRE(local.ok());
    CHECK(our_commands(*local, agent) == std::vector<std::string>{hook_command(kBinary, agent)});
    req.server_url = "https://v.example";
    REQUIRE(install(real_host(), req).ok());
    CHECK(read(path) == text);
    REQUIRE(uninstall(real_host(), req.root, false).ok());
    CHECK(read(path) == "<missing>");
  }
  // A Claude Code new enough gets onFailure: block on its http hook.
  InstallRequest req = request(t, claude, false);
  req.server_url = "https://v.example";
  req.versions["claude-code"] = "2.1.300 (Claude Code)";
  REQUIRE(install(real_host(), req).ok());
  CHECK(read(t.path("proj/.claude/settings.json")).find("\"onFailure\": \"block\"") !=
        std::string::npos);
}
