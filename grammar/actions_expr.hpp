// The grammar actions for expressions: each builds one IR node from the builder stacks (see
// grammar/state.hpp). Private to grammar/: included only by grammar/build.cpp, which
// instantiates the parser; grammar/actions_policy.hpp holds the actions for policies.
#pragma once

#include <algorithm>
#include <limits>

#include "grammar/calls.hpp"
#include "grammar/rules.hpp"
#include "grammar/state.hpp"
#include "grammar/unescape.hpp"

namespace vectimus::grammar::actions {

namespace pg = tao::pegtl;
using ir::Expr;
using ir::Op;
// ---- Helpers ---------------------------------------------------------------------------------

// The text between the quotes of a string token that starts at `begin`.
inline std::string_view string_body(const State& s, const char* begin) {
  const uint32_t b = s.offset(begin) + 1;
  return std::string_view(s.source->text).substr(b, s.last_end - 1 - b);
}

template <class Input>
std::string unescaped(const State& s, const Input& in) {
  std::string out;
  const std::string_view body = string_body(s, in.begin());
  if (auto error = unescape_string(body, out)) {
    const uint32_t at = s.offset(in.begin()) + 1 + static_cast<uint32_t>(error->offset);
    s.fail(error->message, {at, at + static_cast<uint32_t>(error->length)}, error->help);
  }
  return out;
}

inline void check_name(const State& s, const Name& n) {
  if (is_reserved(n.text)) {
    s.fail("`" + n.text + "` is a reserved identifier and cannot be used as a name here", n.span,
           "quote it: `e[\"" + n.text + "\"]`, `e has \"" + n.text + "\"`, `{\"" + n.text +
               "\": ...}`");
  }
}

template <class Input>
void push_name(State& s, const Input& in, bool reserved_ok = false) {
  Name n{std::string(in.begin(), in.begin() + (s.last_end - s.offset(in.begin()))),
         s.token_span(in.begin())};
  if (!reserved_ok) check_name(s, n);
  s.names.push_back(std::move(n));
}

// Pops the segments pushed since the last path_begin and pushes them joined as one name.
inline void join_path(State& s) {
  const size_t mark = s.name_marks.back();
  s.name_marks.pop_back();
  Name joined{"", {s.names[mark].span.begin, s.names.back().span.end}};
  for (size_t i = mark; i < s.names.size(); ++i) {
    if (i > mark) joined.text += "::";
    joined.text += s.names[i].text;
  }
  s.names.resize(mark);
  s.names.push_back(std::move(joined));
}

inline std::vector<Expr> pop_list(State& s, uint32_t& height) {
  const size_t mark = s.list_marks.back();
  s.list_marks.pop_back();
  height = 0;
  for (size_t i = mark; i < s.heights.size(); ++i) height = std::max(height, s.heights[i]);
  std::vector<Expr> out(std::make_move_iterator(s.exprs.begin() + static_cast<long>(mark)),
                        std::make_move_iterator(s.exprs.end()));
  s.exprs.resize(mark);
  s.heights.resize(mark);
  return out;
}

inline Expr leaf(Op op, Span span) {
  Expr e;
  e.op = op;
  e.span = span;
  return e;
}

inline void push_unary(State& s, Op op, uint32_t begin) {
  uint32_t h = 0;
  Expr child = s.pop(h);
  Expr e = leaf(op, {begin, child.span.end});
  e.children.push_back(std::move(child));
  s.push(std::move(e), h + 1);
}

inline void push_binary(State& s, Op op) {
  uint32_t hb = 0;
  uint32_t ha = 0;
  Expr b = s.pop(hb);
  Expr a = s.pop(ha);
  Expr e = leaf(op, {a.span.begin, b.span.end});
  e.children.push_back(std::move(a));
  e.children.push_back(std::move(b));
  s.push(std::move(e), std::max(ha, hb) + 1);
}

// Digits at `p` as an unsigned value; false when it exceeds `max`.
inline bool parse_digits(const char* p, uint64_t max, uint64_t& value, const char*& end) {
  value = 0;
  bool ok = true;
  for (end = p; *end >= '0' && *end <= '9'; ++end) {
    const auto d = static_cast<uint64_t>(*end - '0');
    if (value > (max - d) / 10) ok = false;
    if (ok) value = value * 10 + d;
  }
  return ok;
}

template <class Input>
uint64_t number_value(const State& s, const Input& in, uint64_t max) {
  uint64_t value = 0;
  const char* end = nullptr;
  if (!parse_digits(in.begin(), max, value, end)) {
    s.fail("integer literal `" + std::string(in.begin(), end) + "` is too large",
           {s.offset(in.begin()), s.offset(end)},
           "the largest integer literal is `9223372036854775807`");
  }
  return value;
}

inline ir::EntityUid pop_uid_parts(State& s, Span& span) {
  Name id = s.pop_name();
  Name type = s.pop_name();
  span = {type.span.begin, id.span.end};
  return ir::EntityUid{std::move(type.text), std::move(id.text)};
}

inline void push_uid(State& s, bool action_scope) {
  Span span;
  ir::EntityUid uid = pop_uid_parts(s, span);
  if (action_scope) {
    const std::string& t = uid.type;
    const bool ok = t == "Action" || (t.size() > 8 && t.compare(t.size() - 8, 8, "::Action") == 0);
    if (!ok) {
      s.fail("expected an entity of type `Action`, found `" + ir::to_cedar(uid) + "`", span,
             "the action scope requires an entity of type `Action`, optionally in a namespace, "
             "e.g. `Action::\"read\"`");
    }
  }
  s.uids.push_back(std::move(uid));
  s.uid_spans.push_back(span);
}

inline ir::EntityUid pop_uid(State& s) {
  ir::EntityUid uid = std::move(s.uids.back());
  s.uids.pop_back();
  s.uid_spans.pop_back();
  return uid;
}

// ---- Actions ---------------------------------------------------------------------------------

template <class Rule>
struct action : pg::nothing<Rule> {};

#define VECTIMUS_ACTION(rule)  \
  template <>                  \
  struct action<rules::rule> { \
    template <class Input>     \
    static void apply([[maybe_unused]] const Input& in, State& s)

VECTIMUS_ACTION(mark_end) {
  s.last_end = s.offset(in.begin());
}
};
VECTIMUS_ACTION(path_begin) {
  s.name_marks.push_back(s.names.size());
}
}
;
VECTIMUS_ACTION(list_begin) {
  s.list_marks.push_back(s.exprs.size());
}
}
;
VECTIMUS_ACTION(path_seg) {
  push_name(s, in);
}
}
;
VECTIMUS_ACTION(attr_name) {
  push_name(s, in);
}
}
;
VECTIMUS_ACTION(record_key_ident) {
  push_name(s, in);
}
}
;
VECTIMUS_ACTION(record_key_string) {
  s.names.push_back({unescaped(s, in), s.token_span(in.begin())});
}
}
;
VECTIMUS_ACTION(index_key) {
  s.names.push_back({unescaped(s, in), s.token_span(in.begin())});
}
}
;
VECTIMUS_ACTION(entity_id) {
  s.names.push_back({unescaped(s, in), s.token_span(in.begin())});
}
}
;
VECTIMUS_ACTION(has_string) {
  s.name_marks.push_back(s.names.size());
  s.names.push_back({unescaped(s, in), s.token_span(in.begin())});
}
}
;
VECTIMUS_ACTION(path) {
  join_path(s);
}
}
;
VECTIMUS_ACTION(is_type) {
  join_path(s);
}
}
;
VECTIMUS_ACTION(scope_is_type) {
  join_path(s);
  s.target->entity_type = s.pop_name().text;
}
}
;
VECTIMUS_ACTION(entity_ref) {
  push_uid(s, false);
}
}
;
VECTIMUS_ACTION(action_entity) {
  push_uid(s, true);
}
}
;

