// Whole policies: annotations, effects, every scope form, conditions, ids and spans.
#include <catch2/catch.hpp>

#include "tests/grammar/helpers.hpp"

namespace vectimus::test {
namespace {

struct Row {
  const char* text;
  const char* dump;
};

constexpr Row kPolicies[] = {
    {"permit(principal, action, resource);", "permit(principal,action,resource)"},
    {"forbid (principal,action,resource,) ;", "forbid(principal,action,resource)"},
    {"@id(\"a\") @ID @if(\"x\") @permit @__cedar permit(principal, action, resource);",
     "@id(\"a\") @ID(\"\") @if(\"x\") @permit(\"\") @__cedar(\"\") "
     "permit(principal,action,resource)"},
    {"permit(principal == User::\"a\", action == Action::\"x\", resource == R::\"r\");",
     "permit(principal==User::\"a\",action==Action::\"x\",resource==R::\"r\")"},
    {"permit(principal in G::\"g\", action in A::Action::\"x\", resource in F::\"f\");",
     "permit(principal in G::\"g\",action in A::Action::\"x\",resource in F::\"f\")"},
    {"permit(principal, action in [Action::\"a\", B::Action::\"b\",], resource);",
     "permit(principal,action in [Action::\"a\",B::Action::\"b\"],resource)"},
    {"permit(principal, action in [], resource);", "permit(principal,action in [],resource)"},
    {"permit(principal is User, action, resource is A::File in Folder::\"f\");",
     "permit(principal is User,action,resource is A::File in Folder::\"f\")"},
    {"permit(principal is principal, action, resource);",
     "permit(principal is principal,action,resource)"},
    {"forbid(principal, action, resource) when { true } unless { false } when { 1 == 1 };",
     "forbid(principal,action,resource) when{true} unless{false} when{==(1,1)}"},
    {"// header\npermit(principal, action, resource); // trailing",
     "permit(principal,action,resource)"},
    {"permit(principal, action, resource);\nforbid(principal, action, resource);",
     "permit(principal,action,resource) ;; forbid(principal,action,resource)"},
    {"", ""},
    {"  // only a comment\n", ""},
};

TEST_CASE("policies: annotations, effects and scopes", "[grammar][accept]") {
  for (const Row& row : kPolicies) {
    INFO(row.text);
    CHECK(parse_dump(row.text) == row.dump);
  }
}

TEST_CASE("positional ids follow text order from first_index", "[grammar]") {
  auto r = grammar::parse_policies(src("@id(\"x\") permit(principal, action, resource);\n"
                                       "forbid(principal, action, resource);\n"),
                                   7);
  REQUIRE(r.ok());
  REQUIRE(r->policies.size() == 2);
  CHECK(r->policies[0].positional_id == "policy7");
  CHECK(r->policies[0].id() == "x");
  CHECK(r->policies[1].positional_id == "policy8");
  CHECK(r->policies[1].id() == "policy8");
  CHECK(r->policies[1].source->name == "test.cedar");
}

TEST_CASE("spans cover the text of each node", "[grammar]") {
  const std::string text =
      "@id(\"p\")\nforbid(principal, action == Action::\"run\", resource)\n"
      "when { context.command like \"*rm*\" && context.x.contains(-1) };";
  auto r = grammar::parse_policies(src(text));
  REQUIRE(r.ok());
  const ir::Policy& p = r->policies.at(0);
  const auto cut = [&](Span s) { return text.substr(s.begin, s.end - s.begin); };
  CHECK(cut(p.span) == text);
  CHECK(cut(p.annotations.at(0).span) == "@id(\"p\")");
  CHECK(cut(p.scope.action.span) == "action == Action::\"run\"");
  CHECK(cut(p.scope.principal.span) == "principal");
  const ir::Condition& c = p.conditions.at(0);
  CHECK(cut(c.span) == "when { context.command like \"*rm*\" && context.x.contains(-1) }");
  CHECK(cut(c.body.span) == "context.command like \"*rm*\" && context.x.contains(-1)");
  CHECK(cut(c.body.children.at(0).span) == "context.command like \"*rm*\"");
  CHECK(cut(c.body.children.at(0).children.at(0).span) == "context.command");
  CHECK(cut(c.body.children.at(1).span) == "context.x.contains(-1)");
  CHECK(cut(c.body.children.at(1).children.at(1).span) == "1");
}

TEST_CASE("entity uid entry point", "[grammar]") {
  auto ok = grammar::parse_entity_uid(src("  Vectimus::User :: \"al\\u{69}ce\" "));
  REQUIRE(ok.ok());
  CHECK(ok->type == "Vectimus::User");
  CHECK(ok->id == "alice");
  auto bad = grammar::parse_entity_uid(src("User::\"a\" x"));
  REQUIRE_FALSE(bad.ok());
  CHECK(brief(bad.errors()) == "syntax@1:11 unexpected input after the entity uid, found `x`");
  auto none = grammar::parse_entity_uid(src("User"));
  REQUIRE_FALSE(none.ok());
  CHECK(brief(none.errors()) ==
        "syntax@1:5 expected `::` followed by an entity id in quotes, found end of input");
}

}  // namespace
}  // namespace vectimus::test
