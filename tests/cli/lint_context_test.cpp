// End-to-end: `vectimus lint` warns about rules whose context reads no event can satisfy
// (engine/context_lint.hpp), exits 0 on warnings alone and 1 with `--strict`, carries them in
// JSON, and `vectimus test` shows the pack loader's same findings on stderr. The pack
// tests/packs/context-reads pairs each wrong rule with a near rule that is right. Run from the
// repository root.
#include <catch2/catch.hpp>

#include "tests/cli/process.hpp"

using vectimus::testing::run_process;

namespace {

const std::string kBinary = VECTIMUS_BINARY;
const std::string kRepo = VECTIMUS_SOURCE_DIR;
const std::string kPack = kRepo + "/tests/packs/context-reads";
const std::string kRules = kPack + "/rules.cedar";

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("lint warns about each context read no event can satisfy, and exits 0") {
  const auto r = run_process({kBinary, "lint", kPack});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find(kRules + ":7:8: warning: no event carries `context.comand`\n"
                            "when { context.comand like \"*rm -rf*\" };\n"
                            "       ^~~~~~~~~~~~~~\n"
                            "help: did you mean `command`?\n") != std::string::npos);
  CHECK(r.out.find(kRules + ":19:8: warning: `context.url` is never present on `file_write` "
                            "requests (the rule's action scope)\n") != std::string::npos);
  CHECK(r.out.find(kRules + ":31:8: warning: `context.file_path like \"secrets/*\"` can only "
                            "match a relative path, and `context.file_path` is absolute "
                            "whenever the agent sends a cwd (every supported agent does)\n") !=
        std::string::npos);
  // The near rules (reads-002, -004, -006, at lines 13, 25 and 37) are not mentioned.
  CHECK(count(r.out, ": warning: ") == 3);
  CHECK(r.out.find("3 warnings\n") != std::string::npos);
}

TEST_CASE("lint --strict makes the warnings errors and exits 1") {
  const auto r = run_process({kBinary, "lint", "--strict", kPack});
  CHECK(r.exit_code == 1);
  CHECK(count(r.out, ": error: ") == 3);
  CHECK(r.out.find("3 errors\n") != std::string::npos);
  // A pack whose reads are all right passes --strict.
  const auto clean =
      run_process({kBinary, "lint", "--strict", "--builtin", kRepo + "/policies/file-integrity"});
  CHECK(clean.exit_code == 0);
}

TEST_CASE("lint --format json carries the warnings with their codes") {
  const auto r = run_process({kBinary, "lint", "--format", "json", kRules});
  CHECK(r.exit_code == 0);
  CHECK(count(r.out, "\"severity\":\"warning\"") == 3);
  for (const char* code :
       {"unknown-attribute", "attribute-out-of-scope", "pattern-never-matches"}) {
    CAPTURE(code);
    CHECK(r.out.find("\"code\":\"" + std::string(code) + "\"") != std::string::npos);
  }
}

TEST_CASE("vectimus test shows the pack loader's warnings on stderr, decisions unchanged") {
  const auto r =
      run_process({kBinary, "test", "--policy-dir", kPack, "--file", kPack + "/tests.json"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("2 passed, 0 failed") != std::string::npos);
  CHECK(count(r.err, ": warning: ") == 3);
  CHECK(r.err.find(kRules + ":7:8: warning: no event carries `context.comand`") !=
        std::string::npos);
  // The built-in packs are checked when they are built, not at every load.
  const auto builtin = run_process({kBinary, "test"});
  CHECK(builtin.err.find("warning") == std::string::npos);
}
