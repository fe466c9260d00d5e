// Diagnostics: what went wrong, where, and what to do about it.
//
// Producers (the grammar, the loaders, lint) build Diagnostic values with a byte Span into a
// Source; consumers (the CLI, the hook) render them as text or JSON. Rendered text follows
// `file:line:col: error: message`, the source line, a caret line, then `help:`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "support/source.hpp"

namespace vectimus {

enum class Severity : uint8_t { error, warning };

struct Location {
  SourcePtr source;
  Span span;
};

struct Note {
  Location where;
  std::string message;
};

struct Diagnostic {
  Severity severity = Severity::error;
  // A stable kind for tools and tests: "syntax", "unsupported", "duplicate-id",
  // "duplicate-annotation", "missing-id", "io", "json", "limit", ...
  std::string code;
  std::string message;  // lowercase, user input in backticks, no type names
  std::string help;     // empty when there is nothing useful to add
  std::optional<Location> where;
  std::vector<Note> notes;  // related places, e.g. where a duplicate was first defined
};
using Diagnostics = std::vector<Diagnostic>;

Diagnostic make_error(std::string code, std::string message, std::optional<Location> where = {},
                      std::string help = {});

// Human-readable text, ending with a newline.
std::string render(const Diagnostic& diagnostic);
std::string render(const Diagnostics& diagnostics);

// A JSON array of {severity, code, message, help, file, line, column, end_line, end_column, notes}.
std::string render_json(const Diagnostics& diagnostics);

}  // namespace vectimus
