// See expand.hpp. Brace expansion runs on an explicit work list, not by recursion, so a word of
// many nested braces cannot exhaust the stack; its output is capped by Options::max_fields.
#include "normalise/shell/expand.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace vectimus::shell {

using syntax::Part;
using syntax::Word;

namespace {
enum Tag : uint8_t { kLiteral, kQuoted, kSplit };  // brace-expandable / inert / field-split
}

struct Expander::Text {
  std::string chars;
  std::vector<uint8_t> tags;
  bool has_inert = false;  // a quoted part (even "") or literal: the word yields at least one field
  void add(std::string_view s, uint8_t tag) {
    chars.append(s);
    tags.insert(tags.end(), s.size(), tag);
    if (tag != kSplit) has_inert = true;
  }
};

std::optional<std::string> Expander::lookup(std::string_view name) const {
  if (auto it = scope_.vars.find(name); it != scope_.vars.end()) return it->second;
  if (name == "HOME") return options_.home;
  if (name == "IFS") return std::string(" \t\n");
  return std::nullopt;
}

std::optional<std::string> Expander::param(const Part& part, Field& facts) {
  // Operands are expanded even when unused: a substitution inside still has to be recorded.
  std::vector<Field> operands;
  for (const Word& w : part.operands) operands.push_back(single(w));
  // $1.. are known only inside a `-c` body; $@ $* $# $? $$ $! $- never are.
  const bool special =
      part.text.empty() || !(syntax::is_name_start(part.text[0]) ||
                             std::isdigit(static_cast<unsigned char>(part.text[0])));
  std::optional<std::string> value = special ? std::nullopt : lookup(part.text);
  if (value && part.text == "HOME") facts.home = true;
  const std::string& op = part.op;
  if (op.empty()) return value;
  if (!value || operands.empty()) return std::nullopt;
  const Field& operand = operands.front();
  if (op == ":-" || op == "-" || op == ":=" || op == "=") {
    // A variable the analysis knows is set; `:` also treats the empty value as unset.
    if (!value->empty() || op == "-" || op == "=") return value;
    if (!operand.constant) return std::nullopt;
    facts.home = facts.home || operand.home;
    if (op == ":=") scope_.vars[part.text] = operand.value;
    return operand.value;
  }
  if (op == ":+" || op == "+") {
    if (op == ":+" && value->empty()) return std::string();
    if (!operand.constant) return std::nullopt;
    return operand.value;
  }
  return std::nullopt;  // pattern removal, substitution, case changes: not modelled
}

void Expander::expand_parts(const Word& word, Text& out, Field& facts) {
  for (const Part& part : word.parts) {
    if (part.kind == Part::Kind::literal) {
      out.add(part.text, part.quoted ? kQuoted : kLiteral);
      facts.written += part.text;
      continue;
    }
    // A known flag beside a plain string, rather than an optional: g++ 12 misreports the latter.
    bool known = false;
    std::string value;
    auto take = [&](std::optional<std::string> v) {
      known = v.has_value();
      if (known) value = std::move(*v);
    };
    switch (part.kind) {
      case Part::Kind::literal: break;
      case Part::Kind::tilde:
        if (part.text.empty()) {
          facts.home = true;
          take(options_.home);
        }
        break;
      case Part::Kind::param: take(param(part, facts)); break;
      case Part::Kind::command:
        if (part.body) take(substitute_(*part.body));
        while (!value.empty() && value.back() == '\n') value.pop_back();
        break;
      case Part::Kind::process:
        if (part.body) substitute_(*part.body);
        break;
      case Part::Kind::arith:
        for (const Word& w : part.operands) single(w);
        break;
    }
    facts.written += part.raw;
    if (known && out.chars.size() + value.size() > options_.max_value) {  // `x=$x$x` doubling
      facts.over_bound = true;
      known = false;
    }
    if (known) {
      out.add(value, part.quoted || part.kind == Part::Kind::tilde ? kQuoted : kSplit);
    } else {
      facts.constant = false;
      out.add(part.raw, kQuoted);
    }
  }
}

Field Expander::single(const Word& word) {
  Text text;
  Field f;
  f.raw = word.raw;
  expand_parts(word, text, f);
  f.value = std::move(text.chars);
  return f;
}

