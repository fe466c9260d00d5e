// Content inspection inputs: the scripts a command line runs (from the shell analysis), the lines
// of a text, whether it is a shell script, and each line's analysis.
#include <catch2/catch.hpp>

#include "normalise/content.hpp"

using namespace vectimus::normalise;

TEST_CASE("scripts_run: every script the analysed commands run", "[normalise][content]") {
  auto scripts = [](const char* line) {
    return scripts_run(analyse_command(line, "/home/u"), "/p");
  };
  using Paths = std::vector<std::string>;
  CHECK(scripts("bash x.sh && node /abs/app.js; python -m pip install x") ==
        Paths{"/p/x.sh", "/abs/app.js"});
  CHECK(scripts("/bin/rm -rf / ; ./tools/run ; . ./env.sh") == Paths{"/p/tools/run", "/p/env.sh"});
  CHECK(scripts("node -e 'x' ; python3 -c 'y' ; sh -c z ; cat < a").empty());
  CHECK(scripts("bash - < a; sh < \"$F\"") == Paths{"/p/a"});  // stdin from a file
  CHECK(scripts("sudo sh -e deploy.sh") == Paths{"/p/deploy.sh"});
  // Found wherever the analysis finds a command, which the interim splitter did not.
  CHECK(scripts("bash -c 'python3 x.py'") == Paths{"/p/x.py"});
  CHECK(scripts("echo $(sh x.sh) `ruby y.rb`") == Paths{"/p/x.sh", "/p/y.rb"});
  CHECK(scripts("nohup env A=1 perl -I lib z.pl &") == Paths{"/p/z.pl"});
  CHECK(scripts("deno run -A --allow-net=x main.ts; deno eval 'x'") == Paths{"/p/main.ts"});
  CHECK(scripts("bash ~/bin/up.sh") == Paths{"/home/u/bin/up.sh"});
  CHECK(scripts("find . -name '*.sh' -exec sh ./lint.sh {} +") == Paths{"/p/lint.sh"});
  CHECK(scripts("python3 -u -W ignore tool.py --x y") == Paths{"/p/tool.py"});
  CHECK(scripts("bash \"$SCRIPT\"").empty());  // not constant: nothing to read
}

TEST_CASE("command_lines: neither blank nor comment", "[normalise][content]") {
  const auto lines = command_lines("#!/bin/sh\n\n  # c\n ls -la \r\nrm x");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].number == 4);
  CHECK(lines[0].text == "ls -la");
  CHECK(lines[1].number == 5);
  CHECK(lines[1].text == "rm x");
}

TEST_CASE("is_shell_script: by extension, or a shebang naming a shell", "[normalise][content]") {
  CHECK(is_shell_script("/p/x.sh", "rm x"));
  CHECK(is_shell_script("/p/x.bash", ""));
  CHECK(is_shell_script("/p/x", "#!/bin/sh\nrm x"));
  CHECK(is_shell_script("/p/x", "#!/usr/bin/env bash\n"));
  CHECK(is_shell_script("/p/x", "#! /bin/dash -e\r\n"));
  CHECK(is_shell_script("/p/x", "#!/usr/bin/env -S bash -eu\n"));
  CHECK(is_shell_script("/p/x", "#!/usr/bin/env -i PATH=/bin zsh\n"));
  CHECK_FALSE(is_shell_script("/p/x.py", "#!/usr/bin/env python3\n"));
  CHECK_FALSE(is_shell_script("/p/x", "#!/usr/bin/bashful\n"));
  CHECK_FALSE(is_shell_script("/p/README.md", "run `sh x`\n"));
  CHECK_FALSE(is_shell_script("/p/x", "#!\n"));
}

TEST_CASE("analyse_content: every command line analysed, the shell flag set",
          "[normalise][content]") {
  const AnalysedContent c = analyse_content("/p/x.sh", "# c\nsudo rm -rf ~\n\nls\n", "/h");
  CHECK(c.shell);
  REQUIRE(c.lines.size() == 2);
  CHECK(c.lines[0].line.number == 2);
  CHECK(vectimus::shell::dump(c.lines[0].analysis) == "rm[f,r](/h ~) top <sudo>");
  CHECK(c.lines[1].line.text == "ls");
  CHECK_FALSE(analyse_content("/p/notes.md", "npm install x\n", "/h").shell);
}
