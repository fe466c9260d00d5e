#include "audit/note.hpp"

#include <charconv>

namespace vectimus::audit {
namespace {

constexpr std::string_view kDash = "\xe2\x80\x94 ";  // U+2014 and a space

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    if (nl == std::string_view::npos) {
      out.push_back(text);
      break;
    }
    out.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  return out;
}

}  // namespace

std::string checkpoint_text(const Checkpoint& c) {
  return c.origin + "\n" + std::to_string(c.size) + "\n" + base64_encode(c.root) + "\n";
}

uint32_t note_key_hash(std::string_view key_name, std::string_view public_key, uint8_t type) {
  std::string buf(key_name);
  buf += '\n';
  buf += static_cast<char>(type);
  buf += public_key;
  return static_cast<uint32_t>(read_big_endian(std::string_view(sha256(buf)).substr(0, 4)));
}

std::string big_endian(uint64_t value, int bytes) {
  std::string out(static_cast<std::size_t>(bytes), '\0');
  for (int i = bytes - 1; i >= 0; --i, value >>= 8) {
    out[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xff);
  }
  return out;
}

uint64_t read_big_endian(std::string_view bytes) {
  uint64_t out = 0;
  for (const char c : bytes) out = (out << 8) | static_cast<unsigned char>(c);
  return out;
}

std::string note_vkey(std::string_view key_name, std::string_view public_key) {
  return std::string(key_name) + "+" + hex(big_endian(note_key_hash(key_name, public_key), 4)) +
         "+" + base64_encode("\x01" + std::string(public_key));
}

Result<VerifierKey> parse_vkey(std::string_view vkey) {
  const std::size_t first = vkey.find('+');
  const std::size_t second = first == std::string_view::npos ? first : vkey.find('+', first + 1);
  if (second == std::string_view::npos) {
    return make_error("key", "`" + std::string(vkey) + "` is not a verifier key (name+hash+key)");
  }
  VerifierKey out;
  out.name = std::string(vkey.substr(0, first));
  std::string blob;
  if (!base64_decode(vkey.substr(second + 1), blob) || blob.size() != 33 ||
      blob[0] != static_cast<char>(kNoteSignatureType)) {
    return make_error("key", "verifier key `" + out.name + "` is not an Ed25519 key");
  }
  out.public_key = blob.substr(1);
  if (vkey.substr(first + 1, second - first - 1) !=
      hex(big_endian(note_key_hash(out.name, out.public_key), 4))) {
    return make_error("key", "verifier key `" + out.name + "` has the wrong key hash");
  }
  return out;
}

Result<std::string> sign_note(std::string_view text, std::string_view key_name,
                              const Ed25519Key& key) {
  Result<std::string> sig = ed25519_sign(key, text);
  if (!sig) return sig;
  std::string blob = big_endian(note_key_hash(key_name, key.public_key), 4) + *sig;
  return std::string(text) + "\n" + std::string(kDash) + std::string(key_name) + " " +
         base64_encode(blob) + "\n";
}

Result<SignedNote> parse_note(std::string_view note) {
  // The text ends at the last blank line; everything after it is signature lines.
  const std::size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos || note.empty() || note.back() != '\n') {
    return make_error("note", "not a signed note (no blank line before the signatures)");
  }
  SignedNote out;
  out.text = std::string(note.substr(0, split + 1));
  for (std::string_view line : lines_of(note.substr(split + 2))) {
    if (line.substr(0, kDash.size()) != kDash) {
      return make_error("note", "a signature line must start with an em dash");
    }
    line.remove_prefix(kDash.size());
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos)
      return make_error("note", "a signature line has no key name");
    std::string blob;
    if (!base64_decode(line.substr(space + 1), blob) || blob.size() < 5) {
      return make_error("note", "a signature is not valid base64");
    }
    NoteSignature sig;
    sig.key_name = std::string(line.substr(0, space));
    sig.key_hash = static_cast<uint32_t>(read_big_endian(std::string_view(blob).substr(0, 4)));
    sig.signature = blob.substr(4);
    out.signatures.push_back(std::move(sig));
  }
  if (out.signatures.empty()) return make_error("note", "the note has no signature");
  return out;
}

Result<Checkpoint> parse_checkpoint(std::string_view text) {
  const std::vector<std::string_view> lines = lines_of(text);
  if (lines.size() < 3) return make_error("checkpoint", "a checkpoint has at least three lines");
  Checkpoint c;
  c.origin = std::string(lines[0]);
  const std::string_view size = lines[1];
  if (size.empty() || (size.size() > 1 && size[0] == '0') ||
      std::from_chars(size.data(), size.data() + size.size(), c.size).ptr !=
          size.data() + size.size()) {
    return make_error("checkpoint", "the tree size `" + std::string(size) + "` is not a number");
  }
  if (!base64_decode(lines[2], c.root) || c.root.size() != 32) {
    return make_error("checkpoint", "the root hash is not base64 of 32 bytes");
  }
  return c;
}

Result<std::string> verify_note(const SignedNote& note, std::string_view key_name,
                                const std::vector<PublicKey>& keys) {
  bool known = false;
  for (const NoteSignature& sig : note.signatures) {
    if (sig.key_name != key_name) continue;
    for (const PublicKey& key : keys) {
      if (note_key_hash(key_name, key.raw) != sig.key_hash) continue;
      known = true;
      if (ed25519_verify(key.raw, note.text, sig.signature)) return key.id;
    }
  }
  if (!known) return make_error("key", "no known key signed this checkpoint");
  return make_error("signature", "checkpoint signature verification failed");
}

}  // namespace vectimus::audit
