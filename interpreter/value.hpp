// Cedar values: bool, Long (i64), String, entity UID, Set, Record.
//
// Values are immutable and cheap to copy: sets, records and entity UIDs are shared (an entity
// UID is two strings; held by pointer it keeps a Value at 40 bytes, which is what a record's
// fields are moved and sorted as). A Set holds its elements
// sorted by a total order and without duplicates, so equality of sets is equality of their
// element lists (Cedar compares sets as mathematical sets). Records are sorted by key.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "ir/entity_uid.hpp"

namespace vectimus::interpreter {

class Value;
using SetElems = std::vector<Value>;                              // sorted, unique
using RecordFields = std::vector<std::pair<std::string, Value>>;  // sorted by key, unique keys

enum class Kind : uint8_t { boolean, long_, string, entity, set, record };

class Value {
 public:
  Value() : v_(false) {}
  static Value boolean(bool b);
  static Value long_(int64_t n);
  static Value string(std::string s);
  static Value entity(ir::EntityUid uid);
  static Value set(std::vector<Value> elems);  // sorts and removes duplicates
  // Later duplicates of a key replace earlier ones.
  static Value record(std::vector<std::pair<std::string, Value>> fields);

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool as_bool() const { return std::get<0>(v_); }
  int64_t as_long() const { return std::get<1>(v_); }
  const std::string& as_string() const { return std::get<2>(v_); }
  const ir::EntityUid& as_entity() const { return *std::get<3>(v_); }
  const SetElems& as_set() const { return *std::get<4>(v_); }
  const RecordFields& as_record() const { return *std::get<5>(v_); }

  // The record field `key`, or nullptr. Requires a record.
  const Value* field(std::string_view key) const;

  friend bool operator==(const Value& a, const Value& b);
  // A total order over all values (kind first), used to keep sets canonical.
  friend int compare(const Value& a, const Value& b);

 private:
  using Storage =
      std::variant<bool, int64_t, std::string, std::shared_ptr<const ir::EntityUid>,
                   std::shared_ptr<const SetElems>, std::shared_ptr<const RecordFields>>;
  explicit Value(Storage v) : v_(std::move(v)) {}
  Storage v_;
};

// Declared here too so that it is found without argument-dependent lookup.
int compare(const Value& a, const Value& b);

// Cedar's own words for a kind in error messages: "bool", "long", "string", "set", "record",
// and for an entity "(entity of type `T`)".
std::string describe_type(const Value& v);

// Cedar-ish text for messages and the CLI: `true`, `42`, `"a"`, `T::"x"`, `[..]`, `{..}`.
std::string to_text(const Value& v);

}  // namespace vectimus::interpreter
