#include "audit/witness.hpp"

#include <charconv>

#include "audit/crypto.hpp"
#include "audit/merkle.hpp"
#include "audit/receipt_log.hpp"

namespace vectimus::audit {
namespace {

constexpr std::string_view kStateMagic = "vectimus witness state v1";
constexpr std::size_t kMaxProofLines = 63;  // tlog-witness: a client sends at most 63
constexpr std::size_t kMaxStateFile = 64 * 1024;

std::optional<uint64_t> decimal(std::string_view text) {
  uint64_t out = 0;
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return out;
}

// What the witness holds for one log.
struct LogRecord {
  std::string origin;
  std::string vkey;
  uint64_t size = 0;
  std::string root;  // raw
};

std::string format_record(const LogRecord& r) {
  return std::string(kStateMagic) + "\norigin " + r.origin + "\nkey " + r.vkey + "\nsize " +
         std::to_string(r.size) + "\nroot " + base64_encode(r.root) + "\n";
}

Result<LogRecord> parse_record(std::string_view text, const std::string& path) {
  LogRecord r;
  bool magic = false, size = false;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    const std::size_t space = line.find(' ');
    const std::string_view key = line.substr(0, space);
    const std::string_view value = space == std::string_view::npos ? "" : line.substr(space + 1);
    if (line == kStateMagic) {
      magic = true;
    } else if (key == "origin") {
      r.origin = std::string(value);
    } else if (key == "key") {
      r.vkey = std::string(value);
    } else if (key == "size") {
      const auto n = decimal(value);
      if (!n) return make_error("witness", "`" + path + "`: the size is not a number");
      r.size = *n;
      size = true;
    } else if (key == "root") {
      if (!base64_decode(value, r.root) || r.root.size() != 32) {
        return make_error("witness", "`" + path + "`: the root is not base64 of 32 bytes");
      }
    }
  }
  if (!magic || r.origin.empty() || r.vkey.empty() || !size || r.root.size() != 32) {
    return make_error("witness", "`" + path + "` is not a witness state file");
  }
  return r;
}

WitnessAnswer answer(int status, std::string body, std::string note = {}, bool suspicious = false) {
  WitnessAnswer a;
  a.status = status;
  a.body = std::move(body);
  if (!a.body.empty() && a.body.back() != '\n') a.body += '\n';
  a.note = std::move(note);
  a.suspicious = suspicious;
  return a;
}

WitnessAnswer held_size(uint64_t size, std::string note = {}, bool suspicious = false) {
  WitnessAnswer a = answer(409, std::to_string(size), std::move(note), suspicious);
  a.content_type = "text/x.tlog.size";
  return a;
}

}  // namespace

Result<WitnessRequest> parse_witness_request(std::string_view body) {
  WitnessRequest out;
  const std::size_t blank = body.find("\n\n");
  if (blank == std::string_view::npos) {
    return make_error("witness", "the request has no blank line before the checkpoint");
  }
  std::string_view head = body.substr(0, blank + 1);
  out.checkpoint = std::string(body.substr(blank + 2));
  bool first = true;
  while (!head.empty()) {
    const std::size_t nl = head.find('\n');
    const std::string_view line = head.substr(0, nl);
    head.remove_prefix(nl + 1);
    if (first) {
      first = false;
      const auto size = line.substr(0, 4) == "old " ? decimal(line.substr(4)) : std::nullopt;
      if (!size) return make_error("witness", "the first line must be `old <size>`");
      out.old_size = *size;
      continue;
    }
    std::string hash;
    if (!base64_decode(line, hash) || hash.size() != 32) {
      return make_error("witness", "a consistency proof line is not base64 of 32 bytes");
    }
    if (out.proof.size() == kMaxProofLines) {
      return make_error("witness", "more than 63 consistency proof lines");
    }
    out.proof.push_back(std::move(hash));
  }
  if (first) return make_error("witness", "the first line must be `old <size>`");
  if (out.old_size == 0 && !out.proof.empty()) {
    return make_error("witness", "a proof from size 0 must be empty");
  }
  return out;
}

std::string format_witness_request(const WitnessRequest& request) {
  std::string out = "old " + std::to_string(request.old_size) + "\n";
  for (const std::string& h : request.proof) out += base64_encode(h) + "\n";
  return out + "\n" + request.checkpoint;
}

