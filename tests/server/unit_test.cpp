// Unit tests of the server's plain parts: key comparison, routing, the event hub, approvals and
// their signed links, flood counting and the settings from config.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <new>
#include <thread>

#include "server/approvals.hpp"
#include "server/auth.hpp"
#include "server/flood.hpp"
#include "server/hub.hpp"
#include "server/routes.hpp"
#include "server/settings.hpp"

using namespace vectimus;
using namespace vectimus::server;

TEST_CASE("keys compare equal only when equal, whatever the lengths") {
  CHECK(constant_time_equal("secret", "secret"));
  CHECK_FALSE(constant_time_equal("secreT", "secret"));
  CHECK_FALSE(constant_time_equal("secret1", "secret"));
  CHECK_FALSE(constant_time_equal("secre", "secret"));
  CHECK_FALSE(constant_time_equal("", "secret"));
  CHECK(constant_time_equal("", ""));
  // A presented key longer than the stored one with it as prefix.
  CHECK_FALSE(constant_time_equal(std::string("secret\0", 7), "secret"));
}

TEST_CASE("the key comes from X-Vectimus-API-Key, else Authorization: Bearer") {
  CHECK(presented_key("k1", "Bearer k2") == std::optional<std::string_view>("k1"));
  CHECK(presented_key("", "Bearer k2") == std::optional<std::string_view>("k2"));
  CHECK(presented_key("", "bearer   k2 ") == std::optional<std::string_view>("k2"));
  CHECK_FALSE(presented_key("", "Basic dXNlcg=="));
  CHECK_FALSE(presented_key("", "Bearer "));
  CHECK_FALSE(presented_key("", ""));
}

TEST_CASE("a key ring names the key that matched") {
  const KeyRing ring({{"alice", "ka"}, {"bob", "kb"}});
  REQUIRE(ring.enabled());
  REQUIRE(ring.match("kb") != nullptr);
  CHECK(*ring.match("kb") == "bob");
  CHECK(*ring.match("ka") == "alice");
  CHECK(ring.match("kc") == nullptr);
  CHECK(ring.match("") == nullptr);
  CHECK_FALSE(KeyRing().enabled());
}

TEST_CASE("routes") {
  CHECK(route_of("POST", "/evaluate").kind == RouteKind::evaluate);
  CHECK(route_of("GET", "/evaluate").kind == RouteKind::bad_method);
  CHECK(std::string(route_of("GET", "/evaluate").allow) == "POST");
  const Route hook = route_of("POST", "/v1/hooks/gemini-cli");
  CHECK(hook.kind == RouteKind::hook);
  CHECK(hook.param == "gemini-cli");
  CHECK(route_of("POST", "/v1/hooks/").kind == RouteKind::not_found);
  CHECK(route_of("POST", "/v1/hooks/a/b").kind == RouteKind::not_found);
  CHECK(route_of("GET", "/health").kind == RouteKind::health);
  CHECK(route_of("HEAD", "/health").kind == RouteKind::health);
  CHECK(route_of("GET", "/healthz").kind == RouteKind::healthz);
  CHECK(route_of("GET", "/ready").kind == RouteKind::ready);
  CHECK(route_of("GET", "/policies").kind == RouteKind::policies);
  CHECK(route_of("GET", "/events").kind == RouteKind::events);
  CHECK(route_of("GET", "/v1/approvals").kind == RouteKind::approvals);
  const Route approve = route_of("POST", "/v1/approvals/apr-1/deny");
  CHECK(approve.kind == RouteKind::approve);
  CHECK(approve.param == "apr-1");
  CHECK(approve.action == "deny");
  const Route link = route_of("GET", "/v1/approvals/apr-1/approve?expires=5&sig=ab");
  CHECK(link.kind == RouteKind::approve_link);
  CHECK(link.query == "expires=5&sig=ab");
  CHECK(route_of("POST", "/v1/approvals/apr-1/maybe").kind == RouteKind::not_found);
  CHECK(route_of("POST", "/v1/checkpoints").kind == RouteKind::checkpoints);
  CHECK(route_of("GET", "/").kind == RouteKind::page);
  CHECK(route_of("GET", "/").param == "index.html");
  CHECK(route_of("GET", "/page.js").param == "page.js");
  CHECK(route_of("GET", "/a/b").kind == RouteKind::not_found);
  CHECK(route_of("GET", "/..").kind == RouteKind::not_found);
  CHECK(needs_key(RouteKind::evaluate));
  CHECK(needs_key(RouteKind::hook));
  CHECK(needs_key(RouteKind::events));
  CHECK(needs_key(RouteKind::approvals));
  CHECK(needs_key(RouteKind::approve));
  CHECK(needs_key(RouteKind::checkpoints));
  CHECK_FALSE(needs_key(RouteKind::approve_link));  // signed instead
  CHECK_FALSE(needs_key(RouteKind::health));
  CHECK_FALSE(needs_key(RouteKind::policies));
  CHECK_FALSE(needs_key(RouteKind::page));
  CHECK(query_value("a=1&sig=a%2Fb+c&x", "sig") == "a/b c");
  CHECK(query_value("a=1", "b").empty());
}

