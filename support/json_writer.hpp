// A minimal streaming JSON writer for the documents we emit (diagnostics, hook answers,
// reports). It escapes strings per RFC 8259 and tracks commas; it never validates structure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vectimus {

class JsonWriter {
 public:
  // Room for a typical document up front: an audit record (~1.2 KB) would otherwise be copied
  // through seven growing buffers.
  JsonWriter() { out_.reserve(kInitialCapacity); }
  static constexpr std::size_t kInitialCapacity = 2048;

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(int64_t number);
  JsonWriter& value(uint64_t number);
  JsonWriter& value(int number) { return value(static_cast<int64_t>(number)); }
  JsonWriter& value(bool flag);
  JsonWriter& null();
  // Inserts already-serialised JSON as one value.
  JsonWriter& raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void separate();
  std::string out_;
  std::vector<bool> first_;  // one entry per open container: no element written yet
  bool after_key_ = false;
};

// Appends `text` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view text);
// `value` with three digits after the point, as printf's "%.3f" writes it (a JSON number for a
// finite value): the milliseconds of evaluation times.
std::string fixed3(double value);

}  // namespace vectimus
