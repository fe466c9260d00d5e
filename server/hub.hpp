// The live event stream behind `GET /events`: a ring of the last events (decisions and approval
// changes), each framed once as server-sent events (`id: n\nevent: kind\ndata: json\n\n`), and
// the subscribers that read it.
//
// Publishing never waits for a subscriber: a decision takes an id (one atomic add), writes its
// frame into its slot of the ring (a lock of that slot alone) and, unless a wake-up is already
// on its way, posts one that tells every subscriber to read. Each subscriber keeps only the id
// of the last event it sent, so its queue is the stretch of the ring after that id; one that
// falls more than `lag_limit` events behind (a slow reader) is told it lagged and is dropped.
// `Last-Event-ID: n` replays the kept events after n (at most the last `replay` ones).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vectimus::server {

class Hub {
 public:
  static constexpr std::size_t kReplay = 1000;

  // `lag_limit`: how far behind a subscriber may fall; `max_subscribers`: more are refused.
  Hub(std::size_t lag_limit, std::size_t max_subscribers);

  // Who runs the wake-ups (the server's executor); without one they run inline.
  void set_poster(std::function<void(std::function<void()>)> post) { post_ = std::move(post); }

  // Publishes one event of `kind` ("decision", "approval"); `data(id)` is its one-line JSON.
  uint64_t publish(std::string_view kind, const std::function<std::string(uint64_t)>& data);
  // The id of the newest event published (0: none yet).
  uint64_t last_id() const { return next_.load(std::memory_order_acquire); }

  enum class Read : uint8_t { ok, lagged };
  // Appends the frames after `after` (at most `max` of them) to `out` and advances `after`.
  // lagged: the subscriber fell behind further than the ring keeps for it.
  Read read_after(uint64_t& after, std::size_t max, std::string& out) const;
  // Where a new subscriber starts: after `last_event_id` (clamped to the kept replay window), or
  // after the newest event when it sent none.
  uint64_t start_after(std::optional<uint64_t> last_event_id) const;

  struct Subscriber {
    std::function<void()> wake;  // called (from the poster) when events may be waiting
  };
  // false: the subscriber limit is reached.
  bool subscribe(const std::shared_ptr<Subscriber>& subscriber);
  void unsubscribe(const Subscriber* subscriber);
  std::size_t subscribers() const;
  // Wakes every subscriber (also the heartbeat's tick).
  void wake_all();

 private:
  struct Slot {
    mutable std::mutex mutex;
    uint64_t id = 0;
    std::string frame;
  };
  std::size_t lag_limit_;
  std::size_t max_subscribers_;
  std::vector<Slot> ring_;
  std::atomic<uint64_t> next_{0};
  std::atomic<bool> wake_posted_{false};
  std::function<void(std::function<void()>)> post_;
  mutable std::mutex subscribers_mutex_;
  std::vector<std::shared_ptr<Subscriber>> subscribers_;
};

}  // namespace vectimus::server
