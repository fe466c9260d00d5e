#include "normalise/classify.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace vectimus::normalise {
namespace {

using A = ActionType;
namespace r = reads;

constexpr uint8_t kClaude = static_cast<uint8_t>(ToolFamily::claude);
constexpr uint8_t kCursor = static_cast<uint8_t>(ToolFamily::cursor);
constexpr uint8_t kVscode = static_cast<uint8_t>(ToolFamily::vscode);
constexpr uint8_t kCopilotCli = static_cast<uint8_t>(ToolFamily::copilot_cli);
constexpr uint8_t kGemini = static_cast<uint8_t>(ToolFamily::gemini);

// Tool names per agent, from docs/hook-protocols.md. Names marked there as unverified (VS Code's
// full list, Copilot CLI argument names) are included on the evidence we have.
constexpr auto kToolRules = std::to_array<ToolRule>({
    // Claude Code, Agent SDK, Codex, Copilot CLI PascalCase.
    {"Bash", kClaude, A::shell_command, r::kCommand},
    {"PowerShell", kClaude, A::shell_command, r::kCommand},
    {"Write", kClaude | kCursor, A::file_write, r::kPath | r::kContent},
    {"Edit", kClaude | kCursor, A::file_write, r::kPath | r::kContent},
    {"MultiEdit", kClaude, A::file_write, r::kPath | r::kEdits},
    {"NotebookEdit", kClaude, A::file_write, r::kPath | r::kContent},
    {"Read", kClaude | kCursor, A::file_read, r::kPath},
    {"NotebookRead", kClaude, A::file_read, r::kPath},
    {"Glob", kClaude, A::file_read, r::kPath},
    {"Grep", kClaude | kCursor, A::file_read, r::kPath},
    {"LS", kClaude, A::file_read, r::kPath},
    {"WebFetch", kClaude, A::web_request, r::kUrl},
    {"WebSearch", kClaude, A::web_request, r::kUrl},
    {"Agent", kClaude, A::agent_spawn, r::kAgent},
    {"Task", kClaude | kCursor, A::agent_spawn, r::kAgent},
    {"TeamCreate", kClaude, A::agent_spawn, r::kAgent},
    {"SendMessage", kClaude, A::agent_message, r::kMessage},
    {"apply_patch", kClaude | kVscode, A::file_write, r::kPatch},
    // Cursor preToolUse.
    {"Shell", kCursor, A::shell_command, r::kCommand},
    {"Delete", kCursor, A::file_write, r::kPath},
    // VS Code (Local harness).
    {"runTerminalCommand", kVscode, A::shell_command, r::kCommand},
    {"run_in_terminal", kVscode, A::shell_command, r::kCommand},
    {"editFiles", kVscode, A::file_write, r::kFiles | r::kPath},
    {"createFile", kVscode, A::file_write, r::kPath | r::kContent},
    {"create_file", kVscode, A::file_write, r::kPath | r::kContent},
    {"replace_string_in_file", kVscode, A::file_write, r::kPath | r::kContent},
    {"insert_edit_into_file", kVscode, A::file_write, r::kPath | r::kContent},
    {"deleteFile", kVscode, A::file_write, r::kPath},
    {"readFile", kVscode, A::file_read, r::kPath},
    {"read_file", kVscode | kGemini, A::file_read, r::kPath},
    {"fetch_webpage", kVscode, A::web_request, r::kUrl},
    {"pushToGitHub", kVscode, A::git_operation, 0},
    // Copilot CLI camelCase.
    {"bash", kCopilotCli, A::shell_command, r::kCommand},
    {"powershell", kCopilotCli, A::shell_command, r::kCommand},
    {"view", kCopilotCli, A::file_read, r::kPath},
    {"create", kCopilotCli, A::file_write, r::kPath | r::kContent},
    {"edit", kCopilotCli, A::file_write, r::kPath | r::kContent},
    {"glob", kCopilotCli | kGemini, A::file_read, r::kPath},
    {"grep", kCopilotCli, A::file_read, r::kPath},
    {"web_fetch", kCopilotCli, A::web_request, r::kUrl},
    {"task", kCopilotCli, A::agent_spawn, r::kAgent},
    // Gemini CLI.
    {"run_shell_command", kGemini, A::shell_command, r::kCommand},
    {"read_many_files", kGemini, A::file_read, r::kFiles | r::kPath},
    {"list_directory", kGemini, A::file_read, r::kPath},
    {"grep_search", kGemini, A::file_read, r::kPath},
    {"search_file_content", kGemini, A::file_read, r::kPath},
    {"write_file", kGemini, A::file_write, r::kPath | r::kContent},
    {"replace", kGemini, A::file_write, r::kPath | r::kContent},
    {"web_fetch", kGemini, A::web_request, r::kUrl | r::kPromptUrl},
    {"google_web_search", kGemini, A::web_request, r::kUrl},
});

// ---- command tables -----------------------------------------------------------------------

enum class Verbs : uint8_t {
  any,      // every invocation is the class; packages after an install verb
  install,  // only with an install/remove-like subcommand
  runner,   // npx-style: the first positional argument is the package run
};

struct CommandRule {
  std::string_view program;
  ActionType action;
  Verbs verbs;
};

constexpr auto kCommandRules = std::to_array<CommandRule>({
    {"git", A::git_operation, Verbs::any},
    // Language package managers: any subcommand.
    {"npm", A::package_operation, Verbs::any},
    {"pnpm", A::package_operation, Verbs::any},
    {"yarn", A::package_operation, Verbs::any},
    {"bun", A::package_operation, Verbs::any},
    {"pip", A::package_operation, Verbs::any},
    {"pip3", A::package_operation, Verbs::any},
    {"pipx", A::package_operation, Verbs::any},
    {"uv", A::package_operation, Verbs::any},
    {"poetry", A::package_operation, Verbs::any},
    {"cargo", A::package_operation, Verbs::any},
    {"gem", A::package_operation, Verbs::any},
    {"conda", A::package_operation, Verbs::any},
    {"composer", A::package_operation, Verbs::any},
    {"npx", A::package_operation, Verbs::runner},
    {"bunx", A::package_operation, Verbs::runner},
    {"uvx", A::package_operation, Verbs::runner},
    // Only with an install-like subcommand.
    {"go", A::package_operation, Verbs::install},
    {"apt", A::package_operation, Verbs::install},
    {"apt-get", A::package_operation, Verbs::install},
    {"brew", A::package_operation, Verbs::install},
    {"dnf", A::package_operation, Verbs::install},
    {"yum", A::package_operation, Verbs::install},
    {"apk", A::package_operation, Verbs::install},
    {"snap", A::package_operation, Verbs::install},
    {"choco", A::package_operation, Verbs::install},
    {"winget", A::package_operation, Verbs::install},
    {"port", A::package_operation, Verbs::install},
    {"zypper", A::package_operation, Verbs::install},
    {"pacman", A::package_operation, Verbs::any},
    // Infrastructure.
    {"terraform", A::infrastructure, Verbs::any},
    {"tofu", A::infrastructure, Verbs::any},
    {"terragrunt", A::infrastructure, Verbs::any},
    {"pulumi", A::infrastructure, Verbs::any},
    {"kubectl", A::infrastructure, Verbs::any},
    {"helm", A::infrastructure, Verbs::any},
    {"aws", A::infrastructure, Verbs::any},
    {"gcloud", A::infrastructure, Verbs::any},
    {"gsutil", A::infrastructure, Verbs::any},
    {"az", A::infrastructure, Verbs::any},
    {"docker", A::infrastructure, Verbs::any},
    {"docker-compose", A::infrastructure, Verbs::any},
    {"podman", A::infrastructure, Verbs::any},
    {"eksctl", A::infrastructure, Verbs::any},
    {"kustomize", A::infrastructure, Verbs::any},
    {"ansible", A::infrastructure, Verbs::any},
    {"ansible-playbook", A::infrastructure, Verbs::any},
    {"cdk", A::infrastructure, Verbs::any},
    {"oc", A::infrastructure, Verbs::any},
    {"doctl", A::infrastructure, Verbs::any},
    {"flyctl", A::infrastructure, Verbs::any},
    {"heroku", A::infrastructure, Verbs::any},
    {"vercel", A::infrastructure, Verbs::any},
});

// Subcommands after which the positional arguments name packages.
constexpr auto kInstallVerbs = std::to_array<std::string_view>(
    {"install", "i", "add", "get", "require", "reinstall", "in", "isntall"});
// Subcommands that change installed packages without naming new ones to fetch (still a
// package_operation for the `install` rows).
constexpr auto kChangeVerbs = std::to_array<std::string_view>(
    {"remove", "uninstall", "rm", "purge", "upgrade", "update", "del", "erase", "autoremove", "tap",
     "mod", "dist-upgrade", "full-upgrade", "refresh"});
// Words between the program and its verb: `uv pip install`, `yarn global add`, `pnpm dlx`.
constexpr auto kVerbPrefixes = std::to_array<std::string_view>({"pip", "global", "tool"});
// Flags whose value is the next argument (so that value is not a package).
constexpr auto kValueFlags = std::to_array<std::string_view>({"-r",
                                                              "--requirement",
                                                              "-c",
                                                              "--constraint",
                                                              "-i",
                                                              "--index-url",
                                                              "--extra-index-url",
                                                              "-f",
                                                              "--find-links",
                                                              "-t",
                                                              "--target",
                                                              "--prefix",
                                                              "--registry",
                                                              "--root",
                                                              "--python",
                                                              "--cache-dir",
                                                              "--index",
                                                              "--source",
                                                              "--cwd",
                                                              "-C",
                                                              "--workspace",
                                                              "-w",
                                                              "--filter"});
template <size_t N>
bool contains(const std::array<std::string_view, N>& table, std::string_view word) {
  return std::find(table.begin(), table.end(), word) != table.end();
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// `/usr/bin/git` -> `git`, `C:\Tools\Git.EXE` -> `git`.
std::string program_name(std::string_view program) {
  size_t slash = program.find_last_of("/\\");
  if (slash != std::string_view::npos) program.remove_prefix(slash + 1);
  std::string name = lower(program);
  for (std::string_view ext : {".exe", ".cmd", ".bat", ".ps1"}) {
    if (name.size() > ext.size() && name.ends_with(ext)) {
      name.resize(name.size() - ext.size());
      break;
    }
  }
  return name;
}

// `lodash@4.17.21` -> `lodash`, `@types/node@20` -> `@types/node`, `requests==2.31` ->
// `requests`, `black[jupyter]>=23` -> `black`, `golang.org/x/tools@latest` -> its path.
std::string bare_package(std::string_view spec) {
  size_t at = spec.find('@', 1);
  if (at != std::string_view::npos) spec = spec.substr(0, at);
  size_t cut = spec.find_first_of("=<>!~[;, ");
  if (cut != std::string_view::npos && cut > 0) spec = spec.substr(0, cut);
  return std::string(spec);
}

// Positional arguments (not flags, not flag values), from `args[from]` on.
std::vector<std::string_view> positionals(std::span<const std::string> args) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    if (a == "--") {
      for (++i; i < args.size(); ++i) out.push_back(args[i]);
      break;
    }
    if (a.size() > 1 && a.front() == '-') {
      if (a.find('=') == std::string_view::npos && contains(kValueFlags, a)) ++i;
      continue;
    }
    out.push_back(a);
  }
  return out;
}

