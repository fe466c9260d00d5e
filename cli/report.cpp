// `vectimus report [--since 7d] [--format text|json|html] [--log-dir DIR] [--output FILE]`: the
// audit log's decisions of a window, counted (audit/summary.hpp) and written as a table, a JSON
// document or one self-contained HTML page (audit/summary_format.hpp). The log folder is the one
// the hook writes to for the current project: its config is loaded as the hook loads it, and
// pipeline::audit_log_folder() picks the folder from it.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <iterator>
#include <memory>

#include "audit/summary.hpp"
#include "audit/summary_format.hpp"
#include "cli/commands.hpp"
#include "engine/config.hpp"
#include "engine/locate.hpp"
#include "pipeline/evidence.hpp"

namespace vectimus::cli {
namespace {

struct ReportOptions {
  std::string since = "7d";
  std::string format = "text";
  std::string log_dir;
  std::string output;
};

// The folder the hook writes this project's records to. A config that does not load makes the
// hook deny every call and record it where no config points (VECTIMUS_LOG_DIR, else the
// default): the report reads there too, and says why.
std::string hook_log_folder(const Host& host) {
  const std::string home = host.env->get("HOME").value_or("");
  const engine::Locations where = engine::locate(host, host.cwd, std::nullopt);
  const Result<engine::Config> config = engine::load_config(host, where.config_files);
  if (!config) {
    std::cerr << render(config.errors())
              << "warning: the config does not load, so the hook records where no config "
                 "points; reading the log there\n";
  }
  return pipeline::audit_log_folder(host, config ? &*config : nullptr, where.project, home);
}

using Format = std::string (*)(const audit::Summary&);
struct NamedFormat {
  std::string_view name;
  Format write;
};
constexpr NamedFormat kFormats[] = {
    {"text", audit::report_text},
    {"json", audit::report_json},
    {"html", audit::report_html},
};

int run_report(const ReportOptions& opt) {
  const Host host = real_host();
  const int64_t now = host.now_ns();
  const Result<int64_t> since = audit::parse_since(opt.since, now);
  if (!since) {
    std::cerr << render(since.errors());
    return kExitBadInput;
  }
  const std::string dir = opt.log_dir.empty()          ? hook_log_folder(host)
                          : opt.log_dir.front() == '/' ? opt.log_dir
                                                       : join_path(host.cwd, opt.log_dir);
  const Result<audit::Summary> summary = audit::summarise_log(host, dir, *since, now);
  if (!summary) {
    std::cerr << render(summary.errors());
    return kExitBadInput;
  }
  const auto* format = std::find_if(std::begin(kFormats), std::end(kFormats),
                                    [&](const NamedFormat& f) { return f.name == opt.format; });
  const std::string text = format->write(*summary);
  if (opt.output.empty()) {
    std::cout << text;
    return kExitOk;
  }
  // 0600 as the log itself: the report repeats the commands agents ran.
  if (const IoStatus s = host.fs->replace(opt.output, text, 0600); !s.ok()) {
    std::cerr << "error: " << s.error << '\n';
    return kExitBadInput;
  }
  return kExitOk;
}

}  // namespace

void add_report_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<ReportOptions>();
  auto* cmd = app.add_subcommand(
      "report", "Summarise the audit log: decisions by outcome, rule, control, agent, project");
  cmd->add_option("--since", opt->since,
                  "the window's start: 7d, 12h, 30m back from now, or a UTC date or time "
                  "(2026-01-31, 2026-01-31T09:30:00Z); default 7d");
  std::vector<std::string> names;
  for (const NamedFormat& f : kFormats) names.emplace_back(f.name);
  cmd->add_option("--format", opt->format, "text (default), json or html")
      ->check(CLI::IsMember(names));
  cmd->add_option("--log-dir", opt->log_dir,
                  "read this log folder (default: where the hook writes for this project)");
  cmd->add_option("-o,--output", opt->output, "write the report to this file (default: stdout)");
  cmd->callback([opt, &exit_code] { exit_code = run_report(*opt); });
}

}  // namespace vectimus::cli
