// The shell analysis beyond the table: structured fields, options, bounds, parse errors, decoders.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "normalise/shell/analysis.hpp"
#include "normalise/shell/decode.hpp"
#include "normalise/shell/embedded.hpp"

using namespace vectimus::shell;

namespace {
bool has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}
}  // namespace

TEST_CASE("shell: a simple command's fields", "[shell]") {
  Analysis a = analyse("FOO=1 sudo -u root /usr/bin/rm -rf -- ~/x '-y' > /dev/null 2>&1");
  REQUIRE(a.commands.size() == 1);
  const SimpleCommand& c = a.commands[0];
  CHECK(c.program == "rm");
  CHECK(c.argv == std::vector<std::string>{"/usr/bin/rm", "-rf", "--", "/home/user/x", "-y"});
  CHECK(c.flags == std::vector<std::string>{"f", "r"});
  CHECK(c.args == std::vector<std::string>{"/home/user/x", "~/x", "-y"});
  CHECK(c.assignments == std::vector<std::string>{"FOO=1"});
  CHECK(c.launchers == std::vector<std::string>{"sudo"});
  CHECK(c.provenance == Provenance::top_level);
  CHECK(c.canonical() == "rm -rf -- /home/user/x -y");
  REQUIRE(c.redirections.size() == 2);
  CHECK(c.redirections[0].fd == 1);
  CHECK(c.redirections[0].op == ">");
  CHECK(c.redirections[0].target == "/dev/null");
  CHECK(c.redirections[1].fd == 2);
  CHECK(c.redirections[1].op == ">&");
  CHECK(c.redirections[1].target == "1");
  CHECK(c.unresolved.empty());
  CHECK(a.unresolved.empty());
  CHECK(a.error.empty());
}

TEST_CASE("shell: redirection targets keep the written form beside the resolved one", "[shell]") {
  Analysis a = analyse("echo hi >> ~/.bashrc");
  REQUIRE(a.commands.size() == 1);
  REQUIRE(a.commands[0].redirections.size() == 1);
  CHECK(a.commands[0].redirections[0].target == "/home/user/.bashrc");
  CHECK(a.commands[0].redirections[0].raw == "~/.bashrc");
}

TEST_CASE("shell: heredoc bodies are kept, expanded when the delimiter is unquoted", "[shell]") {
  Analysis a = analyse("cat <<EOF\nhome=$HOME\nEOF\ncat <<'EOF'\nhome=$HOME\nEOF");
  REQUIRE(a.commands.size() == 2);
  CHECK(a.commands[0].redirections[0].body == "home=/home/user\n");
  CHECK(a.commands[1].redirections[0].body == "home=$HOME\n");
}

TEST_CASE("shell: the home directory is an option", "[shell]") {
  Options o;
  o.home = "/Users/ana";
  Analysis a = analyse("rm -rf ~ $HOME", o);
  REQUIRE(a.commands.size() == 1);
  CHECK(a.commands[0].args == std::vector<std::string>{"/Users/ana", "~", "/Users/ana", "$HOME"});
}

TEST_CASE("shell: interpreter one-liners expose language and code", "[shell]") {
  Analysis a = analyse("python3 -c 'import shutil; shutil.rmtree(\"/\")'");
  REQUIRE(a.commands.size() == 1);
  CHECK(a.commands[0].language == "python");
  CHECK(a.commands[0].code == "import shutil; shutil.rmtree(\"/\")");
}

TEST_CASE("shell: whole-input codes are the union of every command's", "[shell]") {
  Analysis a = analyse("ls | xargs rm; $CMD x; echo $Y");
  CHECK(a.unresolved ==
        std::vector<std::string>{"dynamic-program", "non-constant-expansion", "piped-input"});
}

TEST_CASE("shell: a 64 KiB command is analysed within its bounds", "[shell][bounds]") {
  std::string command;
  std::size_t n = 0;
  while (command.size() < 64 * 1024) {
    command += "rm -rf /tmp/dir" + std::to_string(n++) + "; ";
  }
  auto start = std::chrono::steady_clock::now();
  Analysis a = analyse(command);
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(a.commands.size() == n);
  CHECK(a.unresolved.empty());
  // Catches a blow-up, not a slow machine: about 0.07 s when quiet, seventy times under this.
  CHECK(elapsed < std::chrono::seconds(5));

  Analysis word = analyse("echo " + std::string(64 * 1024, 'a'));
  REQUIRE(word.commands.size() == 1);
  CHECK(word.commands[0].args[0].size() == 64 * 1024);
}

