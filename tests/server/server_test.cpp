// End-to-end tests of `vectimus server start`: the real binary as a child process, on an
// ephemeral port of 127.0.0.1 (or a Unix socket), with HOME and its working folder in a temp
// tree and an otherwise empty environment. Every wait is bounded in time and count.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <future>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/cli/process.hpp"
#include "tests/server/net.hpp"
#include "tests/support/temp_tree.hpp"

using namespace std::chrono_literals;
using vectimus::testing::Connection;
using vectimus::testing::http;
using vectimus::testing::HttpReply;
using vectimus::testing::Receiver;
using vectimus::testing::ServerProcess;
using vectimus::testing::TempTree;
using vectimus::testing::without_receipt_ids;

namespace {

const std::string kBinary = VECTIMUS_BINARY;
const std::string kRepo = VECTIMUS_SOURCE_DIR;
const std::string kFixtures = kRepo + "/tests/normalise/fixtures/";

std::string claude_bash(const std::string& command, const std::string& session = "s1") {
  return "{\"session_id\":\"" + session +
         "\",\"transcript_path\":\"/t.jsonl\",\"cwd\":\"/nonexistent/shop\",\"permission_mode\":"
         "\"default\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":{"
         "\"command\":\"" +
         command + "\"},\"tool_use_id\":\"toolu_1\"}";
}

std::string claude_spawn(const std::string& session) {
  return "{\"session_id\":\"" + session +
         "\",\"transcript_path\":\"/t.jsonl\",\"cwd\":\"/nonexistent/shop\",\"permission_mode\":"
         "\"default\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Task\",\"tool_input\":{"
         "\"description\":\"x\",\"prompt\":\"look around\",\"subagent_type\":\"general-purpose\","
         "\"max_turns\":5},\"tool_use_id\":\"toolu_1\"}";
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A server in a temp tree: HOME, the project it runs in (its config, receipts), its logs.
struct Sandbox {
  TempTree t;
  std::vector<std::string> env;
  Sandbox() {
    t.mkdir("home");
    t.mkdir("proj/.git");
    env = {"HOME=" + t.path("home"), "VECTIMUS_LOG_DIR=" + t.path("logs")};
  }
  void config(const std::string& toml) const { t.write("proj/vectimus.toml", toml); }
  std::unique_ptr<ServerProcess> start(std::vector<std::string> args = {},
                                       std::vector<std::string> extra_env = {}) const {
    args.insert(args.begin(), {kBinary, "server", "start", "--port", "0"});
    std::vector<std::string> e = env;
    e.insert(e.end(), extra_env.begin(), extra_env.end());
    auto s = std::make_unique<ServerProcess>(args, e, t.path("proj"));
    REQUIRE(s->port() != 0);
    return s;
  }
  // Every audit record written so far.
  std::string audit() const {
    std::string all;
    std::error_code ec;
    for (const auto& f : std::filesystem::directory_iterator(t.path("logs"), ec)) {
      all += read_text(f.path().string());
    }
    return all;
  }
  // A pack of its own in `packs/p` (one rule file).
  std::string pack(const std::string& cedar) const {
    t.write("packs/p/pack.toml",
            "[pack]\nname = \"p\"\nversion = \"1\"\ndescription = \"d\"\nauthor = \"a\"\n");
    t.write("packs/p/rules.cedar", cedar);
    return t.path("packs");
  }
};

const std::string kEchoRule = R"(@id("no-echo")
@description("no echo")
forbid(principal, action == Vectimus::Action::"shell_command", resource)
when { context.command like "echo *" };
)";

const std::string kEscalateRule = R"(@id("ask-deploy")
@description("deploys need a person")
@enforcement("escalate")
forbid(principal, action == Vectimus::Action::"shell_command", resource)
when { context.command like "*deploy*" };
)";

using Headers = std::vector<std::pair<std::string, std::string>>;

HttpReply evaluate(uint16_t port, const std::string& payload, Headers headers = {}) {
  return http(port, "POST", "/evaluate", headers, payload);
}

// Polls `check` every 50 ms for at most `limit`.
template <typename F>
bool eventually(F check, std::chrono::milliseconds limit = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (check()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return check();
}

}  // namespace

TEST_CASE("server: listens on an ephemeral port, answers health, policies and the page") {
  Sandbox s;
  auto server = s.start();
  CHECK(server->listening_line() ==
        "vectimus server listening on http://127.0.0.1:" + std::to_string(server->port()));
  const HttpReply health = http(server->port(), "GET", "/health");
  CHECK(health.status == 200);
  CHECK(health.header("content-type") == "application/json");
  CHECK(std::regex_search(health.body,
                          std::regex(R"(^\{"status":"ok","policies":[1-9][0-9]*,"uptime_seconds":)"
                                     R"([0-9]+,"policy_set_hash":"sha256:[0-9a-f]{64}"\}$)")));
  CHECK(http(server->port(), "GET", "/healthz").body == "ok\n");
  CHECK(http(server->port(), "GET", "/ready").status == 200);
  const HttpReply policies = http(server->port(), "GET", "/policies");
  CHECK(policies.status == 200);
  CHECK(policies.body.find("{\"id\":\"vectimus-destruct-001\",\"description\":") !=
        std::string::npos);
  CHECK(policies.body.find(
            "\"pack\":\"destructive-ops\",\"enforcement\":\"deny\",\"enabled\":true") !=
        std::string::npos);
  CHECK(policies.body.find("\"policy_set_hash\":\"sha256:") != std::string::npos);
  const HttpReply page = http(server->port(), "GET", "/");
  CHECK(page.status == 200);
  CHECK(page.header("content-type").rfind("text/html", 0) == 0);
  CHECK(page.header("content-security-policy").rfind("default-src 'none'; script-src 'self';", 0) ==
        0);
  CHECK(page.header("x-content-type-options") == "nosniff");
  CHECK(http(server->port(), "GET", "/nothing/here").status == 404);
  const HttpReply wrong = http(server->port(), "GET", "/evaluate");
  CHECK(wrong.status == 405);
  CHECK(wrong.header("allow") == "POST");
  const HttpReply witness = http(server->port(), "POST", "/v1/checkpoints", {}, "x");
  CHECK(witness.status == 400);  // not a tlog-witness request
  CHECK(witness.body.find("blank line") != std::string::npos);
  CHECK(server->stop() == 0);
}

TEST_CASE("server: /evaluate answers the decision, with Claude Code's document") {
  Sandbox s;
  auto server = s.start();
  const HttpReply deny = evaluate(server->port(), claude_bash("rm -rf /"));
  REQUIRE(deny.status == 200);
  CHECK(deny.header("x-vectimus-decision") == "deny");
  CHECK(deny.body.rfind("{\"decision\":\"deny\",\"reason\":\"vectimus: blocked by "
                        "vectimus-destruct-001",
                        0) == 0);
  CHECK(deny.body.find("\"matched_rules\":[\"vectimus-destruct-001\"") != std::string::npos);
  CHECK(std::regex_search(deny.body, std::regex(R"("receipt_id":"vtms-[0-9a-f-]{36}")")));
  CHECK(std::regex_search(deny.body, std::regex(R"("evaluation_time_ms":[0-9]+\.[0-9]{3})")));
  CHECK(deny.body.find("\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\","
                       "\"permissionDecision\":\"deny\",\"permissionDecisionReason\":\"vectimus: "
                       "blocked by vectimus-destruct-001") != std::string::npos);
  const HttpReply allow = evaluate(server->port(), claude_bash("ls -la"));
  CHECK(allow.header("x-vectimus-decision") == "allow");
  CHECK(allow.body.rfind("{\"decision\":\"allow\",\"reason\":\"\",\"matched_rules\":[],", 0) == 0);
  CHECK(allow.body.find("\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\","
                        "\"permissionDecision\":\"allow\"}") != std::string::npos);
  // Another agent: no hookSpecificOutput.
  const HttpReply gemini =
      evaluate(server->port(), read_text(kFixtures + "gemini-cli/run-shell-command.json"),
               {{"X-Vectimus-Source", "gemini-cli"}});
  CHECK(gemini.status == 200);
  CHECK(gemini.body.find("hookSpecificOutput") == std::string::npos);
  // Bad JSON and an empty body: 400 with a JSON error.
  const HttpReply bad = evaluate(server->port(), "{not json");
  CHECK(bad.status == 400);
  CHECK(bad.body.rfind("{\"error\":\"vectimus: the hook payload could not be read: ", 0) == 0);
  CHECK(evaluate(server->port(), "").status == 400);
  // The audit log has each decision, the receipts sit under the server's project.
  CHECK(eventually([&] { return s.audit().find("vectimus-destruct-001") != std::string::npos; }));
  CHECK(std::filesystem::exists(s.t.path("proj/.vectimus/receipts")));
  // Its own receipts and logs are not policy changes: no reload (the poll runs every second).
  std::this_thread::sleep_for(1500ms);
  CHECK(server->stderr_text().find("policies reloaded") == std::string::npos);
}

TEST_CASE("server: /v1/hooks/<source> answers exactly what `vectimus hook` prints") {
  Sandbox s;
  auto server = s.start();
  int compared = 0;
  for (const auto& dir : std::filesystem::directory_iterator(kFixtures)) {
    const std::string source = dir.path().filename().string();
    for (const auto& file : std::filesystem::directory_iterator(dir.path())) {
      const std::string payload = read_text(file.path().string());
      for (const std::string& body : {payload, claude_bash("rm -rf /")}) {
        CAPTURE(source, file.path().filename().string(), body);
        const auto hook = vectimus::testing::run_process({kBinary, "hook", "--source", source},
                                                         body, {s.env, s.t.path("home")});
        const HttpReply reply = http(server->port(), "POST", "/v1/hooks/" + source, {}, body);
        if (hook.exit_code == 0) {
          CHECK(reply.status == 200);
          CHECK(without_receipt_ids(reply.body) == without_receipt_ids(hook.out));
          CHECK(reply.header("x-vectimus-decision") ==
                (hook.out.empty() ? "allow"
                                  : reply.header("x-vectimus-decision")));  // deny or escalate
          if (!hook.out.empty()) CHECK(reply.header("x-vectimus-decision") != "allow");
        } else {
          CHECK(hook.exit_code == 2);
          CHECK((reply.status == 403 || (reply.status == 200 && !reply.body.empty())));
        }
        ++compared;
      }
    }
  }
  CHECK(compared > 40);
  // Bad JSON: the agent's deny document (fail closed).
  const HttpReply bad = http(server->port(), "POST", "/v1/hooks/claude-code", {}, "{oops");
  CHECK(bad.status == 200);
  CHECK(bad.body.rfind("{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\","
                       "\"permissionDecision\":\"deny\"",
                       0) == 0);
  CHECK(bad.header("x-vectimus-decision") == "deny");
  // An unknown source has no document: 403 with the reason.
  const HttpReply unknown = http(server->port(), "POST", "/v1/hooks/nobody", {}, "{oops");
  CHECK(unknown.status == 403);
  CHECK(unknown.header("content-type") == "text/plain");
}

TEST_CASE("server: decisions answered together are recorded together, each before its answer") {
  // Requests that arrive at once are decided in one turn of an event loop, and their audit
  // records written with one append (group commit) before any of their answers leaves: so when
  // a client holds its answer, its record is in the log.
  Sandbox s;
  s.config("[server]\nthreads = 1\n");
  auto server = s.start();
  const uint16_t port = server->port();
  constexpr int kClients = 12;
  std::vector<Connection> clients;
  for (int i = 0; i < kClients; ++i) clients.push_back(Connection::tcp(port));
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < kClients; ++i) {
      const std::string body =
          claude_bash("echo together-" + std::to_string(round) + "-" + std::to_string(i) + "-end");
      REQUIRE(
          clients[i].send("POST /evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: "
                          "application/json\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n" + body));
    }
    for (int i = 0; i < kClients; ++i) {
      // The answer's JSON ends with Claude Code's document and its own object.
      const std::string answer = clients[i].receive(10s, "}}");
      REQUIRE(answer.rfind("HTTP/1.1 200", 0) == 0);
      const std::string mark =
          "together-" + std::to_string(round) + "-" + std::to_string(i) + "-end";
      CHECK(s.audit().find(mark) != std::string::npos);
    }
  }
  // Each record on a line of its own, once.
  const std::string audit = s.audit();
  std::size_t lines = 0;
  for (std::size_t at = 0; (at = audit.find("\n", at)) != std::string::npos; ++at) ++lines;
  std::size_t marks = 0;
  for (std::size_t at = 0; (at = audit.find("-end\"", at)) != std::string::npos; ++at) ++marks;
  CHECK(marks >= 3 * kClients);
  CHECK(lines >= 3 * kClients);
  for (std::size_t at = 0; at < audit.size();) {
    const std::size_t end = audit.find('\n', at);
    REQUIRE(end != std::string::npos);
    CHECK(audit.compare(at, 10, "{\"event\":{") == 0);
    CHECK(audit[end - 1] == '}');
    at = end + 1;
  }
}

