#include "audit/syslog.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <memory>

#include "audit/note.hpp"
#include "audit/record.hpp"

namespace vectimus::audit {
namespace {

// Facility 13, "log audit" (RFC 5424 table 1): these are audit records, and collectors
// commonly route that facility to files of their own, kept apart from ordinary logs.
constexpr int kFacilityLogAudit = 13;
// A call that was let through is notable but normal; one that was stopped or sent to a human
// is a warning, so a collector filtering at `warning` still sees every refusal.
constexpr int kSeverityWarning = 4;
constexpr int kSeverityNotice = 5;
// 32473 is the Private Enterprise Number IANA reserves for examples (RFC 5612); it stands
// until vectimus registers one of its own. Collectors key structured data on this SD-ID.
constexpr std::string_view kSdId = "vectimus@32473";
constexpr std::string_view kBom = "\xEF\xBB\xBF";

// `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID ` (RFC 5424 §6.2).
std::string header_text(const SyslogHeader& h, int severity, std::string_view msgid) {
  // HOSTNAME is at most 255 printable US-ASCII characters.
  std::string host;
  for (char c : h.hostname) {
    if (c > ' ' && c < 127 && host.size() < 255) host += c;
  }
  if (host.empty()) host = "-";
  return "<" + std::to_string(kFacilityLogAudit * 8 + severity) + ">1 " +
         iso_timestamp(h.timestamp_ns) + " " + host + " vectimus " + std::to_string(h.pid) + " " +
         std::string(msgid) + " ";
}

// ` name="value"`, with `"`, `\` and `]` escaped (RFC 5424 §6.3.3).
std::string sd_param(std::string_view name, std::string_view value) {
  std::string out = " " + std::string(name) + "=\"";
  for (char c : value) {
    if (c == '"' || c == '\\' || c == ']') out += '\\';
    out += c;
  }
  return out + "\"";
}

using Clock = std::chrono::steady_clock;

// When a send must be over, and how long it was given (for the error text).
struct Deadline {
  Clock::time_point at;
  int ms = 0;
};

int remaining_ms(const Deadline& deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline.at - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits until `fd` is writable or the deadline passes; false on timeout.
bool wait_writable(int fd, const Deadline& deadline) {
  for (int left = remaining_ms(deadline); left > 0; left = remaining_ms(deadline)) {
    pollfd p{fd, POLLOUT, 0};
    const int n = ::poll(&p, 1, left);
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return true;  // the next call reports the error
  }
  return false;
}

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// One address's socket, connected and written to within the deadline. Datagram sockets are
// connected too, so a full receive queue on a local socket can be waited for with poll().
IoStatus connect_and_send(const sockaddr* addr, socklen_t len, int socktype, std::string_view bytes,
                          const Deadline& deadline, const std::string& target) {
  const Fd s(::socket(addr->sa_family, socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (s.fd < 0) return {"cannot open a socket for `" + target + "`: " + std::strerror(errno)};
  const auto timed_out = [&] {
    return IoStatus{"no answer from `" + target + "` within " + std::to_string(deadline.ms) +
                    " ms"};
  };
  if (::connect(s.fd, addr, len) != 0) {
    if (errno != EINPROGRESS) {
      return {"cannot connect to `" + target + "`: " + std::strerror(errno)};
    }
    if (!wait_writable(s.fd, deadline)) return timed_out();
    int error = 0;
    socklen_t size = sizeof error;
    ::getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0) return {"cannot connect to `" + target + "`: " + std::strerror(error)};
  }
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(s.fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR && remaining_ms(deadline) > 0) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait_writable(s.fd, deadline)) return timed_out();
      continue;
    }
    std::string why = n < 0 ? std::strerror(errno) : "nothing was sent";
    if (n < 0 && errno == EMSGSIZE) {
      why += " (" + std::to_string(bytes.size()) +
             " bytes do not fit one datagram; tcp:// has "
             "no such limit)";
    }
    return {"cannot send to `" + target + "`: " + why};
  }
  return {};
}

// A name look-up bounded by the deadline. glibc's getaddrinfo() cannot be interrupted, and a
// dead DNS server holds it for resolv.conf's timeout × attempts (10 s by default), so names go
// through getaddrinfo_a(), waited for until the deadline. Address literals need no look-up.
struct Lookup {
  std::string name, service;
  addrinfo hints{};
  gaicb request{};
};

struct AddrInfoFree {
  void operator()(addrinfo* a) const { ::freeaddrinfo(a); }
};
using Addresses = std::unique_ptr<addrinfo, AddrInfoFree>;

Result<Addresses> look_up(const Endpoint& to, int socktype, const Deadline& deadline,
                          const std::string& target) {
  auto lookup = std::make_unique<Lookup>();
  lookup->name = to.host;
  lookup->service = std::to_string(to.port);
  lookup->hints.ai_socktype = socktype;
  lookup->hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  int rc = ::getaddrinfo(lookup->name.c_str(), lookup->service.c_str(), &lookup->hints, &found);
  if (rc == EAI_NONAME) {
    // No AI_ADDRCONFIG: it ignores loopback, so `localhost` would not resolve on a machine
    // with no other address.
    lookup->hints.ai_flags = AI_NUMERICSERV;
    lookup->request.ar_name = lookup->name.c_str();
    lookup->request.ar_service = lookup->service.c_str();
    lookup->request.ar_request = &lookup->hints;
    gaicb* list[] = {&lookup->request};
    rc = ::getaddrinfo_a(GAI_NOWAIT, list, 1, nullptr);
    for (int left = remaining_ms(deadline); rc == 0 && left > 0; left = remaining_ms(deadline)) {
      const timespec wait{left / 1000, (left % 1000) * 1'000'000L};
      ::gai_suspend(list, 1, &wait);
      if (::gai_error(&lookup->request) != EAI_INPROGRESS) break;
    }
    if (rc == 0) rc = ::gai_error(&lookup->request);
    if (rc == EAI_INPROGRESS) {
      // The resolver's thread still owns the request: leave it allocated (the hook exits soon).
      if (::gai_cancel(&lookup->request) != EAI_CANCELED) (void)lookup.release();
      return make_error("io", "cannot look up `" + to.host + "` for `" + target + "` within " +
                                  std::to_string(deadline.ms) + " ms");
    }
    found = lookup->request.ar_result;
  }
  if (rc != 0) {
    return make_error(
        "io", "cannot look up `" + to.host + "` for `" + target + "`: " + ::gai_strerror(rc));
  }
  return Addresses(found);
}

// `signed_note`'s checkpoint, or why it is not one.
Result<Checkpoint> checkpoint_of(std::string_view signed_note) {
  auto note = parse_note(signed_note);
  if (!note) return std::move(note).take_errors();
  return parse_checkpoint(note->text);
}

}  // namespace

