#include "ir/print.hpp"

#include <array>
#include <string_view>

namespace vectimus::ir {

std::string quote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\0': out += "\\0"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

std::string to_cedar(const EntityUid& uid) {
  return uid.type + "::" + quote(uid.id);
}

namespace {

// Binding strength, loosest first; a child printed where a tighter level is required gets
// parentheses.
enum Level : int { kIf, kOr, kAnd, kRelation, kAdd, kMul, kUnary, kMember, kPrimary };

bool is_identifier(std::string_view s) {
  if (s.empty()) return false;
  auto first = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!first(s[0])) return false;
  for (const char c : s) {
    if (!first(c) && !(c >= '0' && c <= '9')) return false;
  }
  static constexpr std::array<std::string_view, 10> kReserved = {
      "true", "false", "if", "then", "else", "in", "like", "has", "is", "__cedar"};
  for (const std::string_view r : kReserved) {
    if (s == r) return false;
  }
  return true;
}

// A name usable after `.`/`has` or as a record key, quoted when it is not an identifier.
std::string name_or_quote(std::string_view s) {
  return is_identifier(s) ? std::string(s) : quote(s);
}

const char* binary_symbol(Op op) {
  switch (op) {
    case Op::and_: return "&&";
    case Op::or_: return "||";
    case Op::eq: return "==";
    case Op::ne: return "!=";
    case Op::lt: return "<";
    case Op::le: return "<=";
    case Op::gt: return ">";
    case Op::ge: return ">=";
    case Op::add: return "+";
    case Op::sub: return "-";
    case Op::mul: return "*";
    case Op::in: return "in";
    default: return nullptr;
  }
}

Level level_of(const Expr& e) {
  switch (e.op) {
    case Op::if_then_else: return kIf;
    case Op::or_: return kOr;
    case Op::and_: return kAnd;
    case Op::eq:
    case Op::ne:
    case Op::lt:
    case Op::le:
    case Op::gt:
    case Op::ge:
    case Op::in:
    case Op::has_attr:
    case Op::like:
    case Op::is_type: return kRelation;
    case Op::add:
    case Op::sub: return kAdd;
    case Op::mul: return kMul;
    case Op::not_:
    case Op::neg: return kUnary;
    case Op::get_attr:
    case Op::is_empty:
    case Op::contains:
    case Op::contains_all:
    case Op::contains_any: return kMember;
    case Op::long_lit: return e.number < 0 ? kUnary : kPrimary;  // `-5` is a unary form
    default: return kPrimary;
  }
}

std::string pattern_literal(const Pattern& pattern) {
  std::string out = "\"";
  for (const PatternElem& elem : pattern) {
    if (elem.wildcard) {
      out += '*';
      continue;
    }
    const std::string quoted = quote(elem.literal);
    for (size_t i = 1; i + 1 < quoted.size(); ++i) {
      if (quoted[i] == '*') out += '\\';
      out += quoted[i];
    }
  }
  return out + '"';
}

void print_expr(const Expr& e, Level min, std::string& out);

void print_list(const std::vector<Expr>& items, std::string& out) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    print_expr(items[i], kIf, out);
  }
}

void print_bare(const Expr& e, std::string& out) {
  const auto child = [&](size_t i, Level min) { print_expr(e.children[i], min, out); };
  switch (e.op) {
    case Op::bool_lit: out += e.boolean ? "true" : "false"; return;
    case Op::long_lit: out += std::to_string(e.number); return;
    case Op::string_lit: out += quote(e.text); return;
    case Op::entity_lit: out += to_cedar(e.uid); return;
    case Op::var: {
      static constexpr const char* kNames[] = {"principal", "action", "resource", "context"};
      out += kNames[static_cast<int>(e.var)];
      return;
    }
    case Op::not_:
    case Op::neg: {
      out += e.op == Op::not_ ? "!" : "-";
      const Expr& c = e.children[0];
      // `-5` would fold into one literal, and chains of more than 4 are rejected.
      const bool wrap = c.op == Op::long_lit || level_of(c) < kMember;
      if (wrap) out += '(';
      print_expr(c, kIf, out);
      if (wrap) out += ')';
      return;
    }
    case Op::is_empty:
      child(0, kMember);
      out += ".isEmpty()";
      return;
    case Op::get_attr:
      child(0, kMember);
      if (is_identifier(e.text)) {
        out += '.' + e.text;
      } else {
        out += '[' + quote(e.text) + ']';
      }
      return;
    case Op::has_attr:
      child(0, kAdd);
      out += " has " + name_or_quote(e.text);
      return;
    case Op::like:
      child(0, kAdd);
      out += " like " + pattern_literal(e.pattern);
      return;
    case Op::is_type:
      child(0, kAdd);
      out += " is " + e.text;
      return;
    case Op::contains:
    case Op::contains_all:
    case Op::contains_any:
      child(0, kMember);
      out += e.op == Op::contains       ? ".contains("
             : e.op == Op::contains_all ? ".containsAll("
                                        : ".containsAny(";
      child(1, kIf);
      out += ')';
      return;
    case Op::if_then_else:
      out += "if ";
      child(0, kIf);
      out += " then ";
      child(1, kIf);
      out += " else ";
      child(2, kIf);
      return;
    case Op::set:
      out += '[';
      print_list(e.children, out);
      out += ']';
      return;
    case Op::record:
      out += '{';
      for (size_t i = 0; i < e.children.size(); ++i) {
        if (i > 0) out += ", ";
        out += name_or_quote(e.keys[i]) + ": ";
        child(i, kIf);
      }
      out += '}';
      return;
    default: {
      // Left-associative binary operators; relations do not chain at all.
      const Level level = level_of(e);
      const bool relation = level == kRelation;
      child(0, relation ? kAdd : level);
      out += ' ';
      out += binary_symbol(e.op);
      out += ' ';
      child(1, static_cast<Level>(relation ? kAdd : level + 1));
      return;
    }
  }
}

