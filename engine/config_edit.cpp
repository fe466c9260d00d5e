// toml++ parses the text only to find where things are (each node's source region); the edits
// themselves splice bytes, so the rest of the file is untouched. Every result is parsed again
// and must hold the value asked for, so a splice that went wrong is an error, never a write.
#include "engine/config_edit.hpp"

#include <toml++/toml.h>

#include <algorithm>

#include "engine/config_schema.hpp"
#include "support/text.hpp"

namespace vectimus::engine {
namespace {

constexpr std::string_view kCode = "config";

std::vector<std::string> split_key(std::string_view key) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = key.find('.', start);
    out.emplace_back(key.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

// The schema row for `key`, or an error naming it with the nearest known key.
Result<const ConfigKey*> schema_row(std::string_view key) {
  const std::vector<std::string> segments = split_key(key);
  if (const ConfigKey* row = find_config_key(segments)) return row;
  const auto nearest = closest_key(key, file_key_paths(segments));
  return make_error(std::string(kCode), "unknown config key " + display_key(key), std::nullopt,
                    nearest ? "did you mean " + display_key(*nearest) + "?"
                            : "see the configuration section of the README");
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string render_key(std::string_view segment) {
  const bool bare = !segment.empty() && std::all_of(segment.begin(), segment.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
  return bare ? std::string(segment) : quote(segment);
}

std::string render_path(std::span<const std::string> segments) {
  std::string out;
  for (const std::string& s : segments) out += (out.empty() ? "" : ".") + render_key(s);
  return out;
}

std::string render_value(const ConfigValue& value) {
  if (const bool* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const int64_t* n = std::get_if<int64_t>(&value)) return std::to_string(*n);
  if (const std::string* s = std::get_if<std::string>(&value)) return quote(*s);
  std::string out = "[";
  for (const std::string& item : std::get<std::vector<std::string>>(value)) {
    out += (out.size() > 1 ? ", " : "") + quote(item);
  }
  return out + "]";
}

// Checks `value` against the row as the reader would (kind, choices, bounds, levels).
std::string check_value(const ConfigKey& row, std::string_view key, const ConfigValue& value) {
  const std::string name = display_key(key);
  SchemaValue checked;
  switch (row.kind) {
    case ValueKind::boolean:
      if (!std::holds_alternative<bool>(value)) return name + " must be true or false";
      checked = std::get<bool>(value);
      break;
    case ValueKind::integer:
      if (!std::holds_alternative<int64_t>(value) || std::get<int64_t>(value) < 0) {
        return name + " must be a non-negative integer";
      }
      checked = static_cast<std::size_t>(std::get<int64_t>(value));
      break;
    case ValueKind::string_list:
      if (!std::holds_alternative<std::vector<std::string>>(value)) {
        return name + " must be a list of strings";
      }
      checked = std::get<std::vector<std::string>>(value);
      break;
    case ValueKind::table_array: return name + " is an array of tables; edit it by hand";
    case ValueKind::string:
    case ValueKind::choice:
    case ValueKind::path:
    case ValueKind::enforcement:
    case ValueKind::endpoint:
      if (!std::holds_alternative<std::string>(value)) return name + " must be a string";
      checked = std::get<std::string>(value);
      break;
  }
  Config scratch;
  return assign_config_value(scratch, row, split_key(key).back(), std::move(checked),
                             LayerContext{});
}

// The parsed text with line starts, for turning regions into byte offsets.
struct Doc {
  std::string text;
  std::string file;
  toml::table root;
  std::vector<std::size_t> line_starts;  // [0] is line 1

  std::size_t line_begin(uint32_t line) const {
    return line - 1 < line_starts.size() ? line_starts[line - 1] : text.size();
  }
  std::size_t line_after(uint32_t line) const { return line_begin(line + 1); }
  std::size_t offset(const toml::source_position& p) const {
    std::size_t i = line_begin(p.line);
    for (uint32_t c = 1; c < p.column && i < text.size() && text[i] != '\n'; ++c) {
      ++i;
      while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    }
    return i;
  }
  uint32_t line_count() const { return static_cast<uint32_t>(line_starts.size()); }
};

Result<Doc> parse(std::string_view text, std::string_view file) {
  Doc doc{std::string(text), std::string(file), {}, {0}};
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && i + 1 < text.size()) doc.line_starts.push_back(i + 1);
  }
  if (text.empty()) doc.line_starts.clear();
  try {
    doc.root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    return make_error("syntax",
                      std::string(file) + ":" + std::to_string(at.line) + ":" +
                          std::to_string(at.column) +
                          ": invalid TOML: " + std::string(e.description()),
                      std::nullopt, "fix the file by hand, then run the command again");
  }
  return doc;
}

Diagnostic error_at(const Doc& doc, const toml::node& node, const std::string& message,
                    std::string help = {}) {
  const auto& at = node.source().begin;
  return make_error(
      std::string(kCode),
      doc.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": " + message,
      std::nullopt, std::move(help));
}

// The node at `segments`, or null; `inline_parent` says whether some table on the way is inline.
const toml::node* find(const toml::table& root, std::span<const std::string> segments,
                       bool* inline_parent = nullptr) {
  const toml::node* node = &root;
  for (const std::string& s : segments) {
    const toml::table* table = node->as_table();
    if (table == nullptr) return nullptr;
    if (inline_parent != nullptr && table->is_inline()) *inline_parent = true;
    node = table->get(s);
    if (node == nullptr) return nullptr;
  }
  return node;
}

// A table header line: `[a."b".c]` (kind 1) or `[[a.b]]` (kind 2), its segments unquoted.
struct Header {
  uint32_t line = 0;
  bool array = false;
  std::vector<std::string> path;
};

std::vector<std::string> header_path(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  auto skip = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  };
  for (;;) {
    skip();
    std::string segment;
    if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
      const char q = s[i++];
      while (i < s.size() && s[i] != q) {
        if (q == '"' && s[i] == '\\' && i + 1 < s.size()) ++i;
        segment += s[i++];
      }
      ++i;
    } else {
      while (i < s.size() && s[i] != '.' && s[i] != ']' && s[i] != ' ' && s[i] != '\t') {
        segment += s[i++];
      }
    }
    out.push_back(std::move(segment));
    skip();
    if (i >= s.size() || s[i] != '.') return out;
    ++i;
  }
}

// Header lines: lines starting with `[` on which toml++ says a (non-inline) table begins, so a
// `[` inside a multi-line string or array is never taken for one.
void collect_table_lines(const toml::node& node, std::vector<uint32_t>& lines) {
  if (const toml::table* t = node.as_table()) {
    if (t->is_inline()) return;
    lines.push_back(t->source().begin.line);
    for (const auto& [k, v] : *t) collect_table_lines(v, lines);
  } else if (const toml::array* a = node.as_array(); a != nullptr && a->is_array_of_tables()) {
    for (const toml::node& item : *a) collect_table_lines(item, lines);
  }
}

std::vector<Header> headers(const Doc& doc) {
  std::vector<uint32_t> lines;
  collect_table_lines(doc.root, lines);
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  std::vector<Header> out;
  for (const uint32_t line : lines) {
    if (line == 0 || line > doc.line_count()) continue;
    std::string_view s = std::string_view(doc.text).substr(doc.line_begin(line));
    s = s.substr(0, s.find('\n'));
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    if (s.empty() || s.front() != '[') continue;
    const bool array = s.size() > 1 && s[1] == '[';
    out.push_back(Header{line, array, header_path(s.substr(array ? 2 : 1))});
  }
  return out;
}

// The section (index into `hs`, or -1 for the top of the file) that holds `line`.
int section_of(const std::vector<Header>& hs, uint32_t line) {
  int at = -1;
  for (std::size_t i = 0; i < hs.size() && hs[i].line <= line; ++i) at = static_cast<int>(i);
  return at;
}

// The last line of a key/value of `node` (recursively through dotted tables) within [lo, hi].
uint32_t last_line_in(const toml::node& node, uint32_t lo, uint32_t hi) {
  uint32_t last = 0;
  if (const toml::table* t = node.as_table(); t != nullptr && !t->is_inline()) {
    for (const auto& [k, v] : *t) last = std::max(last, last_line_in(v, lo, hi));
    return last;
  }
  const auto& r = node.source();
  return r.begin.line >= lo && r.begin.line <= hi ? r.end.line : 0;
}

// The first line of a key/value under `node` (a dotted table), or 0.
uint32_t first_line_in(const toml::node& node) {
  if (const toml::table* t = node.as_table(); t != nullptr && !t->is_inline()) {
    uint32_t first = 0;
    for (const auto& [k, v] : *t) {
      const uint32_t l = first_line_in(v);
      if (l != 0 && (first == 0 || l < first)) first = l;
    }
    return first;
  }
  return node.source().begin.line;
}

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Inserts the line `line_text` after line `after` (0: at the top).
std::string insert_line(const Doc& doc, uint32_t after, const std::string& line_text) {
  const std::size_t at = after == 0 ? 0 : doc.line_after(after);
  std::string prefix =
      at == doc.text.size() && !doc.text.empty() && doc.text.back() != '\n' ? "\n" : "";
  return splice(doc.text, at, at, prefix + line_text + "\n");
}

// The result must parse and hold what was asked; else the splice went wrong (a bug here).
Result<std::string> verify(std::string result, const Doc& before, std::span<const std::string> key,
                           const std::optional<ConfigValue>& expected) {
  auto doc = parse(result, before.file);
  if (!doc) {
    return make_error("internal", "editing " + before.file + " would leave invalid TOML",
                      std::nullopt, "edit the file by hand; please report this");
  }
  const toml::node* node = find(doc->root, key);
  bool ok = expected ? node != nullptr : node == nullptr;
  if (ok && expected && node != nullptr) {
    if (const bool* b = std::get_if<bool>(&*expected)) ok = node->value<bool>() == *b;
    if (const int64_t* n = std::get_if<int64_t>(&*expected)) ok = node->value<int64_t>() == *n;
    if (const std::string* s = std::get_if<std::string>(&*expected)) {
      ok = node->value<std::string>() == *s;
    }
    if (const auto* list = std::get_if<std::vector<std::string>>(&*expected)) {
      const toml::array* array = node->as_array();
      ok = array != nullptr && array->size() == list->size();
      for (std::size_t i = 0; ok && i < list->size(); ++i) {
        ok = (*array)[i].value<std::string>() == (*list)[i];
      }
    }
  }
  if (!ok) {
    return make_error("internal", "editing " + before.file + " did not give the expected value",
                      std::nullopt, "edit the file by hand; please report this");
  }
  return result;
}

Result<std::string> set_in(const Doc& doc, std::span<const std::string> segments,
                           const ConfigValue& value) {
  const std::string rendered = render_value(value);
  bool inline_parent = false;
  if (const toml::node* node = find(doc.root, segments, &inline_parent)) {
    if (node->is_table() || (node->is_array() && node->as_array()->is_array_of_tables())) {
      return error_at(doc, *node, "`" + render_path(segments) + "` is a table here",
                      "a value was expected; edit the file by hand");
    }
    const auto& r = node->source();
    return verify(splice(doc.text, doc.offset(r.begin), doc.offset(r.end), rendered), doc, segments,
                  value);
  }
  const auto parent = segments.first(segments.size() - 1);
  const std::string leaf = render_key(segments.back());
  const std::vector<Header> hs = headers(doc);
  // 1. The table has its own header: after the last key of that section.
  for (std::size_t i = 0; i < hs.size(); ++i) {
    if (hs[i].array || !std::ranges::equal(hs[i].path, parent)) continue;
    const uint32_t hi = i + 1 < hs.size() ? hs[i + 1].line - 1 : doc.line_count();
    const uint32_t last = last_line_in(*find(doc.root, parent), hs[i].line + 1, hi);
    return verify(insert_line(doc, std::max(last, hs[i].line), leaf + " = " + rendered), doc,
                  segments, value);
  }
  // 2. The table exists through dotted keys (`mode.observe = ...`): a dotted key beside them.
  if (const toml::node* table = find(doc.root, parent, &inline_parent)) {
    if (!table->is_table() || inline_parent || table->as_table()->is_inline()) {
      return error_at(doc, *table,
                      "`" + render_path(parent) + "` is " +
                          (table->is_table() ? "an inline table" : "not a table") +
                          "; cannot add " + display_key(render_path(segments)) + " to it",
                      "edit the file by hand");
    }
    const int s = section_of(hs, first_line_in(*table));
    const std::size_t depth = s < 0 ? 0 : hs[s].path.size();
    const uint32_t lo = s < 0 ? 1 : hs[s].line + 1;
    const uint32_t hi = s + 1 < static_cast<int>(hs.size()) ? hs[s + 1].line - 1 : doc.line_count();
    const toml::node* section = s < 0 ? &doc.root : find(doc.root, hs[s].path);
    const uint32_t last = std::max(last_line_in(*section, lo, hi), lo - 1);
    return verify(insert_line(doc, last, render_path(segments.subspan(depth)) + " = " + rendered),
                  doc, segments, value);
  }
  // 3. No such table: append one.
  std::string out = doc.text;
  if (!out.empty() && out.back() != '\n') out += '\n';
  if (!out.empty()) out += '\n';
  out += "[" + render_path(parent) + "]\n" + leaf + " = " + rendered + "\n";
  return verify(std::move(out), doc, segments, value);
}

Result<std::string> unset_in(const Doc& doc, std::span<const std::string> segments) {
  bool inline_parent = false;
  const toml::node* node = find(doc.root, segments, &inline_parent);
  if (node == nullptr) return doc.text;
  if (inline_parent || node->is_table()) {
    return error_at(doc, *node, display_key(render_path(segments)) + " is inside an inline table",
                    "edit the file by hand");
  }
  const auto& r = node->source();
  const std::vector<Header> hs = headers(doc);
  const int s = section_of(hs, r.begin.line);
  std::size_t begin = doc.line_begin(r.begin.line);
  std::size_t end = doc.line_after(r.end.line);
  // A section left with nothing but blank lines loses its header (and the blank line before it),
  // so a key `config_set` appended in a new table is removed without a trace.
  if (s >= 0 && !hs[s].array) {
    const uint32_t hi = s + 1 < static_cast<int>(hs.size()) ? hs[s + 1].line - 1 : doc.line_count();
    bool empty = true;
    for (uint32_t l = hs[s].line + 1; l <= hi && empty; ++l) {
      if (l >= r.begin.line && l <= r.end.line) continue;
      empty = blank(std::string_view(doc.text).substr(doc.line_begin(l),
                                                      doc.line_after(l) - doc.line_begin(l)));
    }
    if (empty) {
      uint32_t from = hs[s].line;
      if (from > 1) {
        const std::size_t b = doc.line_begin(from - 1);
        if (blank(std::string_view(doc.text).substr(b, doc.line_begin(from) - b))) --from;
      }
      begin = doc.line_begin(from);
      end = std::max(end, doc.line_after(hi));
    }
  }
  return verify(splice(doc.text, begin, end, ""), doc, segments, std::nullopt);
}

Result<const toml::array*> string_array(const Doc& doc, const toml::node& node,
                                        std::string_view key) {
  const toml::array* array = node.as_array();
  const bool ok =
      array != nullptr &&
      std::all_of(array->begin(), array->end(), [](const toml::node& n) { return n.is_string(); });
  if (!ok) {
    return error_at(doc, node, display_key(key) + " must be a list of strings",
                    "fix the value by hand, then run the command again");
  }
  return array;
}

Result<std::pair<Doc, std::vector<std::string>>> prepare(std::string_view text,
                                                         std::string_view file,
                                                         std::string_view key) {
  auto row = schema_row(key);
  if (!row) return std::move(row).take_errors();
  auto doc = parse(text, file);
  if (!doc) return std::move(doc).take_errors();
  return std::pair{std::move(doc).value(), split_key(key)};
}

Result<const ConfigKey*> list_row(std::string_view key) {
  auto row = schema_row(key);
  if (row && (*row)->kind != ValueKind::string_list) {
    return make_error(std::string(kCode), display_key(key) + " is not a list", std::nullopt,
                      "use a list key such as `[rules] disabled` or `[mcp] allowed_servers`");
  }
  return row;
}

}  // namespace