namespace {

struct Item {
  std::string chars;
  std::vector<uint8_t> tags;
};

// A sequence expression {a..b[..step]} of numbers or single letters; empty when not one.
std::vector<std::string> sequence(std::string_view s, std::size_t cap, bool& too_many,
                                  bool validate_only = false) {
  std::size_t dots = s.find("..");
  if (dots == std::string_view::npos) return {};
  std::string_view a = s.substr(0, dots), rest = s.substr(dots + 2), b = rest, step_text;
  if (std::size_t d2 = rest.find(".."); d2 != std::string_view::npos) {
    b = rest.substr(0, d2);
    step_text = rest.substr(d2 + 2);
  }
  auto number = [](std::string_view t, long& v) {
    if (t.empty() || t.size() > 9) return false;
    std::size_t i = t[0] == '-' ? 1 : 0;
    if (i == t.size()) return false;
    for (std::size_t k = i; k < t.size(); ++k)
      if (t[k] < '0' || t[k] > '9') return false;
    v = std::strtol(std::string(t).c_str(), nullptr, 10);
    return true;
  };
  long from = 0, to = 0, step = 1;
  bool letters = false;
  if (!number(a, from) || !number(b, to)) {
    auto letter = [](std::string_view t) {
      return t.size() == 1 && std::isalpha(static_cast<unsigned char>(t[0]));
    };
    if (!letter(a) || !letter(b)) return {};
    from = a[0];
    to = b[0];
    letters = true;
  }
  if (!step_text.empty() && !number(step_text, step)) return {};
  step = std::labs(step == 0 ? 1 : step);
  std::size_t count = static_cast<std::size_t>(std::labs(to - from) / step) + 1;
  if (validate_only) return {std::string()};
  if (count > cap) {
    too_many = true;
    return {};
  }
  std::vector<std::string> out;
  for (long v = from, i = 0; static_cast<std::size_t>(i) < count;
       ++i, v += (to >= from ? step : -step)) {
    out.push_back(letters ? std::string(1, static_cast<char>(v)) : std::to_string(v));
  }
  return out;
}

// Expands the first valid brace expression of `item`, appending the alternatives to `out`;
// false when the item has none. One pass with a stack pairs the braces, as bash pairs them
// (an unmatched `{` is literal), so a word of many braces costs linear time, not quadratic.
bool expand_first_brace(const Item& item, std::vector<Item>& out, std::size_t cap, bool& too_many) {
  const std::string& c = item.chars;
  auto lit = [&](std::size_t i, char ch) { return c[i] == ch && item.tags[i] == kLiteral; };
  struct Open {
    std::size_t at;
    bool comma = false;
    bool nested = false;  // holds another brace pair: cannot be a sequence
  };
  std::vector<Open> stack;
  std::size_t best_open = std::string::npos, best_close = 0;
  bool best_comma = false;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (lit(i, '{')) {
      if (!stack.empty()) stack.back().nested = true;
      stack.push_back(Open{i});
    } else if (lit(i, ',') && !stack.empty()) {
      stack.back().comma = true;
    } else if (lit(i, '}') && !stack.empty()) {
      Open o = stack.back();
      stack.pop_back();
      // Only innermost pairs can be sequences, and their texts are disjoint: linear in total.
      bool is_sequence = false;
      if (!o.comma && !o.nested && o.at < best_open) {
        bool literal = std::all_of(item.tags.begin() + static_cast<long>(o.at),
                                   item.tags.begin() + static_cast<long>(i),
                                   [](uint8_t t) { return t == kLiteral; });
        bool ignored = false;
        is_sequence =
            literal &&
            !sequence(std::string_view(c).substr(o.at + 1, i - o.at - 1), 0, ignored, true).empty();
      }
      if ((o.comma || is_sequence) && o.at < best_open) {
        best_open = o.at;
        best_close = i;
        best_comma = o.comma;
      }
    }
  }
  if (best_open == std::string::npos) return false;
  const std::size_t open = best_open, close = best_close;
  auto piece = [&](std::string_view middle, const uint8_t* middle_tags) {
    Item n;
    n.chars = c.substr(0, open);
    n.tags.assign(item.tags.begin(), item.tags.begin() + static_cast<long>(open));
    n.chars.append(middle);
    if (middle_tags)
      n.tags.insert(n.tags.end(), middle_tags, middle_tags + middle.size());
    else
      n.tags.insert(n.tags.end(), middle.size(), kQuoted);
    n.chars.append(c, close + 1);
    n.tags.insert(n.tags.end(), item.tags.begin() + static_cast<long>(close + 1), item.tags.end());
    out.push_back(std::move(n));
  };
  if (best_comma) {
    std::vector<std::size_t> commas;
    std::size_t depth = 0;
    for (std::size_t i = open + 1; i < close; ++i) {
      if (lit(i, '{'))
        ++depth;
      else if (lit(i, '}') && depth > 0)
        --depth;
      else if (lit(i, ',') && depth == 0)
        commas.push_back(i);
    }
    if (commas.size() + 1 > cap) {
      too_many = true;
      return false;
    }
    commas.push_back(close);
    std::size_t b = open + 1;
    for (std::size_t e : commas) {
      piece(std::string_view(c).substr(b, e - b), item.tags.data() + b);
      b = e + 1;
    }
    return true;
  }
  bool all_literal = std::all_of(item.tags.begin() + static_cast<long>(open + 1),
                                 item.tags.begin() + static_cast<long>(close),
                                 [](uint8_t t) { return t == kLiteral; });
  if (!all_literal) return false;
  std::vector<std::string> seq =
      sequence(std::string_view(c).substr(open + 1, close - open - 1), cap, too_many);
  if (seq.empty()) return false;
  for (const std::string& v : seq) piece(v, nullptr);
  return true;
}

}  // namespace

