// UTC calendar arithmetic on nanoseconds since the epoch, without the C library's time zone
// machinery: glibc's gmtime reads /etc/localtime on first use, a file and a parse the hook,
// which stamps every record and receipt in UTC, has no need of.
#pragma once

#include <cstdint>
#include <string>

namespace vectimus {

struct UtcTime {
  int64_t year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;
  int64_t nanos = 0;  // 0..999,999,999
};

// The UTC date and time of `ns` nanoseconds since 1970-01-01T00:00:00Z (negative: before).
UtcTime utc_time(int64_t ns);
// The UTC day of `ns`, as days since 1970-01-01.
int64_t utc_days(int64_t ns);
// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12).
int64_t days_from_civil(int64_t year, int64_t month, int64_t day);
// `YYYY-MM-DDTHH:MM:SS`, then a dot and the first `fraction_digits` digits of the second when
// `fraction_digits` is 1..9 (truncated, not rounded). Written digit by digit: every audit record
// and decision carries a few, and snprintf cost more than the rest of the record's numbers.
std::string utc_iso(const UtcTime& t, int fraction_digits);

}  // namespace vectimus
