// The format-preserving JSON reader and editor: spans, errors with line and column, and
// insertions whose removal gives back the same bytes.
#include <catch2/catch.hpp>

#include "setup/json_doc.hpp"
#include "setup/json_edit.hpp"

using namespace vectimus;
using namespace vectimus::setup;

namespace {

const JsonPath kPath{"hooks", "PreToolUse"};
const std::string kOurs = R"({"command":"/bin/vectimus hook --source x"})";

bool ours(const JsonNode& n) {
  const JsonNode* c = n.find("command");
  return c && c->text == "/bin/vectimus hook --source x";
}

// Inserts ours, checks the expected text, then removes it and checks the original comes back.
void round_trip(const std::string& before, const std::string& expected) {
  Result<JsonNode> doc = parse_json(before, "f.json", true);
  REQUIRE(doc.ok());
  Result<Insertion> ins = insert_first(before, *doc, kPath, kOurs, "f.json");
  REQUIRE(ins.ok());
  CHECK(ins->text == expected);
  Result<JsonNode> again = parse_json(ins->text, "f.json", true);
  REQUIRE(again.ok());
  CHECK(remove_items(ins->text, *again, kPath, ours, ins->created_from) == before);
}

}  // namespace

TEST_CASE("parse_json keeps spans, decodes strings and reads comments only when asked") {
  const std::string text = "{\n  \"a\": [1, \"x\\u00e9\\n\"], // note\n  \"b\": {}\n}";
  CHECK_FALSE(parse_json(text, "f.json", false).ok());
  Result<JsonNode> doc = parse_json(text, "f.json", true);
  REQUIRE(doc.ok());
  const JsonNode* a = doc->find("a");
  REQUIRE(a);
  CHECK(text.substr(a->begin, a->end - a->begin) == "[1, \"x\\u00e9\\n\"]");
  CHECK(a->items[1].text == "x\xc3\xa9\n");
  CHECK(doc->find("b")->is_object());
}

TEST_CASE("parse_json errors name the file, line and column and say nothing was changed") {
  Result<JsonNode> doc = parse_json("{\n  \"a\": 1,\n  \"b\" 2\n}", "settings.json", false);
  REQUIRE_FALSE(doc.ok());
  const std::string text = render(doc.errors());
  CHECK(text.rfind("settings.json:3:7: error: expected `:` after the key in `settings.json`", 0) ==
        0);
  CHECK(text.find("nothing was changed") != std::string::npos);
  CHECK_FALSE(parse_json("{\"a\": [1,]}", "f", false).ok());
  CHECK_FALSE(parse_json("{} x", "f", false).ok());
  CHECK_FALSE(parse_json(std::string(300, '[') + std::string(300, ']'), "f", false).ok());
}

TEST_CASE("insert_first puts our element first in an existing array and removal undoes it") {
  round_trip(
      "{\n  \"hooks\": {\n    \"PreToolUse\": [\n      {\"command\": \"other\"}\n    ]\n  }\n}\n",
      "{\n  \"hooks\": {\n    \"PreToolUse\": [\n      {\n        \"command\": "
      "\"/bin/vectimus hook --source x\"\n      },\n      {\"command\": \"other\"}\n    ]\n "
      " }\n}\n");
  // One-line arrays get one-line insertions.
  round_trip("{\"hooks\": {\"PreToolUse\": [{\"command\": \"other\"}]}}",
             "{\"hooks\": {\"PreToolUse\": [" + kOurs + ", {\"command\": \"other\"}]}}");
}

TEST_CASE("insert_first creates missing keys in the file's own indentation, after the last key") {
  round_trip("{\n    \"model\": \"x\"\n}\n",
             "{\n    \"model\": \"x\",\n    \"hooks\": {\n        \"PreToolUse\": [\n            "
             "{\n                \"command\": \"/bin/vectimus hook --source x\"\n            }\n   "
             "     ]\n    }\n}\n");
  round_trip("{\n\t\"hooks\": {\n\t\t\"Stop\": []\n\t}\n}",
             "{\n\t\"hooks\": {\n\t\t\"Stop\": [],\n\t\t\"PreToolUse\": [\n\t\t\t{\n\t\t\t\t"
             "\"command\": \"/bin/vectimus hook --source x\"\n\t\t\t}\n\t\t]\n\t}\n}");
  round_trip("{}\n",
             "{\n  \"hooks\": {\n    \"PreToolUse\": [\n      {\n        \"command\": "
             "\"/bin/vectimus hook --source x\"\n      }\n    ]\n  }\n}\n");
  round_trip("{\"hooks\": {\"PreToolUse\": []}}",
             "{\"hooks\": {\"PreToolUse\": [\n  {\n    \"command\": \"/bin/vectimus hook --source "
             "x\"\n  }\n]}}");
}

