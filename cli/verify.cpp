// `vectimus verify RECEIPT [--public-key FILE] [--proof FILE]`: checks one receipt offline (ours,
// spec 2.0, or the other tool's, spec 1.0); with `--proof`, also that it is in its log.
// `vectimus verify --log [DIR] [--checkpoint FILE]...`: checks a whole receipt log (DIR defaults
// to `./.vectimus/receipts`) and names each problem. Exit 0 when valid, 1 otherwise.
#include <CLI/CLI.hpp>
#include <iostream>

#include "audit/json.hpp"
#include "audit/keys.hpp"
#include "audit/receipt.hpp"
#include "audit/tools.hpp"
#include "audit/verify_log.hpp"
#include "cli/commands.hpp"

namespace vectimus::cli {
namespace {

constexpr std::size_t kMaxFile = 1 << 20;

struct VerifyOptions {
  std::string target;
  std::string public_key;
  std::string proof;
  bool log = false;
  std::vector<std::string> checkpoints;
};

std::string home_of(const Host& host) {
  return host.env->get("HOME").value_or("");
}

int verify_log_command(const Host& host, const VerifyOptions& opt) {
  const std::string dir =
      opt.target.empty() ? join_path(host.cwd, ".vectimus/receipts") : opt.target;
  audit::VerifyLogOptions options;
  options.home = home_of(host);
  for (const std::string& path : opt.checkpoints) {
    FileRead r = host.fs->read(path, kMaxFile);
    if (r.status != FileRead::Status::ok) {
      std::cerr << "error: cannot read the checkpoint `" << path << "`\n";
      return kExitBadInput;
    }
    options.extra_checkpoints.push_back(std::move(r.text));
  }
  const audit::LogReport report = audit::verify_log(host, dir, options);
  if (report.interrupted)
    std::cout << "INTERRUPTED: " << audit::render_problem(*report.interrupted) << '\n';
  for (const audit::LogProblem& p : report.problems)
    std::cout << "INVALID: " << audit::render_problem(p) << '\n';
  std::cout << (report.ok() ? "VALID" : "INVALID") << '\n'
            << "Log:         " << report.origin << '\n'
            << "Size:        " << report.size << '\n'
            << "Receipts:    " << report.receipts_checked << " checked, " << report.pruned
            << " pruned\n"
            << "Checkpoints: " << report.checkpoints_checked << " checked\n";
  return report.ok() ? kExitOk : kExitBadInput;
}

int verify_receipt_command(const Host& host, const VerifyOptions& opt) {
  FileRead r = host.fs->read(opt.target, kMaxFile);
  if (r.status != FileRead::Status::ok) {
    std::cerr << "Error reading receipt: cannot read `" << opt.target << "`"
              << (r.error.empty() ? "" : ": " + r.error) << '\n';
    return kExitBadInput;
  }
  Result<audit::JsonValue> json = audit::parse_json(r.text);
  if (!json || json->kind != audit::JsonValue::Kind::object) {
    std::cerr << "Error reading receipt: "
              << (json ? "not a JSON object" : json.errors()[0].message) << '\n';
    return kExitBadInput;
  }
  const std::string home = home_of(host);
  auto key_for = [&](const std::string& id) {
    return audit::find_public_key(host, id, opt.public_key, home);
  };
  const audit::ReceiptCheck check = audit::check_receipt(*json, key_for);
  if (!check.valid) {
    std::cout << "INVALID: " << check.problem << "\nReceipt: " << check.receipt_id << '\n';
    return kExitBadInput;
  }
  std::string log_line;
  if (!opt.proof.empty()) {
    FileRead p = host.fs->read(opt.proof, kMaxFile);
    std::vector<audit::PublicKey> keys;
    if (Result<audit::PublicKey> k = key_for(check.signer)) keys.push_back(*k);
    for (const std::string& dir : {audit::project_keys_dir(host.cwd), audit::home_keys_dir(home)}) {
      for (audit::PublicKey& k : audit::public_keys_in(host, dir)) keys.push_back(std::move(k));
    }
    Result<uint64_t> size =
        p.status == FileRead::Status::ok
            ? audit::check_proof(r.text, p.text, keys)
            : Result<uint64_t>(make_error("io", "cannot read `" + opt.proof + "`"));
    if (!size) {
      std::cout << "INVALID: " << size.errors()[0].message << "\nReceipt: " << check.receipt_id
                << '\n';
      return kExitBadInput;
    }
    log_line = "In log:      " + check.log->origin + " at index " +
               std::to_string(check.log->index) + " of " + std::to_string(*size) + "\n";
  }
  std::cout << "VALID\n"
            << "Receipt:     " << check.receipt_id << '\n'
            << "Fingerprint: " << check.fingerprint << '\n'
            << "Decision:    " << check.outcome << '\n'
            << "Signed by:   " << check.signer << '\n'
            << log_line;
  return kExitOk;
}

}  // namespace

void add_verify_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<VerifyOptions>();
  auto* cmd = app.add_subcommand("verify", "Verify a receipt, or with --log a whole receipt log");
  cmd->add_option("target", opt->target, "the receipt file (with --log: the receipts folder)");
  cmd->add_option("--public-key", opt->public_key, "the public key file to verify with");
  cmd->add_option("--proof", opt->proof, "a tlog-proof of the receipt (`vectimus receipts prove`)");
  cmd->add_flag("--log", opt->log, "verify the whole log (default folder: ./.vectimus/receipts)");
  cmd->add_option("--checkpoint", opt->checkpoints,
                  "with --log: a signed checkpoint kept elsewhere");
  cmd->callback([opt, &exit_code] {
    const Host host = real_host();
    if (!opt->log && opt->target.empty()) {
      std::cerr << "error: give a receipt file, or --log\n";
      exit_code = kExitBadInput;
      return;
    }
    exit_code = opt->log ? verify_log_command(host, *opt) : verify_receipt_command(host, *opt);
  });
}

}  // namespace vectimus::cli
