// The agents table. Entries follow shared/docs/hook-protocols.md; the "todo" texts are what
// running the real CLIs showed: hooks they load but do not run until the user acts.
#include "setup/agents.hpp"

#include <unistd.h>

#include <array>

#include "support/json_writer.hpp"

namespace vectimus::setup {
namespace {

constexpr std::string_view kCodexProjectTodo =
    "Codex runs no project hook until it is reviewed: start `codex` in this project, open "
    "`/hooks` and trust the vectimus hook (`codex exec` skips an unreviewed hook without a "
    "word); the project must be trusted too";
constexpr std::string_view kCodexUserTodo =
    "Codex runs no hook until it is reviewed: start `codex`, open `/hooks` and trust the "
    "vectimus hook (`codex exec` skips an unreviewed hook without a word)";

constexpr AgentSpec kAgents[] = {
    {"claude-code",
     "Claude Code",
     "claude",
     ".claude",
     ".claude/settings.json",
     ".claude/settings.json",
     "{}\n",
     {"hooks", "PreToolUse"},
     R"({"matcher":"*","hooks":[{"type":"command","command":"{cmd}"}]})",
     "",
     "",
     "",
     R"({"matcher":"*","hooks":[{"type":"command","command":"{cmd}","onFailure":"block"}]})",
     "2.1.295",
     R"({"matcher":"*","hooks":[{"type":"http","url":"{url}","headers":{"X-Vectimus-API-Key":)"
     R"("$VECTIMUS_API_KEY"},"allowedEnvVars":["VECTIMUS_API_KEY"],"timeout":30}]})",
     R"({"matcher":"*","hooks":[{"type":"http","url":"{url}","headers":{"X-Vectimus-API-Key":)"
     R"("$VECTIMUS_API_KEY"},"allowedEnvVars":["VECTIMUS_API_KEY"],"timeout":30,)"
     R"("onFailure":"block"}]})"},
    {"cursor",
     "Cursor",
     "cursor-agent",
     ".cursor",
     ".cursor/hooks.json",
     ".cursor/hooks.json",
     "{\n  \"version\": 1\n}\n",
     {"hooks", "preToolUse"},
     R"({"command":"{cmd}","failClosed":true})",
     "Cursor runs project hooks only in a trusted workspace: trust this folder in Cursor",
     ""},
    {"copilot",
     "GitHub Copilot",
     "copilot",
     ".copilot",
     ".github/hooks/vectimus.json",
     ".copilot/hooks/vectimus.json",
     "{\n  \"version\": 1\n}\n",
     {"hooks", "preToolUse"},
     R"({"type":"command","bash":"{cmd}","powershell":"{cmd}","timeoutSec":30})",
     "Copilot CLI ignores project hooks in a folder it does not trust, without a word: trust "
     "this folder when it asks (kept in `trustedFolders` of ~/.copilot/config.json)",
     ""},
    {"gemini-cli",
     "Gemini CLI",
     "gemini",
     ".gemini",
     ".gemini/settings.json",
     ".gemini/settings.json",
     "{}\n",
     {"hooks", "BeforeTool"},
     R"({"matcher":"*","hooks":[{"name":"vectimus","type":"command","command":"{cmd}","timeout":5000}]})",
     "Gemini CLI ignores project hooks in a folder it does not trust: trust this folder when "
     "it asks (kept in ~/.gemini/trustedFolders.json)",
     "",
     "",
     "",
     "",
     // Client mode waits for the server (5 s by default) before deciding locally: a hook past
     // Gemini's timeout lets the call run.
     R"({"matcher":"*","hooks":[{"name":"vectimus","type":"command","command":"{cmd}","timeout":20000}]})"},
    {"codex",
     "Codex CLI",
     "codex",
     ".codex",
     ".codex/hooks.json",
     ".codex/hooks.json",
     "{}\n",
     {"hooks", "PreToolUse"},
     R"({"matcher":"*","hooks":[{"type":"command","command":"{cmd}"}]})",
     kCodexProjectTodo,
     kCodexUserTodo,
     ".codex/config.toml"},
};

bool plain_shell_word(std::string_view s) {
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '/' || c == '.' || c == '_' || c == '-' || c == '+' || c == ':';
    if (!ok) return false;
  }
  return !s.empty();
}

// The words of a command line, with single and double quotes removed (enough for the commands
// we write and for telling them apart from others).
std::vector<std::string> words(std::string_view command) {
  std::vector<std::string> out;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (const char c : command) {
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) out.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) out.push_back(std::move(word));
  return out;
}

// `s` as one shell word: as is when it is plain, else single-quoted.
std::string shell_word(std::string_view s) {
  if (plain_shell_word(s)) return std::string(s);
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// `text` with each `{key}` replaced by `value`, JSON-escaped (the templates are JSON).
std::string substitute(std::string_view text, std::string_view key, std::string_view value) {
  std::string escaped;
  append_json_string(escaped, value);
  escaped = escaped.substr(1, escaped.size() - 2);  // without its quotes
  std::string out;
  for (std::size_t at = text.find(key); at != std::string_view::npos; at = text.find(key)) {
    out += text.substr(0, at);
    out += escaped;
    text.remove_prefix(at + key.size());
  }
  out += text;
  return out;
}

bool is_directory_of(const Host& host, const std::string& path) {
  return !path.empty() && host.fs->is_directory(path);
}

}  // namespace

std::span<const AgentSpec> agents() {
  return kAgents;
}