void add_package(std::vector<std::string>& packages, std::string name) {
  if (name.empty()) return;
  if (std::find(packages.begin(), packages.end(), name) == packages.end()) {
    packages.push_back(std::move(name));
  }
}

}  // namespace

ToolFamily tool_family(Dialect dialect) {
  switch (dialect) {
    case Dialect::cursor_pre_tool_use:
    case Dialect::cursor_before_shell:
    case Dialect::cursor_before_mcp:
    case Dialect::cursor_before_read_file:
    case Dialect::cursor_after_file_edit: return ToolFamily::cursor;
    case Dialect::copilot_vscode: return ToolFamily::vscode;
    case Dialect::copilot_cli: return ToolFamily::copilot_cli;
    case Dialect::gemini_cli: return ToolFamily::gemini;
    default: return ToolFamily::claude;
  }
}

std::span<const ToolRule> tool_rules() {
  return kToolRules;
}

const ToolRule* find_tool_rule(ToolFamily family, std::string_view tool_name) {
  const auto bit = static_cast<uint8_t>(family);
  for (const ToolRule& rule : kToolRules) {
    if ((rule.families & bit) != 0 && rule.name == tool_name) return &rule;
  }
  return nullptr;
}

std::optional<McpName> parse_mcp_tool_name(std::string_view name, ToolFamily family) {
  if (name.starts_with("MCP:") && name.size() > 4) {
    return McpName{{}, std::string(name.substr(4)), std::nullopt};
  }
  if (name.starts_with("mcp__")) {
    std::string_view rest = name.substr(5);
    size_t sep = rest.find("__");
    if (sep == 0 || sep == std::string_view::npos || sep + 2 >= rest.size()) return std::nullopt;
    McpName out{std::string(rest.substr(0, sep)), std::string(rest.substr(sep + 2)), std::nullopt};
    std::string_view server = rest.substr(0, sep);
    if (server.starts_with("plugin_")) {
      std::string_view after = server.substr(7);
      size_t us = after.find('_');
      if (us != std::string_view::npos && us > 0 && us + 1 < after.size()) {
        out.plugin = std::string(after.substr(0, us));
      }
    }
    return out;
  }
  if (family == ToolFamily::gemini && name.starts_with("mcp_")) {
    std::string_view rest = name.substr(4);
    size_t sep = rest.find('_');
    if (sep == 0 || sep == std::string_view::npos || sep + 1 >= rest.size()) return std::nullopt;
    return McpName{std::string(rest.substr(0, sep)), std::string(rest.substr(sep + 1)),
                   std::nullopt};
  }
  return std::nullopt;
}

