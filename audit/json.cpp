#include "audit/json.hpp"

#include "support/json_writer.hpp"  // append_json_string: the escaping RFC 8785 asks for

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace vectimus::audit {
namespace {

namespace dom = simdjson::dom;

// The shortest digits that round-trip `d` (> 0) and the position of the decimal point
// relative to them: d = 0.DIGITS x 10^point.
void shortest_digits(double d, std::string& digits, int& point) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  const std::string_view s(buf, static_cast<std::size_t>(res.ptr - buf));
  const std::size_t e = s.find('e');
  digits.clear();
  for (char c : s.substr(0, e)) {
    if (c != '.') digits += c;
  }
  point = std::atoi(std::string(s.substr(e + 1)).c_str()) + 1;
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
}

std::string exponent_form(const std::string& digits, int exponent, int min_exp_digits) {
  std::string out(1, digits[0]);
  if (digits.size() > 1) out += "." + digits.substr(1);
  out += exponent < 0 ? "e-" : "e+";
  std::string e = std::to_string(std::abs(exponent));
  while (static_cast<int>(e.size()) < min_exp_digits) e.insert(0, "0");
  return out + e;
}

// UTF-16 code units of a UTF-8 string (already validated by the parser or written by us).
std::u16string utf16(std::string_view s) {
  std::u16string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    std::size_t len = 1;
    if (c >= 0xf0) {
      cp = c & 0x07;
      len = 4;
    } else if (c >= 0xe0) {
      cp = c & 0x0f;
      len = 3;
    } else if (c >= 0xc0) {
      cp = c & 0x1f;
      len = 2;
    }
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += static_cast<char16_t>(0xd800 + (cp >> 10));
      out += static_cast<char16_t>(0xdc00 + (cp & 0x3ff));
    } else {
      out += static_cast<char16_t>(cp);
    }
  }
  return out;
}

std::string number_text(const JsonValue& v, Canon canon) {
  if (v.kind == JsonValue::Kind::integer) {
    if (canon == Canon::python) return v.text;
    return ecmascript_number(v.number);  // JCS: every number is a double
  }
  return canon == Canon::python ? python_float_repr(v.number) : ecmascript_number(v.number);
}

using Member = std::pair<std::string, JsonValue>;

std::vector<const Member*> sorted_members(const JsonValue& v, Canon canon) {
  std::vector<const Member*> out;
  out.reserve(v.members.size());
  for (const Member& m : v.members) out.push_back(&m);
  if (canon == Canon::python) {
    // Code point order is UTF-8 byte order.
    std::sort(out.begin(), out.end(),
              [](const Member* a, const Member* b) { return a->first < b->first; });
  } else {
    std::vector<std::pair<std::u16string, const Member*>> keyed;
    for (const Member* m : out) keyed.emplace_back(utf16(m->first), m);
    std::sort(keyed.begin(), keyed.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 0; i < keyed.size(); ++i) out[i] = keyed[i].second;
  }
  return out;
}

void write(std::string& out, const JsonValue& v, Canon canon, int indent, bool pretty) {
  auto newline = [&](int level) {
    if (!pretty) return;
    out += '\n';
    out.append(static_cast<std::size_t>(level) * 2, ' ');
  };
  switch (v.kind) {
    case JsonValue::Kind::null: out += "null"; return;
    case JsonValue::Kind::boolean: out += v.boolean ? "true" : "false"; return;
    case JsonValue::Kind::integer:
    case JsonValue::Kind::number: out += number_text(v, canon); return;
    case JsonValue::Kind::string: append_json_string(out, v.text); return;
    case JsonValue::Kind::array: {
      out += '[';
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (i > 0) out += ',';
        newline(indent + 1);
        write(out, v.items[i], canon, indent + 1, pretty);
      }
      if (!v.items.empty()) newline(indent);
      out += ']';
      return;
    }
    case JsonValue::Kind::object: {
      out += '{';
      bool first = true;
      for (const Member* m : sorted_members(v, canon)) {
        if (!first) out += ',';
        first = false;
        newline(indent + 1);
        append_json_string(out, m->first);
        out += pretty ? ": " : ":";
        write(out, m->second, canon, indent + 1, pretty);
      }
      if (!v.members.empty()) newline(indent);
      out += '}';
      return;
    }
  }
}