TEST_CASE("shell: deep nesting stops at the depth limit", "[shell][bounds]") {
  for (auto [open, close] : {std::pair{"$(", ")"},
                             {"( ", " )"},
                             {"{ ", "; }"},
                             {"${x:-", "}"},
                             {"\"$(", ")\""},
                             {"$((", "))"},
                             {"<(", ")"},
                             {"if ", "; then :; fi"}}) {
    std::string command = repeat(open, 1000) + "rm -rf /" + repeat(close, 1000);
    INFO(open);
    Analysis a = analyse(command);
    CHECK(has(a.unresolved, "depth-limit"));
    CHECK(!a.error.empty());
  }
}

TEST_CASE("shell: bodies within bodies stop at the re-parse limit", "[shell][bounds]") {
  std::string body = "rm -rf /";
  for (int i = 0; i < 9; ++i) {  // 9 levels of quoting fit in max_bytes; 8 are allowed
    std::string quoted;
    for (char c : body) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    body = "sh -c '" + quoted + "'";
  }
  Analysis a = analyse(body);
  CHECK(has(a.unresolved, "depth-limit"));
  Analysis evals = analyse(repeat("eval ", 100) + "ls");
  CHECK(has(evals.unresolved, "depth-limit"));
}

TEST_CASE("shell: inputs over a bound give over-bound, not a hang", "[shell][bounds]") {
  Options small;
  small.max_bytes = 16;
  Analysis a = analyse("rm -rf /tmp/a-long-path", small);
  CHECK(a.commands.empty());
  CHECK(a.unresolved == std::vector<std::string>{"over-bound"});

  Options few;
  few.max_commands = 3;
  Analysis b = analyse("a; b; c; d; e", few);
  CHECK(b.commands.size() == 3);
  CHECK(has(b.unresolved, "over-bound"));

  CHECK(has(analyse(repeat("{a,b}", 30)).unresolved, "over-bound"));   // brace bomb
  CHECK(has(analyse("echo {1..99999999}").unresolved, "over-bound"));  // huge sequence
  CHECK(has(analyse("x=ab; " + repeat("x=$x$x; ", 40) + "echo $x").unresolved, "over-bound"));
  CHECK(!analyse(repeat("sudo ", 10000) + "ls").commands.empty());  // linear chain
}

TEST_CASE("shell: parse errors are reported with what was parsed before them", "[shell][errors]") {
  for (const char* bad :
       {"echo 'open", "echo \"open", "echo $(ls", "echo `ls", "echo ${x", "( ls", "{ ls;", "ls )",
        "ls |", "&& ls", "if true; then ls", "case x in a) ls", "for x in a; do ls", "echo $'abc",
        "ls >", "f() {", "echo ${}", "ls ;; ls", "while true; do ls; fi"}) {
    INFO(bad);
    Analysis a = analyse(bad);
    CHECK(has(a.unresolved, "parse-error"));
    CHECK(!a.error.empty());
  }
  Analysis body = analyse("bash -c 'rm -rf / ('");
  REQUIRE(!body.commands.empty());
  CHECK(has(body.commands[0].unresolved, "parse-error"));
}

TEST_CASE("shell: ANSI-C quoting decodes exactly", "[shell][decode]") {
  CHECK(ansi_c_decode("\\x72m") == "rm");
  CHECK(ansi_c_decode("\\162\\155") == "rm");
  CHECK(ansi_c_decode("a\\nb\\tc") == "a\nb\tc");
  CHECK(ansi_c_decode("\\u00e9") == "\xc3\xa9");
  CHECK(ansi_c_decode("\\U0001F600") == "\xf0\x9f\x98\x80");
  CHECK(ansi_c_decode("\\'\\\"\\?\\\\") == "'\"?\\");
  CHECK(ansi_c_decode("\\cA") == "\x01");
  CHECK(ansi_c_decode("\\e[0m") == "\x1b[0m");
  CHECK(ansi_c_decode("\\q") == "\\q");
  CHECK(ansi_c_decode("\\xZZ") == "\\xZZ");
  CHECK(ansi_c_decode("ab\\0cd") == "ab");  // NUL ends the string, as in bash
}

