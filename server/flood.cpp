#include "server/flood.hpp"

#include <functional>

namespace vectimus::server {
namespace {

void drop_before(std::deque<int64_t>& times, int64_t cutoff) {
  while (!times.empty() && times.front() <= cutoff) times.pop_front();
}

}  // namespace

FloodCounter::FloodCounter(int64_t window_ms) : window_ms_(window_ms), shards_(64) {}

FloodCounter::Counts FloodCounter::record(std::string_view session, bool spawn, bool message,
                                          int64_t now_ms) {
  Shard& shard = shards_[std::hash<std::string_view>{}(session) % shards_.size()];
  const std::lock_guard lock(shard.mutex);
  auto it = shard.sessions.find(std::string(session));
  if (it == shard.sessions.end()) {
    if (shard.sessions.size() >= kMaxSessionsPerShard) evict(shard, now_ms);
    it = shard.sessions.emplace(std::string(session), Session{}).first;
  }
  Session& s = it->second;
  const int64_t cutoff = now_ms - window_ms_;
  drop_before(s.spawns, cutoff);
  drop_before(s.messages, cutoff);
  if (spawn && s.spawns.size() < kMaxPerSession) s.spawns.push_back(now_ms);
  if (message && s.messages.size() < kMaxPerSession) s.messages.push_back(now_ms);
  s.last_ms = now_ms;
  return {static_cast<int64_t>(s.spawns.size()), static_cast<int64_t>(s.messages.size())};
}

// Drops the sessions idle for a whole window; if none is, the least recently seen one.
void FloodCounter::evict(Shard& shard, int64_t now_ms) {
  const int64_t cutoff = now_ms - window_ms_;
  std::erase_if(shard.sessions, [&](const auto& entry) { return entry.second.last_ms <= cutoff; });
  if (shard.sessions.size() < kMaxSessionsPerShard) return;
  auto oldest = shard.sessions.begin();
  for (auto it = shard.sessions.begin(); it != shard.sessions.end(); ++it) {
    if (it->second.last_ms < oldest->second.last_ms) oldest = it;
  }
  shard.sessions.erase(oldest);
}

}  // namespace vectimus::server
