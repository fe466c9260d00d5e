// normalise/attributes.hpp is the one table of context attributes, and it must be the truth:
// every event of every corpus (the built-in packs' tests, the everyday baseline, the samples,
// the coverage corpora, the normaliser's payload fixtures) and a few written scripts go through
// the normaliser and the engine, and each attribute of each request the engine builds (the
// event's, each simple command's, each file a command touches, each line of inspected content
// and of a script it runs) must be in the table for that request's action type, with the
// table's type and, for paths, an absolute path.
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "engine/engine.hpp"
#include "engine/locate.hpp"
#include "normalise/attributes.hpp"
#include "normalise/path.hpp"
#include "normalise/payload.hpp"
#include "tests/support/test_host.hpp"

using namespace vectimus;
using vectimus::testing::TempTree;
using vectimus::testing::TestHost;

namespace {

namespace fs = std::filesystem;
using interpreter::Kind;
using interpreter::Value;

struct Payload {
  std::string where;  // file and case, for the failure message
  std::string source;
  std::string json;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// `[{"name", "source", "payload"}...]`; a payload is an object or a string holding the JSON.
void read_corpus(const fs::path& file, std::vector<Payload>& out) {
  simdjson::dom::parser parser;
  simdjson::dom::array cases;
  REQUIRE(parser.parse(read_file(file)).get_array().get(cases) == simdjson::SUCCESS);
  size_t index = 0;
  for (simdjson::dom::element item : cases) {
    Payload p;
    p.where = file.string() + " case " + std::to_string(index++);
    std::string_view source, text;
    REQUIRE(item["source"].get_string().get(source) == simdjson::SUCCESS);
    p.source = std::string(source);
    const simdjson::dom::element payload = item["payload"];
    p.json = payload.get_string().get(text) == simdjson::SUCCESS ? std::string(text)
                                                                 : simdjson::minify(payload);
    out.push_back(std::move(p));
  }
}

std::vector<Payload> all_payloads() {
  const fs::path root = VECTIMUS_SOURCE_DIR;
  std::vector<Payload> out;
  read_corpus(root / "policies/baseline.json", out);
  read_corpus(root / "policies/samples.json", out);
  read_corpus(root / "bench/coverage/benign.json", out);
  read_corpus(root / "bench/coverage/dangerous.json", out);
  for (const auto& entry : fs::directory_iterator(root / "policies")) {
    if (fs::exists(entry.path() / "tests.json")) read_corpus(entry.path() / "tests.json", out);
  }
  for (const auto& dir : fs::directory_iterator(root / "tests/normalise/fixtures")) {
    for (const auto& file : fs::directory_iterator(dir.path())) {
      out.push_back({file.path().string(), dir.path().filename().string(), read_file(file.path())});
    }
  }
  return out;
}

bool type_matches(normalise::AttributeType type, const Value& v) {
  using T = normalise::AttributeType;
  switch (type) {
    case T::string: return v.kind() == Kind::string;
    case T::long_: return v.kind() == Kind::long_;
    case T::boolean: return v.kind() == Kind::boolean;
    case T::record: return v.kind() == Kind::record;
    case T::string_set:
      if (v.kind() != Kind::set) return false;
      for (const Value& item : v.as_set()) {
        if (item.kind() != Kind::string) return false;
      }
      return true;
  }
  return false;
}

// Every path the value holds (a string, or each string of a set).
std::vector<std::string> texts(const Value& v) {
  if (v.kind() == Kind::string) return {v.as_string()};
  std::vector<std::string> out;
  if (v.kind() == Kind::set) {
    for (const Value& item : v.as_set()) out.push_back(item.as_string());
  }
  return out;
}

struct Seen {
  std::set<std::string> problems;
  std::map<std::string, std::set<std::string>> by_action;  // attribute -> action types seen
  size_t requests = 0;
};

void check_requests(const engine::Decision& decision, const std::string& where, Seen& seen) {
  for (const engine::EvaluatedRequest& r : decision.requests) {
    ++seen.requests;
    const std::string action = r.planned.request.action.id;
    const auto type = normalise::parse_action_type(action);
    REQUIRE(type);
    for (const auto& [name, value] : r.planned.request.context.as_record()) {
      seen.by_action[name].insert(action);
      const normalise::ContextAttribute* row = normalise::find_context_attribute(name);
      if (row == nullptr) {
        seen.problems.insert("`" + name + "` is not in the table (" + where + ")");
        continue;
      }
      if ((row->actions & normalise::action_bit(*type)) == 0) {
        seen.problems.insert("`" + name + "` on " + action + " is not in the table (" + where +
                             ")");
      }
      if (!type_matches(row->type, value)) {
        seen.problems.insert("`" + name + "` has another type than the table's (" + where + ")");
      }
      if (row->shape != normalise::AttributeShape::absolute_path) continue;
      for (const std::string& path : texts(value)) {
        if (!normalise::is_absolute_path(path) && !path.starts_with("~")) {
          seen.problems.insert("`" + name + "` is `" + path + "`, not absolute (" + where + ")");
        }
      }
    }
  }
}

}  // namespace

TEST_CASE("every attribute of every request is in the table of context attributes") {
  TempTree t;
  TestHost h(t.root(), t.path("home"));
  t.write("proj/.git/HEAD", "ref: refs/heads/main\n");
  // Scripts a command runs are inspected line by line (their file accesses included).
  t.write("proj/clean.sh", "#!/bin/sh\nrm -rf build\ncat notes.txt > out.txt\nnpm install x\n");
  auto loaded =
      engine::Engine::load(h.host, engine::locate(h.host, t.path("proj"), std::nullopt), {});
  REQUIRE(loaded.ok());

  std::vector<Payload> payloads = all_payloads();
  for (const char* command : {"bash clean.sh", "sudo sh ./clean.sh && git status"}) {
    payloads.push_back({command, "claude-code",
                        "{\"session_id\":\"s\",\"cwd\":\"" + t.path("proj") +
                            "\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
                            "\"tool_input\":{\"command\":\"" +
                            command + "\"}}"});
  }
  // The two agent parameters no corpus event sends.
  for (const char* tool_input : {R"("TeamCreate","tool_input":{"team_name":"reviewers"})",
                                 R"("SendMessage","tool_input":{"to":"w1","type":"status"})"}) {
    payloads.push_back({tool_input, "claude-code",
                        "{\"session_id\":\"s\",\"cwd\":\"/p\",\"hook_event_name\":"
                        "\"PreToolUse\",\"tool_name\":" +
                            std::string(tool_input) + "}"});
  }
  REQUIRE(payloads.size() > 1000);

  Seen seen;
  size_t events = 0;
  for (const Payload& p : payloads) {
    const auto outcome = normalise::normalise_payload(p.source, p.json);
    if (outcome.status != normalise::PayloadStatus::event) continue;
    ++events;
    // Server mode's session counts are set on the event before the engine sees it.
    normalise::Event event = outcome.event;
    event.agent.session_spawn_count = 1;
    event.agent.session_message_count = 0;
    check_requests(loaded->decide(event), p.where, seen);
  }
  CAPTURE(events, seen.requests);
  for (const std::string& problem : seen.problems) FAIL_CHECK(problem);
  CHECK(seen.problems.empty());
  // The corpora reach every attribute of the table (else the check above proves little).
  for (const normalise::ContextAttribute& row : normalise::context_attributes()) {
    CAPTURE(row.name);
    CHECK(seen.by_action.count(std::string(row.name)) == 1);
  }
}

TEST_CASE("the table is in name order and its shapes are what lint relies on") {
  const auto rows = normalise::context_attributes();
  for (size_t i = 1; i < rows.size(); ++i) CHECK(rows[i - 1].name < rows[i].name);
  CHECK(normalise::find_context_attribute("command") != nullptr);
  CHECK(normalise::find_context_attribute("comand") == nullptr);
  using normalise::AttributeShape;
  for (const char* ok : {"", "/etc", "~/.ssh", "C:/Windows", "c", "\\\\server", "//server"}) {
    CAPTURE(ok);
    CHECK(normalise::shape_can_start_with(AttributeShape::absolute_path, ok));
  }
  for (const char* never : {"src/", ".env", "node_modules", "./x", "*"}) {
    CAPTURE(never);
    CHECK_FALSE(normalise::shape_can_start_with(AttributeShape::absolute_path, never));
    CHECK(normalise::shape_can_start_with(AttributeShape::any, never));
  }
}
