// init and remove over a Host. See install.hpp for the order of work (plan everything, then
// write, record last) and record.hpp for what remove relies on.
#include "setup/install.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "audit/crypto.hpp"
#include "audit/keys.hpp"
#include "audit/receipt_log.hpp"
#include "setup/codex_toml.hpp"

namespace vectimus::setup {
namespace {

constexpr std::size_t kMaxSettingsBytes = 4 << 20;
constexpr std::string_view kGitignoreLine = ".vectimus/receipts/\n";
constexpr std::string_view kConfigHeader =
    "# vectimus configuration, made by `vectimus init`; `vectimus status` shows what is in force\n";

std::string parent_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos || slash == 0 ? std::string("/") : path.substr(0, slash);
}

Diagnostic io_failure(const std::string& what, const IoStatus& s) {
  return make_error("io", what + ": " + s.error, std::nullopt,
                    "fix the cause and run `vectimus init` again; it picks up where it stopped");
}

// A file read whole: its text, or nullopt when it does not exist.
Result<std::optional<std::string>> read_text(const Host& host, const std::string& path) {
  FileRead r = host.fs->read(path, kMaxSettingsBytes);
  if (r.status == FileRead::Status::missing) return std::optional<std::string>();
  if (r.status == FileRead::Status::ok) return std::optional<std::string>(std::move(r.text));
  const std::string why = r.status == FileRead::Status::too_large ? "it is over 4 MiB" : r.error;
  return make_error("io", "cannot read `" + path + "`: " + why, std::nullopt,
                    "nothing was changed");
}

struct PlannedFile {
  std::string path;
  const AgentSpec* agent = nullptr;
  std::string kind;
  bool exists = false;
  std::string before;
  std::string after;
  std::size_t created_from = 0;
};

// Our entry in `text` (the file's current bytes; the skeleton when it is new): unchanged when its
// one entry of ours is `entry` (layout aside), else any stale entry of ours replaced by `entry`.
Result<PlannedFile> plan_hook(const AgentSpec& agent, const std::string& path,
                              std::optional<std::string> current, const std::string& command,
                              const std::string& entry) {
  PlannedFile plan{path, &agent, "hook", current.has_value(), current.value_or("")};
  const std::string text = current ? *current : std::string(agent.skeleton);
  Result<JsonNode> doc = parse_json(text, path, true);
  if (!doc) return std::move(doc).take_errors();
  const std::vector<std::string> ours = our_commands(*doc, agent);
  const JsonNode* array = array_at(*doc, agent.path);
  std::size_t first_ours = 0;
  while (array && first_ours < array->items.size() &&
         !is_our_entry(array->items[first_ours], agent)) {
    ++first_ours;
  }
  if (ours.size() == 1 && array && compact_json(array->items[first_ours], text) == entry) {
    plan.after = text;
    plan.created_from = agent.path.size();
    return plan;
  }
  std::string base = text;
  JsonNode root = std::move(doc).value();
  if (!ours.empty()) {
    base = remove_items(
        text, root, agent.path, [&](const JsonNode& n) { return is_our_entry(n, agent); },
        agent.path.size());
    Result<JsonNode> again = parse_json(base, path, true);
    if (!again) return std::move(again).take_errors();
    root = std::move(again).value();
  }
  Result<Insertion> inserted = insert_first(base, root, agent.path, entry, path);
  if (!inserted) return std::move(inserted).take_errors();
  plan.after = std::move(inserted->text);
  plan.created_from = inserted->created_from;
  // Never write what we could not read back: the edit must parse and hold exactly our entry.
  Result<JsonNode> check = parse_json(plan.after, path, true);
  if (!check || our_commands(*check, agent) != std::vector<std::string>{command}) {
    return make_error("internal", "the edit of `" + path + "` did not come out as intended",
                      std::nullopt, "nothing was changed; please report this with the file");
  }
  return plan;
}

// What the user should know about an agent wired to the server directly (Claude Code's http
// hook): the key it sends, and whether a server it cannot reach stops the call.
std::string server_note(const AgentSpec& agent, bool newer, const std::string& server_url) {
  std::string note = std::string(agent.display) + " posts each tool call to " +
                     server_hook_url(server_url, agent) +
                     " itself (an http hook), with the API key from $VECTIMUS_API_KEY in its "
                     "environment: set it there";
  if (!newer) {
    note += ". This " + std::string(agent.display) + " is older than " +
            std::string(agent.newer_since) +
            " (or was not found), so a server that cannot be reached, times out or answers an "
            "error lets the call run: update it and run `vectimus init --server-url` again to "
            "add `onFailure: \"block\"`";
  }
  return note;
}

std::string backup_name(const std::string& root, const std::string& path) {
  std::string rel = path.rfind(root + "/", 0) == 0 ? path.substr(root.size() + 1) : path;
  std::replace(rel.begin(), rel.end(), '/', '%');
  return rel;
}

// Creates the missing folders above `path`, recording each one created (deepest first).
IoStatus make_parents(const Host& host, const std::string& path, SetupRecord& record) {
  std::vector<std::string> missing;
  for (std::string dir = parent_of(path); dir != "/" && !host.fs->exists(dir);
       dir = parent_of(dir)) {
    missing.push_back(dir);
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (IoStatus s = host.fs->make_directories(*it, 0755); !s.ok()) return s;
  }
  for (const std::string& dir : missing) {
    if (std::find(record.created_dirs.begin(), record.created_dirs.end(), dir) ==
        record.created_dirs.end()) {
      record.created_dirs.push_back(dir);
    }
  }
  return {};
}

// Writes a planned file and records it: the first original of an edited file is kept.
IoStatus apply(const Host& host, const std::string& root, const PlannedFile& plan,
               SetupRecord& record) {
  RecordedFile* entry = record.find(plan.path);
  if (plan.after == plan.before && plan.exists) return {};
  if (IoStatus s = make_parents(host, plan.path, record); !s.ok()) return s;
  if (!entry) {
    RecordedFile file{plan.path, plan.kind, plan.agent ? std::string(plan.agent->name) : ""};
    file.created = !plan.exists;
    file.created_from = plan.created_from;
    if (plan.exists) {
      file.backup = join_path(join_path(state_dir(root), "backups"), backup_name(root, plan.path));
      if (IoStatus s = make_parents(host, file.backup, record); !s.ok()) return s;
      if (IoStatus s = host.fs->replace(file.backup, plan.before, 0600); !s.ok()) return s;
    }
    record.files.push_back(std::move(file));
    entry = &record.files.back();
  } else {
    entry->created_from = std::min(entry->created_from, plan.created_from);
  }
  entry->sha256 = audit::sha256_hex(plan.after);
  // A new config is 0600 as engine::edit_config_file makes it (it may hold a server API key).
  const unsigned mode = plan.exists ? file_mode(plan.path) : plan.kind == "file" ? 0600u : 0644u;
  return host.fs->replace(plan.path, plan.after, mode);
}

}  // namespace