TEST_CASE("server: a batch of records that cannot be written: the answers stand, a gap is noted") {
  Sandbox s;
  s.config("[server]\nthreads = 1\n");
  auto server = s.start();
  const uint16_t port = server->port();
  REQUIRE(evaluate(port, claude_bash("ls first")).status == 200);
  // The day's log file, replaced by a folder of the same name: the server sees its file gone
  // (no link left), and opening the name again fails, even for root.
  std::string log_file;
  for (const auto& f : std::filesystem::directory_iterator(s.t.path("logs"))) {
    if (f.path().extension() == ".jsonl") log_file = f.path().string();
  }
  REQUIRE_FALSE(log_file.empty());
  std::filesystem::remove(log_file);
  std::filesystem::create_directory(log_file);
  constexpr int kClients = 3;
  std::vector<Connection> clients;
  for (int i = 0; i < kClients; ++i) clients.push_back(Connection::tcp(port));
  for (int i = 0; i < kClients; ++i) {
    const std::string body = claude_bash("ls lost-" + std::to_string(i));
    REQUIRE(clients[i].send("POST /evaluate HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body));
  }
  for (int i = 0; i < kClients; ++i) {
    const std::string answer = clients[i].receive(10s, "}}");  // Claude Code's document, then ours
    CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(answer.find("\"decision\":\"allow\"") != std::string::npos);
  }
  CHECK(eventually(
      [&] { return server->stderr_text().find("could not be written") != std::string::npos; }));
  // The folder gone again, the next record (gaps are claimed at most once a second) says how
  // many were lost.
  std::filesystem::remove(log_file);
  std::this_thread::sleep_for(1100ms);
  REQUIRE(evaluate(port, claude_bash("ls after")).status == 200);
  const std::string audit = s.audit();
  CHECK(audit.find("lost-") == std::string::npos);
  const std::size_t after = audit.find("ls after");
  REQUIRE(after != std::string::npos);
  const std::size_t line = audit.rfind('\n', after);
  const std::string record = audit.substr(line == std::string::npos ? 0 : line + 1);
  CHECK(record.find("\"gap\":{\"missed\":3,") != std::string::npos);
}

TEST_CASE("server: API keys on /evaluate, /v1/hooks, /events and approvals; both headers") {
  Sandbox s;
  s.config("[[server.api_keys]]\nname = \"carol\"\nkey = \"kc-123\"\n");
  auto server =
      s.start({}, {"VECTIMUS_API_KEY=k-default", "VECTIMUS_API_KEYS=alice:ka-1,bob:kb-2"});
  const uint16_t port = server->port();
  for (const std::string target : {"/evaluate", "/v1/hooks/claude-code"}) {
    CAPTURE(target);
    const HttpReply missing = http(port, "POST", target, {}, claude_bash("ls"));
    CHECK(missing.status == 401);
    CHECK(missing.body.rfind("{\"error\":\"an API key is required", 0) == 0);
    CHECK(http(port, "POST", target, {{"X-Vectimus-API-Key", "ka-2"}}, claude_bash("ls")).status ==
          401);
    CHECK(
        http(port, "POST", target, {{"Authorization", "Bearer nope"}}, claude_bash("ls")).status ==
        401);
    CHECK(http(port, "POST", target, {{"X-Vectimus-API-Key", "ka-1"}}, claude_bash("ls")).status ==
          200);
    CHECK(
        http(port, "POST", target, {{"Authorization", "Bearer kb-2"}}, claude_bash("ls")).status ==
        200);
    CHECK(http(port, "POST", target, {{"Authorization", "Bearer kc-123"}}, claude_bash("ls"))
              .status == 200);
    CHECK(http(port, "POST", target, {{"X-Vectimus-API-Key", "k-default"}}, claude_bash("ls"))
              .status == 200);
  }
  CHECK(http(port, "GET", "/events").status == 401);
  CHECK(http(port, "GET", "/v1/approvals").status == 401);
  CHECK(http(port, "GET", "/v1/approvals", {{"X-Vectimus-API-Key", "ka-1"}}).status == 200);
  CHECK(http(port, "POST", "/v1/checkpoints").status == 401);
  // Open: health, readiness, policies, the page.
  for (const std::string target : {"/health", "/healthz", "/ready", "/policies", "/"}) {
    CHECK(http(port, "GET", target).status == 200);
  }
  // The key's name goes into the audit record.
  CHECK(http(port, "POST", "/evaluate", {{"Authorization", "Bearer kb-2"}},
             claude_bash("rm -rf /", "key-session"))
            .status == 200);
  CHECK(eventually([&] {
    const std::string audit = s.audit();
    const std::size_t at = audit.find("\"session_id\":\"key-session\"");
    return at != std::string::npos &&
           audit.find("\"api_key_name\":\"bob\"", at) != std::string::npos;
  }));
}

TEST_CASE("server: 0.0.0.0 without a key warns on stderr") {
  Sandbox s;
  auto server = s.start({"--host", "0.0.0.0"});
  server->stop();
  CHECK(server->stderr_text().find("warning: the server listens on 0.0.0.0 without an API key") !=
        std::string::npos);
  auto keyed = s.start({"--host", "0.0.0.0"}, {"VECTIMUS_API_KEY=k"});
  keyed->stop();
  CHECK(keyed->stderr_text().find("warning") == std::string::npos);
}

TEST_CASE("server: observe mode logs and allows") {
  Sandbox s;
  auto server = s.start({"--observe"});
  Connection events = Connection::tcp(server->port());
  events.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(events.receive(5s, ": connected\n\n").find("text/event-stream") != std::string::npos);
  const HttpReply r = evaluate(server->port(), claude_bash("rm -rf /"));
  CHECK(r.header("x-vectimus-decision") == "allow");
  CHECK(r.body.rfind("{\"decision\":\"allow\"", 0) == 0);
  CHECK(r.body.find("vectimus-destruct-001") != std::string::npos);  // matched, logged
  const std::string got = events.receive(5s, "\n\n");
  CHECK(got.find("\"decision\":\"observe\"") != std::string::npos);
  CHECK(eventually([&] { return s.audit().find("\"observe\"") != std::string::npos; }));
  auto by_env = s.start({}, {"VECTIMUS_OBSERVE=true"});
  CHECK(evaluate(by_env->port(), claude_bash("rm -rf /")).header("x-vectimus-decision") == "allow");
}

TEST_CASE("server: limits: an oversized body, oversized headers, too many subscribers") {
  Sandbox s;
  s.config("[server]\nmax_body_bytes = 2000\nmax_header_bytes = 2000\nmax_subscribers = 1\n");
  auto server = s.start();
  const HttpReply big = evaluate(server->port(), claude_bash(std::string(3000, 'a')));
  CHECK(big.status == 413);
  CHECK(big.body.rfind("{\"error\":", 0) == 0);
  CHECK(evaluate(server->port(), claude_bash("ls")).status == 200);
  const HttpReply headers =
      http(server->port(), "GET", "/health", {{"X-Padding", std::string(3000, 'x')}});
  CHECK(headers.status == 431);
  Connection first = Connection::tcp(server->port());
  first.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(first.receive(5s, ": connected\n\n").find("200 OK") != std::string::npos);
  CHECK(http(server->port(), "GET", "/events").status == 503);
}

TEST_CASE("server: a slow-loris client is cut off at its read deadline, an idle one too") {
  Sandbox s;
  s.config("[server]\nread_timeout_ms = 300\nidle_timeout_ms = 400\n");
  auto server = s.start();
  Connection slow = Connection::tcp(server->port());
  REQUIRE(slow.send("POST /evaluate HTTP/1.1\r\n"));
  const auto start = std::chrono::steady_clock::now();
  bool cut = false;
  // One header byte every 100 ms, never finishing: cut within the deadline (bounded loop).
  for (int i = 0; i < 50 && !cut; ++i) {
    if (!slow.send("X")) cut = true;
    if (slow.closed_within(100ms)) cut = true;
  }
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(cut);
  CHECK(took < 3s);
  Connection idle = Connection::tcp(server->port());
  CHECK(idle.closed_within(5s));
  // A kept-alive connection serves several requests, then is closed when idle.
  Connection kept = Connection::tcp(server->port());
  CHECK(kept.request("GET", "/healthz").status == 200);
  CHECK(kept.request("GET", "/healthz").status == 200);
  CHECK(kept.closed_within(5s));
  // The server still serves.
  CHECK(http(server->port(), "GET", "/healthz").status == 200);
}

TEST_CASE("server: a policy change is picked up; a broken one keeps the old set serving") {
  Sandbox s;
  const std::string packs = s.pack(kEchoRule);
  auto server = s.start({"--policy-dir", packs});
  const uint16_t port = server->port();
  CHECK(evaluate(port, claude_bash("echo hi")).header("x-vectimus-decision") == "deny");
  CHECK(evaluate(port, claude_bash("printf hi")).header("x-vectimus-decision") == "allow");
  const std::string old_hash = http(port, "GET", "/health").body;
  // A new rule: printf is denied too, without a restart.
  s.t.write("packs/p/rules.cedar", kEchoRule + R"(@id("no-printf")
forbid(principal, action == Vectimus::Action::"shell_command", resource)
when { context.command like "printf *" };
)");
  CHECK(eventually([&] {
    return evaluate(port, claude_bash("printf hi")).header("x-vectimus-decision") == "deny";
  }));
  CHECK(http(port, "GET", "/health").body.find("\"policies\":2") != std::string::npos);
  // A broken file: the old set still serves, /health says why.
  s.t.write("packs/p/rules.cedar", "forbid(principal, action, resource) when { nope");
  CHECK(eventually([&] {
    return http(port, "GET", "/health").body.find("\"status\":\"degraded\"") != std::string::npos;
  }));
  const HttpReply health = http(port, "GET", "/health");
  CHECK(health.body.find("\"reload_error\":\"" + packs + "/p/rules.cedar:1:") != std::string::npos);
  CHECK(evaluate(port, claude_bash("printf hi")).header("x-vectimus-decision") == "deny");
  CHECK(evaluate(port, claude_bash("ls")).header("x-vectimus-decision") == "allow");
  // Fixed again: healthy.
  s.t.write("packs/p/rules.cedar", kEchoRule);
  CHECK(eventually([&] {
    return http(port, "GET", "/health").body.find("\"status\":\"ok\"") != std::string::npos;
  }));
  CHECK(evaluate(port, claude_bash("printf hi")).header("x-vectimus-decision") == "allow");
}

TEST_CASE("server: /events streams decisions with ids and replays after Last-Event-ID") {
  Sandbox s;
  s.config("[server]\nheartbeat_ms = 200\n");
  auto server = s.start();
  const uint16_t port = server->port();
  for (const std::string cmd : {"ls", "rm -rf /", "pwd"}) evaluate(port, claude_bash(cmd));
  Connection replay = Connection::tcp(port);
  replay.send("GET /events HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 1\r\n\r\n");
  const std::string got = replay.receive(5s, "id: 3\n");
  CHECK(got.find("id: 1\n") == std::string::npos);
  CHECK(got.find("id: 2\nevent: decision\ndata: {\"id\":2,\"time\":\"") != std::string::npos);
  CHECK(got.find("\"source\":\"claude-code\",\"decision\":\"deny\",\"rules\":["
                 "\"vectimus-destruct-001\"") != std::string::npos);
  // What is not known (no developer, no API key's name, no approval) is left out, not null:
  // every event goes to every subscriber.
  for (const char* absent : {"\"developer\"", "\"key_name\"", "\"approval_id\"", "null"}) {
    CHECK(got.find(absent) == std::string::npos);
  }
  CHECK(got.find("\"tool\":\"Bash\",\"action\":\"shell_command\",\"summary\":\"rm -rf /\"") !=
        std::string::npos);
  CHECK(got.find("id: 3\nevent: decision\n") != std::string::npos);
  // Live: the next decision arrives, and heartbeats keep the stream open.
  evaluate(port, claude_bash("whoami"));
  CHECK(replay.receive(5s, "id: 4\n").find("\"summary\":\"whoami\"") != std::string::npos);
  CHECK(replay.receive(5s, ": heartbeat\n\n").find(": heartbeat") != std::string::npos);
}

TEST_CASE("server: the same handler serves a Unix socket") {
  Sandbox s;
  const std::string path = s.t.path("vectimus.sock");
  std::vector<std::string> args = {kBinary, "server", "start", "--unix", path};
  ServerProcess server(args, s.env, s.t.path("proj"));
  CHECK(server.listening_line() == "vectimus server listening on unix:" + path);
  Connection c = Connection::unix_socket(path);
  REQUIRE(c.ok());
  const HttpReply r = c.request("POST", "/v1/hooks/claude-code", {}, claude_bash("rm -rf /"));
  CHECK(r.status == 200);
  CHECK(r.body.find("\"permissionDecision\":\"deny\"") != std::string::npos);
  CHECK(server.stop() == 0);
}

TEST_CASE("server: approvals hold an escalation until approved, denied or timed out") {
  Sandbox s;
  Receiver webhook;
  // A person has two minutes here, so a busy machine never turns an approval into a timeout;
  // the timeout itself is tested on a server of its own.
  const auto approvals_config = [&](int timeout_seconds) {
    return "[server.approvals]\nenabled = true\ntimeout_seconds = " +
           std::to_string(timeout_seconds) +
           "\nwebhook_url = \"http://127.0.0.1:" + std::to_string(webhook.port()) +
           "/hook\"\nwebhook_secret = \"shh\"\n";
  };
  s.config(approvals_config(120));
  const std::string packs = s.pack(kEscalateRule);
  auto server = s.start({"--policy-dir", packs}, {"VECTIMUS_API_KEYS=alice:ka"});
  const uint16_t port = server->port();
  const Headers key = {{"X-Vectimus-API-Key", "ka"}};
  const auto pending_id = [&]() -> std::string {
    std::string id;
    eventually([&] {
      const HttpReply list = http(port, "GET", "/v1/approvals", key);
      std::smatch m;
      if (!std::regex_search(list.body, m, std::regex(R"re("id":"(apr-[0-9a-f-]+)")re")))
        return false;
      id = m[1];
      return true;
    });
    return id;
  };

  SECTION("approved through the API") {
    Connection events = Connection::tcp(port);
    events.send("GET /events HTTP/1.1\r\nHost: x\r\nX-Vectimus-API-Key: ka\r\n\r\n");
    REQUIRE(events.receive(5s, ": connected\n\n").find("200 OK") != std::string::npos);
    auto held = std::async(std::launch::async, [&] {
      return http(port, "POST", "/evaluate", key, claude_bash("./deploy prod"));
    });
    const std::string id = pending_id();
    REQUIRE_FALSE(id.empty());
    CHECK(held.wait_for(200ms) == std::future_status::timeout);  // still held
    const HttpReply ok =
        http(port, "POST", "/v1/approvals/" + id + "/approve", key, "{\"by\":\"lead\"}");
    CHECK(ok.status == 200);
    CHECK(ok.body == "{\"id\":\"" + id + "\",\"state\":\"approved\"}");
    const HttpReply r = held.get();
    CHECK(r.header("x-vectimus-decision") == "allow");
    CHECK(r.body.find("approved by lead") != std::string::npos);
    CHECK(http(port, "POST", "/v1/approvals/" + id + "/deny", key).status == 409);
    // The stream showed the held decision, the pending approval and who approved it.
    const std::string stream = events.receive(5s, "\"state\":\"approved\"");
    CHECK(stream.find("event: decision\ndata: {\"id\":1,") != std::string::npos);
    CHECK(stream.find("\"decision\":\"escalate\"") != std::string::npos);
    CHECK(stream.find("\"approval_id\":\"" + id + "\"") != std::string::npos);
    CHECK(stream.find("event: approval\ndata: {\"id\":\"" + id + "\",\"state\":\"pending\"") !=
          std::string::npos);
    CHECK(stream.find("\"state\":\"approved\",\"by\":\"lead\"") != std::string::npos);
    CHECK(http(port, "POST", "/v1/approvals/apr-unknown/deny", key).status == 404);
    CHECK(eventually([&] {
      const std::string audit = s.audit();
      return audit.find("\"type\":\"approval\"") != std::string::npos &&
             audit.find("\"state\":\"approved\",\"by\":\"lead\"") != std::string::npos;
    }));
  }
  SECTION("denied through the API, on a hook endpoint; by defaults to the key's name") {
    auto held = std::async(std::launch::async, [&] {
      return http(port, "POST", "/v1/hooks/claude-code", key, claude_bash("./deploy prod"));
    });
    const std::string id = pending_id();
    REQUIRE_FALSE(id.empty());
    CHECK(http(port, "POST", "/v1/approvals/" + id + "/deny", key).status == 200);
    const HttpReply r = held.get();
    CHECK(r.header("x-vectimus-decision") == "deny");
    CHECK(r.body.find("\"permissionDecision\":\"deny\"") != std::string::npos);
    CHECK(r.body.find("denied by alice") != std::string::npos);
  }
  SECTION("nobody answers: the timeout denies") {
    Sandbox quick;
    quick.config(approvals_config(2));
    auto short_server =
        quick.start({"--policy-dir", quick.pack(kEscalateRule)}, {"VECTIMUS_API_KEYS=alice:ka"});
    const auto start = std::chrono::steady_clock::now();
    const HttpReply r =
        http(short_server->port(), "POST", "/evaluate", key, claude_bash("./deploy prod"), 60s);
    CHECK(std::chrono::steady_clock::now() - start >= 1900ms);
    CHECK(r.header("x-vectimus-decision") == "deny");
    CHECK(r.body.find("no one approved it in time") != std::string::npos);
  }
  SECTION("the webhook carries signed links that work once and only as signed") {
    auto held = std::async(std::launch::async, [&] {
      return http(port, "POST", "/evaluate", key, claude_bash("./deploy prod"));
    });
    const auto posted = webhook.next(10s);
    REQUIRE(posted);
    CHECK(posted->find("\"text\":\"vectimus: approval needed for `./deploy prod`") !=
          std::string::npos);
    std::smatch m;
    REQUIRE(std::regex_search(
        *posted, m,
        std::regex(R"re("approve_url":"(http://127\.0\.0\.1:[0-9]+/v1/approvals/[^"]+/approve)re"
                   R"re(\?expires=[0-9]+&sig=[0-9a-f]{64})")re")));
    const std::string link = m[1];
    const std::string target = link.substr(link.find("/v1/"));
    // A tampered signature (its last digit changed, never to itself), and the deny link made
    // from the approve signature: refused.
    std::string tampered = target;
    tampered.back() = tampered.back() == '0' ? '1' : '0';
    CHECK(http(port, "GET", tampered).status == 403);
    std::string as_deny = target;
    as_deny.replace(as_deny.find("/approve?"), 9, "/deny?");
    CHECK(http(port, "GET", as_deny).status == 403);
    CHECK(http(port, "GET", target).status == 200);
    CHECK(held.get().header("x-vectimus-decision") == "allow");
    CHECK(http(port, "GET", target).status == 409);
  }
}

TEST_CASE("server: agent spawns per session are counted for the flood rule") {
  Sandbox s;
  auto server = s.start();
  const uint16_t port = server->port();
  // vectimus-agent-012 escalates a session's 21st spawn within the window.
  for (int i = 1; i <= 20; ++i) {
    CAPTURE(i);
    CHECK(evaluate(port, claude_spawn("flood")).header("x-vectimus-decision") == "allow");
  }
  const HttpReply flood = evaluate(port, claude_spawn("flood"));
  CHECK(flood.header("x-vectimus-decision") == "escalate");
  CHECK(flood.body.find("vectimus-agent-012") != std::string::npos);
  // Another session is not affected.
  CHECK(evaluate(port, claude_spawn("calm")).header("x-vectimus-decision") == "allow");
}

TEST_CASE("server: past max_connections a connection gets 503") {
  Sandbox s;
  s.config("[server]\nmax_connections = 2\n");
  auto server = s.start();
  Connection a = Connection::tcp(server->port());
  Connection b = Connection::tcp(server->port());
  CHECK(a.request("GET", "/healthz").status == 200);
  CHECK(b.request("GET", "/healthz").status == 200);
  const HttpReply third = http(server->port(), "GET", "/healthz");
  CHECK(third.status == 503);
  CHECK(third.body.find("max_connections") != std::string::npos);
  // A freed slot serves again.
  { Connection gone = std::move(a); }
  CHECK(eventually([&] { return http(server->port(), "GET", "/healthz").status == 200; }));
}

TEST_CASE("server: policies that do not load at start: not ready, every call denied") {
  Sandbox s;
  const std::string packs = s.pack("forbid(principal, action, resource) when { nope");
  auto server = s.start({"--policy-dir", packs});
  CHECK(server->stderr_text().find("the policies did not load") != std::string::npos);
  CHECK(http(server->port(), "GET", "/ready").status == 503);
  const HttpReply health = http(server->port(), "GET", "/health");
  CHECK(health.body.find("\"status\":\"degraded\"") != std::string::npos);
  CHECK(health.body.find("\"load_error\":\"" + packs + "/p/rules.cedar:1:") != std::string::npos);
  const HttpReply r = evaluate(server->port(), claude_bash("ls"));
  CHECK(r.header("x-vectimus-decision") == "deny");
  CHECK(r.body.find("policies could not be loaded") != std::string::npos);
  // Fixed on disk: it loads and serves without a restart.
  s.t.write("packs/p/rules.cedar", kEchoRule);
  CHECK(eventually([&] { return http(server->port(), "GET", "/ready").status == 200; }));
  CHECK(evaluate(server->port(), claude_bash("ls")).header("x-vectimus-decision") == "allow");
}

TEST_CASE("server: a config error stops the start with the reason") {
  Sandbox s;
  s.config("[server]\nport = \"many\"\n");
  ServerProcess server({kBinary, "server", "start", "--port", "0"}, s.env, s.t.path("proj"));
  CHECK(server.port() == 0);
  CHECK(server.stop() == 1);
  CHECK(server.stderr_text().find("vectimus.toml:2:") != std::string::npos);
}

TEST_CASE("server: vectimus approvals list, approve and deny against a running server") {
  Sandbox s;
  s.config("[server.approvals]\nenabled = true\ntimeout_seconds = 30\n");
  const std::string packs = s.pack(kEscalateRule);
  auto server = s.start({"--policy-dir", packs}, {"VECTIMUS_API_KEYS=ops:k-ops"});
  const uint16_t port = server->port();
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  const auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), kBinary);
    return vectimus::testing::run_process(args, "", {s.env, s.t.path("home")});
  };
  // Without the key: refused, and the command says so.
  const auto refused = cli({"approvals", "list", "--server", url});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("401") != std::string::npos);
  CHECK(cli({"approvals", "list", "--server", url, "--api-key", "k-ops"}).out ==
        "no pending approvals\n");
  for (const std::string action : {"approve", "deny"}) {
    CAPTURE(action);
    auto held = std::async(std::launch::async, [&] {
      return http(port, "POST", "/evaluate", {{"X-Vectimus-API-Key", "k-ops"}},
                  claude_bash("./deploy prod"));
    });
    std::string id;
    CHECK(eventually([&] {
      const auto listed = cli({"approvals", "list", "--server", url, "--api-key", "k-ops"});
      std::smatch m;
      const std::string out = listed.out;
      if (!std::regex_search(out, m, std::regex("^(apr-[0-9a-f-]+)  expires "))) return false;
      id = m[1];
      return out.find("claude-code") != std::string::npos &&
             out.find("ask-deploy") != std::string::npos &&
             out.find("./deploy prod") != std::string::npos;
    }));
    const auto answered =
        cli({"approvals", action, id, "--server", url, "--api-key", "k-ops", "--by", "dana"});
    CHECK(answered.exit_code == 0);
    CHECK(answered.out == id + (action == "approve" ? " approved\n" : " denied\n"));
    const HttpReply r = held.get();
    CHECK(r.header("x-vectimus-decision") == (action == "approve" ? "allow" : "deny"));
    CHECK(r.body.find(action == "approve" ? "approved by dana" : "denied by dana") !=
          std::string::npos);
    // Answered twice: the server's 409 and a failing exit.
    const auto again = cli({"approvals", action, id, "--server", url, "--api-key", "k-ops"});
    CHECK(again.exit_code == 1);
    CHECK(again.err.find("409") != std::string::npos);
  }
}

TEST_CASE("server: a hook in client mode gets the server's answer") {
  Sandbox s;
  const std::string packs = s.pack(kEchoRule);
  auto server = s.start({"--policy-dir", packs}, {"VECTIMUS_API_KEY=k"});
  std::vector<std::string> env = s.env;
  env.push_back("VECTIMUS_SERVER_URL=http://127.0.0.1:" + std::to_string(server->port()));
  env.push_back("VECTIMUS_API_KEY=k");
  // The local packs (built in) do not forbid `echo`; the server's do, so the answer is its.
  const auto hook = vectimus::testing::run_process({kBinary, "hook", "--source", "claude-code"},
                                                   claude_bash("echo hi"), {env, s.t.path("home")});
  CHECK(hook.exit_code == 0);
  CHECK(hook.out.find("\"permissionDecision\":\"deny\"") != std::string::npos);
  CHECK(hook.out.find("no-echo") != std::string::npos);
  const auto allowed = vectimus::testing::run_process({kBinary, "hook", "--source", "claude-code"},
                                                      claude_bash("ls"), {env, s.t.path("home")});
  CHECK(allowed.exit_code == 0);
  CHECK(allowed.out.empty());
}

TEST_CASE("server: a rule disabled for a while comes back on when the time is up") {
  Sandbox s;
  s.t.mkdir("proj/.vectimus");
  auto server = s.start();
  const uint16_t port = server->port();
  CHECK(evaluate(port, claude_bash("rm -rf /")).body.find("vectimus-destruct-001") !=
        std::string::npos);
  const auto disabled = vectimus::testing::run_process(
      {kBinary, "rule", "disable", "vectimus-destruct-001", "--for", "6s"}, "",
      {s.env, s.t.path("proj")});
  REQUIRE(disabled.exit_code == 0);
  // Picked up by the reload (the state file changed) ...
  CHECK(eventually([&] {
    return evaluate(port, claude_bash("rm -rf /"))
               .body.find("\"matched_rules\":[\"vectimus-destruct-001\"") == std::string::npos;
  }));
  // ... and on again once it ran out, though no file changed since.
  CHECK(eventually([&] {
    return evaluate(port, claude_bash("rm -rf /"))
               .body.find("\"matched_rules\":[\"vectimus-destruct-001\"") != std::string::npos;
  }));
}

namespace {
// Posts `count` benign decisions on one keep-alive connection; returns how many were answered 200.
int post_decisions(uint16_t port, int count) {
  Connection client = Connection::tcp(port);
  int answered = 0;
  for (int i = 0; i < count; ++i) {
    const HttpReply r =
        client.request("POST", "/evaluate", {}, claude_bash("ls -la /tmp/x" + std::to_string(i)));
    if (r.status == 200) ++answered;
  }
  return answered;
}
}  // namespace

TEST_CASE("server: an /events subscriber that stops reading is dropped; decisions never wait") {
  Sandbox s;
  s.config("[receipts]\nenabled = false\n[server]\nsubscriber_queue = 10\nheartbeat_ms = 200\n");
  auto server = s.start();
  const uint16_t port = server->port();
  Connection stalled = Connection::tcp(port, 1024);
  stalled.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(stalled.receive(5s, ": connected\n\n").find("200 OK") != std::string::npos);
  // It reads nothing more while decisions keep coming, each answered (bounded by count): about
  // 500 KB of events, well past what its socket's buffers take (windows are written whole, so
  // the kernel holds about 190 KB of them, not much less than 600 events).
  CHECK(post_decisions(port, 1500) == 1500);
  // The stalled subscriber was cut off (reading now finds the end of the stream).
  CHECK(stalled.closed_within(10s));
  // A subscriber that reads still gets every new event.
  Connection live = Connection::tcp(port);
  live.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(live.receive(5s, ": connected\n\n").find("200 OK") != std::string::npos);
  evaluate(port, claude_bash("uname -a"));
  CHECK(live.receive(5s, "uname -a").find("\"summary\":\"uname -a\"") != std::string::npos);
}

TEST_CASE("server: a stalled /events subscriber is dropped by the lag rule alone") {
  Sandbox s;
  // Heartbeats far off: only falling more than subscriber_queue events behind can cut it. One
  // subscriber at most, so a second one is let in only once the first is gone.
  s.config(
      "[receipts]\nenabled = false\n[server]\nsubscriber_queue = 10\nheartbeat_ms = 600000\n"
      "max_subscribers = 1\n");
  auto server = s.start();
  const uint16_t port = server->port();
  Connection stalled = Connection::tcp(port, 1024);
  stalled.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(stalled.receive(5s, ": connected\n\n").find("200 OK") != std::string::npos);
  CHECK(http(port, "GET", "/events").status == 503);
  // Enough decisions to fill its socket's buffers (about 500 KB of events), never read.
  CHECK(post_decisions(port, 1500) == 1500);
  // Without a byte read from the stalled one, its slot frees up (bounded by count and time).
  bool let_in = false;
  for (int attempt = 0; attempt < 50 && !let_in; ++attempt) {
    Connection next = Connection::tcp(port);
    next.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
    let_in = next.receive(5s, "\r\n\r\n").find("200 OK") != std::string::npos;
    if (!let_in) std::this_thread::sleep_for(100ms);
  }
  CHECK(let_in);
}

TEST_CASE("server: every /events subscriber gets every decision in order while clients race") {
  Sandbox s;
  s.config("[receipts]\nenabled = false\n");
  auto server = s.start();
  const uint16_t port = server->port();
  std::vector<Connection> subscribers;
  for (int i = 0; i < 8; ++i) {
    subscribers.push_back(Connection::tcp(port));
    subscribers.back().send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
    REQUIRE(subscribers.back().receive(5s, ": connected\n\n").find("200 OK") != std::string::npos);
  }
  constexpr int kClients = 4;
  constexpr int kEach = 50;
  std::vector<std::future<int>> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.push_back(std::async(std::launch::async, [port, c] {
      Connection conn = Connection::tcp(port);
      int ok = 0;
      for (int i = 0; i < kEach; ++i) {
        const std::string cmd = "echo c" + std::to_string(c) + "-" + std::to_string(i);
        ok += conn.request("POST", "/evaluate", {}, claude_bash(cmd)).status == 200 ? 1 : 0;
      }
      return ok;
    }));
  }
  for (auto& c : clients) CHECK(c.get() == kEach);
  const std::string last = "id: " + std::to_string(kClients * kEach) + "\n";
  for (auto& sub : subscribers) {
    // After the header's blank line, so every frame starts a line.
    const std::string got = "\n" + sub.receive(10s, last);
    std::vector<int> ids;
    for (std::size_t at = got.find("\nid: "); at != std::string::npos;
         at = got.find("\nid: ", at + 1)) {
      ids.push_back(std::stoi(got.substr(at + 5)));
    }
    REQUIRE(ids.size() == kClients * kEach);
    for (std::size_t i = 0; i < ids.size(); ++i) CHECK(ids[i] == static_cast<int>(i + 1));
  }
}

