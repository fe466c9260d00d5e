// Tables for people at a terminal: the listing commands (`rule list`, `pack list`, `mcp list`,
// `status`) fill a Table and print it. Columns are aligned on display width; a column may be
// coloured per cell. Colour is used only when stdout is a terminal and NO_COLOR is unset
// (https://no-color.org), so piped output stays plain text. Machine readers use
// `--format json`, which each command writes with JsonWriter, never from a Table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vectimus::cli {

enum class Colour { none, red, green, yellow, blue, dim, bold };

struct Cell {
  std::string text;
  Colour colour = Colour::none;
  Cell(std::string t = {}, Colour c = Colour::none) : text(std::move(t)), colour(c) {}
  Cell(const char* t, Colour c = Colour::none) : text(t), colour(c) {}
  Cell(std::string_view t, Colour c = Colour::none) : text(t), colour(c) {}
};

class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  void add(std::vector<Cell> row);  // shorter rows are padded with empty cells
  bool empty() const { return rows_.empty(); }
  // Aligned text: a bold header line, then one line per row; the last column is not padded.
  std::string render(bool colour) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<Cell>> rows_;
};

// True when stdout is a terminal and NO_COLOR is unset or empty.
bool use_colour();
// `text` wrapped in the escape codes of `colour` when `on`, else unchanged.
std::string paint(std::string_view text, Colour colour, bool on);
// Columns a UTF-8 string takes on a terminal (one per code point; enough for our tables).
std::size_t display_width(std::string_view text);

}  // namespace vectimus::cli
