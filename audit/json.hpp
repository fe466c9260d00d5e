// A small JSON value for receipts, and the two canonical forms receipts are signed in.
//
// Receipts are built as a JsonValue (issue), or parsed from a file into one (verify); the
// signed bytes are then its canonical form. Two canonical forms exist because two tools wrote
// receipts: RFC 8785 (JCS) for ours (`spec_version` "2.0"), and the Python `canonicaljson` 2.0
// flavour of the tool we rebuild (`spec_version` "1.0"). They differ only in numbers (JCS:
// every number is an IEEE double written as ECMAScript's Number.prototype.toString; Python:
// integers stay integers, floats are written as `repr`, so `3.0` stays `3.0`) and in key order
// (JCS: UTF-16 code units; Python: code points). The parser (simdjson, kept in json.cpp) keeps
// whether a number was written as an integer or a float, which is all Python's json knows too.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/result.hpp"

namespace vectimus::audit {

struct JsonValue {
  enum class Kind : uint8_t { null, boolean, integer, number, string, array, object };
  Kind kind = Kind::null;
  bool boolean = false;
  std::string text;              // string: its (unescaped UTF-8) value; integer: its decimal digits
  double number = 0;             // number and integer
  std::vector<JsonValue> items;  // array
  std::vector<std::pair<std::string, JsonValue>> members;  // object, in document order

  static JsonValue string_value(std::string s);
  static JsonValue integer_value(int64_t i);
  static JsonValue number_value(double d);
  static JsonValue object_value() { return JsonValue{Kind::object}; }

  // Object access. find() returns null when absent or when this is not an object.
  const JsonValue* find(std::string_view key) const;
  JsonValue* find(std::string_view key);
  // Replaces the member `key`, or adds it at the end.
  JsonValue& set(std::string_view key, JsonValue value);
  void erase(std::string_view key);
  // The string at `key`, or "" when absent or not a string.
  std::string_view string_at(std::string_view key) const;
};

enum class Canon : uint8_t {
  jcs,     // RFC 8785
  python,  // canonicaljson 2.0 (sorted keys, no spaces, UTF-8, floats as Python repr)
};

// Parses JSON text (RFC 8259). Errors have code "json" and say where. Duplicate object keys
// are rejected: a receipt with two `decision` members means two different things to two readers.
Result<JsonValue> parse_json(std::string_view text);

// The canonical bytes of `value`. Fails ("json") only for numbers JCS cannot write (NaN, inf
// never come from parse_json, but an integer past 2^53 is written rounded, as JCS requires).
std::string canonical_json(const JsonValue& value, Canon canon);

// Indented (two spaces) JSON for files people read; numbers as `canon` writes them.
std::string pretty_json(const JsonValue& value, Canon canon);

// Number formats, exposed for tests. ECMAScript Number.prototype.toString (RFC 8785 3.2.2.3):
// -0 is "0". Python repr: shortest round trip, `.0` on integral values, exponent form when the
// decimal exponent is below -4 or at least 16 (`1e-05`, `1e+16`).
std::string ecmascript_number(double d);
std::string python_float_repr(double d);

}  // namespace vectimus::audit
