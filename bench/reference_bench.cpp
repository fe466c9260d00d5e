// Our interpreter against the reference Cedar implementation (@cedar-policy/cedar-wasm via Node),
// on the same policies and the same requests, in the same run.
//
// Policies: the built-in packs as compiled into the binary, plus the permit-all policy (the
// engine's policy set, in the same text order, so positional ids `policyN` agree). Requests: the
// Cedar requests the engine builds for the built-in sample events (policies/samples.json): each
// event's own request, one per simple command, file accesses, content lines. Both sides evaluate
// every request `reps` times, each call timed on its own; the figure per request is the median
// call (a call the shared machine preempted does not drag it up, on either side), and the
// summary is the median over the requests. The decisions and reasons of both sides must agree.
//
// Run: build/<preset>/bench/reference_bench [reps]  (default 200; needs `npm ci --prefix
// conformance`), or the custom target `bench_reference`.
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "engine/builtin.hpp"
#include "engine/engine.hpp"
#include "pipeline/decide.hpp"
#include "pipeline/report.hpp"
#include "support/json_writer.hpp"

namespace {

using namespace vectimus;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kPermitAll =
    "@id(\"vectimus-allow-unless-forbidden\")\npermit(principal, action, resource);\n";

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// Median µs of one call of `f`, over `reps` calls each timed alone, after 3 warm-up calls.
template <typename F>
double time_us(int reps, F&& f) {
  for (int i = 0; i < 3; ++i) f();
  std::vector<double> calls(static_cast<size_t>(reps));
  for (double& us : calls) {
    const auto start = Clock::now();
    f();
    us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
  }
  return median(std::move(calls));
}

// The sample events as the pipeline normalises and decides them; `engine` is set to the engine
// that decided them (the built-in packs: HOME is an empty temp folder).
std::vector<normalise::Event> sample_events(pipeline::Session& session,
                                            const engine::Engine*& engine) {
  simdjson::dom::parser parser;
  const std::string text(engine::builtin_samples());
  simdjson::dom::element root = parser.parse(text);
  std::vector<normalise::Event> events;
  for (simdjson::dom::element item : root.get_array()) {
    std::string_view source = item["source"].get_string();
    simdjson::dom::element p = item["payload"];
    std::string payload;
    std::string_view raw;
    if (p.get_string().get(raw) == simdjson::SUCCESS) {
      payload = std::string(raw);
    } else {
      payload = simdjson::minify(p);
    }
    pipeline::Outcome outcome = session.decide_payload(source, payload);
    if (outcome.stage != pipeline::Stage::decided) continue;
    engine = outcome.engine;
    events.push_back(std::move(*outcome.event));
  }
  return events;
}

std::string policies_text() {
  std::string text;
  for (const engine::EmbeddedFile& file : engine::builtin_pack_files()) {
    if (file.path.ends_with(".cedar")) text += std::string(file.text) + "\n";
  }
  return text + std::string(kPermitAll);
}

std::string request_json(const interpreter::Request& r) {
  JsonWriter w;
  w.begin_object().key("principal");
  pipeline::write_uid(w, r.principal);
  w.key("action");
  pipeline::write_uid(w, r.action);
  w.key("resource");
  pipeline::write_uid(w, r.resource);
  w.key("context");
  pipeline::write_value(w, r.context);
  w.key("entities").begin_array().end_array().end_object();
  return w.take();
}

}  // namespace

