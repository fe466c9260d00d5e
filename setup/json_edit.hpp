// Edits of a JSON settings file that change only the bytes they must: insert one element as the
// first item of an array reached by object keys (creating the missing objects and the array in
// the file's own indentation), and remove elements again. Each removal is the exact inverse of
// the insertion that made it, so `init` then `remove` gives back the same bytes even when the
// user has edited other parts of the file in between.
//
// Layout rules (those of a file formatted by JSON.stringify or an editor): the indentation unit
// is that of the first indented line (two spaces when there is none), new members go after the
// last member of their object, a container written on one line gets a one-line insertion.
// The one thing removal cannot give back is whitespace inside an empty container on the path
// (`{ }`, `[\n]` come back as `{}`, `[]`); `remove` restores such a file from its backup when the
// user has not changed it since.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "setup/json_doc.hpp"
#include "support/result.hpp"

namespace vectimus::setup {

// Object keys from the root to an array: {"hooks", "PreToolUse"}.
using JsonPath = std::array<std::string_view, 2>;

struct Insertion {
  std::string text;
  // The index in the path of the first key that did not exist and was created (the path's size
  // when every key existed): `remove_items` drops what became empty from there on.
  std::size_t created_from = 0;
};

// `text` with `element` (compact JSON) inserted first in the array at `path` of `root` (the
// parse of `text`). Errors (code "json") when the root or a key on the path holds something
// else than the object or array the path needs; `file` names it.
Result<Insertion> insert_first(std::string_view text, const JsonNode& root, const JsonPath& path,
                               std::string_view element, std::string_view file);

// `text` without the items of the array at `path` for which `ours` holds. When the array is left
// empty, the keys from `created_from` on are removed as far as they hold nothing else. Returns
// `text` unchanged when there is no such array or item.
std::string remove_items(std::string_view text, const JsonNode& root, const JsonPath& path,
                         const std::function<bool(const JsonNode&)>& ours,
                         std::size_t created_from);

// The array at `path` of `root`; null when a key is missing or holds something else.
const JsonNode* array_at(const JsonNode& root, const JsonPath& path);

// `node` (parsed from `src`) without whitespace or comments, scalars as written: equal for two
// elements that differ only in layout.
std::string compact_json(const JsonNode& node, std::string_view src);

// The indentation unit of `text`: the leading whitespace of its first indented line, else "  ".
std::string indent_unit(std::string_view text);

}  // namespace vectimus::setup
