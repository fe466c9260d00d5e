// `vectimus hook` in client mode, end to end: the real binary against the scripted peer
// (peer.js) on 127.0.0.1. A valid answer from the server is printed as it came; every bad
// answer (garbage, wrong shape, 500, cut short, too slow, an empty 200 that does not say allow),
// a stopped server and a failed TLS check are decided locally, say so on stderr, and never let
// through a call the local policies deny. Last, the same against the real `vectimus server start`.
#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/cli/process.hpp"
#include "tests/client/peer.hpp"
#include "tests/server/net.hpp"

using namespace vectimus::testing;

namespace {

const std::string kBinary = VECTIMUS_BINARY;

const std::string kServerDeny =
    R"({"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny",)"
    R"("permissionDecisionReason":"vectimus-server-test: denied by the server"}})"
    "\n";
struct Place {
  std::string dir = make_temp_dir("hook-client");
  std::string home = dir + "/home";
  std::string work = dir + "/work";
  Place() {
    std::filesystem::create_directories(home);
    std::filesystem::create_directories(work);
  }
  std::string payload(const std::string& command) const {
    return R"({"session_id":"s","transcript_path":"/tmp/t.jsonl","cwd":")" + work +
           R"(","permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Bash",)"
           R"("tool_input":{"command":")" +
           command + R"("},"tool_use_id":"toolu_1"})";
  }
  // What the hook answers without a server (receipt ids left out): the local decision.
  std::string local(const std::string& command) const {
    return without_receipt_ids(hook(command, {}).out);
  }
  ProcessResult hook(const std::string& command, std::vector<std::string> env,
                     std::vector<std::string> args = {}) const {
    env.push_back("HOME=" + home);
    env.push_back("PATH=/usr/bin:/bin");
    std::vector<std::string> argv{kBinary, "hook", "--source", "claude-code"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, payload(command), ProcessOptions{env, work});
  }
};

std::string note(const std::string& url, const std::string& why) {
  return "vectimus: server " + url + " " + why + ": decided locally\n";
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

}  // namespace

