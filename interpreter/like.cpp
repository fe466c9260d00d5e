#include "interpreter/like.hpp"

#include <cstring>

namespace vectimus::interpreter {

namespace {

using Iter = ir::Pattern::const_iterator;

// A run of consecutive literal elements between two wildcards. The grammar may split one run
// into several elements (e.g. around a literal `\*`), so a run is matched element by element
// instead of being concatenated, which would allocate.
struct Run {
  Iter begin;
  Iter end;
  size_t size = 0;
};

Run next_run(Iter it, Iter end) {
  Run run{it, it, 0};
  while (run.end != end && !run.end->wildcard) {
    run.size += run.end->literal.size();
    ++run.end;
  }
  return run;
}

// Does `run` occur in `text` at byte offset `pos`? The caller checked that it fits.
bool run_at(std::string_view text, size_t pos, const Run& run) {
  for (Iter it = run.begin; it != run.end; ++it) {
    const std::string& lit = it->literal;
    if (!lit.empty() && std::memcmp(text.data() + pos, lit.data(), lit.size()) != 0) return false;
    pos += lit.size();
  }
  return true;
}

// The leftmost occurrence of `run` in text[from, limit), or npos.
size_t find_run(std::string_view text, size_t from, size_t limit, const Run& run) {
  if (run.size == 0) return from;
  if (limit - from < run.size) return std::string_view::npos;
  // Find the first non-empty element quickly, then check the rest of the run after it.
  // Empty elements occupy no bytes, so the first non-empty one starts where the run starts.
  Iter first = run.begin;
  while (first->literal.empty()) ++first;
  const std::string_view window = text.substr(0, limit);
  size_t pos = from;
  while (true) {
    pos = window.find(first->literal, pos);
    if (pos == std::string_view::npos || limit - pos < run.size) return std::string_view::npos;
    if (run_at(text, pos, run)) return pos;
    ++pos;
  }
}

}  // namespace

bool like_match(std::string_view text, const ir::Pattern& pattern) {
  const Iter end = pattern.end();
  // Leading literal run: must be a prefix.
  Run head = next_run(pattern.begin(), end);
  if (head.end == end) return head.size == text.size() && run_at(text, 0, head);
  if (head.size > text.size() || !run_at(text, 0, head)) return false;

  // Trailing literal run (after the last wildcard): must be a suffix. Everything between the
  // first and the last wildcard is matched greedily, each run at its leftmost occurrence: taking
  // the leftmost one never loses a match, which is the classic star-backtracking argument.
  Iter last_star = end;
  for (Iter it = pattern.begin(); it != end; ++it) {
    if (it->wildcard) last_star = it;
  }
  const Run tail = next_run(last_star + 1, end);
  if (head.size + tail.size > text.size()) return false;
  const size_t limit = text.size() - tail.size;
  if (!run_at(text, limit, tail)) return false;

  size_t pos = head.size;
  Iter it = head.end;
  while (it != last_star) {
    ++it;  // skip the wildcard
    const Run run = next_run(it, end);
    const size_t found = find_run(text, pos, limit, run);
    if (found == std::string_view::npos) return false;
    pos = found + run.size;
    it = run.end;
  }
  return true;
}

}  // namespace vectimus::interpreter
