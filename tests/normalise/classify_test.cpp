#include <catch2/catch.hpp>

#include <sstream>

#include "normalise/classify.hpp"
#include "normalise/content.hpp"

using namespace vectimus::normalise;

namespace {

// "action pkg1,pkg2" for compact tables.
std::string show(const CommandClass& c) {
  std::string out(action_type_name(c.action));
  for (size_t i = 0; i < c.packages.size(); ++i) out += (i == 0 ? " " : ",") + c.packages[i];
  return out;
}

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace

TEST_CASE("classify_command: program and arguments", "[normalise][classify]") {
  struct Case {
    const char* argv;  // space-separated, program first
    const char* expected;
  };
  const Case cases[] = {
      {"git push --force origin main", "git_operation"},
      {"/usr/bin/git status", "git_operation"},
      {"GIT.EXE log", "git_operation"},
      {"C:\\Program\\Git\\bin\\git.exe log", "git_operation"},
      {"npm install", "package_operation"},
      {"npm test", "package_operation"},
      {"npm i lodash@4.17.21 @types/node@20 --save", "package_operation lodash,@types/node"},
      {"npm install --registry https://evil.example left-pad", "package_operation left-pad"},
      {"npx -y create-react-app my-app", "package_operation create-react-app"},
      {"pnpm add -D vitest", "package_operation vitest"},
      {"yarn global add typescript@5", "package_operation typescript"},
      {"bun add zod", "package_operation zod"},
      {"pip install requests==2.31 black[jupyter]>=23 -r requirements.txt",
       "package_operation requests,black"},
      {"pip3 install -i https://mirror.example/simple flask", "package_operation flask"},
      {"uv pip install httpx", "package_operation httpx"},
      {"uv add pydantic", "package_operation pydantic"},
      {"uvx ruff check", "package_operation ruff"},
      {"poetry add django", "package_operation django"},
      {"cargo install ripgrep", "package_operation ripgrep"},
      {"cargo build --release", "package_operation"},
      // `-v` takes a value for gem but is --verbose for pip: never skipped, so a version may
      // show up as a package (harmless) rather than a package being hidden.
      {"gem install rails -v 7.1", "package_operation rails,7.1"},
      {"go get github.com/pkg/errors@v0.9.1", "package_operation github.com/pkg/errors"},
      {"go install golang.org/x/tools/gopls@latest", "package_operation golang.org/x/tools/gopls"},
      {"go build ./...", "shell_command"},
      {"go test ./...", "shell_command"},
      {"apt-get install -y curl wget", "package_operation curl,wget"},
      {"apt update", "package_operation"},
      {"apt list --installed", "shell_command"},
      {"brew install --cask wireshark", "package_operation wireshark"},
      {"brew list", "shell_command"},
      {"dnf remove httpd", "package_operation"},
      {"apk add openssl", "package_operation openssl"},
      {"python -m pip install numpy", "package_operation numpy"},
      {"python3 -m pip install -U pip", "package_operation pip"},
      {"python3 script.py", "shell_command"},
      {"composer require monolog/monolog", "package_operation monolog/monolog"},
      {"terraform destroy -auto-approve", "infrastructure"},
      {"tofu apply", "infrastructure"},
      {"kubectl delete ns prod", "infrastructure"},
      {"helm uninstall shop", "infrastructure"},
      {"aws s3 rm s3://bucket --recursive", "infrastructure"},
      {"gcloud compute instances delete vm1", "infrastructure"},
      {"az group delete -n rg", "infrastructure"},
      {"docker run --privileged alpine", "infrastructure"},
      {"pulumi up", "infrastructure"},
      {"rm -rf /", "shell_command"},
      {"ls", "shell_command"},
      {"gitk", "shell_command"},
  };
  for (const Case& c : cases) {
    INFO(c.argv);
    std::vector<std::string> argv = words(c.argv);
    CHECK(show(classify_command(argv.front(), std::span(argv).subspan(1))) == c.expected);
  }
}

TEST_CASE("classify_commands: the first specific class of the analysed commands wins",
          "[normalise][classify]") {
  struct Case {
    const char* line;
    const char* expected;
  };
  const Case cases[] = {
      {"ls && rm -rf build", "shell_command"},
      {"cd app && npm install evil-pkg", "package_operation evil-pkg"},
      {"git add . && git commit -m 'npm install x'", "git_operation"},
      {"pnpm add -D vitest && git commit -am 'x'", "package_operation vitest"},
      {"sudo apt-get install -y netcat", "package_operation netcat"},
      {"sudo -u root apt-get install -y curl", "package_operation curl"},
      {"AWS_PROFILE=prod terraform destroy", "infrastructure"},
      {"FOO=1 BAR=2 env -i PATH=/bin terraform plan", "infrastructure"},
      {"timeout 30 nice -n 5 nohup git push", "git_operation"},
      {"echo ok; pip install a; pip install b a", "package_operation a,b"},
      {"'git' push", "git_operation"},
      {"make > out.log 2>&1", "shell_command"},
      {"(cd x; git pull)", "git_operation"},
      {"echo hi # git push", "shell_command"},
      {"x=1", "shell_command"},
      {"", "shell_command"},
      // What the interim splitter could not see: bodies run again, substitutions, launchers.
      {"bash -c 'npm install left-pad'", "package_operation left-pad"},
      {"sudo sh -c \"cd infra && terraform destroy\"", "infrastructure"},
      {"echo $(git rev-parse HEAD)", "git_operation"},
      {"eval 'pip install requests==2.31'", "package_operation requests"},
      {"find . -name x -exec git rm {} +", "git_operation"},
  };
  for (const Case& c : cases) {
    INFO(c.line);
    CHECK(show(classify_commands(analyse_command(c.line, "/home/u"))) == c.expected);
  }
}

TEST_CASE("MCP tool names", "[normalise][classify]") {
  struct Case {
    const char* name;
    ToolFamily family;
    const char* expected;  // "server|tool|plugin" or "none"
  };
  const Case cases[] = {
      {"mcp__github__create_issue", ToolFamily::claude, "github|create_issue|"},
      {"mcp__github__a__b", ToolFamily::claude, "github|a__b|"},
      {"mcp__plugin_acme-tools_linear__create_issue", ToolFamily::claude,
       "plugin_acme-tools_linear|create_issue|acme-tools"},
      {"mcp__plugin_x__t", ToolFamily::claude, "plugin_x|t|"},
      {"mcp__github", ToolFamily::claude, "none"},
      {"mcp____t", ToolFamily::claude, "none"},
      {"mcp__s__", ToolFamily::claude, "none"},
      {"MCP:query", ToolFamily::cursor, "|query|"},
      {"MCP:", ToolFamily::cursor, "none"},
      {"mcp_github_create_issue", ToolFamily::gemini, "github|create_issue|"},
      {"mcp_github_create_issue", ToolFamily::claude, "none"},
      {"mcp__db__query", ToolFamily::gemini, "db|query|"},
      {"mcp_x", ToolFamily::gemini, "none"},
      {"Bash", ToolFamily::claude, "none"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto parsed = parse_mcp_tool_name(c.name, c.family);
    std::string text = parsed
                           ? parsed->server + "|" + parsed->tool + "|" + parsed->plugin.value_or("")
                           : std::string("none");
    CHECK(text == c.expected);
  }
}

TEST_CASE("the tool table", "[normalise][classify]") {
  struct Case {
    ToolFamily family;
    const char* tool;
    const char* expected;  // action name, or "none"
  };
  const Case cases[] = {
      {ToolFamily::claude, "Bash", "shell_command"},
      {ToolFamily::claude, "PowerShell", "shell_command"},
      {ToolFamily::claude, "Write", "file_write"},
      {ToolFamily::claude, "Edit", "file_write"},
      {ToolFamily::claude, "Read", "file_read"},
      {ToolFamily::claude, "WebFetch", "web_request"},
      {ToolFamily::claude, "WebSearch", "web_request"},
      {ToolFamily::claude, "Agent", "agent_spawn"},
      {ToolFamily::claude, "Task", "agent_spawn"},
      {ToolFamily::claude, "SendMessage", "agent_message"},
      {ToolFamily::claude, "apply_patch", "file_write"},
      {ToolFamily::claude, "bash", "none"},
      {ToolFamily::cursor, "Shell", "shell_command"},
      {ToolFamily::cursor, "Read", "file_read"},
      {ToolFamily::cursor, "Write", "file_write"},
      {ToolFamily::cursor, "Delete", "file_write"},
      {ToolFamily::cursor, "Task", "agent_spawn"},
      {ToolFamily::cursor, "Bash", "none"},
      {ToolFamily::vscode, "runTerminalCommand", "shell_command"},
      {ToolFamily::vscode, "editFiles", "file_write"},
      {ToolFamily::vscode, "createFile", "file_write"},
      {ToolFamily::vscode, "create_file", "file_write"},
      {ToolFamily::vscode, "replace_string_in_file", "file_write"},
      {ToolFamily::vscode, "pushToGitHub", "git_operation"},
      {ToolFamily::copilot_cli, "bash", "shell_command"},
      {ToolFamily::copilot_cli, "powershell", "shell_command"},
      {ToolFamily::copilot_cli, "view", "file_read"},
      {ToolFamily::copilot_cli, "create", "file_write"},
      {ToolFamily::copilot_cli, "edit", "file_write"},
      {ToolFamily::copilot_cli, "web_fetch", "web_request"},
      {ToolFamily::copilot_cli, "task", "agent_spawn"},
      {ToolFamily::copilot_cli, "ask_user", "none"},
      {ToolFamily::gemini, "run_shell_command", "shell_command"},
      {ToolFamily::gemini, "write_file", "file_write"},
      {ToolFamily::gemini, "replace", "file_write"},
      {ToolFamily::gemini, "read_file", "file_read"},
      {ToolFamily::gemini, "read_many_files", "file_read"},
      {ToolFamily::gemini, "web_fetch", "web_request"},
      {ToolFamily::gemini, "google_web_search", "web_request"},
      {ToolFamily::gemini, "edit_file", "none"},
  };
  for (const Case& c : cases) {
    INFO(c.tool);
    const ToolRule* rule = find_tool_rule(c.family, c.tool);
    CHECK(std::string(rule ? action_type_name(rule->action) : "none") == c.expected);
  }
  // Every row names at least one family, and no (family, name) pair appears twice.
  for (const ToolRule& a : tool_rules()) {
    CHECK(a.families != 0);
    for (const ToolRule& b : tool_rules()) {
      if (&a != &b && a.name == b.name) CHECK((a.families & b.families) == 0);
    }
  }
}

TEST_CASE("synthetic agent command lines", "[normalise][classify]") {
  AgentParams p;
  CHECK(agent_spawn_command("Agent", p) == "spawn");
  p.subagent_type = "general-purpose";
  p.mode = "bypassPermissions";
  p.max_turns = 500;
  p.run_in_background = true;
  p.name = "bg";
  CHECK(agent_spawn_command("Agent", p) ==
        "spawn subagent_type=general-purpose mode=bypassPermissions max_turns=500 "
        "background=true name=bg");
  p.team_name = "t";
  CHECK(agent_spawn_command("TeamCreate", p) == "team_create team_name=t");
  AgentParams m;
  m.message_type = "broadcast";
  m.recipient = "all";
  CHECK(agent_message_command(m) == "message type=broadcast recipient=all");
}

TEST_CASE("MCP tools that write the files they name, by the words of their names",
          "[normalise][classify]") {
  for (const char* tool : {"write_file", "edit_file", "move_file", "create_directory", "writeFile",
                           "EditFile", "delete", "file-upload", "fs.append", "apply_patch"}) {
    INFO(tool);
    CHECK(mcp_tool_writes(tool));
  }
  for (const char* tool : {"read_file", "list_directory", "get_file_contents", "search_files",
                           "readFile", "rewrite_query_plan", "settings", "", "file_info"}) {
    INFO(tool);
    CHECK_FALSE(mcp_tool_writes(tool));
  }
}