// Primaries.
VECTIMUS_ACTION(literal_true) {
  Expr e = leaf(Op::bool_lit, s.token_span(in.begin()));
  e.boolean = true;
  s.push(std::move(e), 1);
}
}
;
VECTIMUS_ACTION(literal_false) {
  s.push(leaf(Op::bool_lit, s.token_span(in.begin())), 1);
}
}
;
VECTIMUS_ACTION(literal_number) {
  Expr e = leaf(Op::long_lit, s.token_span(in.begin()));
  e.number = static_cast<int64_t>(number_value(s, in, std::numeric_limits<int64_t>::max()));
  s.push(std::move(e), 1);
}
}
;
VECTIMUS_ACTION(negative_literal) {
  // Cedar folds one `-` into the literal, which is how i64 min can be written at all.
  const uint64_t max = uint64_t{1} << 63;
  const uint64_t value = number_value(s, in, max);
  const char* end = in.begin();
  while (*end >= '0' && *end <= '9') ++end;
  Expr e = leaf(Op::long_lit, {s.offset(in.begin()), s.offset(end)});
  e.number = value == max ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(value);
  s.push(std::move(e), 1);
  s.folded_literal = true;
}
}
;
VECTIMUS_ACTION(literal_string) {
  Expr e = leaf(Op::string_lit, s.token_span(in.begin()));
  e.text = unescaped(s, in);
  s.push(std::move(e), 1);
}
}
;
VECTIMUS_ACTION(slot_expr) {
  const Span span = s.token_span(in.begin());
  const std::string slot(in.begin(), in.begin() + (span.end - span.begin));
  if (slot != "?principal" && slot != "?resource") {
    s.fail("`" + slot + "` is not a valid template slot", span,
           "a template slot may only be `?principal` or `?resource`");
  }
  s.fail("found the template slot `" + slot + "` in a condition", span,
         "slots may only appear in the scope of a template");
}
}
;
VECTIMUS_ACTION(set_expr) {
  uint32_t h = 0;
  Expr e = leaf(Op::set, s.token_span(in.begin()));
  e.children = pop_list(s, h);
  s.push(std::move(e), h + 1);
}
}
;
VECTIMUS_ACTION(record_expr) {
  uint32_t h = 0;
  Expr e = leaf(Op::record, s.token_span(in.begin()));
  e.children = pop_list(s, h);
  const size_t n = e.children.size();
  e.keys.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const Name& key = s.names[s.names.size() - n + i];
    for (size_t j = 0; j < i; ++j) {
      if (e.keys[j] == key.text) {
        s.fail("duplicate key `" + key.text + "` in record literal", key.span);
      }
    }
    e.keys[i] = key.text;
  }
  s.names.resize(s.names.size() - n);
  s.push(std::move(e), h + 1);
}
}
;
VECTIMUS_ACTION(entity_tail) {
  Span span;
  ir::EntityUid uid = pop_uid_parts(s, span);
  Expr e = leaf(Op::entity_lit, span);
  e.uid = std::move(uid);
  s.push(std::move(e), 1);
}
}
;
VECTIMUS_ACTION(function_call) {
  uint32_t h = 0;
  std::vector<Expr> args = pop_list(s, h);
  Name name = s.pop_name();
  build_function_call(s, name, std::move(args), {name.span.begin, s.last_end});
}
}
;
VECTIMUS_ACTION(name_only) {
  Name name = s.pop_name();
  static constexpr std::pair<std::string_view, ir::Var> kVars[] = {
      {"principal", ir::Var::principal},
      {"action", ir::Var::action},
      {"resource", ir::Var::resource},
      {"context", ir::Var::context}};
  for (const auto& [text, var] : kVars) {
    if (name.text == text) {
      Expr e = leaf(Op::var, name.span);
      e.var = var;
      s.push(std::move(e), 1);
      return;
    }
  }
  s.fail("`" + name.text + "` is not a valid variable", name.span,
         "the variables are `principal`, `action`, `resource` and `context`; write `\"" +
             name.text + "\"` for a string or `" + name.text + "::\"id\"` for an entity");
}
}
;