TEST_CASE("insert_first refuses a path that holds something else, naming it") {
  const std::string text = "{\"hooks\": []}";
  Result<JsonNode> doc = parse_json(text, "f.json", true);
  REQUIRE(doc.ok());
  Result<Insertion> ins = insert_first(text, *doc, kPath, kOurs, "f.json");
  REQUIRE_FALSE(ins.ok());
  CHECK(render(ins.errors()).rfind("f.json:1:11: error: `hooks` is not an object\n", 0) == 0);
  Result<JsonNode> arr = parse_json("[]", "g.json", true);
  REQUIRE(arr.ok());
  CHECK(render(insert_first("[]", *arr, kPath, kOurs, "g.json").errors())
            .rfind("g.json:1:1: error: `the top level` is not an object\n", 0) == 0);
}

TEST_CASE("remove_items takes out only our items, wherever the user moved them") {
  const std::string text =
      "{\"hooks\": {\"PreToolUse\": [{\"command\": \"a\"}, " + kOurs + ", {\"command\": \"b\"}]}}";
  Result<JsonNode> doc = parse_json(text, "f", true);
  REQUIRE(doc.ok());
  CHECK(remove_items(text, *doc, kPath, ours, 2) ==
        "{\"hooks\": {\"PreToolUse\": [{\"command\": \"a\"}, {\"command\": \"b\"}]}}");
  CHECK(indent_unit("{\n\t\"a\": 1\n}") == "\t");
  CHECK(indent_unit("{}") == "  ");
}

TEST_CASE("a UTF-8 byte order mark is read past and kept") {
  round_trip("\xEF\xBB\xBF{\"a\": 1}",
             "\xEF\xBB\xBF{\"a\": 1, \"hooks\": {\"PreToolUse\":[" + kOurs + "]}}");
}

// Every combination of indentation, line endings, comments and which keys already exist: the
// result parses, holds our element first, keeps every other value, and removal restores it.
TEST_CASE("insert_first and remove_items round-trip over many file layouts") {
  const std::vector<std::string> units{"  ", "    ", "\t"};
  const std::vector<std::string> newlines{"\n", "\r\n"};
  // What the file holds on the way to hooks.PreToolUse: {0: nothing, 1: hooks, 2: empty array,
  // 3: an array with another hook}.
  int checked = 0;
  for (const std::string& u : units) {
    for (const std::string& nl : newlines) {
      for (int depth = 0; depth < 4; ++depth) {
        for (const bool comment : {false, true}) {
          std::string inner;
          if (depth == 1) inner = "\"hooks\": {" + nl + u + u + "\"Stop\": []" + nl + u + "}";
          if (depth == 2) inner = "\"hooks\": {" + nl + u + u + "\"PreToolUse\": []" + nl + u + "}";
          if (depth == 3) {
            inner = "\"hooks\": {" + nl + u + u + "\"PreToolUse\": [" + nl + u + u + u +
                    "{\"command\": \"other\"}" + nl + u + u + "]" + nl + u + "}";
          }
          std::string text = "{" + nl + u + (comment ? "// a comment" + nl + u : "") +
                             "\"model\": \"m\"" + (inner.empty() ? "" : "," + nl + u + inner) + nl +
                             "}" + nl;
          INFO(text);
          Result<JsonNode> doc = parse_json(text, "f.json", true);
          REQUIRE(doc.ok());
          Result<Insertion> ins = insert_first(text, *doc, kPath, kOurs, "f.json");
          REQUIRE(ins.ok());
          Result<JsonNode> after = parse_json(ins->text, "f.json", true);
          REQUIRE(after.ok());
          const JsonNode* array = array_at(*after, kPath);
          REQUIRE(array);
          CHECK(ours(array->items.front()));
          CHECK(array->items.size() == (depth == 3 ? 2u : 1u));
          CHECK(after->find("model")->text == "m");
          // New lines use the file's own line ending.
          if (nl == "\n") CHECK(ins->text.find('\r') == std::string::npos);
          CHECK(remove_items(ins->text, *after, kPath, ours, ins->created_from) == text);
          ++checked;
        }
      }
    }
  }
  CHECK(checked == 48);
}