unsigned file_mode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0644;
  return static_cast<unsigned>(st.st_mode) & 07777u;
}

std::string state_dir(const std::string& root) {
  return join_path(root, ".vectimus");
}

std::string hook_file(const AgentSpec& agent, const std::string& root, bool user) {
  return join_path(root, user ? agent.user_file : agent.project_file);
}

Result<InstallResult> install(const Host& host, const InstallRequest& request) {
  const std::string state = state_dir(request.root);
  Result<SetupRecord> record = read_record(host, record_path(state));
  if (!record) return std::move(record).take_errors();

  // 1. Plan every file; any error stops here, before anything is written.
  std::vector<PlannedFile> plans;
  std::vector<std::string> server_notes;
  for (const AgentSpec* agent : request.agents) {
    const std::string path = hook_file(*agent, request.root, request.user);
    Result<std::optional<std::string>> current = read_text(host, path);
    if (!current) return std::move(current).take_errors();
    const std::string command = hook_command(request.binary, *agent, request.server_url);
    const auto version = request.versions.find(std::string(agent->name));
    const bool newer = !agent->newer_since.empty() && version != request.versions.end() &&
                       version_at_least(version->second, agent->newer_since);
    Result<PlannedFile> plan =
        plan_hook(*agent, path, std::move(*current), entry_key(*agent, command, request.server_url),
                  hook_entry(*agent, command, newer, request.server_url));
    if (!plan) return std::move(plan).take_errors();
    plans.push_back(std::move(*plan));
    if (!request.server_url.empty() && posts_to_server(*agent)) {
      server_notes.push_back(server_note(*agent, newer, request.server_url));
    }
  }
  // An agent's hooks feature switched off in its own config is turned on, in place.
  for (const AgentSpec* agent : request.agents) {
    if (agent->switch_file.empty()) continue;
    std::vector<std::string> files{join_path(request.home, agent->switch_file)};
    if (!request.user) files.push_back(join_path(request.root, agent->switch_file));
    for (const std::string& path : files) {
      Result<std::optional<std::string>> current = read_text(host, path);
      if (!current) return std::move(current).take_errors();
      if (!*current) continue;
      Result<std::optional<std::string>> on = flip_codex_hooks(**current, path, false);
      if (!on) return std::move(on).take_errors();
      if (!*on) continue;
      PlannedFile plan{path, agent, "switch", true, **current, std::move(**on)};
      plans.push_back(std::move(plan));
    }
  }
  const std::string config = join_path(state, "config.toml");
  Result<std::optional<std::string>> config_now = read_text(host, config);
  if (!config_now) return std::move(config_now).take_errors();
  PlannedFile config_plan{config, nullptr, "file", config_now->has_value(),
                          config_now->value_or("")};
  config_plan.after = *config_now ? **config_now : std::string(kConfigHeader);
  if (request.configure) {
    Result<std::string> edited = request.configure(config_plan.after, config);
    if (!edited) return std::move(edited).take_errors();
    config_plan.after = std::move(*edited);
  }

  // 2. Write. A failure part way still records what was written, so remove can undo it.
  const auto fail = [&](const std::string& what, const IoStatus& s) {
    (void)write_record(host, record_path(state), *record);
    return io_failure(what, s);
  };
  InstallResult result;
  for (const PlannedFile& plan : plans) {
    const bool same = plan.exists && plan.after == plan.before;
    if (IoStatus s = apply(host, request.root, plan, *record); !s.ok()) {
      return fail("cannot write `" + plan.path + "`", s);
    }
    if (plan.kind == "switch") {
      result.files.push_back({plan.path, std::string(plan.agent->name), "hooks feature turned on"});
      continue;
    }
    result.files.push_back({plan.path, std::string(plan.agent->name),
                            same          ? "unchanged"
                            : plan.exists ? "updated"
                                          : "created"});
    const std::string_view todo = request.user ? plan.agent->user_todo : plan.agent->project_todo;
    if (!todo.empty()) result.todo.emplace_back(todo);
  }
  if (IoStatus s = apply(host, request.root, config_plan, *record); !s.ok()) {
    return fail("cannot write `" + config + "`", s);
  }
  result.files.push_back({config, "",
                          !config_plan.exists                       ? "created"
                          : config_plan.after == config_plan.before ? "unchanged"
                                                                    : "updated"});

  // The signing key lives in the user's home; the project gets a copy of its public key.
  Result<audit::SigningKey> key = audit::load_or_create_signing_key(host, request.home);
  if (!key) {
    (void)write_record(host, record_path(state), *record);
    return std::move(key).take_errors();
  }
  result.key_id = key->id;
  if (!request.user) {
    const std::string pub = join_path(audit::project_keys_dir(request.root), key->id + ".pub");
    const bool had = host.fs->exists(pub);
    if (!had) {
      if (IoStatus s = make_parents(host, pub, *record); !s.ok()) {
        return fail("cannot create `" + parent_of(pub) + "`", s);
      }
      if (IoStatus s = audit::publish_public_key(host, request.root, *key); !s.ok()) {
        return fail("cannot write the public key", s);
      }
      FileRead r = host.fs->read(pub, 1 << 16);
      record->files.push_back({pub, "file", "", true, "", audit::sha256_hex(r.text), 0});
    }
    result.files.push_back({pub, "", had ? "unchanged" : "created"});
    // The same .gitignore line the receipt log adds (audit::ensure_gitignore), recorded.
    const std::string gitignore = join_path(request.root, ".gitignore");
    Result<std::optional<std::string>> before = read_text(host, gitignore);
    if (!before) return std::move(before).take_errors();
    audit::ensure_gitignore(host, request.root);
    Result<std::optional<std::string>> after = read_text(host, gitignore);
    if (after && *after && *after != *before && !record->find(gitignore)) {
      PlannedFile plan{gitignore, nullptr, "gitignore", before->has_value(), before->value_or(""),
                       **after};
      if (IoStatus s = apply(host, request.root, plan, *record); !s.ok()) {
        return fail("cannot write `" + gitignore + "`", s);
      }
    }
    result.files.push_back({gitignore, "",
                            *after == *before ? "unchanged"
                            : *before         ? "updated"
                                              : "created"});
  }
  if (IoStatus s = write_record(host, record_path(state), *record); !s.ok()) {
    return io_failure("cannot write the setup record", s);
  }
  result.todo.insert(result.todo.end(), server_notes.begin(), server_notes.end());
  return result;
}

}  // namespace vectimus::setup
