#include "audit/crypto.hpp"

#include <pthread.h>
#include <sys/random.h>

#include <cerrno>
#include <cstring>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>

#include <atomic>
#include <memory>

namespace vectimus::audit {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(len));
}

// Called before any use of OpenSSL. It must not read the system's openssl.cnf: that file is not
// ours to depend on (a provider or policy set there would change what we sign and check). Nor
// does it register every legacy cipher and digest name or load the error strings: we fetch
// Ed25519 and SHA-256 from the default provider, and those tables cost a hook about a
// millisecond to build.
void init_openssl() {
  static const bool done =
      OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ADD_ALL_CIPHERS |
                              OPENSSL_INIT_NO_ADD_ALL_DIGESTS | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS,
                          nullptr) == 1;
  (void)done;
}

Pkey private_pkey(const Ed25519Key& key) {
  init_openssl();
  return Pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                           reinterpret_cast<const unsigned char*>(key.seed.data()),
                                           key.seed.size()));
}

std::string raw_public(EVP_PKEY* pkey) {
  std::string out(32, '\0');
  std::size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(out.data()), &len) != 1 ||
      len != 32) {
    return {};
  }
  return out;
}

// The base64 body of a PEM block with the given label, whitespace removed; false when absent.
bool pem_body(std::string_view text, std::string_view label, std::string& body) {
  const std::string begin = "-----BEGIN " + std::string(label) + "-----";
  const std::string end = "-----END " + std::string(label) + "-----";
  const std::size_t b = text.find(begin);
  if (b == std::string_view::npos) return false;
  const std::size_t e = text.find(end, b);
  if (e == std::string_view::npos) return false;
  body.clear();
  for (char c : text.substr(b + begin.size(), e - b - begin.size())) {
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') body += c;
  }
  return true;
}

// The fixed DER of an Ed25519 key (RFC 8410): PKCS#8 v1 `PrivateKeyInfo` and
// `SubjectPublicKeyInfo`, each followed by the 32 raw bytes. Read directly: OpenSSL 3's generic
// PEM decoders cost about a millisecond, and the hook loads its key on every call.
constexpr std::string_view kPkcs8Prefix(
    "\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70\x04\x22\x04\x20", 16);
constexpr std::string_view kSpkiPrefix("\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00", 12);

std::string wrap64(const std::string& b64) {
  std::string out;
  for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  return out;
}

}  // namespace

std::string sha256(std::string_view bytes) {
  std::string out(32, '\0');
  unsigned int len = 0;
  init_openssl();
  EVP_Digest(bytes.data(), bytes.size(), reinterpret_cast<unsigned char*>(out.data()), &len,
             EVP_sha256(), nullptr);
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  return hex(sha256(bytes));
}

