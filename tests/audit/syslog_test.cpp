// The syslog export: RFC 5424 messages as text, sends that fail with a clear reason within their
// deadline, and kept checkpoints and decisions read back from a real rsyslogd over UDP, TCP and
// a unix socket.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <string>

#include "audit/crypto.hpp"
#include "audit/note.hpp"
#include "audit/syslog.hpp"
#include "tests/support/rsyslog.hpp"
#include "tests/support/temp_tree.hpp"

namespace vectimus::audit {
namespace {

using vectimus::testing::Rsyslog;
using vectimus::testing::Stored;
using vectimus::testing::TempTree;

const std::string kBom = "\xEF\xBB\xBF";
const SyslogHeader kHeader{1'800'000'000'123'456'789, "build-7.example", 4242};

Ed25519Key test_key() {
  const auto key = ed25519_from_seed(std::string(32, '\x07'));
  REQUIRE(key.ok());
  return *key;
}

std::string signed_checkpoint(uint64_t size) {
  const Checkpoint cp{"vectimus.local/shop", size, std::string(32, 'r')};
  const auto note = sign_note(checkpoint_text(cp), cp.origin, test_key());
  REQUIRE(note.ok());
  return *note;
}

Endpoint endpoint(const std::string& text) {
  const auto e = parse_endpoint(text);
  REQUIRE(e.ok());
  return *e;
}

TEST_CASE("a decision is an RFC 5424 message: log audit, severity by outcome, the record as MSG") {
  DecisionExport d{"deny", "vtms-1234", 17, {"levels-deny", "odd\"id]\\"}, R"({"a":1})"};
  CHECK(decision_message(kHeader, d) ==
        "<108>1 2027-01-15T08:00:00.123456+00:00 build-7.example vectimus 4242 decision "
        R"([vectimus@32473 decision="deny" receipt_id="vtms-1234" log_index="17" )"
        R"(rule="levels-deny" rule="odd\"id\]\\"] )" +
            kBom + R"({"a":1})");
  // Allowed and observed calls are notices (13 * 8 + 5); escalations warnings like denials.
  const auto pri = [](std::string_view verdict) {
    const std::string m = decision_message(kHeader, DecisionExport{verdict, {}, {}, {}, "{}"});
    return m.substr(0, m.find('>') + 1);
  };
  CHECK(pri("allow") == "<109>");
  CHECK(pri("observe") == "<109>");
  CHECK(pri("escalate") == "<108>");
  // No receipt, no rules, no host name: only what there is, and the NILVALUE for the host.
  CHECK(decision_message(SyslogHeader{0, "", 1}, DecisionExport{"allow", {}, {}, {}, "{}"}) ==
        "<109>1 1970-01-01T00:00:00.000000+00:00 - vectimus 1 decision "
        "[vectimus@32473 decision=\"allow\"] " +
            kBom + "{}");
}

TEST_CASE("a kept checkpoint is a message of its own, the signed note unchanged") {
  const std::string note = signed_checkpoint(300);
  const auto m = checkpoint_message(kHeader, note);
  REQUIRE(m.ok());
  CHECK(*m ==
        "<109>1 2027-01-15T08:00:00.123456+00:00 build-7.example vectimus 4242 checkpoint "
        "[vectimus@32473 origin=\"vectimus.local/shop\" tree_size=\"300\"] " +
            kBom + note);
  const auto bad = checkpoint_message(kHeader, "vectimus.local/shop\n300\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.errors().front().message ==
        "the checkpoint to export is not a signed checkpoint: not a signed note (no blank line "
        "before the signatures)");
  CHECK(send_checkpoint("tcp://127.0.0.1", note, 0).error ==
        "`[audit] syslog` must be udp://host:port, tcp://host:port or unix:///path: "
        "`tcp://127.0.0.1` has no port");
}