Expansion Expander::fields(const Word& word) {
  Expansion result;
  // Most words are literal text only (`npm`, `-la`, `'a b'`): with no expansion in them and no
  // unquoted `{`, neither brace expansion nor field splitting applies (both act only on unquoted
  // literal or expanded text), so the word is one field, its text, as the general path below
  // would find at greater cost.
  bool plain = !word.parts.empty();
  for (const Part& part : word.parts) {
    if (part.kind != Part::Kind::literal ||
        (!part.quoted && part.text.find('{') != std::string::npos)) {
      plain = false;
      break;
    }
  }
  if (plain) {
    Field f;
    f.raw = word.raw;
    for (const Part& part : word.parts) f.value += part.text;
    f.written = f.value;
    result.fields.push_back(std::move(f));
    return result;
  }
  Text text;
  Field facts;
  facts.raw = word.raw;
  expand_parts(word, text, facts);
  result.constant = facts.constant;
  result.over_bound = facts.over_bound;
  if (facts.over_bound) result.bound = bound::kValue;

  // Brace expansion: depth-first on a stack, so alternatives keep their order.
  std::vector<Item> done;
  std::vector<Item> stack;
  stack.push_back(Item{std::move(text.chars), std::move(text.tags)});
  std::size_t bytes = 0;
  while (!stack.empty()) {
    Item item = std::move(stack.back());
    stack.pop_back();
    std::vector<Item> next;
    bool too_many = false;
    if (expand_first_brace(item, next, options_.max_fields, too_many)) {
      for (const Item& n : next) bytes += n.chars.size();
      if (done.size() + stack.size() + next.size() > options_.max_fields ||
          bytes > options_.max_work) {
        result.over_bound = true;
        result.bound = bytes > options_.max_work ? bound::kWork : bound::kFields;
        done.push_back(std::move(item));
        continue;
      }
      for (auto it = next.rbegin(); it != next.rend(); ++it) stack.push_back(std::move(*it));
    } else {
      if (too_many) {
        result.over_bound = true;
        result.bound = bound::kFields;
      }
      done.push_back(std::move(item));
    }
  }

  // Field splitting of unquoted expansion results on IFS.
  std::optional<std::string> ifs = lookup("IFS");
  const std::string separators = ifs ? *ifs : std::string(" \t\n");
  for (const Item& item : done) {
    std::string current;
    bool open = false;  // a field has started (it may be empty only if something quoted made it)
    std::size_t produced = 0;
    auto finish = [&] {
      Field f = facts;
      f.value = std::move(current);
      result.fields.push_back(std::move(f));
      current.clear();
      open = false;
      ++produced;
    };
    for (std::size_t i = 0; i < item.chars.size(); ++i) {
      char ch = item.chars[i];
      if (item.tags[i] == kSplit && separators.find(ch) != std::string::npos) {
        bool white = ch == ' ' || ch == '\t' || ch == '\n';
        if (open || !white) finish();
        continue;
      }
      current.push_back(ch);
      open = true;
    }
    if (open || (produced == 0 && text.has_inert)) finish();
  }
  return result;
}

}  // namespace vectimus::shell
