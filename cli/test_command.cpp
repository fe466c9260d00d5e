// `vectimus test [--file F] [--policy-dir D]`: runs sample events through the hook's decision
// path and compares each with what is expected. F is a JSON array of
// `{"name","source","payload","expected":"allow"|"deny"|"escalate"}` (payload an object, or a
// string holding the raw payload); without --file, the built-in samples (policies/samples.json).
// Prints one table row per event (result, name, expected, got, matched rules, time in µs),
// coloured only on a terminal, then `N passed, N failed`. Exit 1 on any failure or bad input.
#include <simdjson.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/files.hpp"
#include "engine/builtin.hpp"
#include "pipeline/decide.hpp"

namespace vectimus::cli {
namespace {

namespace dom = simdjson::dom;

struct TestOptions {
  std::string file;
  std::string policy_dir;
  bool no_index = false;
};

struct Case {
  std::string name;
  std::string source;
  std::string payload;
  std::string expected;
};

struct Row {
  bool pass = false;
  std::string name, expected, got, rules;
  long micros = 0;
};

Result<std::vector<Case>> read_cases(const SourcePtr& text) {
  dom::parser parser;
  dom::element root;
  if (parser.parse(text->text).get(root) != simdjson::SUCCESS) {
    return make_error("json", "`" + text->name + "` is not valid JSON");
  }
  dom::array array;
  if (root.get_array().get(array) != simdjson::SUCCESS) {
    return make_error("json", "`" + text->name + "` must hold a JSON array of test cases");
  }
  std::vector<Case> cases;
  Diagnostics errors;
  std::size_t index = 0;
  for (dom::element item : array) {
    const std::string where = "`" + text->name + "` case " + std::to_string(index++);
    Case c;
    std::string_view name, source, expected, payload;
    if (item["name"].get_string().get(name) != simdjson::SUCCESS ||
        item["source"].get_string().get(source) != simdjson::SUCCESS ||
        item["expected"].get_string().get(expected) != simdjson::SUCCESS) {
      errors.push_back(
          make_error("json", where + " needs string fields `name`, `source` and `expected`"));
      continue;
    }
    if (expected != "allow" && expected != "deny" && expected != "escalate") {
      errors.push_back(make_error("json", where + ": expected is `" + std::string(expected) +
                                              "`, must be allow, deny or escalate"));
      continue;
    }
    dom::element p;
    if (item["payload"].get(p) != simdjson::SUCCESS) {
      errors.push_back(make_error("json", where + " has no `payload`"));
      continue;
    }
    if (p.get_string().get(payload) == simdjson::SUCCESS) {
      c.payload = std::string(payload);
    } else {
      c.payload = simdjson::minify(p);
    }
    c.name = std::string(name);
    c.source = std::string(source);
    c.expected = std::string(expected);
    cases.push_back(std::move(c));
  }
  if (!errors.empty()) return errors;
  return cases;
}

// The hook's verdict for one case; a load error is fatal for the whole run.
Result<Row> run_case(pipeline::Session& session, const Case& c) {
  Row row;
  row.name = c.name;
  row.expected = c.expected;
  const auto start = std::chrono::steady_clock::now();
  const pipeline::Outcome outcome = session.decide_payload(c.source, c.payload);
  row.micros = static_cast<long>(std::chrono::duration_cast<std::chrono::microseconds>(
                                     std::chrono::steady_clock::now() - start)
                                     .count());
  if (outcome.stage == pipeline::Stage::load_error) return outcome.diagnostics;
  if (outcome.stage == pipeline::Stage::payload_error) {
    row.rules = "(payload: " + outcome.diagnostics.front().message + ")";
  } else if (outcome.stage == pipeline::Stage::internal_error) {
    row.rules = "(" + outcome.reason + ")";
  }
  for (const std::string& id : outcome.matched_rule_ids()) {
    row.rules += (row.rules.empty() ? "" : ",") + id;
  }
  row.got = std::string(engine::verdict_name(outcome.verdict));
  row.pass = row.got == row.expected;
  if (row.rules.empty()) row.rules = "-";
  return row;
}

std::string pad(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

int run_test(const TestOptions& opt) {
  SourcePtr text;
  if (opt.file.empty()) {
    text = make_source("<built-in samples>", std::string(engine::builtin_samples()));
  } else {
    auto read = read_source(opt.file);
    if (!read) {
      std::cerr << render(read.errors());
      return kExitBadInput;
    }
    text = *read;
  }
  auto cases = read_cases(text);
  if (!cases) {
    std::cerr << render(cases.errors());
    return kExitBadInput;
  }
  pipeline::SessionOptions options;
  if (!opt.policy_dir.empty()) options.policy_dir = opt.policy_dir;
  options.use_index = !opt.no_index;
  pipeline::Session session(real_host(), options);
  // The loader's warnings about the packs' rules (engine/context_lint.hpp), for the packs
  // that apply where the command runs: on stderr, before the table.
  if (const auto& loaded = session.engine_for(std::nullopt); loaded) {
    std::cerr << render(loaded->packs().warnings);
  }
  std::vector<Row> rows;
  for (const Case& c : *cases) {
    auto row = run_case(session, c);
    if (!row) {
      std::cerr << "vectimus: policies could not be loaded\n" << render(row.errors());
      return kExitBadInput;
    }
    rows.push_back(std::move(row).value());
  }
  const bool colour = ::isatty(1) != 0;
  std::size_t name_w = 4, rules_w = 5;
  for (const Row& r : rows) {
    name_w = std::max(name_w, r.name.size());
    rules_w = std::max(rules_w, r.rules.size());
  }
  std::string out = pad("RESULT", 8) + pad("NAME", name_w + 2) + pad("EXPECTED", 10) +
                    pad("GOT", 10) + pad("RULES", rules_w + 2) + "TIME\n";
  std::size_t passed = 0;
  for (const Row& r : rows) {
    passed += r.pass ? 1 : 0;
    std::string result = r.pass ? "PASS" : "FAIL";
    if (colour) result = (r.pass ? "\x1b[32m" : "\x1b[31m") + result + "\x1b[0m";
    out += result + "    " + pad(r.name, name_w + 2) + pad(r.expected, 10) + pad(r.got, 10) +
           pad(r.rules, rules_w + 2) + std::to_string(r.micros) + " µs\n";
  }
  out += std::to_string(passed) + " passed, " + std::to_string(rows.size() - passed) + " failed\n";
  std::cout << out;
  return passed == rows.size() ? kExitOk : kExitBadInput;
}

}  // namespace

void add_test_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<TestOptions>();
  auto* cmd = app.add_subcommand("test", "Run sample events and compare with expected decisions");
  cmd->add_option("--file", opt->file, "JSON array of {name, source, payload, expected}");
  cmd->add_option("--policy-dir", opt->policy_dir, "use only the packs in this folder");
  cmd->add_flag("--no-index", opt->no_index,
                "evaluate every rule instead of the rule index's candidates (same decisions; "
                "for A/B checks)");
  cmd->callback([opt, &exit_code] { exit_code = run_test(*opt); });
}

}  // namespace vectimus::cli
