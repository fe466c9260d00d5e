// One simple command: expansion, launchers peeled off, facts, bodies run again, constant output.
// See analyser.hpp.
#include <algorithm>

#include "normalise/shell/analyser.hpp"
#include "normalise/shell/decode.hpp"
#include "normalise/shell/programs.hpp"
#include "normalise/shell/sql.hpp"

namespace vectimus::shell {
namespace {

void mark(SimpleCommand& c, std::string_view code) {
  auto it = std::lower_bound(c.unresolved.begin(), c.unresolved.end(), code);
  if (it == c.unresolved.end() || *it != code) c.unresolved.insert(it, std::string(code));
}

void insert_sorted(std::vector<std::string>& set, std::string value) {
  auto it = std::lower_bound(set.begin(), set.end(), value);
  if (it == set.end() || *it != value) set.insert(it, std::move(value));
}

bool all_constant(const std::vector<Field>& fields, std::size_t from = 0) {
  return std::all_of(fields.begin() + static_cast<long>(std::min(from, fields.size())),
                     fields.end(), [](const Field& f) { return f.constant; });
}

std::string join(const std::vector<std::string>& words, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < words.size(); ++i) {
    if (i > from) out += ' ';
    out += words[i];
  }
  return out;
}

Field constant_field(std::string value) {
  Field f;
  f.written = value;
  f.value = std::move(value);
  return f;
}

bool has_flag(const SimpleCommand& c, std::string_view flag) {
  return std::binary_search(c.flags.begin(), c.flags.end(), flag);
}

// `echo / | xargs rm -rf`: xargs's constant input as its command's last arguments (split at
// blanks and newlines); nullopt when the input is not constant or one of xargs's options
// argv[from, to) places, reads or splits it otherwise (-I, -i, -a, -0, -d, -E, -e, -n, -L, -l,
// -s and their long forms).
std::optional<std::vector<Field>> xargs_input(const std::vector<std::string>& argv,
                                              std::size_t from, std::size_t to, const Stdin& in,
                                              std::size_t max) {
  if (!in.constant) return std::nullopt;
  for (std::size_t k = from; k < to && k < argv.size(); ++k) {
    const std::string& o = argv[k];
    if (o.size() < 2 || o[0] != '-') continue;  // an option's value
    if (o[1] == '-') {
      for (std::string_view name :
           {"--replace", "--arg-file", "--null", "--delimiter", "--eof", "--max-"}) {
        if (o.rfind(name, 0) == 0) return std::nullopt;
      }
    } else if (o.find_first_of("IiaedE0nLls", 1) != std::string::npos) {
      return std::nullopt;
    }
  }
  std::vector<Field> words;
  std::string_view text = in.constant->text;
  for (std::size_t k = 0; k < text.size() && words.size() < max;) {
    while (k < text.size() && (text[k] == ' ' || text[k] == '\t' || text[k] == '\n')) ++k;
    std::size_t b = k;
    while (k < text.size() && !(text[k] == ' ' || text[k] == '\t' || text[k] == '\n')) ++k;
    if (k > b) words.push_back(constant_field(std::string(text.substr(b, k - b))));
  }
  return words;
}

// A record's argv, flags and operands from its expanded words. `argv0` replaces argv[0] when a
// launcher set it; from `joined_at` (when not 0) the words are a command another program runs.
void fill_words(SimpleCommand& rec, const std::vector<Field>& fields, const std::string& argv0,
                std::size_t joined_at) {
  const bool words_are_options = single_dash_long_options(rec.program);
  bool operands_only = false;
  bool in_find_exec = false;  // `find -exec CMD ;`: CMD's words belong to CMD's own record
  // echo's and printf's words are text: only echo's leading -n/-e/-E and printf's -v are options
  // (`echo rm -rf /` has no flags).
  const bool is_echo = rec.program == "echo", is_printf = rec.program == "printf";
  rec.argv.reserve(fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const Field& f = fields[i];
    rec.argv.push_back(i == 0 && !argv0.empty() ? argv0 : f.value);
    if (i == 0) continue;
    if (words_are_options && in_find_exec) {
      in_find_exec = f.value != ";" && f.value != "+";
      continue;
    }
    if (words_are_options && is_find_exec(f.value)) {
      insert_sorted(rec.flags, f.value.substr(1));
      in_find_exec = true;
      continue;
    }
    if (!f.constant) mark(rec, code::kNonConstant);
    const std::string& a = f.value;
    if (joined_at != 0 && i >= joined_at) operands_only = true;
    if (is_echo &&
        (a.size() < 2 || a[0] != '-' || a.find_first_not_of("neE", 1) != std::string::npos))
      operands_only = true;
    if (is_printf && !(i == 1 && a == "-v")) operands_only = operands_only || i > 1 || a != "--";
    if (!operands_only && a == "--") {
      operands_only = true;
      continue;
    }
    if (!operands_only && f.constant && a.size() > 1 && a[0] == '-') {
      if (a[1] == '-') {
        std::string name =
            a.substr(2, a.find('=') == std::string::npos ? std::string::npos : a.find('=') - 2);
        if (!name.empty()) insert_sorted(rec.flags, std::move(name));
      } else if (words_are_options) {
        insert_sorted(rec.flags, a.substr(1));
      } else {
        for (std::size_t k = 1; k < a.size(); ++k) insert_sorted(rec.flags, std::string(1, a[k]));
      }
      continue;
    }
    rec.args.push_back(a);
    if (f.home && f.written != a) rec.args.push_back(f.written);
  }
}

}  // namespace

