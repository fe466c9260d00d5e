#include <catch2/catch.hpp>
#include <cstdio>

#include "support/diagnostic.hpp"
#include "support/json_writer.hpp"

using namespace vectimus;

TEST_CASE("a diagnostic renders file:line:col, the source line, a caret and help") {
  auto source = make_source("p.cedar", "permit(principal,\n  action resource);\n");
  const auto at = static_cast<uint32_t>(source->text.find("resource"));
  Diagnostic d = make_error("syntax", "expected `,`", Location{source, {at, at + 8}},
                            "separate the scope's parts with commas");
  CHECK(render(d) ==
        "p.cedar:2:10: error: expected `,`\n"
        "  action resource);\n"
        "         ^~~~~~~~\n"
        "help: separate the scope's parts with commas\n");
}

TEST_CASE("columns count characters, not bytes, and tabs are kept for alignment") {
  auto source = make_source("u.cedar", "\t\"é\" x");
  const auto at = static_cast<uint32_t>(source->text.find('x'));
  Diagnostic d = make_error("syntax", "unexpected `x`", Location{source, {at, at + 1}});
  CHECK(render(d) ==
        "u.cedar:1:6: error: unexpected `x`\n"
        "\t\"é\" x\n"
        "\t    ^\n");
}

TEST_CASE("notes point at related places") {
  auto a = make_source("a.cedar", "@id(\"x\")\npermit(principal, action, resource);\n");
  auto b = make_source("b.cedar", "\n@id(\"x\")\nforbid(principal, action, resource);\n");
  Diagnostic d = make_error("duplicate-id", "duplicate policy id `x`", Location{b, {1, 9}});
  d.notes.push_back(Note{Location{a, {0, 8}}, "first defined here"});
  CHECK(render(d) ==
        "b.cedar:2:1: error: duplicate policy id `x`\n"
        "@id(\"x\")\n"
        "^~~~~~~~\n"
        "a.cedar:1:1: note: first defined here\n"
        "@id(\"x\")\n"
        "^~~~~~~~\n");
  CHECK(render_json({d}) ==
        R"([{"severity":"error","code":"duplicate-id","message":"duplicate policy id `x`",)"
        R"("file":"b.cedar","line":2,"column":1,"end_line":2,"end_column":9,)"
        R"("notes":[{"message":"first defined here","file":"a.cedar","line":1,"column":1,)"
        R"("end_line":1,"end_column":9}]}])");
}

TEST_CASE("the JSON writer escapes control characters and quotes") {
  JsonWriter json;
  json.begin_object().key("s").value("a\"b\\c\n\x01").key("n").value(int64_t{-3}).end_object();
  CHECK(json.str() == R"({"s":"a\"b\\c\n\u0001","n":-3})");
}

TEST_CASE("fixed3 writes what printf's %.3f writes") {
  for (const double v : {0.0, 0.0005, 0.0015, 1.0, 2.5, 12.3456, 0.9995, 999.99951, 1e9 + 0.25}) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    CHECK(fixed3(v) == buf);
  }
  // Evaluation times as the clock gives them: a spread of small values.
  for (int i = 0; i < 100'000; ++i) {
    const double v = i * 0.0001237;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    REQUIRE(fixed3(v) == buf);
  }
}

TEST_CASE("append_json_string escapes every byte that needs it, at any place in a long text") {
  // The plain runs are found 8 bytes at a time; each byte value is put at each place of a block.
  const auto reference = [](std::string_view text) {
    std::string out = "\"";
    for (const char ch : text) {
      const auto c = static_cast<unsigned char>(ch);
      char buf[8];
      if (c == '"' || c == '\\') {
        out += '\\';
        out += ch;
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\b') {
        out += "\\b";
      } else if (c == '\f') {
        out += "\\f";
      } else if (c < 0x20) {
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += ch;
      }
    }
    return out + "\"";
  };
  for (int byte = 0; byte < 256; ++byte) {
    for (std::size_t at = 0; at < 19; ++at) {
      std::string text(19, 'a');
      text[at] = static_cast<char>(byte);
      std::string out = "x";
      append_json_string(out, text);
      INFO("byte " << byte << " at " << at);
      REQUIRE(out == "x" + reference(text));
    }
  }
}
