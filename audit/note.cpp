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

uint32_t note_key_hash(std::string_view key_name, std::string_view public_key) {
  std::string buf(key_name);
  buf += '\n';
  buf += '\x01';
  buf += public_key;
  const std::string h = sha256(buf);
  return (static_cast<uint32_t>(static_cast<unsigned char>(h[0])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(h[1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(h[2])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(h[3]));
}

std::string note_vkey(std::string_view key_name, std::string_view public_key) {
  const uint32_t h = note_key_hash(key_name, public_key);
  const std::string be = {static_cast<char>(h >> 24), static_cast<char>(h >> 16),
                          static_cast<char>(h >> 8), static_cast<char>(h)};
  return std::string(key_name) + "+" + hex(be) + "+" +
         base64_encode("\x01" + std::string(public_key));
}

Result<std::string> sign_note(std::string_view text, std::string_view key_name,
                              const Ed25519Key& key) {
  Result<std::string> sig = ed25519_sign(key, text);
  if (!sig) return sig;
  const uint32_t h = note_key_hash(key_name, key.public_key);
  std::string blob = {static_cast<char>(h >> 24), static_cast<char>(h >> 16),
                      static_cast<char>(h >> 8), static_cast<char>(h)};
  blob += *sig;
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
    sig.key_hash = (static_cast<uint32_t>(static_cast<unsigned char>(blob[0])) << 24) |
                   (static_cast<uint32_t>(static_cast<unsigned char>(blob[1])) << 16) |
                   (static_cast<uint32_t>(static_cast<unsigned char>(blob[2])) << 8) |
                   static_cast<uint32_t>(static_cast<unsigned char>(blob[3]));
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
