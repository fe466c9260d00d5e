// remove: the inverse of install(). A file that still holds exactly the bytes init wrote gets
// its first original back (or is deleted, when init created it); a file changed since loses
// only our entries (json_edit.hpp's removal is the exact inverse of its insertion), so the
// user's later edits stay. Everything is computed before anything is written.
#include <unistd.h>

#include <algorithm>

#include "audit/crypto.hpp"
#include "setup/codex_toml.hpp"
#include "setup/install.hpp"

namespace vectimus::setup {
namespace {

constexpr std::size_t kMaxBytes = 4 << 20;

struct Action {
  std::string path;
  bool remove = false;
  std::string text;
  FileOutcome outcome;
};

// Our gitignore line taken out (the line audit::ensure_gitignore appends).
std::string without_gitignore_line(std::string_view text) {
  std::string out;
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    const std::string_view line =
        rest.substr(0, nl == std::string_view::npos ? rest.size() : nl + 1);
    rest.remove_prefix(line.size());
    if (line != ".vectimus/receipts/\n" && line != ".vectimus/receipts/") out += line;
  }
  return out;
}

Result<std::optional<Action>> surgical(const RecordedFile& file, const std::string& text) {
  Action a{file.path};
  if (file.kind == "hook") {
    const AgentSpec* agent = find_agent(file.agent);
    if (!agent) return std::optional<Action>();
    Result<JsonNode> doc = parse_json(text, file.path, true);
    if (!doc) return std::move(doc).take_errors();
    a.text = remove_items(
        text, *doc, agent->path, [&](const JsonNode& n) { return is_our_entry(n, *agent); },
        file.created_from);
    a.remove = file.created && a.text == agent->skeleton;
    a.outcome = {file.path, file.agent,
                 a.remove ? "deleted" : "our entry removed (the file changed since init)"};
  } else if (file.kind == "switch") {
    Result<std::optional<std::string>> off = flip_codex_hooks(text, file.path, true);
    if (!off) return std::move(off).take_errors();
    if (!*off) return std::optional<Action>();
    a.text = std::move(**off);
    a.outcome = {file.path, file.agent, "hooks feature turned off again"};
  } else if (file.kind == "gitignore") {
    a.text = without_gitignore_line(text);
    a.remove = file.created && a.text.empty();
    a.outcome = {file.path, "", a.remove ? "deleted" : "our line removed"};
  } else if (file.created) {
    a.remove = true;
    a.outcome = {file.path, "", "deleted"};
  } else {
    return std::optional<Action>();  // a config the user had and changed since: theirs
  }
  if (!a.remove && a.text == text) return std::optional<Action>();
  return std::optional<Action>(std::move(a));
}

Result<std::vector<Action>> plan(const Host& host, const std::string& root, bool user,
                                 SetupRecord& record) {
  std::vector<Action> actions;
  for (auto it = record.files.rbegin(); it != record.files.rend(); ++it) {
    const RecordedFile& file = *it;
    FileRead now = host.fs->read(file.path, kMaxBytes);
    if (now.status == FileRead::Status::missing) continue;
    if (now.status != FileRead::Status::ok) {
      return make_error("io", "cannot read `" + file.path + "`: " + now.error, std::nullopt,
                        "nothing was changed");
    }
    if (audit::sha256_hex(now.text) == file.sha256) {
      if (file.created) {
        actions.push_back({file.path, true, "", {file.path, file.agent, "deleted"}});
        continue;
      }
      FileRead backup = host.fs->read(file.backup, kMaxBytes);
      if (backup.status == FileRead::Status::ok) {
        actions.push_back(
            {file.path, false, std::move(backup.text), {file.path, file.agent, "restored"}});
        continue;
      }
    }
    Result<std::optional<Action>> a = surgical(file, now.text);
    if (!a) return std::move(a).take_errors();
    if (*a) actions.push_back(std::move(**a));
  }
  // Hook files the record does not know (a record deleted, an entry added by hand): ours out.
  for (const AgentSpec& agent : agents()) {
    const std::string path = hook_file(agent, root, user);
    if (record.find(path)) continue;
    FileRead now = host.fs->read(path, kMaxBytes);
    if (now.status != FileRead::Status::ok) continue;
    RecordedFile file{path, "hook", std::string(agent.name)};
    file.created_from = agent.path.size();
    Result<std::optional<Action>> a = surgical(file, now.text);
    if (!a) return std::move(a).take_errors();
    if (*a) actions.push_back(std::move(**a));
  }
  return actions;
}

}  // namespace

Result<std::vector<FileOutcome>> removal_plan(const Host& host, const std::string& root,
                                              bool user) {
  Result<SetupRecord> record = read_record(host, record_path(state_dir(root)));
  if (!record) return std::move(record).take_errors();
  Result<std::vector<Action>> actions = plan(host, root, user, *record);
  if (!actions) return std::move(actions).take_errors();
  std::vector<FileOutcome> out;
  for (const Action& a : *actions) out.push_back(a.outcome);
  return out;
}

Result<std::vector<FileOutcome>> uninstall(const Host& host, const std::string& root, bool user) {
  const std::string state = state_dir(root);
  Result<SetupRecord> record = read_record(host, record_path(state));
  if (!record) return std::move(record).take_errors();
  Result<std::vector<Action>> actions = plan(host, root, user, *record);
  if (!actions) return std::move(actions).take_errors();
  std::vector<FileOutcome> out;
  for (const Action& a : *actions) {
    const IoStatus s =
        a.remove ? host.fs->remove(a.path) : host.fs->replace(a.path, a.text, file_mode(a.path));
    if (!s.ok()) {
      return make_error("io", "cannot change `" + a.path + "`: " + s.error, std::nullopt,
                        "fix the cause and run `vectimus remove` again");
    }
    out.push_back(a.outcome);
  }
  // The record and the backups go last: until here a failed remove can be run again.
  for (const RecordedFile& file : record->files) {
    if (!file.backup.empty()) (void)host.fs->remove(file.backup);
  }
  (void)host.fs->remove(record_path(state));
  std::vector<std::string> dirs = record->created_dirs;
  dirs.push_back(join_path(state, "backups"));
  std::sort(dirs.begin(), dirs.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& dir : dirs) (void)::rmdir(dir.c_str());  // only when left empty
  return out;
}

}  // namespace vectimus::setup
