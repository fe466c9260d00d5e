// UTC calendar arithmetic, judged by the C library's gmtime from 1700 to 2250, about what
// int64 nanoseconds span (leap days, century years, 2000, instants before 1970).
#include "support/utc.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <ctime>
#include <string>

TEST_CASE("utc_time agrees with gmtime, and days_from_civil and utc_days are its inverse") {
  constexpr int64_t kNs = 1'000'000'000;
  int checked = 0;
  // Every 7 days and 3,601 seconds: each weekday, hour and leap rule.
  for (int64_t s = -8'520'336'000; s < 8'860'838'400; s += 7 * 86'400 + 3'601) {
    const std::time_t t = static_cast<std::time_t>(s);
    std::tm tm{};
    REQUIRE(gmtime_r(&t, &tm) != nullptr);
    const vectimus::UtcTime u = vectimus::utc_time(s * kNs + 123'456'789);
    INFO("seconds " << s);
    REQUIRE(u.year == tm.tm_year + 1900);
    REQUIRE(u.month == tm.tm_mon + 1);
    REQUIRE(u.day == tm.tm_mday);
    REQUIRE(u.hour == tm.tm_hour);
    REQUIRE(u.minute == tm.tm_min);
    REQUIRE(u.second == tm.tm_sec);
    REQUIRE(u.nanos == 123'456'789);
    REQUIRE(vectimus::days_from_civil(u.year, u.month, u.day) * 86'400 ==
            s - (u.hour * 3600 + u.minute * 60 + u.second));
    REQUIRE(vectimus::utc_days(s * kNs + 123'456'789) ==
            vectimus::days_from_civil(u.year, u.month, u.day));
    ++checked;
  }
  CHECK(checked > 25'000);
  // One nanosecond before the epoch is the last instant of 1969.
  const vectimus::UtcTime before = vectimus::utc_time(-1);
  CHECK((before.year == 1969 && before.month == 12 && before.day == 31 && before.hour == 23 &&
         before.minute == 59 && before.second == 59 && before.nanos == 999'999'999));
  const vectimus::UtcTime leap = vectimus::utc_time(951'782'400 * kNs);  // 2000-02-29T00:00:00Z
  CHECK((leap.year == 2000 && leap.month == 2 && leap.day == 29));
}

TEST_CASE("utc_iso writes what printf would") {
  constexpr int64_t kNs = 1'000'000'000;
  for (int64_t s = -8'520'336'000; s < 8'860'838'400; s += 97 * 86'400 + 3'607) {
    const vectimus::UtcTime u = vectimus::utc_time(s * kNs + 123'456'789);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02d",
                  static_cast<long long>(u.year), u.month, u.day, u.hour, u.minute, u.second);
    INFO("seconds " << s);
    REQUIRE(vectimus::utc_iso(u, 0) == buf);
    REQUIRE(vectimus::utc_iso(u, 3) == std::string(buf) + ".123");
    REQUIRE(vectimus::utc_iso(u, 6) == std::string(buf) + ".123456");
    REQUIRE(vectimus::utc_iso(u, 9) == std::string(buf) + ".123456789");
  }
  vectimus::UtcTime far;
  far.year = 12026;
  CHECK(vectimus::utc_iso(far, 0) == "12026-01-01T00:00:00");
  far.year = -5;
  far.nanos = 7'000'000;
  CHECK(vectimus::utc_iso(far, 3) == "-005-01-01T00:00:00.007");
}
