// `vectimus cedar run-tests`: runs test files in the cedar-integration-tests format and compares
// our decision, reason set and error-id set with the expected ones, as the official harness does.
//
// Flow per file: read the test JSON -> parse its policy file (positional ids) and entities file
// (schema-less, as cedar-go does) -> for each request, authorize and compare. A test that uses a
// feature outside our subset is skipped, and the skip is counted by reason; any other failure to
// load is a failure. The last line is `N passed, N failed, N skipped`, counting requests.
// With `--index`, each request is also decided through the rule index (index/), and a request
// fails unless that answer has the same decision and reasons as the full evaluation and its
// errors are a subset of the full errors (policies left out are not evaluated).
#include <simdjson.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "cli/commands.hpp"
#include "cli/files.hpp"
#include "grammar/parse.hpp"
#include "index/policy_index.hpp"
#include "interpreter/authorizer.hpp"
#include "interpreter/json.hpp"

namespace vectimus::cli {
namespace {

namespace dom = simdjson::dom;
using IdSet = std::set<std::string>;

struct Tally {
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;
  size_t tests_run = 0;
  size_t tests_skipped = 0;
  std::map<std::string, size_t> skipped_by_reason;  // reason -> requests
};

// A skip reason names a kind of unsupported feature, not an instance: backticked user input
// (`ip`, `decimal`) is folded so that counts group by kind.
std::string skip_reason(const Diagnostics& errors) {
  std::string out;
  bool in_ticks = false;
  for (const char c : errors.front().message) {
    if (c == '`') {
      out += in_ticks ? "`" : "`…";
      in_ticks = !in_ticks;
    } else if (!in_ticks) {
      out += c;
    }
  }
  return out;
}

bool is_unsupported(const Diagnostics& errors) {
  for (const Diagnostic& d : errors) {
    if (d.code != "unsupported") return false;
  }
  return true;
}

// Without a schema, `{"type": "...", "id": "..."}` is a record; with one, Cedar reads it as an
// entity reference. A test whose data holds that shape cannot be run schema-less.
bool has_implicit_entity(dom::element e) {
  dom::array array;
  if (e.get_array().get(array) == simdjson::SUCCESS) {
    for (dom::element child : array) {
      if (has_implicit_entity(child)) return true;
    }
    return false;
  }
  dom::object object;
  if (e.get_object().get(object) != simdjson::SUCCESS) return false;
  if (object.size() == 2 && object["type"].is_string() && object["id"].is_string()) return true;
  if (object.size() == 1 && object["__entity"].error() == simdjson::SUCCESS) return false;
  for (const auto field : object) {
    if (has_implicit_entity(field.value)) return true;
  }
  return false;
}

// What one loaded file turned into: a value, a reason to skip, or a failure message.
template <class T>
struct Loaded {
  std::shared_ptr<const T> value;
  std::string skip;
  std::string failure;
  bool implicit_entities = false;  // entities files only
  SourcePtr text;                  // the file, when it loaded
};

class Runner {
 public:
  Runner(std::string root, bool use_index) : root_(std::move(root)), use_index_(use_index) {}
  void run_file(const std::string& path);
  const Tally& tally() const { return tally_; }

 private:
  const Loaded<ir::PolicySet>& policies(const std::string& rel);
  const Loaded<interpreter::Entities>& entities(const std::string& rel);
  void run_request(const std::string& file, size_t index, dom::element request,
                   const ir::PolicySet& set, const interpreter::Entities& store);
  void skip_requests(size_t count, const std::string& reason);
  void fail(const std::string& where, const std::string& why, size_t count = 1);
  std::string resolve(const std::string& rel) const {
    return root_.empty() ? rel : root_ + "/" + rel;
  }

  std::string check_index(const ir::PolicySet& set, const interpreter::Request& req,
                          const interpreter::Entities& store, const interpreter::Response& full);

