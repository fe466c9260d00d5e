// End-to-end tests of the `vectimus` binary: exact stdout, stderr and exit codes of
// `cedar authorize`, `cedar run-tests` and `lint`, run from the repository root.
#include <catch2/catch.hpp>

#include "tests/cli/process.hpp"

using vectimus::testing::run_process;

namespace {

const std::string kBinary = VECTIMUS_BINARY;
const std::string kData = "tests/cli/data/";

vectimus::testing::ProcessResult vectimus_run(std::vector<std::string> args) {
  args.insert(args.begin(), kBinary);
  return run_process(args);
}

}  // namespace

TEST_CASE("lint names both places of an @id shared by two files") {
  const auto r = vectimus_run({"lint", kData + "dup"});
  CHECK(r.exit_code == 1);
  CHECK(r.out ==
        "tests/cli/data/dup/b.cedar:5:1: error: duplicate policy id `team-001`\n"
        "@id(\"team-001\")\n"
        "^~~~~~~~~~~~~~~\n"
        "tests/cli/data/dup/a.cedar:2:1: note: first defined here\n"
        "@id(\"team-001\")\n"
        "^~~~~~~~~~~~~~~\n"
        "help: policy ids must be unique across all loaded files and packs\n"
        "1 error\n");
}

TEST_CASE("lint reports in JSON with --format json") {
  const auto r = vectimus_run({"lint", "--format", "json", kData + "dup"});
  CHECK(r.exit_code == 1);
  CHECK(r.out ==
        R"([{"severity":"error","code":"duplicate-id","message":"duplicate policy id `team-001`",)"
        R"("help":"policy ids must be unique across all loaded files and packs",)"
        R"("file":"tests/cli/data/dup/b.cedar","line":5,"column":1,"end_line":5,"end_column":16,)"
        R"("notes":[{"message":"first defined here","file":"tests/cli/data/dup/a.cedar",)"
        R"("line":2,"column":1,"end_line":2,"end_column":16}]}])"
        "\n");
}

TEST_CASE("lint reports a missing @id and a syntax error, and passes a clean file") {
  auto r = vectimus_run({"lint", kData + "missing_id.cedar"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("tests/cli/data/missing_id.cedar:1:1: error: policy has no `@id` annotation\n",
                    0) == 0);

  r = vectimus_run({"lint", kData + "broken.cedar"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("tests/cli/data/broken.cedar:5:26: error: ", 0) == 0);

  r = vectimus_run({"lint", kData + "destruct.cedar"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err == "lint: 1 files, 2 policies, no problems\n");

  r = vectimus_run({"lint", kData + "nowhere"});
  CHECK(r.exit_code == 1);
  CHECK(r.out == "error: `tests/cli/data/nowhere` does not exist\n1 error\n");
}

TEST_CASE("cedar authorize prints the decision, reasons and errors, and exits by decision") {
  const std::vector<std::string> base = {"cedar",       "authorize",
                                         "--policies",  kData + "destruct.cedar",
                                         "--principal", "Vectimus::User::\"dev\"",
                                         "--action",    "Vectimus::Action::\"shell_command\"",
                                         "--resource",  "Vectimus::Tool::\"Bash\""};
  auto args = base;
  args.insert(args.end(), {"--context", kData + "rm_context.json"});
  auto r = vectimus_run(args);
  CHECK(r.out == "DENY\nreason: destruct-001\n");
  CHECK(r.exit_code == 2);

  args = base;
  args.insert(args.end(), {"--context", kData + "ls_context.json"});
  r = vectimus_run(args);
  CHECK(r.out == "ALLOW\nreason: allow-all\n");
  CHECK(r.exit_code == 0);

  r = vectimus_run(base);  // no context: the forbid errors and is skipped
  CHECK(r.out ==
        "ALLOW\nreason: allow-all\n"
        "error: destruct-001: record does not have the attribute `command`\n");
  CHECK(r.exit_code == 0);
}

TEST_CASE("cedar authorize rejects bad input with exit 1 and a diagnostic") {
  auto r =
      vectimus_run({"cedar", "authorize", "--policies", kData + "destruct.cedar", "--principal",
                    "User:alice", "--action", "Action::\"a\"", "--resource", "R::\"r\""});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("--principal:1:", 0) == 0);

  r = vectimus_run({"cedar", "authorize", "--policies", kData + "broken.cedar", "--principal",
                    "U::\"a\"", "--action", "Action::\"a\"", "--resource", "R::\"r\""});
  CHECK(r.exit_code == 1);
  CHECK(r.err.rfind("tests/cli/data/broken.cedar:5:26: error: ", 0) == 0);
}

TEST_CASE("cedar run-tests compares decision, reasons and errors, and counts skips by reason") {
  auto r = vectimus_run({"cedar", "run-tests", "--root", kData, kData + "run/pass.json"});
  CHECK(r.out == "tests: 1 run, 0 skipped\n2 passed, 0 failed, 0 skipped\n");
  CHECK(r.exit_code == 0);

  r = vectimus_run({"cedar", "run-tests", "--root", kData, kData + "run/wrong.json"});
  CHECK(r.out ==
        "FAIL tests/cli/data/run/wrong.json request 0 (bob is denied): decision: expected allow, "
        "got deny; reason: expected [policy0], got []\n"
        "tests: 1 run, 0 skipped\n0 passed, 1 failed, 0 skipped\n");
  CHECK(r.exit_code == 1);

  r = vectimus_run({"cedar", "run-tests", "--root", kData, kData + "run/skipped.json"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("tests: 0 run, 1 skipped\nskipped: 1 requests: ") != std::string::npos);
  CHECK(r.out.find("\n0 passed, 0 failed, 1 skipped\n") != std::string::npos);
}
