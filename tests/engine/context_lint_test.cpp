// engine/context_lint.hpp: each warning kind, on a rule that triggers it and on a near rule that
// does not.
#include <catch2/catch.hpp>

#include "engine/context_lint.hpp"
#include "grammar/parse.hpp"

using namespace vectimus;

namespace {

// The warnings of the one policy `scope` + `when { condition }`.
Diagnostics lint(const std::string& action_scope, const std::string& condition) {
  const std::string text =
      "forbid(principal, " + action_scope + ", resource)\nwhen { " + condition + " };\n";
  auto parsed = grammar::parse_policies(make_source("rule.cedar", text));
  REQUIRE(parsed);
  REQUIRE(parsed->policies.size() == 1);
  return engine::check_context_reads(parsed->policies.front());
}

std::string codes(const Diagnostics& found) {
  std::string out;
  for (const Diagnostic& d : found) {
    CHECK(d.severity == Severity::warning);
    out += (out.empty() ? "" : " ") + d.code;
  }
  return out;
}

const std::string kShell = "action == Vectimus::Action::\"shell_command\"";
const std::string kWrite = "action == Vectimus::Action::\"file_write\"";

}  // namespace

TEST_CASE("an attribute no event carries is a warning naming the nearest one") {
  const Diagnostics found = lint(kShell, "context.comand like \"rm *\"");
  REQUIRE(codes(found) == "unknown-attribute");
  CHECK(found[0].message == "no event carries `context.comand`");
  CHECK(found[0].help == "did you mean `command`?");
  CHECK(render(found).starts_with("rule.cedar:2:8: warning: no event carries `context.comand`"));
  // `has` is a read too; a name nothing is near gets the docs' list instead.
  const Diagnostics far = lint("action", "context has zzzzzzzz");
  REQUIRE(codes(far) == "unknown-attribute");
  CHECK(far[0].help.find("Context attributes") != std::string::npos);
  // The near rule: the right name.
  CHECK(codes(lint(kShell, "context.command like \"rm *\"")).empty());
  CHECK(codes(lint("action", "context has command && context.command like \"rm *\"")).empty());
}

TEST_CASE("an attribute the action scope never carries is a warning") {
  const Diagnostics found = lint(kWrite, "context has url && context.url like \"*evil*\"");
  // Reported once, at the first read.
  REQUIRE(codes(found) == "attribute-out-of-scope");
  CHECK(found[0].message ==
        "`context.url` is never present on `file_write` requests (the rule's action scope)");
  CHECK(found[0].help.find("`web_request`") != std::string::npos);
  const Diagnostics set =
      lint("action in [Vectimus::Action::\"file_read\", Vectimus::Action::\"file_write\"]",
           "context.package_name == \"x\"");
  CHECK(codes(set) == "attribute-out-of-scope");
  // Near rules: an action that carries it, one of a set that does, an unconstrained action,
  // and an attribute every action carries.
  CHECK(codes(lint("action == Vectimus::Action::\"web_request\"", "context.url like \"*evil*\""))
            .empty());
  CHECK(codes(lint("action in [Vectimus::Action::\"file_write\", "
                   "Vectimus::Action::\"web_request\"]",
                   "context.url like \"*evil*\""))
            .empty());
  CHECK(codes(lint("action", "context.url like \"*evil*\"")).empty());
  CHECK(codes(lint(kWrite, "context.cwd like \"/tmp/*\"")).empty());
  // A shell command's file accesses are file_write requests that carry the command.
  CHECK(codes(lint(kWrite, "context.command like \"tee *\"")).empty());
}

TEST_CASE("a pattern that cannot match what the normaliser produces is a warning") {
  const Diagnostics found = lint(kWrite, "context.file_path like \"src/*.env\"");
  REQUIRE(codes(found) == "pattern-never-matches");
  CHECK(found[0].message ==
        "`context.file_path like \"src/*.env\"` can only match a relative path, and "
        "`context.file_path` is absolute whenever the agent sends a cwd (every supported agent "
        "does)");
  CHECK(found[0].help.starts_with("match the file in any folder with `like \"*/src/*.env\"`"));
  CHECK(codes(lint(kWrite, "context.file_path == \".env\"")) == "pattern-never-matches");
  CHECK(codes(lint("action", "context.cwd like \"home/*\"")) == "pattern-never-matches");
  CHECK(codes(lint(kWrite, "context.file_paths.contains(\"package.json\")")) ==
        "pattern-never-matches");
  // Another folder form is not the same file anywhere.
  CHECK(codes(lint(kWrite,
                   "context.file_path like \"src/*\" || context.file_path like "
                   "\"*/lib/*\"")) == "pattern-never-matches");
  // Near rules: a leading wildcard, an absolute path, `~`, a drive letter, an attribute whose
  // text has no fixed shape, and a relative form kept beside its any-folder form.
  CHECK(codes(lint(kWrite, "context.file_path like \"*/src/*.env\"")).empty());
  CHECK(codes(lint(kWrite, "context.file_path like \"/etc/*\"")).empty());
  CHECK(codes(lint(kWrite, "context.file_path like \"~/.ssh/*\"")).empty());
  CHECK(codes(lint(kWrite, "context.file_path like \"C:/Windows/*\"")).empty());
  CHECK(codes(lint(kWrite, "context.file_paths.contains(\"/repo/package.json\")")).empty());
  CHECK(codes(lint(kShell, "context.command like \"src/*\"")).empty());
  CHECK(codes(lint(kWrite,
                   "context.file_path like \".git/hooks/*\" || context.file_path like "
                   "\"*/.git/hooks/*\""))
            .empty());
  CHECK(codes(lint(kWrite,
                   "context.file_path == \"package.json\" || context.file_path like "
                   "\"*/package.json\""))
            .empty());
}
