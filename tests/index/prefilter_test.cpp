// Prefilter dump tables: policy text -> the tree compute_prefilter() gives (re2 parse_test style).
#include <catch2/catch.hpp>

#include "index/prefilter.hpp"
#include "tests/index/index_text.hpp"

namespace vectimus::index {
namespace {

struct Case {
  const char* policy;
  const char* dump;
};

// Every case is a `forbid(principal, action, resource)` whose conditions follow; scope cases
// spell out their own policy.
const Case kConditions[] = {
    {"", "all"},
    {"when { true }", "all"},
    {"when { false }", "none"},
    {"unless { true }", "none"},
    {"unless { false }", "all"},
    {"when { false } when { context.nope }", "none"},
    // like: literal runs, anchored first/last runs, short runs dropped.
    {R"(when { context.command like "*rm -rf /*" })", R"(sub(context.command,"rm -rf /"))"},
    {R"(when { context.command like "*rm -rf /" })", R"(suf(context.command,"rm -rf /"))"},
    {R"(when { context.command like "sudo *" })", R"(pre(context.command,"sudo "))"},
    {R"(when { context.command like "git push*--force*" })",
     R"(and{pre(context.command,"git push"),sub(context.command,"--force")})"},
    {R"(when { context.command like "*a*b*c*d*e*f*" })", "all"},
    {R"(when { context.command like "*ab*xyz*" })", R"(sub(context.command,"xyz"))"},
    {R"(when { context.command like "ls" })", R"(eq(context.command,"ls"))"},
    {R"(when { context.command like "" })", R"(eq(context.command,""))"},
    {R"(when { context.command like "*" })", "all"},
    {R"(when { context.command like "**" })", "all"},
    // `\*` is a literal star inside a run; `\\*` is a backslash then a wildcard.
    {R"(when { context.command like "*rm -rf /\**" })", R"(sub(context.command,"rm -rf /*"))"},
    {R"(when { context.p like "%TEMP%\\*" })", R"(pre(context.p,"%TEMP%\\"))"},
    {R"(when { context.p like "*%TEMP%\\*" })", R"(sub(context.p,"%TEMP%\\"))"},
    {R"(when { context.p like "*%TEMP%\\*x" })", R"(sub(context.p,"%TEMP%\\"))"},
    {R"(when { context.command like "*:(){*:|:*&*};:*" })",
     R"(and{sub(context.command,":(){"),sub(context.command,":|:"),sub(context.command,"};:")})"},
    // Non-ASCII bytes are kept exact (dumped as \x escapes).
    {R"(when { context.text like "*caf\u{e9}*" })", R"(sub(context.text,"caf\xc3\xa9"))"},
    // Paths: nested records, entity attributes, quoted keys; bare variables and other
    // expressions give nothing.
    {R"(when { context.a.b like "*xyz*" })", R"(sub(context.a.b,"xyz"))"},
    {R"(when { principal.name like "*bob*" })", R"(sub(principal.name,"bob"))"},
    {R"(when { context["odd key"] like "*xyz*" })", R"(sub(context["odd key"],"xyz"))"},
    {R"(when { (if true then context.a else context.b) like "*xyz*" })", "all"},
    // Equality.
    {R"(when { context.tool == "Bash" })", R"(eq(context.tool,"Bash"))"},
    {R"(when { "Bash" == context.tool })", R"(eq(context.tool,"Bash"))"},
    {R"(when { context.n == 1 })", "all"},
    {R"(when { context.a == context.b })", "all"},
    {R"(when { context.tool != "Bash" })", "all"},
    {R"(unless { context.tool != "Bash" })", R"(eq(context.tool,"Bash"))"},
    {R"(when { ["ls", "cat"].contains(context.cmd) })",
     R"(or{eq(context.cmd,"ls"),eq(context.cmd,"cat")})"},
    {R"(when { ["ls", 1].contains(context.cmd) })", "all"},
    // Set elements: `contains` / `containsAll` / `containsAny` on a set attribute, with string
    // literals only. Any length is kept (flags are often one letter).
    {R"(when { context.args.contains("push") })", R"(elem(context.args,"push"))"},
    {R"(when { context.flags.contains("f") })", R"(elem(context.flags,"f"))"},
    {R"(when { principal.groups.contains("ops") })", R"(elem(principal.groups,"ops"))"},
    {R"(when { context.a.b.contains("x") })", R"(elem(context.a.b,"x"))"},
    {R"(when { context.args.contains(1) })", "all"},
    {R"(when { context.args.contains(context.x) })", "all"},
    {R"(when { context.contains("x") })", "all"},
    {R"(when { (if true then context.a else context.b).contains("x") })", "all"},
    {R"(when { context.flags.containsAny(["f", "force"]) })",
     R"(or{elem(context.flags,"f"),elem(context.flags,"force")})"},
    {R"(when { context.flags.containsAny(["f"]) })", R"(elem(context.flags,"f"))"},
    {R"(when { context.flags.containsAny(["f", "f"]) })", R"(elem(context.flags,"f"))"},
    {R"(when { ["f", "force"].containsAny(context.flags) })",
     R"(or{elem(context.flags,"f"),elem(context.flags,"force")})"},
    {R"(when { context.flags.containsAny([]) })", "none"},
    {R"(when { context.flags.containsAny(["f", 1]) })", "all"},
    {R"(when { context.flags.containsAny(["f", context.x]) })", "all"},
    {R"(when { context.flags.containsAny(context.x) })", "all"},
    {R"(when { context.args.containsAll(["push", "main"]) })",
     R"(and{elem(context.args,"push"),elem(context.args,"main")})"},
    {R"(when { context.args.containsAll([]) })", "all"},
    {R"(when { context.args.containsAll(["push", true]) })", "all"},
    // `[..].containsAll(p)` says p has no element outside the literals, not that it has any.
    {R"(when { ["push", "origin"].containsAll(context.args) })", "all"},
    // What a set lacks gives nothing: every negated form is ALL.
    {R"(when { !context.args.contains("push") })", "all"},
    {R"(unless { context.args.contains("push") })", "all"},
    {R"(unless { context.flags.containsAny(["f", "force"]) })", "all"},
    {R"(unless { context.args.containsAll(["push", "main"]) })", "all"},
    {R"(when { !context.flags.containsAny([]) })", "all"},
    {R"(unless { !context.args.contains("push") })", R"(elem(context.args,"push"))"},
    {R"(when { context.args.contains("push") && context.flags.containsAny(["f", "force"]) })",
     R"(and{elem(context.args,"push"),or{elem(context.flags,"f"),elem(context.flags,"force")}})"},
    {R"(when { context.args.contains("push") || context.command like "*push*" })",
     R"(or{elem(context.args,"push"),sub(context.command,"push")})"},
    // Boolean structure.
    {R"(when { context.c like "*abc*" && context.d like "*def*" })",
     R"(and{sub(context.c,"abc"),sub(context.d,"def")})"},
    {R"(when { context.c like "*abc*" || context.d like "*def*" })",
     R"(or{sub(context.c,"abc"),sub(context.d,"def")})"},
    {R"(when { context.c like "*abc*" || context has d })", "all"},
    {R"(when { context has c && context.c like "*abc*" })", R"(sub(context.c,"abc"))"},
    {R"(when { context.c like "*abc*" } when { context.c like "*abc*" })",
     R"(sub(context.c,"abc"))"},
    {R"(when { !(context.c like "*abc*") })", "all"},
    {R"(unless { context.c like "*abc*" })", "all"},
    {R"(when { !!(context.c like "*abc*") })", R"(sub(context.c,"abc"))"},
    {R"(unless { !(context.c like "*abc*") || false })", R"(sub(context.c,"abc"))"},
    {R"(unless { context.c like "*abc*" && context.d like "*def*" })", "all"},
    {R"(unless { !(context.c like "*abc*") && false })", "all"},
    {R"(unless { !(context.c like "*abc*" && context.d like "*def*") })",
     R"(and{sub(context.c,"abc"),sub(context.d,"def")})"},
    {R"(when { if context.c like "*abc*" then context.d like "*def*" else false })",
     R"(and{sub(context.c,"abc"),sub(context.d,"def")})"},
    {R"(when { if context.c like "*abc*" then true else context.d like "*def*" })",
     R"(or{sub(context.c,"abc"),sub(context.d,"def")})"},
    {R"(when { if context.f then context.c like "*abc*" else context.d like "*def*" })",
     R"(or{sub(context.c,"abc"),sub(context.d,"def")})"},
    {R"(when { context.c like "*abc*" || (context.c like "*abc*" && context.d like "*def*") })",
     R"(or{sub(context.c,"abc"),and{sub(context.c,"abc"),sub(context.d,"def")}})"},
};

const Case kScopes[] = {
    {R"(permit(principal, action, resource);)", "all"},
    {R"(forbid(principal, action == Vectimus::Action::"shell_command", resource);)",
     R"(action==Vectimus::Action::"shell_command")"},
    {R"(forbid(principal, action in Vectimus::Action::"write", resource);)",
     R"(action in Vectimus::Action::"write")"},
    {R"(forbid(principal, action in [Action::"a", Action::"b"], resource);)",
     R"(or{action in Action::"a",action in Action::"b"})"},
    {R"(forbid(principal, action in [], resource);)", "none"},
    {R"(forbid(principal == User::"u", action, resource is Tool in Folder::"f");)",
     R"(and{principal==User::"u",resource is Tool,resource in Folder::"f"})"},
    {R"(forbid(principal is User, action, resource == Tool::"Bash")
        when { context.command like "*rm -rf*" };)",
     R"(and{principal is User,resource==Tool::"Bash",sub(context.command,"rm -rf")})"},
};

TEST_CASE("prefilter of conditions", "[index][prefilter]") {
  for (const Case& c : kConditions) {
    const std::string text = std::string("forbid(principal, action, resource) ") + c.policy + ";";
    INFO(text);
    const ir::PolicySet set = test::parse_set(text);
    REQUIRE(set.policies.size() == 1);
    CHECK(dump(compute_prefilter(set.policies[0])) == c.dump);
  }
}

TEST_CASE("prefilter of scopes", "[index][prefilter]") {
  for (const Case& c : kScopes) {
    INFO(c.policy);
    const ir::PolicySet set = test::parse_set(c.policy);
    REQUIRE(set.policies.size() == 1);
    CHECK(dump(compute_prefilter(set.policies[0])) == c.dump);
  }
}

TEST_CASE("minimum atom length is an option", "[index][prefilter]") {
  const ir::PolicySet set =
      test::parse_set(R"(forbid(principal, action, resource) when { context.c like "*ab*c*" };)");
  PrefilterOptions one;
  one.min_atom_length = 1;
  CHECK(dump(compute_prefilter(set.policies[0], one)) ==
        R"(and{sub(context.c,"ab"),sub(context.c,"c")})");
  CHECK(dump(compute_prefilter(set.policies[0])) == "all");
}

TEST_CASE("node budget turns the rest into ALL", "[index][prefilter]") {
  // Nested conditionals double the work per level; the budget keeps it bounded and sound.
  std::string cond = R"(context.c like "*abc*")";
  for (int i = 0; i < 12; ++i) cond = "if (" + cond + ") then (" + cond + ") else false";
  const ir::PolicySet set =
      test::parse_set("forbid(principal, action, resource) when { " + cond + " };");
  PrefilterOptions small;
  small.node_budget = 64;
  const Prefilter p = compute_prefilter(set.policies[0], small);
  CHECK(dump(p).size() < 4000);
  CHECK(dump(compute_prefilter(set.policies[0])) != "none");
}

TEST_CASE("simplification", "[index][prefilter]") {
  Atom a;
  a.bytes = "abc";
  Atom b;
  b.bytes = "def";
  const Prefilter pa = Prefilter::of(a);
  const Prefilter pb = Prefilter::of(b);
  CHECK(dump(Prefilter::make_and({})) == "all");
  CHECK(dump(Prefilter::make_or({})) == "none");
  CHECK(dump(Prefilter::make_and({pa, Prefilter::all()})) == R"(sub(context,"abc"))");
  CHECK(dump(Prefilter::make_and({pa, Prefilter::none()})) == "none");
  CHECK(dump(Prefilter::make_or({pa, Prefilter::all()})) == "all");
  CHECK(dump(Prefilter::make_or({pa, Prefilter::none(), pa})) == R"(sub(context,"abc"))");
  CHECK(dump(Prefilter::make_and({pa, Prefilter::make_and({pb, pa})})) ==
        R"(and{sub(context,"abc"),sub(context,"def")})");
}

}  // namespace
}  // namespace vectimus::index
