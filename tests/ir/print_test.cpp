// Exact printer and dump output, including IR shapes the parser never builds directly (the
// printer must still produce text that parses back to them).
#include <catch2/catch.hpp>

#include "grammar/parse.hpp"
#include "ir/print.hpp"

namespace vectimus::test {
namespace {

using ir::Expr;
using ir::Op;

Expr lit(int64_t n) {
  Expr e;
  e.op = Op::long_lit;
  e.number = n;
  return e;
}
Expr boolean(bool b) {
  Expr e;
  e.op = Op::bool_lit;
  e.boolean = b;
  return e;
}
Expr node(Op op, std::vector<Expr> children, std::string text = {}) {
  Expr e;
  e.op = op;
  e.children = std::move(children);
  e.text = std::move(text);
  return e;
}
Expr context() {
  Expr e;
  e.op = Op::var;
  e.var = ir::Var::context;
  return e;
}

// print(e), and a check that it parses back to the same dump.
std::string printed(const Expr& e) {
  const std::string text = ir::print(e);
  auto r = grammar::parse_policies(
      make_source("p.cedar", "permit(principal, action, resource) when { " + text + " };"));
  REQUIRE(r.ok());
  CHECK(ir::dump(r->policies.at(0).conditions.at(0).body) == ir::dump(e));
  return text;
}

TEST_CASE("printer: parentheses exactly where the tree needs them", "[ir][print]") {
  CHECK(printed(node(Op::neg, {lit(5)})) == "-(5)");
  CHECK(printed(lit(-5)) == "-5");
  CHECK(printed(node(Op::neg, {lit(-5)})) == "-(-5)");
  CHECK(printed(lit(INT64_MIN)) == "-9223372036854775808");
  CHECK(printed(node(Op::is_empty, {lit(-5)})) == "(-5).isEmpty()");
  CHECK(printed(node(Op::neg, {node(Op::is_empty, {lit(5)})})) == "-5.isEmpty()");
  Expr five_nots = boolean(true);
  for (int i = 0; i < 5; ++i) five_nots = node(Op::not_, {five_nots});
  CHECK(printed(five_nots) == "!(!(!(!(!true))))");
  CHECK(printed(node(Op::or_, {boolean(true), node(Op::or_, {boolean(false), boolean(true)})})) ==
        "true || (false || true)");
  CHECK(printed(node(Op::and_, {node(Op::or_, {boolean(true), boolean(false)}), boolean(true)})) ==
        "(true || false) && true");
  CHECK(printed(node(Op::eq, {node(Op::eq, {lit(1), lit(1)}), boolean(true)})) ==
        "(1 == 1) == true");
  CHECK(printed(node(Op::sub, {lit(1), node(Op::sub, {lit(2), lit(3)})})) == "1 - (2 - 3)");
  CHECK(printed(node(Op::sub, {lit(1), lit(-3)})) == "1 - -3");
  CHECK(printed(node(Op::mul, {node(Op::add, {lit(1), lit(2)}), lit(-3)})) == "(1 + 2) * -3");
  CHECK(printed(node(Op::add, {lit(1), node(Op::if_then_else, {boolean(true), lit(1), lit(2)})})) ==
        "1 + (if true then 1 else 2)");
  CHECK(printed(node(Op::get_attr, {context()}, "if")) == "context[\"if\"]");
  CHECK(printed(node(Op::get_attr, {context()}, "a b")) == "context[\"a b\"]");
  CHECK(printed(node(Op::has_attr, {context()}, "then")) == "context has \"then\"");
  CHECK(printed(node(Op::has_attr, {node(Op::get_attr, {context()}, "a")}, "b")) ==
        "context.a has b");
  CHECK(printed(node(Op::get_attr, {node(Op::add, {lit(1), lit(2)})}, "a")) == "(1 + 2).a");
  CHECK(printed(node(Op::is_type, {node(Op::is_type, {context()}, "A")}, "B::C")) ==
        "(context is A) is B::C");
  Expr like = node(Op::like, {context()});
  like.pattern = {{true, {}}, {false, "a*b\\"}, {true, {}}, {true, {}}};
  CHECK(printed(like) == "context like \"*a\\*b\\\\**\"");
  Expr rec = node(Op::record, {lit(1), lit(2), lit(3)});
  rec.keys = {"a", "if", "x y"};
  CHECK(printed(rec) == "{a: 1, \"if\": 2, \"x y\": 3}");
}

TEST_CASE("dump notation", "[ir][dump]") {
  auto r = grammar::parse_policies(make_source(
      "d.cedar",
      "@id(\"x\")\nforbid(principal is U in G::\"g\", action in [Action::\"a\"], resource)\n"
      "when { context.command like \"*rm -rf*\" && true }\n"
      "unless { if principal has n then [1, \"s\"] else {k: context[\"k\"]} };"));
  REQUIRE(r.ok());
  CHECK(ir::dump(r->policies.at(0)) ==
        "@id(\"x\") forbid(principal is U in G::\"g\",action in [Action::\"a\"],resource) "
        "when{and(like(.(var(context),\"command\"),[*,\"rm -rf\",*]),true)} "
        "unless{if(has(var(principal),\"n\"),set(1,\"s\"),rec(\"k\":.(var(context),\"k\")))}");
  CHECK(ir::print(r->policies.at(0)) ==
        "@id(\"x\")\n"
        "forbid (principal is U in G::\"g\", action in [Action::\"a\"], resource)\n"
        "when { context.command like \"*rm -rf*\" && true }\n"
        "unless { if principal has n then [1, \"s\"] else {k: context.k} };\n");
}

}  // namespace
}  // namespace vectimus::test