Result<JsonValue> convert(dom::element e) {
  JsonValue v;
  switch (e.type()) {
    case dom::element_type::NULL_VALUE: return v;
    case dom::element_type::BOOL:
      v.kind = JsonValue::Kind::boolean;
      v.boolean = e.get_bool().value_unsafe();
      return v;
    case dom::element_type::INT64: {
      const int64_t i = e.get_int64().value_unsafe();
      v.kind = JsonValue::Kind::integer;
      v.text = std::to_string(i);
      v.number = static_cast<double>(i);
      return v;
    }
    case dom::element_type::UINT64: {
      const uint64_t u = e.get_uint64().value_unsafe();
      v.kind = JsonValue::Kind::integer;
      v.text = std::to_string(u);
      v.number = static_cast<double>(u);
      return v;
    }
    case dom::element_type::DOUBLE:
      v.kind = JsonValue::Kind::number;
      v.number = e.get_double().value_unsafe();
      return v;
    case dom::element_type::STRING:
      v.kind = JsonValue::Kind::string;
      v.text = std::string(e.get_string().value_unsafe());
      return v;
    case dom::element_type::ARRAY: {
      v.kind = JsonValue::Kind::array;
      dom::array array;
      if (e.get_array().get(array) != simdjson::SUCCESS) return make_error("json", "bad array");
      for (dom::element item : array) {
        Result<JsonValue> sub = convert(item);
        if (!sub) return sub;
        v.items.push_back(std::move(sub).value());
      }
      return v;
    }
    case dom::element_type::OBJECT: {
      v.kind = JsonValue::Kind::object;
      dom::object object;
      if (e.get_object().get(object) != simdjson::SUCCESS) return make_error("json", "bad object");
      for (dom::key_value_pair field : object) {
        Result<JsonValue> sub = convert(field.value);
        if (!sub) return sub;
        v.members.emplace_back(std::string(field.key), std::move(sub).value());
      }
      std::vector<std::string_view> keys;
      for (const Member& m : v.members) keys.push_back(m.first);
      std::sort(keys.begin(), keys.end());
      if (const auto dup = std::adjacent_find(keys.begin(), keys.end()); dup != keys.end()) {
        return make_error("json", "duplicate key `" + std::string(*dup) + "`");
      }
      return v;
    }
  }
  return make_error("json", "unknown JSON value");
}

}  // namespace

JsonValue JsonValue::string_value(std::string s) {
  JsonValue v{Kind::string};
  v.text = std::move(s);
  return v;
}

JsonValue JsonValue::integer_value(int64_t i) {
  JsonValue v{Kind::integer};
  v.text = std::to_string(i);
  v.number = static_cast<double>(i);
  return v;
}

JsonValue JsonValue::number_value(double d) {
  JsonValue v{Kind::number};
  v.number = d;
  return v;
}

const JsonValue* JsonValue::find(std::string_view key) const {
  for (const Member& m : members) {
    if (m.first == key) return &m.second;
  }
  return nullptr;
}

JsonValue* JsonValue::find(std::string_view key) {
  for (Member& m : members) {
    if (m.first == key) return &m.second;
  }
  return nullptr;
}

JsonValue& JsonValue::set(std::string_view key, JsonValue value) {
  kind = Kind::object;
  if (JsonValue* existing = find(key)) return *existing = std::move(value);
  members.emplace_back(std::string(key), std::move(value));
  return members.back().second;
}

void JsonValue::erase(std::string_view key) {
  std::erase_if(members, [&](const Member& m) { return m.first == key; });
}

std::string_view JsonValue::string_at(std::string_view key) const {
  const JsonValue* v = find(key);
  return v != nullptr && v->kind == Kind::string ? std::string_view(v->text) : std::string_view();
}

Result<JsonValue> parse_json(std::string_view text) {
  dom::parser parser;
  const simdjson::padded_string padded(text);
  dom::element root;
  if (const auto error = parser.parse(padded).get(root); error) {
    return make_error("json", std::string("not valid JSON: ") + simdjson::error_message(error));
  }
  return convert(root);
}

std::string canonical_json(const JsonValue& value, Canon canon) {
  std::string out;
  write(out, value, canon, 0, false);
  return out;
}

std::string pretty_json(const JsonValue& value, Canon canon) {
  std::string out;
  write(out, value, canon, 0, true);
  out += '\n';
  return out;
}

std::string ecmascript_number(double d) {
  if (d == 0 || !std::isfinite(d)) return "0";  // JSON never holds NaN or infinities
  if (d < 0) return "-" + ecmascript_number(-d);
  std::string digits;
  int n = 0;
  shortest_digits(d, digits, n);
  const int k = static_cast<int>(digits.size());
  if (k <= n && n <= 21) return digits + std::string(static_cast<std::size_t>(n - k), '0');
  if (0 < n && n <= 21) {
    return digits.substr(0, static_cast<std::size_t>(n)) + "." +
           digits.substr(static_cast<std::size_t>(n));
  }
  if (-6 < n && n <= 0) return "0." + std::string(static_cast<std::size_t>(-n), '0') + digits;
  return exponent_form(digits, n - 1, 1);
}

std::string python_float_repr(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d < 0 ? "-Infinity" : "Infinity";
  if (std::signbit(d)) return "-" + python_float_repr(-d);
  if (d == 0) return "0.0";
  std::string digits;
  int n = 0;
  shortest_digits(d, digits, n);
  const int k = static_cast<int>(digits.size());
  if (n <= -4 || n > 16) return exponent_form(digits, n - 1, 2);
  if (n <= 0) return "0." + std::string(static_cast<std::size_t>(-n), '0') + digits;
  if (n >= k) return digits + std::string(static_cast<std::size_t>(n - k), '0') + ".0";
  return digits.substr(0, static_cast<std::size_t>(n)) + "." +
         digits.substr(static_cast<std::size_t>(n));
}

}  // namespace vectimus::audit
