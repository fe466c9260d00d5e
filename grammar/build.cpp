// Instantiates the parser: the rules (grammar/rules.hpp), the actions
// (grammar/actions_expr.hpp, grammar/actions_policy.hpp) and a control that turns `must<>`
// failures into diagnostics from the table in grammar/errors.hpp. No exception leaves here.
#include "grammar/build.hpp"

#include "grammar/actions_policy.hpp"
#include "grammar/errors.hpp"

namespace vectimus::grammar {
namespace {

namespace pg = tao::pegtl;
using actions::action;

// ---- Control ---------------------------------------------------------------------------------

// What the user wrote at `p`, for "found `...`": an identifier or number, a two-character
// operator, or one character.
std::string describe_token(std::string_view text, size_t at) {
  if (at >= text.size()) return "end of input";
  auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  size_t end = at + 1;
  if (is_word(text[at])) {
    while (end < text.size() && is_word(text[end]) && end - at < 40) ++end;
  } else if (end < text.size()) {
    static constexpr std::string_view kPairs[] = {"==", "!=", "<=", ">=", "&&", "||", "::", "//"};
    const std::string_view two = text.substr(at, 2);
    if (std::find(std::begin(kPairs), std::end(kPairs), two) != std::end(kPairs)) {
      end = at + 2;
    } else {
      while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    }
  }
  return "`" + std::string(text.substr(at, end - at)) + "`";
}

template <class Rule, class Input>
[[noreturn]] void raise_for(const Input& in, const State& s) {
  constexpr ErrorText text = kErrorText<Rule>;
  const uint32_t at = s.offset(in.current());
  const std::string_view source = s.source->text;
  const std::string found = describe_token(source, at);
  Span span{at, at};
  if (at < source.size()) span.end = at + static_cast<uint32_t>(found.size() - 2);
  std::string message;
  if (text.message == nullptr) {
    message = "unexpected " + found;
  } else {
    message = text.message;
    if (text.found) message += ", found " + found;
  }
  throw Failure{"syntax", std::move(message), text.help ? text.help : "", span};
}

template <class Rule>
struct control : pg::normal<Rule> {
  template <class Input>
  [[noreturn]] static void raise(const Input& in, State& s) {
    raise_for<Rule>(in, s);
  }
};

// Bounds the parser's recursion; the IR height is bounded separately in State::push.
template <>
struct control<rules::expr> : pg::normal<rules::expr> {
  template <class Input>
  static void start(const Input& in, State& s) {
    if (++s.depth > limits::kMaxExpressionDepth) {
      const uint32_t at = s.offset(in.current());
      throw Failure{"limit",
                    "expression is nested too deeply",
                    "the limit is " + std::to_string(limits::kMaxExpressionDepth) + " levels",
                    {at, at + 1}};
    }
  }
  template <class Input>
  static void success(const Input&, State& s) {
    --s.depth;
  }
  template <class Input>
  static void failure(const Input&, State& s) {
    --s.depth;
  }
  template <class Input>
  [[noreturn]] static void raise(const Input& in, State& s) {
    raise_for<rules::expr>(in, s);
  }
};

Diagnostic to_diagnostic(const SourcePtr& source, Failure&& f) {
  return make_error(std::move(f.code), std::move(f.message), Location{source, f.span},
                    std::move(f.help));
}

Diagnostic internal_error(const SourcePtr& source, size_t at, const char* what) {
  const auto offset = static_cast<uint32_t>(at);
  return make_error("syntax", std::string("internal parser error: ") + what,
                    Location{source, {offset, offset}});
}

}  // namespace

size_t skip_space(const SourcePtr& source, size_t offset) {
  const std::string_view text = source->text;
  pg::memory_input<pg::tracking_mode::lazy> in(text.data() + offset, text.data() + text.size(),
                                               source->name);
  pg::parse<rules::leading_space>(in);
  return static_cast<size_t>(in.current() - text.data());
}

PolicyOutcome parse_policy_at(const SourcePtr& source, size_t offset) {
  PolicyOutcome out;
  const std::string_view text = source->text;
  State s;
  s.source = source;
  s.base = text.data();
  s.last_end = static_cast<uint32_t>(offset);
  pg::memory_input<pg::tracking_mode::lazy> in(text.data() + offset, text.data() + text.size(),
                                               source->name);
  try {
    pg::parse<rules::policy, action, control>(in, s);
    out.end = static_cast<size_t>(in.current() - text.data());
    out.completed = true;
  } catch (Failure& f) {
    out.end = f.span.begin;
    if (!f.code.empty()) s.deferred.push_back(to_diagnostic(source, std::move(f)));
  } catch (const std::exception& e) {  // PEGTL's own errors, bad_alloc: never cross the API
    out.end = static_cast<size_t>(in.current() - text.data());
    s.deferred.push_back(internal_error(source, out.end, e.what()));
  }
  out.diagnostics = std::move(s.deferred);
  s.policy.source = source;
  out.policy = std::move(s.policy);
  return out;
}

Result<ir::EntityUid> parse_uid(const SourcePtr& source) {
  const std::string_view text = source->text;
  State s;
  s.source = source;
  s.base = text.data();
  pg::memory_input<pg::tracking_mode::lazy> in(text.data(), text.data() + text.size(),
                                               source->name);
  try {
    pg::parse<rules::uid_only, action, control>(in, s);
    return std::move(s.uids.back());
  } catch (Failure& f) {
    return to_diagnostic(source, std::move(f));
  } catch (const std::exception& e) {
    return internal_error(source, 0, e.what());
  }
}

}  // namespace vectimus::grammar