MaybeOutput Analyser::simple(const syntax::Command& c, Scope& scope, Provenance provenance,
                             const Stdin& in) {
  if (stopped_) return std::nullopt;
  Expander expander(options_, scope, substitution(scope));
  SimpleCommand rec;
  rec.provenance = provenance;

  std::vector<std::pair<std::string, std::optional<std::string>>> assigned;
  for (const syntax::Word& w : c.assignments) {
    Field f = expander.single(w);
    if (f.over_bound) {
      mark(rec, code::kOverBound);  // reaches the input's codes below if no command
      hit(bound::kValue);
    }
    rec.assignments.push_back(f.value);
    std::size_t eq = f.written.find('=');
    std::string name = f.written.substr(0, eq);
    bool append = !name.empty() && name.back() == '+';
    if (append) name.pop_back();
    std::optional<std::string> value;
    if (f.constant) value = f.value.substr(std::min(f.value.size(), f.value.find('=') + 1));
    if (append) {
      std::optional<std::string> old = expander.lookup(name);
      value = old && value ? std::optional<std::string>(*old + *value) : std::nullopt;
    }
    assigned.emplace_back(std::move(name), std::move(value));
  }

  std::vector<Field> fields;
  for (const syntax::Word& w : c.words) {
    Expansion e = expander.fields(w);
    if (e.over_bound) {
      mark(rec, code::kOverBound);
      hit(e.bound);
    }
    for (Field& f : e.fields) fields.push_back(std::move(f));
  }

  Stdin stdin_source = in;
  bool stdout_redirected = false;
  for (const syntax::Redirect& r : c.redirects) {
    Redirection out;
    out.fd = r.fd;
    out.op = r.op;
    if (r.heredoc) {
      for (const syntax::Part& p : r.target.parts)
        out.target += p.kind == syntax::Part::Kind::literal ? p.text : std::string(p.raw);
      Field body = expander.single(*r.heredoc);
      out.body = body.value;
      stdin_source = Stdin{
          false, true, false,
          body.constant ? MaybeOutput(Output{body.value, Provenance::heredoc}) : std::nullopt};
    } else {
      Field t = expander.single(r.target);
      out.target = t.value;
      if (t.home && t.written != t.value) out.raw = t.written;
      if (!t.constant) mark(rec, code::kNonConstant);
      if (r.op == "<<<") {
        out.body = t.value + "\n";
        stdin_source =
            Stdin{false, true, false,
                  t.constant ? MaybeOutput(Output{out.body, Provenance::heredoc}) : std::nullopt};
      } else if (r.fd == 0 && (r.op == "<" || r.op == "<&" || r.op == "<>")) {
        stdin_source = Stdin{false, false, true, std::nullopt, t.constant ? t.value : ""};
      } else if ((r.fd == 1 || r.fd == -1) && r.op[0] != '<') {
        stdout_redirected = true;
      }
    }
    rec.redirections.push_back(std::move(out));
  }

  if (fields.empty()) {  // assignments and redirections only
    for (const std::string& c : rec.unresolved) add_code(-1, c);
    for (auto& [name, value] : assigned) scope.vars[name] = std::move(value);
    if (!rec.redirections.empty() && out_.commands.size() < options_.max_commands) {
      out_.commands.push_back(std::move(rec));
    }
    return Output{};
  }
  return run_fields(std::move(rec), std::move(fields), scope, stdin_source, stdout_redirected);
}