namespace {

std::string cosigned_message(std::string_view note_text, uint64_t time) {
  return "cosignature/v1\ntime " + std::to_string(time) + "\n" + std::string(note_text);
}

}  // namespace

Result<std::string> cosign(std::string_view note_text, std::string_view name, const Ed25519Key& key,
                           uint64_t time) {
  Result<std::string> sig = ed25519_sign(key, cosigned_message(note_text, time));
  if (!sig) return sig;
  const std::string blob = big_endian(note_key_hash(name, key.public_key, kCosignatureType), 4) +
                           big_endian(time, 8) + *sig;
  return "\xe2\x80\x94 " + std::string(name) + " " + base64_encode(blob) + "\n";
}

std::optional<uint64_t> verify_cosignature(const SignedNote& note, std::string_view name,
                                           std::string_view public_key) {
  const uint32_t id = note_key_hash(name, public_key, kCosignatureType);
  for (const NoteSignature& sig : note.signatures) {
    if (sig.key_name != name || sig.key_hash != id || sig.signature.size() != 8 + 64) continue;
    const uint64_t time = read_big_endian(std::string_view(sig.signature).substr(0, 8));
    if (ed25519_verify(public_key, cosigned_message(note.text, time), sig.signature.substr(8))) {
      return time;
    }
  }
  return std::nullopt;
}

Witness::Witness(const Host& host, WitnessSettings settings, SigningKey key)
    : host_(&host), settings_(std::move(settings)), key_(std::move(key)) {}

std::string Witness::vkey() const {
  return settings_.name + "+" +
         hex(big_endian(note_key_hash(settings_.name, key_.key.public_key, kCosignatureType), 4)) +
         "+" + base64_encode("\x04" + key_.key.public_key);
}

WitnessAnswer Witness::add_checkpoint(std::string_view body,
                                      std::optional<std::string_view> log_key, uint64_t now) {
  Result<WitnessRequest> request = parse_witness_request(body);
  if (!request) return answer(400, request.errors().front().message);
  Result<SignedNote> note = parse_note(request->checkpoint);
  if (!note) return answer(400, note.errors().front().message);
  Result<Checkpoint> checkpoint = parse_checkpoint(note->text);
  if (!checkpoint) return answer(400, checkpoint.errors().front().message);
  const std::string& origin = checkpoint->origin;

  const std::lock_guard<std::mutex> hold(mutex_);
  if (IoStatus s = host_->fs->make_directories(settings_.state_dir, 0700); !s.ok()) {
    return answer(500, "the witness cannot keep its state: " + s.error);
  }
  // Another process (a second server on the same folder) takes the same lock.
  Result<FileLock> lock = host_->fs->lock(join_path(settings_.state_dir, "lock"), 0600);
  if (!lock) return answer(500, "the witness cannot lock its state");
  const std::string path = join_path(settings_.state_dir, sha256_hex(origin));
  std::optional<LogRecord> held;
  FileRead read = host_->fs->read(path, kMaxStateFile);
  if (read.status == FileRead::Status::ok) {
    Result<LogRecord> record = parse_record(read.text, path);
    if (!record) return answer(500, record.errors().front().message);
    held = std::move(*record);
  } else if (read.status != FileRead::Status::missing) {
    return answer(500, "the witness cannot read its state: " + read.error);
  }

  // The key that may sign this log: configured, else pinned, else offered now (first use).
  std::optional<VerifierKey> signer;
  for (const VerifierKey& k : settings_.logs) {
    if (k.name == origin) signer = k;
  }
  std::string pinned_note;
  if (!signer && held) {
    Result<VerifierKey> k = parse_vkey(held->vkey);
    if (!k) return answer(500, k.errors().front().message);
    signer = std::move(*k);
  }
  if (!signer && settings_.trust_on_first_use && log_key) {
    Result<VerifierKey> k = parse_vkey(*log_key);
    if (!k) return answer(400, k.errors().front().message);
    if (k->name != origin) {
      return answer(400, "the log key is named `" + k->name + "`, the checkpoint's origin is `" +
                             origin + "`");
    }
    signer = std::move(*k);
    pinned_note = "witness: pinned the key of new log " + origin;
  }
  if (!signer) return answer(404, "unknown log `" + origin + "`");
  const PublicKey key{signer->public_key, key_id(signer->public_key), {}};
  if (Result<std::string> ok = verify_note(*note, origin, {key}); !ok) {
    return answer(403, "the checkpoint of `" + origin +
                           "` is not signed by its key: " + ok.errors().front().message);
  }

  const uint64_t held_size_now = held ? held->size : 0;
  const uint64_t size = checkpoint->size;
  const std::string what = "log " + origin + " ";
  if (size < held_size_now) {
    const std::string why = "witness: refused a rollback of " + what + "to size " +
                            std::to_string(size) + " after size " + std::to_string(held_size_now) +
                            " was cosigned";
    if (request->old_size != held_size_now) return held_size(held_size_now, why, true);
    return answer(400, "the checkpoint is smaller than the old size", why, true);
  }
  if (request->old_size != held_size_now) return held_size(held_size_now);
  if (held && size == held->size && checkpoint->root != held->root) {
    return held_size(held_size_now,
                     "witness: refused a fork of " + what + "(another root for size " +
                         std::to_string(size) + ")",
                     true);
  }
  if (held && !verify_consistency(held->size, size, held->root, checkpoint->root, request->proof)) {
    return answer(422, "the consistency proof does not verify",
                  "witness: refused a fork of " + what + "(size " + std::to_string(size) +
                      " is not consistent with size " + std::to_string(held->size) + ")",
                  true);
  }

  const LogRecord record{origin, note_vkey(signer->name, signer->public_key), size,
                         checkpoint->root};
  if (IoStatus s = host_->fs->replace(path, format_record(record), 0600, true); !s.ok()) {
    return answer(500, "the witness cannot keep its state: " + s.error);
  }
  Result<std::string> line = cosign(note->text, settings_.name, key_.key, now);
  if (!line) return answer(500, line.errors().front().message);
  WitnessAnswer out = answer(200, *line, pinned_note);
  out.content_type = "text/plain; charset=utf-8";
  return out;
}