namespace {
constexpr std::array<std::string_view, 22> kMcpWriteVerbs = {
    "write",  "edit",  "create", "update", "move",   "rename",   "delete",  "remove",
    "append", "patch", "put",    "save",   "upload", "insert",   "replace", "set",
    "copy",   "mkdir", "touch",  "modify", "apply",  "overwrite"};
}  // namespace

bool mcp_tool_writes(std::string_view tool) {
  std::string word;
  auto verb = [&word] {
    bool hit =
        std::find(kMcpWriteVerbs.begin(), kMcpWriteVerbs.end(), word) != kMcpWriteVerbs.end();
    word.clear();
    return hit;
  };
  for (size_t i = 0; i < tool.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(tool[i]);
    if (!std::isalnum(c)) {
      if (verb()) return true;
      continue;
    }
    if (std::isupper(c) && !word.empty() && verb()) return true;  // writeFile, editFile
    word += static_cast<char>(std::tolower(c));
  }
  return verb();
}

CommandClass classify_command(std::string_view program, std::span<const std::string> args) {
  std::string name = program_name(program);
  // `python -m pip install x` is pip.
  if ((name == "python" || name == "python3" || name == "py") && args.size() >= 2 &&
      args[0] == "-m" && (args[1] == "pip" || args[1] == "pip3")) {
    return classify_command("pip", args.subspan(2));
  }
  const CommandRule* rule = nullptr;
  for (const CommandRule& row : kCommandRules) {
    if (row.program == name) {
      rule = &row;
      break;
    }
  }
  CommandClass out;
  if (rule == nullptr) return out;
  std::vector<std::string_view> words = positionals(args);
  if (rule->verbs == Verbs::runner) {
    out.action = rule->action;
    if (!words.empty()) add_package(out.packages, bare_package(words.front()));
    return out;
  }
  size_t verb = 0;
  if (words.size() > 1 && contains(kVerbPrefixes, words[0])) verb = 1;
  std::string first = words.size() > verb ? lower(words[verb]) : std::string();
  bool installs = contains(kInstallVerbs, first);
  if (rule->verbs == Verbs::install && !installs && !contains(kChangeVerbs, first)) return out;
  out.action = rule->action;
  if (installs && rule->action == A::package_operation) {
    for (size_t i = verb + 1; i < words.size(); ++i)
      add_package(out.packages, bare_package(words[i]));
  }
  return out;
}

