// Every escape rule of docs/cedar.md ("String literal escapes", "like"), on plain strings and
// on patterns.
#include <catch2/catch.hpp>

#include "tests/grammar/helpers.hpp"

namespace vectimus::test {
namespace {

struct Row {
  const char* literal;  // the string literal as written in the policy, quotes included
  const char* result;   // dump of the value, or "ERR ..." (column counted from the quote)
};

// The policy prefix is 43 characters, so the literal's opening quote is at column 44.
constexpr Row kStrings[] = {
    {R"("\" \\ \n \r \t \0 \'")", R"("\" \\ \n \r \t \0 '")"},
    {R"("\x41\x7f\x7F\x00")", R"("A\x7f\x7f\0")"},
    {R"("\x80")", "ERR syntax@1:45 the escape `\\x80` is not valid"},
    {R"("\xff")", "ERR syntax@1:45 the escape `\\xff` is not valid"},
    {R"("\x4")", "ERR syntax@1:45 the escape `\\x4` is not valid"},
    {R"("\x")", "ERR syntax@1:45 the escape `\\x` is not valid"},
    {R"("\u{41}\u{000041}\u{0_0_0_0_41}\u{4_1__}")", R"("AAAA")"},
    {R"("\u{e9}\u{10FFFF}")", "\"\u00e9\U0010FFFF\""},
    {R"("\u{0000041}")", "ERR syntax@1:45 the escape `\\u{0000041` is not valid"},
    {R"("\u{_41}")", "ERR syntax@1:45 the escape `\\u{_` is not valid"},
    {R"("\u{}")", "ERR syntax@1:45 the escape `\\u{}` is not valid"},
    {R"("\u{D800}")", "ERR syntax@1:45 the escape `\\u{D800}` is not valid"},
    {R"("\u{DFFF}")", "ERR syntax@1:45 the escape `\\u{DFFF}` is not valid"},
    {R"("\u{110000}")", "ERR syntax@1:45 the escape `\\u{110000}` is not valid"},
    {R"("\u41")", "ERR syntax@1:45 the escape `\\u4` is not valid"},
    {R"("\u{41")", "ERR syntax@1:45 the escape `\\u{41` is not valid"},
    {R"("\q")", "ERR syntax@1:45 the escape `\\q` is not valid"},
    {R"("\*")", "ERR syntax@1:45 the escape `\\*` is not valid"},
    {R"("\é")", "ERR syntax@1:45 the escape `\\\u00e9` is not valid"},
    {"\"a\nb\"", R"("a\nb")"},
    {"\"a\rb\"", "ERR syntax@1:46 a carriage return is not allowed in a string literal"},
    {"\"a\r\nb\"", "ERR syntax@1:46 a carriage return is not allowed in a string literal"},
    {"\"a\\\nb\"", "ERR syntax@1:46 unterminated string literal"},  // no token in Cedar either
    {"\"a\xff\"", "ERR syntax@1:46 invalid utf-8 in a string literal"},
    {"\"\xed\xa0\x80\"", "ERR syntax@1:45 invalid utf-8 in a string literal"},
    {"\"tab\there\"", R"("tab\there")"},
};

constexpr Row kPatterns[] = {
    {R"("*")", "[*]"},
    {R"("\*")", R"(["*"])"},
    {R"("a*b")", R"(["a",*,"b"])"},
    {R"("\x2a")", "[*]"},
    {R"("\u{2a}x")", R"([*,"x"])"},
    {R"("\\*")", R"(["\\",*])"},
    {R"("*%TEMP%\\*")", R"([*,"%TEMP%\\",*])"},
    {R"("a\\\*b")", R"(["a\\*b"])"},
    {R"("a?c[x]")", R"(["a?c[x]"])"},
    {R"("\n*\t")", R"(["\n",*,"\t"])"},
    {R"("\q*")", "ERR syntax@1:53 the escape `\\q` is not valid"},
    {"\"*\r\"", "ERR syntax@1:54 a carriage return is not allowed in a string literal"},
};

TEST_CASE("string literal escapes follow Rust's rules", "[grammar][escape]") {
  for (const Row& row : kStrings) {
    INFO(row.literal);
    CHECK(expr_dump(row.literal) == row.result);
  }
}

TEST_CASE("like patterns: only \\* is a literal star", "[grammar][escape]") {
  // "permit(principal, action, resource) when { \"\" like " is 51 characters.
  for (const Row& row : kPatterns) {
    INFO(row.literal);
    std::string dump = expr_dump(std::string("\"\" like ") + row.literal);
    if (dump.rfind("like(\"\",", 0) == 0) dump = dump.substr(8, dump.size() - 9);
    CHECK(dump == row.result);
  }
}

TEST_CASE("entity ids and annotation values are unescaped too", "[grammar][escape]") {
  CHECK(parse_dump(
            "@note(\"a\\u{62}\\tc\") permit(principal == U::\"\\x41\\\"\", action, resource);") ==
        "@note(\"ab\\tc\") permit(principal==U::\"A\\\"\",action,resource)");
  CHECK(parse_dump("permit(principal == U::\"\\*\", action, resource);") ==
        "ERR syntax@1:25 the escape `\\*` is not valid");
}

}  // namespace
}  // namespace vectimus::test
