#include "normalise/payload.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <exception>
#include <initializer_list>
#include <string>

#include "normalise/classify.hpp"
#include "normalise/content.hpp"
#include "normalise/json_error.hpp"
#include "normalise/limits.hpp"
#include "normalise/patch.hpp"
#include "normalise/path.hpp"
#include "normalise/shell/sql.hpp"

namespace vectimus::normalise {
namespace {

namespace dom = simdjson::dom;
using Keys = std::initializer_list<std::string_view>;

constexpr std::array<std::string_view, 6> kSourceNames{"claude-code", "claude-agent-sdk", "cursor",
                                                       "copilot",     "gemini-cli",       "codex"};

// Tool-input keys, in the order they are tried.
constexpr auto kCommandKeys = std::to_array<std::string_view>({"command", "cmd"});
constexpr auto kPathKeys = std::to_array<std::string_view>(
    {"file_path", "path", "filePath", "notebook_path", "absolute_path", "dir_path"});
constexpr auto kContentKeys = std::to_array<std::string_view>(
    {"content", "new_string", "new_str", "newString", "file_text", "code", "new_source"});
constexpr auto kShellDirKeys =
    std::to_array<std::string_view>({"working_directory", "dir_path", "cwd"});

PayloadOutcome failure(Dialect dialect, std::string code, std::string message) {
  PayloadOutcome out;
  out.status = PayloadStatus::error;
  out.dialect = dialect;
  out.errors.push_back(make_error(std::move(code), std::move(message)));
  return out;
}

std::string_view type_phrase(dom::element_type type) {
  switch (type) {
    case dom::element_type::ARRAY: return "a JSON array";
    case dom::element_type::OBJECT: return "a JSON object";
    case dom::element_type::STRING: return "a JSON string";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: return "a JSON number";
    case dom::element_type::BOOL: return "a JSON boolean";
    case dom::element_type::NULL_VALUE: return "JSON null";
  }
  return "a JSON value";
}

// "not valid JSON at byte N: what", or simdjson's own words when the validator disagrees.
std::string json_error_text(std::string_view text, simdjson::error_code code) {
  if (code == simdjson::DEPTH_ERROR) {
    return "nests deeper than " + std::to_string(limits::kMaxPayloadDepth) + " levels";
  }
  if (auto at = find_json_error(text, limits::kMaxPayloadDepth)) {
    return "is not valid JSON at byte " + std::to_string(at->offset) + ": " + std::string(at->what);
  }
  return "is not valid JSON: " + std::string(simdjson::error_message(code));
}

// ---- reading fields (all copies) ------------------------------------------------------------

std::optional<dom::element> field(dom::object obj, std::string_view key) {
  dom::element value;
  if (obj.at_key(key).get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

std::optional<std::string> string_field(dom::object obj, std::string_view key) {
  auto value = field(obj, key);
  std::string_view text;
  if (!value || value->get_string().get(text) != simdjson::SUCCESS) return std::nullopt;
  return std::string(text);
}

std::optional<std::string> first_string(dom::object obj, std::span<const std::string_view> keys) {
  for (std::string_view key : keys) {
    if (auto text = string_field(obj, key)) return text;
  }
  return std::nullopt;
}
std::optional<std::string> first_string(dom::object obj, Keys keys) {
  return first_string(obj, std::span(keys.begin(), keys.size()));
}

std::optional<int64_t> int_field(dom::object obj, std::string_view key) {
  auto value = field(obj, key);
  if (!value) return std::nullopt;
  int64_t number = 0;
  if (value->get_int64().get(number) == simdjson::SUCCESS) return number;
  double real = 0;
  if (value->get_double().get(real) == simdjson::SUCCESS &&
      real == static_cast<double>(static_cast<int64_t>(real))) {
    return static_cast<int64_t>(real);
  }
  std::string_view text;
  if (value->get_string().get(text) == simdjson::SUCCESS && !text.empty() && text.size() < 19 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::stoll(std::string(text));
  }
  return std::nullopt;
}

std::optional<bool> bool_field(dom::object obj, std::string_view key) {
  auto value = field(obj, key);
  if (!value) return std::nullopt;
  bool flag = false;
  if (value->get_bool().get(flag) == simdjson::SUCCESS) return flag;
  std::string_view text;
  if (value->get_string().get(text) == simdjson::SUCCESS) {
    if (text == "true") return true;
    if (text == "false") return false;
  }
  return std::nullopt;
}

template <class T>
std::optional<T> first_of(dom::object obj, Keys keys,
                          std::optional<T> (*read)(dom::object, std::string_view)) {
  for (std::string_view key : keys) {
    if (auto value = read(obj, key)) return value;
  }
  return std::nullopt;
}

// Quotes one argv element for a POSIX shell when it needs it.
std::string shell_quote(std::string_view word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789_-./=:@%+,") == std::string_view::npos) {
    return std::string(word);
  }
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

// `command` as a string, or an argv array joined with POSIX quoting.
std::optional<std::string> command_field(dom::object obj) {
  for (std::string_view key : kCommandKeys) {
    auto value = field(obj, key);
    if (!value) continue;
    std::string_view text;
    if (value->get_string().get(text) == simdjson::SUCCESS) return std::string(text);
    dom::array argv;
    if (value->get_array().get(argv) == simdjson::SUCCESS) {
      std::string joined;
      for (dom::element item : argv) {
        std::string_view word;
        if (item.get_string().get(word) != simdjson::SUCCESS) continue;
        if (!joined.empty()) joined += ' ';
        joined += shell_quote(word);
      }
      return joined;
    }
  }
  return std::nullopt;
}

// Every http:// or https:// URL in free text, in order (Gemini web_fetch puts its URLs in the
// prompt; all of them are fetched, so a policy must see all of them).
std::vector<std::string> urls_in(std::string_view text) {
  std::vector<std::string> out;
  size_t at = 0;
  while (true) {
    size_t best = std::string_view::npos;
    for (std::string_view scheme : {"https://", "http://"}) {
      best = std::min(best, text.find(scheme, at));
    }
    if (best == std::string_view::npos) return out;
    size_t end = best;
    while (end < text.size() &&
           std::string_view(" \t\r\n\"'<>`").find(text[end]) == std::string_view::npos) {
      ++end;
    }
    std::string_view url = text.substr(best, end - best);
    while (!url.empty() &&
           std::string_view(".,;:!?)]}").find(url.back()) != std::string_view::npos) {
      url.remove_suffix(1);
    }
    out.emplace_back(url);
    at = end;
  }
}

void add_url(Event& event, std::string url) {
  if (url.empty()) return;
  if (std::find(event.urls.begin(), event.urls.end(), url) == event.urls.end()) {
    event.urls.push_back(std::move(url));
  }
}

void add_path(Event& event, std::string path) {
  if (path.empty()) return;
  if (std::find(event.file_paths.begin(), event.file_paths.end(), path) == event.file_paths.end()) {
    event.file_paths.push_back(std::move(path));
  }
}

// ---- dialect detection ---------------------------------------------------------------------

// The root keys the adapters read, each at its first occurrence (what at_key() finds), found
// in one pass over the root object: a look-up per key read scans the object each time.
enum class Root : uint8_t {
  session_id,
  session_id_camel,
  conversation_id,
  hook_event_name,
  hook_event_name_camel,
  tool_use_id,
  tool_use_id_camel,
  user_email,
  agent_id,
  agent_type,
  permission_mode,
  cwd,
  workspace_roots,
  tool_name,
  tool_name_camel,
  tool_args,
  tool_input,
  cursor_version,
  turn_id,
  timestamp,
  transcript_path,
};
constexpr auto kRootNames = std::to_array<std::string_view>(
    {"session_id",      "sessionId",  "conversation_id", "hook_event_name", "hookEventName",
     "tool_use_id",     "toolUseId",  "user_email",      "agent_id",        "agent_type",
     "permission_mode", "cwd",        "workspace_roots", "tool_name",       "toolName",
     "toolArgs",        "tool_input", "cursor_version",  "turn_id",         "timestamp",
     "transcript_path"});

class RootKeys {
 public:
  explicit RootKeys(dom::object root) {
    for (const dom::key_value_pair field : root) {
      for (size_t i = 0; i < kRootNames.size(); ++i) {
        if (field.key == kRootNames[i]) {
          if (!at_[i]) at_[i] = field.value;
          break;
        }
      }
    }
  }
  bool has(Root key) const { return at_[static_cast<size_t>(key)].has_value(); }
  const std::optional<dom::element>& field(Root key) const { return at_[static_cast<size_t>(key)]; }
  std::optional<std::string_view> text(Root key) const {
    std::string_view text;
    const auto& value = field(key);
    if (!value || value->get_string().get(text) != simdjson::SUCCESS) return std::nullopt;
    return text;
  }
  std::optional<std::string> string(Root key) const {
    if (auto t = text(key)) return std::string(*t);
    return std::nullopt;
  }
  // The first of `keys` that holds a string, as first_string() reads an object.
  std::optional<std::string> first_string(std::initializer_list<Root> keys) const {
    for (const Root key : keys) {
      if (auto t = text(key)) return std::string(*t);
    }
    return std::nullopt;
  }

 private:
  std::array<std::optional<dom::element>, kRootNames.size()> at_;
};

Dialect detect_dialect(SourceTool source, const RootKeys& root) {
  const std::optional<std::string_view> hook = root.text(Root::hook_event_name);
  const auto has_key = [&](Root key) { return root.has(key); };
  if (has_key(Root::hook_event_name_camel)) return Dialect::copilot_vscode;
  if (has_key(Root::tool_name_camel) || has_key(Root::tool_args)) return Dialect::copilot_cli;
  if (hook == "beforeShellExecution") return Dialect::cursor_before_shell;
  if (hook == "beforeMCPExecution") return Dialect::cursor_before_mcp;
  if (hook == "beforeReadFile") return Dialect::cursor_before_read_file;
  if (hook == "afterFileEdit") return Dialect::cursor_after_file_edit;
  if (has_key(Root::cursor_version) || has_key(Root::conversation_id) || hook == "preToolUse") {
    return Dialect::cursor_pre_tool_use;
  }
  if (hook == "BeforeTool") return Dialect::gemini_cli;
  if (has_key(Root::turn_id)) return Dialect::codex;
  // Copilot CLI's PascalCase payload is Claude-shaped but has a timestamp and no transcript.
  if (has_key(Root::timestamp) && !has_key(Root::transcript_path)) {
    return Dialect::copilot_cli_pascal;
  }
  switch (source) {
    case SourceTool::claude_code: return Dialect::claude_code;
    case SourceTool::claude_agent_sdk: return Dialect::claude_agent_sdk;
    case SourceTool::codex: return Dialect::codex;
    case SourceTool::gemini_cli: return Dialect::gemini_cli;
    case SourceTool::cursor: return Dialect::cursor_pre_tool_use;
    case SourceTool::copilot: return Dialect::copilot_cli_pascal;
  }
  return Dialect::unknown;
}

bool is_cursor_legacy(Dialect d) {
  return d == Dialect::cursor_before_shell || d == Dialect::cursor_before_mcp ||
         d == Dialect::cursor_before_read_file || d == Dialect::cursor_after_file_edit;
}

// ---- the adapter ---------------------------------------------------------------------------

class Adapter {
 public:
  Adapter(Dialect dialect, Event& event, const PayloadOptions& options)
      : dialect_(dialect), event_(event), options_(options) {}

  // Reads `name` (an object, or a string holding one) into `input_`. Returns an error message.
  std::optional<std::string> load_input(dom::object root, std::string_view name) {
    auto value = field(root, name);
    if (!value || value->is_null()) return std::nullopt;
    std::string_view text;
    if (value->get_string().get(text) == simdjson::SUCCESS) {
      if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return std::nullopt;
      dom::element inner;
      if (inner_parser_.allocate(text.size(), limits::kMaxPayloadDepth) != simdjson::SUCCESS) {
        return std::string("could not allocate the JSON parser");
      }
      auto code = inner_parser_.parse(text.data(), text.size()).get(inner);
      if (code != simdjson::SUCCESS) {
        return "`" + std::string(name) + "` is a string that " + json_error_text(text, code);
      }
      value = inner;
    }
    if (value->get_object().get(input_) != simdjson::SUCCESS) {
      return "`" + std::string(name) + "` is " + std::string(type_phrase(value->type())) +
             ", expected an object";
    }
    has_input_ = true;
    // What simdjson::to_string() does, with a builder kept per thread so that its buffer,
    // grown once, is reused rather than grown byte by byte for every payload.
    thread_local simdjson::internal::string_builder<> builder;
    builder.clear();
    builder.append(input_);
    event_.tool_input_json = std::string(builder.str());
    return std::nullopt;
  }

  void common(const RootKeys& root) {
    event_.session_id =
        root.first_string({Root::session_id, Root::session_id_camel, Root::conversation_id});
    event_.hook_event_name =
        root.first_string({Root::hook_event_name, Root::hook_event_name_camel});
    event_.tool_use_id = root.first_string({Root::tool_use_id, Root::tool_use_id_camel});
    event_.user_email = root.string(Root::user_email);
    event_.agent_id = root.string(Root::agent_id);
    event_.agent_type = root.string(Root::agent_type);
    event_.permission_mode = root.string(Root::permission_mode);
    std::optional<std::string> cwd = root.string(Root::cwd);
    if (!cwd) {
      if (const auto& roots = root.field(Root::workspace_roots)) {
        dom::array list;
        std::string_view first;
        if (roots->get_array().get(list) == simdjson::SUCCESS && list.size() > 0 &&
            list.at(0).get_string().get(first) == simdjson::SUCCESS) {
          cwd = std::string(first);
        }
      }
    }
    if (cwd) {
      payload_cwd_ = normalise_path(*cwd);
      event_.cwd = payload_cwd_;
    }
    event_.raw_tool_name = root.first_string({Root::tool_name, Root::tool_name_camel}).value_or("");
  }

  // Cursor's legacy events carry their input at the top level, next to the common fields, so
  // `tool_input_json` stays "{}" for them (except beforeMCPExecution's own tool_input).
  void cursor_legacy(dom::object root) {
    switch (dialect_) {
      case Dialect::cursor_before_shell:
        event_.raw_tool_name = "beforeShellExecution";
        event_.action_type = ActionType::shell_command;
        event_.command = command_field(root);
        refine_shell();
        break;
      case Dialect::cursor_before_mcp:
        event_.action_type = ActionType::mcp_tool;
        event_.mcp_tool = event_.raw_tool_name;
        if (auto url = first_string(root, {"url", "uri"})) add_url(event_, std::move(*url));
        event_.mcp_server_command = command_field(root);
        break;
      case Dialect::cursor_before_read_file:
        event_.raw_tool_name = "beforeReadFile";
        event_.action_type = ActionType::file_read;
        read_paths(root);
        break;
      default:  // afterFileEdit
        event_.raw_tool_name = "afterFileEdit";
        event_.action_type = ActionType::file_write;
        read_paths(root);
        read_edits(root);
        break;
    }
  }

  void tool(dom::object root) {
    ToolFamily family = tool_family(dialect_);
    // Gemini MCP tools may have bare names that shadow built-ins: mcp_context decides first.
    if (family == ToolFamily::gemini) {
      auto context = field(root, "mcp_context");
      dom::object ctx;
      if (context && context->get_object().get(ctx) == simdjson::SUCCESS) {
        if (auto server = string_field(ctx, "server_name")) {
          mcp_from_context(*server, string_field(ctx, "tool_name"));
          return;
        }
      }
    }
    if (const ToolRule* rule = find_tool_rule(family, event_.raw_tool_name)) {
      apply(*rule);
      return;
    }
    if (auto mcp = parse_mcp_tool_name(event_.raw_tool_name, family)) {
      event_.action_type = ActionType::mcp_tool;
      if (!mcp->server.empty()) event_.mcp_server = mcp->server;
      event_.mcp_tool = mcp->tool;
      event_.mcp_plugin = mcp->plugin;
      read_mcp_input();
      return;
    }
    // Not in any table: a shell command only if it carries one; else the raw name is all.
    if (has_input_) event_.command = command_field(input_);
    if (event_.command) {
      event_.action_type = ActionType::shell_command;
      read_shell_dir();
      refine_shell();
      return;
    }
    event_.action_type = ActionType::tool_call;
    if (has_input_) {
      read_paths(input_);
      if (auto url = first_string(input_, {"url", "uri"})) add_url(event_, std::move(*url));
    }
  }

  void finish() {
    if (!event_.file_paths.empty()) event_.file_path = event_.file_paths.front();
    if (!event_.urls.empty()) event_.url = event_.urls.front();
    if (!event_.package_names.empty()) event_.package_name = event_.package_names.front();
  }

 private:
  void apply(const ToolRule& rule) {
    event_.action_type = rule.action;
    if (!has_input_) return;
    dom::object in = input_;
    if (rule.reads & reads::kCommand) {
      event_.command = command_field(in);
      read_shell_dir();
    }
    if (rule.reads & reads::kPatch) {
      if (auto text = first_string(in, {"command", "patch", "input"})) {
        for (const std::string& path : patch_file_paths(*text)) {
          add_path(event_, normalise_path(path, payload_cwd_));
        }
        event_.content = std::move(text);
      }
    }
    if (rule.reads & reads::kFiles) read_file_list(in);
    if (rule.reads & reads::kPath) read_paths(in);
    if (rule.reads & reads::kContent) event_.content = first_string(in, kContentKeys);
    if (rule.reads & reads::kEdits) read_edits(in);
    if (rule.reads & reads::kUrl) read_url(in);
    if ((rule.reads & reads::kPromptUrl) && event_.urls.empty()) {
      if (auto prompt = string_field(in, "prompt")) {
        for (std::string& url : urls_in(*prompt)) add_url(event_, std::move(url));
      }
    }
    if (rule.reads & reads::kAgent) {
      read_agent(in);
      event_.command = agent_spawn_command(event_.raw_tool_name, event_.agent);
    }
    if (rule.reads & reads::kMessage) {
      event_.agent.recipient = first_string(in, {"recipient", "to"});
      event_.agent.message_type = string_field(in, "type");
      event_.agent.message = first_string(in, {"message", "content"});
      event_.command = agent_message_command(event_.agent);
    }
    if (event_.action_type == ActionType::shell_command) refine_shell();
  }

  // The one analysis of the command line; the action is what its commands are.
  void refine_shell() {
    if (!event_.command) return;
    event_.analysis = analyse_command(*event_.command, options_.home);
    CommandClass cls = classify_commands(*event_.analysis);
    event_.action_type = cls.action;
    event_.package_names = std::move(cls.packages);
  }

  // An MCP tool's `file_path`/`path` and `command` arguments are judged as strictly as the same
  // things through the agent's own tools: the paths become file requests (engine/requests.cpp)
  // and the command is analysed like a shell line, so it makes the same per-command requests.
  // The action stays mcp_tool.
  void read_mcp_input() {
    if (!has_input_) return;
    read_paths(input_);
    if (auto sql = first_string(input_, {"sql"})) event_.sql = shell::normalise_sql(*sql);
    if (auto command = first_string(input_, {"command", "cmd"}); command && !command->empty()) {
      event_.command = std::move(*command);
      event_.analysis = analyse_command(*event_.command, options_.home);
    }
  }

  void read_shell_dir() {
    if (auto dir = first_string(input_, kShellDirKeys)) {
      if (!dir->empty()) event_.cwd = normalise_path(*dir, payload_cwd_);
    }
  }

  void read_paths(dom::object in) {
    if (auto path = first_string(in, kPathKeys))
      add_path(event_, normalise_path(*path, payload_cwd_));
  }

  // `files` (VS Code editFiles) or `paths` (Gemini read_many_files): strings or {filePath|path}.
  void read_file_list(dom::object in) {
    for (std::string_view key : {"files", "paths"}) {
      auto value = field(in, key);
      dom::array list;
      if (!value || value->get_array().get(list) != simdjson::SUCCESS) continue;
      for (dom::element item : list) {
        std::string_view text;
        dom::object obj;
        if (item.get_string().get(text) == simdjson::SUCCESS) {
          add_path(event_, normalise_path(text, payload_cwd_));
        } else if (item.get_object().get(obj) == simdjson::SUCCESS) {
          if (auto path = first_string(obj, kPathKeys)) {
            add_path(event_, normalise_path(*path, payload_cwd_));
          }
        }
      }
    }
  }

  // `edits[].new_string` joined by newlines (MultiEdit, Cursor afterFileEdit).
  void read_edits(dom::object in) {
    auto value = field(in, "edits");
    dom::array list;
    if (!value || value->get_array().get(list) != simdjson::SUCCESS) return;
    std::string joined;
    bool any = false;
    for (dom::element item : list) {
      dom::object edit;
      if (item.get_object().get(edit) != simdjson::SUCCESS) continue;
      if (auto text = first_string(edit, {"new_string", "newString"})) {
        if (any) joined += '\n';
        joined += *text;
        any = true;
      }
    }
    if (any) event_.content = std::move(joined);
  }

  // `url` / `uri`, and every string of a `urls` array (VS Code fetch_webpage).
  void read_url(dom::object in) {
    if (auto url = first_string(in, {"url", "uri"})) add_url(event_, std::move(*url));
    auto value = field(in, "urls");
    dom::array list;
    if (!value || value->get_array().get(list) != simdjson::SUCCESS) return;
    for (dom::element item : list) {
      std::string_view text;
      if (item.get_string().get(text) == simdjson::SUCCESS) add_url(event_, std::string(text));
    }
  }

  void read_agent(dom::object in) {
    AgentParams& a = event_.agent;
    a.subagent_type = first_string(in, {"subagent_type", "subagentType", "agent_type"});
    a.mode = first_string(in, {"mode", "permission_mode", "permissionMode"});
    a.max_turns = first_of<int64_t>(in, {"max_turns", "maxTurns"}, int_field);
    a.run_in_background = first_of<bool>(in, {"run_in_background", "runInBackground"}, bool_field);
    a.model = string_field(in, "model");
    a.name = string_field(in, "name");
    a.description = string_field(in, "description");
    a.prompt = string_field(in, "prompt");
    a.team_name = string_field(in, "team_name");
  }

  void mcp_from_context(const std::string& server, std::optional<std::string> tool) {
    event_.action_type = ActionType::mcp_tool;
    event_.mcp_server = server;
    if (!tool) {
      std::string_view name = event_.raw_tool_name;
      for (const std::string& prefix : {"mcp__" + server + "__", "mcp_" + server + "_"}) {
        if (name.starts_with(prefix) && name.size() > prefix.size()) {
          name.remove_prefix(prefix.size());
          break;
        }
      }
      tool = std::string(name);
    }
    event_.mcp_tool = std::move(tool);
    read_mcp_input();
  }

  Dialect dialect_;
  Event& event_;
  const PayloadOptions& options_;
  dom::parser inner_parser_;
  dom::object input_;
  bool has_input_ = false;
  std::string payload_cwd_;
};

// Fills `out` (default-constructed) rather than returning a new outcome: the one outcome of
// normalise_payload() is then built in place, where returning a local from several return
// statements moves it (and its Event, a few dozen strings) once more.
void normalise_into(PayloadOutcome& out, std::string_view source_name, std::string_view json,
                    const PayloadOptions& options) {
  std::optional<SourceTool> source = parse_source_tool(source_name);
  if (!source) {
    std::string names;
    for (std::string_view name : kSourceNames) {
      if (!names.empty()) names += ", ";
      names += name;
    }
    out = failure(Dialect::unknown, "unknown-source",
                  "unknown source `" + std::string(source_name) + "`; expected one of " + names);
    return;
  }
  Dialect fallback = fallback_dialect(*source);
  if (json.size() > limits::kMaxPayloadBytes) {
    out = failure(fallback, "limit",
                  "payload is " + std::to_string(json.size()) + " bytes, over the " +
                      std::to_string(limits::kMaxPayloadBytes) + "-byte limit");
    return;
  }
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    out.status = PayloadStatus::empty;
    out.dialect = fallback;
    return;
  }
  // One parser per thread, kept between payloads (the server decides many): its buffers grow
  // to the largest payload seen, at most kMaxPayloadBytes, and are reused, where a parser per
  // payload allocates and frees them each time. Nothing parsed outlives this call.
  thread_local dom::parser parser;
  if (parser.capacity() < json.size() || parser.max_depth() != limits::kMaxPayloadDepth) {
    if (parser.allocate(std::max(json.size(), parser.capacity()), limits::kMaxPayloadDepth) !=
        simdjson::SUCCESS) {
      out = failure(fallback, "internal", "could not allocate the JSON parser");
      return;
    }
  }
  dom::element root;
  if (auto code = parser.parse(json.data(), json.size()).get(root); code != simdjson::SUCCESS) {
    out = failure(fallback, "json", "payload " + json_error_text(json, code));
    return;
  }
  dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    out = failure(fallback, "payload",
                  "payload is " + std::string(type_phrase(root.type())) + ", expected an object");
    return;
  }

  const RootKeys keys(object);
  out.dialect = detect_dialect(*source, keys);
  Event& event = out.event;
  event.source_tool = std::string(source_name);
  event.dialect = out.dialect;
  Adapter adapter(out.dialect, event, options);
  adapter.common(keys);
  std::string_view input_key = out.dialect == Dialect::copilot_cli ? "toolArgs" : "tool_input";
  if (out.dialect == Dialect::copilot_cli && !keys.has(Root::tool_args) &&
      keys.has(Root::tool_input)) {
    input_key = "tool_input";
  }
  if (is_cursor_legacy(out.dialect) && out.dialect != Dialect::cursor_before_mcp) {
    adapter.cursor_legacy(object);
  } else {
    if (auto error = adapter.load_input(object, input_key)) {
      out = failure(out.dialect, "payload", std::move(*error));
      return;
    }
    if (out.dialect == Dialect::cursor_before_mcp) {
      adapter.cursor_legacy(object);
    } else {
      adapter.tool(object);
    }
  }
  adapter.finish();
  out.status = PayloadStatus::event;
}

}  // namespace

std::optional<SourceTool> parse_source_tool(std::string_view name) {
  for (size_t i = 0; i < kSourceNames.size(); ++i) {
    if (kSourceNames[i] == name) return static_cast<SourceTool>(i);
  }
  return std::nullopt;
}

std::string_view source_tool_name(SourceTool tool) {
  return kSourceNames.at(static_cast<size_t>(tool));
}

std::span<const std::string_view> source_tool_names() {
  return kSourceNames;
}

Dialect fallback_dialect(SourceTool tool) {
  switch (tool) {
    case SourceTool::claude_code: return Dialect::claude_code;
    case SourceTool::claude_agent_sdk: return Dialect::claude_agent_sdk;
    case SourceTool::cursor: return Dialect::cursor_pre_tool_use;
    case SourceTool::copilot: return Dialect::unknown;
    case SourceTool::gemini_cli: return Dialect::gemini_cli;
    case SourceTool::codex: return Dialect::codex;
  }
  return Dialect::unknown;
}

PayloadOptions payload_options(const Host& host) {
  PayloadOptions options;
  if (host.env != nullptr) {
    if (auto home = host.env->get("HOME"); home && !home->empty()) options.home = *home;
  }
  return options;
}

PayloadOutcome normalise_payload(std::string_view source_name, std::string_view json,
                                 const PayloadOptions& options) {
  PayloadOutcome out;
  try {
    normalise_into(out, source_name, json, options);
  } catch (const std::exception& e) {
    out = failure(Dialect::unknown, "internal",
                  std::string("internal error while reading the payload: ") + e.what());
  } catch (...) {
    out = failure(Dialect::unknown, "internal", "internal error while reading the payload");
  }
  return out;
}

}  // namespace vectimus::normalise
