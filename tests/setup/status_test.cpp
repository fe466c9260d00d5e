// agent_statuses(): our entry found at project or user level, and each agent's own switches
// that keep the hook from running.
#include <catch2/catch.hpp>

#include "setup/status.hpp"
#include "tests/support/temp_tree.hpp"

using namespace vectimus;
using namespace vectimus::setup;
using vectimus::testing::TempTree;

namespace {

const AgentStatus& of(const std::vector<AgentStatus>& all, std::string_view name) {
  for (const AgentStatus& s : all) {
    if (s.agent->name == name) return s;
  }
  FAIL("no status for " << name);
  return all.front();
}

bool mentions(const AgentStatus& s, const std::string& part) {
  for (const std::string& p : s.problems) {
    if (p.find(part) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("status: Claude Code managed-only hooks, user-level entries, trusted folders") {
  TempTree t;
  t.write(
      "home/.claude/settings.json",
      R"({"hooks":{"PreToolUse":[{"hooks":[{"type":"command","command":"/usr/bin/vectimus hook --source claude-code"}]}]}})");
  t.write("managed.json", R"({"allowManagedHooksOnly": true})");
  t.write(
      "proj/.gemini/settings.json",
      R"({"hooks":{"BeforeTool":[{"hooks":[{"command":"/usr/bin/vectimus hook --source gemini-cli"}]}]}})");
  t.write("home/.gemini/trustedFolders.json", "{\"" + t.path("proj") + "\": \"TRUST_FOLDER\"}");
  t.write("proj/.github/hooks/vectimus.json",
          R"({"hooks":{"preToolUse":[{"bash":"/usr/bin/vectimus hook --source copilot"}]}})");
  t.write("home/.copilot/config.json", "{\"trustedFolders\": [\"" + t.root() + "\"]}");
  StatusPlaces places{t.path("proj"), t.path("home"), t.path("managed.json")};
  const std::vector<AgentStatus> all = agent_statuses(real_host(), places);
  REQUIRE(all.size() == 5);
  const AgentStatus& claude = of(all, "claude-code");
  CHECK(claude.configured);
  CHECK(claude.level == "user");
  CHECK_FALSE(claude.can_run);
  CHECK(mentions(claude, "managed settings allow only managed hooks"));
  const AgentStatus& gemini = of(all, "gemini-cli");
  CHECK(gemini.level == "project");
  CHECK_FALSE(mentions(gemini, "does not trust"));
  const AgentStatus& copilot = of(all, "copilot");
  CHECK_FALSE(mentions(copilot, "does not trust"));  // a parent folder is trusted
  CHECK_FALSE(of(all, "cursor").configured);
  CHECK_FALSE(of(all, "cursor").can_run);
}

TEST_CASE("status: a Gemini parent trusted with TRUST_PARENT counts; DO_NOT_TRUST does not") {
  TempTree t;
  t.write(
      "proj/.gemini/settings.json",
      R"({"hooks":{"BeforeTool":[{"hooks":[{"command":"/usr/bin/vectimus hook --source gemini-cli"}]}]}})");
  t.write("home/.gemini/trustedFolders.json", "{\"" + t.path("proj/sub") + "\": \"TRUST_PARENT\"}");
  StatusPlaces places{t.path("proj"), t.path("home"), t.path("none.json")};
  CHECK_FALSE(mentions(of(agent_statuses(real_host(), places), "gemini-cli"), "does not trust"));
  t.write("home/.gemini/trustedFolders.json", "{\"" + t.path("proj") + "\": \"DO_NOT_TRUST\"}");
  CHECK(mentions(of(agent_statuses(real_host(), places), "gemini-cli"), "does not trust"));
}
