// The Aho-Corasick matcher against a naive reference (std::string_view::find) on random inputs.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "index/aho_corasick.hpp"

namespace vectimus::index {
namespace {

using Ids = std::vector<uint32_t>;

Ids sorted(Ids ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

// A small alphabet makes overlaps, nested patterns and repeats common; the high bytes check
// that nothing treats bytes as signed.
std::string random_text(std::mt19937& rng, size_t max_len) {
  static const char kAlphabet[] = {'a', 'b', 'c', '\xc3', '\xa9', '\0', '\xff'};
  std::uniform_int_distribution<size_t> len(0, max_len);
  std::uniform_int_distribution<size_t> pick(0, sizeof kAlphabet - 1);
  std::uniform_int_distribution<int> mostly_ab(0, 9);
  std::string out(len(rng), 'a');
  for (char& c : out) c = mostly_ab(rng) < 7 ? "ab"[mostly_ab(rng) % 2] : kAlphabet[pick(rng)];
  return out;
}

TEST_CASE("aho-corasick agrees with a naive matcher", "[index][aho_corasick]") {
  std::mt19937 rng(20240611);
  // Scratch shared by every scan of every matcher, as PolicyIndex shares it: each scan must
  // leave it clear for the next.
  std::vector<uint64_t> seen;
  for (int round = 0; round < 3000; ++round) {
    AhoCorasick ac;
    std::vector<std::string> patterns;
    const int count = 1 + static_cast<int>(rng() % 24);
    for (int i = 0; i < count; ++i) {
      std::string p = random_text(rng, 6);
      if (p.empty()) continue;
      const uint32_t id = ac.add(p);
      if (id == patterns.size()) {
        patterns.push_back(p);
      } else {
        REQUIRE(id < patterns.size());
        REQUIRE(patterns[id] == p);  // the same bytes get the same id
      }
    }
    ac.compile();
    for (int t = 0; t < 8; ++t) {
      const std::string text = random_text(rng, round % 10 == 0 ? 400 : 40);
      AhoCorasick::Hits hits;
      ac.scan(text, hits);
      Ids found;
      Ids prefix;
      Ids suffix;
      for (uint32_t id = 0; id < patterns.size(); ++id) {
        const std::string_view p = patterns[id];
        const std::string_view s = text;
        if (s.find(p) != std::string_view::npos) found.push_back(id);
        if (s.substr(0, p.size()) == p) prefix.push_back(id);
        if (s.size() >= p.size() && s.substr(s.size() - p.size()) == p) suffix.push_back(id);
      }
      INFO("text size " << text.size() << ", " << patterns.size() << " patterns");
      REQUIRE(sorted(hits.found) == found);
      REQUIRE(sorted(hits.prefix) == prefix);
      REQUIRE(sorted(hits.suffix) == suffix);
      AhoCorasick::Hits shared;
      ac.scan(text, shared, seen);
      REQUIRE(sorted(shared.found) == found);
      REQUIRE(sorted(shared.prefix) == prefix);
      REQUIRE(sorted(shared.suffix) == suffix);
      REQUIRE(std::all_of(seen.begin(), seen.end(), [](uint64_t w) { return w == 0; }));
    }
  }
}

TEST_CASE("aho-corasick edge cases", "[index][aho_corasick]") {
  AhoCorasick ac;
  CHECK(ac.add("") == AhoCorasick::kNone);
  const uint32_t he = ac.add("he");
  const uint32_t she = ac.add("she");
  const uint32_t his = ac.add("his");
  const uint32_t hers = ac.add("hers");
  ac.compile();
  CHECK(ac.add("late") == AhoCorasick::kNone);
  AhoCorasick::Hits hits;
  ac.scan("ushers", hits);
  CHECK(sorted(hits.found) == sorted({he, she, hers}));
  CHECK(hits.prefix.empty());
  CHECK(hits.suffix == Ids{hers});
  AhoCorasick::Hits none;
  ac.scan("", none);
  CHECK(none.found.empty());
  (void)his;

  AhoCorasick empty;
  empty.compile();
  AhoCorasick::Hits nothing;
  empty.scan("anything", nothing);
  CHECK(nothing.found.empty());
}

TEST_CASE("aho-corasick reports each pattern once on long repetitive text",
          "[index][aho_corasick]") {
  AhoCorasick ac;
  std::vector<uint32_t> ids;
  for (size_t n = 3; n <= 40; ++n) ids.push_back(ac.add(std::string(n, 'a')));
  ac.compile();
  AhoCorasick::Hits hits;
  ac.scan(std::string(64 * 1024, 'a'), hits);
  CHECK(sorted(hits.found) == ids);
  CHECK(sorted(hits.prefix) == ids);
  CHECK(sorted(hits.suffix) == ids);
}

}  // namespace
}  // namespace vectimus::index
