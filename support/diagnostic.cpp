#include "support/diagnostic.hpp"

#include "support/json_writer.hpp"

namespace vectimus {
namespace {

const char* severity_name(Severity s) {
  return s == Severity::error ? "error" : "warning";
}

// Appends the source line and a caret line under the span, keeping tabs so columns align.
void append_snippet(std::string& out, const Location& at) {
  const std::string_view text = at.source->text;
  const std::string_view line = line_at(text, at.span.begin);
  out.append(line);
  out += '\n';
  const size_t line_begin = static_cast<size_t>(line.data() - text.data());
  const size_t caret_at = at.span.begin - line_begin;
  for (size_t i = 0; i < caret_at && i < line.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) == 0x80) continue;  // one column per character
    out += c == '\t' ? '\t' : ' ';
  }
  out += '^';
  // Underline the rest of the span that lies on this line.
  const size_t span_end = std::min<size_t>(at.span.end, line_begin + line.size());
  for (size_t i = at.span.begin + 1; i < span_end; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) out += '~';
  }
  out += '\n';
}

void append_header(std::string& out, const std::optional<Location>& at, const char* kind,
                   const std::string& message) {
  if (at && at->source) {
    const LineCol lc = locate(at->source->text, at->span.begin);
    out +=
        at->source->name + ':' + std::to_string(lc.line) + ':' + std::to_string(lc.column) + ": ";
  }
  out += kind;
  out += ": ";
  out += message;
  out += '\n';
}

void write_location(JsonWriter& json, const Location& at) {
  const LineCol begin = locate(at.source->text, at.span.begin);
  const LineCol end = locate(at.source->text, at.span.end);
  json.key("file").value(at.source->name);
  json.key("line").value(static_cast<int64_t>(begin.line));
  json.key("column").value(static_cast<int64_t>(begin.column));
  json.key("end_line").value(static_cast<int64_t>(end.line));
  json.key("end_column").value(static_cast<int64_t>(end.column));
}

}  // namespace

Diagnostic make_error(std::string code, std::string message, std::optional<Location> where,
                      std::string help) {
  Diagnostic d;
  d.code = std::move(code);
  d.message = std::move(message);
  d.where = std::move(where);
  d.help = std::move(help);
  return d;
}

std::string render(const Diagnostic& d) {
  std::string out;
  append_header(out, d.where, severity_name(d.severity), d.message);
  if (d.where && d.where->source) append_snippet(out, *d.where);
  for (const Note& note : d.notes) {
    append_header(out, note.where, "note", note.message);
    if (note.where.source) append_snippet(out, note.where);
  }
  if (!d.help.empty()) out += "help: " + d.help + '\n';
  return out;
}

std::string render(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += render(d);
  return out;
}

std::string render_json(const Diagnostics& diagnostics) {
  JsonWriter json;
  json.begin_array();
  for (const Diagnostic& d : diagnostics) {
    json.begin_object();
    json.key("severity").value(severity_name(d.severity));
    json.key("code").value(d.code);
    json.key("message").value(d.message);
    if (!d.help.empty()) json.key("help").value(d.help);
    if (d.where && d.where->source) write_location(json, *d.where);
    if (!d.notes.empty()) {
      json.key("notes").begin_array();
      for (const Note& note : d.notes) {
        json.begin_object();
        json.key("message").value(note.message);
        if (note.where.source) write_location(json, note.where);
        json.end_object();
      }
      json.end_array();
    }
    json.end_object();
  }
  json.end_array();
  return json.take();
}

}  // namespace vectimus