SyslogHeader local_syslog_header(int64_t now_ns) {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) name[0] = '\0';
  return SyslogHeader{now_ns, name, ::getpid()};
}

std::string decision_message(const SyslogHeader& header, const DecisionExport& d) {
  const bool stopped = d.verdict == "deny" || d.verdict == "escalate";
  std::string out = header_text(header, stopped ? kSeverityWarning : kSeverityNotice, "decision");
  out += "[" + std::string(kSdId) + sd_param("decision", d.verdict);
  if (d.receipt_id) out += sd_param("receipt_id", *d.receipt_id);
  if (d.log_index) out += sd_param("log_index", std::to_string(*d.log_index));
  for (const std::string& rule : d.rule_ids) out += sd_param("rule", rule);
  out += "] ";
  out += kBom;
  out += d.record;
  return out;
}

Result<std::string> checkpoint_message(const SyslogHeader& header, std::string_view signed_note) {
  const auto checkpoint = checkpoint_of(signed_note);
  if (!checkpoint) {
    return make_error("io", "the checkpoint to export is not a signed checkpoint: " +
                                checkpoint.errors().front().message);
  }
  // A notice: routine, but what the copy exists for, so a collector that keeps the notices of
  // decisions keeps the checkpoints too.
  std::string out = header_text(header, kSeverityNotice, "checkpoint");
  out += "[" + std::string(kSdId) + sd_param("origin", checkpoint->origin) +
         sd_param("tree_size", std::to_string(checkpoint->size)) + "] ";
  out += kBom;
  out += signed_note;
  return out;
}

IoStatus send_syslog(const Endpoint& to, std::string_view message, int deadline_ms) {
  const Deadline deadline{Clock::now() + std::chrono::milliseconds(deadline_ms), deadline_ms};
  const std::string target = endpoint_text(to);
  if (to.transport == Transport::unix_datagram) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    // parse_endpoint() checked that the path fits, with its NUL.
    const std::size_t n = std::min(to.path.size(), sizeof addr.sun_path - 1);
    std::memcpy(addr.sun_path, to.path.data(), n);
    const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + n + 1);
    return connect_and_send(reinterpret_cast<const sockaddr*>(&addr), len, SOCK_DGRAM, message,
                            deadline, target);
  }
  const bool tcp = to.transport == Transport::tcp;
  const int socktype = tcp ? SOCK_STREAM : SOCK_DGRAM;
  const auto addresses = look_up(to, socktype, deadline, target);
  if (!addresses) return {addresses.errors().front().message};
  // TCP frames each message by octet counting (RFC 6587 §3.4.1): a record may hold anything.
  const std::string framed =
      tcp ? std::to_string(message.size()) + " " + std::string(message) : std::string();
  const std::string_view bytes = tcp ? std::string_view(framed) : message;
  // The first address that takes the message wins (a name may have an IPv6 and an IPv4 one).
  // Over UDP that is the first address: a datagram to a port nobody listens on is not refused.
  IoStatus status{"`" + target + "` has no address"};
  for (const addrinfo* a = addresses->get(); a != nullptr; a = a->ai_next) {
    status = connect_and_send(a->ai_addr, a->ai_addrlen, socktype, bytes, deadline, target);
    if (status.ok() || remaining_ms(deadline) == 0) break;
  }
  return status;
}

IoStatus send_checkpoint(std::string_view target, std::string_view signed_note, int64_t now_ns) {
  const auto to = parse_endpoint(target);
  if (!to) {
    return {"`[audit] syslog` must be " + std::string(kEndpointForms) + ": " +
            to.errors().front().message};
  }
  const auto message = checkpoint_message(local_syslog_header(now_ns), signed_note);
  if (!message) return {message.errors().front().message};
  return send_syslog(*to, *message);
}

}  // namespace vectimus::audit
