// The live event stream behind `GET /events`: the last events (decisions and approval changes),
// each framed once as server-sent events (`id: n\nevent: kind\ndata: json\n\n`), and the
// subscribers that read them.
//
// Publishing never waits for a subscriber: a decision appends its frame to the pending text (a
// short lock shared with other publishers and the fan-out, which only takes the pending chunk
// from under it) and, unless a fan-out is already on its way, posts one. The fan-out (after the
// poster's gathering delay) seals everything pending into one immutable chunk, keeps it in a
// list of recent chunks, and wakes every subscriber once (a batch at a time, so decisions
// queued meanwhile are not held up by 200 socket writes). All subscribers write the same chunks
// by reference: a window of events costs one copy however many listen. Each subscriber keeps
// only the id of the last event it sent, so its queue is the chunks after that id; one that
// falls more than `lag_limit` events behind the chunks before the newest (a slow reader) is
// told it lagged and is dropped. `Last-Event-ID: n` replays the kept events after n (at most
// the last `replay` ones).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
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

  using Post = std::function<void(std::function<void()>)>;
  using LanePost =
      std::function<void(std::size_t lane, std::chrono::microseconds delay, std::function<void()>)>;
  // Who runs the fan-outs: `gather` after the gathering delay (without it they run inline, one
  // chunk per event); `soon(lane, delay, fn)` on the event loop of subscriber lane `lane`, after
  // `delay` and the work already waiting there, for that lane's wakes, a batch at a time: each
  // loop writes to its own subscribers. A lane's batches are spread evenly over `spread` (the
  // gathering window), so its decisions share the loop with a steady trickle of writes instead
  // of waiting behind a burst of them (without `soon` one fan-out wakes every subscriber in one
  // go).
  void set_poster(Post gather, LanePost soon = {},
                  std::chrono::microseconds spread = std::chrono::microseconds{0}) {
    post_ = std::move(gather);
    soon_ = std::move(soon);
    spread_ = spread;
  }
  // Subscribers woken in one go before the rest of the fan-out yields to other work.
  static constexpr std::size_t kWakeBatch = 8;

  // Publishes one event of `kind` ("decision", "approval"); `data(id)` is its one-line JSON.
  uint64_t publish(std::string_view kind, const std::function<std::string(uint64_t)>& data);
  // The id of the newest event published (0: none yet).
  uint64_t last_id() const { return published_.load(std::memory_order_acquire); }
  // The id of the newest event sealed into a chunk, that is, readable.
  uint64_t sealed_id() const { return sealed_.load(std::memory_order_acquire); }

  // The frames of the events `first`..`last`, concatenated, and where each one starts.
  struct Chunk {
    uint64_t first = 0;
    uint64_t last = 0;
    std::string frames;
    std::vector<uint32_t> starts;  // starts[i]: the offset of event first + i
  };
  // Part of a chunk: the frames after a subscriber's id. `bytes` points into `chunk`.
  struct Piece {
    std::shared_ptr<const Chunk> chunk;
    std::string_view bytes;
  };

  enum class Read : uint8_t { ok, lagged };
  // Appends the sealed frames after `after` (from at most `max` chunks) to `out` and advances
  // `after`. lagged: the subscriber fell behind further than the hub keeps for it.
  Read read_after(uint64_t& after, std::size_t max, std::vector<Piece>& out) const;
  // Whether a subscriber at `after` is more than the lag limit behind the chunks before the
  // newest (which it may not have had the chance to take).
  bool lagging(uint64_t after) const;
  // Where a new subscriber starts: after `last_event_id` (clamped to the kept replay window), or
  // after the newest event when it sent none.
  uint64_t start_after(std::optional<uint64_t> last_event_id) const;

  struct Subscriber {
    std::function<void()> wake;  // called (from the fan-out) when events may be waiting
    std::size_t lane = 0;        // the event loop that serves it: its wakes run there
  };
  // false: the subscriber limit is reached.
  bool subscribe(const std::shared_ptr<Subscriber>& subscriber);
  void unsubscribe(const Subscriber* subscriber);
  std::size_t subscribers() const;

 private:
  std::size_t lag_limit_;
  std::size_t max_subscribers_;
  Post post_;
  LanePost soon_;
  std::chrono::microseconds spread_{0};
  std::atomic<bool> fan_out_posted_{false};

  // Events published since the last fan-out, in id order without gaps.
  std::atomic<uint64_t> ids_{0};  // the last id handed out
  std::mutex pending_mutex_;
  std::atomic<uint64_t> published_{0};  // the last id in the pending chunk, with all before it
  std::unique_ptr<Chunk> pending_;
  std::map<uint64_t, std::string> early_;  // frames whose predecessors are not in yet

  // Puts the frame of event `id` in the pending chunk once every smaller id is there, and has
  // the chunk fanned out.
  void enter(uint64_t id, std::string frame);
  // Adds the frame of event `id` (the one after published_) to the pending chunk.
  void append_pending(uint64_t id, std::string_view frame);

  // Sealed chunks, oldest first, covering at least the last max(replay, lag limit) events.
  mutable std::mutex chunks_mutex_;
  std::deque<std::shared_ptr<const Chunk>> chunks_;
  std::atomic<uint64_t> sealed_{0};
  std::atomic<uint64_t> newest_first_{0};  // the first id of the newest chunk

  mutable std::mutex subscribers_mutex_;
  std::vector<std::shared_ptr<Subscriber>> subscribers_;

  // Seals what is pending into a chunk and wakes every subscriber.
  void fan_out();
  using Subscribers =
      std::shared_ptr<const std::vector<std::shared_ptr<Subscriber>>>;  // of one lane
  // Wakes the subscribers of `lane` from `from` on, kWakeBatch at a time, `step` apart.
  void wake(std::size_t lane, Subscribers subscribers, std::size_t from,
            std::chrono::microseconds step);
};

}  // namespace vectimus::server
