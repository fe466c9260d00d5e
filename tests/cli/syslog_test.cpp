// End to end: the real `vectimus hook` with `[audit] syslog` set sends a copy of each record to
// a real rsyslogd (tests/support/rsyslog.hpp) over UDP, TCP and a unix socket, and rsyslog
// stores exactly the record the local log holds. A collector nobody listens on leaves the
// decision as it was and says why on stderr; with `[audit] required` the call is denied.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "tests/cli/process.hpp"
#include "tests/support/rsyslog.hpp"
#include "tests/support/temp_tree.hpp"

using vectimus::testing::ProcessResult;
using vectimus::testing::Rsyslog;
using vectimus::testing::Stored;
using vectimus::testing::TempTree;

namespace {

const std::string kBinary = VECTIMUS_BINARY;
const std::string kPacks = std::string(VECTIMUS_SOURCE_DIR) + "/tests/packs/levels";
const std::string kBom = "\xEF\xBB\xBF";

std::string bash_payload(const std::string& command) {
  return R"({"session_id":"s1","cwd":"/nonexistent/shop","permission_mode":"default",)"
         R"("hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":")" +
         command + R"("},"tool_use_id":"t1"})";
}

// The hook with `[audit]` set to `audit` (TOML lines) in ./vectimus.toml.
ProcessResult hook(const TempTree& t, const std::string& audit, const std::string& payload) {
  t.write("work/vectimus.toml", "[audit]\n" + audit);
  return vectimus::testing::run_process(
      {kBinary, "hook", "--source", "claude-code", "--policy-dir", kPacks}, payload,
      {{"HOME=" + t.path("home")}, t.path("work")});
}

// The local audit log's lines, in order (one day's file: the tests run in well under a day).
std::vector<std::string> local_records(const TempTree& t) {
  std::vector<std::string> lines;
  const std::string dir = t.path("home/.vectimus/logs");
  if (!std::filesystem::exists(dir)) return lines;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  return lines;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool skip_without_rsyslog() {
  if (Rsyslog::installed()) return false;
  std::cout << vectimus::testing::kSkipNoRsyslog << "\n";
  WARN(vectimus::testing::kSkipNoRsyslog);
  return true;
}

}  // namespace

TEST_CASE("[audit] syslog: each record reaches rsyslog whole, over udp, tcp and unix") {
  if (skip_without_rsyslog()) return;
  TempTree t;
  t.mkdir("home");
  t.mkdir("work");
  const Rsyslog rsyslog(t);
  REQUIRE(rsyslog.problem().empty());
  // Per transport: a denied call, then an allowed one whose record is past rsyslog's default
  // 8 KiB (the command is in it several times; over UDP it must still fit one datagram).
  const std::pair<std::string, std::size_t> targets[] = {
      {rsyslog.udp(), 3000}, {rsyslog.tcp(), 20000}, {rsyslog.unix_socket(), 20000}};
  for (const auto& [target, length] : targets) {
    CAPTURE(target);
    const std::string audit = "syslog = \"" + target + "\"\n";
    const ProcessResult denied = hook(t, audit, bash_payload("danger"));
    CHECK(denied.exit_code == 0);
    CHECK(has(denied.out, "\"permissionDecision\":\"deny\""));
    CHECK_FALSE(has(denied.err, "syslog"));
    const ProcessResult allowed = hook(t, audit, bash_payload("ls " + std::string(length, 'z')));
    CHECK(allowed.exit_code == 0);
    CHECK(allowed.out.empty());
    CHECK_FALSE(has(allowed.err, "syslog"));
  }

  const std::vector<std::string> local = local_records(t);
  REQUIRE(local.size() == 6);
  const std::vector<Stored> stored = rsyslog.wait_for(6);
  REQUIRE(stored.size() == 6);
  std::vector<std::string> inputs;
  for (const Stored& s : stored) {
    CAPTURE(s.input, s.structured_data);
    inputs.push_back(s.input);
    CHECK(s.msgid == "decision");
    CHECK(s.app == "vectimus");
    CHECK(s.facility == "13");
    // The record as the local log holds it, byte for byte (each record has its own event id).
    REQUIRE(s.msg.starts_with(kBom));
    const std::string record = s.msg.substr(kBom.size());
    CHECK(std::find(local.begin(), local.end(), record) != local.end());
    if (has(record, R"("decision":{"decision":"deny")")) {
      CHECK(s.severity == "4");
      CHECK(s.structured_data == R"([vectimus@32473 decision="deny" rule="levels-deny"])");
    } else {
      CHECK(s.severity == "5");
      CHECK(s.structured_data == R"([vectimus@32473 decision="allow"])");
      CHECK(record.size() > 8192);
      CHECK(has(record, "\"command\":\"ls zzz"));
    }
  }
  std::sort(inputs.begin(), inputs.end());
  CHECK(inputs ==
        std::vector<std::string>{"imtcp", "imtcp", "imudp", "imudp", "imuxsock", "imuxsock"});

  // A record too long for one UDP datagram: the decision stands, stderr says to use TCP.
  const ProcessResult too_long = hook(t, "syslog = \"" + rsyslog.udp() + "\"\n",
                                      bash_payload("ls " + std::string(30000, 'z')));
  CHECK(too_long.out.empty());
  CHECK(has(too_long.err,
            "vectimus: the audit record could not be sent to syslog: cannot send "
            "to `" +
                rsyslog.udp() + "`: Message too long ("));
  CHECK(has(too_long.err, " bytes do not fit one datagram; tcp:// has no such limit)"));
}

