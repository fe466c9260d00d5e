#include "interpreter/evaluator.hpp"

#include <algorithm>
#include <string_view>

#include "interpreter/like.hpp"
#include "ir/print.hpp"

namespace vectimus::interpreter {

namespace {

using ir::Expr;
using ir::Op;

// The "expected" part of Cedar's type errors. Cedar names the wildcard entity type
// `any_entity_type` when any entity would do (evaluator.rs, names::ANY_ENTITY_TYPE).
constexpr std::string_view kAnyEntity = "(entity of type `any_entity_type`)";
constexpr std::string_view kRecordOrEntity = "one of [record, (entity of type `any_entity_type`)]";
constexpr std::string_view kSetOrEntity = "one of [set, (entity of type `any_entity_type`)]";
// Checked against the reference (docs/cedar.md): the extension types are listed although we do
// not support them, because that is Cedar's wording.
constexpr std::string_view kComparable = "one of [long, datetime, duration]";

EvalResult type_error(std::string_view expected, const Value& got) {
  std::string message = "type error: expected ";
  message += expected;
  message += ", got ";
  message += describe_type(got);
  return EvalResult::failure(EvalErrorKind::type_error, std::move(message));
}

EvalResult overflow(std::string_view verb, int64_t a, int64_t b) {
  return EvalResult::failure(EvalErrorKind::overflow, "integer overflow while attempting to " +
                                                          std::string(verb) + " the values `" +
                                                          std::to_string(a) + "` and `" +
                                                          std::to_string(b) + "`");
}

EvalResult boolean(bool b) {
  return EvalResult::owned(Value::boolean(b));
}

bool is_literal(const Expr& e) {
  return e.op == Op::bool_lit || e.op == Op::long_lit || e.op == Op::string_lit ||
         e.op == Op::entity_lit;
}

// `v == literal` without materialising the literal as a Value (no allocation).
bool equals_literal(const Value& v, const Expr& lit) {
  switch (lit.op) {
    case Op::bool_lit: return v.kind() == Kind::boolean && v.as_bool() == lit.boolean;
    case Op::long_lit: return v.kind() == Kind::long_ && v.as_long() == lit.number;
    case Op::string_lit: return v.kind() == Kind::string && v.as_string() == lit.text;
    case Op::entity_lit: return v.kind() == Kind::entity && v.as_entity() == lit.uid;
    default: return false;
  }
}

// A set written as literals only (`["a", "b"]`, as the packs write them): evaluating it cannot
// fail, and its elements can be compared with a value as they stand, without building the set
// (which copies and sorts every element at each evaluation).
bool is_literal_set(const Expr& e) {
  if (e.op != Op::set) return false;
  return std::all_of(e.children.begin(), e.children.end(), is_literal);
}

// compare(v, the literal's Value) without making the Value: kind first, then the value.
int compare_with_literal(const Value& v, const Expr& lit) {
  const auto three_way = [](auto a, auto b) { return a < b ? -1 : (b < a ? 1 : 0); };
  Kind kind = Kind::boolean;
  switch (lit.op) {
    case Op::bool_lit: kind = Kind::boolean; break;
    case Op::long_lit: kind = Kind::long_; break;
    case Op::string_lit: kind = Kind::string; break;
    default: kind = Kind::entity; break;
  }
  if (v.kind() != kind) return three_way(static_cast<int>(v.kind()), static_cast<int>(kind));
  switch (kind) {
    case Kind::boolean: return three_way(v.as_bool(), lit.boolean);
    case Kind::long_: return three_way(v.as_long(), lit.number);
    case Kind::string: {
      const int c = std::string_view(v.as_string()).compare(lit.text);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    default: {
      int c = std::string_view(v.as_entity().type).compare(lit.uid.type);
      if (c == 0) c = std::string_view(v.as_entity().id).compare(lit.uid.id);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
  }
}

// Binary search for a literal in a canonical (sorted, unique) set.
bool set_has_literal(const SetElems& set, const Expr& lit) {
  auto it = std::lower_bound(set.begin(), set.end(), lit, [](const Value& a, const Expr& l) {
    return compare_with_literal(a, l) < 0;
  });
  return it != set.end() && equals_literal(*it, lit);
}

// Binary search in a canonical (sorted, unique) set.
bool set_has(const SetElems& set, const Value& v) {
  auto it = std::lower_bound(set.begin(), set.end(), v,
                             [](const Value& a, const Value& b) { return compare(a, b) < 0; });
  return it != set.end() && *it == v;
}

}  // namespace

Evaluator::Evaluator(const Request& request, const Entities& entities)
    : request_(request), entities_(entities) {}

const Value& Evaluator::entity_var(std::optional<Value>& slot, const ir::EntityUid& uid) const {
  if (!slot) slot = Value::entity(uid);
  return *slot;
}

EvalResult Evaluator::evaluate(const Expr& expr) const {
  switch (expr.op) {
    case Op::bool_lit: return boolean(expr.boolean);
    case Op::long_lit: return EvalResult::owned(Value::long_(expr.number));
    case Op::string_lit: return EvalResult::owned(Value::string(expr.text));
    case Op::entity_lit: return EvalResult::owned(Value::entity(expr.uid));
    case Op::var:
      switch (expr.var) {
        case ir::Var::principal:
          return EvalResult::borrowed(entity_var(principal_, request_.principal));
        case ir::Var::action: return EvalResult::borrowed(entity_var(action_, request_.action));
        case ir::Var::resource:
          return EvalResult::borrowed(entity_var(resource_, request_.resource));
        case ir::Var::context: return EvalResult::borrowed(request_.context);
      }
      break;
    case Op::not_: {
      EvalResult arg = evaluate(expr.children[0]);
      if (!arg.ok()) return arg;
      if (arg.value().kind() != Kind::boolean) return type_error("bool", arg.value());
      return boolean(!arg.value().as_bool());
    }
    case Op::neg: {
      EvalResult arg = evaluate(expr.children[0]);
      if (!arg.ok()) return arg;
      if (arg.value().kind() != Kind::long_) return type_error("long", arg.value());
      const int64_t n = arg.value().as_long();
      if (n == INT64_MIN) {
        return EvalResult::failure(
            EvalErrorKind::overflow,
            "integer overflow while attempting to negate the value `" + std::to_string(n) + "`");
      }
      return EvalResult::owned(Value::long_(-n));
    }
    case Op::is_empty: {
      EvalResult arg = evaluate(expr.children[0]);
      if (!arg.ok()) return arg;
      if (arg.value().kind() != Kind::set) return type_error("set", arg.value());
      return boolean(arg.value().as_set().empty());
    }
    case Op::get_attr: return eval_get_attr(expr);
    case Op::has_attr: return eval_has_attr(expr);
    case Op::like: {
      EvalResult arg = evaluate(expr.children[0]);
      if (!arg.ok()) return arg;
      if (arg.value().kind() != Kind::string) return type_error("string", arg.value());
      return boolean(like_match(arg.value().as_string(), expr.pattern));
    }
    case Op::is_type: {
      EvalResult arg = evaluate(expr.children[0]);
      if (!arg.ok()) return arg;
      if (arg.value().kind() != Kind::entity) return type_error(kAnyEntity, arg.value());
      return boolean(arg.value().as_entity().type == expr.text);
    }
    case Op::and_: return eval_and_or(expr, true);
    case Op::or_: return eval_and_or(expr, false);
    case Op::eq:
    case Op::ne: return eval_equality(expr);
    case Op::lt:
    case Op::le:
    case Op::gt:
    case Op::ge: return eval_compare(expr);
    case Op::add:
    case Op::sub:
    case Op::mul: return eval_arith(expr);
    case Op::in: return eval_in(expr);
    case Op::contains:
    case Op::contains_all:
    case Op::contains_any: return eval_set_op(expr);
    case Op::if_then_else: {
      EvalResult cond = evaluate(expr.children[0]);
      if (!cond.ok()) return cond;
      if (cond.value().kind() != Kind::boolean) return type_error("bool", cond.value());
      // Only the chosen branch is evaluated: errors in the other one do not matter.
      return evaluate(expr.children[cond.value().as_bool() ? 1 : 2]);
    }
    case Op::set: return eval_set(expr);
    case Op::record: return eval_record(expr);
  }
  return EvalResult::failure(EvalErrorKind::type_error, "internal error: unknown expression");
}

EvalResult Evaluator::eval_and_or(const Expr& expr, bool is_and) const {
  // Short-circuit, left to right; both operands must be bools when evaluated (Lean spec
  // `.and`/`.or`). `false && x` and `true || x` never look at x.
  EvalResult left = evaluate(expr.children[0]);
  if (!left.ok()) return left;
  if (left.value().kind() != Kind::boolean) return type_error("bool", left.value());
  if (left.value().as_bool() != is_and) return boolean(!is_and);
  EvalResult right = evaluate(expr.children[1]);
  if (!right.ok()) return right;
  if (right.value().kind() != Kind::boolean) return type_error("bool", right.value());
  return boolean(right.value().as_bool());
}

EvalResult Evaluator::eval_get_attr(const Expr& expr) const {
  EvalResult base = evaluate(expr.children[0]);
  if (!base.ok()) return base;
  const Value& v = base.value();
  if (v.kind() == Kind::record) {
    const Value* field = v.field(expr.text);
    if (field == nullptr) {
      return EvalResult::failure(EvalErrorKind::missing_record_attr,
                                 "record does not have the attribute `" + expr.text + "`");
    }
    return base.project(*field);
  }
  if (v.kind() == Kind::entity) {
    const Entity* entity = entities_.find(v.as_entity());
    if (entity == nullptr) {
      return EvalResult::failure(EvalErrorKind::missing_entity,
                                 "entity `" + ir::to_cedar(v.as_entity()) + "` does not exist");
    }
    const Value* field = entity->attrs.field(expr.text);
    if (field == nullptr) {
      return EvalResult::failure(
          EvalErrorKind::missing_entity_attr,
          "`" + ir::to_cedar(v.as_entity()) + "` does not have the attribute `" + expr.text + "`");
    }
    return EvalResult::borrowed(*field);  // the store outlives the result
  }
  return type_error(kRecordOrEntity, v);
}

EvalResult Evaluator::eval_has_attr(const Expr& expr) const {
  EvalResult base = evaluate(expr.children[0]);
  if (!base.ok()) return base;
  const Value& v = base.value();
  if (v.kind() == Kind::record) return boolean(v.field(expr.text) != nullptr);
  if (v.kind() == Kind::entity) {
    // An entity absent from the store has no attributes: `has` is false, not an error.
    const Entity* entity = entities_.find(v.as_entity());
    return boolean(entity != nullptr && entity->attrs.field(expr.text) != nullptr);
  }
  return type_error(kRecordOrEntity, v);
}

EvalResult Evaluator::eval_equality(const Expr& expr) const {
  const bool want_equal = expr.op == Op::eq;
  const Expr& a = expr.children[0];
  const Expr& b = expr.children[1];
  // A literal cannot fail, so evaluating only the other side keeps Cedar's error behaviour
  // while sparing the allocation of the literal's Value.
  if (is_literal(b)) {
    EvalResult left = evaluate(a);
    if (!left.ok()) return left;
    return boolean(equals_literal(left.value(), b) == want_equal);
  }
  if (is_literal(a)) {
    EvalResult right = evaluate(b);
    if (!right.ok()) return right;
    return boolean(equals_literal(right.value(), a) == want_equal);
  }
  EvalResult left = evaluate(a);
  if (!left.ok()) return left;
  EvalResult right = evaluate(b);
  if (!right.ok()) return right;
  return boolean((left.value() == right.value()) == want_equal);
}

EvalResult Evaluator::eval_compare(const Expr& expr) const {
  // Cedar builds `a > b` as `!(a <= b)` and `a >= b` as `!(a < b)`, so the operands keep their
  // order for evaluation and type errors.
  EvalResult left = evaluate(expr.children[0]);
  if (!left.ok()) return left;
  EvalResult right = evaluate(expr.children[1]);
  if (!right.ok()) return right;
  const Value& x = left.value();
  const Value& y = right.value();
  const bool x_long = x.kind() == Kind::long_;
  const bool y_long = y.kind() == Kind::long_;
  if (x_long && !y_long) return type_error("long", y);
  if (!x_long && y_long) return type_error("long", x);
  if (!x_long) return type_error(kComparable, x);
  const int64_t i = x.as_long();
  const int64_t j = y.as_long();
  switch (expr.op) {
    case Op::lt: return boolean(i < j);
    case Op::le: return boolean(i <= j);
    case Op::gt: return boolean(!(i <= j));
    default: return boolean(!(i < j));
  }
}

EvalResult Evaluator::eval_arith(const Expr& expr) const {
  EvalResult left = evaluate(expr.children[0]);
  if (!left.ok()) return left;
  EvalResult right = evaluate(expr.children[1]);
  if (!right.ok()) return right;
  if (left.value().kind() != Kind::long_) return type_error("long", left.value());
  if (right.value().kind() != Kind::long_) return type_error("long", right.value());
  const int64_t a = left.value().as_long();
  const int64_t b = right.value().as_long();
  int64_t out = 0;
  switch (expr.op) {
    case Op::add:
      if (__builtin_add_overflow(a, b, &out)) return overflow("add", a, b);
      break;
    case Op::sub:
      if (__builtin_sub_overflow(a, b, &out)) return overflow("subtract", a, b);
      break;
    default:
      if (__builtin_mul_overflow(a, b, &out)) return overflow("multiply", a, b);
      break;
  }
  return EvalResult::owned(Value::long_(out));
}

EvalResult Evaluator::eval_in(const Expr& expr) const {
  EvalResult left = evaluate(expr.children[0]);
  if (!left.ok()) return left;
  const Expr& rhs = expr.children[1];
  if (rhs.op == Op::entity_lit) {  // the common `x in Group::"g"`: no Value for the literal
    if (left.value().kind() != Kind::entity) return type_error(kAnyEntity, left.value());
    return boolean(entities_.is_in(left.value().as_entity(), rhs.uid));
  }
  EvalResult right = evaluate(rhs);
  if (!right.ok()) return right;
  const Value& x = left.value();
  const Value& y = right.value();
  if (x.kind() != Kind::entity) return type_error(kAnyEntity, x);
  if (y.kind() == Kind::entity) return boolean(entities_.is_in(x.as_entity(), y.as_entity()));
  if (y.kind() != Kind::set) return type_error(kSetOrEntity, y);
  // Cedar checks every element is an entity before testing any of them.
  for (const Value& e : y.as_set()) {
    if (e.kind() != Kind::entity) return type_error(kAnyEntity, e);
  }
  for (const Value& e : y.as_set()) {
    if (entities_.is_in(x.as_entity(), e.as_entity())) return boolean(true);
  }
  return boolean(false);
}

EvalResult Evaluator::eval_set_op(const Expr& expr) const {
  // A set of literals on either side is not built (is_literal_set): the same answers and the
  // same errors, in the same order, as the general path below.
  if (expr.op == Op::contains && is_literal_set(expr.children[0])) {
    EvalResult right = evaluate(expr.children[1]);
    if (!right.ok()) return right;
    for (const Expr& lit : expr.children[0].children) {
      if (equals_literal(right.value(), lit)) return boolean(true);
    }
    return boolean(false);
  }
  if (expr.op != Op::contains && is_literal_set(expr.children[1])) {
    EvalResult left = evaluate(expr.children[0]);
    if (!left.ok()) return left;
    const Value& x = left.value();
    if (x.kind() != Kind::set) return type_error("set", x);
    const bool all = expr.op == Op::contains_all;
    for (const Expr& lit : expr.children[1].children) {
      if (set_has_literal(x.as_set(), lit) != all) return boolean(!all);
    }
    return boolean(all);
  }
  EvalResult left = evaluate(expr.children[0]);
  if (!left.ok()) return left;
  EvalResult right = evaluate(expr.children[1]);
  if (!right.ok()) return right;
  const Value& x = left.value();
  const Value& y = right.value();
  if (x.kind() != Kind::set) return type_error("set", x);
  if (expr.op == Op::contains) return boolean(set_has(x.as_set(), y));
  if (y.kind() != Kind::set) return type_error("set", y);
  const SetElems& xs = x.as_set();
  const SetElems& ys = y.as_set();
  if (expr.op == Op::contains_all) {
    // Both sets are sorted: std::includes is a linear merge.
    return boolean(std::includes(xs.begin(), xs.end(), ys.begin(), ys.end(),
                                 [](const Value& a, const Value& b) { return compare(a, b) < 0; }));
  }
  size_t i = 0;
  size_t j = 0;
  while (i < xs.size() && j < ys.size()) {
    const int c = compare(xs[i], ys[j]);
    if (c == 0) return boolean(true);
    if (c < 0) {
      ++i;
    } else {
      ++j;
    }
  }
  return boolean(false);
}

EvalResult Evaluator::eval_set(const Expr& expr) const {
  std::vector<Value> elems;
  elems.reserve(expr.children.size());
  for (const Expr& child : expr.children) {
    EvalResult r = evaluate(child);
    if (!r.ok()) return r;
    elems.push_back(std::move(r).take());
  }
  return EvalResult::owned(Value::set(std::move(elems)));
}

EvalResult Evaluator::eval_record(const Expr& expr) const {
  std::vector<std::pair<std::string, Value>> fields;
  fields.reserve(expr.children.size());
  for (size_t i = 0; i < expr.children.size(); ++i) {
    EvalResult r = evaluate(expr.children[i]);
    if (!r.ok()) return r;
    fields.emplace_back(expr.keys[i], std::move(r).take());
  }
  return EvalResult::owned(Value::record(std::move(fields)));
}

EvalResult evaluate(const Expr& expr, const Request& request, const Entities& entities) {
  const Evaluator evaluator(request, entities);
  EvalResult r = evaluator.evaluate(expr);
  if (!r.ok()) return r;
  // The result may borrow from the evaluator, which dies here.
  return EvalResult::owned(std::move(r).take());
}

}  // namespace vectimus::interpreter