namespace {

// Reads as a subscriber does; the frames concatenated.
Hub::Read read(const Hub& hub, uint64_t& after, std::size_t max, std::string& out) {
  std::vector<Hub::Piece> pieces;
  const Hub::Read r = hub.read_after(after, max, pieces);
  for (const auto& p : pieces) out += p.bytes;
  return r;
}

// The ids of the frames in `text`, in order.
std::vector<uint64_t> ids_in(const std::string& text) {
  std::vector<uint64_t> ids;
  for (std::size_t at = text.find("id: "); at != std::string::npos; at = text.find("id: ", at)) {
    at += 4;
    ids.push_back(std::stoull(text.substr(at, text.find('\n', at) - at)));
  }
  return ids;
}

}  // namespace

TEST_CASE("the hub frames events with ids and replays after Last-Event-ID") {
  Hub hub(1000, 4);
  for (int i = 0; i < 5; ++i) {
    hub.publish("decision", [](uint64_t id) { return "{\"id\":" + std::to_string(id) + "}"; });
  }
  CHECK(hub.last_id() == 5);
  uint64_t after = hub.start_after(3);
  CHECK(after == 3);
  std::string out;
  REQUIRE(read(hub, after, 100, out) == Hub::Read::ok);
  CHECK(out ==
        "id: 4\nevent: decision\ndata: {\"id\":4}\n\nid: 5\nevent: decision\ndata: {\"id\":5}\n\n");
  CHECK(after == 5);
  // Without Last-Event-ID: only what comes next.
  CHECK(hub.start_after(std::nullopt) == 5);
  // At most `max` chunks per read (without a poster each event is its own chunk).
  after = 0;
  out.clear();
  REQUIRE(read(hub, after, 2, out) == Hub::Read::ok);
  CHECK(after == 2);
}

TEST_CASE("the hub keeps the last 1000 for replay and drops a subscriber that lags") {
  Hub hub(10, 4);
  for (int i = 0; i < 1500; ++i) hub.publish("decision", [](uint64_t) { return "{}"; });
  // Replay is bounded by what a subscriber may lag.
  CHECK(hub.start_after(1) == 1490);
  uint64_t after = 1400;
  std::string out;
  CHECK(hub.lagging(after));
  CHECK(read(hub, after, 100, out) == Hub::Read::lagged);
  // Exactly the lag limit behind the chunks before the newest is still served (inline, every
  // event is a chunk: 1500 is the newest).
  after = 1489;
  CHECK_FALSE(hub.lagging(after));
  CHECK(hub.lagging(after - 1));
  CHECK(read(hub, after, 100, out) == Hub::Read::ok);
  CHECK(ids_in(out).size() == 11);
  Hub big(1000, 4);
  for (int i = 0; i < 1500; ++i) big.publish("decision", [](uint64_t) { return "{}"; });
  CHECK(big.start_after(1) == 500);
  after = big.start_after(1);
  out.clear();
  CHECK(read(big, after, 2000, out) == Hub::Read::ok);
  CHECK(after == 1500);
}

TEST_CASE("an event whose JSON cannot be made leaves a comment in its place; later ones flow") {
  Hub hub(100, 4);
  hub.publish("decision", [](uint64_t) { return "{}"; });
  CHECK_THROWS(hub.publish("decision", [](uint64_t) -> std::string { throw std::bad_alloc(); }));
  hub.publish("decision", [](uint64_t) { return "{}"; });
  // Id 2 is taken and its place filled, so 3 is not held back behind it.
  CHECK(hub.last_id() == 3);
  uint64_t after = 0;
  std::string out;
  CHECK(read(hub, after, 100, out) == Hub::Read::ok);
  CHECK(ids_in(out) == std::vector<uint64_t>{1, 3});
  CHECK(out.find(": event 2 could not be written\n\n") != std::string::npos);
}

