// Splicing text at the spans of a parsed document. Every insertion writes exactly the bytes its
// removal erases: an item goes in as `E,<gap>` before the first item (and comes out as the span
// from E to the next item), a member as `,<gap>"k": V` after the last member (and comes out as
// the span from the previous value's end to its own end).
#include "setup/json_edit.hpp"

#include <cstdint>
#include <vector>

#include "support/json_writer.hpp"
#include "support/text.hpp"

namespace vectimus::setup {
namespace {

std::string newline_of(std::string_view text) {
  return text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
}

// The leading whitespace of the line holding `pos`.
std::string line_indent(std::string_view text, std::size_t pos) {
  const std::size_t nl = pos == 0 ? std::string_view::npos : text.rfind('\n', pos - 1);
  const std::size_t start = nl == std::string_view::npos ? 0 : nl + 1;
  std::size_t end = start;
  while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
  return std::string(text.substr(start, end - start));
}

// The indentation after the last newline of a gap between two tokens; false when the gap holds
// no newline (the container is written on one line).
bool gap_indent(std::string_view gap, std::string& indent) {
  const std::size_t nl = gap.rfind('\n');
  if (nl == std::string_view::npos) return false;
  std::size_t end = nl + 1;
  while (end < gap.size() && (gap[end] == ' ' || gap[end] == '\t')) ++end;
  indent = std::string(gap.substr(nl + 1, end - nl - 1));
  return true;
}

std::string quoted(std::string_view key) {
  std::string out;
  append_json_string(out, key);
  return out;
}

struct Style {
  std::string unit;
  std::string nl;
};

// `node` (parsed from `src`) as JSON.stringify(value, null, unit) writes it, its nested lines
// starting at `indent` + unit.
void pretty(const JsonNode& node, std::string_view src, const Style& style,
            const std::string& indent, std::string& out) {
  const bool object = node.is_object();
  if (!object && !node.is_array()) {
    out += src.substr(node.begin, node.end - node.begin);
    return;
  }
  const std::size_t count = object ? node.members.size() : node.items.size();
  if (count == 0) {
    out += object ? "{}" : "[]";
    return;
  }
  const std::string inner = indent + style.unit;
  out += object ? '{' : '[';
  for (std::size_t i = 0; i < count; ++i) {
    out += style.nl + inner;
    if (object) {
      out += quoted(node.members[i].key) + ": ";
      pretty(node.members[i].node(), src, style, inner, out);
    } else {
      pretty(node.items[i], src, style, inner, out);
    }
    if (i + 1 < count) out += ',';
  }
  out += style.nl + indent + (object ? '}' : ']');
}

std::string pretty_of(std::string_view compact, const Style& style, const std::string& indent) {
  const Result<JsonNode> node = parse_json(compact, "<entry>", false);
  if (!node) return std::string(compact);  // our own templates always parse
  std::string out;
  pretty(*node, compact, style, indent, out);
  return out;
}

std::string add_member(std::string_view text, const JsonNode& object, std::string_view key,
                       std::string_view value, const Style& style) {
  if (object.members.empty()) {
    const std::string outer = line_indent(text, object.begin);
    const std::string inner = outer + style.unit;
    return splice(text, object.begin, object.end,
                  "{" + style.nl + inner + quoted(key) + ": " + pretty_of(value, style, inner) +
                      style.nl + outer + "}");
  }
  const JsonMember& first = object.members.front();
  const JsonMember& last = object.members.back();
  const std::string_view gap = text.substr(object.begin + 1, first.key_begin - object.begin - 1);
  std::string indent;
  std::string insert;
  if (gap_indent(gap, indent)) {
    insert = "," + style.nl + indent + quoted(key) + ": " + pretty_of(value, style, indent);
  } else {
    insert = ", " + quoted(key) + ": " + std::string(value);
  }
  const std::size_t at = last.node().end;
  return splice(text, at, at, insert);
}

std::string add_item(std::string_view text, const JsonNode& array, std::string_view element,
                     const Style& style) {
  if (array.items.empty()) {
    const std::string outer = line_indent(text, array.begin);
    const std::string inner = outer + style.unit;
    return splice(
        text, array.begin, array.end,
        "[" + style.nl + inner + pretty_of(element, style, inner) + style.nl + outer + "]");
  }
  const JsonNode& first = array.items.front();
  const std::string_view gap = text.substr(array.begin + 1, first.begin - array.begin - 1);
  std::string indent;
  const std::string insert = gap_indent(gap, indent)
                                 ? pretty_of(element, style, indent) + "," + style.nl + indent
                                 : std::string(element) + ", ";
  return splice(text, first.begin, first.begin, insert);
}

// `keys` path keys lead to the value at `at` of `text`, which is not what the agent expects.
Diagnostic shape_error(std::string_view text, std::string_view file, const JsonPath& path,
                       std::size_t keys, std::size_t at, std::string_view expected) {
  std::string where;
  for (std::size_t i = 0; i < keys && i < path.size(); ++i) {
    where += (i ? "." : "") + std::string(path[i]);
  }
  if (where.empty()) where = "the top level";
  const auto begin = static_cast<uint32_t>(at);
  return make_error(
      "json", "`" + where + "` is not " + std::string(expected),
      Location{make_source(std::string(file), std::string(text)), Span{begin, begin + 1}},
      "the agent expects " + std::string(expected) +
          " there; fix the file and run the command again; nothing was changed");
}

// Removes member `index` of `object`; an object left empty becomes `{}`.
std::string drop_member(std::string_view text, const JsonNode& object, std::size_t index) {
  const auto& members = object.members;
  if (members.size() == 1) return splice(text, object.begin, object.end, "{}");
  if (index + 1 < members.size()) {
    return splice(text, members[index].key_begin, members[index + 1].key_begin, "");
  }
  return splice(text, members[index - 1].node().end, members[index].node().end, "");
}

std::size_t member_index(const JsonNode& object, std::string_view key) {
  std::size_t found = object.members.size();
  for (std::size_t i = 0; i < object.members.size(); ++i) {
    if (object.members[i].key == key) found = i;
  }
  return found;
}

}  // namespace

const JsonNode* array_at(const JsonNode& root, const JsonPath& path) {
  const JsonNode* node = &root;
  for (const std::string_view key : path) {
    node = node->is_object() ? node->find(key) : nullptr;
    if (!node) return nullptr;
  }
  return node->is_array() ? node : nullptr;
}

std::string compact_json(const JsonNode& node, std::string_view src) {
  if (node.is_object()) {
    std::string out = "{";
    for (const JsonMember& m : node.members) {
      if (out.size() > 1) out += ',';
      out += quoted(m.key) + ":" + compact_json(m.node(), src);
    }
    return out + "}";
  }
  if (node.is_array()) {
    std::string out = "[";
    for (const JsonNode& item : node.items) {
      if (out.size() > 1) out += ',';
      out += compact_json(item, src);
    }
    return out + "]";
  }
  return std::string(src.substr(node.begin, node.end - node.begin));
}

std::string indent_unit(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) break;
    std::size_t end = nl + 1;
    while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
    if (end > nl + 1 && end < text.size() && text[end] != '\n' && text[end] != '\r') {
      return std::string(text.substr(nl + 1, end - nl - 1));
    }
    pos = nl + 1;
  }
  return "  ";
}

