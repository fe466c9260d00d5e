// Canonical JSON: RFC 8785's own examples, ECMAScript number formatting (RFC 8785 appendix B),
// and the Python canonicaljson flavour the other tool signed with.
#include <catch2/catch.hpp>

#include <cstring>

#include "audit/json.hpp"

using namespace vectimus;
using namespace vectimus::audit;

namespace {

std::string jcs(const std::string& text) {
  Result<JsonValue> v = parse_json(text);
  REQUIRE(v.ok());
  return canonical_json(*v, Canon::jcs);
}

std::string py(const std::string& text) {
  Result<JsonValue> v = parse_json(text);
  REQUIRE(v.ok());
  return canonical_json(*v, Canon::python);
}

double from_bits(uint64_t bits) {
  double d = 0;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

}  // namespace

TEST_CASE("RFC 8785 section 3.2.2: the sample object", "[audit][json]") {
  const std::string input = R"({
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })";
  CHECK(jcs(input) ==
        "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
        "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

TEST_CASE("RFC 8785 section 3.2.3: keys sort by UTF-16 code units", "[audit][json]") {
  const std::string input = R"({
    "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"})";
  const std::string out = jcs(input);
  const char* order[] = {
      "\\r", "\"1\"", "\xc2\x80", "\xc3\xb6", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xac\xb3"};
  std::size_t at = 0;
  for (const char* key : order) {
    const std::size_t found = out.find(key);
    INFO(key);
    REQUIRE(found != std::string::npos);
    CHECK(found >= at);
    at = found;
  }
  // Python sorts by code point: U+FB33 before the emoji.
  const std::string p = py(input);
  CHECK(p.find("\xef\xac\xb3") < p.find("\xf0\x9f\x98\x80"));
}

TEST_CASE("RFC 8785 appendix B: ECMAScript numbers", "[audit][json]") {
  const std::pair<uint64_t, const char*> cases[] = {
      {0x0000000000000000, "0"},
      {0x8000000000000000, "0"},
      {0x0000000000000001, "5e-324"},
      {0x8000000000000001, "-5e-324"},
      {0x7fefffffffffffff, "1.7976931348623157e+308"},
      {0xffefffffffffffff, "-1.7976931348623157e+308"},
      {0x4340000000000000, "9007199254740992"},
      {0xc340000000000000, "-9007199254740992"},
      {0x4430000000000000, "295147905179352830000"},
      {0x44b52d02c7e14af5, "9.999999999999997e+22"},
      {0x44b52d02c7e14af6, "1e+23"},
      {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
      {0x444b1ae4d6e2ef4e, "999999999999999700000"},
      {0x444b1ae4d6e2ef4f, "999999999999999900000"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x41b3de4355555553, "333333333.3333332"},
      {0x41b3de4355555554, "333333333.33333325"},
      {0x41b3de4355555555, "333333333.3333333"},
      {0x41b3de4355555556, "333333333.3333334"},
      {0x41b3de4355555557, "333333333.33333343"},
      {0xbecbf647612f3696, "-0.0000033333333333333333"},
      {0x43143ff3c1cb0959, "1424953923781206.2"},
  };
  for (const auto& [bits, text] : cases) {
    INFO(text);
    CHECK(ecmascript_number(from_bits(bits)) == text);
  }
}

TEST_CASE("Python repr of floats, as canonicaljson writes them", "[audit][json]") {
  CHECK(python_float_repr(3.0) == "3.0");
  CHECK(python_float_repr(1.5) == "1.5");
  CHECK(python_float_repr(1e-05) == "1e-05");
  CHECK(python_float_repr(0.0001) == "0.0001");
  CHECK(python_float_repr(1.5e-07) == "1.5e-07");
  CHECK(python_float_repr(1e16) == "1e+16");
  CHECK(python_float_repr(1e15) == "1000000000000000.0");
  CHECK(python_float_repr(123.456) == "123.456");
  CHECK(python_float_repr(0.0) == "0.0");
  CHECK(python_float_repr(-0.0) == "-0.0");
  CHECK(python_float_repr(1e100) == "1e+100");
  CHECK(python_float_repr(0.1 + 0.2) == "0.30000000000000004");
}

TEST_CASE("Python canonical form keeps 3.0 and integers apart; JCS does not", "[audit][json]") {
  const std::string input = R"({"b": 3.0, "a": [3, 1e-5, 12345678901234567890], "c": "é\n"})";
  CHECK(py(input) == "{\"a\":[3,1e-05,12345678901234567890],\"b\":3.0,\"c\":\"\xc3\xa9\\n\"}");
  CHECK(jcs(input) == "{\"a\":[3,0.00001,12345678901234567000],\"b\":3,\"c\":\"\xc3\xa9\\n\"}");
}

TEST_CASE("Parsing rejects what a receipt must not be", "[audit][json]") {
  CHECK_FALSE(parse_json("{\"a\":1,\"a\":2}").ok());
  CHECK_FALSE(parse_json("{\"a\":").ok());
  CHECK_FALSE(parse_json("not json").ok());
  const Result<JsonValue> v = parse_json("{\"x\": {\"y\": [true, null]}}");
  REQUIRE(v.ok());
  CHECK(pretty_json(*v, Canon::jcs) ==
        "{\n  \"x\": {\n    \"y\": [\n      true,\n      null\n    ]\n  }\n}\n");
}
