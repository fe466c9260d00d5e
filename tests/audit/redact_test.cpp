// Secrets never reach a record: each shape the redactor knows, and text it must leave alone.
#include <catch2/catch.hpp>

#include <string>

#include "audit/redact.hpp"

using vectimus::audit::redact;

namespace {

std::string redacted(const std::string& text, uint32_t expected_count) {
  uint32_t count = 0;
  std::string out = redact(text, count);
  CHECK(count == expected_count);
  return out;
}

}  // namespace

TEST_CASE("private key blocks are replaced whole", "[redact]") {
  const std::string key =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAA\n"
      "-----END OPENSSH PRIVATE KEY-----";
  CHECK(redacted("cat > id <<EOF\n" + key + "\nEOF", 1) ==
        "cat > id <<EOF\n[REDACTED PRIVATE KEY]\nEOF");
  // A block cut short is redacted to the end.
  CHECK(redacted("-----BEGIN RSA PRIVATE KEY-----\nMIIEow", 1) == "[REDACTED PRIVATE KEY]");
  // A certificate is not a secret.
  CHECK(redacted("-----BEGIN CERTIFICATE-----\nMIIB", 0) == "-----BEGIN CERTIFICATE-----\nMIIB");
}

TEST_CASE("token shapes of cloud and code hosts", "[redact]") {
  CHECK(redacted("aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE", 1) ==
        "aws configure set aws_access_key_id [REDACTED]");
  CHECK(redacted("git clone https://ghp_0123456789abcdefghijABCDEFGHIJ012345@github.com/x", 1) ==
        "git clone https://[REDACTED]@github.com/x");
  CHECK(redacted("curl -H 'PRIVATE-TOKEN: glpat-abcdefghij0123456789' x", 1) ==
        "curl -H 'PRIVATE-TOKEN: [REDACTED]' x");
  CHECK(redacted("echo xoxb-1234567890-abcdefghij", 1) == "echo [REDACTED]");
  CHECK(redacted("key=AIzaSyA1234567890abcdefghijklmnopqrstuv", 1) == "key=[REDACTED]");
  CHECK(redacted("sk-ant-api03-abcdefghijklmnopqrstuvwxyz", 1) == "[REDACTED]");
  CHECK(redacted("OPENAI=sk-proj-abcdefghijklmnopqrstuvwxyz", 1) == "OPENAI=[REDACTED]");
  CHECK(redacted("npm_abcdefghijklmnopqrstuvwxyz0123456789 x", 1) == "[REDACTED] x");
  CHECK(redacted("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N", 1) ==
        "[REDACTED]");
}

TEST_CASE("bearer tokens, URL passwords and secret-named values", "[redact]") {
  CHECK(redacted("curl -H 'Authorization: Bearer abc.def-123456' https://api", 1) ==
        "curl -H 'Authorization: Bearer [REDACTED]' https://api");
  CHECK(redacted("psql postgres://admin:hunter2@db:5432/app", 1) ==
        "psql postgres://admin:[REDACTED]@db:5432/app");
  CHECK(redacted("mysqldump --password=hunter2 app", 1) == "mysqldump --password=[REDACTED] app");
  CHECK(redacted("vault login --token s.abcdef", 1) == "vault login --token [REDACTED]");
  CHECK(redacted("export GITHUB_TOKEN=abc123 && gh pr list", 1) ==
        "export GITHUB_TOKEN=[REDACTED] && gh pr list");
  CHECK(redacted(R"({"api_key":"abc","name":"x"})", 1) == R"({"api_key":"[REDACTED]","name":"x"})");
  CHECK(redacted("client_secret: s3cr3t\nname: x", 1) == "client_secret: [REDACTED]\nname: x");
  CHECK(redacted("DB_PASSWORD='two words' make", 1) == "DB_PASSWORD='[REDACTED]' make");
}

TEST_CASE("ordinary text is left alone", "[redact]") {
  for (const std::string& text :
       {std::string("rm -rf ./build && npm test"), std::string("git push origin main"),
        std::string("read the token docs"), std::string("--password-file=/run/secrets/db"),
        std::string("https://example.com/a:b@c"), std::string("ASIA is a continent"),
        std::string("the sk-learn model"), std::string("{\"password\":\"\"}")}) {
    INFO(text);
    CHECK(redacted(text, 0) == text);
  }
}
