// For bench/server_load.sh: tells apart a slow server from a paused machine. For the given
// number of seconds it sleeps 1 ms at a time, at real-time priority when allowed (so nothing in
// the machine's own scheduler can hold it back), and at the end prints how often a sleep took
// more than 15 ms and how long those were: the time no program in the machine could run, which
// every request in flight then waits too.
//
//   stall_probe SECONDS
#include <sched.h>
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

double now_ms() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 0;
  if (seconds <= 0 || seconds > 3600) {
    std::fprintf(stderr, "usage: stall_probe SECONDS (at most 3600)\n");
    return 2;
  }
  sched_param priority{};
  priority.sched_priority = 50;
  const bool realtime = sched_setscheduler(0, SCHED_FIFO, &priority) == 0;
  constexpr double kStallMs = 15;
  const timespec tick{0, 1'000'000};
  const double end = now_ms() + seconds * 1e3;
  double last = now_ms();
  int stalls = 0;
  double longest = 0;
  std::string lengths;
  while (last < end) {
    nanosleep(&tick, nullptr);
    const double t = now_ms();
    if (t - last > longest) longest = t - last;
    if (t - last > kStallMs) {
      ++stalls;
      if (stalls <= 10) {
        lengths += (lengths.empty() ? "" : ", ") + std::to_string(static_cast<int>(t - last));
      }
    }
    last = t;
  }
  if (!lengths.empty()) lengths = ": " + lengths + " ms";
  std::printf("%d pauses over %.0f ms (the longest sleep of 1 ms took %.1f ms%s), %s\n", stalls,
              kStallMs, longest, lengths.c_str(),
              realtime ? "seen at real-time priority" : "seen at normal priority (not root)");
  return 0;
}
