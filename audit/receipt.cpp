#include "audit/receipt.hpp"

#include <cmath>
#include <cstdio>

#include "audit/crypto.hpp"
#include "support/utc.hpp"

namespace vectimus::audit {
namespace {

constexpr std::size_t kSummaryChars = 256;

// The first `n` code points of UTF-8 `s`.
std::string first_chars(const std::string& s, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t count = 0; i < s.size() && count < n; ++count) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xc0) == 0x80) ++i;
  }
  return s.substr(0, i);
}

std::string upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

JsonValue str(const std::string& s) {
  return JsonValue::string_value(s);
}

// The bytes the fingerprint is computed over: `fingerprint` "" and no `signature`.
std::string fingerprint_of(JsonValue receipt, Canon canon) {
  receipt.erase("signature");
  receipt.set("fingerprint", str(""));
  return sha256_hex(canonical_json(receipt, canon)).substr(0, 16);
}

}  // namespace

std::string receipt_timestamp(int64_t ns) {
  const UtcTime t = utc_time(ns);
  return utc_iso(t, t.nanos / 1000 != 0 ? 6 : 0) + "Z";
}

std::string receipt_day(int64_t ns) {
  return receipt_timestamp(ns).substr(0, 10);
}

Result<JsonValue> make_receipt(const ReceiptFacts& f, const std::string& receipt_id,
                               const SigningKey& key, const LogPosition& position) {
  JsonValue r = JsonValue::object_value();
  r.set("spec_version", str(std::string(kSpecVersion)));
  r.set("receipt_id", str(receipt_id));
  r.set("timestamp", str(receipt_timestamp(f.timestamp_ns)));
  r.set("fingerprint", str(""));
  JsonValue& principal = r.set("principal", JsonValue::object_value());
  principal.set("type", str(f.principal_type));
  principal.set("id", str(f.principal_id));

  JsonValue context = JsonValue::object_value();
  context.set("action_type", str(f.normalised_tool));
  context.set("raw_tool_name", str(f.tool));
  if (f.command) context.set("command", str(*f.command));
  if (f.file_path) context.set("file_path", str(*f.file_path));
  if (f.url) context.set("url", str(*f.url));
  const std::string summary = f.command     ? *f.command
                              : f.file_path ? *f.file_path
                              : f.url       ? *f.url
                                            : "";
  JsonValue& action = r.set("action", JsonValue::object_value());
  action.set("tool", str(f.tool));
  action.set("normalised_tool", str(f.normalised_tool));
  action.set("command_summary", str(first_chars(summary, kSummaryChars)));
  action.set("context_hash", str("sha256:" + sha256_hex(canonical_json(context, Canon::jcs))));

  JsonValue& policy = r.set("policy", JsonValue::object_value());
  policy.set("policy_set_hash", str(f.policy_set_hash));
  policy.set("policy_pack_version", str(f.policy_pack_version));
  if (f.matched_policy_id) policy.set("matched_policy_id", str(*f.matched_policy_id));

  JsonValue& decision = r.set("decision", JsonValue::object_value());
  decision.set("outcome", str(upper(f.outcome)));
  decision.set("reason", str(f.reason.empty() ? "All checks passed" : f.reason));
  decision.set("evaluation_time_ms",
               JsonValue::number_value(std::round(f.evaluation_time_ms * 10) / 10));

  JsonValue& log = r.set("log", JsonValue::object_value());
  log.set("origin", str(position.origin));
  log.set("index", JsonValue::integer_value(static_cast<int64_t>(position.index)));

  r.set("fingerprint", str(fingerprint_of(r, Canon::jcs)));
  Result<std::string> sig = ed25519_sign(key.key, canonical_json(r, Canon::jcs));
  if (!sig) return std::move(sig).take_errors();
  JsonValue& signature = r.set("signature", JsonValue::object_value());
  signature.set("algorithm", str("Ed25519"));
  signature.set("public_key_id", str(key.id));
  signature.set("value", str("base64:" + base64_encode(*sig)));
  return r;
}

std::string receipt_entry(const JsonValue& receipt) {
  return canonical_json(receipt, Canon::jcs);
}

ReceiptCheck check_receipt(const JsonValue& receipt, const KeyLookup& key_for) {
  ReceiptCheck out;
  out.receipt_id = std::string(receipt.string_at("receipt_id"));
  out.fingerprint = std::string(receipt.string_at("fingerprint"));
  out.spec_version = std::string(receipt.string_at("spec_version"));
  if (const JsonValue* d = receipt.find("decision"))
    out.outcome = std::string(d->string_at("outcome"));
  if (const JsonValue* log = receipt.find("log");
      log != nullptr && log->find("index") != nullptr &&
      log->find("index")->kind == JsonValue::Kind::integer && log->find("index")->number >= 0) {
    out.log = LogPosition{std::string(log->string_at("origin")),
                          static_cast<uint64_t>(log->find("index")->number)};
  }
  auto fail = [&](std::string why) {
    out.problem = std::move(why);
    return out;
  };
  if (receipt.kind != JsonValue::Kind::object) return fail("a receipt is a JSON object");
  const bool legacy = out.spec_version == kLegacySpecVersion;
  if (!legacy && out.spec_version != kSpecVersion) {
    return fail("unsupported spec_version `" + out.spec_version + "`");
  }
  const Canon canon = legacy ? Canon::python : Canon::jcs;
  const std::string expected = fingerprint_of(receipt, canon);
  if (expected != out.fingerprint) {
    return fail("fingerprint mismatch (expected " + expected + ", got " + out.fingerprint + ")");
  }
  const JsonValue* sig = receipt.find("signature");
  if (sig == nullptr || sig->kind != JsonValue::Kind::object) return fail("no signature block");
  if (sig->string_at("algorithm") != "Ed25519") {
    return fail("unsupported algorithm `" + std::string(sig->string_at("algorithm")) + "`");
  }
  const std::string_view value = sig->string_at("value");
  if (value.substr(0, 7) != "base64:") return fail("signature value must start with `base64:`");
  std::string raw_sig;
  if (!base64_decode(value.substr(7), raw_sig))
    return fail("invalid base64 in the signature value");
  out.signer = std::string(sig->string_at("public_key_id"));
  Result<PublicKey> key = key_for(out.signer);
  if (!key) return fail(key.errors()[0].message);
  JsonValue body = receipt;
  body.erase("signature");
  std::string message = canonical_json(body, canon);
  if (legacy) message = sha256(message);
  if (!ed25519_verify(key->raw, message, raw_sig)) return fail("signature verification failed");
  out.valid = true;
  return out;
}

}  // namespace vectimus::audit
