#include "audit/tools.hpp"

#include <charconv>

#include "audit/crypto.hpp"
#include "audit/json.hpp"
#include "audit/merkle.hpp"
#include "audit/note.hpp"
#include "audit/receipt.hpp"

namespace vectimus::audit {
namespace {

constexpr std::size_t kMaxFile = std::size_t{1} << 40;
constexpr std::string_view kProofHeader = "c2sp.org/tlog-proof@v1";

Result<std::vector<LogEntry>> read_entries(const Host& host, const LogPaths& paths) {
  FileRead r = host.fs->read(paths.entries, kMaxFile);
  if (r.status != FileRead::Status::ok && r.status != FileRead::Status::missing) {
    return make_error("io", "cannot read `" + paths.entries + "`: " + r.error);
  }
  bool torn = false;
  return parse_entries(r.text, torn);
}

Result<LogState> require_state(const Host& host, const LogPaths& paths) {
  Result<std::optional<LogState>> s = read_log_state(host, paths);
  if (!s) return std::move(s).take_errors();
  if (!s->has_value()) return make_error("log", "no receipt log at `" + paths.log + "`");
  return std::move(**s);
}

std::string proof_text(const std::vector<std::string>& leaves, uint64_t index, uint64_t size,
                       const std::string& checkpoint) {
  std::string out = std::string(kProofHeader) + "\nindex " + std::to_string(index) + "\n";
  for (const std::string& h : inclusion_proof(leaves, index, size)) out += base64_encode(h) + "\n";
  return out + "\n" + checkpoint;
}

IoStatus copy_file(const Host& host, const std::string& from, const std::string& to) {
  FileRead r = host.fs->read(from, kMaxFile);
  if (r.status != FileRead::Status::ok) return {"cannot read `" + from + "`"};
  return host.fs->replace(to, r.text, 0644);
}

}  // namespace

Result<std::vector<ListedReceipt>> list_receipts(const Host& host, const LogPaths& paths) {
  Result<std::vector<LogEntry>> entries = read_entries(host, paths);
  if (!entries) return std::move(entries).take_errors();
  std::vector<ListedReceipt> out;
  for (uint64_t i = 0; i < entries->size(); ++i) {
    const LogEntry& e = (*entries)[i];
    ListedReceipt l{i, e.receipt_id, e.day, paths.receipt_file(e.day, e.receipt_id), false};
    l.present = host.fs->exists(l.path);
    out.push_back(std::move(l));
  }
  return out;
}

Result<ListedReceipt> find_receipt(const Host& host, const LogPaths& paths,
                                   const std::string& receipt_id) {
  Result<std::vector<ListedReceipt>> all = list_receipts(host, paths);
  if (!all) return std::move(all).take_errors();
  for (ListedReceipt& l : *all) {
    if (l.receipt_id == receipt_id) return std::move(l);
  }
  return make_error("log", "receipt `" + receipt_id + "` is not in the log at `" + paths.log + "`");
}

Result<uint64_t> prune_receipts(const Host& host, const LogPaths& paths,
                                const std::string& before_day) {
  Result<FileLock> lock = host.fs->lock(paths.lock, 0644);
  if (!lock) return std::move(lock).take_errors();
  Result<std::vector<ListedReceipt>> all = list_receipts(host, paths);
  if (!all) return std::move(all).take_errors();
  uint64_t removed = 0;
  for (const ListedReceipt& l : *all) {
    if (!l.present || (!before_day.empty() && l.day >= before_day)) continue;
    // Recorded before removal: a kill in between leaves a recorded id whose file still exists.
    const std::string line = l.receipt_id + " " + std::to_string(l.index) + "\n";
    if (IoStatus s = host.fs->append(paths.pruned, line, 0644, true); !s.ok()) {
      return make_error("io", s.error);
    }
    if (IoStatus s = host.fs->remove(l.path); !s.ok()) return make_error("io", s.error);
    ++removed;
  }
  return removed;
}

Result<std::string> prove_receipt(const Host& host, const LogPaths& paths,
                                  const std::string& receipt_id) {
  Result<LogState> state = require_state(host, paths);
  if (!state) return std::move(state).take_errors();
  Result<std::vector<LogEntry>> entries = read_entries(host, paths);
  if (!entries) return std::move(entries).take_errors();
  const uint64_t size = state->range.size();
  if (entries->size() < size) return make_error("log", "the log holds fewer records than its head");
  std::vector<std::string> leaves;
  std::optional<uint64_t> index;
  for (uint64_t i = 0; i < size; ++i) {
    leaves.push_back((*entries)[i].leaf);
    if ((*entries)[i].receipt_id == receipt_id) index = i;
  }
  if (!index)
    return make_error("log", "receipt `" + receipt_id + "` is not under the log's signed head");
  if (merkle_root(leaves) != state->range.root()) {
    return make_error("log",
                      "the log's records do not match its head; run `vectimus verify --log`");
  }
  return proof_text(leaves, *index, size, state->checkpoint);
}

Result<uint64_t> check_proof(const std::string& receipt_text, const std::string& proof,
                             const std::vector<PublicKey>& keys) {
  Result<JsonValue> receipt = parse_json(receipt_text);
  if (!receipt) return std::move(receipt).take_errors();
  auto key_for = [&](const std::string& id) -> Result<PublicKey> {
    for (const PublicKey& k : keys) {
      if (k.id == id) return k;
    }
    return make_error("key", "public key `" + id + "` not found");
  };
  const ReceiptCheck check = check_receipt(*receipt, key_for);
  if (!check.valid) return make_error("proof", check.problem);
  if (!check.log) return make_error("proof", "the receipt names no place in a log");
  const std::size_t blank = proof.find("\n\n");
  if (proof.rfind(std::string(kProofHeader) + "\n", 0) != 0 || blank == std::string::npos) {
    return make_error("proof", "not a c2sp.org/tlog-proof@v1 proof");
  }
  std::vector<std::string> lines;
  for (std::size_t at = kProofHeader.size() + 1; at <= blank;) {
    const std::size_t nl = proof.find('\n', at);
    lines.push_back(proof.substr(at, nl - at));
    at = nl + 1;
  }
  if (!lines.empty() && lines.front().rfind("extra ", 0) == 0) lines.erase(lines.begin());
  if (lines.empty() || lines.front().rfind("index ", 0) != 0)
    return make_error("proof", "no index line");
  uint64_t index = 0;
  const std::string_view digits = std::string_view(lines.front()).substr(6);
  if (std::from_chars(digits.data(), digits.data() + digits.size(), index).ptr !=
      digits.data() + digits.size()) {
    return make_error("proof", "the index is not a number");
  }
  std::vector<std::string> path;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::string h;
    if (!base64_decode(lines[i], h) || h.size() != 32)
      return make_error("proof", "a proof hash is not base64 of 32 bytes");
    path.push_back(std::move(h));
  }
  Result<SignedNote> note = parse_note(proof.substr(blank + 2));
  if (!note) return std::move(note).take_errors();
  Result<Checkpoint> cp = parse_checkpoint(note->text);
  if (!cp) return std::move(cp).take_errors();
  if (cp->origin != check.log->origin) {
    return make_error("proof", "the checkpoint is of `" + cp->origin + "`, the receipt of `" +
                                   check.log->origin + "`");
  }
  if (Result<std::string> who = verify_note(*note, cp->origin, keys); !who)
    return std::move(who).take_errors();
  if (index != check.log->index)
    return make_error("proof", "the proof is for another index than the receipt's");
  if (!verify_inclusion(leaf_hash(receipt_entry(*receipt)), index, cp->size, path, cp->root)) {
    return make_error("proof", "the inclusion proof does not lead to the checkpoint's root");
  }
  return cp->size;
}