TEST_CASE("[audit] syslog nobody listens on: the decision stands, with required it is a deny") {
  TempTree t;
  t.mkdir("home");
  t.mkdir("work");
  // A TCP port that is bound but not listening: connections to it are refused.
  const int held = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  REQUIRE(::bind(held, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::getsockname(held, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  const std::string target = "tcp://127.0.0.1:" + std::to_string(ntohs(a.sin_port));
  const std::string why = "cannot connect to `" + target + "`: Connection refused";

  const ProcessResult allowed = hook(t, "syslog = \"" + target + "\"\n", bash_payload("ls"));
  CHECK(allowed.exit_code == 0);
  CHECK(allowed.out.empty());
  CHECK(has(allowed.err, "vectimus: the audit record could not be sent to syslog: " + why));
  // The local record is written all the same.
  CHECK(local_records(t).size() == 1);

  const ProcessResult denied =
      hook(t, "required = true\nsyslog = \"" + target + "\"\n", bash_payload("ls"));
  CHECK(denied.exit_code == 0);
  CHECK(has(denied.out, "\"permissionDecision\":\"deny\""));
  CHECK(has(denied.out,
            "`[audit] required` is set and the audit record could not be sent to "
            "syslog: " +
                why + ", so the call is denied"));
  CHECK(has(denied.err, "vectimus: the audit record could not be sent to syslog: " + why));
  ::close(held);
}

TEST_CASE("[audit] syslog that is not a target: the config error names its place") {
  TempTree t;
  t.mkdir("home");
  t.mkdir("work");
  const ProcessResult r = hook(t, "syslog = \"syslog.example:514\"\n", bash_payload("ls"));
  CHECK(r.exit_code == 0);
  CHECK(has(r.out, "\"permissionDecision\":\"deny\""));
  CHECK(has(r.err, t.path("work/vectimus.toml") +
                       ":2:10: error: `[audit] syslog` must be udp://host:port, tcp://host:port "
                       "or unix:///path: `syslog.example:514` has no scheme"));
}

TEST_CASE("[audit] syslog: the hook that keeps a checkpoint (every 100th) sends it too") {
  if (skip_without_rsyslog()) return;
  TempTree t;
  t.mkdir("home");
  t.mkdir("proj/.git");
  const Rsyslog rsyslog(t);
  REQUIRE(rsyslog.problem().empty());
  t.write("proj/.vectimus/config.toml", "[audit]\nsyslog = \"" + rsyslog.tcp() + "\"\n");
  const std::string payload =
      R"({"session_id":"s1","cwd":")" + t.path("proj") +
      R"(","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"ls"}})";
  for (int i = 0; i < 100; ++i) {
    const ProcessResult r = vectimus::testing::run_process(
        {kBinary, "hook", "--source", "claude-code", "--policy-dir", kPacks}, payload,
        {{"HOME=" + t.path("home")}, t.path("proj")});
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.err.empty());
  }
  const std::vector<Stored> stored = rsyslog.wait_for(101);
  REQUIRE(stored.size() == 101);
  std::vector<Stored> checkpoints;
  for (const Stored& s : stored) {
    if (s.msgid == "checkpoint") checkpoints.push_back(s);
  }
  REQUIRE(checkpoints.size() == 1);
  // The note sent is the one kept in the project's log, byte for byte.
  const std::string kept = t.path("proj/.vectimus/receipts/log/checkpoints/0000000100");
  std::ifstream in(kept, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE_FALSE(text.empty());
  CHECK(checkpoints[0].text().substr(kBom.size()) + "\n" == text);
  CHECK(has(checkpoints[0].structured_data, "tree_size=\"100\""));
}
