#include <catch2/catch.hpp>

#include "normalise/event.hpp"
#include "normalise/patch.hpp"

using namespace vectimus::normalise;

TEST_CASE("action type names round-trip", "[normalise][event]") {
  const char* names[] = {"shell_command", "file_write",        "file_read",     "web_request",
                         "mcp_tool",      "package_operation", "git_operation", "infrastructure",
                         "agent_spawn",   "agent_message",     "tool_call"};
  for (const char* name : names) {
    auto type = parse_action_type(name);
    REQUIRE(type.has_value());
    CHECK(action_type_name(*type) == name);
  }
  CHECK_FALSE(parse_action_type("Shell").has_value());
}

TEST_CASE("dialect names", "[normalise][event]") {
  CHECK(dialect_name(Dialect::unknown) == "unknown");
  CHECK(dialect_name(Dialect::claude_code) == "claude-code");
  CHECK(dialect_name(Dialect::claude_agent_sdk) == "claude-agent-sdk");
  CHECK(dialect_name(Dialect::codex) == "codex");
  CHECK(dialect_name(Dialect::cursor_pre_tool_use) == "cursor-pre-tool-use");
  CHECK(dialect_name(Dialect::cursor_before_shell) == "cursor-before-shell-execution");
  CHECK(dialect_name(Dialect::cursor_before_mcp) == "cursor-before-mcp-execution");
  CHECK(dialect_name(Dialect::cursor_before_read_file) == "cursor-before-read-file");
  CHECK(dialect_name(Dialect::cursor_after_file_edit) == "cursor-after-file-edit");
  CHECK(dialect_name(Dialect::copilot_vscode) == "copilot-vscode");
  CHECK(dialect_name(Dialect::copilot_cli) == "copilot-cli");
  CHECK(dialect_name(Dialect::copilot_cli_pascal) == "copilot-cli-pascal");
  CHECK(dialect_name(Dialect::gemini_cli) == "gemini-cli");
}

TEST_CASE("dump shows present fields only, strings escaped", "[normalise][event]") {
  Event e;
  e.source_tool = "codex";
  e.dialect = Dialect::codex;
  e.action_type = ActionType::file_write;
  e.raw_tool_name = "apply_patch";
  e.file_paths = {"/w/a", "/w/b"};
  e.file_path = "/w/a";
  e.content = "line \"1\"\n";
  e.agent.max_turns = 3;
  e.agent.run_in_background = false;
  CHECK(dump(e) == R"(source: "codex"
dialect: codex
action: file_write
tool: "apply_patch"
file_path: "/w/a"
file_paths: ["/w/a","/w/b"]
content: "line \"1\"\n"
agent.max_turns: 3
agent.run_in_background: false
input: {}
)");
  CHECK(dump(Event{}) ==
        "source: \"\"\ndialect: unknown\naction: tool_call\ntool: \"\"\ninput: {}\n");
}

TEST_CASE("apply_patch headers name the files", "[normalise][patch]") {
  const char* patch =
      "*** Begin Patch\n"
      "*** Update File: src/app.py\n"
      "*** Move to: src/main.py\n"
      "@@ def f():\n"
      "-    return 1\n"
      "+    return 2\n"
      "*** Add File:   docs/new.md  \r\n"
      "+hello\n"
      "*** Delete File: /abs/old.txt\n"
      "*** Update File: src/app.py\n"
      "+*** Add File: not/a/header (inside added text, so it starts with +)\n"
      "*** End Patch";
  CHECK(patch_file_paths(patch) ==
        std::vector<std::string>{"src/app.py", "src/main.py", "docs/new.md", "/abs/old.txt"});
  CHECK(patch_file_paths("").empty());
  CHECK(patch_file_paths("*** Add File:\n").empty());
}