std::string hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kB64[(n >> 18) & 63];
    out += kB64[(n >> 12) & 63];
    out += kB64[(n >> 6) & 63];
    out += kB64[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kB64[(n >> 18) & 63];
    out += kB64[(n >> 12) & 63];
    out += rest == 2 ? kB64[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool base64_decode(std::string_view text, std::string& out) {
  out.clear();
  if (text.size() % 4 != 0) return false;
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text[i + static_cast<std::size_t>(k)];
      if (c == '=' && last && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) return false;  // data after padding
      v[k] = value(c);
      if (v[k] < 0) return false;
    }
    const uint32_t n = (static_cast<uint32_t>(v[0]) << 18) | (static_cast<uint32_t>(v[1]) << 12) |
                       (static_cast<uint32_t>(v[2]) << 6) | static_cast<uint32_t>(v[3]);
    out += static_cast<char>((n >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(n & 0xff);
  }
  return true;
}

// From the kernel (getrandom(2)), not OpenSSL's RAND_bytes: seeding OpenSSL's DRBG fetches
// every cipher of the default provider, which costs a hook about as much as the rest of its
// evidence together. The kernel's generator is what OpenSSL seeds from anyway.
Result<std::string> random_bytes(std::size_t n) {
  std::string out(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::getrandom(out.data() + got, n - got, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      return make_error("crypto", std::string("the kernel's random number generator failed: ") +
                                      std::strerror(errno));
    }
    got += static_cast<std::size_t>(r);
  }
  return out;
}

namespace {

// Random bytes for ids, fetched from the kernel a few ids at a time: a server names two per
// decision, and a getrandom(2) call costs more than handing out bytes already fetched. Per
// thread, so no lock; a forked child drops what its parent fetched, so no id is issued twice.
class IdBytes {
 public:
  Result<std::string> take(std::size_t n) {
    if (fork_generation_ != forks() || pool_.size() - used_ < n) {
      Result<std::string> fresh = random_bytes(kFetch);
      if (!fresh) return fresh;
      pool_ = std::move(fresh).value();
      used_ = 0;
      fork_generation_ = forks();
    }
    std::string out = pool_.substr(used_, n);
    used_ += n;
    return out;
  }

 private:
  static constexpr std::size_t kFetch = 256;
  std::string pool_;
  std::size_t used_ = 0;
  uint64_t fork_generation_ = 0;

  static std::atomic<uint64_t>& fork_count() {
    static std::atomic<uint64_t> count{0};
    return count;
  }
  static uint64_t forks() {
    static const bool registered = [] {
      ::pthread_atfork(nullptr, nullptr, [] { fork_count().fetch_add(1); });
      return true;
    }();
    (void)registered;
    return fork_count().load(std::memory_order_relaxed);
  }
};

}  // namespace

Result<std::string> uuid4() {
  static thread_local IdBytes id_bytes;
  Result<std::string> r = id_bytes.take(16);
  if (!r) return r;
  std::string b = std::move(r).value();
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  const std::string h = hex(b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

Result<Ed25519Key> ed25519_generate() {
  Result<std::string> seed = random_bytes(32);
  if (!seed) return std::move(seed).take_errors();
  return ed25519_from_seed(*seed);
}

Result<Ed25519Key> ed25519_from_seed(std::string_view seed) {
  if (seed.size() != 32) return make_error("key", "an Ed25519 private key is 32 bytes");
  Ed25519Key key{std::string(seed), {}, {}};
  Pkey pkey = private_pkey(key);
  if (!pkey) return make_error("key", "OpenSSL refused the Ed25519 private key");
  key.public_key = raw_public(pkey.get());
  if (key.public_key.empty()) return make_error("key", "cannot derive the Ed25519 public key");
  key.openssl = std::shared_ptr<EVP_PKEY>(pkey.release(), EVP_PKEY_free);
  return key;
}

Result<Ed25519Key> ed25519_from_pair(std::string_view seed, std::string_view public_key) {
  if (seed.size() != 32 || public_key.size() != 32) {
    return make_error("key", "an Ed25519 key pair is 32 bytes of private key and 32 of public");
  }
  init_openssl();
  Ed25519Key key{std::string(seed), std::string(public_key), {}};
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PRIV_KEY, key.seed.data(), 32),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, key.public_key.data(), 32),
      OSSL_PARAM_construct_end()};
  const std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "ED25519", nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_KEYPAIR, params) != 1) {
    return make_error("key", "OpenSSL refused the Ed25519 key pair");
  }
  key.openssl = std::shared_ptr<EVP_PKEY>(pkey, EVP_PKEY_free);
  return key;
}

Result<std::string> ed25519_sign(const Ed25519Key& key, std::string_view message) {
  // A key built by hand (seed only) gets its OpenSSL form here, for this signature alone.
  const Pkey own = key.openssl ? nullptr : private_pkey(key);
  EVP_PKEY* pkey = key.openssl ? key.openssl.get() : own.get();
  const MdCtx ctx(EVP_MD_CTX_new());
  std::string sig(64, '\0');
  std::size_t len = sig.size();
  if (!pkey || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      len != 64) {
    return make_error("crypto", "Ed25519 signing failed");
  }
  return sig;
}

