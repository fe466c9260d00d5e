#include "audit/redact.hpp"

#include <array>

namespace vectimus::audit {
namespace {

// Character classes by table: the locale's <cctype> calls cost a call per character, and redact()
// sees every byte of every record. Only ASCII counts, as in the "C" locale.
enum CharClass : uint8_t {
  kDigit = 1,
  kUpper = 2,
  kLower = 4,
  kUnderscore = 8,
  kDash = 16,
  kDot = 32,
  kSpace = 64,
};

constexpr std::array<uint8_t, 256> kClasses = [] {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = kDigit;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kUpper;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kLower;
  t['_'] = kUnderscore;
  t['-'] = kDash;
  t['.'] = kDot;
  for (const char c : {' ', '\t', '\n', '\v', '\f', '\r'})
    t[static_cast<unsigned char>(c)] = kSpace;
  return t;
}();

bool is(char c, uint8_t classes) {
  return (kClasses[static_cast<unsigned char>(c)] & classes) != 0;
}

char lower(char c) {
  return is(c, kUpper) ? static_cast<char>(c - 'A' + 'a') : c;
}

// The alphabets of token bodies, as sets of classes.
enum class Alphabet : uint8_t {
  upper_digits = kDigit | kUpper,
  alnum = kDigit | kUpper | kLower,
  word = kDigit | kUpper | kLower | kUnderscore,
  url_safe = kDigit | kUpper | kLower | kUnderscore | kDash,
  jwt = kDigit | kUpper | kLower | kUnderscore | kDash | kDot,
};

bool in(Alphabet alphabet, char c) {
  return is(c, static_cast<uint8_t>(alphabet));
}

// A token: `prefix` then between `min` and `max` characters of `alphabet`.
struct TokenShape {
  std::string_view prefix;
  Alphabet alphabet;
  std::size_t min;
  std::size_t max;
};

// Longer prefixes first where one is the start of another (`sk-ant-` before `sk-`).
constexpr auto kTokens = std::to_array<TokenShape>({
    {"AKIA", Alphabet::upper_digits, 16, 16},  // AWS access key id
    {"ASIA", Alphabet::upper_digits, 16, 16},  // AWS temporary key id
    {"github_pat_", Alphabet::word, 22, 255}, {"ghp_", Alphabet::alnum, 36, 255},
    {"gho_", Alphabet::alnum, 36, 255},       {"ghu_", Alphabet::alnum, 36, 255},
    {"ghs_", Alphabet::alnum, 36, 255},       {"ghr_", Alphabet::alnum, 36, 255},
    {"glpat-", Alphabet::url_safe, 20, 255},  {"xoxb-", Alphabet::url_safe, 10, 255},
    {"xoxp-", Alphabet::url_safe, 10, 255},   {"xoxa-", Alphabet::url_safe, 10, 255},
    {"xoxr-", Alphabet::url_safe, 10, 255},   {"xoxs-", Alphabet::url_safe, 10, 255},
    {"AIza", Alphabet::url_safe, 35, 35},  // Google API key
    {"sk_live_", Alphabet::alnum, 16, 255},   {"rk_live_", Alphabet::alnum, 16, 255},
    {"sk-ant-", Alphabet::url_safe, 20, 255}, {"sk-", Alphabet::url_safe, 20, 255},  // OpenAI
    {"npm_", Alphabet::alnum, 36, 36},        {"hf_", Alphabet::alnum, 30, 255},
    {"eyJ", Alphabet::jwt, 30, 4096},  // JWT: checked for its two dots below
});

// The first characters of the shapes: only where one of them stands is a token looked for.
constexpr std::array<bool, 256> kTokenStarts = [] {
  std::array<bool, 256> t{};
  for (const TokenShape& shape : kTokens) t[static_cast<unsigned char>(shape.prefix[0])] = true;
  return t;
}();

// Names whose value is a secret, as flags (`--password=x`, `--token x`), variables
// (`GITHUB_TOKEN=x`) or keys (`"api_key": "x"`), matched case-insensitively at the end of a
// word, so `DB_PASSWORD` and `x-api-key` count.
constexpr auto kSecretNames = std::to_array<std::string_view>({
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "api-key",
    "access_key",
    "access-key",
    "private_key",
    "private-key",
    "client_secret",
    "client-secret",
    "auth_token",
    "credentials",
});

// The last characters of the names: a word ending in another one is no secret's name.
constexpr std::array<bool, 256> kSecretNameEnds = [] {
  std::array<bool, 256> t{};
  for (std::string_view name : kSecretNames) t[static_cast<unsigned char>(name.back())] = true;
  return t;
}();

bool word_char(char c) {
  return in(Alphabet::url_safe, c);
}

bool iequals(std::string_view text, std::size_t at, std::string_view word) {
  if (at + word.size() > text.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (lower(text[at + i]) != word[i]) return false;
  }
  return true;
}

// Length of the token shape starting at `at`, or 0.
std::size_t token_at(std::string_view text, std::size_t at) {
  if (at > 0 && in(Alphabet::url_safe, text[at - 1])) return 0;
  for (const TokenShape& shape : kTokens) {
    if (shape.prefix[0] != text[at]) continue;
    if (text.compare(at, shape.prefix.size(), shape.prefix) != 0) continue;
    std::size_t end = at + shape.prefix.size();
    while (end < text.size() && end - at - shape.prefix.size() < shape.max &&
           in(shape.alphabet, text[end])) {
      ++end;
    }
    const std::size_t body = end - at - shape.prefix.size();
    if (body < shape.min || (end < text.size() && in(shape.alphabet, text[end]))) continue;
    if (shape.prefix == "eyJ") {
      const std::string_view jwt = text.substr(at, end - at);
      const std::size_t dot = jwt.find('.');
      if (dot == std::string_view::npos || jwt.find('.', dot + 1) == std::string_view::npos) {
        continue;
      }
    }
    return end - at;
  }
  return 0;
}

// The end of a value starting at `at`: a quoted string (its closing quote included) or a run up
// to white space, a quote or a shell separator.
std::size_t value_end(std::string_view text, std::size_t at) {
  if (at < text.size() && (text[at] == '"' || text[at] == '\'')) {
    const std::size_t close = text.find(text[at], at + 1);
    return close == std::string_view::npos ? text.size() : close + 1;
  }
  std::size_t end = at;
  while (end < text.size() && !is(text[end], kSpace) && text[end] != '"' && text[end] != '\'' &&
         text[end] != '\\' && text[end] != ';' && text[end] != '&' && text[end] != '|' &&
         text[end] != ',' && text[end] != '}') {
    ++end;
  }
  return end;
}

// A secret-named flag, variable or key ending at `name_end`: where its value starts, or npos.
std::size_t secret_value_start(std::string_view text, std::size_t name_end, bool flag) {
  std::size_t at = name_end;
  if (at < text.size() && text[at] == '"') ++at;  // `"api_key": …`
  while (at < text.size() && text[at] == ' ') ++at;
  if (at < text.size() && (text[at] == '=' || text[at] == ':')) {
    ++at;
    while (at < text.size() && text[at] == ' ') ++at;
    return at;
  }
  // `--password VALUE`: a flag's value may follow after one space.
  if (flag && name_end < text.size() && text[name_end] == ' ' && at < text.size() &&
      text[at] != '-') {
    return at;
  }
  return std::string_view::npos;
}

}  // namespace

void append_redacted(std::string& out, std::string_view text, uint32_t& count) {
  // Text without secrets is copied in one piece: up to where a replacement starts, then from
  // where it ends. `kept` is the start of what is not yet copied.
  std::size_t kept = 0;
  const auto replace = [&](std::size_t from, std::size_t to, std::string_view with) {
    out.append(text.substr(kept, from - kept));
    out += with;
    kept = to;
    ++count;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    // Each kind below is looked for only where its first character stands.
    const char c = text[i];
    // Private key blocks.
    if (c == '-' && text.compare(i, 11, "-----BEGIN ") == 0) {
      const std::size_t header_end = text.find("-----", i + 11);
      if (header_end != std::string_view::npos &&
          text.substr(i, header_end - i).find("PRIVATE KEY") != std::string_view::npos) {
        const std::size_t end_line = text.find("-----END ", header_end + 5);
        std::size_t end = text.size();
        if (end_line != std::string_view::npos) {
          const std::size_t close = text.find("-----", end_line + 9);
          end = close == std::string_view::npos ? text.size() : close + 5;
        }
        replace(i, end, "[REDACTED PRIVATE KEY]");
        i = end;
        continue;
      }
    }
    // Token shapes.
    if (const std::size_t n = kTokenStarts[static_cast<unsigned char>(c)] ? token_at(text, i) : 0;
        n > 0) {
      replace(i, i + n, kRedacted);
      i += n;
      continue;
    }
    // Bearer tokens.
    if (lower(c) == 'b' && iequals(text, i, "bearer ") && (i == 0 || !word_char(text[i - 1]))) {
      std::size_t at = i + 7;
      while (at < text.size() && text[at] == ' ') ++at;
      const std::size_t end = value_end(text, at);
      if (end - at >= 8) {
        replace(at, end, kRedacted);
        i = end;
        continue;
      }
    }
    // Passwords in URLs: scheme://user:PASSWORD@host.
    if (c == ':' && text.compare(i, 3, "://") == 0) {
      const std::size_t start = i + 3;
      std::size_t end = start;
      while (end < text.size() && text[end] != '/' && text[end] != '@' && !is(text[end], kSpace)) {
        ++end;
      }
      const std::size_t colon = text.substr(start, end - start).find(':');
      if (end < text.size() && text[end] == '@' && colon != std::string_view::npos &&
          start + colon + 1 < end) {
        replace(start + colon + 1, end, kRedacted);
        i = end;
        continue;
      }
    }
    // Secret-named flags, variables and keys.
    if (word_char(c) && (i == 0 || !word_char(text[i - 1]))) {
      std::size_t word_end = i;
      while (word_end < text.size() && word_char(text[word_end])) ++word_end;
      const std::string_view word = text.substr(i, word_end - i);
      bool secret = false;
      if (kSecretNameEnds[static_cast<unsigned char>(lower(word.back()))]) {
        for (std::string_view name : kSecretNames) {
          if (word.size() >= name.size() && iequals(text, word_end - name.size(), name)) {
            secret = true;
            break;
          }
        }
      }
      const bool flag = word.starts_with("--");
      const std::size_t value =
          secret ? secret_value_start(text, word_end, flag) : std::string_view::npos;
      const std::size_t end = value == std::string_view::npos ? value : value_end(text, value);
      if (value != std::string_view::npos && end > value &&
          text.substr(value, end - value) != "\"\"") {
        // A quoted value keeps its quotes around the replacement.
        const bool quoted = text[value] == '"' || text[value] == '\'';
        const bool closed = quoted && end - 1 > value && text[end - 1] == text[value];
        replace(quoted ? value + 1 : value, closed ? end - 1 : end, kRedacted);
        i = end;
        continue;
      }
      i = word_end;
      continue;
    }
    ++i;
  }
  out.append(text.substr(kept));
}

std::string redact(std::string_view text, uint32_t& count) {
  std::string out;
  out.reserve(text.size());
  append_redacted(out, text, count);
  return out;
}

}  // namespace vectimus::audit