// Member access.
VECTIMUS_ACTION(method_call) {
  uint32_t args_height = 0;
  std::vector<Expr> args = pop_list(s, args_height);
  Name name = s.pop_name();
  uint32_t h = 0;
  Expr receiver = s.pop(h);
  const Span span{receiver.span.begin, s.last_end};
  build_method_call(s, std::move(receiver), h, name, std::move(args), args_height, span);
}
}
;
template <class Input>
void push_get_attr([[maybe_unused]] const Input& in, State& s) {
  Name name = s.pop_name();
  uint32_t h = 0;
  Expr receiver = s.pop(h);
  Expr e = leaf(Op::get_attr, {receiver.span.begin, s.last_end});
  e.text = std::move(name.text);
  e.children.push_back(std::move(receiver));
  s.push(std::move(e), h + 1);
}
VECTIMUS_ACTION(field_access) {
  push_get_attr(in, s);
}
}
;
VECTIMUS_ACTION(index_access) {
  push_get_attr(in, s);
}
}
;

// Unary operators.
template <class Input>
void count_unary(const Input& in, State& s, const char* op) {
  const uint32_t n = s.pending_unary;
  s.pending_unary = 0;
  if (n > 4) {
    s.fail(std::string("too many occurrences of `") + op + "`", s.token_span(in.begin()),
           "at most 4 may be chained; use parentheses");
  }
  s.unary_counts.push_back(n);
}
VECTIMUS_ACTION(bang) {
  ++s.pending_unary;
}
}
;
VECTIMUS_ACTION(minus) {
  ++s.pending_unary;
}
}
;
VECTIMUS_ACTION(bangs) {
  count_unary(in, s, "!");
}
}
;
VECTIMUS_ACTION(minuses) {
  count_unary(in, s, "-");
}
}
;
VECTIMUS_ACTION(not_expr) {
  uint32_t n = s.unary_counts.back();
  s.unary_counts.pop_back();
  while (n-- > 0) push_unary(s, Op::not_, s.offset(in.begin()));
}
}
;
VECTIMUS_ACTION(neg_expr) {
  uint32_t n = s.unary_counts.back();
  s.unary_counts.pop_back();
  if (s.folded_literal) {
    s.folded_literal = false;
    --n;
  }
  while (n-- > 0) push_unary(s, Op::neg, s.offset(in.begin()));
}
}
;

