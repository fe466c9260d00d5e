// `vectimus lint PATH...`: parses every `.cedar` file (folders recursively) and reports every
// syntax error, duplicate annotation key, missing `@id`, and `@id` shared by two policies
// anywhere in the given paths (naming both places), so ids are checked across packs. Every
// `pack.toml` found is checked as the loader checks it (the `[pack]` table). Config files are
// checked against the schema (engine/config_schema.hpp): a `.toml` file named on the command
// line that is not a pack.toml, and every `vectimus.toml` and `config.toml` in a folder (other
// `.toml` files in a folder, a Cargo.toml say, are not ours); unknown keys and wrong types are
// errors with a "did you mean", keys whose feature is not built yet are warnings ("has no effect
// yet"), and a `[policies] dir` naming no folder is an error (the hook would deny every call).
// Human-readable by default, JSON with `--format json`. Exit 1 on any error.
//
// A policy in a pack (a `.cedar` file whose folder, or a folder above it, holds a `pack.toml`)
// must also carry a non-empty `@description` and `@suggested_alternative` (what the agent is
// shown when the rule blocks; the docs' own example rules carry exactly these); with `--builtin`
// (the built-in packs, `policies/`) also `@incident` and `@controls`, which the docs call "where
// applicable". Each one missing is an error `missing-annotation` at the policy.
//
// Every policy's reads of `context` are checked against the normaliser's table of attributes
// (engine/context_lint.hpp): an attribute no event carries, one the rule's action scope never
// carries, a `like` pattern that cannot match what the normaliser produces. These are warnings
// (exit 0); `--strict` makes every warning an error (the built-in packs are linted so).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <span>

#include "cli/commands.hpp"
#include "cli/files.hpp"
#include "engine/config.hpp"
#include "engine/context_lint.hpp"
#include "engine/manifest.hpp"
#include "grammar/parse.hpp"
#include "ir/checks.hpp"

