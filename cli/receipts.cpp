// `vectimus receipts list|show ID|prune [--days N] [--all]|prove ID|bundle DIR`: the project's
// receipt log (audit/tools.hpp). `--project DIR` picks the project (default: the working folder).
#include <CLI/CLI.hpp>
#include <iostream>

#include "audit/receipt.hpp"
#include "audit/tools.hpp"
#include "cli/commands.hpp"

namespace vectimus::cli {
namespace {

struct ReceiptsOptions {
  std::string project;
  std::string id;
  std::string out;
  int days = -1;
  bool all = false;
};

int report(const Diagnostics& errors) {
  std::cerr << render(errors);
  return kExitBadInput;
}

int run(const std::string& what, const ReceiptsOptions& opt) {
  const Host host = real_host();
  const std::string project = opt.project.empty() ? host.cwd : opt.project;
  const audit::LogPaths paths = audit::LogPaths::for_project(project);
  if (what == "list") {
    Result<std::vector<audit::ListedReceipt>> all = audit::list_receipts(host, paths);
    if (!all) return report(all.errors());
    for (const audit::ListedReceipt& l : *all) {
      std::cout << l.index << '\t' << l.receipt_id << '\t' << l.day << (l.present ? "" : "\tpruned")
                << '\n';
    }
    return kExitOk;
  }
  if (what == "show") {
    Result<audit::ListedReceipt> l = audit::find_receipt(host, paths, opt.id);
    if (!l) return report(l.errors());
    FileRead r = host.fs->read(l->path, 1 << 20);
    if (r.status != FileRead::Status::ok) {
      std::cerr << "error: receipt `" << opt.id << "` (index " << l->index
                << ") has no file: pruned or lost\n";
      return kExitBadInput;
    }
    std::cout << r.text;
    return kExitOk;
  }
  if (what == "prune") {
    if (opt.days < 0 && !opt.all) {
      std::cerr << "error: give --days N (keep the last N days) or --all\n";
      return kExitBadInput;
    }
    const std::string before =
        opt.all ? "" : audit::receipt_day(host.now_ns() - int64_t{opt.days} * 86'400'000'000'000);
    Result<uint64_t> n = audit::prune_receipts(host, paths, before);
    if (!n) return report(n.errors());
    std::cout << "pruned " << *n << " receipt files; their leaves stay in the log\n";
    return kExitOk;
  }
  if (what == "prove") {
    Result<std::string> proof = audit::prove_receipt(host, paths, opt.id);
    if (!proof) return report(proof.errors());
    if (opt.out.empty()) {
      std::cout << *proof;
    } else if (IoStatus s = host.fs->replace(opt.out, *proof, 0644); !s.ok()) {
      std::cerr << "error: " << s.error << '\n';
      return kExitBadInput;
    }
    return kExitOk;
  }
  Result<uint64_t> n = audit::write_bundle(host, project, opt.out);
  if (!n) return report(n.errors());
  std::cout << "bundle `" << opt.out << "`: " << *n
            << " receipts, keys, checkpoints, proofs, README.md\n";
  return kExitOk;
}

}  // namespace

void add_receipts_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<ReceiptsOptions>();
  auto* cmd =
      app.add_subcommand("receipts", "List, show, prune, prove and bundle the project's receipts");
  cmd->add_option("--project", opt->project, "the project folder (default: the working folder)");
  cmd->require_subcommand(1);
  auto add = [&](const char* name, const char* help) {
    auto* sub = cmd->add_subcommand(name, help);
    sub->callback([opt, &exit_code, name] { exit_code = run(name, *opt); });
    return sub;
  };
  add("list", "One line per log entry: index, receipt id, day");
  add("show", "Print one receipt")->add_option("id", opt->id, "receipt id")->required();
  auto* prune = add("prune", "Remove old receipt files (the log keeps their hashes)");
  prune->add_option("--days", opt->days, "keep the receipts of the last N days");
  prune->add_flag("--all", opt->all, "remove every receipt file");
  auto* prove = add("prove", "Write a C2SP tlog-proof of one receipt");
  prove->add_option("id", opt->id, "receipt id")->required();
  prove->add_option("-o,--output", opt->out, "the proof file (default: stdout)");
  add("bundle", "Write an auditor's bundle folder")
      ->add_option("dir", opt->out, "the new folder")
      ->required();
}

}  // namespace vectimus::cli
