// The baseline for hook_bench: a trivial C++ program that only reads stdin to the end, so the
// hook's cost can be stated relative to the cheapest process that does the same I/O.
#include <unistd.h>

int main() {
  char buf[65536];
  while (read(0, buf, sizeof buf) > 0) {
  }
  return 0;
}