MaybeOutput Analyser::run_fields(SimpleCommand rec, std::vector<Field> fields, Scope& scope,
                                 const Stdin& in_, bool stdout_redirected) {
  if (stopped_) return std::nullopt;
  if (out_.commands.size() >= options_.max_commands) {
    stopped_ = true;
    hit(bound::kCommands);
    if (out_.error.empty())
      out_.error = "more than " + std::to_string(options_.max_commands) + " commands";
    add_code(-1, code::kOverBound);
    return std::nullopt;
  }
  Stdin in = in_;
  // Launchers, outermost first. Each turn moves `start` past at least the launcher's own word;
  // the words are only erased once, so a chain of launchers costs linear time.
  // The words as find_launch_target() reads them, made when the first launcher is found.
  std::vector<std::string> argv;
  std::vector<bool> constant;
  bool have_argv = false;
  std::size_t start = 0;
  std::string default_command;     // what the innermost launcher runs when given no command
  std::string argv0;               // argv[0] set by a launcher (`exec -a NAME`)
  std::size_t joined_at = 0;       // where a joined launcher's command words start (`watch`)
  std::vector<Field> piped_words;  // `echo / | xargs rm -rf`: constant input, the last arguments
  while (start < fields.size() && fields[start].constant) {
    std::string name = program_name(fields[start].value);
    if (scope.functions.count(name) || scope.aliases.count(name)) break;
    const Launcher* launcher = find_launcher(name);
    if (!launcher) break;
    if (!have_argv) {
      for (const Field& f : fields) {
        argv.push_back(f.value);
        constant.push_back(f.constant);
      }
      have_argv = true;
    }
    LaunchTarget target = find_launch_target(*launcher, argv, constant, start);
    if (target.index == 0) break;
    // `flock F -c CMD`, `runuser U -c CMD`: a command-line option, not a launched argv.
    if (has_option_commands(name) &&
        !option_commands(
             name, std::vector<std::string>(argv.begin() + static_cast<long>(start), argv.end()))
             .empty()) {
      break;
    }
    if (launcher->joined) {  // `watch CMD...`, `ssh HOST CMD...`: kept, the words run as text
      joined_at = target.index;
      break;
    }
    rec.launchers.push_back(name);
    default_command = target.default_command;
    if (!target.argv0.empty()) argv0 = target.argv0;
    for (std::string& a : target.assignments) rec.assignments.push_back(std::move(a));
    if (launcher->piped_input) {
      rec.provenance = Provenance::xargs;
      if (std::optional<std::vector<Field>> words =
              xargs_input(argv, start + 1, target.index, in, options_.max_fields)) {
        piped_words = std::move(*words);
      } else {
        mark(rec, code::kPipedInput);
      }
      in = Stdin{};  // xargs gives its command /dev/null, not the pipe
    }
    start = std::min(target.index, fields.size());
    if (!target.split_words.empty()) {  // `env -S 'a b'`: the words go before the rest
      fields.erase(fields.begin(), fields.begin() + static_cast<long>(start));
      for (auto it = target.split_words.rbegin(); it != target.split_words.rend(); ++it) {
        fields.insert(fields.begin(), constant_field(*it));
      }
      start = 0;
      argv.clear();
      constant.clear();
      for (const Field& f : fields) {
        argv.push_back(f.value);
        constant.push_back(f.constant);
      }
    }
  }
  fields.erase(fields.begin(), fields.begin() + static_cast<long>(start));
  if (joined_at != 0) joined_at -= start;
  // `ssh HOST -- CMD`: ssh reads options after the host too, and `--` ends them.
  if (joined_at != 0 && joined_at < fields.size() && fields[joined_at].value == "--") ++joined_at;
  if (fields.empty() && !default_command.empty()) fields.push_back(constant_field(default_command));
  if (!fields.empty())
    fields.insert(fields.end(), std::make_move_iterator(piped_words.begin()),
                  std::make_move_iterator(piped_words.end()));
  if (fields.empty()) return Output{};

  rec.program = fields[0].constant ? program_name(fields[0].value) : fields[0].value;
  if (!fields[0].constant) mark(rec, code::kDynamicProgram);
  if (scope.functions.count(rec.program) || scope.aliases.count(rec.program))
    mark(rec, code::kAliasOrFunction);
  fill_words(rec, fields, argv0, joined_at);
  if (all_constant(fields)) {
    if (std::optional<InlineCode> code = inline_code(rec.program, rec.argv)) {
      rec.language = std::move(code->language);
      rec.code = std::move(code->code);
    }
  }
  {
    // Not only when every word is constant: `psql $PROD_URL` still runs the SQL piped into it,
    // and a computed word read as SQL text can only add what it spells, never hide a statement.
    const std::string* piped = in.constant ? &in.constant->text : nullptr;
    if (std::optional<std::string> sql = sql_text(rec.program, rec.argv, piped)) {
      rec.sql = normalise_sql(*sql);
    }
  }
  if (std::optional<std::size_t> at = script_operand(rec.program, rec.argv);
      at && *at < fields.size() && fields[*at].constant) {
    rec.script = fields[*at].value;  // argv[0] as expanded, not as `exec -a` renamed it
  }
  const long index = static_cast<long>(out_.commands.size());
  out_.commands.push_back(std::move(rec));
  run_bodies(index, fields, scope, in);
  if (joined_at != 0 && joined_at < fields.size()) {
    if (all_constant(fields, joined_at))
      run_command_line(index, join(out_.commands[static_cast<std::size_t>(index)].argv, joined_at));
    else
      add_code(index, code::kDynamicBody);
  }
  track_downloads(index);
  const SimpleCommand& done = out_.commands[static_cast<std::size_t>(index)];
  update_variables(done, fields, scope);
  if (stdout_redirected) return std::nullopt;
  return constant_output(out_.commands[static_cast<std::size_t>(index)], fields, in);
}