Result<uint64_t> write_bundle(const Host& host, const std::string& project_root,
                              const std::string& out) {
  const LogPaths from = LogPaths::for_project(project_root);
  const LogPaths to(join_path(out, "receipts"));
  Result<LogState> state = require_state(host, from);
  if (!state) return std::move(state).take_errors();
  for (const std::string& dir :
       {to.checkpoints, join_path(out, "keys"), join_path(out, "proofs")}) {
    if (IoStatus s = host.fs->make_directories(dir, 0755); !s.ok())
      return make_error("io", s.error);
  }
  Result<std::vector<ListedReceipt>> all = list_receipts(host, from);
  if (!all) return std::move(all).take_errors();
  std::vector<std::string> leaves;
  Result<std::vector<LogEntry>> entries = read_entries(host, from);
  if (!entries) return std::move(entries).take_errors();
  for (uint64_t i = 0; i < state->range.size() && i < entries->size(); ++i)
    leaves.push_back((*entries)[i].leaf);
  uint64_t copied = 0;
  for (const ListedReceipt& l : *all) {
    if (!l.present) continue;
    (void)host.fs->make_directories(join_path(to.receipts, l.day), 0755);
    if (IoStatus s = copy_file(host, l.path, to.receipt_file(l.day, l.receipt_id)); !s.ok()) {
      return make_error("io", s.error);
    }
    if (l.index < leaves.size()) {
      (void)host.fs->replace(join_path(join_path(out, "proofs"), l.receipt_id + ".tlog-proof"),
                             proof_text(leaves, l.index, leaves.size(), state->checkpoint), 0644);
    }
    ++copied;
  }
  for (const std::string& file : {from.entries, from.state, from.pruned}) {
    (void)copy_file(host, file, join_path(to.log, file.substr(file.find_last_of('/') + 1)));
  }
  for (const std::string& name : host.fs->list(from.checkpoints, false)) {
    if (name.find('.') == std::string::npos) {
      (void)copy_file(host, join_path(from.checkpoints, name), join_path(to.checkpoints, name));
    }
  }
  std::string vkeys;
  for (const PublicKey& k : public_keys_in(host, project_keys_dir(project_root))) {
    (void)host.fs->replace(join_path(join_path(out, "keys"), k.id + ".pub"), public_key_pem(k.raw),
                           0644);
    vkeys += "    " + note_vkey(state->origin, k.raw) + "\n";
  }
  (void)host.fs->replace(join_path(out, "checkpoint"), state->checkpoint, 0644);
  const std::string readme =
      "# vectimus evidence bundle\n\n"
      "Log origin: `" +
      state->origin + "`, " + std::to_string(state->range.size()) +
      " receipts under the signed head, " + std::to_string(copied) +
      " receipt files here.\n\n"
      "- `receipts/YYYY-MM-DD/<id>.json`: one signed receipt per decision (spec 2.0: Ed25519 over\n"
      "  the RFC 8785 canonical JSON of the receipt without `signature`).\n"
      "- `receipts/log/`: the Merkle log (RFC 6962): `entries` (leaf hash, id, day per record),\n"
      "  `state` (head), `checkpoints/` (every 100th signed checkpoint), `pruned`.\n"
      "- `checkpoint`: the signed head, a C2SP tlog-checkpoint in a C2SP signed-note.\n"
      "- `proofs/<id>.tlog-proof`: C2SP tlog-proof of each receipt under that head.\n"
      "- `keys/<key id>.pub`: the public keys (SubjectPublicKeyInfo PEM).\n\n"
      "## How to check\n\n"
      "    vectimus verify --log receipts                 # everything, problems named\n"
      "    vectimus verify receipts/DAY/ID.json --public-key keys/KEY.pub\n"
      "    vectimus verify receipts/DAY/ID.json --proof proofs/ID.tlog-proof --public-key "
      "keys/KEY.pub\n\n"
      "By hand: write the receipt without its `signature` member as RFC 8785 canonical JSON to\n"
      "`msg`, base64-decode the signature value (after `base64:`) to `sig`, then\n\n"
      "    openssl pkeyutl -verify -pubin -inkey keys/KEY.pub -rawin -in msg -sigfile sig\n\n"
      "Checkpoint verifier keys (signed-note vkeys, e.g. for golang.org/x/mod/sumdb/note):\n\n" +
      vkeys;
  if (IoStatus s = host.fs->replace(join_path(out, "README.md"), readme, 0644); !s.ok()) {
    return make_error("io", s.error);
  }
  return copied;
}

}  // namespace vectimus::audit