Result<std::string> config_set(std::string_view text, std::string_view file, std::string_view key,
                               const ConfigValue& value) {
  auto row = schema_row(key);
  if (!row) return std::move(row).take_errors();
  if (std::string problem = check_value(**row, key, value); !problem.empty()) {
    return make_error(std::string(kCode), problem);
  }
  auto doc = parse(text, file);
  if (!doc) return std::move(doc).take_errors();
  return set_in(*doc, split_key(key), value);
}

Result<std::string> config_unset(std::string_view text, std::string_view file,
                                 std::string_view key) {
  auto prepared = prepare(text, file, key);
  if (!prepared) return std::move(prepared).take_errors();
  return unset_in(prepared->first, prepared->second);
}

Result<std::string> config_list_add(std::string_view text, std::string_view file,
                                    std::string_view key, std::string_view item) {
  if (auto row = list_row(key); !row) return std::move(row).take_errors();
  auto prepared = prepare(text, file, key);
  if (!prepared) return std::move(prepared).take_errors();
  const Doc& doc = prepared->first;
  const auto& segments = prepared->second;
  const toml::node* node = find(doc.root, segments);
  if (node == nullptr) return set_in(doc, segments, std::vector<std::string>{std::string(item)});
  auto array = string_array(doc, *node, key);
  if (!array) return std::move(array).take_errors();
  std::vector<std::string> expected;
  for (const toml::node& n : **array) expected.push_back(*n.value<std::string>());
  if (std::ranges::find(expected, item) != expected.end()) return doc.text;
  expected.emplace_back(item);
  const std::string rendered = quote(item);
  const auto& r = node->source();
  const std::size_t open = doc.offset(r.begin);
  const std::size_t close = doc.offset(r.end) - 1;  // the `]`
  if ((*array)->empty()) {
    return verify(splice(doc.text, open, close + 1, "[" + rendered + "]"), doc, segments, expected);
  }
  const toml::node& last = (*array)->back();
  const std::size_t last_end = doc.offset(last.source().end);
  std::size_t after = last_end;
  while (after < close && (doc.text[after] == ' ' || doc.text[after] == '\t')) ++after;
  const bool trailing_comma = after < close && doc.text[after] == ',';
  const bool multiline = last.source().end.line != r.end.line;
  if (!multiline) {
    const std::string out = trailing_comma
                                ? splice(doc.text, after + 1, after + 1, " " + rendered + ",")
                                : splice(doc.text, last_end, last_end, ", " + rendered);
    return verify(out, doc, segments, expected);
  }
  // One item a line: a new line after the last item's, with its indentation.
  const std::size_t line = doc.line_begin(last.source().begin.line);
  const std::size_t indent_end = doc.text.find_first_not_of(" \t", line);
  const std::string indent = doc.text.substr(line, indent_end - line);
  const std::size_t eol = doc.line_after(last.source().end.line) - 1;  // its '\n'
  std::string out =
      splice(doc.text, eol, eol, "\n" + indent + rendered + (trailing_comma ? "," : ""));
  if (!trailing_comma) out = splice(out, last_end, last_end, ",");
  return verify(std::move(out), doc, segments, expected);
}