void Analyser::run_bodies(long index, const std::vector<Field>& fields, Scope& scope,
                          const Stdin& in) {
  if (!fields[0].constant) return;
  run_runners(index, fields, in);
  {
    // Most commands run no body: leave before copying anything.
    const std::string_view p = out_.commands[static_cast<std::size_t>(index)].program;
    if (!is_shell(p) && p != "eval" && p != "source" && p != "." && p != "find" &&
        scope.aliases.find(p) == scope.aliases.end()) {
      return;
    }
  }
  // Copies: running a body appends commands and may move the vector.
  const std::string program = out_.commands[static_cast<std::size_t>(index)].program;
  const std::vector<std::string> argv = out_.commands[static_cast<std::size_t>(index)].argv;
  if (is_shell(program)) {
    std::optional<ShellInvocation> run = shell_invocation(program, argv);
    if (!run) return;
    if (run->kind == ShellInvocation::Kind::c_body) {
      if (!fields[run->index].constant) return add_code(index, code::kDynamicBody);
      Scope fresh;  // a new shell: only the environment, which the analysis does not know
      // The words after the string are $0, $1, ...: `sh -c '$0 -rf /' rm` runs rm.
      for (std::size_t k = run->index + 1; k < argv.size() && k - run->index - 1 < 10; ++k) {
        fresh.vars[std::to_string(k - run->index - 1)] =
            fields[k].constant ? std::optional<std::string>(argv[k]) : std::nullopt;
      }
      return run_text(argv[run->index], Provenance::c_body, fresh, index);
    }
    if (run->kind == ShellInvocation::Kind::script) {
      return add_code(index, fields[run->index].constant ? code::kScriptFile : code::kDynamicBody);
    }
    if (in.constant) {
      Scope fresh;
      return run_text(in.constant->text, in.constant->via, fresh, index);
    }
    if (in.piped || in.heredoc) return add_code(index, code::kDynamicBody);
    if (in.file && in.file_name.empty()) return add_code(index, code::kDynamicBody);  // `< <(curl)`
    if (in.file) {  // `bash < x.sh` runs x.sh as surely as `bash x.sh`
      out_.commands[static_cast<std::size_t>(index)].script = in.file_name;
      return add_code(index, code::kScriptFile);
    }
    return;
  }
  if (program == "eval") {
    std::size_t from = argv.size() > 1 && argv[1] == "--" ? 2 : 1;
    if (!all_constant(fields, from)) return add_code(index, code::kDynamicBody);
    return run_text(join(argv, from), Provenance::eval, scope, index);
  }
  if (program == "source" || program == ".") {
    return add_code(index, all_constant(fields) ? code::kScriptFile : code::kDynamicBody);
  }
  if (program == "find")
    return find_commands(index, out_.commands[static_cast<std::size_t>(index)], fields, scope);
  if (auto alias = scope.aliases.find(program); alias != scope.aliases.end()) {
    // Non-interactive bash does not expand aliases, but a policy should see what one would run.
    // As in bash, an alias is not expanded again inside its own body (`alias rm='rm -i'`).
    std::string text = alias->second + " " + join(argv, 1);
    std::string name = alias->first, value = alias->second;
    scope.aliases.erase(alias);
    run_text(text, Provenance::eval, scope, index);
    scope.aliases.emplace(std::move(name), std::move(value));
  }
}