TEST_CASE("the hub wakes subscribers and refuses past its limit") {
  Hub hub(100, 2);
  int woken = 0;
  auto a = std::make_shared<Hub::Subscriber>();
  a->wake = [&] { ++woken; };
  auto b = std::make_shared<Hub::Subscriber>();
  auto c = std::make_shared<Hub::Subscriber>();
  CHECK(hub.subscribe(a));
  CHECK(hub.subscribe(b));
  CHECK_FALSE(hub.subscribe(c));
  hub.publish("decision", [](uint64_t) { return "{}"; });
  CHECK(woken == 1);
  hub.unsubscribe(b.get());
  CHECK(hub.subscribers() == 1);
  CHECK(hub.subscribe(c));
}

TEST_CASE("the hub seals a gathering window into one chunk that every subscriber shares") {
  Hub hub(1000, 4);
  std::vector<std::function<void()>> posted;
  hub.set_poster([&](std::function<void()> fn) { posted.push_back(std::move(fn)); });
  int woken = 0;
  auto a = std::make_shared<Hub::Subscriber>();
  a->wake = [&] { ++woken; };
  REQUIRE(hub.subscribe(a));
  for (int i = 0; i < 3; ++i) hub.publish("decision", [](uint64_t) { return "{}"; });
  // One fan-out posted for the three; nothing readable until it runs.
  REQUIRE(posted.size() == 1);
  CHECK(hub.last_id() == 3);
  CHECK(hub.sealed_id() == 0);
  uint64_t first = 0;
  std::vector<Hub::Piece> pieces;
  CHECK(hub.read_after(first, 10, pieces) == Hub::Read::ok);
  CHECK(pieces.empty());
  posted[0]();
  CHECK(woken == 1);
  CHECK(hub.sealed_id() == 3);
  // Two subscribers, one starting mid-chunk (Last-Event-ID: 1), read the same bytes.
  uint64_t second = 1;
  std::vector<Hub::Piece> others;
  REQUIRE(hub.read_after(first, 10, pieces) == Hub::Read::ok);
  REQUIRE(hub.read_after(second, 10, others) == Hub::Read::ok);
  REQUIRE(pieces.size() == 1);
  REQUIRE(others.size() == 1);
  CHECK(pieces[0].chunk == others[0].chunk);
  CHECK(ids_in(std::string(pieces[0].bytes)) == std::vector<uint64_t>{1, 2, 3});
  CHECK(ids_in(std::string(others[0].bytes)) == std::vector<uint64_t>{2, 3});
  CHECK(others[0].bytes.data() > pieces[0].bytes.data());
  CHECK(first == 3);
  CHECK(second == 3);
  // The next event posts the next fan-out.
  hub.publish("decision", [](uint64_t) { return "{}"; });
  CHECK(posted.size() == 2);
}

TEST_CASE("a window larger than the lag allowance drops only who missed an earlier one") {
  Hub hub(10, 4);
  std::vector<std::function<void()>> posted;
  hub.set_poster([&](std::function<void()> fn) { posted.push_back(std::move(fn)); });
  const auto window = [&] {
    for (int i = 0; i < 50; ++i) hub.publish("decision", [](uint64_t) { return "{}"; });
    REQUIRE(!posted.empty());
    auto fn = std::move(posted.back());
    posted.clear();
    fn();
  };
  window();
  uint64_t keeps_up = 0;
  uint64_t missed = 0;
  std::string out;
  // 50 new events, more than the allowance of 10, yet nobody could have taken them sooner.
  CHECK_FALSE(hub.lagging(missed));
  REQUIRE(read(hub, keeps_up, 64, out) == Hub::Read::ok);
  CHECK(keeps_up == 50);
  window();
  CHECK(read(hub, keeps_up, 64, out) == Hub::Read::ok);
  CHECK(keeps_up == 100);
  // `missed` never took the first window: 50 behind the chunks before the newest.
  CHECK(hub.lagging(missed));
  CHECK(read(hub, missed, 64, out) == Hub::Read::lagged);
}

