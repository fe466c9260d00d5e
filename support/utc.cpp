#include "support/utc.hpp"

#include <cstdio>

namespace vectimus {
namespace {

constexpr int64_t kNsPerSecond = 1'000'000'000;
constexpr int64_t kSecondsPerDay = 86'400;

// Rounds toward negative infinity, so instants before the epoch fall on the right day.
int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

// H. Hinnant's days_from_civil and civil_from_days: eras of 400 years, March-based years so the
// leap day falls last.
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = floor_div(y, 400);
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int64_t utc_days(int64_t ns) {
  return floor_div(ns, kNsPerSecond * kSecondsPerDay);
}

UtcTime utc_time(int64_t ns) {
  UtcTime t;
  const int64_t seconds = floor_div(ns, kNsPerSecond);
  t.nanos = ns - seconds * kNsPerSecond;
  const int64_t days = floor_div(seconds, kSecondsPerDay);
  const int64_t of_day = seconds - days * kSecondsPerDay;
  t.hour = static_cast<int>(of_day / 3600);
  t.minute = static_cast<int>(of_day / 60 % 60);
  t.second = static_cast<int>(of_day % 60);
  const int64_t z = days + 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  t.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  t.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  t.year = yoe + era * 400 + (t.month <= 2 ? 1 : 0);
  return t;
}

std::string utc_iso(const UtcTime& t, int fraction_digits) {
  char buf[48];
  char* p = buf;
  const auto digits = [&p](int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      p[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    p += width;
  };
  if (t.year >= 0 && t.year <= 9999) {
    digits(t.year, 4);
  } else {  // as printf's %04lld writes it
    p += std::snprintf(p, 24, "%04lld", static_cast<long long>(t.year));
  }
  *p++ = '-';
  digits(t.month, 2);
  *p++ = '-';
  digits(t.day, 2);
  *p++ = 'T';
  digits(t.hour, 2);
  *p++ = ':';
  digits(t.minute, 2);
  *p++ = ':';
  digits(t.second, 2);
  if (fraction_digits > 0 && fraction_digits <= 9) {
    *p++ = '.';
    int64_t fraction = t.nanos;
    for (int i = fraction_digits; i < 9; ++i) fraction /= 10;
    digits(fraction, fraction_digits);
  }
  return std::string(buf, p);
}

}  // namespace vectimus
