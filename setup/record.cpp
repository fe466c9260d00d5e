#include "setup/record.hpp"

#include "setup/json_doc.hpp"
#include "support/json_writer.hpp"

namespace vectimus::setup {
namespace {

constexpr std::size_t kMaxRecordBytes = 1 << 20;

std::string string_of(const JsonNode& object, std::string_view key) {
  const JsonNode* n = object.find(key);
  return n && n->is_string() ? n->text : std::string();
}

}  // namespace

RecordedFile* SetupRecord::find(const std::string& path) {
  for (RecordedFile& f : files) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

std::string record_path(const std::string& state_dir) {
  return join_path(state_dir, "setup.json");
}

Result<SetupRecord> read_record(const Host& host, const std::string& path) {
  SetupRecord record;
  const FileRead r = host.fs->read(path, kMaxRecordBytes);
  if (r.status == FileRead::Status::missing) return record;
  if (r.status != FileRead::Status::ok) {
    return make_error("io", "cannot read `" + path + "`: " + r.error);
  }
  Result<JsonNode> doc = parse_json(r.text, path, false);
  if (!doc) return std::move(doc).take_errors();
  const JsonNode* files = doc->find("files");
  if (files) {
    for (const JsonNode& f : files->items) {
      RecordedFile file;
      file.path = string_of(f, "path");
      file.kind = string_of(f, "kind");
      file.agent = string_of(f, "agent");
      const JsonNode* created = f.find("created");
      file.created = created && created->is_true();
      file.backup = string_of(f, "backup");
      file.sha256 = string_of(f, "sha256");
      const JsonNode* from = f.find("created_from");
      // A key index: one or two digits (a hand-edited record must not throw).
      if (from && from->kind == JsonNode::Kind::number && from->text.size() <= 2 &&
          from->text.find_first_not_of("0123456789") == std::string::npos) {
        file.created_from = static_cast<std::size_t>(std::stoul(from->text));
      }
      if (!file.path.empty()) record.files.push_back(std::move(file));
    }
  }
  if (const JsonNode* dirs = doc->find("created_dirs")) {
    for (const JsonNode& d : dirs->items) {
      if (d.is_string()) record.created_dirs.push_back(d.text);
    }
  }
  return record;
}

IoStatus write_record(const Host& host, const std::string& path, const SetupRecord& record) {
  JsonWriter w;
  w.begin_object().key("version").value(1).key("files").begin_array();
  for (const RecordedFile& f : record.files) {
    w.begin_object().key("path").value(f.path).key("kind").value(f.kind);
    if (!f.agent.empty()) w.key("agent").value(f.agent);
    w.key("created").value(f.created);
    if (!f.backup.empty()) w.key("backup").value(f.backup);
    w.key("sha256").value(f.sha256);
    w.key("created_from").value(static_cast<uint64_t>(f.created_from));
    w.end_object();
  }
  w.end_array().key("created_dirs").begin_array();
  for (const std::string& d : record.created_dirs) w.value(d);
  w.end_array().end_object();
  return host.fs->replace(path, w.str() + "\n", 0644);
}

}  // namespace vectimus::setup
