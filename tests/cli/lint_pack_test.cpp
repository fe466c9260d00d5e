// End-to-end: `vectimus lint` rejects a rule in a pack (a folder with pack.toml) that lacks any
// of @id, @description or @suggested_alternative (with `--builtin`, the built-in packs' rule:
// also @incident and @controls), naming the policy's file:line:col with code
// `missing-annotation` (a missing @id keeps its own code, missing-id). The same rules outside a
// pack are only checked for @id. Run from the repository root.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "tests/cli/process.hpp"

using vectimus::testing::run_process;

namespace {

const std::string kBinary = VECTIMUS_BINARY;
const std::string kRepo = VECTIMUS_SOURCE_DIR;
const std::string kPack = kRepo + "/tests/packs/unannotated";

vectimus::testing::ProcessResult lint(std::vector<std::string> args) {
  args.insert(args.begin(), {kBinary, "lint"});
  return run_process(args);
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("lint names each annotation a built-in pack rule lacks, at the policy") {
  const auto r = lint({"--builtin", kPack});
  const std::string file = kPack + "/rules.cedar";
  CHECK(r.exit_code == 1);
  CHECK(r.out.find(file + ":11:1: error: policy `unannotated-002` has no `@incident` annotation\n"
                          "@id(\"unannotated-002\")\n^\n"
                          "help: every rule in a built-in pack carries @id, @description, "
                          "@incident, @controls and @suggested_alternative\n") !=
        std::string::npos);
  CHECK(
      r.out.find(file + ":11:1: error: policy `unannotated-002` has no `@controls` annotation\n") !=
      std::string::npos);
  CHECK(r.out.find(file + ":17:1: error: policy `unannotated-003` has an empty `@description` "
                          "annotation\n") != std::string::npos);
  CHECK(r.out.find(file + ":17:1: error: policy `unannotated-003` has no "
                          "`@suggested_alternative` annotation\n") != std::string::npos);
  // The rule with no annotations at all: missing-id once, and each of the other four.
  CHECK(r.out.find(file + ":24:1: error: policy has no `@id` annotation\n") != std::string::npos);
  CHECK(count(r.out, file + ":24:1: error: policy `policy3` has no `@") == 4);
  // The complete rule is not mentioned.
  CHECK(r.out.find("unannotated-001") == std::string::npos);
  CHECK(r.out.find("9 errors\n") != std::string::npos);
}

TEST_CASE("lint reports missing annotations as JSON with code missing-annotation") {
  const auto r = lint({"--builtin", "--format", "json", kPack + "/rules.cedar"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find(R"({"severity":"error","code":"missing-annotation","message":"policy )"
                   R"(`unannotated-002` has no `@incident` annotation",)") != std::string::npos);
  CHECK(r.out.find(R"("line":11,"column":1,)") != std::string::npos);
  CHECK(count(r.out, R"("code":"missing-annotation")") == 8);
  CHECK(count(r.out, R"("code":"missing-id")") == 1);
}

TEST_CASE("lint checks pack annotations only inside a pack; the built-in packs pass") {
  // The same rules copied outside any pack: only the missing @id is an error.
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("vectimus-lint-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::copy_file(kPack + "/rules.cedar", dir / "rules.cedar", fs::copy_options::overwrite_existing);
  auto r = lint({(dir / "rules.cedar").string()});
  CHECK(r.exit_code == 1);
  CHECK(count(r.out, "error:") == 1);
  CHECK(r.out.find("policy has no `@id` annotation") != std::string::npos);
  // With a pack.toml beside it, the annotation rules apply.
  std::ofstream(dir / "pack.toml")
      << "[pack]\nname = \"t\"\nversion = \"0.1.0\"\ndescription = \"t\"\n"
         "author = \"t\"\n";
  r = lint({"--builtin", (dir / "rules.cedar").string()});
  CHECK(count(r.out, "error:") == 9);
  fs::remove_all(dir);

  r = lint({"--builtin", kRepo + "/policies"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
}

TEST_CASE("a custom pack's rules need only @id, @description and @suggested_alternative") {
  // The docs' example rules carry exactly these; @incident and @controls are "where applicable".
  const auto r = lint({kPack});
  const std::string file = kPack + "/rules.cedar";
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("unannotated-002") == std::string::npos);
  CHECK(r.out.find(file + ":17:1: error: policy `unannotated-003` has an empty `@description` "
                          "annotation\n") != std::string::npos);
  CHECK(r.out.find(file + ":17:1: error: policy `unannotated-003` has no "
                          "`@suggested_alternative` annotation\n"
                          "@id(\"unannotated-003\")\n^\n"
                          "help: every rule in a pack carries @id, @description and "
                          "@suggested_alternative\n") != std::string::npos);
  CHECK(r.out.find("@incident") == std::string::npos);
  CHECK(count(r.out, file + ":24:1: error: policy `policy3` has no `@") == 2);
  CHECK(r.out.find("5 errors\n") != std::string::npos);
}