bool ed25519_verify(std::string_view public_key, std::string_view message,
                    std::string_view signature) {
  if (public_key.size() != 32 || signature.size() != 64) return false;
  init_openssl();
  const Pkey pkey(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(public_key.data()), 32));
  const MdCtx ctx(EVP_MD_CTX_new());
  if (!pkey || !ctx ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

std::string private_key_pem(const Ed25519Key& key) {
  const Pkey pkey = private_pkey(key);
  const Bio bio(BIO_new(BIO_s_mem()));
  if (!pkey || !bio ||
      PEM_write_bio_PrivateKey(bio.get(), pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return {};
  }
  const std::string public_half = public_key_pem(key.public_key);
  if (public_half.empty()) return {};
  return bio_text(bio.get()) + public_half;
}

std::string public_key_pem(std::string_view public_key) {
  init_openssl();
  const Pkey pkey(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(public_key.data()),
      public_key.size()));
  const Bio bio(BIO_new(BIO_s_mem()));
  if (!pkey || !bio || PEM_write_bio_PUBKEY(bio.get(), pkey.get()) != 1) return {};
  return bio_text(bio.get());
}

std::string legacy_private_key_pem(const Ed25519Key& key) {
  return "-----BEGIN ED25519 PRIVATE KEY-----\n" + wrap64(base64_encode(key.seed)) +
         "-----END ED25519 PRIVATE KEY-----\n";
}

std::string legacy_public_key_pem(std::string_view public_key) {
  return "-----BEGIN PUBLIC KEY-----\n" + wrap64(base64_encode(public_key)) +
         "-----END PUBLIC KEY-----\n";
}

Result<Ed25519Key> read_private_key_pem(std::string_view text) {
  std::string body;
  if (pem_body(text, "ED25519 PRIVATE KEY", body)) {
    std::string seed;
    if (!base64_decode(body, seed) || seed.size() != 32) {
      return make_error("key", "an `ED25519 PRIVATE KEY` block must hold base64 of 32 bytes");
    }
    return ed25519_from_seed(seed);
  }
  if (std::string der; pem_body(text, "PRIVATE KEY", body) && base64_decode(body, der) &&
                       der.size() == kPkcs8Prefix.size() + 32 && der.rfind(kPkcs8Prefix, 0) == 0) {
    const std::string_view seed = std::string_view(der).substr(kPkcs8Prefix.size());
    // The public half written beside it (private_key_pem) saves deriving it, a scalar
    // multiplication that was a quarter of a hook call's instructions. Taking it on trust is
    // safe because it is in the same file: whoever could make it disagree with the private key
    // (and so have us sign with a wrong public key, which can leak the private one) could read
    // the private key already.
    if (std::string spki; pem_body(text, "PUBLIC KEY", body) && base64_decode(body, spki) &&
                          spki.size() == kSpkiPrefix.size() + 32 &&
                          spki.rfind(kSpkiPrefix, 0) == 0) {
      return ed25519_from_pair(seed, std::string_view(spki).substr(kSpkiPrefix.size()));
    }
    return ed25519_from_seed(seed);
  }
  init_openssl();
  const Bio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  const Pkey pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey || EVP_PKEY_get_id(pkey.get()) != EVP_PKEY_ED25519) {
    return make_error("key",
                      "not an Ed25519 private key in PEM (PKCS#8 `PRIVATE KEY` or "
                      "`ED25519 PRIVATE KEY`)");
  }
  std::string seed(32, '\0');
  std::size_t len = seed.size();
  if (EVP_PKEY_get_raw_private_key(pkey.get(), reinterpret_cast<unsigned char*>(seed.data()),
                                   &len) != 1 ||
      len != 32) {
    return make_error("key", "cannot read the Ed25519 private key");
  }
  return ed25519_from_seed(seed);
}

Result<std::string> read_public_key_pem(std::string_view text) {
  std::string body;
  if (pem_body(text, "PUBLIC KEY", body)) {
    std::string raw;
    if (!base64_decode(body, raw)) return make_error("key", "the public key is not valid base64");
    if (raw.size() == 32) return raw;  // the other tool's raw key
    if (raw.size() == kSpkiPrefix.size() + 32 && raw.rfind(kSpkiPrefix, 0) == 0) {
      return raw.substr(kSpkiPrefix.size());
    }
  }
  init_openssl();
  const Bio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  const Pkey pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey || EVP_PKEY_get_id(pkey.get()) != EVP_PKEY_ED25519) {
    return make_error("key", "not an Ed25519 public key in PEM");
  }
  std::string raw = raw_public(pkey.get());
  if (raw.empty()) return make_error("key", "cannot read the Ed25519 public key");
  return raw;
}

}  // namespace vectimus::audit
