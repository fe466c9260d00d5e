// The compact one-line form of an analysis, for tests and debugging. See analysis.hpp.
#include <algorithm>

#include "normalise/shell/analysis.hpp"

namespace vectimus::shell {
namespace {

// Quotes a word when the dump would otherwise be ambiguous.
std::string show(const std::string& s) {
  bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) > ' ' && c != 0x7f &&
           std::string_view("'()[];,").find(c) == std::string_view::npos;
  });
  if (plain) return s;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\'')
      out += "\\'";
    else if (u < ' ' || u == 0x7f)
      out += std::string("\\x") + kHex[u >> 4] + kHex[u & 15];
    else
      out += c;
  }
  return out + "'";
}

std::string joined(const std::vector<std::string>& items, const char* sep, bool quote) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += quote ? show(items[i]) : items[i];
  }
  return out;
}

}  // namespace

std::string SimpleCommand::canonical() const {
  std::string out = program;
  for (std::size_t i = 1; i < argv.size(); ++i) {
    out += ' ';
    out += argv[i];
  }
  return out;
}

std::string dump(const SimpleCommand& c) {
  std::string out;
  for (const std::string& a : c.assignments) out += show(a) + " ";
  out +=
      show(c.program) + "[" + joined(c.flags, ",", false) + "](" + joined(c.args, " ", true) + ") ";
  out += provenance_name(c.provenance);
  if (!c.launchers.empty()) out += " <" + joined(c.launchers, ",", false) + ">";
  if (!c.redirections.empty()) {
    out += " {";
    for (std::size_t i = 0; i < c.redirections.size(); ++i) {
      const Redirection& r = c.redirections[i];
      if (i) out += ",";
      bool default_fd =
          r.fd == -1 || (r.fd == 0 && r.op[0] == '<') || (r.fd == 1 && r.op[0] == '>');
      if (!default_fd) out += std::to_string(r.fd);
      out += r.op + show(r.target);
      if (!r.raw.empty()) out += "=" + show(r.raw);
    }
    out += "}";
  }
  if (!c.language.empty()) out += " lang:" + c.language + ":" + show(c.code);
  if (!c.sql.empty()) out += " sql:" + show(c.sql);
  if (!c.unresolved.empty()) out += " !" + joined(c.unresolved, ",", false);
  return out;
}

std::string dump(const Analysis& a) {
  std::string out;
  for (std::size_t i = 0; i < a.commands.size(); ++i) {
    if (i) out += " ; ";
    out += dump(a.commands[i]);
  }
  std::vector<std::string> rest;
  for (const std::string& code : a.unresolved) {
    bool carried = std::any_of(a.commands.begin(), a.commands.end(), [&](const SimpleCommand& c) {
      return std::find(c.unresolved.begin(), c.unresolved.end(), code) != c.unresolved.end();
    });
    if (!carried) rest.push_back(code);
  }
  if (!rest.empty()) out += (out.empty() ? "!!" : " !!") + joined(rest, ",", false);
  return out;
}

}  // namespace vectimus::shell