  std::string root_;
  bool use_index_ = false;
  std::map<const ir::PolicySet*, index::PolicyIndex> index_cache_;
  Tally tally_;
  std::map<std::string, Loaded<ir::PolicySet>> policy_cache_;
  std::map<std::string, Loaded<interpreter::Entities>> entity_cache_;
  dom::parser test_parser_;
  dom::parser data_parser_;
};

// Reads `rel` once and parses it with `parse`: a value, a reason to skip (an unsupported
// feature), or a failure. Both policy files and entity files load this way.
template <class T, class Parse>
Loaded<T>& load_once(std::map<std::string, Loaded<T>>& cache, const std::string& rel,
                     const std::string& path, Parse parse) {
  auto [it, inserted] = cache.try_emplace(rel);
  Loaded<T>& out = it->second;
  if (!inserted) return out;
  auto text = read_source(path);
  if (!text) {
    out.failure = render(text.errors());
    return out;
  }
  auto parsed = parse(*text);
  if (parsed) {
    out.value = std::make_shared<const T>(std::move(parsed).value());
    out.text = *text;
  } else if (is_unsupported(parsed.errors())) {
    out.skip = skip_reason(parsed.errors());
  } else {
    out.failure = render(parsed.errors());
  }
  return out;
}

const Loaded<ir::PolicySet>& Runner::policies(const std::string& rel) {
  return load_once(policy_cache_, rel, resolve(rel),
                   [](const SourcePtr& text) { return grammar::parse_policies(text); });
}

const Loaded<interpreter::Entities>& Runner::entities(const std::string& rel) {
  const bool first = entity_cache_.count(rel) == 0;
  Loaded<interpreter::Entities>& out =
      load_once(entity_cache_, rel, resolve(rel), interpreter::parse_entities_json);
  if (!first || !out.value) return out;
  // Only attribute values are read by a schema; `uid` and `parents` are always entities.
  dom::array list;
  if (data_parser_.parse(out.text->text).get_array().get(list) == simdjson::SUCCESS) {
    for (dom::element entity : list) {
      dom::element attrs;
      if (entity["attrs"].get(attrs) == simdjson::SUCCESS && has_implicit_entity(attrs)) {
        out.implicit_entities = true;
        break;
      }
    }
  }
  return out;
}

void Runner::skip_requests(size_t count, const std::string& reason) {
  tally_.skipped += count;
  tally_.skipped_by_reason[reason] += count;
}

void Runner::fail(const std::string& where, const std::string& why, size_t count) {
  tally_.failed += count;
  std::cout << "FAIL " << where << ": " << why << '\n';
}

// Empty when the answer through the index agrees with `full`, else what differs.
std::string Runner::check_index(const ir::PolicySet& set, const interpreter::Request& req,
                                const interpreter::Entities& store,
                                const interpreter::Response& full) {
  auto it = index_cache_.find(&set);
  if (it == index_cache_.end()) {
    it = index_cache_.emplace(&set, index::PolicyIndex::build(set)).first;
  }
  const auto fast = interpreter::authorize(set, it->second.candidates(req, store), req, store);
  std::string diff;
  if (fast.decision != full.decision) diff += "index: decision differs from the full evaluation; ";
  if (fast.reasons != full.reasons) diff += "index: reasons differ from the full evaluation; ";
  for (const auto& e : fast.errors) {
    bool found = false;
    for (const auto& f : full.errors) {
      found = found || (f.policy == e.policy && f.message == e.message);
    }
    if (!found) diff += "index: error not in the full evaluation: " + e.message + "; ";
  }
  return diff.empty() ? diff : diff.substr(0, diff.size() - 2);
}

std::string show(const IdSet& ids) {
  std::string out = "[";
  for (const std::string& id : ids) out += (out.size() > 1 ? ", " : "") + id;
  return out + "]";
}

// The ids listed under `field`; a missing field is an empty set.
IdSet id_set(dom::element request, const char* field) {
  IdSet out;
  dom::array items;
  if (request[field].get_array().get(items) != simdjson::SUCCESS) return out;
  for (dom::element id : items) {
    std::string_view text;
    if (id.get_string().get(text) == simdjson::SUCCESS) out.emplace(text);
  }
  return out;
}

void Runner::run_request(const std::string& file, size_t index, dom::element request,
                         const ir::PolicySet& set, const interpreter::Entities& store) {
  std::string where = file + " request " + std::to_string(index);
  std::string_view description;
  if (request["description"].get_string().get(description) == simdjson::SUCCESS) {
    where += " (" + std::string(description) + ")";
  }

  interpreter::Request req;
  struct Part {
    const char* name;
    ir::EntityUid* uid;
  };
  for (const Part part : {Part{"principal", &req.principal}, Part{"action", &req.action},
                          Part{"resource", &req.resource}}) {
    dom::element value;
    if (request[part.name].get(value) != simdjson::SUCCESS) {
      return fail(where, std::string("the request has no ") + part.name);
    }
    auto uid = interpreter::parse_entity_uid_json(
        make_source(where + " " + part.name, simdjson::to_string(value)));
    if (!uid) return fail(where, render(uid.errors()));
    *part.uid = std::move(uid).value();
  }
  dom::element context_json;
  req.context = interpreter::Value::record({});
  if (request["context"].get(context_json) == simdjson::SUCCESS) {
    auto context = interpreter::parse_context_json(
        make_source(where + " context", simdjson::to_string(context_json)));
    if (!context) {
      if (is_unsupported(context.errors())) return skip_requests(1, skip_reason(context.errors()));
      return fail(where, render(context.errors()));
    }
    req.context = std::move(context).value();
  }

  const auto response = interpreter::authorize(set, req, store);
  if (use_index_) {
    if (std::string mismatch = check_index(set, req, store, response); !mismatch.empty()) {
      return fail(where, mismatch);
    }
  }
  const bool allow = response.decision == interpreter::Decision::allow;
  std::string_view expected_decision;
  if (request["decision"].get_string().get(expected_decision) != simdjson::SUCCESS) {
    return fail(where, "the request has no expected `decision`");
  }
  IdSet reasons;
  IdSet errors;
  for (const uint32_t i : response.reasons) reasons.insert(set.policies[i].positional_id);
  for (const auto& e : response.errors) errors.insert(set.policies[e.policy].positional_id);
  const IdSet want_reasons = id_set(request, "reason");
  const IdSet want_errors = id_set(request, "errors");

  std::string diff;
  if ((allow ? "allow" : "deny") != expected_decision) {
    diff += "decision: expected " + std::string(expected_decision) + ", got " +
            (allow ? "allow" : "deny") + "; ";
  }
  if (reasons != want_reasons) {
    diff += "reason: expected " + show(want_reasons) + ", got " + show(reasons) + "; ";
  }
  if (errors != want_errors) {
    diff += "errors: expected " + show(want_errors) + ", got " + show(errors) + "; ";
    for (const auto& e : response.errors) {
      diff += set.policies[e.policy].positional_id + ": " + e.message + "; ";
    }
  }
  if (diff.empty()) {
    ++tally_.passed;
  } else {
    fail(where, diff.substr(0, diff.size() - 2));
  }
}

void Runner::run_file(const std::string& path) {
  auto text = read_source(path);
  if (!text) return fail(path, render(text.errors()));
  dom::element test;
  if (auto error = test_parser_.parse((*text)->text).get(test); error != simdjson::SUCCESS) {
    return fail(path, std::string("not valid JSON: ") + simdjson::error_message(error));
  }
  dom::array requests;
  std::string_view policy_path;
  std::string_view entity_path;
  if (test["requests"].get_array().get(requests) != simdjson::SUCCESS ||
      test["policies"].get_string().get(policy_path) != simdjson::SUCCESS ||
      test["entities"].get_string().get(entity_path) != simdjson::SUCCESS) {
    return fail(path, "not a Cedar test: expected `policies`, `entities` and `requests`");
  }
  const size_t count = requests.size();
  const auto& set = policies(std::string(policy_path));
  const auto& store = entities(std::string(entity_path));
  if (!set.failure.empty()) return fail(path, set.failure, count);
  if (!store.failure.empty()) return fail(path, store.failure, count);
  std::string skip = !set.skip.empty() ? set.skip : store.skip;

  std::string_view schema;
  const bool has_schema = test["schema"].get_string().get(schema) == simdjson::SUCCESS;
  if (skip.empty() && has_schema) {
    bool implicit = store.implicit_entities;
    for (dom::element request : requests) {
      dom::element context;
      if (request["context"].get(context) == simdjson::SUCCESS) {
        implicit = implicit || has_implicit_entity(context);
      }
    }
    if (implicit) skip = "data needs the schema to tell entity references from records";
  }
  if (!skip.empty()) {
    ++tally_.tests_skipped;
    return skip_requests(count, skip);
  }
  ++tally_.tests_run;
  size_t index = 0;
  for (dom::element request : requests) {
    run_request(path, index++, request, *set.value, *store.value);
  }
}

}  // namespace

void add_run_tests_command(CLI::App& cedar, int& exit_code) {
  struct Options {
    std::string root;
    std::vector<std::string> files;
    bool index = false;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = cedar.add_subcommand("run-tests", "Run tests in the cedar-integration-tests format");
  cmd->add_option("--root", opt->root, "folder that the paths inside the tests are relative to");
  cmd->add_flag("--index", opt->index,
                "also decide each request through the rule index and check it agrees");
  cmd->add_option("files", opt->files, "test files, or folders of them")->required();
  cmd->callback([opt, &exit_code] {
    auto files = expand_paths(opt->files, ".json");
    if (!files) {
      std::cerr << render(files.errors());
      exit_code = kExitBadInput;
      return;
    }
    Runner runner(opt->root, opt->index);
    for (const std::string& file : *files) runner.run_file(file);
    const Tally& t = runner.tally();
    std::cout << "tests: " << t.tests_run << " run, " << t.tests_skipped << " skipped\n";
    for (const auto& [reason, n] : t.skipped_by_reason) {
      std::cout << "skipped: " << n << " requests: " << reason << '\n';
    }
    std::cout << t.passed << " passed, " << t.failed << " failed, " << t.skipped << " skipped\n";
    exit_code = t.failed == 0 ? kExitOk : kExitBadInput;
  });
}

}  // namespace vectimus::cli
