// Session flood detection: per agent session, how many agents it spawned and how many messages
// it sent within a sliding window. The server puts the counts into each event of a session
// (context.session_spawn_count, context.session_message_count) so a policy can escalate a
// session that spawns agents in a loop (policies/agent-governance). Sharded by session id, so
// concurrent decisions rarely share a lock; memory is bounded (sessions per shard, events per
// session: a count saturates at kMaxPerSession).
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vectimus::server {

class FloodCounter {
 public:
  static constexpr std::size_t kMaxPerSession = 100'000;
  static constexpr std::size_t kMaxSessionsPerShard = 4096;

  explicit FloodCounter(int64_t window_ms);

  struct Counts {
    int64_t spawns = 0;
    int64_t messages = 0;
  };
  // Records one event of `session` at `now_ms` (a spawn, a message, or neither) and returns the
  // session's counts within the window ending at `now_ms`, this event included.
  Counts record(std::string_view session, bool spawn, bool message, int64_t now_ms);

 private:
  struct Session {
    std::deque<int64_t> spawns;
    std::deque<int64_t> messages;
    int64_t last_ms = 0;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Session> sessions;
  };
  int64_t window_ms_;
  std::vector<Shard> shards_;

  void evict(Shard& shard, int64_t now_ms);
};

}  // namespace vectimus::server
