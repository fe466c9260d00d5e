#include "cli/table.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace vectimus::cli {

namespace {

std::string_view escape_of(Colour colour) {
  switch (colour) {
    case Colour::red: return "\x1b[31m";
    case Colour::green: return "\x1b[32m";
    case Colour::yellow: return "\x1b[33m";
    case Colour::blue: return "\x1b[34m";
    case Colour::dim: return "\x1b[2m";
    case Colour::bold: return "\x1b[1m";
    case Colour::none: break;
  }
  return "";
}

}  // namespace

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::add(std::vector<Cell> row) {
  row.resize(std::max(row.size(), headers_.size()));
  rows_.push_back(std::move(row));
}

std::string Table::render(bool colour) const {
  std::size_t columns = headers_.size();
  for (const auto& row : rows_) columns = std::max(columns, row.size());
  std::vector<std::size_t> width(columns, 0);
  for (std::size_t c = 0; c < headers_.size(); ++c) width[c] = display_width(headers_[c]);
  for (const auto& row : rows_)
    for (std::size_t c = 0; c < row.size(); ++c)
      width[c] = std::max(width[c], display_width(row[c].text));

  std::string out;
  auto emit = [&](std::size_t c, std::string_view text, Colour cell_colour) {
    if (c > 0) out += "  ";
    out += paint(text, cell_colour, colour);
    if (c + 1 < columns) out.append(width[c] - display_width(text), ' ');
  };
  for (std::size_t c = 0; c < columns; ++c)
    emit(c, c < headers_.size() ? std::string_view(headers_[c]) : "", Colour::bold);
  out += '\n';
  for (const auto& row : rows_) {
    for (std::size_t c = 0; c < columns; ++c) {
      if (c < row.size())
        emit(c, row[c].text, row[c].colour);
      else
        emit(c, "", Colour::none);
    }
    // Padding of trailing empty cells is noise at the end of a line.
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  }
  return out;
}

bool use_colour() {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && *no_colour != '\0') return false;
  return ::isatty(STDOUT_FILENO) == 1;
}

std::string paint(std::string_view text, Colour colour, bool on) {
  if (!on || colour == Colour::none || text.empty()) return std::string(text);
  std::string out(escape_of(colour));
  out += text;
  out += "\x1b[0m";
  return out;
}

std::size_t display_width(std::string_view text) {
  // Continuation bytes (10xxxxxx) add no column.
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char ch) {
    return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  }));
}

}  // namespace vectimus::cli