const AgentSpec* find_agent(std::string_view name) {
  for (const AgentSpec& a : kAgents) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::string hook_command(std::string_view binary, const AgentSpec& agent,
                         std::string_view server_url) {
  std::string out = shell_word(binary) + " hook --source " + std::string(agent.name);
  if (!server_url.empty()) out += " --server-url " + shell_word(server_url);
  return out;
}

std::string server_hook_url(std::string_view server_url, const AgentSpec& agent) {
  while (!server_url.empty() && server_url.back() == '/') server_url.remove_suffix(1);
  return std::string(server_url) + "/v1/hooks/" + std::string(agent.name);
}

std::string hook_entry(const AgentSpec& agent, std::string_view command, bool newer,
                       std::string_view server_url) {
  std::string_view rest = newer && !agent.newer_entry.empty() ? agent.newer_entry : agent.entry;
  if (!server_url.empty() && !agent.server_entry.empty()) {
    rest =
        newer && !agent.server_newer_entry.empty() ? agent.server_newer_entry : agent.server_entry;
  }
  std::string out = rest.find("{url}") != std::string_view::npos
                        ? substitute(rest, "{url}", server_hook_url(server_url, agent))
                        : std::string(rest);
  return substitute(out, "{cmd}", command);
}

bool posts_to_server(const AgentSpec& agent) {
  return agent.server_entry.find("{url}") != std::string_view::npos;
}

std::string entry_key(const AgentSpec& agent, std::string_view command,
                      std::string_view server_url) {
  if (!server_url.empty() && posts_to_server(agent)) {
    return server_hook_url(server_url, agent);
  }
  return std::string(command);
}

bool is_our_hook_url(std::string_view text, const AgentSpec& agent) {
  if (text.rfind("http://", 0) != 0 && text.rfind("https://", 0) != 0) return false;
  const std::string tail = "/v1/hooks/" + std::string(agent.name);
  return text.size() > tail.size() && text.substr(text.size() - tail.size()) == tail;
}

bool version_at_least(std::string_view text, std::string_view since) {
  // Parses up to three dot-separated numbers starting at `at`; false when there are not three.
  const auto parse = [](std::string_view t, std::size_t at, std::array<unsigned long, 3>& out) {
    for (std::size_t part = 0; part < 3; ++part) {
      if (at >= t.size() || t[at] < '0' || t[at] > '9') return false;
      out[part] = 0;
      while (at < t.size() && t[at] >= '0' && t[at] <= '9') {
        out[part] = out[part] * 10 + static_cast<unsigned long>(t[at++] - '0');
        if (out[part] > 1'000'000) return false;
      }
      if (part < 2 && (at >= t.size() || t[at++] != '.')) return false;
    }
    return true;
  };
  std::array<unsigned long, 3> want{};
  if (!parse(since, 0, want)) return false;
  for (std::size_t at = 0; at < text.size(); ++at) {
    std::array<unsigned long, 3> have{};
    const bool starts = at == 0 || text[at - 1] < '0' || text[at - 1] > '9';
    if (starts && parse(text, at, have)) return have >= want;
  }
  return false;
}

std::string command_binary(std::string_view command) {
  const std::vector<std::string> w = words(command);
  return w.empty() ? std::string() : w.front();
}

bool runs_our_hook(std::string_view command, const AgentSpec& agent) {
  const std::vector<std::string> w = words(command);
  if (w.size() < 4) return false;
  const std::string_view bin = w[0];
  const std::size_t slash = bin.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? bin : bin.substr(slash + 1);
  if (base != "vectimus") return false;
  for (std::size_t i = 1; i + 2 < w.size(); ++i) {
    if (w[i] == "hook" && w[i + 1] == "--source" && w[i + 2] == agent.name) return true;
  }
  return false;
}

bool is_our_entry(const JsonNode& element, const AgentSpec& agent) {
  std::vector<std::string> strings;
  collect_strings(element, strings);
  for (const std::string& s : strings) {
    if (runs_our_hook(s, agent) || is_our_hook_url(s, agent)) return true;
  }
  return false;
}

std::vector<std::string> our_commands(const JsonNode& root, const AgentSpec& agent) {
  std::vector<std::string> out;
  const JsonNode* node = &root;
  for (const std::string_view key : agent.path) {
    node = node->is_object() ? node->find(key) : nullptr;
    if (!node) return out;
  }
  for (const JsonNode& item : node->items) {
    std::vector<std::string> strings;
    collect_strings(item, strings);
    for (const std::string& s : strings) {
      if (runs_our_hook(s, agent) || is_our_hook_url(s, agent)) {
        out.push_back(s);
        break;  // Copilot's entry repeats the command for bash and powershell
      }
    }
  }
  return out;
}

bool agent_installed(const Host& host, const AgentSpec& agent, const std::string& home,
                     const std::string& project) {
  if (!home.empty() && is_directory_of(host, join_path(home, agent.home_dir))) return true;
  const std::string_view file = agent.project_file;
  if (!project.empty() &&
      is_directory_of(host, join_path(project, file.substr(0, file.rfind('/'))))) {
    return true;
  }
  const std::string path = host.env->get("PATH").value_or("");
  std::string_view rest = path;
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::string_view dir = rest.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    if (dir.empty()) continue;
    const std::string candidate = join_path(dir, agent.program);
    if (::access(candidate.c_str(), X_OK) == 0 && !host.fs->is_directory(candidate)) return true;
  }
  return false;
}

}  // namespace vectimus::setup