namespace vectimus::cli {
namespace {

struct LintOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  bool builtin = false;
  bool strict = false;
};

bool is_manifest(const std::string& path) {
  return path == "pack.toml" ||
         (path.size() > 10 && path.compare(path.size() - 10, 10, "/pack.toml") == 0);
}

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A config file: a `.toml` named on the command line that is not a pack.toml, or a
// `vectimus.toml` / `config.toml` found in a folder.
bool is_config(const std::string& path, bool named) {
  if (is_manifest(path) || !ends_with(path, ".toml")) return false;
  if (named) return true;
  return path == "vectimus.toml" || path == "config.toml" || ends_with(path, "/vectimus.toml") ||
         ends_with(path, "/config.toml");
}

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

// A `[policies] dir` that names no folder: the hook would deny every call, so lint says so.
void check_policy_dir(const engine::Config& config, Diagnostics& found) {
  const auto origin = config.origins.find(std::string_view("policies.dir"));
  if (!config.policy_dir || origin == config.origins.end()) return;
  std::error_code ec;
  if (std::filesystem::is_directory(*config.policy_dir, ec)) return;
  found.push_back(make_error("config", "policy folder `" + *config.policy_dir + "` does not exist",
                             origin->second.where,
                             "with this file in place the hook denies every call; create the "
                             "folder (.cedar files and/or packs) or fix the path"));
}

// Every pack.toml and config file under `paths`, checked as the loaders check them; returns how
// many files were checked.
std::size_t check_toml_files(const std::vector<std::string>& paths, Diagnostics& found) {
  std::size_t checked_files = 0;
  std::vector<std::string> named;
  for (const std::string& path : paths) {
    if (ends_with(path, ".toml")) named.push_back(path);
  }
  auto files = expand_paths(paths, ".toml");
  if (!files) return 0;  // already reported by the .cedar pass
  const char* home = std::getenv("HOME");
  for (const std::string& file : *files) {
    const bool was_named = std::find(named.begin(), named.end(), file) != named.end();
    if (!is_manifest(file) && !is_config(file, was_named)) continue;
    ++checked_files;
    auto text = read_source(file);
    if (!text) {
      found.insert(found.end(), text.errors().begin(), text.errors().end());
      continue;
    }
    if (is_manifest(file)) {
      auto manifest = engine::parse_pack_manifest(*text);
      if (!manifest) found.insert(found.end(), manifest.errors().begin(), manifest.errors().end());
      continue;
    }
    engine::Config config;
    const engine::LayerContext context{engine::config_base_dir(file), home ? home : ""};
    const Diagnostics checked = engine::apply_config_toml(config, *text, context);
    found.insert(found.end(), checked.begin(), checked.end());
    check_policy_dir(config, found);
  }
  return checked_files;
}

std::size_t count_of(const Diagnostics& found, Severity severity) {
  return static_cast<std::size_t>(
      std::count_if(found.begin(), found.end(),
                    [severity](const Diagnostic& d) { return d.severity == severity; }));
}

std::size_t error_count(const Diagnostics& found) {
  return count_of(found, Severity::error);
}

// `3 errors, 1 warning`; empty when there are neither.
std::string summary(const Diagnostics& found) {
  std::string out;
  for (const auto& [severity, word] :
       {std::pair{Severity::error, "error"}, std::pair{Severity::warning, "warning"}}) {
    const std::size_t n = count_of(found, severity);
    if (n == 0) continue;
    out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  }
  return out;
}

int run_lint(const LintOptions& opt) {
  Diagnostics found;
  // `.toml` files named on the command line are config or manifests, not Cedar.
  std::vector<std::string> cedar_paths;
  for (const std::string& path : opt.paths) {
    if (!ends_with(path, ".toml")) cedar_paths.push_back(path);
  }
  auto files = expand_paths(cedar_paths, ".cedar");
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
        const std::span<const std::string_view> keys =
            opt.builtin ? std::span<const std::string_view>(ir::kBuiltinAnnotations)
                        : std::span<const std::string_view>(ir::kPackAnnotations);
        for (const ir::Policy& policy : parsed->policies) {
          const Diagnostics missing = ir::check_annotations(policy, keys);
          found.insert(found.end(), missing.begin(), missing.end());
        }
      }
      for (const ir::Policy& policy : parsed->policies) {
        const Diagnostics reads = engine::check_context_reads(policy);
        found.insert(found.end(), reads.begin(), reads.end());
      }
      sets.push_back(std::move(parsed).value());
    }
    std::vector<const ir::Policy*> all;
    for (const auto& set : sets) {
      for (const auto& policy : set.policies) all.push_back(&policy);
    }
    const Diagnostics id_problems = ir::check_policy_ids(all);
    found.insert(found.end(), id_problems.begin(), id_problems.end());
    const std::size_t toml_files = check_toml_files(opt.paths, found);
    if (opt.strict) {
      for (Diagnostic& d : found) d.severity = Severity::error;
    }
    if (opt.format == "text" && found.empty()) {
      std::cerr << "lint: " << files->size() + toml_files << " files, " << all.size()
                << " policies, no problems\n";
    }
  }
  if (opt.format == "json") {
    std::cout << render_json(found) << '\n';
  } else {
    std::cout << render(found);
    if (!found.empty()) std::cout << summary(found) << '\n';
  }
  return error_count(found) == 0 ? kExitOk : kExitBadInput;
}

}  // namespace

void add_lint_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<LintOptions>();
  auto* cmd = app.add_subcommand("lint", "Check Cedar policy files for errors");
  cmd->add_option("paths", opt->paths,
                  "policy files, config files (.toml), or folders searched for .cedar files, "
                  "pack.toml, vectimus.toml and config.toml")
      ->required();
  cmd->add_option("--format", opt->format, "output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--builtin", opt->builtin,
                "check as a built-in pack: every rule also carries @incident and @controls");
  cmd->add_flag("--strict", opt->strict,
                "treat warnings as errors (exit 1), e.g. a rule reading an attribute its "
                "actions never carry");
  cmd->callback([opt, &exit_code] { exit_code = run_lint(*opt); });
}

}  // namespace vectimus::cli