void Analyser::find_commands(long index, const SimpleCommand& find_in,
                             const std::vector<Field>& fields, Scope& scope) {
  if (walk_depth_ >= options_.max_depth) {
    hit(bound::kDepth);
    return add_code(index, code::kDepthLimit);
  }
  ++walk_depth_;  // `find -exec find -exec ...` recurses once per level
  const std::vector<std::string> launchers = find_in.launchers;
  const std::vector<std::string> argv = find_in.argv;
  std::size_t i = 1;
  while (i < argv.size() && (argv[i] == "-H" || argv[i] == "-L" || argv[i] == "-P" ||
                             argv[i].rfind("-O", 0) == 0 || argv[i] == "-D")) {
    i += argv[i] == "-D" ? 2 : 1;
  }
  std::vector<Field> roots;
  for (; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if ((!a.empty() && a[0] == '-') || a == "(" || a == "!" || a == ",") break;
    roots.push_back(fields[i]);
  }
  if (roots.empty()) roots.push_back(constant_field("."));
  // Whether every file under the roots is selected so far: only depth and traversal options
  // came before (a test such as `-name` selects some files, and `{}` then stays as written).
  bool whole_tree = true;
  for (; i < argv.size() && !stopped_; ++i) {
    if (argv[i] == "-maxdepth" || argv[i] == "-mindepth") {
      ++i;
      continue;
    }
    if (!is_find_exec(argv[i]) && argv[i] != "-depth" && argv[i] != "-xdev" &&
        argv[i] != "-mount" && argv[i] != "-follow") {
      whole_tree = false;
    }
    SimpleCommand child;
    child.provenance = Provenance::find_exec;
    child.launchers = launchers;
    child.launchers.push_back("find");
    if (is_find_exec(argv[i])) {
      std::size_t end = i + 1;
      while (end < argv.size() && argv[end] != ";" && argv[end] != "+") ++end;
      // `{}` stands for each file found, the roots first: `find / -exec rm -rf {} +` removes /.
      std::vector<Field> sub;
      for (std::size_t k = i + 1; k < end; ++k) {
        if (whole_tree && argv[i] == "-exec" && fields[k].constant && fields[k].value == "{}" &&
            sub.size() + roots.size() < 4096)
          sub.insert(sub.end(), roots.begin(), roots.end());
        else
          sub.push_back(fields[k]);
      }
      if (!sub.empty()) run_fields(std::move(child), std::move(sub), scope, Stdin{}, true);
      i = end;
    } else if (argv[i] == "-delete") {
      std::vector<Field> sub{constant_field("rm"), constant_field("-rf")};
      sub.insert(sub.end(), roots.begin(), roots.end());
      run_fields(std::move(child), std::move(sub), scope, Stdin{}, true);
    }
  }
  --walk_depth_;
}