CommandClass classify_commands(const shell::Analysis& analysis) {
  CommandClass out;
  for (const shell::SimpleCommand& c : analysis.commands) {
    if (c.argv.empty()) continue;  // redirections only
    CommandClass one = classify_command(c.program, std::span(c.argv).subspan(1));
    if (out.action == A::shell_command) out.action = one.action;
    for (auto& package : one.packages) add_package(out.packages, std::move(package));
  }
  return out;
}

std::string agent_spawn_command(std::string_view tool_name, const AgentParams& p) {
  if (tool_name == "TeamCreate") {
    std::string out = "team_create";
    if (p.team_name) out += " team_name=" + *p.team_name;
    return out;
  }
  std::string out = "spawn";
  if (p.subagent_type) out += " subagent_type=" + *p.subagent_type;
  if (p.mode) out += " mode=" + *p.mode;
  if (p.max_turns) out += " max_turns=" + std::to_string(*p.max_turns);
  if (p.run_in_background.value_or(false)) out += " background=true";
  if (p.name) out += " name=" + *p.name;
  return out;
}

std::string agent_message_command(const AgentParams& p) {
  std::string out = "message";
  if (p.message_type) out += " type=" + *p.message_type;
  if (p.recipient) out += " recipient=" + *p.recipient;
  return out;
}

}  // namespace vectimus::normalise