int main(int argc, char** argv) {
  const int reps = argc > 1 ? std::atoi(argv[1]) : 200;
  char home_pattern[] = "/tmp/vectimus-refbench-XXXXXX";
  const std::string dir = mkdtemp(home_pattern);
  // No config, no user or project packs: HOME and the working folder are the empty temp dir.
  MapEnvironment env({{"HOME", dir}});
  Host host = real_host();
  host.env = &env;
  host.cwd = dir;
  pipeline::Session session(host, {});
  const engine::Engine* loaded = nullptr;
  const std::vector<normalise::Event> events = sample_events(session, loaded);
  if (loaded == nullptr) {
    std::fputs("no sample event was decided\n", stderr);
    return 1;
  }
  const engine::Engine& eng = *loaded;
  const ir::PolicySet& set = eng.packs().set();
  const index::PolicyIndex& idx = *eng.rule_index();
  const interpreter::Entities entities;

  // The requests of every sample event, and the time to decide each whole event.
  std::vector<interpreter::Request> requests;
  std::vector<double> event_us, event_eval_us;
  for (const normalise::Event& event : events) {
    std::vector<interpreter::Request> own;
    for (const auto& r : eng.decide(event).requests) own.push_back(r.planned.request);
    requests.insert(requests.end(), own.begin(), own.end());
    event_us.push_back(time_us(reps, [&] { return eng.decide(event); }));
    // Evaluation alone: every request of the event, index candidates + authorize.
    event_eval_us.push_back(time_us(reps, [&] {
      size_t denies = 0;
      for (const auto& r : own) {
        denies += interpreter::authorize(set, idx.candidates(r, entities), r, entities).decision ==
                  interpreter::Decision::deny;
      }
      return denies;
    }));
  }

  {
    std::ofstream(dir + "/policies.cedar") << policies_text();
    std::string json = "[";
    for (size_t i = 0; i < requests.size(); ++i) {
      json += (i ? ",\n" : "") + request_json(requests[i]);
    }
    std::ofstream(dir + "/requests.json") << json << "]\n";
  }

  std::vector<double> index_us, full_us;
  std::vector<interpreter::Response> ours;
  for (const interpreter::Request& r : requests) {
    index_us.push_back(time_us(reps, [&] {
      return interpreter::authorize(set, idx.candidates(r, entities), r, entities);
    }));
    full_us.push_back(time_us(reps, [&] { return interpreter::authorize(set, r, entities); }));
    ours.push_back(interpreter::authorize(set, idx.candidates(r, entities), r, entities));
  }

  // The reference, same requests.
  const std::string command = "node " + std::string(VECTIMUS_SOURCE_DIR) +
                              "/bench/reference_bench.js " + dir + " " + std::to_string(reps);
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buf[65536];
  for (size_t n; pipe && (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  const int status = pipe ? pclose(pipe) : -1;
  std::filesystem::remove_all(dir);
  simdjson::dom::parser parser;
  simdjson::dom::element answer;
  simdjson::dom::array list;
  if (status != 0 || parser.parse(out).get(answer) != simdjson::SUCCESS ||
      answer["requests"].get_array().get(list) != simdjson::SUCCESS) {
    std::fprintf(stderr, "the reference run failed (status %d): %s\n", status, out.c_str());
    return 1;
  }
  std::vector<double> ref_us;
  size_t i = 0, disagree = 0;
  for (simdjson::dom::element item : list) {
    ref_us.push_back(double(item["us"].get_double()));
    std::string_view decision = item["decision"].get_string().value_unsafe();
    std::set<std::string> ref_reasons, our_reasons;
    for (simdjson::dom::element id : item["reason"].get_array()) {
      ref_reasons.insert(std::string(id.get_string().value_unsafe()));
    }
    for (uint32_t p : ours[i].reasons) our_reasons.insert(set.policies[p].positional_id);
    const bool allow = ours[i].decision == interpreter::Decision::allow;
    if ((decision == "allow") != allow || ref_reasons != our_reasons) ++disagree;
    ++i;
  }

  std::string_view version = answer["version"].get_string().value_unsafe();
  const double ref = median(ref_us), with_index = median(index_us), full = median(full_us);
  std::printf(
      "policies: %zu (built-in packs + permit-all); requests: %zu from %zu sample events;"
      " %d calls each\n",
      set.policies.size(), requests.size(), events.size(), reps);
  std::printf(
      "reference cedar-wasm %.*s, pre-parsed (statefulIsAuthorized): median %8.2f us/request\n",
      static_cast<int>(version.size()), version.data(), ref);
  std::printf("vectimus, index candidates + authorize:          median %8.2f us/request\n",
              with_index);
  std::printf("vectimus, every policy (no index):               median %8.2f us/request\n", full);
  std::printf("vectimus, evaluation of one event's requests:    median %8.2f us/event\n",
              median(event_eval_us));
  std::printf(
      "vectimus, Engine::decide of one whole event:     median %8.2f us/event"
      " (request building, shell analysis, content inspection included)\n",
      median(event_us));
  std::printf("ratio reference / vectimus (index): %.0fx\n", ref / with_index);
  std::printf("decisions and reasons that disagree: %zu of %zu\n", disagree, requests.size());
  return disagree == 0 ? 0 : 1;
}
