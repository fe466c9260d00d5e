// `vectimus lint PATH...`: parses every `.cedar` file (folders recursively) and reports every
// syntax error, duplicate annotation key, missing `@id`, and `@id` shared by two policies
// anywhere in the given paths (naming both places), so ids are checked across packs. Every
// `pack.toml` found is checked too: name, version, description and author present, as strings.
// Human-readable by default, JSON with
// `--format json`. Exit 1 on any error.
// A policy in a pack (a `.cedar` file whose folder, or a folder above it, holds a `pack.toml`)
// must also carry a non-empty `@id`, `@description`, `@incident`, `@controls` and
// `@suggested_alternative`: each one missing is an error `missing-annotation` at the policy.
#include <CLI/CLI.hpp>
#include <array>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/files.hpp"
#include "engine/manifest.hpp"
#include "grammar/parse.hpp"
#include "ir/checks.hpp"

namespace vectimus::cli {
namespace {

struct LintOptions {
  std::vector<std::string> paths;
  std::string format = "text";
};

bool is_manifest(const std::string& path) {
  return path == "pack.toml" ||
         (path.size() > 10 && path.compare(path.size() - 10, 10, "/pack.toml") == 0);
}

// The annotations every rule of a pack carries (`@id` is also checked, with its own code, for
// every policy by ir::check_policy_ids).
constexpr std::array<std::string_view, 5> kPackAnnotations{"id", "description", "incident",
                                                           "controls", "suggested_alternative"};

// Whether `file` lies in a pack: its folder or one above it holds a pack.toml.
bool in_pack(const std::string& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir = fs::absolute(fs::path(file), ec).parent_path();
  if (ec) return false;
  for (;;) {
    if (fs::is_regular_file(dir / "pack.toml", ec)) return true;
    if (!dir.has_parent_path() || dir.parent_path() == dir) return false;
    dir = dir.parent_path();
  }
}

// Each annotation of kPackAnnotations that `policy` lacks (or leaves empty), at the policy's
// first token. A missing `@id` is left to check_policy_ids, which reports it as `missing-id`.
void check_pack_annotations(const ir::Policy& policy, Diagnostics& found) {
  for (const std::string_view key : kPackAnnotations) {
    const std::string* value = policy.annotation(key);
    if (key == "id" && value == nullptr) continue;
    if (value != nullptr && !value->empty()) continue;
    const std::string what = value == nullptr ? "has no" : "has an empty";
    found.push_back(make_error(
        "missing-annotation",
        "policy `" + policy.id() + "` " + what + " `@" + std::string(key) + "` annotation",
        Location{policy.source, Span{policy.span.begin, policy.span.begin + 1}},
        "every rule in a pack carries @id, @description, @incident, @controls and "
        "@suggested_alternative"));
  }
}

// Every pack.toml under `paths`, checked as the pack loader checks it.
void check_manifests(const std::vector<std::string>& paths, Diagnostics& found) {
  auto files = expand_paths(paths, "pack.toml");
  if (!files) return;  // already reported by the .cedar pass
  for (const std::string& file : *files) {
    if (!is_manifest(file)) continue;
    auto text = read_source(file);
    if (!text) {
      found.insert(found.end(), text.errors().begin(), text.errors().end());
      continue;
    }
    auto manifest = engine::parse_pack_manifest(*text);
    if (!manifest) found.insert(found.end(), manifest.errors().begin(), manifest.errors().end());
  }
}

int run_lint(const LintOptions& opt) {
  Diagnostics found;
  auto files = expand_paths(opt.paths, ".cedar");
  if (!files) {
    found = files.errors();
  } else {
    std::vector<ir::PolicySet> sets;
    for (const std::string& file : *files) {
      auto text = read_source(file);
      if (!text) {
        found.insert(found.end(), text.errors().begin(), text.errors().end());
        continue;
      }
      auto parsed = grammar::parse_policies(*text);
      if (!parsed) {
        found.insert(found.end(), parsed.errors().begin(), parsed.errors().end());
        continue;
      }
      if (in_pack(file)) {
        for (const ir::Policy& policy : parsed->policies) check_pack_annotations(policy, found);
      }
      sets.push_back(std::move(parsed).value());
    }
    std::vector<const ir::Policy*> all;
    for (const auto& set : sets) {
      for (const auto& policy : set.policies) all.push_back(&policy);
    }
    const Diagnostics id_problems = ir::check_policy_ids(all);
    found.insert(found.end(), id_problems.begin(), id_problems.end());
    check_manifests(opt.paths, found);
    if (opt.format == "text" && found.empty()) {
      std::cerr << "lint: " << files->size() << " files, " << all.size()
                << " policies, no problems\n";
    }
  }
  if (opt.format == "json") {
    std::cout << render_json(found) << '\n';
  } else {
    std::cout << render(found);
    if (!found.empty()) std::cout << found.size() << (found.size() == 1 ? " error\n" : " errors\n");
  }
  return found.empty() ? kExitOk : kExitBadInput;
}

}  // namespace

void add_lint_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<LintOptions>();
  auto* cmd = app.add_subcommand("lint", "Check Cedar policy files for errors");
  cmd->add_option("paths", opt->paths, "policy files, or folders searched for .cedar files")
      ->required();
  cmd->add_option("--format", opt->format, "output format")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([opt, &exit_code] { exit_code = run_lint(*opt); });
}

}  // namespace vectimus::cli