void Analyser::update_variables(const SimpleCommand& c, const std::vector<Field>& fields,
                                Scope& scope) {
  // A string_view compares its length before its bytes; std::string == "literal" calls strlen
  // and compare for every literal.
  const std::string_view p = c.program;
  const bool declares =
      p == "export" || p == "declare" || p == "typeset" || p == "local" || p == "readonly";
  if (!declares && p != "unset" && p != "read" && p != "mapfile" && p != "readarray" &&
      p != "getopts" && p != "alias" && p != "unalias" && p != "printf") {
    return;  // changes no variable, function or alias
  }
  for (std::size_t i = 1; i < c.argv.size() && i < fields.size(); ++i) {
    const std::string& a = c.argv[i];
    if (a.empty() || a[0] == '-') continue;
    std::size_t eq = a.find('=');
    std::string name = a.substr(0, eq);
    if (declares && eq != std::string::npos) {
      scope.vars[name] =
          fields[i].constant ? std::optional<std::string>(a.substr(eq + 1)) : std::nullopt;
    } else if (p == "unset") {
      scope.vars[name] = std::string();
      scope.functions.erase(name);
    } else if (p == "read" || p == "mapfile" || p == "readarray" || p == "getopts") {
      scope.vars[name] = std::nullopt;
    } else if (p == "alias" && eq != std::string::npos) {
      scope.aliases[name] = a.substr(eq + 1);
    } else if (p == "unalias") {
      scope.aliases.erase(name);
    }
  }
  if (p == "printf" && c.argv.size() > 2 && c.argv[1] == "-v") scope.vars[c.argv[2]] = std::nullopt;
}

MaybeOutput Analyser::constant_output(const SimpleCommand& c, const std::vector<Field>& fields,
                                      const Stdin& in) {
  if (!all_constant(fields)) return std::nullopt;
  const std::string_view p = c.program;
  const std::vector<std::string>& argv = c.argv;
  if (p == "echo") {
    std::size_t i = 1;
    bool newline = true, escapes = false;
    while (i < argv.size() && argv[i].size() > 1 && argv[i][0] == '-' &&
           argv[i].find_first_not_of("neE", 1) == std::string::npos) {
      for (char ch : argv[i].substr(1)) {
        if (ch == 'n')
          newline = false;
        else
          escapes = ch == 'e';
      }
      ++i;
    }
    std::string text = join(argv, i);
    bool stopped = false;
    if (escapes) text = echo_decode(text, stopped);
    if (newline && !stopped) text += '\n';
    if (text.size() > options_.max_value) return std::nullopt;
    return Output{text};
  }
  if (p == "printf") {
    std::size_t i = argv.size() > 1 && argv[1] == "--" ? 2 : 1;
    if (i >= argv.size() || argv[i] == "-v") return std::nullopt;
    std::vector<std::string> args(argv.begin() + static_cast<long>(i + 1), argv.end());
    std::optional<std::string> text = printf_format(argv[i], args);
    if (!text || text->size() > options_.max_value) return std::nullopt;
    return Output{*text};
  }
  if (p == "true" || p == ":" || p == "false") return Output{};
  // Text transformed on its way to a shell: rot13 and the like (`tr SET1 SET2`), `rev`.
  if (p == "tr" && in.constant && c.flags.empty() && c.args.size() == 2) {
    std::optional<std::string> text = tr_translate(in.constant->text, c.args[0], c.args[1]);
    if (!text) return std::nullopt;
    return Output{*text, Provenance::decoded};
  }
  if (p == "rev" && in.constant && c.args.empty() && c.flags.empty())
    return Output{rev_lines(in.constant->text), Provenance::decoded};
  const bool reads_stdin =
      std::all_of(c.args.begin(), c.args.end(), [](const std::string& a) { return a == "-"; });
  if (!reads_stdin || !in.constant) return std::nullopt;
  if (p == "cat" && (c.flags.empty() || (c.flags.size() == 1 && c.flags[0] == "u")))
    return in.constant;
  if (p == "base64" && (has_flag(c, "d") || has_flag(c, "D") || has_flag(c, "decode"))) {
    std::optional<std::string> text = base64_decode(in.constant->text);
    if (!text) return std::nullopt;
    return Output{*text, Provenance::decoded};
  }
  if (p == "xxd" && has_flag(c, "r") && has_flag(c, "p")) {
    std::optional<std::string> text = hex_decode(in.constant->text);
    if (!text) return std::nullopt;
    return Output{*text, Provenance::decoded};
  }
  return std::nullopt;
}

}  // namespace vectimus::shell
