#include "interpreter/value.hpp"

#include <algorithm>

#include "ir/print.hpp"

namespace vectimus::interpreter {

Value Value::boolean(bool b) {
  return Value(Storage(std::in_place_index<0>, b));
}
Value Value::long_(int64_t n) {
  return Value(Storage(std::in_place_index<1>, n));
}
Value Value::string(std::string s) {
  return Value(Storage(std::in_place_index<2>, std::move(s)));
}
Value Value::entity(ir::EntityUid uid) {
  return Value(
      Storage(std::in_place_index<3>, std::make_shared<const ir::EntityUid>(std::move(uid))));
}

Value Value::set(std::vector<Value> elems) {
  // Canonical form (sorted, unique) makes set equality a plain element-wise comparison and
  // `contains` a binary search.
  std::sort(elems.begin(), elems.end(),
            [](const Value& a, const Value& b) { return compare(a, b) < 0; });
  elems.erase(std::unique(elems.begin(), elems.end()), elems.end());
  return Value(Storage(std::in_place_index<4>, std::make_shared<const SetElems>(std::move(elems))));
}

namespace {

// std::string's `<` (bytes compared unsigned), deciding on the first byte without a call to
// memcmp when it differs, as a record's keys nearly always do.
bool key_less(const std::string& a, const std::string& b) {
  if (!a.empty() && !b.empty() && a[0] != b[0]) {
    return static_cast<unsigned char>(a[0]) < static_cast<unsigned char>(b[0]);
  }
  return a < b;
}

}  // namespace

Value Value::record(std::vector<std::pair<std::string, Value>> fields) {
  const size_t n = fields.size();
  // Most records are built with their keys in order already (a parsed JSON object, a copy of
  // another record): then there is nothing to move.
  bool ordered = true;
  for (size_t i = 1; i < n && ordered; ++i)
    ordered = key_less(fields[i - 1].first, fields[i].first);
  if (ordered) {
    return Value(
        Storage(std::in_place_index<5>, std::make_shared<const RecordFields>(std::move(fields))));
  }
  // Sort positions rather than the fields themselves (a field is a string and a Value: sorting
  // them moves each several times); insertion sort is stable, so among equal keys the source
  // order stays and "the last one wins" is well defined. Records are small; a large one uses
  // std::stable_sort on the positions.
  uint32_t small[32];
  std::vector<uint32_t> large;
  uint32_t* const order = n <= 32 ? small : (large.resize(n), large.data());
  for (size_t i = 0; i < n; ++i) order[i] = static_cast<uint32_t>(i);
  const auto less = [&](uint32_t a, uint32_t b) {
    return key_less(fields[a].first, fields[b].first);
  };
  if (n <= 32) {
    for (size_t i = 1; i < n; ++i) {
      const uint32_t x = order[i];
      size_t j = i;
      for (; j > 0 && less(x, order[j - 1]); --j) order[j] = order[j - 1];
      order[j] = x;
    }
  } else {
    std::stable_sort(order, order + n, less);
  }
  RecordFields out;
  out.reserve(n);
  for (size_t k = 0; k < n; ++k) {
    auto& field = fields[order[k]];
    if (!out.empty() && out.back().first == field.first) {
      out.back().second = std::move(field.second);
    } else {
      out.push_back(std::move(field));
    }
  }
  return Value(
      Storage(std::in_place_index<5>, std::make_shared<const RecordFields>(std::move(out))));
}

const Value* Value::field(std::string_view key) const {
  const RecordFields& fields = as_record();
  auto it = std::lower_bound(fields.begin(), fields.end(), key,
                             [](const auto& f, std::string_view k) { return f.first < k; });
  if (it == fields.end() || it->first != key) return nullptr;
  return &it->second;
}

namespace {

template <class T>
int three_way(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int compare_strings(std::string_view a, std::string_view b) {
  const int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

int compare(const Value& a, const Value& b) {
  if (a.v_.index() != b.v_.index()) return three_way(a.v_.index(), b.v_.index());
  switch (a.kind()) {
    case Kind::boolean: return three_way(a.as_bool(), b.as_bool());
    case Kind::long_: return three_way(a.as_long(), b.as_long());
    case Kind::string: return compare_strings(a.as_string(), b.as_string());
    case Kind::entity: {
      const int c = compare_strings(a.as_entity().type, b.as_entity().type);
      return c != 0 ? c : compare_strings(a.as_entity().id, b.as_entity().id);
    }
    case Kind::set: {
      const SetElems& x = a.as_set();
      const SetElems& y = b.as_set();
      if (&x == &y) return 0;
      const size_t n = std::min(x.size(), y.size());
      for (size_t i = 0; i < n; ++i) {
        const int c = compare(x[i], y[i]);
        if (c != 0) return c;
      }
      return three_way(x.size(), y.size());
    }
    case Kind::record: {
      const RecordFields& x = a.as_record();
      const RecordFields& y = b.as_record();
      if (&x == &y) return 0;
      const size_t n = std::min(x.size(), y.size());
      for (size_t i = 0; i < n; ++i) {
        int c = compare_strings(x[i].first, y[i].first);
        if (c == 0) c = compare(x[i].second, y[i].second);
        if (c != 0) return c;
      }
      return three_way(x.size(), y.size());
    }
  }
  return 0;
}

bool operator==(const Value& a, const Value& b) {
  if (a.v_.index() != b.v_.index()) return false;
  switch (a.kind()) {
    case Kind::boolean: return a.as_bool() == b.as_bool();
    case Kind::long_: return a.as_long() == b.as_long();
    case Kind::string: return a.as_string() == b.as_string();
    case Kind::entity: return a.as_entity() == b.as_entity();
    case Kind::set: {
      const SetElems& x = a.as_set();
      const SetElems& y = b.as_set();
      // Both are canonical, so set equality is element-wise equality.
      return &x == &y || x == y;
    }
    case Kind::record: {
      const RecordFields& x = a.as_record();
      const RecordFields& y = b.as_record();
      return &x == &y || x == y;
    }
  }
  return false;
}

std::string describe_type(const Value& v) {
  switch (v.kind()) {
    case Kind::boolean: return "bool";
    case Kind::long_: return "long";
    case Kind::string: return "string";
    case Kind::entity: return "(entity of type `" + v.as_entity().type + "`)";
    case Kind::set: return "set";
    case Kind::record: return "record";
  }
  return "value";
}

namespace {

void append_text(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Kind::boolean: out += v.as_bool() ? "true" : "false"; return;
    case Kind::long_: out += std::to_string(v.as_long()); return;
    case Kind::string: out += ir::quote(v.as_string()); return;
    case Kind::entity: out += ir::to_cedar(v.as_entity()); return;
    case Kind::set: {
      out += '[';
      bool first = true;
      for (const Value& e : v.as_set()) {
        if (!first) out += ", ";
        first = false;
        append_text(out, e);
      }
      out += ']';
      return;
    }
    case Kind::record: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : v.as_record()) {
        if (!first) out += ", ";
        first = false;
        out += ir::quote(key);
        out += ": ";
        append_text(out, value);
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string to_text(const Value& v) {
  std::string out;
  append_text(out, v);
  return out;
}

}  // namespace vectimus::interpreter