TEST_CASE("shell: decoders for constant text piped into shells", "[shell][decode]") {
  CHECK(base64_decode("cm0gLXJmIC8=") == std::optional<std::string>("rm -rf /"));
  CHECK(base64_decode("cm0g\nLXJm IC8=") == std::optional<std::string>("rm -rf /"));
  CHECK(!base64_decode("not base64!"));
  CHECK(hex_decode("726d202d7266202f") == std::optional<std::string>("rm -rf /"));
  CHECK(!hex_decode("zz"));
  CHECK(printf_format("%s -rf %s\\n", {"rm", "/"}) == std::optional<std::string>("rm -rf /\n"));
  CHECK(printf_format("%s\\n", {"a", "b"}) == std::optional<std::string>("a\nb\n"));
  CHECK(printf_format("\\x72\\155", {}) == std::optional<std::string>("rm"));
  CHECK(printf_format("100%%", {}) == std::optional<std::string>("100%"));
  CHECK(!printf_format("%q", {"x"}));
  bool stopped = false;
  CHECK(echo_decode("a\\0101\\x42\\cdropped", stopped) == "aAB");
  CHECK(stopped);
  // tr: ranges, rot13, SET2 padded with its last character, escapes; classes are not modelled.
  CHECK(tr_translate("ez -es /", "A-Za-z", "N-ZA-Mn-za-m") ==
        std::optional<std::string>("rm -rf /"));
  CHECK(tr_translate("abc", "a-c", "x") == std::optional<std::string>("xxx"));
  CHECK(tr_translate("a_b", "_", "\\n") == std::optional<std::string>("a\nb"));
  CHECK(!tr_translate("abc", "[:lower:]", "[:upper:]"));
  CHECK(!tr_translate("abc", "z-a", "a-z"));
  CHECK(rev_lines("/ fr- mr\nsl\n") == "rm -rf /\nls\n");
}

