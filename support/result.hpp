// Result<T>: a value or the diagnostics that explain why there is none.
//
// Errors are values: no exception crosses a folder's public API. A Result is either ok (holds a
// T) or failed (holds at least one Diagnostic).
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "support/diagnostic.hpp"

namespace vectimus {

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Result(Diagnostics errors) : state_(std::in_place_index<1>, std::move(errors)) {  // NOLINT
    assert(!std::get<1>(state_).empty());
  }
  Result(Diagnostic error)
      : state_(std::in_place_index<1>, Diagnostics{std::move(error)}) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Diagnostics& errors() const { return std::get<1>(state_); }
  Diagnostics&& take_errors() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Diagnostics> state_;
};

}  // namespace vectimus
