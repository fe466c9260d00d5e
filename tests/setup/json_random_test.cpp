// Randomised (seeded, so repeatable) documents: whatever the layout, insertion keeps every
// other value, puts ours first, and removal gives back the same bytes (with the one exception
// json_edit.hpp documents: whitespace inside an empty container on the path).
#include <catch2/catch.hpp>
#include <random>

#include "setup/json_doc.hpp"
#include "setup/json_edit.hpp"

using namespace vectimus;
using namespace vectimus::setup;

namespace {

const JsonPath kPath{"hooks", "PreToolUse"};
const std::string kOurs = R"({"command":"/bin/vectimus hook --source x"})";

class Gen {
 public:
  explicit Gen(unsigned seed) : rng_(seed) {}
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  std::string space() {
    static const char* const kSpaces[] = {"",   " ",        "\n",        "\n  ",           "\n\t",
                                          "  ", "\r\n    ", " /* c */ ", "\n  // line\n  "};
    return kSpaces[pick(9)];
  }
  std::string scalar() {
    static const char* const kScalars[] = {"1",     "-2.5e3",          "true", "false", "null",
                                           "\"s\"", "\"\\u00e9\\\"\"", "[]",   "{}"};
    return kScalars[pick(9)];
  }
  // An object with a few members; `keys` (when not empty) is the path to plant, to `depth`.
  std::string object(int depth, std::size_t path_keys) {
    std::vector<std::string> members;
    const int n = pick(3);
    for (int i = 0; i < n; ++i) {
      members.push_back("\"k" + std::to_string(pick(50)) + "\"" + space() + ":" + space() +
                        (depth < 2 && pick(3) == 0 ? object(depth + 1, 0) : scalar()));
    }
    if (path_keys > static_cast<std::size_t>(depth)) {
      std::string value;
      if (depth + 1 == 2) {
        value = "[";
        const int items = pick(3);
        for (int i = 0; i < items; ++i) value += (i ? "," : "") + space() + object(2, 0);
        value += items ? space() + "]" : "]";
      } else {
        value = object(depth + 1, path_keys);
      }
      members.insert(members.begin() + pick(static_cast<int>(members.size()) + 1),
                     "\"" + std::string(kPath[static_cast<std::size_t>(depth)]) + "\"" + space() +
                         ":" + space() + value);
    }
    // An empty object on the path gets no space inside: json_edit.hpp gives back `{}` for it.
    if (members.empty() && static_cast<std::size_t>(depth) <= path_keys) return "{}";
    std::string out = "{";
    for (std::size_t i = 0; i < members.size(); ++i) {
      out += (i ? "," : "") + space() + members[i];
    }
    return out + space() + "}";
  }

 private:
  std::mt19937 rng_;
};

bool ours(const JsonNode& n) {
  const JsonNode* c = n.is_object() ? n.find("command") : nullptr;
  return c && c->text == "/bin/vectimus hook --source x";
}

// Every value of `a` except our items, as compact JSON, for comparing before and after.
std::string without_ours(const JsonNode& node, std::string_view src) {
  if (node.is_array()) {
    std::string out = "[";
    for (const JsonNode& item : node.items) {
      if (!ours(item)) out += without_ours(item, src) + ",";
    }
    return out + "]";
  }
  if (node.is_object()) {
    std::string out = "{";
    for (const JsonMember& m : node.members) out += m.key + ":" + without_ours(m.node(), src) + ",";
    return out + "}";
  }
  return compact_json(node, src);
}

}  // namespace

TEST_CASE("random documents: insertion keeps everything else, removal restores the bytes") {
  for (unsigned seed = 1; seed <= 600; ++seed) {
    Gen gen(seed);
    const std::string text =
        gen.space() + gen.object(0, static_cast<std::size_t>(gen.pick(3))) + gen.space();
    INFO("seed " << seed << ": " << text);
    Result<JsonNode> doc = parse_json(text, "r.json", true);
    REQUIRE(doc.ok());
    Result<Insertion> ins = insert_first(text, *doc, kPath, kOurs, "r.json");
    REQUIRE(ins.ok());
    Result<JsonNode> after = parse_json(ins->text, "r.json", true);
    REQUIRE(after.ok());
    const JsonNode* array = array_at(*after, kPath);
    REQUIRE(array);
    REQUIRE(!array->items.empty());
    CHECK(ours(array->items.front()));
    // Nothing else changed, apart from the keys created to hold our entry.
    const std::string removed = remove_items(ins->text, *after, kPath, ours, ins->created_from);
    CHECK(removed == text);
    if (ins->created_from == kPath.size()) {
      CHECK(without_ours(*after, ins->text) == without_ours(*doc, text));
    }
  }
}
