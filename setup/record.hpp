// What `init` did, kept so `remove` can undo it exactly: `<state>/setup.json`, where <state> is
// the project's `.vectimus/` (or `~/.vectimus/` for `init --user`).
//
// Each file init created or edited has one entry: created or edited, the backup of its first
// original (edited files), the SHA-256 of the bytes init last wrote, and (hook files) which keys
// of the hook path init created. `remove` restores the backup when the file still holds exactly
// what init wrote, and otherwise takes out only our entries.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "support/host.hpp"
#include "support/result.hpp"

namespace vectimus::setup {

struct RecordedFile {
  std::string path;   // absolute
  std::string kind;   // "hook" (an agent's hook file), "switch" (its hooks feature turned on),
                      // "gitignore", "file" (ours, whole)
  std::string agent;  // hook files: the agent's name
  bool created = false;
  std::string backup;  // edited files: a copy of the first original
  std::string sha256;  // hex, of what init last wrote
  std::size_t created_from = 0;
};

struct SetupRecord {
  std::vector<RecordedFile> files;
  std::vector<std::string> created_dirs;  // removed by `remove` when left empty, deepest first
  RecordedFile* find(const std::string& path);
};

std::string record_path(const std::string& state_dir);
// A missing record is an empty one; one that does not parse is an error naming it.
Result<SetupRecord> read_record(const Host& host, const std::string& path);
IoStatus write_record(const Host& host, const std::string& path, const SetupRecord& record);

}  // namespace vectimus::setup
