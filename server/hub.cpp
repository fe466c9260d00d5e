#include "server/hub.hpp"

#include <algorithm>

namespace vectimus::server {

Hub::Hub(std::size_t lag_limit, std::size_t max_subscribers)
    : lag_limit_(std::max<std::size_t>(lag_limit, 1)), max_subscribers_(max_subscribers) {}

uint64_t Hub::publish(std::string_view kind, const std::function<std::string(uint64_t)>& data) {
  // The id is taken first and the frame made outside the lock, so publishers on other threads
  // do not wait for each other's JSON; frames then enter the pending chunk in id order.
  const uint64_t id = ids_.fetch_add(1, std::memory_order_relaxed) + 1;
  std::string frame;
  try {
    frame = "id: " + std::to_string(id) + "\nevent: ";
    frame += kind;
    frame += "\ndata: ";
    frame += data(id);
    frame += "\n\n";
  } catch (...) {
    // The id is taken: a frame must fill its place, or every later event would wait for it.
    // A comment line, which event-stream readers skip.
    enter(id, ": event " + std::to_string(id) + " could not be written\n\n");
    throw;
  }
  enter(id, std::move(frame));
  return id;
}

void Hub::enter(uint64_t id, std::string frame) {
  {
    const std::lock_guard lock(pending_mutex_);
    if (id != published_.load(std::memory_order_relaxed) + 1) {
      // A publisher with a smaller id has not entered its frame yet; it enters this one after.
      early_.emplace(id, std::move(frame));
      return;
    }
    append_pending(id, frame);
    for (auto it = early_.begin();
         it != early_.end() && it->first == published_.load(std::memory_order_relaxed) + 1;
         it = early_.erase(it)) {
      append_pending(it->first, it->second);
    }
  }
  if (!fan_out_posted_.exchange(true, std::memory_order_acq_rel)) {
    if (post_) {
      post_([this] { fan_out(); });
    } else {
      fan_out();
    }
  }
}

void Hub::append_pending(uint64_t id, std::string_view frame) {
  if (!pending_) {
    pending_ = std::make_unique<Chunk>();
    pending_->first = id;
  }
  Chunk& c = *pending_;
  c.last = id;
  c.starts.push_back(static_cast<uint32_t>(c.frames.size()));
  c.frames += frame;
  published_.store(id, std::memory_order_release);
}

void Hub::fan_out() {
  // Cleared before taking the pending events: one published after this point posts again. An
  // exchange, not a store, so a publisher that saw the flag still set is ordered before the take.
  fan_out_posted_.exchange(false, std::memory_order_acq_rel);
  std::shared_ptr<const Chunk> chunk;
  {
    const std::lock_guard lock(pending_mutex_);
    chunk = std::move(pending_);
  }
  if (chunk) {
    const std::lock_guard lock(chunks_mutex_);
    chunks_.push_back(chunk);
    // Keep what replay and the lag allowance can ask for: a subscriber that is not lagging
    // needs the events from chunk->first - lag_limit_ on.
    const uint64_t keep = std::max<uint64_t>(kReplay, lag_limit_);
    while (chunks_.size() > 1 && chunks_.front()->last + keep < chunk->first) chunks_.pop_front();
    newest_first_.store(chunk->first, std::memory_order_release);
    sealed_.store(chunk->last, std::memory_order_release);
  }
  std::vector<std::vector<std::shared_ptr<Subscriber>>> lanes;
  {
    const std::lock_guard lock(subscribers_mutex_);
    for (const auto& s : subscribers_) {
      if (s->lane >= lanes.size()) lanes.resize(s->lane + 1);
      lanes[s->lane].push_back(s);
    }
  }
  for (std::size_t lane = 0; lane < lanes.size(); ++lane) {
    if (lanes[lane].empty()) continue;
    auto subscribers =
        std::make_shared<const std::vector<std::shared_ptr<Subscriber>>>(std::move(lanes[lane]));
    const std::size_t batches = (subscribers->size() + kWakeBatch - 1) / kWakeBatch;
    const std::chrono::microseconds step = spread_ / static_cast<int64_t>(batches);
    if (soon_) {
      soon_(lane, std::chrono::microseconds{0},
            [this, lane, subscribers, step] { wake(lane, subscribers, 0, step); });
    } else {
      wake(lane, std::move(subscribers), 0, step);
    }
  }
}

void Hub::wake(std::size_t lane, Subscribers subscribers, std::size_t from,
               std::chrono::microseconds step) {
  const std::size_t end =
      soon_ ? std::min(subscribers->size(), from + kWakeBatch) : subscribers->size();
  for (std::size_t i = from; i < end; ++i) {
    if ((*subscribers)[i]->wake) (*subscribers)[i]->wake();
  }
  if (end < subscribers->size()) {
    soon_(lane, step, [this, lane, subscribers = std::move(subscribers), end, step]() mutable {
      wake(lane, std::move(subscribers), end, step);
    });
  }
}

bool Hub::lagging(uint64_t after) const {
  // The newest chunk does not count: a subscriber cannot have taken it yet, and a window may
  // hold more events than the allowance.
  const uint64_t first = newest_first_.load(std::memory_order_acquire);
  return first > after + 1 && first - 1 - after > lag_limit_;
}

Hub::Read Hub::read_after(uint64_t& after, std::size_t max, std::vector<Piece>& out) const {
  if (lagging(after)) return Read::lagged;
  const std::lock_guard lock(chunks_mutex_);
  if (chunks_.empty() || chunks_.back()->last <= after) return Read::ok;
  if (chunks_.front()->first > after + 1) return Read::lagged;  // no longer kept
  // The first chunk with events after `after`.
  auto it = std::partition_point(chunks_.begin(), chunks_.end(),
                                 [&](const auto& c) { return c->last <= after; });
  for (std::size_t n = 0; n < max && it != chunks_.end(); ++n, ++it) {
    const Chunk& c = **it;
    const std::size_t from = c.starts[after + 1 - c.first];
    out.push_back({*it, std::string_view(c.frames).substr(from)});
    after = c.last;
  }
  return Read::ok;
}

uint64_t Hub::start_after(std::optional<uint64_t> last_event_id) const {
  const uint64_t newest = last_id();
  if (!last_event_id || *last_event_id >= newest) return newest;
  const uint64_t window = std::min<uint64_t>(kReplay, lag_limit_);
  const uint64_t oldest_after = newest > window ? newest - window : 0;
  return std::max(*last_event_id, oldest_after);
}

bool Hub::subscribe(const std::shared_ptr<Subscriber>& subscriber) {
  const std::lock_guard lock(subscribers_mutex_);
  if (subscribers_.size() >= max_subscribers_) return false;
  subscribers_.push_back(subscriber);
  return true;
}

void Hub::unsubscribe(const Subscriber* subscriber) {
  const std::lock_guard lock(subscribers_mutex_);
  std::erase_if(subscribers_, [&](const auto& s) { return s.get() == subscriber; });
}

std::size_t Hub::subscribers() const {
  const std::lock_guard lock(subscribers_mutex_);
  return subscribers_.size();
}

}  // namespace vectimus::server