Result<Insertion> insert_first(std::string_view text, const JsonNode& root, const JsonPath& path,
                               std::string_view element, std::string_view file) {
  if (!root.is_object()) return shape_error(text, file, path, 0, root.begin, "an object");
  const Style style{indent_unit(text), newline_of(text)};
  const JsonNode* object = &root;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const JsonNode* node = object->find(path[i]);
    if (!node) {
      std::string value = "[" + std::string(element) + "]";
      for (std::size_t j = path.size() - 1; j > i; --j) {
        value = "{" + quoted(path[j]) + ":" + value + "}";
      }
      return Insertion{add_member(text, *object, path[i], value, style), i};
    }
    if (i + 1 == path.size()) {
      if (!node->is_array()) return shape_error(text, file, path, i + 1, node->begin, "an array");
      return Insertion{add_item(text, *node, element, style), path.size()};
    }
    if (!node->is_object()) return shape_error(text, file, path, i + 1, node->begin, "an object");
    object = node;
  }
  return Insertion{std::string(text), path.size()};
}

std::string remove_items(std::string_view text, const JsonNode& root, const JsonPath& path,
                         const std::function<bool(const JsonNode&)>& ours,
                         std::size_t created_from) {
  std::string out(text);
  // One item at a time, re-parsed after each: spans stay right, and files are small.
  for (std::size_t round = 0; round < 1000; ++round) {
    Result<JsonNode> parsed = round == 0 ? Result<JsonNode>(root) : parse_json(out, "", true);
    if (!parsed || !parsed->is_object()) return out;
    std::vector<const JsonNode*> objects{&*parsed};
    const JsonNode* array = nullptr;
    for (std::size_t i = 0; i < path.size(); ++i) {
      const JsonNode* node = objects.back()->find(path[i]);
      if (!node) return out;
      if (i + 1 == path.size()) {
        array = node;
      } else {
        if (!node->is_object()) return out;
        objects.push_back(node);
      }
    }
    if (!array->is_array()) return out;
    const auto& items = array->items;
    std::size_t j = 0;
    while (j < items.size() && !ours(items[j])) ++j;
    if (j == items.size()) return out;
    if (items.size() > 1) {
      out = j + 1 < items.size() ? splice(out, items[j].begin, items[j + 1].begin, "")
                                 : splice(out, items[j - 1].end, items[j].end, "");
      continue;
    }
    // The array is left empty: drop the keys this tool created, as far as they hold nothing else.
    std::size_t level = path.size() - 1;
    if (created_from > level) return splice(out, array->begin, array->end, "[]");
    while (level > created_from && objects[level]->members.size() == 1) --level;
    return drop_member(out, *objects[level], member_index(*objects[level], path[level]));
  }
  return out;
}

}  // namespace vectimus::setup