TEST_CASE("a send to nobody fails at once, naming the target and the reason") {
  // A TCP port that is bound but not listening refuses connections.
  const int held = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  REQUIRE(::bind(held, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::getsockname(held, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  const std::string target = "tcp://127.0.0.1:" + std::to_string(ntohs(a.sin_port));
  CHECK(send_syslog(endpoint(target), "x").error ==
        "cannot connect to `" + target + "`: Connection refused");
  ::close(held);

  TempTree t;
  const std::string missing = "unix://" + t.path("no.sock");
  CHECK(send_syslog(endpoint(missing), "x").error ==
        "cannot connect to `" + missing + "`: No such file or directory");
}

TEST_CASE("a collector that takes nothing more holds a send no longer than its deadline") {
  // A unix datagram socket nobody reads from: once its queue is full, a send must wait.
  TempTree t;
  const std::string path = t.path("full.sock");
  const int reader = ::socket(AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  path.copy(addr.sun_path, sizeof addr.sun_path - 1);
  REQUIRE(::bind(reader, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  const int filler = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  REQUIRE(::connect(filler, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  const std::string chunk(4096, 'x');
  int queued = 0;
  while (queued < 100000 && ::send(filler, chunk.data(), chunk.size(), 0) > 0) ++queued;
  REQUIRE(queued < 100000);

  const auto start = std::chrono::steady_clock::now();
  const IoStatus s = send_syslog(endpoint("unix://" + path), "x", 200);
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(s.error == "no answer from `unix://" + path + "` within 200 ms");
  CHECK(took >= std::chrono::milliseconds(190));
  // It gave up instead of blocking on the full queue. The bound is wide on purpose: a busy
  // machine may deschedule the test for a while; the error text above is the real check.
  CHECK(took < std::chrono::seconds(30));
  ::close(filler);
  ::close(reader);
}

TEST_CASE("kept checkpoints and decisions reach a real rsyslogd over udp, tcp and unix") {
  if (!Rsyslog::installed()) {
    std::cout << vectimus::testing::kSkipNoRsyslog << "\n";
    WARN(vectimus::testing::kSkipNoRsyslog);
    return;
  }
  TempTree t;
  const Rsyslog rsyslog(t);
  REQUIRE(rsyslog.problem().empty());
  const std::string note = signed_checkpoint(1200);
  const std::string targets[] = {rsyslog.udp(), rsyslog.tcp(), rsyslog.unix_socket()};
  for (const std::string& target : targets) {
    CAPTURE(target);
    CHECK(send_checkpoint(target, note, kHeader.timestamp_ns).ok());
  }
  // A decision with a receipt, and a record past rsyslog's default 8 KiB, over TCP to a name
  // (`localhost`: the look-up path, from /etc/hosts; an IPv6 ::1 first is refused, then tried
  // on 127.0.0.1).
  const std::string record = R"({"command":")" + std::string(20000, 'y') + R"("})";
  const DecisionExport d{"escalate", "vtms-77", 99, {"a-rule"}, record};
  const std::string by_name =
      "tcp://localhost:" + rsyslog.tcp().substr(rsyslog.tcp().rfind(':') + 1);
  CHECK(send_syslog(endpoint(by_name), decision_message(kHeader, d)).ok());

  const auto stored = rsyslog.wait_for(4);
  REQUIRE(stored.size() == 4);
  std::vector<std::string> inputs;
  for (const Stored& s : stored) {
    CAPTURE(s.input);
    CHECK(s.facility == "13");
    CHECK(s.app == "vectimus");
    if (s.msgid == "decision") {
      CHECK(s.input == "imtcp");
      CHECK(s.procid == "4242");
      CHECK(s.severity == "4");
      CHECK(s.hostname == "build-7.example");
      CHECK(s.structured_data == R"([vectimus@32473 decision="escalate" receipt_id="vtms-77" )"
                                 R"(log_index="99" rule="a-rule"])");
      CHECK(s.msg == kBom + record);
      continue;
    }
    inputs.push_back(s.input);
    CHECK(s.msgid == "checkpoint");
    CHECK(s.procid == std::to_string(::getpid()));  // send_checkpoint() stamps this process
    CHECK(s.severity == "5");
    CHECK(s.structured_data == R"([vectimus@32473 origin="vectimus.local/shop" tree_size="1200"])");
    // The note verifies as stored (rsyslog drops its final newline).
    REQUIRE(s.text().starts_with(kBom));
    const std::string stored_note = s.text().substr(kBom.size()) + "\n";
    CHECK(stored_note == note);
    const auto parsed = parse_note(stored_note);
    REQUIRE(parsed.ok());
    CHECK(verify_note(*parsed, "vectimus.local/shop", {PublicKey{test_key().public_key, "k", ""}})
              .ok());
  }
  std::sort(inputs.begin(), inputs.end());
  CHECK(inputs == std::vector<std::string>{"imtcp", "imudp", "imuxsock"});
}

}  // namespace
}  // namespace vectimus::audit
