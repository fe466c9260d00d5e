// The evaluator: one ir::Expr, under one Request and entity store, to a Cedar value or an error.
//
// The authorizer builds one Evaluator per request and evaluates each policy's conditions with
// it. Evaluation never throws: the result is an EvalResult holding a value or an EvalError whose
// message is worded as Cedar words it (docs/cedar.md; cedar-policy-core evaluator/err.rs).
// This runs before every agent tool call, so values read from the context or the entity store
// are borrowed, not copied: an EvalResult may point into the Request or the Entities, which
// must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "interpreter/entities.hpp"
#include "interpreter/request.hpp"
#include "interpreter/value.hpp"
#include "ir/ir.hpp"

namespace vectimus::interpreter {

// What kind of runtime error happened; the message carries the details.
enum class EvalErrorKind : uint8_t {
  type_error,           // "type error: expected bool, got long"
  missing_record_attr,  // "record does not have the attribute `x`"
  missing_entity_attr,  // "`T::\"x\"` does not have the attribute `a`"
  missing_entity,       // "entity `T::\"x\"` does not exist"
  overflow,             // "integer overflow while attempting to add the values `1` and `2`"
};

struct EvalError {
  EvalErrorKind kind = EvalErrorKind::type_error;
  std::string message;
};

// A value (owned, or borrowed from something that outlives the result) or an error.
class EvalResult {
 public:
  static EvalResult owned(Value v) { return EvalResult(std::move(v), nullptr); }
  // `v` must outlive the result (the Request, the Entities, or an Evaluator member).
  static EvalResult borrowed(const Value& v) { return EvalResult(Value(), &v); }
  static EvalResult failure(EvalErrorKind kind, std::string message) {
    EvalResult r(Value(), nullptr);
    r.failed_ = true;
    r.error_ = EvalError{kind, std::move(message)};
    return r;
  }

  bool ok() const { return !failed_; }
  const Value& value() const { return borrowed_ != nullptr ? *borrowed_ : owned_; }
  // The value by value: moves an owned one, copies a borrowed one.
  Value take() && { return borrowed_ != nullptr ? *borrowed_ : std::move(owned_); }
  // `part` lies inside value(): borrow it when value() is borrowed, else copy it out.
  EvalResult project(const Value& part) const {
    return borrowed_ != nullptr ? borrowed(part) : owned(part);
  }
  const EvalError& error() const { return error_; }
  EvalError&& take_error() && { return std::move(error_); }

 private:
  EvalResult(Value v, const Value* b) : owned_(std::move(v)), borrowed_(b) {}
  Value owned_;
  const Value* borrowed_ = nullptr;
  bool failed_ = false;
  EvalError error_;
};

class Evaluator {
 public:
  // Both must outlive the Evaluator and every EvalResult it returns.
  Evaluator(const Request& request, const Entities& entities);

  EvalResult evaluate(const ir::Expr& expr) const;

 private:
  EvalResult eval_and_or(const ir::Expr& expr, bool is_and) const;
  EvalResult eval_get_attr(const ir::Expr& expr) const;
  EvalResult eval_has_attr(const ir::Expr& expr) const;
  EvalResult eval_equality(const ir::Expr& expr) const;
  EvalResult eval_compare(const ir::Expr& expr) const;
  EvalResult eval_arith(const ir::Expr& expr) const;
  EvalResult eval_in(const ir::Expr& expr) const;
  EvalResult eval_set_op(const ir::Expr& expr) const;
  EvalResult eval_set(const ir::Expr& expr) const;
  EvalResult eval_record(const ir::Expr& expr) const;

  // principal, action and resource as entity Values, made the first time a policy reads them
  // (most policies test only their scope and context, which need none).
  const Value& entity_var(std::optional<Value>& slot, const ir::EntityUid& uid) const;

  const Request& request_;
  const Entities& entities_;
  mutable std::optional<Value> principal_;
  mutable std::optional<Value> action_;
  mutable std::optional<Value> resource_;
};

// Convenience for tests and one-off use: builds an Evaluator and evaluates `expr`. The result
// may borrow from `request` and `entities`.
EvalResult evaluate(const ir::Expr& expr, const Request& request, const Entities& entities);

}  // namespace vectimus::interpreter
