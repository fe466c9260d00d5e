// Many /events subscribers in one thread, for bench/server_load.sh: N connections to the server's
// event stream (GET /events with the API key), read with epoll and thrown away, counting decision
// events per connection. Cheap on purpose: the load test measures the server, so the listeners
// must cost as little CPU as possible (a node client would need more than the server).
//
//   server_subscribers HOST PORT COUNT [KEY]
//
// Connects COUNT subscribers, prints `subscribers: COUNT connected` once every one has its 200
// header, then reads until SIGTERM or SIGINT and prints one summary line:
//   subscribers: N connected, M still open, K closed by the server, E decision events
//   (min X, max Y per subscriber)
// A plain POSIX program (no project library), built by the script with g++.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) {
  g_stop = 1;
}

struct Subscriber {
  int fd = -1;
  bool headers_done = false;
  bool ok = false;      // the server answered 200
  bool closed = false;  // the server closed the stream
  std::string head;     // the response header, until its blank line
  std::string tail;     // the last bytes of the previous read, for a marker split across reads
  long long events = 0;
};

// Each decision frame is `id: N` then this line (so the newline before it is always there).
constexpr std::string_view kMarker = "\nevent: decision";

// Counts kMarker in tail + data, keeping the last marker-length - 1 bytes as the next tail. The
// data is searched where it lies (memchr for its newline); only a marker split across reads is
// joined.
void count_events(Subscriber& s, std::string_view data) {
  const size_t keep = kMarker.size() - 1;
  if (data.size() < keep) {
    std::string joined = s.tail;
    joined.append(data);
    if (joined.find(kMarker) != std::string::npos) ++s.events;  // shorter than two markers
    s.tail = joined.substr(joined.size() - std::min(joined.size(), keep));
    return;
  }
  // A marker that starts in the tail ends in the first keep bytes (it cannot overlap itself).
  std::string edge = s.tail;
  edge.append(data.substr(0, keep));
  if (edge.size() > keep && edge.find(kMarker) != std::string::npos) ++s.events;
  // Newlines are few (three a frame) and memchr finds them fast; each is checked for the marker.
  const char* p = data.data();
  const char* end = p + data.size();
  while ((p = static_cast<const char*>(memchr(p, kMarker[0], static_cast<size_t>(end - p)))) !=
         nullptr) {
    if (static_cast<size_t>(end - p) >= kMarker.size() &&
        std::memcmp(p, kMarker.data(), kMarker.size()) == 0) {
      ++s.events;
      p += kMarker.size();
    } else {
      ++p;
    }
  }
  s.tail.assign(data.substr(data.size() - keep));
}

int connect_one(const sockaddr_in& addr, const std::string& request) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = write(fd, request.data() + sent, request.size() - sent);
    if (n <= 0) {
      close(fd);
      return -1;
    }
    sent += static_cast<size_t>(n);
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

// Reads what is there; returns false when the stream ended. Level-triggered epoll reports a
// socket again while data is left, so a read that did not fill the buffer ends the turn (reading
// on until EAGAIN would double the reads, the most of this process's cost).
bool drain(Subscriber& s, std::vector<char>& buffer) {
  for (;;) {
    ssize_t n = read(s.fd, buffer.data(), buffer.size());
    if (n > 0) {
      const bool more = static_cast<size_t>(n) == buffer.size();
      std::string_view data(buffer.data(), static_cast<size_t>(n));
      if (!s.headers_done) {
        s.head.append(data);
        size_t end = s.head.find("\r\n\r\n");
        if (end == std::string::npos) {
          if (s.head.size() > 16384) return false;
          if (more) continue;
          return true;
        }
        s.headers_done = true;
        s.ok = s.head.rfind("HTTP/1.1 200", 0) == 0 || s.head.rfind("HTTP/1.0 200", 0) == 0;
        count_events(s, std::string_view(s.head).substr(end + 4));
        s.head.clear();
        if (more) continue;
        return true;
      }
      count_events(s, data);
      if (more) continue;
      return true;
    }
    if (n == 0) return false;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
    if (errno == EINTR) continue;
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: server_subscribers HOST PORT COUNT [KEY]\n");
    return 2;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[2])));
  if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) {
    std::fprintf(stderr, "server_subscribers: `%s` is not an IPv4 address\n", argv[1]);
    return 2;
  }
  int count = std::atoi(argv[3]);
  std::string request = "GET /events HTTP/1.1\r\nHost: ";
  request += argv[1];
  request += "\r\nAccept: text/event-stream\r\n";
  if (argc > 4 && argv[4][0] != '\0')
    request += std::string("X-Vectimus-API-Key: ") + argv[4] + "\r\n";
  request += "\r\n";

  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  std::vector<Subscriber> subs(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    subs[i].fd = connect_one(addr, request);
    if (subs[i].fd < 0) {
      std::fprintf(stderr, "server_subscribers: connect %d of %d failed: %s\n", i + 1, count,
                   std::strerror(errno));
      return 1;
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u32 = static_cast<uint32_t>(i);
    epoll_ctl(ep, EPOLL_CTL_ADD, subs[i].fd, &ev);
  }

  std::vector<char> buffer(1 << 16);
  std::vector<epoll_event> events(256);
  bool announced = false;
  int open = count;
  // Every header must arrive within 10 s.
  const auto header_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!g_stop && open > 0) {
    int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
    if (n < 0 && errno != EINTR) break;
    for (int k = 0; k < n; ++k) {
      Subscriber& s = subs[events[k].data.u32];
      if (s.closed) continue;
      if (!drain(s, buffer)) {
        s.closed = true;
        --open;
        epoll_ctl(ep, EPOLL_CTL_DEL, s.fd, nullptr);
        close(s.fd);
      }
    }
    if (!announced) {
      int ready = static_cast<int>(std::count_if(
          subs.begin(), subs.end(), [](const Subscriber& s) { return s.headers_done; }));
      if (ready == count) {
        int ok = static_cast<int>(
            std::count_if(subs.begin(), subs.end(), [](const Subscriber& s) { return s.ok; }));
        std::printf("subscribers: %d connected (%d answered 200)\n", count, ok);
        std::fflush(stdout);
        announced = true;
      } else if (std::chrono::steady_clock::now() > header_deadline) {
        std::fprintf(stderr, "server_subscribers: only %d of %d streams answered in 10 s\n", ready,
                     count);
        return 1;
      }
    }
  }
  long long total = 0, lo = -1, hi = 0;
  int closed = 0;
  for (const Subscriber& s : subs) {
    total += s.events;
    lo = lo < 0 ? s.events : std::min(lo, s.events);
    hi = std::max(hi, s.events);
    closed += s.closed ? 1 : 0;
    if (!s.closed) close(s.fd);
  }
  std::printf(
      "subscribers: %d connected, %d still open, %d closed by the server, %lld decision events "
      "(min %lld, max %lld per subscriber)\n",
      count, count - closed, closed, total, lo < 0 ? 0 : lo, hi);
  return 0;
}
