// Secrets out of everything a record carries. Every string the audit log writes (commands,
// paths, URLs, tool input, matched content lines, the Cedar trace) passes through redact() first,
// so a token an agent handled never lands in a log file, a syslog server or a report.
//
// What is found, each from a table in redact.cpp (a new shape is a new row, not new code):
//   - private key blocks (`-----BEGIN … PRIVATE KEY-----` to its END line, or to the end);
//   - well-known token shapes of cloud and code hosts (AWS key ids, GitHub, GitLab, Slack,
//     Google, Stripe, OpenAI, Anthropic, npm, Hugging Face tokens, JWTs), by prefix, alphabet
//     and length, starting at a word boundary;
//   - bearer tokens (`Authorization: Bearer …`), passwords in URLs (`https://u:PASS@host`);
//   - values given to secret-named flags, variables and keys: `--password=X`, `--token X`,
//     `GITHUB_TOKEN=X`, `"api_key": "X"`, `client_secret: X`.
// Each is replaced by `[REDACTED]` (a key block by `[REDACTED PRIVATE KEY]`); the count says how
// many were replaced, so a record can say that something was.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vectimus::audit {

inline constexpr std::string_view kRedacted = "[REDACTED]";

// `text` with every secret replaced; adds the number replaced to `count`.
std::string redact(std::string_view text, uint32_t& count);
// The same, appended to `out`.
void append_redacted(std::string& out, std::string_view text, uint32_t& count);

}  // namespace vectimus::audit
