#include "grammar/calls.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace vectimus::grammar {
namespace {

// Cedar 4.5's extension functions and methods (ipaddr, decimal, datetime, duration). They
// parse in Cedar, so they are "unsupported" for us, never "syntax".
constexpr std::array<std::string_view, 4> kExtensionFunctions = {"ip", "decimal", "datetime",
                                                                 "duration"};
constexpr std::array<std::string_view, 18> kExtensionMethods = {
    "isIpv4",        "isIpv6",          "isLoopback",  "isMulticast",        "isInRange",
    "lessThan",      "lessThanOrEqual", "greaterThan", "greaterThanOrEqual", "offset",
    "durationSince", "toDate",          "toTime",      "toMilliseconds",     "toSeconds",
    "toMinutes",     "toHours",         "toDays"};

template <size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

std::string plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

void check_arity(const State& s, const Name& name, size_t expected, size_t got, Span span) {
  if (expected == got) return;
  s.fail("call to `" + name.text + "` requires exactly " + plural(expected, "argument") +
             ", but got " + plural(got, "argument"),
         span);
}

// Stands in for a call we do not evaluate; the policy fails anyway (deferred diagnostic).
ir::Expr placeholder(Span span) {
  ir::Expr e;
  e.op = ir::Op::bool_lit;
  e.span = span;
  return e;
}

}  // namespace

bool is_reserved(std::string_view name) {
  static constexpr std::array<std::string_view, 10> kReserved = {
      "true", "false", "if", "then", "else", "in", "like", "has", "is", "__cedar"};
  return contains(kReserved, name);
}

void build_method_call(State& s, ir::Expr receiver, uint32_t receiver_height, const Name& name,
                       std::vector<ir::Expr> args, uint32_t args_height, Span span) {
  const std::string& m = name.text;
  ir::Expr e;
  e.span = span;
  if (m == "contains" || m == "containsAll" || m == "containsAny") {
    check_arity(s, name, 1, args.size(), span);
    e.op = m == "contains"      ? ir::Op::contains
           : m == "containsAll" ? ir::Op::contains_all
                                : ir::Op::contains_any;
    e.children.push_back(std::move(receiver));
    e.children.push_back(std::move(args[0]));
    s.push(std::move(e), std::max(receiver_height, args_height) + 1);
    return;
  }
  if (m == "isEmpty") {
    check_arity(s, name, 0, args.size(), span);
    e.op = ir::Op::is_empty;
    e.children.push_back(std::move(receiver));
    s.push(std::move(e), receiver_height + 1);
    return;
  }
  if (m == "getTag" || m == "hasTag") {
    check_arity(s, name, 1, args.size(), span);
    s.unsupported("entity tags (`" + m + "`) are not supported", span,
                  "vectimus evaluates a subset of Cedar without tags");
    s.push(placeholder(span), 1);
    return;
  }
  if (contains(kExtensionMethods, m)) {
    s.unsupported("the extension method `" + m + "` is not supported", span,
                  "vectimus evaluates a subset of Cedar without extension types");
    s.push(placeholder(span), 1);
    return;
  }
  s.fail("`" + m + "` is not a valid method", name.span,
         "the methods are `contains`, `containsAll`, `containsAny` and `isEmpty`");
}

void build_function_call(State& s, const Name& name, std::vector<ir::Expr> /*args*/, Span span) {
  if (contains(kExtensionFunctions, name.text)) {
    s.unsupported("the extension function `" + name.text + "` is not supported", span,
                  "vectimus evaluates a subset of Cedar without extension types");
    s.push(placeholder(span), 1);
    return;
  }
  s.fail("`" + name.text + "` is not a valid function", name.span,
         "Cedar has no user-defined functions; the methods are called as `e.contains(x)`");
}

}  // namespace vectimus::grammar