TEST_CASE("server: witnesses a project's receipt log; a fork and a rollback are refused") {
  Sandbox sb;
  auto server = sb.start();
  const std::string url = "http://127.0.0.1:" + std::to_string(server->port());
  sb.t.mkdir("dev/.git");
  sb.t.mkdir("devhome");
  const std::string dev = sb.t.path("dev");
  const vectimus::testing::ProcessOptions in_dev{
      {"HOME=" + sb.t.path("devhome"), "VECTIMUS_LOG_DIR=" + sb.t.path("devlogs")}, dev};
  const auto hook = [&](const std::string& command) {
    const std::string payload =
        "{\"session_id\":\"s\",\"transcript_path\":\"/t.jsonl\",\"cwd\":\"" + dev +
        "\",\"permission_mode\":\"default\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":"
        "\"Bash\",\"tool_input\":{\"command\":\"" +
        command + "\"},\"tool_use_id\":\"t\"}";
    REQUIRE(vectimus::testing::run_process({kBinary, "hook", "--source", "claude-code"}, payload,
                                           in_dev)
                .exit_code == 0);
  };
  const auto witness = [&] {
    return vectimus::testing::run_process({kBinary, "receipts", "witness", "--server", url}, "",
                                          in_dev);
  };
  namespace fs = std::filesystem;
  const std::string receipts = dev + "/.vectimus/receipts";
  const auto restore = [&](const std::string& copy) {
    fs::remove_all(receipts);
    fs::copy(copy, receipts, fs::copy_options::recursive);
  };

  for (const char* c : {"ls", "pwd", "make"}) hook(c);
  auto first = witness();
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(first.out.find("cosigned by vectimus.witness/") == 0);
  CHECK(first.out.find("at size 3") != std::string::npos);
  const std::string witnessed = read_text(receipts + "/log/witnessed");
  CHECK(witnessed.find("\n\n\xe2\x80\x94 vectimus.local/dev/") != std::string::npos);
  CHECK(witnessed.find("\xe2\x80\x94 vectimus.witness/") != std::string::npos);
  CHECK(sb.audit().find("pinned the key of new log vectimus.local/dev/") != std::string::npos);
  fs::copy(receipts, sb.t.path("at3"), fs::copy_options::recursive);

  hook("make test");
  hook("git status");
  auto grown = witness();
  INFO(grown.out << grown.err);
  CHECK(grown.exit_code == 0);
  CHECK(grown.out.find("at size 5") != std::string::npos);

  // A fork: the log as it was at size 3, grown by other receipts to size 5.
  restore(sb.t.path("at3"));
  hook("echo other");
  hook("echo history");
  auto forked = witness();
  CHECK(forked.exit_code == 1);
  CHECK(forked.err.find("refused") != std::string::npos);
  CHECK(sb.audit().find("refused a fork of log vectimus.local/dev/") != std::string::npos);

  // A rollback: the size-3 head again. The command sees that the witness holds more than the
  // log has; the server refuses the old head presented after size 5.
  restore(sb.t.path("at3"));
  auto back = witness();
  CHECK(back.exit_code == 1);
  CHECK(back.err.find("rolled back") != std::string::npos);
  std::string head = read_text(sb.t.path("at3/log/witnessed"));
  head.erase(head.rfind("\xe2\x80\x94 vectimus.witness/"));  // the log's signed note alone
  const HttpReply refused = http(server->port(), "POST", "/v1/checkpoints", {}, "old 5\n\n" + head);
  CHECK(refused.status == 400);
  CHECK(sb.audit().find("refused a rollback of log vectimus.local/dev/") != std::string::npos);
  CHECK(server->stderr_text().find("refused a rollback") != std::string::npos);
}

TEST_CASE("server: a developer's record names no branch of the server's own checkout") {
  Sandbox sb;
  sb.t.write("proj/.git/HEAD", "ref: refs/heads/server-branch\n");
  auto server = sb.start();
  REQUIRE(evaluate(server->port(), claude_bash("ls")).status == 200);
  REQUIRE(eventually([&] { return !sb.audit().empty(); }));
  CHECK(sb.audit().find("server-branch") == std::string::npos);
  CHECK(sb.audit().find("\"branch\":null") != std::string::npos);
}