TEST_CASE(
    "a fan-out wakes each lane's subscribers on that lane, in batches spread over the window") {
  // Two event loops (lanes): subscribers 0, 2, 4, ... on lane 0, the odd ones on lane 1.
  constexpr std::size_t kCount = 4 * Hub::kWakeBatch + 3;
  constexpr std::chrono::microseconds kSpread{12'000};
  Hub hub(1000, kCount);
  std::vector<std::function<void()>> gathered;
  struct Soon {
    std::size_t lane;
    std::chrono::microseconds delay;
    std::function<void()> fn;
  };
  std::vector<Soon> soon;
  hub.set_poster([&](std::function<void()> fn) { gathered.push_back(std::move(fn)); },
                 [&](std::size_t lane, std::chrono::microseconds delay, std::function<void()> fn) {
                   soon.push_back({lane, delay, std::move(fn)});
                 },
                 kSpread);
  std::vector<int> woken(kCount, 0);
  std::size_t running_lane = 99;
  int woken_elsewhere = 0;
  std::vector<std::shared_ptr<Hub::Subscriber>> subs;
  for (std::size_t i = 0; i < kCount; ++i) {
    subs.push_back(std::make_shared<Hub::Subscriber>());
    subs.back()->lane = i % 2;
    subs.back()->wake = [&, i] {
      ++woken[i];
      if (running_lane != i % 2) ++woken_elsewhere;
    };
    REQUIRE(hub.subscribe(subs.back()));
  }
  hub.publish("decision", [](uint64_t) { return "{}"; });
  REQUIRE(gathered.size() == 1);
  gathered[0]();
  // Nothing is woken on the gathering loop: one task per lane waits on that lane's loop, at once.
  CHECK(std::count(woken.begin(), woken.end(), 1) == 0);
  REQUIRE(soon.size() == 2);
  CHECK(soon[0].delay.count() == 0);
  CHECK(soon[1].delay.count() == 0);
  std::size_t tasks = 0;
  std::chrono::microseconds delays[2] = {};
  for (std::size_t round = 0; round < kCount && !soon.empty(); ++round) {
    Soon next = std::move(soon.front());
    soon.erase(soon.begin());
    const auto before = std::count(woken.begin(), woken.end(), 1);
    running_lane = next.lane;
    delays[next.lane] += next.delay;
    next.fn();
    // Each task wakes one batch at most, then yields to the loop's other work.
    CHECK(std::count(woken.begin(), woken.end(), 1) - before <= static_cast<long>(Hub::kWakeBatch));
    ++tasks;
  }
  CHECK(soon.empty());
  CHECK(std::count(woken.begin(), woken.end(), 1) == static_cast<long>(kCount));
  CHECK(woken_elsewhere == 0);
  // Lane 0 holds 2 batches and 2 more, lane 1 two batches and one: 3 tasks each, a third of
  // the window apart, so each lane's last batch goes two thirds into the window.
  CHECK(tasks == 6);
  CHECK(delays[0] == 2 * kSpread / 3);
  CHECK(delays[1] == 2 * kSpread / 3);
}

TEST_CASE("every subscriber reads every event in order while several threads publish") {
  constexpr int kThreads = 4;
  constexpr int kEach = 500;
  constexpr uint64_t kAll = kThreads * kEach;
  Hub hub(kAll, 8);
  // Fan-outs run on their own thread, as on the server's executor.
  std::mutex mutex;
  std::vector<std::function<void()>> queue;
  hub.set_poster([&](std::function<void()> fn) {
    const std::lock_guard lock(mutex);
    queue.push_back(std::move(fn));
  });
  std::atomic<bool> publishing{true};
  std::thread fan_out([&] {
    for (;;) {
      std::vector<std::function<void()>> run;
      {
        const std::lock_guard lock(mutex);
        run.swap(queue);
      }
      for (auto& fn : run) fn();
      if (run.empty() && !publishing.load()) {
        const std::lock_guard lock(mutex);
        if (queue.empty()) return;
      }
      std::this_thread::yield();
    }
  });
  // Readers poll while publishing goes on, bounded by a count of rounds.
  std::vector<std::string> got(4);
  std::vector<Hub::Read> result(got.size(), Hub::Read::ok);
  std::vector<std::thread> readers;
  for (std::size_t r = 0; r < got.size(); ++r) {
    readers.emplace_back([&, r] {
      uint64_t after = 0;
      for (int round = 0; round < 10'000'000 && after < kAll; ++round) {
        if ((result[r] = read(hub, after, 64, got[r])) != Hub::Read::ok) return;
        std::this_thread::yield();
      }
    });
  }
  std::vector<std::thread> publishers;
  for (int t = 0; t < kThreads; ++t) {
    publishers.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) hub.publish("decision", [](uint64_t) { return "{}"; });
    });
  }
  for (auto& t : publishers) t.join();
  publishing = false;
  fan_out.join();
  for (auto& t : readers) t.join();
  CHECK(hub.last_id() == kAll);
  CHECK(hub.sealed_id() == kAll);
  std::vector<uint64_t> want(kAll);
  for (uint64_t i = 0; i < kAll; ++i) want[i] = i + 1;
  for (std::size_t r = 0; r < got.size(); ++r) {
    CHECK(result[r] == Hub::Read::ok);
    CHECK(ids_in(got[r]) == want);
  }
}

