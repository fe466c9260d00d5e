// The policy IR: what the grammar builds and the interpreter (and later the index) reads.
//
// Data flow: grammar::parse_policies(text) -> PolicySet -> interpreter::authorize(...). The IR is
// a plain value tree: an Expr owns its children by value, a Policy owns its conditions, a
// PolicySet owns its policies. Every node carries a byte Span into the Source the policy came
// from (Policy::source), so any later stage can point at the text that caused something.
//
// Sugar is removed while building: `e has a.b` becomes `e has a && e.a has b`, and
// `e is T in x` becomes `e is T && e in x`, exactly as Cedar does, so every consumer sees one
// form. The printer (ir/print.hpp) writes these back as the desugared Cedar text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/entity_uid.hpp"
#include "support/source.hpp"

namespace vectimus::ir {

enum class Var : uint8_t { principal, action, resource, context };

// A `like` pattern after unescaping: literal runs separated by wildcards. Only the source
// sequence `\*` yields a literal star; every other `*` is a wildcard.
struct PatternElem {
  bool wildcard = false;
  std::string literal;  // empty when wildcard
  friend bool operator==(const PatternElem&, const PatternElem&) = default;
};
using Pattern = std::vector<PatternElem>;

enum class Op : uint8_t {
  // Leaves.
  bool_lit,    // boolean
  long_lit,    // number
  string_lit,  // text
  entity_lit,  // uid
  var,         // var
  // Unary: children[0].
  not_,
  neg,
  is_empty,  // children[0].isEmpty()
  get_attr,  // children[0].text  (also children[0]["text"])
  has_attr,  // children[0] has text
  like,      // children[0] like pattern
  is_type,   // children[0] is text (an entity type path)
  // Binary: children[0] op children[1].
  and_,
  or_,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  add,
  sub,
  mul,
  in,
  contains,      // children[0].contains(children[1])
  contains_all,  // children[0].containsAll(children[1])
  contains_any,  // children[0].containsAny(children[1])
  // Others.
  if_then_else,  // children[0] ? children[1] : children[2]
  set,           // [children...]
  record,        // {keys[i]: children[i]}
};

struct Expr {
  Op op = Op::bool_lit;
  Span span;
  bool boolean = false;
  int64_t number = 0;
  std::string text;  // string literal, attribute name, or entity type for is_type
  EntityUid uid;
  Var var = Var::context;
  Pattern pattern;
  std::vector<std::string> keys;  // record keys, parallel to children
  std::vector<Expr> children;
};

enum class Effect : uint8_t { permit, forbid };

// One of `principal`, `action`, `resource` in the scope.
struct ScopeConstraint {
  enum class Kind : uint8_t {
    any,     // bare
    eq,      // == entities[0]
    in,      // in entities[0]
    in_set,  // in [entities...]  (action only)
    is,      // is entity_type
    is_in,   // is entity_type in entities[0]
  };
  Kind kind = Kind::any;
  std::vector<EntityUid> entities;
  std::string entity_type;
  Span span;
};

struct Scope {
  ScopeConstraint principal;
  ScopeConstraint action;
  ScopeConstraint resource;
};

struct Condition {
  bool is_when = true;  // false: unless
  Expr body;
  Span span;
};

struct Annotation {
  std::string key;
  std::string value;  // "" when written without a value
  Span span;
};

struct Policy {
  std::string positional_id;  // "policy0", "policy1", ... in text order over the whole set
  Effect effect = Effect::permit;
  Scope scope;
  std::vector<Condition> conditions;    // in source order
  std::vector<Annotation> annotations;  // in source order; keys are unique
  SourcePtr source;
  Span span;

  // The annotation's value, or nullptr when absent.
  const std::string* annotation(std::string_view key) const;
  // The `@id` annotation when present, else the positional id.
  const std::string& id() const;
};

struct PolicySet {
  std::vector<Policy> policies;
};

}  // namespace vectimus::ir
