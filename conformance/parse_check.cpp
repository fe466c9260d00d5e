// vectimus_parse_check: our parser's verdict on many policy texts, for conformance/parse.js.
//
// Input on stdin, repeated until end of input: a decimal byte count, a newline, then exactly that
// many bytes of policy text (so any text, with any bytes, is framed safely). Output on stdout:
// one line per text, `accept` or `reject <code>` with the first diagnostic's code
// ("syntax", "unsupported", "limit", ...). Exit 0 unless the input framing is broken.
#include <exception>
#include <iostream>
#include <string>

#include "grammar/parse.hpp"

int main() {
  std::ios::sync_with_stdio(false);
  std::string header;
  size_t index = 0;
  while (std::getline(std::cin, header)) {
    size_t length = 0;
    try {
      length = std::stoul(header);
    } catch (const std::exception&) {
      std::cerr << "parse_check: bad length line `" << header << "` for text " << index << '\n';
      return 2;
    }
    std::string text(length, '\0');
    if (!std::cin.read(text.data(), static_cast<std::streamsize>(length))) {
      std::cerr << "parse_check: text " << index << " is shorter than its length\n";
      return 2;
    }
    try {
      auto parsed = vectimus::grammar::parse_policies(
          vectimus::make_source("text" + std::to_string(index), std::move(text)));
      if (parsed.ok()) {
        std::cout << "accept\n";
      } else {
        const std::string& code = parsed.errors().front().code;
        std::cout << "reject " << (code.empty() ? "?" : code) << '\n';
      }
    } catch (const std::exception& e) {
      std::cout << "reject exception\n";  // a bug: no exception may cross the grammar's API
    }
    std::cout.flush();
    ++index;
  }
  return 0;
}
