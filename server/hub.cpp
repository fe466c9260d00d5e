#include "server/hub.hpp"

#include <algorithm>

namespace vectimus::server {

Hub::Hub(std::size_t lag_limit, std::size_t max_subscribers)
    : lag_limit_(std::max<std::size_t>(lag_limit, 1)),
      max_subscribers_(max_subscribers),
      // Room for the replay window and the lag allowance, plus slack for events being written.
      ring_(std::max(kReplay, lag_limit_) + 256) {}

uint64_t Hub::publish(std::string_view kind, const std::function<std::string(uint64_t)>& data) {
  const uint64_t id = next_.fetch_add(1, std::memory_order_acq_rel) + 1;
  std::string frame = "id: " + std::to_string(id) + "\nevent: ";
  frame += kind;
  frame += "\ndata: ";
  frame += data(id);
  frame += "\n\n";
  Slot& slot = ring_[id % ring_.size()];
  {
    const std::lock_guard lock(slot.mutex);
    // A slower writer of an older id that lands here late must not undo a newer event.
    if (slot.id < id) {
      slot.id = id;
      slot.frame.swap(frame);
    }
  }
  if (!wake_posted_.exchange(true, std::memory_order_acq_rel)) {
    if (post_) {
      post_([this] { wake_all(); });
    } else {
      wake_all();
    }
  }
  return id;
}

Hub::Read Hub::read_after(uint64_t& after, std::size_t max, std::string& out) const {
  const uint64_t newest = last_id();
  if (newest > after && newest - after > lag_limit_) return Read::lagged;
  for (std::size_t n = 0; n < max && after < newest; ++n) {
    const uint64_t want = after + 1;
    const Slot& slot = ring_[want % ring_.size()];
    const std::lock_guard lock(slot.mutex);
    if (slot.id > want) return Read::lagged;  // overwritten before it was read
    if (slot.id < want) break;                // still being written: the writer wakes us again
    out += slot.frame;
    after = want;
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

void Hub::wake_all() {
  wake_posted_.store(false, std::memory_order_release);
  std::vector<std::shared_ptr<Subscriber>> all;
  {
    const std::lock_guard lock(subscribers_mutex_);
    all = subscribers_;
  }
  for (const auto& s : all) {
    if (s->wake) s->wake();
  }
}

}  // namespace vectimus::server