TEST_CASE("client mode: a valid answer from the server is what the agent gets", "[client][hook]") {
  const Place place;
  const std::string log = place.dir + "/peer.log";
  Peer peer({"--log", log});
  REQUIRE(peer.port() != 0);
  // The server's deny of a command the local packs allow: the server decides.
  ProcessResult r = place.hook(
      "ls -la", {"VECTIMUS_SERVER_URL=" + peer.url() + "/deny", "VECTIMUS_API_KEY=team-key"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == kServerDeny);
  CHECK(r.err.empty());
  // The server's allow (an empty 200 that says so): nothing on stdout.
  r = place.hook("ls -la", {"VECTIMUS_SERVER_URL=" + peer.url() + "/allow/"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  const std::string host = "host=127.0.0.1:" + std::to_string(peer.port());
  CHECK(read_text(log) == "POST /deny/v1/hooks/claude-code key=team-key " + host +
                              "\nPOST /allow/v1/hooks/claude-code key= " + host + "\n");
}

TEST_CASE("client mode: every bad answer is decided locally, never allowed by error",
          "[client][hook]") {
  const Place place;
  const std::string local_deny = place.local("rm -rf /");
  REQUIRE(local_deny.find(R"("permissionDecision":"deny")") != std::string::npos);
  Peer peer({});
  REQUIRE(peer.port() != 0);
  const std::string refused = "http://127.0.0.1:" + std::to_string(closed_port());
  struct Case {
    std::string url;
    std::string why;  // the start of the reason on stderr
  };
  const Case cases[] = {
      {peer.url() + "/garbage", "answered something claude-code would not accept (not JSON"},
      {peer.url() + "/shape",
       "answered something claude-code would not accept (unexpected field `decision`)"},
      {peer.url() + "/status500", "answered with status 500"},
      {peer.url() + "/no-such-mode", "answered with status 404"},
      {peer.url() + "/truncated", "could not answer: the response was cut short"},
      {peer.url() + "/allow-noheader",
       "answered an empty 200 without `X-Vectimus-Decision: allow`"},
      {peer.url() + "/slow", "could not answer: no answer within 1 s while reading the response"},
      {refused, "could not answer: cannot connect to 127.0.0.1:"},
  };
  for (const Case& c : cases) {
    INFO(c.url);
    const std::vector<std::string> env{"VECTIMUS_SERVER_URL=" + c.url, "VECTIMUS_TIMEOUT=1"};
    // A command the local packs deny stays denied.
    ProcessResult r = place.hook("rm -rf /", env);
    CHECK(r.exit_code == 0);
    CHECK(without_receipt_ids(r.out) == local_deny);
    CHECK(starts_with(r.err, "vectimus: server " + c.url + " " + c.why));
    CHECK(r.err.find(": decided locally\n") != std::string::npos);
    // A benign command is allowed by the local decision, and the note says so.
    r = place.hook("ls -la", env);
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
    CHECK(starts_with(r.err, "vectimus: server " + c.url + " " + c.why));
  }
}

TEST_CASE("client mode from [server] url in the project config, and from --server-url",
          "[client][hook]") {
  const Place place;
  const std::string local_deny = place.local("rm -rf /");
  REQUIRE(local_deny.find(R"("permissionDecision":"deny")") != std::string::npos);
  const std::string log = place.dir + "/peer.log";
  Peer peer({"--log", log});
  REQUIRE(peer.port() != 0);
  std::filesystem::create_directories(place.work + "/.git");
  std::filesystem::create_directories(place.work + "/.vectimus");
  write_text(place.work + "/.vectimus/config.toml",
             "[server]\nurl = \"" + peer.url() + "/deny\"\napi_key = \"from-config\"\n");
  ProcessResult r = place.hook("ls -la", {});
  CHECK(r.exit_code == 0);
  CHECK(r.out == kServerDeny);
  // The flag wins over the config.
  r = place.hook("ls -la", {}, {"--server-url", peer.url() + "/allow"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  const std::string host = "host=127.0.0.1:" + std::to_string(peer.port());
  CHECK(read_text(log) == "POST /deny/v1/hooks/claude-code key=from-config " + host +
                              "\nPOST /allow/v1/hooks/claude-code key=from-config " + host + "\n");
  // A server that stops: decided locally.
  peer.stop();
  r = place.hook("rm -rf /", {});
  CHECK(without_receipt_ids(r.out) == local_deny);
  CHECK(starts_with(r.err, "vectimus: server " + peer.url() +
                               "/deny could not answer: cannot connect to 127.0.0.1:"));
}

TEST_CASE("client mode over TLS, directly and through an HTTPS_PROXY tunnel",
          "[client][hook][tls]") {
  const Place place;
  const std::string local_deny = place.local("rm -rf /");
  REQUIRE(local_deny.find(R"("permissionDecision":"deny")") != std::string::npos);
  REQUIRE(make_test_pki(place.dir));
  const std::string log = place.dir + "/proxy.log";
  Peer server({"--tls", place.dir + "/server.pem", place.dir + "/server.key"});
  Peer proxy({"--proxy", "--log", log});
  REQUIRE(server.port() != 0);
  REQUIRE(proxy.port() != 0);
  const std::string url = "VECTIMUS_SERVER_URL=" + server.url() + "/deny";
  const std::string ca = "SSL_CERT_FILE=" + place.dir + "/ca.pem";
  ProcessResult r = place.hook("ls -la", {url, ca});
  CHECK(r.out == kServerDeny);
  CHECK(r.err.empty());
  // Without the test CA the certificate is not trusted: decided locally.
  r = place.hook("rm -rf /", {url});
  CHECK(without_receipt_ids(r.out) == local_deny);
  CHECK(starts_with(
      r.err, note(server.url() + "/deny", "could not answer: TLS handshake failed").substr(0, 40)));
  CHECK(r.err.find("certificate not trusted") != std::string::npos);
  // Through the proxy (a CONNECT tunnel); NO_PROXY sends it direct.
  r = place.hook("ls -la", {url, ca, "HTTPS_PROXY=" + proxy.url()});
  CHECK(r.out == kServerDeny);
  CHECK(read_text(log) == "CONNECT 127.0.0.1:" + std::to_string(server.port()) + "\n");
  r = place.hook("ls -la", {url, ca, "https_proxy=" + proxy.url(), "no_proxy=127.0.0.1"});
  CHECK(r.out == kServerDeny);
  CHECK(read_text(log) == "CONNECT 127.0.0.1:" + std::to_string(server.port()) + "\n");
}

TEST_CASE("without a server URL the hook asks no one", "[client][hook]") {
  const Place place;
  const std::string local_deny = place.local("rm -rf /");
  REQUIRE(local_deny.find(R"("permissionDecision":"deny")") != std::string::npos);
  const std::string log = place.dir + "/peer.log";
  Peer peer({"--log", log});
  REQUIRE(peer.port() != 0);
  const ProcessResult r = place.hook("rm -rf /", {"HTTPS_PROXY=" + peer.url()});
  CHECK(without_receipt_ids(r.out) == local_deny);
  CHECK(r.err.find("server") == std::string::npos);
  CHECK(read_text(log).empty());
}

TEST_CASE("client mode against a running `vectimus server start`", "[client][hook][server]") {
  const Place place;
  const std::string server_dir = place.dir + "/server";
  std::filesystem::create_directories(server_dir + "/home");
  const std::string local_deny = place.local("rm -rf /");
  REQUIRE(local_deny.find("vectimus-destruct-001") != std::string::npos);
  std::filesystem::remove_all(place.home + "/.vectimus");  // the local run's evidence
  ServerProcess server(
      {kBinary, "server", "start", "--port", "0"},
      {"HOME=" + server_dir + "/home", "PATH=/usr/bin:/bin", "VECTIMUS_API_KEY=team-key"},
      server_dir);
  REQUIRE(server.port() != 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port());
  const std::vector<std::string> env{"VECTIMUS_SERVER_URL=" + url, "VECTIMUS_API_KEY=team-key"};

  // The server decides: the same deny document the local hook would print, no note, and no
  // evidence left here (the server keeps it).
  ProcessResult r = place.hook("rm -rf /", env);
  CHECK(r.exit_code == 0);
  CHECK(without_receipt_ids(r.out) == local_deny);
  CHECK(r.err.empty());
  r = place.hook("ls -la", env);
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  CHECK_FALSE(std::filesystem::exists(place.home + "/.vectimus/logs"));

  // A wrong key: the server refuses (401), the hook decides locally and says so.
  r = place.hook("rm -rf /", {"VECTIMUS_SERVER_URL=" + url, "VECTIMUS_API_KEY=wrong"});
  CHECK(without_receipt_ids(r.out) == local_deny);
  CHECK(starts_with(r.err, note(url, "answered with status 401")));
  CHECK(std::filesystem::exists(place.home + "/.vectimus/logs"));

  // The server stops: decided locally, never an allow.
  CHECK(server.stop() == 0);
  r = place.hook("rm -rf /", env);
  CHECK(without_receipt_ids(r.out) == local_deny);
  CHECK(starts_with(r.err, "vectimus: server " + url + " could not answer: cannot connect to "));
}
