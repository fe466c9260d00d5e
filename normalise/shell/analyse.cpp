// Lists, pipelines and compound commands; bodies run again; bounds. See analyser.hpp.
#include <algorithm>

#include "normalise/shell/analyser.hpp"

namespace vectimus::shell {

std::string_view provenance_name(Provenance p) {
  switch (p) {
    case Provenance::top_level: return "top";
    case Provenance::pipeline: return "pipe";
    case Provenance::substitution: return "subst";
    case Provenance::c_body: return "c";
    case Provenance::eval: return "eval";
    case Provenance::heredoc: return "heredoc";
    case Provenance::decoded: return "decoded";
    case Provenance::xargs: return "xargs";
    case Provenance::find_exec: return "find";
  }
  return "?";
}

void Analyser::add_code(long index, std::string_view code) {
  codes_.emplace(code);
  if (index < 0 || static_cast<std::size_t>(index) >= out_.commands.size()) return;
  std::vector<std::string>& codes = out_.commands[static_cast<std::size_t>(index)].unresolved;
  auto it = std::lower_bound(codes.begin(), codes.end(), code);
  if (it == codes.end() || *it != code) codes.insert(it, std::string(code));
}

void Analyser::hit(std::string_view bound) {
  bounds_.emplace(bound);
}

void Analyser::finish() {
  for (const SimpleCommand& c : out_.commands)
    codes_.insert(c.unresolved.begin(), c.unresolved.end());
  out_.unresolved.assign(codes_.begin(), codes_.end());
  out_.bounds.assign(bounds_.begin(), bounds_.end());
}

std::string bound_phrase(std::string_view bound, const Options& o) {
  auto n = [](std::size_t v) { return std::to_string(v); };
  if (bound == bound::kBytes) return "is over the " + n(o.max_bytes) + "-byte analysis bound";
  if (bound == bound::kDepth)
    return "nests deeper than the " + n(o.max_depth) + "-level analysis bound";
  if (bound == bound::kReparse)
    return "runs code within code deeper than the " + n(o.max_reparse) + "-level analysis bound";
  if (bound == bound::kWork)
    return "needs more than the " + n(o.max_work) + "-byte analysis work bound";
  if (bound == bound::kCommands)
    return "runs more than the " + n(o.max_commands) + "-command analysis bound";
  if (bound == bound::kValue)
    return "builds a value over the " + n(o.max_value) + "-byte analysis bound";
  if (bound == bound::kFields)
    return "expands to more than the " + n(o.max_fields) + "-word analysis bound";
  return "is over the analysis bound " + std::string(bound);
}

void Analyser::run_text(std::string_view text, Provenance provenance, Scope& scope, long carrier) {
  if (stopped_) return;
  if (reparse_depth_ >= options_.max_reparse) {
    hit(bound::kReparse);
    if (out_.error.empty())
      out_.error = "bodies nested deeper than " + std::to_string(options_.max_reparse);
    return add_code(carrier, code::kDepthLimit);
  }
  work_ += text.size();
  if (work_ > options_.max_work) {
    hit(bound::kWork);
    if (out_.error.empty())
      out_.error = "more than " + std::to_string(options_.max_work) + " bytes to analyse";
    stopped_ = true;
    return add_code(carrier, code::kOverBound);
  }
  syntax::ParseResult parsed;
  // Nesting is counted across bodies too, so the total stack depth stays bounded.
  std::size_t room = options_.max_depth > walk_depth_ ? options_.max_depth - walk_depth_ : 1;
  syntax::parse(text, syntax::ParseLimits{room}, parsed);
  ++reparse_depth_;
  list(parsed.root, scope, provenance);
  --reparse_depth_;
  if (!parsed.error.empty()) {
    if (parsed.depth_limit) hit(bound::kDepth);
    if (out_.error.empty()) out_.error = parsed.error;
    add_code(carrier, parsed.depth_limit ? code::kDepthLimit : code::kParseError);
  }
}

MaybeOutput Analyser::list(const syntax::List& list, Scope& scope, Provenance provenance) {
  if (stopped_) return std::nullopt;
  if (++walk_depth_ > options_.max_depth) {
    --walk_depth_;
    hit(bound::kDepth);
    add_code(-1, code::kDepthLimit);
    return std::nullopt;
  }
  MaybeOutput all = Output{};
  for (const syntax::Pipeline& p : list.pipelines) {
    MaybeOutput one = pipeline(p, scope, provenance);
    if (all && one && all->text.size() + one->text.size() <= options_.max_value) {
      all->text += one->text;
      if (one->via != Provenance::pipeline) all->via = one->via;
    } else {
      all.reset();
    }
  }
  --walk_depth_;
  return all;
}

MaybeOutput Analyser::pipeline(const syntax::Pipeline& pipeline, Scope& scope,
                               Provenance provenance) {
  const bool multi = pipeline.commands.size() > 1;
  if (multi && provenance == Provenance::top_level) provenance = Provenance::pipeline;
  Stdin in;
  MaybeOutput last;
  for (const syntax::Command& c : pipeline.commands) {
    if (stopped_) return std::nullopt;
    if (multi) {
      Scope stage = scope;  // each stage of a pipeline runs in a subshell
      last = command(c, stage, provenance, in);
    } else {
      last = command(c, scope, provenance, in);
    }
    in = Stdin{true, false, false, last};
  }
  return last;
}

MaybeOutput Analyser::command(const syntax::Command& c, Scope& scope, Provenance provenance,
                              const Stdin& in) {
  using Kind = syntax::Command::Kind;
  if (c.kind == Kind::simple) return simple(c, scope, provenance, in);
  Expander expander(options_, scope, substitution(scope));
  MaybeOutput result;
  if (c.kind == Kind::function) {
    scope.functions.insert(c.name);
    Scope body = scope;
    if (c.body) list(*c.body, body, provenance);
    result = Output{};
  } else {
    for (const syntax::Word& w : c.words)
      expander.fields(w);                                    // for-lists, case words: substitutions
    if (!c.name.empty()) scope.vars[c.name] = std::nullopt;  // a loop variable is not constant
    if (c.body) {
      if (c.subshell) {
        Scope inner = scope;
        result = list(*c.body, inner, provenance);
      } else {
        result = list(*c.body, scope, provenance);
      }
    }
    if (c.kind == Kind::compound) result.reset();  // loops and conditions: output not modelled
  }
  for (const syntax::Redirect& r : c.redirects) {
    expander.single(r.target);
    if (r.heredoc) expander.single(*r.heredoc);
    if (r.op != "<" && r.op != "<&" && r.op != "<<" && r.op != "<<-" && r.op != "<<<")
      result.reset();
  }
  return result;
}

Substitute Analyser::substitution(Scope& scope) {
  return [this, &scope](const syntax::List& body) -> std::optional<std::string> {
    Scope inner = scope;  // a substitution runs in a subshell
    MaybeOutput out = list(body, inner, Provenance::substitution);
    if (!out) return std::nullopt;
    return std::move(out->text);
  };
}

Analysis analyse(std::string_view command, const Options& options) {
  Analysis result;
  Analyser analyser(options, result);
  if (command.size() > options.max_bytes) {
    result.error = "command longer than " + std::to_string(options.max_bytes) + " bytes";
    analyser.hit(bound::kBytes);
    analyser.add_code(-1, code::kOverBound);
  } else {
    Scope scope;
    analyser.run_text(command, Provenance::top_level, scope, -1);
  }
  analyser.finish();
  return result;
}

}  // namespace vectimus::shell