TEST_CASE("approvals settle once; links are signed, bound to id and action, and expire") {
  Approvals approvals("s3cret");
  std::vector<std::pair<ApprovalState, std::optional<std::string>>> released;
  const std::string id = Approvals::new_id();
  CHECK(id.rfind("apr-", 0) == 0);
  const Approval a =
      approvals.open(id, "{\"d\":1}", 1000, 5000,
                     [&](ApprovalState s, const auto& by) { released.emplace_back(s, by); });
  CHECK(a.expires_ms == 6000);
  REQUIRE(approvals.pending().size() == 1);
  CHECK(approvals.pending()[0].decision_json == "{\"d\":1}");
  CHECK(approvals.settle(id, ApprovalState::approved, std::string("alice")) ==
        Approvals::Settle::done);
  CHECK(approvals.settle(id, ApprovalState::denied, std::string("bob")) ==
        Approvals::Settle::already);
  CHECK(approvals.settle("apr-nope", ApprovalState::denied, std::nullopt) ==
        Approvals::Settle::unknown);
  REQUIRE(released.size() == 1);
  CHECK(released[0].first == ApprovalState::approved);
  CHECK(released[0].second == std::optional<std::string>("alice"));
  CHECK(approvals.pending().empty());
  CHECK(approvals.state_of(id) == ApprovalState::approved);

  const std::string sig = approvals.sign("apr-1", "approve", 2000);
  CHECK(sig.size() == 64);
  CHECK(approvals.verify("apr-1", "approve", 2000, sig, 1999));
  CHECK(approvals.verify("apr-1", "approve", 2000, sig, 2000));
  CHECK_FALSE(approvals.verify("apr-1", "approve", 2000, sig, 2001));  // expired
  CHECK_FALSE(approvals.verify("apr-1", "deny", 2000, sig, 1000));     // other action
  CHECK_FALSE(approvals.verify("apr-2", "approve", 2000, sig, 1000));  // other approval
  CHECK_FALSE(approvals.verify("apr-1", "approve", 3000, sig, 1000));  // other expiry
  CHECK_FALSE(Approvals("").verify("apr-1", "approve", 2000,
                                   Approvals("").sign("apr-1", "approve", 2000), 1000));
  // RFC 4231 test case 2.
  CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("flood counts spawns and messages per session over a sliding window") {
  FloodCounter flood(1000);
  CHECK(flood.record("s1", true, false, 0).spawns == 1);
  CHECK(flood.record("s1", true, false, 100).spawns == 2);
  CHECK(flood.record("s2", true, false, 100).spawns == 1);
  const auto c = flood.record("s1", false, true, 500);
  CHECK(c.spawns == 2);
  CHECK(c.messages == 1);
  // The first spawn (at 0) leaves the window at 1000; the second at 1100.
  CHECK(flood.record("s1", false, false, 1000).spawns == 1);
  CHECK(flood.record("s1", false, false, 1100).spawns == 0);
  CHECK(flood.record("s1", false, false, 1100).messages == 1);
}

TEST_CASE("settings: config, VECTIMUS_API_KEYS and flags") {
  engine::Config config;
  config.server_api_key.emplace("k0");
  config.server_api_keys = {{{"name", "carol"}, {"key", "kc"}}};
  config.server_port = 9000;
  MapEnvironment env;
  env.set("VECTIMUS_API_KEYS", "alice:ka,bob:kb");
  Flags flags;
  flags.port = 0;
  flags.observe = true;
  auto s = make_settings(config, env, flags);
  REQUIRE(s.ok());
  CHECK(s->port == 0);
  CHECK(s->host == "127.0.0.1");
  CHECK(s->observe);
  REQUIRE(s->keys.size() == 4);
  CHECK(s->keys[0].name == "default");
  CHECK(s->keys[1].name == "alice");
  CHECK(s->keys[2].key == "kb");
  CHECK(s->keys[3].name == "carol");

  MapEnvironment dup;
  dup.set("VECTIMUS_API_KEYS", "default:x");
  CHECK_FALSE(make_settings(config, dup, {}).ok());
  CHECK_FALSE(parse_named_keys("alice").ok());
  CHECK_FALSE(parse_named_keys(":k").ok());
  engine::Config half;
  half.server_tls_cert = "/c.pem";
  CHECK_FALSE(make_settings(half, MapEnvironment(), {}).ok());
  engine::Config bad;
  bad.server_api_keys = {{{"name", "x"}}};
  CHECK_FALSE(make_settings(bad, MapEnvironment(), {}).ok());
}
