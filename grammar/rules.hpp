// The PEGTL rules of our Cedar subset (docs/cedar.md, "Grammar"). Rules only: the error
// messages live in grammar/errors.hpp and the actions that build IR in grammar/build.cpp.
//
// Private to grammar/*.cpp: PEGTL must not leak into public headers.
//
// Conventions that the actions rely on:
// * Every token consumes the whitespace and comments after it (`tok<>`), so a failing `must<>`
//   raises at the first character of the offending token, and `mark_end` records where the
//   token itself ended (for spans that exclude trailing whitespace).
// * An expression rule either succeeds and leaves exactly one Expr on the builder's stack, or
//   fails without consuming input or touching the stack: every alternative starts with a
//   distinguishing token and commits with `must<>` after it. That is why actions can build the
//   IR directly with no undo on backtracking.
#pragma once

#include <tao/pegtl.hpp>

namespace vectimus::grammar::rules {

using namespace tao::pegtl;  // NOLINT: the grammar reads like the EBNF only this way

// ---- Lexical layer --------------------------------------------------------------------------

// Rust's `\s`: the Unicode White_Space property.
struct ws_char : sor<one<' ', '\t', '\n', '\r', '\v', '\f'>,
                     utf8::one<0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000>,
                     utf8::range<0x2000, 0x200A>> {};
struct comment : seq<two<'/'>, star<not_one<'\n', '\r'>>> {};
struct sp : star<sor<ws_char, comment>> {};

struct mark_end : success {};
template <class R>
struct tok : seq<R, mark_end, sp> {};

struct ident_first : ranges<'a', 'z', 'A', 'Z', '_'> {};
struct ident_other : ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
struct ident_raw : seq<ident_first, star<ident_other>> {};

template <class Str>
struct keyword : seq<Str, not_at<ident_other>> {};
#define VECTIMUS_KW(name) \
  struct kw_##name : tok<keyword<TAO_PEGTL_STRING(#name)>> {}
VECTIMUS_KW(permit);
VECTIMUS_KW(forbid);
VECTIMUS_KW(when);
VECTIMUS_KW(unless);
VECTIMUS_KW(principal);
VECTIMUS_KW(action);
VECTIMUS_KW(resource);
VECTIMUS_KW(true);
VECTIMUS_KW(false);
VECTIMUS_KW(if);
VECTIMUS_KW(then);
VECTIMUS_KW(else);
VECTIMUS_KW(in);
VECTIMUS_KW(has);
VECTIMUS_KW(like);
VECTIMUS_KW(is);
#undef VECTIMUS_KW

// Punctuation. `sym_lt` must not swallow `<=`; `sym_colon` must not swallow `::`.
struct sym_lparen : tok<one<'('>> {};
struct sym_rparen : tok<one<')'>> {};
struct sym_lbrace : tok<one<'{'>> {};
struct sym_rbrace : tok<one<'}'>> {};
struct sym_lbracket : tok<one<'['>> {};
struct sym_rbracket : tok<one<']'>> {};
struct sym_comma : tok<one<','>> {};
struct sym_semi : tok<one<';'>> {};
struct sym_colon : tok<seq<one<':'>, not_at<one<':'>>>> {};
struct sym_colons : tok<two<':'>> {};
struct sym_dot : tok<one<'.'>> {};
struct sym_at : tok<one<'@'>> {};
struct sym_eq : tok<two<'='>> {};
struct sym_or : tok<two<'|'>> {};
struct sym_and : tok<two<'&'>> {};

// STRINGLIT is `"(\\.|[^"\\])*"`; `.` excludes a newline, so backslash-newline is no token.
// Escapes are checked by the actions (grammar/unescape.hpp), which know the exact rules.
struct string_open : one<'"'> {};
struct string_close : one<'"'> {};
struct string_char : sor<seq<one<'\\'>, not_one<'\n'>>, not_one<'"', '\\'>> {};
struct string_raw : seq<string_open, star<string_char>, must<string_close>> {};
struct string_tok : tok<string_raw> {};

struct digits : plus<digit> {};
// Like Cedar's lexer, a number ends where the digits end: `5else` is `5` then `else`.
struct number_tok : tok<digits> {};

// ---- Names ----------------------------------------------------------------------------------

// An identifier in a position where reserved words are rejected (attribute names, record keys,
// path segments); the action checks the reserved list to give a precise message.
struct name_tok : tok<ident_raw> {};
struct attr_name : name_tok {};
struct path_seg : name_tok {};
struct path_begin : success {};
// `A::B::C`; a `::` followed by a string literal belongs to an entity UID, not to the path.
struct path : seq<path_begin, path_seg, star<sym_colons, path_seg>> {};
struct entity_id : string_tok {};
struct entity_ref : seq<path, must<sym_colons>, must<entity_id>> {};

struct slot_name : tok<seq<one<'?'>, ident_raw>> {};

// ---- Expressions ----------------------------------------------------------------------------

struct expr;
struct list_begin : success {};
struct expr_list : list_tail<expr, sym_comma> {};

struct literal_true : kw_true {};
struct literal_false : kw_false {};
struct literal_number : number_tok {};
struct literal_string : string_tok {};
struct slot_expr : slot_name {};
struct paren_expr : seq<sym_lparen, must<expr>, must<sym_rparen>> {};
struct set_close : sym_rbracket {};
struct set_expr : seq<sym_lbracket, list_begin, opt<expr_list>, must<set_close>> {};
struct record_key_ident : attr_name {};
struct record_key_string : string_tok {};
struct record_key : sor<record_key_string, record_key_ident> {};
struct record_colon : sym_colon {};
struct record_init : seq<record_key, must<record_colon>, must<expr>> {};
struct record_close : sym_rbrace {};
struct record_expr
    : seq<sym_lbrace, list_begin, opt<list_tail<record_init, sym_comma>>, must<record_close>> {};

// After a path: `::"id"` makes an entity UID, `(...)` a function call, nothing a variable.
struct call_close : sym_rparen {};
struct function_call : seq<sym_lparen, list_begin, opt<expr_list>, must<call_close>> {};
struct entity_tail : seq<sym_colons, entity_id> {};
struct name_only : success {};
struct path_expr : seq<path, sor<entity_tail, function_call, name_only>> {};
// `if` may only start an expression (docs/cedar.md), so here it is an error of its own.
struct misplaced_if : seq<at<kw_if>, raise<misplaced_if>> {};

struct primary : sor<literal_true, literal_false, literal_number, literal_string, paren_expr,
                     set_expr, record_expr, slot_expr, misplaced_if, path_expr> {};

struct method_call : seq<sym_lparen, list_begin, opt<expr_list>, must<call_close>> {};
struct field_access : success {};
struct dot_access : seq<sym_dot, must<attr_name>, sor<method_call, field_access>> {};
struct index_key : string_tok {};
struct index_close : sym_rbracket {};
struct index_access : seq<sym_lbracket, must<index_key>, must<index_close>> {};
struct member : seq<primary, star<sor<dot_access, index_access>>> {};

// Up to four `!` or four `-`, not mixed (the reference grammar lists each count). A `-` right
// before a number literal folds into it, so `-9223372036854775808` is i64 min, as in Cedar.
struct bang : tok<one<'!'>> {};
struct minus : tok<one<'-'>> {};
struct bangs : plus<bang> {};
struct minuses : plus<minus> {};
struct negative_literal : seq<number_tok, not_at<sor<one<'.'>, one<'['>>>> {};
struct not_expr : seq<bangs, must<member>> {};
struct neg_expr : seq<minuses, sor<negative_literal, must<member>>> {};
struct unary : sor<not_expr, neg_expr, member> {};

struct mul_tail : seq<tok<one<'*'>>, must<unary>> {};
struct mult : seq<unary, star<mul_tail>> {};
struct add_op : tok<one<'+', '-'>> {};
struct add_tail : seq<add_op, must<mult>> {};
struct add : seq<mult, star<add_tail>> {};

struct rel_op : sor<sym_eq, tok<string<'!', '='>>, tok<string<'<', '='>>, tok<string<'>', '='>>,
                    tok<one<'<'>>, tok<one<'>'>>, kw_in> {};
struct compare_tail : seq<rel_op, must<add>> {};
struct has_string : string_tok {};
struct has_path : seq<path_begin, attr_name, star<sym_dot, must<attr_name>>> {};
struct has_rhs : sor<has_string, has_path> {};
struct has_tail : seq<kw_has, must<has_rhs>> {};
struct like_pattern : string_tok {};
struct like_tail : seq<kw_like, must<like_pattern>> {};
struct is_type : path {};
struct is_in : seq<kw_in, must<add>> {};
struct is_tail : seq<kw_is, must<is_type>, opt<is_in>> {};
struct relation_start : sor<two<'='>, string<'!', '='>, one<'<', '>'>,
                            keyword<TAO_PEGTL_STRING("in")>, keyword<TAO_PEGTL_STRING("has")>,
                            keyword<TAO_PEGTL_STRING("like")>, keyword<TAO_PEGTL_STRING("is")>> {};
struct no_chain : not_at<relation_start> {};
struct relation : seq<add, opt<sor<compare_tail, has_tail, like_tail, is_tail>, must<no_chain>>> {};

struct and_tail : seq<sym_and, must<relation>> {};
struct and_expr : seq<relation, star<and_tail>> {};
struct or_tail : seq<sym_or, must<and_expr>> {};
struct or_expr : seq<and_expr, star<or_tail>> {};
struct if_then : kw_then {};
struct if_else : kw_else {};
struct if_expr : seq<kw_if, must<expr>, must<if_then>, must<expr>, must<if_else>, must<expr>> {};
struct expr : sor<if_expr, or_expr> {};

// ---- Policies -------------------------------------------------------------------------------

struct annotation_key : tok<ident_raw> {};
struct annotation_value : string_tok {};
struct annotation_close : sym_rparen {};
struct annotation : seq<sym_at, must<annotation_key>,
                        opt<sym_lparen, must<annotation_value>, must<annotation_close>>> {};

struct scope_slot : slot_name {};
struct scope_entity : sor<scope_slot, entity_ref> {};
// `principal in [...]`: only the action scope takes a set.
struct scope_set_error : seq<at<one<'['>>, raise<scope_set_error>> {};
struct scope_eq : seq<sym_eq, must<scope_entity>> {};
struct scope_in : seq<kw_in, sor<scope_set_error, must<scope_entity>>> {};
struct scope_is_type : path {};
struct scope_is_in : seq<kw_in, must<scope_entity>> {};
struct scope_is : seq<kw_is, must<scope_is_type>, opt<scope_is_in>> {};
struct scope_op : sor<scope_eq, scope_in, scope_is> {};
struct scope_principal_kw : kw_principal {};
struct scope_resource_kw : kw_resource {};
struct scope_action_kw : kw_action {};
struct scope_principal : seq<scope_principal_kw, opt<scope_op>> {};
struct scope_resource : seq<scope_resource_kw, opt<scope_op>> {};

struct action_entity : entity_ref {};
struct action_set_close : sym_rbracket {};
struct action_set
    : seq<sym_lbracket, opt<list_tail<action_entity, sym_comma>>, must<action_set_close>> {};
struct action_eq : seq<sym_eq, must<action_entity>> {};
struct action_in_one : action_entity {};
struct action_in : seq<kw_in, sor<action_set, must<action_in_one>>> {};
struct action_is_error : seq<at<kw_is>, raise<action_is_error>> {};
struct scope_action : seq<scope_action_kw, opt<sor<action_eq, action_in, action_is_error>>> {};

struct scope_comma : sym_comma {};
struct scope_close : sym_rparen {};
struct scope : seq<must<scope_principal>, must<scope_comma>, must<scope_action>, must<scope_comma>,
                   must<scope_resource>, opt<sym_comma>, must<scope_close>> {};

struct condition_open : sym_lbrace {};
struct condition_close : sym_rbrace {};
struct condition_not_empty : not_at<one<'}'>> {};
struct when_kw : kw_when {};
struct unless_kw : kw_unless {};
struct condition : seq<sor<when_kw, unless_kw>, must<condition_open>, must<condition_not_empty>,
                       must<expr>, must<condition_close>> {};

struct effect : sor<kw_permit, kw_forbid> {};
struct scope_open : sym_lparen {};
struct policy_end : sym_semi {};
struct policy : seq<star<annotation>, must<effect>, must<scope_open>, scope, star<condition>,
                    must<policy_end>> {};

// Entry points (grammar/build.cpp). The caller skips leading whitespace with `sp` first.
struct leading_space : sp {};
struct end_of_uid : eof {};
struct uid_only : seq<sp, must<entity_ref>, must<end_of_uid>> {};

// The whole language, for `analyze<grammar>()` in tests.
struct grammar : seq<sp, star<policy>, eof> {};

}  // namespace vectimus::grammar::rules
