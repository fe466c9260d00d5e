// The error-message table: for each rule that may fail under `must<>` (or be `raise<>`d), the
// message shown to the user and an optional help line. Private to grammar/*.cpp.
//
// The control (grammar/build.cpp) looks a failing rule up here; a rule without an entry falls
// back to "unexpected `token`". When `found` is true the message is followed by the token that
// was found instead (", found `when`"), computed only when the error is raised.
#pragma once

#include "grammar/rules.hpp"

namespace vectimus::grammar {

struct ErrorText {
  const char* message = nullptr;
  const char* help = nullptr;
  bool found = true;
};

template <class Rule>
inline constexpr ErrorText kErrorText{};

#define VECTIMUS_ERROR(rule, ...)                      \
  template <>                                          \
  inline constexpr ErrorText kErrorText<rules::rule> { \
    __VA_ARGS__                                        \
  }

// Tokens and literals.
VECTIMUS_ERROR(string_close, "unterminated string literal", "add the closing `\"`", false);
VECTIMUS_ERROR(sym_colons, "expected `::` followed by an entity id in quotes",
               "an entity uid is written `Type::\"id\"`, e.g. `User::\"alice\"`");
VECTIMUS_ERROR(entity_id, "expected the entity id as a string literal",
               "an entity uid is written `Type::\"id\"`, e.g. `User::\"alice\"`");
VECTIMUS_ERROR(entity_ref, "expected an entity uid", "an entity uid is written `Type::\"id\"`");
VECTIMUS_ERROR(end_of_uid, "unexpected input after the entity uid");

// Expressions.
VECTIMUS_ERROR(expr, "expected an expression");
VECTIMUS_ERROR(member, "expected an expression after the unary operator");
VECTIMUS_ERROR(unary, "expected an expression after `*`");
VECTIMUS_ERROR(mult, "expected an expression after the operator");
VECTIMUS_ERROR(add, "expected an expression after the operator");
VECTIMUS_ERROR(relation, "expected an expression after `&&`");
VECTIMUS_ERROR(and_expr, "expected an expression after `||`");
VECTIMUS_ERROR(sym_rparen, "expected `)`");
VECTIMUS_ERROR(set_close, "expected `,` or `]` in the set literal");
VECTIMUS_ERROR(record_colon, "expected `:` after the record key");
VECTIMUS_ERROR(record_close, "expected `,` or `}` in the record literal");
VECTIMUS_ERROR(call_close, "expected `,` or `)` in the argument list");
VECTIMUS_ERROR(attr_name, "expected an attribute name after `.`",
               "use `[\"...\"]` for attribute names that are not identifiers");
VECTIMUS_ERROR(index_key, "expected a string literal inside `[ ]`",
               "attribute access with `[ ]` takes a string literal, e.g. `context[\"key\"]`");
VECTIMUS_ERROR(index_close, "expected `]` after the attribute name");
VECTIMUS_ERROR(has_rhs, "expected an attribute name or a string literal after `has`");
VECTIMUS_ERROR(like_pattern, "expected a string literal after `like`",
               "a `like` pattern must be a string literal, e.g. `context.command like \"*rm *\"`");
VECTIMUS_ERROR(is_type, "expected an entity type after `is`");
VECTIMUS_ERROR(no_chain, "relational operators cannot be chained",
               "add parentheses to make the order explicit, e.g. `(a == b) == c`", false);
VECTIMUS_ERROR(if_then, "expected `then` after the `if` condition");
VECTIMUS_ERROR(if_else, "expected `else` after the `then` branch");
VECTIMUS_ERROR(misplaced_if, "an `if` expression must be in parentheses here",
               "write `(if c then a else b)`; only a whole condition may start with `if`", false);

// Policies.
VECTIMUS_ERROR(annotation_key, "expected an annotation name after `@`");
VECTIMUS_ERROR(annotation_value, "expected a string literal as the annotation value");
VECTIMUS_ERROR(annotation_close, "expected `)` after the annotation value");
VECTIMUS_ERROR(effect, "expected `permit` or `forbid`");
VECTIMUS_ERROR(scope_open, "expected `(` after the effect");
VECTIMUS_ERROR(scope_principal, "expected `principal` as the first scope element",
               "a policy scope lists `principal`, `action` and `resource`, in that order");
VECTIMUS_ERROR(scope_action, "expected `action` as the second scope element",
               "a policy scope lists `principal`, `action` and `resource`, in that order");
VECTIMUS_ERROR(scope_resource, "expected `resource` as the third scope element",
               "a policy scope lists `principal`, `action` and `resource`, in that order");
VECTIMUS_ERROR(scope_comma, "expected `,` between scope elements");
VECTIMUS_ERROR(scope_close, "expected `)` at the end of the scope");
VECTIMUS_ERROR(scope_entity, "expected an entity uid", "an entity uid is written `Type::\"id\"`");
VECTIMUS_ERROR(action_entity, "expected an action entity uid",
               "the action scope requires an entity of type `Action`, e.g. `Action::\"read\"`");
VECTIMUS_ERROR(action_in_one, "expected an action entity uid or a list of them in `[ ]`",
               "the action scope requires an entity of type `Action`, e.g. `Action::\"read\"`");
VECTIMUS_ERROR(action_set_close, "expected `,` or `]` in the list of actions");
VECTIMUS_ERROR(scope_is_type, "expected an entity type after `is`");
VECTIMUS_ERROR(scope_set_error, "only the action scope can be `in` a list of entities",
               "use a single entity, e.g. `principal in Group::\"admins\"`, or move the test "
               "into a `when` clause",
               false);
VECTIMUS_ERROR(action_is_error, "`is` cannot appear in the action scope",
               "move `action is ...` into a `when` clause", false);
VECTIMUS_ERROR(condition_open, "expected `{` after `when` or `unless`");
VECTIMUS_ERROR(condition_not_empty, "a `when` or `unless` clause cannot be empty",
               "write a condition, e.g. `when { true }`, or remove the clause", false);
VECTIMUS_ERROR(condition_close, "expected an operator or `}` after the condition");
VECTIMUS_ERROR(policy_end, "expected `when`, `unless` or `;` after the policy scope",
               "each policy ends with `;`");

#undef VECTIMUS_ERROR

}  // namespace vectimus::grammar