void print_expr(const Expr& e, Level min, std::string& out) {
  const bool wrap = level_of(e) < min;
  if (wrap) out += '(';
  print_bare(e, out);
  if (wrap) out += ')';
}

void print_scope(const char* var, const ScopeConstraint& c, bool compact, std::string& out) {
  using Kind = ScopeConstraint::Kind;
  out += var;
  const char* eq = compact ? "==" : " == ";
  switch (c.kind) {
    case Kind::any: return;
    case Kind::eq: out += eq + to_cedar(c.entities[0]); return;
    case Kind::in: out += " in " + to_cedar(c.entities[0]); return;
    case Kind::in_set:
      out += " in [";
      for (size_t i = 0; i < c.entities.size(); ++i) {
        if (i > 0) out += compact ? "," : ", ";
        out += to_cedar(c.entities[i]);
      }
      out += ']';
      return;
    case Kind::is: out += " is " + c.entity_type; return;
    case Kind::is_in: out += " is " + c.entity_type + " in " + to_cedar(c.entities[0]); return;
  }
}

void dump_to(const Expr& e, std::string& out) {
  const auto call = [&](const char* name, std::string_view extra = {}) {
    out += name;
    out += '(';
    for (size_t i = 0; i < e.children.size(); ++i) {
      if (i > 0) out += ',';
      if (e.op == Op::record) out += quote(e.keys[i]) + ':';
      dump_to(e.children[i], out);
    }
    out += extra;
    out += ')';
  };
  switch (e.op) {
    case Op::bool_lit: out += e.boolean ? "true" : "false"; return;
    case Op::long_lit: out += std::to_string(e.number); return;
    case Op::string_lit: out += quote(e.text); return;
    case Op::entity_lit: out += to_cedar(e.uid); return;
    case Op::var: {
      static constexpr const char* kNames[] = {"var(principal)", "var(action)", "var(resource)",
                                               "var(context)"};
      out += kNames[static_cast<int>(e.var)];
      return;
    }
    case Op::not_: call("!"); return;
    case Op::neg: call("neg"); return;
    case Op::is_empty: call("isEmpty"); return;
    case Op::get_attr: call(".", "," + quote(e.text)); return;
    case Op::has_attr: call("has", "," + quote(e.text)); return;
    case Op::is_type: call("is", "," + e.text); return;
    case Op::like: {
      std::string pattern = ",[";
      for (size_t i = 0; i < e.pattern.size(); ++i) {
        if (i > 0) pattern += ',';
        pattern += e.pattern[i].wildcard ? std::string("*") : quote(e.pattern[i].literal);
      }
      call("like", pattern + "]");
      return;
    }
    case Op::and_: call("and"); return;
    case Op::or_: call("or"); return;
    case Op::contains: call("contains"); return;
    case Op::contains_all: call("containsAll"); return;
    case Op::contains_any: call("containsAny"); return;
    case Op::if_then_else: call("if"); return;
    case Op::set: call("set"); return;
    case Op::record: call("rec"); return;
    default: call(binary_symbol(e.op)); return;
  }
}

}  // namespace

std::string print(const Expr& expr) {
  std::string out;
  print_expr(expr, kIf, out);
  return out;
}

std::string print(const Policy& policy) {
  std::string out;
  for (const Annotation& a : policy.annotations) out += '@' + a.key + '(' + quote(a.value) + ")\n";
  out += policy.effect == Effect::permit ? "permit (" : "forbid (";
  print_scope("principal", policy.scope.principal, false, out);
  out += ", ";
  print_scope("action", policy.scope.action, false, out);
  out += ", ";
  print_scope("resource", policy.scope.resource, false, out);
  out += ')';
  for (const Condition& c : policy.conditions) {
    out += c.is_when ? "\nwhen { " : "\nunless { ";
    print_expr(c.body, kIf, out);
    out += " }";
  }
  out += ";\n";
  return out;
}

std::string print(const PolicySet& set) {
  std::string out;
  for (size_t i = 0; i < set.policies.size(); ++i) {
    if (i > 0) out += '\n';
    out += print(set.policies[i]);
  }
  return out;
}

std::string dump(const Expr& expr) {
  std::string out;
  dump_to(expr, out);
  return out;
}

std::string dump(const Policy& policy) {
  std::string out;
  for (const Annotation& a : policy.annotations) out += '@' + a.key + '(' + quote(a.value) + ") ";
  out += policy.effect == Effect::permit ? "permit(" : "forbid(";
  print_scope("principal", policy.scope.principal, true, out);
  out += ',';
  print_scope("action", policy.scope.action, true, out);
  out += ',';
  print_scope("resource", policy.scope.resource, true, out);
  out += ')';
  for (const Condition& c : policy.conditions) {
    out += c.is_when ? " when{" : " unless{";
    dump_to(c.body, out);
    out += '}';
  }
  return out;
}

}  // namespace vectimus::ir