// Binary operators.
VECTIMUS_ACTION(mul_tail) {
  push_binary(s, Op::mul);
}
}
;
VECTIMUS_ACTION(add_tail) {
  push_binary(s, *in.begin() == '+' ? Op::add : Op::sub);
}
}
;
VECTIMUS_ACTION(compare_tail) {
  const char* p = in.begin();
  const Op op = p[0] == 'i'   ? Op::in
                : p[0] == '=' ? Op::eq
                : p[0] == '!' ? Op::ne
                : p[0] == '<' ? (p[1] == '=' ? Op::le : Op::lt)
                              : (p[1] == '=' ? Op::ge : Op::gt);
  push_binary(s, op);
}
}
;
VECTIMUS_ACTION(and_tail) {
  push_binary(s, Op::and_);
}
}
;
VECTIMUS_ACTION(or_tail) {
  push_binary(s, Op::or_);
}
}
;
VECTIMUS_ACTION(if_expr) {
  uint32_t h3 = 0;
  uint32_t h2 = 0;
  uint32_t h1 = 0;
  Expr otherwise = s.pop(h3);
  Expr then = s.pop(h2);
  Expr cond = s.pop(h1);
  Expr e = leaf(Op::if_then_else, {s.offset(in.begin()), otherwise.span.end});
  e.children.push_back(std::move(cond));
  e.children.push_back(std::move(then));
  e.children.push_back(std::move(otherwise));
  s.push(std::move(e), std::max({h1, h2, h3}) + 1);
}
}
;