Result<WitnessRequest> witness_request_for(const Host& host, const std::string& receipts_dir,
                                           uint64_t old_size) {
  const LogPaths paths(receipts_dir);
  Result<std::optional<LogState>> state = read_log_state(host, paths);
  if (!state) return std::move(state).take_errors();
  if (!state->has_value() || (*state)->checkpoint.empty()) {
    return make_error("log", "no signed log head in `" + paths.log + "`");
  }
  const LogState& head = **state;
  const uint64_t size = head.range.size();
  if (old_size > size) {
    return make_error("log", "the witness holds size " + std::to_string(old_size) +
                                 " of this log, larger than its head (" + std::to_string(size) +
                                 "): the log was rolled back");
  }
  WitnessRequest out;
  out.old_size = old_size;
  out.checkpoint = head.checkpoint;
  Result<SignedNote> note = parse_note(head.checkpoint);
  if (!note) return std::move(note).take_errors();
  const std::vector<PublicKey> keys = public_keys_in(host, join_path(receipts_dir, "../keys"));
  Result<std::string> signer = verify_note(*note, head.origin, keys);
  if (!signer) return std::move(signer).take_errors();
  for (const PublicKey& k : keys) {
    if (k.id == *signer) out.log_key = note_vkey(head.origin, k.raw);
  }
  if (old_size > 0 && old_size < size) {
    FileRead r = host.fs->read(paths.entries, std::size_t{1} << 40);
    if (r.status != FileRead::Status::ok) {
      return make_error("io", "cannot read `" + paths.entries + "`: " + r.error);
    }
    bool torn = false;
    Result<std::vector<LogEntry>> entries = parse_entries(r.text, torn);
    if (!entries) return std::move(entries).take_errors();
    std::vector<std::string> leaves;
    leaves.reserve(entries->size());
    for (const LogEntry& e : *entries) leaves.push_back(e.leaf);
    if (leaves.size() < size) return make_error("log", "the log's entries end before its head");
    out.proof = consistency_proof(leaves, old_size, size);
  }
  return out;
}

}  // namespace vectimus::audit