TEST_CASE("shell: commands embedded in interpreter code", "[shell][embedded]") {
  using vectimus::shell::embedded_commands;
  auto texts = [](std::string_view language, std::string_view code) {
    std::vector<std::string> out;
    for (const auto& e : embedded_commands(language, code))
      out.push_back(e.constant ? e.text : std::string("<dynamic>") + (e.piped ? "|" : ""));
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(texts("python", "import os; os.system('ls -la')") == V{"ls -la"});
  CHECK(texts("python", "subprocess.run(['rm', '-rf', '/'], check=True)") == V{"'rm' '-rf' '/'"});
  CHECK(texts("python", "os.system(cmd)") == V{"<dynamic>"});
  CHECK(texts("python", "os.system(f'rm {x}')") == V{"<dynamic>"});
  CHECK(texts("python", "os.system('rm ' + x)") == V{"<dynamic>"});
  CHECK(texts("python", "platform.system(); asyncio.run(main())").empty());
  CHECK(texts("python", "print('os.system(x)')").empty());
  CHECK(texts("perl", "system 'a', 'b'; `c`; qx{d}; qx(e $x)") ==
        V{"'a' 'b'", "c", "d", "<dynamic>"});
  CHECK(texts("perl", "open(my $f, 'ls |')") == V{"ls "});
  CHECK(texts("ruby", "%x(a); `b #{c}`; IO.popen('d')") == V{"a", "<dynamic>", "d"});
  CHECK(texts("javascript", "cp.execSync(`a ${b}`); /x/.exec(s); exec('c')") ==
        V{"<dynamic>", "c"});
  CHECK(texts("php", "shell_exec(\"a $b\"); system('c');") == V{"<dynamic>", "c"});
  CHECK(texts("awk", "{ print | \"sh\" } { \"date\" | getline d }") == V{"sh", "date"});
  CHECK(embedded_commands("awk", "{ print | \"sh\" }")[0].piped);
  CHECK(embedded_commands("python", std::string(1000, 'x') + "os.system('a')", 0).empty());
}

namespace {
// Single-quotes `s` for a POSIX shell.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// `rm -rf /` reached through `levels` of one mechanism, for the bound tests here and in
// tests/engine and tests/cli (which have copies: each test binary links only its own folder).
std::string nested(std::string_view how, int levels) {
  std::string body = "rm -rf /";
  if (how == "bash -c" || how == "eval") {
    for (int i = 0; i < levels; ++i) body = std::string(how) + " " + quoted(body);
  } else if (how == "$(") {
    body = "echo " + repeat("$(", levels) + body + repeat(")", levels);
  } else if (how == "`") {
    body = "echo `" + repeat("$(", levels) + body + repeat(")", levels) + "`";
  } else if (how == "heredoc") {
    for (int i = levels; i > 0; --i) {
      const std::string end = "E" + std::to_string(i);
      body = "bash <<'" + end + "'\n" + body + "\n" + end;
    }
  } else if (how == "padded") {  // a line of `levels` bytes
    const std::string tail = " ; rm -rf /";
    body = "echo " + std::string(static_cast<std::size_t>(levels) - 5 - tail.size(), 'a') + tail;
  }
  return body;
}

}  // namespace

namespace {
bool runs_rm_root(const Analysis& a) {
  return std::any_of(a.commands.begin(), a.commands.end(),
                     [](const SimpleCommand& c) { return c.canonical() == "rm -rf /"; });
}
}  // namespace

TEST_CASE("shell: each bound is named, and just under it everything is analysed",
          "[shell][bounds]") {
  struct Row {
    const char* how;
    int over;  // the first level (bytes for `padded`) that stops at the bound
    std::string_view bound;
  };
  const Options defaults;
  const Row rows[] = {
      {"bash -c", static_cast<int>(defaults.max_reparse), bound::kReparse},
      {"eval", static_cast<int>(defaults.max_reparse), bound::kReparse},
      {"heredoc", static_cast<int>(defaults.max_reparse), bound::kReparse},
      // Each `$(` is two levels of nesting (the substitution and the list inside it).
      {"$(", static_cast<int>(defaults.max_depth / 2), bound::kDepth},
      {"`", static_cast<int>(defaults.max_depth / 2) - 1, bound::kDepth},
      {"padded", static_cast<int>(defaults.max_bytes) + 1, bound::kBytes},
  };
  for (const Row& row : rows) {
    INFO(row.how);
    const Analysis under = analyse(nested(row.how, row.over - 1));
    CHECK(under.bounds.empty());
    CHECK(runs_rm_root(under));
    const Analysis over = analyse(nested(row.how, row.over));
    CHECK(over.bounds == std::vector<std::string>{std::string(row.bound)});
    CHECK_FALSE(runs_rm_root(over));
  }
}

TEST_CASE("shell: the work, count, value and field bounds are named too", "[shell][bounds]") {
  using Bounds = std::vector<std::string>;
  // 200 KB run again through five `bash -c` levels: six parses, over the 1 MiB of work.
  std::string body = "echo " + std::string(200 * 1024, 'a') + "; rm -rf /";
  for (int i = 0; i < 5; ++i) body = "bash -c " + quoted(body);
  CHECK(analyse(body).bounds == Bounds{"max_work"});
  CHECK(analyse(repeat("a\n", 65537)).bounds == Bounds{"max_commands"});
  CHECK(analyse(repeat("a\n", 65536)).bounds.empty());
  const std::string big = "x=" + std::string(40000, 'a') + "; ";
  CHECK(analyse(big + "y=$x$x; echo $y").bounds == Bounds{"max_value"});
  CHECK(analyse(big + "y=$x; echo $y").bounds.empty());
  CHECK(analyse("echo {1..1025}").bounds == Bounds{"max_fields"});
  CHECK(analyse("echo {1..1024}").bounds.empty());
  CHECK(analyse("for i in {1..5000}; do echo $i; done").bounds.empty());  // a loop's words
  // Not bounds: what the analysis could not resolve, or could not parse.
  CHECK(analyse("echo 'unterminated").bounds.empty());
  CHECK(analyse("curl x | sh; $CMD").bounds.empty());
  CHECK(bound_phrase(bound::kBytes) == "is over the 262144-byte analysis bound");
  CHECK(bound_phrase(bound::kReparse) ==
        "runs code within code deeper than the 8-level analysis bound");
}
