#include "support/json_writer.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>

namespace vectimus {

std::string fixed3(double value) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, 3);
  if (ec != std::errc()) return "0.000";  // beyond 10^60 ms: not a time
  return std::string(buf, end);
}

namespace {

// Whether any of the 8 bytes of `x` needs an escape in a JSON string: a control character, a
// quote or a backslash (bit tricks from "Bit Twiddling Hacks": a byte below n, a zero byte).
bool any_to_escape(uint64_t x) {
  constexpr uint64_t kOnes = ~uint64_t{0} / 255;
  constexpr uint64_t kHighs = kOnes * 0x80;
  const auto zero_byte = [](uint64_t v) { return ((v - kOnes) & ~v & kHighs) != 0; };
  const bool control = ((x - kOnes * 0x20) & ~x & kHighs) != 0;
  return control || zero_byte(x ^ (kOnes * '"')) || zero_byte(x ^ (kOnes * '\\'));
}

// The length of the run at the start of `text` that needs no escape, 8 bytes at a time where it
// can (strings are most of every record and answer we write).
size_t plain_run(std::string_view text) {
  const auto plain = [](unsigned char c) { return c >= 0x20 && c != '"' && c != '\\'; };
  size_t run = 0;
  while (run + 8 <= text.size()) {
    uint64_t block;
    std::memcpy(&block, text.data() + run, 8);
    if (any_to_escape(block)) break;
    run += 8;
  }
  while (run < text.size() && plain(static_cast<unsigned char>(text[run]))) ++run;
  return run;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (plain_run(text) == text.size()) {
    // Most strings (every key) need no escape: quotes and text in one copy.
    const size_t at = out.size();
    out.resize(at + text.size() + 2);
    char* p = out.data() + at;
    p[0] = '"';
    std::memcpy(p + 1, text.data(), text.size());
    p[text.size() + 1] = '"';
    return;
  }
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  size_t i = 0;
  while (i < text.size()) {
    // The run of bytes that need no escape, appended at once (most of a text is one run).
    const size_t run = i + plain_run(text.substr(i));
    out.append(text.data() + i, run - i);
    if (run == text.size()) break;
    const auto c = static_cast<unsigned char>(text[run]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
    i = run + 1;
  }
  out += '"';
}

void JsonWriter::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

JsonWriter& JsonWriter::begin_object() {
  separate();
  out_ += '{';
  first_.push_back(true);
  return *this;
}
JsonWriter& JsonWriter::end_object() {
  out_ += '}';
  first_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::begin_array() {
  separate();
  out_ += '[';
  first_.push_back(true);
  return *this;
}
JsonWriter& JsonWriter::end_array() {
  out_ += ']';
  first_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  append_json_string(out_, name);
  out_ += ':';
  after_key_ = true;
  return *this;
}
JsonWriter& JsonWriter::value(std::string_view text) {
  separate();
  append_json_string(out_, text);
  return *this;
}
JsonWriter& JsonWriter::value(int64_t number) {
  separate();
  out_ += std::to_string(number);
  return *this;
}
JsonWriter& JsonWriter::value(uint64_t number) {
  separate();
  out_ += std::to_string(number);
  return *this;
}
JsonWriter& JsonWriter::value(bool flag) {
  separate();
  out_ += flag ? "true" : "false";
  return *this;
}
JsonWriter& JsonWriter::null() {
  separate();
  out_ += "null";
  return *this;
}
JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  out_ += json;
  return *this;
}

}  // namespace vectimus
