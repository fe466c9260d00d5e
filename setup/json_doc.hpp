// A JSON document that remembers where every value is in its text, so `init` and `remove` can
// change one array or object of an agent's settings file and leave every other byte as it was.
//
//   text ─ parse_json() ─▶ JsonNode tree (byte spans into text) ─▶ edits (json_edit.hpp) splice
//   new text at those spans ─▶ the new file text, re-parsed before it is written
//
// Agents' settings may hold comments (VS Code's mcp.json is JSONC; Claude Code and Gemini CLI
// read theirs with comment-tolerant parsers), so `//` and `/* */` comments are accepted where
// whitespace is when `comments` is set. A document that does not parse is an error naming
// file:line:col; callers then refuse to write the file.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "support/result.hpp"

namespace vectimus::setup {

struct JsonNode;

struct JsonMember {
  std::string key;              // decoded
  std::size_t key_begin{};      // the opening quote of the key
  std::vector<JsonNode> value;  // exactly one element (a vector: JsonNode is incomplete here)
  const JsonNode& node() const { return value.front(); }
};

struct JsonNode {
  enum class Kind { object, array, string, number, boolean, null };
  Kind kind = Kind::null;
  std::size_t begin = 0;  // first byte of the value
  std::size_t end = 0;    // one past its last byte
  std::string text;       // strings: decoded; booleans: "true"/"false"; numbers: as written
  std::vector<JsonMember> members;  // objects, in document order
  std::vector<JsonNode> items;      // arrays

  bool is_object() const { return kind == Kind::object; }
  bool is_array() const { return kind == Kind::array; }
  bool is_string() const { return kind == Kind::string; }
  bool is_true() const { return kind == Kind::boolean && text == "true"; }
  // The member's value named `key` (the last one when repeated, as JSON.parse does); null if none.
  const JsonNode* find(std::string_view key) const;
  const JsonMember* find_member(std::string_view key) const;
};

// Parses one JSON value (the whole text, surrounding whitespace allowed). `file` names the
// document in errors (code "json", with its line and column).
Result<JsonNode> parse_json(std::string_view text, std::string_view file, bool comments);

// Every string value (not keys) in `node`, depth first; for "is this entry ours" checks.
void collect_strings(const JsonNode& node, std::vector<std::string>& out);

}  // namespace vectimus::setup