// Relations that are not plain binary operators.
VECTIMUS_ACTION(has_tail) {
  // `e has a.b.c` is `e has a && e.a has b && e.a.b has c`, as in Cedar.
  const size_t mark = s.name_marks.back();
  s.name_marks.pop_back();
  uint32_t h = 0;
  const Expr subject = s.pop(h);
  const Span span{subject.span.begin, s.last_end};
  Expr access = subject;
  uint32_t access_height = h;
  Expr result;
  uint32_t result_height = 0;
  for (size_t i = mark; i < s.names.size(); ++i) {
    Expr has = leaf(Op::has_attr, span);
    has.text = s.names[i].text;
    has.children.push_back(access);
    const uint32_t has_height = access_height + 1;
    if (i == mark) {
      result = std::move(has);
      result_height = has_height;
    } else {
      Expr conj = leaf(Op::and_, span);
      conj.children.push_back(std::move(result));
      conj.children.push_back(std::move(has));
      result = std::move(conj);
      result_height = std::max(result_height, has_height) + 1;
    }
    if (i + 1 < s.names.size()) {
      Expr next = leaf(Op::get_attr, {subject.span.begin, s.names[i].span.end});
      next.text = s.names[i].text;
      next.children.push_back(std::move(access));
      access = std::move(next);
      ++access_height;
    }
  }
  s.names.resize(mark);
  s.push(std::move(result), result_height);
}
}
;
VECTIMUS_ACTION(has_path) {
  (void)s;  // the segments stay on `names` for has_tail
}
}
;
VECTIMUS_ACTION(like_pattern) {
  const std::string_view body = string_body(s, in.begin());
  if (auto error = unescape_pattern(body, s.pattern)) {
    const uint32_t at = s.offset(in.begin()) + 1 + static_cast<uint32_t>(error->offset);
    s.fail(error->message, {at, at + static_cast<uint32_t>(error->length)}, error->help);
  }
}
}
;
VECTIMUS_ACTION(like_tail) {
  uint32_t h = 0;
  Expr subject = s.pop(h);
  Expr e = leaf(Op::like, {subject.span.begin, s.last_end});
  e.pattern = std::move(s.pattern);
  s.pattern.clear();
  e.children.push_back(std::move(subject));
  s.push(std::move(e), h + 1);
}
}
;
VECTIMUS_ACTION(is_in) {
  s.is_in_present = true;
}
}
;
VECTIMUS_ACTION(is_tail) {
  // `e is T in x` is `e is T && e in x`, as in Cedar.
  const bool with_in = s.is_in_present;
  s.is_in_present = false;
  uint32_t hx = 0;
  Expr container;
  if (with_in) container = s.pop(hx);
  Name type = s.pop_name();
  uint32_t h = 0;
  Expr subject = s.pop(h);
  Expr is = leaf(Op::is_type, {subject.span.begin, type.span.end});
  is.text = std::move(type.text);
  if (!with_in) {
    is.children.push_back(std::move(subject));
    s.push(std::move(is), h + 1);
    return;
  }
  is.children.push_back(subject);
  const Span span{subject.span.begin, container.span.end};
  Expr in_expr = leaf(Op::in, span);
  in_expr.children.push_back(std::move(subject));
  in_expr.children.push_back(std::move(container));
  Expr conj = leaf(Op::and_, span);
  conj.children.push_back(std::move(is));
  conj.children.push_back(std::move(in_expr));
  s.push(std::move(conj), std::max(h, hx) + 2);
}
}
;

}  // namespace vectimus::grammar::actions
