// Temporary disables (engine/temp_disable.hpp): durations, the state file (0600, per project,
// fail closed on anything unexpected), expiry, the engine leaving the rule out while it runs,
// and the nearest-id suggestions.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>

#include "engine/engine.hpp"
#include "engine/temp_disable.hpp"
#include "tests/support/test_host.hpp"

using namespace vectimus;
using namespace vectimus::engine;
using vectimus::testing::TempTree;
using vectimus::testing::TestHost;

TEST_CASE("durations are 90s, 30m, 2h or 1h30m, and anything else is an error naming the forms") {
  CHECK(*parse_duration("90s") == 90);
  CHECK(*parse_duration("30m") == 1800);
  CHECK(*parse_duration("2h") == 7200);
  CHECK(*parse_duration("1h30m") == 5400);
  CHECK(*parse_duration("1h0m5s") == 3605);
  for (const char* bad : {"", "30", "m", "30x", "1m1h", "0s", "-5m", "1h 30m", "30mm", "99999h"}) {
    CAPTURE(bad);
    const auto r = parse_duration(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.errors().front().help == "write it as 90s, 30m, 2h or 1h30m");
  }
  CHECK(format_remaining(45) == "45s");
  CHECK(format_remaining(60) == "1m");
  CHECK(format_remaining(61) == "2m");
  CHECK(format_remaining(24 * 60) == "24m");
  CHECK(format_remaining(5400) == "1h30m");
  CHECK(format_remaining(7200) == "2h");
}

TEST_CASE("the state file: per project, 0600, expired entries dropped, garbled means empty") {
  TempTree t;
  TestHost h(t.path("proj"), t.path("home"));
  h.env.set("XDG_RUNTIME_DIR", t.path("run"));
  const int64_t now = 1'000'000;
  REQUIRE(write_temp_disables(h.host, "/a", {{"r1", now + 60}, {"old", now - 1}}, now).ok());
  const std::string file = *temp_disable_file(h.host, "/a");
  CHECK(file.starts_with(t.path("run/vectimus/temp-disables-")));
  CHECK(*temp_disable_file(h.host, "/b") != file);
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(read_temp_disables(h.host, "/a", now) == TempDisables{{"r1", now + 60}});
  CHECK(read_temp_disables(h.host, "/a", now + 60).empty());  // ended
  CHECK(read_temp_disables(h.host, "/b", now).empty());
  for (const char* bad : {"r1 12x\n", "r1\n", " 5\n", "r1 5", "r1 -5\n"}) {
    std::ofstream(file, std::ios::trunc) << bad;
    CHECK(read_temp_disables(h.host, "/a", 0).empty());
  }
  // Without XDG_RUNTIME_DIR: under ~/.vectimus/run.
  h.env.set("XDG_RUNTIME_DIR", "");
  CHECK(temp_disable_file(h.host, "/a")->starts_with(t.path("home/.vectimus/run/")));
  // Nothing left: the file is removed.
  h.env.set("XDG_RUNTIME_DIR", t.path("run"));
  REQUIRE(write_temp_disables(h.host, "/a", {}, now).ok());
  CHECK_FALSE(h.host.fs->exists(file));
}

TEST_CASE("the engine leaves out a temporarily disabled rule until it ends") {
  TempTree t;
  t.mkdir("proj/.git");
  TestHost h(t.path("proj"), t.path("home"));
  h.env.set("XDG_RUNTIME_DIR", t.path("run"));
  const int64_t now = h.clock_ns / 1'000'000'000;
  REQUIRE(
      write_temp_disables(h.host, t.path("proj"), {{"vectimus-destruct-001", now + 60}}, now).ok());
  const auto enabled = [&] {
    auto e = Engine::load(h.host, locate(h.host, t.path("proj"), std::nullopt), {});
    REQUIRE(e.ok());
    for (uint32_t i = 0; i < e->packs().rules.size(); ++i) {
      if (e->packs().rules[i].id == "vectimus-destruct-001") return e->rule_enabled(i);
    }
    FAIL("no vectimus-destruct-001");
    return false;
  };
  CHECK_FALSE(enabled());
  h.clock_ns += 60'000'000'000;
  CHECK(enabled());
}

TEST_CASE("nearest ids: closest first, only plausible typos") {
  const std::vector<std::string_view> ids{"vectimus-destruct-001", "vectimus-destruct-010",
                                          "vectimus-git-001", "custom-001"};
  CHECK(nearest_ids("vectimus-destruct-01", ids) ==
        std::vector<std::string>{"vectimus-destruct-001", "vectimus-destruct-010"});
  CHECK(nearest_ids("custom-01", ids, 1) == std::vector<std::string>{"custom-001"});
  CHECK(nearest_ids("zzz", ids).empty());
}
