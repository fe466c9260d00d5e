// `vectimus receipts list|show ID|prune [--days N] [--all]|prove ID|bundle DIR|witness --server
// URL`: the project's receipt log (audit/tools.hpp; the witness protocol: audit/witness.hpp).
// `--project DIR` picks the project (default: the working folder).
#include <CLI/CLI.hpp>
#include <charconv>
#include <iostream>

#include "audit/receipt.hpp"
#include "audit/tools.hpp"
#include "audit/witness.hpp"
#include "cli/commands.hpp"
#include "client/http_client.hpp"

namespace vectimus::cli {
namespace {

struct ReceiptsOptions {
  std::string project;
  std::string id;
  std::string out;
  int days = -1;
  bool all = false;
  std::string server;
  std::string api_key;
};

int report(const Diagnostics& errors) {
  std::cerr << render(errors);
  return kExitBadInput;
}

// Sends the project's signed head to the team server's witness (POST /v1/checkpoints): first
// from the size this project last had cosigned (log/witnessed), and once more from the size the
// witness says it holds (409). Keeps the cosigned head in log/witnessed.
int witness(const Host& host, const audit::LogPaths& paths, const ReceiptsOptions& opt) {
  const std::string witnessed = join_path(paths.log, "witnessed");
  uint64_t old_size = 0;
  if (FileRead last = host.fs->read(witnessed, 1 << 16); last.status == FileRead::Status::ok) {
    if (Result<audit::SignedNote> note = audit::parse_note(last.text)) {
      if (Result<audit::Checkpoint> cp = audit::parse_checkpoint(note->text)) old_size = cp->size;
    }
  }
  std::string api_key = opt.api_key;
  if (api_key.empty()) api_key = host.env->get("VECTIMUS_API_KEY").value_or("");
  const std::string url = opt.server + (opt.server.ends_with("/") ? "" : "/") + "v1/checkpoints";
  for (int attempt = 0; attempt < 2; ++attempt) {
    Result<audit::WitnessRequest> request =
        audit::witness_request_for(host, paths.receipts, old_size);
    if (!request) return report(request.errors());
    client::Request req;
    req.method = "POST";
    req.url = url;
    req.body = audit::format_witness_request(*request);
    req.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
    req.headers.push_back({"X-Vectimus-Log-Key", request->log_key});
    if (!api_key.empty()) req.headers.push_back({"X-Vectimus-API-Key", api_key});
    const client::HttpResult got = client::request(req, {});
    if (!got) {
      std::cerr << "error: the witness at " << opt.server
                << " cannot be reached: " << got.error().message << '\n';
      return kExitBadInput;
    }
    const client::Response& r = got.response();
    if (r.status == 409 && r.header("Content-Type") == "text/x.tlog.size" && attempt == 0) {
      uint64_t held = 0;
      const std::string_view body = r.body;
      const auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), held);
      if (ec == std::errc() && (ptr == body.data() + body.size() || *ptr == '\n')) {
        old_size = held;  // witness_request_for refuses a size past our head: a rollback
        continue;
      }
    }
    if (r.status != 200) {
      std::cerr << "error: the witness refused the log head (HTTP " << r.status << "): " << r.body
                << (r.body.ends_with("\n") ? "" : "\n");
      return kExitBadInput;
    }
    Result<audit::SignedNote> cosigned = audit::parse_note(request->checkpoint + r.body);
    if (!cosigned || cosigned->signatures.size() < 2) {
      std::cerr << "error: the witness answered something that is not a cosignature\n";
      return kExitBadInput;
    }
    if (IoStatus s = host.fs->replace(witnessed, request->checkpoint + r.body, 0644); !s.ok()) {
      std::cerr << "error: " << s.error << '\n';
      return kExitBadInput;
    }
    const audit::Checkpoint cp = *audit::parse_checkpoint(cosigned->text);
    std::cout << "cosigned by " << cosigned->signatures.back().key_name << " at size " << cp.size
              << " (kept in " << witnessed << ")\n";
    return kExitOk;
  }
  std::cerr << "error: the witness kept asking for another size\n";
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
  if (what == "witness") return witness(host, paths, opt);
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
  auto* witness = add("witness", "Have the team server witness (cosign) the log's signed head");
  witness->add_option("--server", opt->server, "the server's URL, e.g. http://127.0.0.1:8420")
      ->required();
  witness->add_option("--api-key", opt->api_key, "its API key (default: VECTIMUS_API_KEY)");
}

}  // namespace vectimus::cli
