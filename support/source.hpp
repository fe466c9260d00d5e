// Source text and positions in it.
//
// A Source owns one input's name and bytes (a policy file, a JSON document). Everything that
// points into it (IR nodes, diagnostics) holds a byte Span plus a shared_ptr to the Source, so
// line and column are computed only when a message is rendered, never while parsing.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace vectimus {

// Half-open byte range [begin, end) in a Source.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  friend bool operator==(const Span&, const Span&) = default;
};

struct Source {
  // Owns `text`.
  Source(std::string name, std::string text)
      : name(std::move(name)), storage_(std::move(text)), text(storage_) {}
  // Refers to `text`, which lives as long as the program (text compiled into the binary, such
  // as the built-in packs: the hook starts before every tool call, and copying them cost it a
  // fifth of its instructions).
  struct Static {};
  Source(std::string name, std::string_view text, Static) : name(std::move(name)), text(text) {}
  // `text` may point into this object.
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  std::string name;  // a file path as the user gave it, or a label such as "<stdin>"

 private:
  std::string storage_;

 public:
  std::string_view text;
};
using SourcePtr = std::shared_ptr<const Source>;

inline SourcePtr make_source(std::string name, std::string text) {
  return std::make_shared<const Source>(std::move(name), std::move(text));
}
// A source over text that lives as long as the program (see Source::Static).
inline SourcePtr make_static_source(std::string name, std::string_view text) {
  return std::make_shared<const Source>(std::move(name), text, Source::Static{});
}

// 1-based line and column; the column counts Unicode scalar values, as editors do.
struct LineCol {
  uint32_t line = 1;
  uint32_t column = 1;
};
LineCol locate(std::string_view text, uint32_t offset);

// The whole line holding `offset`, without its line terminator.
std::string_view line_at(std::string_view text, uint32_t offset);

}  // namespace vectimus