Result<std::string> config_list_remove(std::string_view text, std::string_view file,
                                       std::string_view key, std::string_view item) {
  if (auto row = list_row(key); !row) return std::move(row).take_errors();
  std::string current(text);
  // One occurrence per pass (a hand-written list may repeat an item); bounded by its length.
  for (std::size_t pass = 0; pass <= text.size(); ++pass) {
    auto prepared = prepare(current, file, key);
    if (!prepared) return std::move(prepared).take_errors();
    const Doc& doc = prepared->first;
    const auto& segments = prepared->second;
    const toml::node* node = find(doc.root, segments);
    if (node == nullptr) return current;
    auto array = string_array(doc, *node, key);
    if (!array) return std::move(array).take_errors();
    const toml::array& a = **array;
    std::vector<std::string> rest;
    std::size_t at = a.size();
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string value = *a[i].value<std::string>();
      if (value == item && at == a.size()) {
        at = i;
      } else {
        rest.push_back(value);
      }
    }
    if (at == a.size()) return current;
    if (rest.empty()) return unset_in(doc, segments);
    const auto& er = a[at].source();
    const std::size_t b = doc.offset(er.begin);
    const std::size_t e = doc.offset(er.end);
    const std::size_t line = doc.line_begin(er.begin.line);
    const std::size_t next_line = doc.line_after(er.end.line);
    const std::string_view before = std::string_view(doc.text).substr(line, b - line);
    std::string_view tail = std::string_view(doc.text).substr(e, next_line - e);
    if (!tail.empty() && tail.front() == ',') tail.remove_prefix(1);
    const bool own_line =
        blank(before) && (blank(tail) || tail.find_first_not_of(" \t") == tail.find('#'));
    std::string out;
    if (own_line) {
      out = splice(doc.text, line, next_line, "");
    } else if (at > 0) {
      out = splice(doc.text, doc.offset(a[at - 1].source().end), e, "");
    } else {
      out = splice(doc.text, b, doc.offset(a[1].source().begin), "");
    }
    auto checked = verify(std::move(out), doc, segments, rest);
    if (!checked) return checked;
    current = std::move(checked).value();
  }
  return current;
}

Result<bool> edit_config_file(const Host& host, const std::string& path,
                              const std::function<Result<std::string>(std::string_view)>& edit) {
  constexpr std::size_t kMaxConfigBytes = 1u << 20;
  FileRead read = host.fs->read(path, kMaxConfigBytes);
  if (read.status == FileRead::Status::too_large || read.status == FileRead::Status::error) {
    return make_error(
        "io", "cannot read config `" + path +
                  "`: " + (read.status == FileRead::Status::too_large ? "over 1 MiB" : read.error));
  }
  auto edited = edit(read.text);
  if (!edited) return std::move(edited).take_errors();
  // Unchanged (a missing file reads as empty text): nothing is written, not even an empty file.
  if (*edited == read.text) return false;
  const std::size_t slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    if (IoStatus made = host.fs->make_directories(path.substr(0, slash), 0700); !made.ok()) {
      return make_error("io", made.error);
    }
  }
  if (IoStatus written = host.fs->replace(path, *edited, 0600); !written.ok()) {
    return make_error("io", written.error, std::nullopt,
                      "check the folder's permissions; nothing was changed");
  }
  return true;
}

}  // namespace vectimus::engine
