#include "engine/engine.hpp"
#include "engine/context_lint.hpp"
#include "engine/temp_disable.hpp"

#include <algorithm>
#include <iterator>

#include "normalise/content.hpp"
#include "normalise/path.hpp"

namespace vectimus::engine {
namespace {

using normalise::ActionType;

bool runs_commands(ActionType type) {
  return type == ActionType::shell_command || type == ActionType::package_operation ||
         type == ActionType::git_operation || type == ActionType::infrastructure;
}

std::string strip_period(std::string_view text) {
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.remove_suffix(1);
  return std::string(text);
}

// The text of a string attribute of a request's context, or empty.
std::string_view context_text(const PlannedRequest& where, std::string_view key) {
  const interpreter::Value& context = where.request.context;
  if (context.kind() != interpreter::Kind::record) return {};
  const interpreter::Value* value = context.field(key);
  return value != nullptr && value->kind() == interpreter::Kind::string
             ? std::string_view(value->as_string())
             : std::string_view{};
}

// `id (in `rm -rf /`): description. Instead: alternative`, naming the simple command when the
// rule matched one command of a longer line, or the script line when it matched content.
std::string match_phrase(const RuleInfo& rule, const PlannedRequest& where) {
  std::string out(rule.id);
  const std::string_view command = context_text(where, "command");
  if (where.origin == "command" && !command.empty() &&
      command != context_text(where, "raw_command")) {
    out += " (in `" + std::string(command) + "`)";
  }
  if (where.origin == "content") {
    out += where.from_script ? " (in the script `" : " (in the content written to `";
    out += where.content_path + "`, line " + std::to_string(where.content_line) + ")";
  }
  if (!rule.description.empty()) out += ": " + strip_period(rule.description);
  if (!rule.suggested_alternative.empty()) {
    out += ". Instead: " + strip_period(rule.suggested_alternative);
  }
  return out;
}

Verdict verdict_of(Enforcement level) {
  switch (level) {
    case Enforcement::deny: return Verdict::deny;
    case Enforcement::escalate: return Verdict::escalate;
    case Enforcement::observe: return Verdict::allow;
  }
  return Verdict::deny;
}

// The packs' policy set: decoded from the compiled form when only the built-in packs apply
// (the hook's usual case; nothing is parsed), else discovered and parsed.
Result<PolicyPacks> load_packs(const Host& host, const PackSearch& search) {
  if (only_builtin_packs(host, search)) return load_compiled_packs(builtin_compiled_packs());
  auto packs = discover_packs(host, search);
  if (!packs) return std::move(packs).take_errors();
  auto compiled = compile_packs(std::move(packs).value());
  if (!compiled) return compiled;
  // The rules' context reads checked against the normaliser's table. A walk over each rule's
  // conditions, a small fraction of what parsing them just cost, so it runs on every load of
  // user packs; only `vectimus test` shows the result (the hook's stderr is not read by anyone
  // on every call, and a warning must not change a decision).
  const std::vector<ir::Policy>& policies = compiled->set().policies;
  for (size_t i = 0; i < compiled->rules.size(); ++i) {
    if (compiled->packs[compiled->rules[i].pack].location == "built-in") continue;
    Diagnostics found = check_context_reads(policies[i]);
    compiled->warnings.insert(compiled->warnings.end(), std::make_move_iterator(found.begin()),
                              std::make_move_iterator(found.end()));
  }
  return compiled;
}

}  // namespace

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::allow: return "allow";
    case Verdict::escalate: return "escalate";
    case Verdict::deny: return "deny";
  }
  return "deny";
}

std::string rule_phrase(const RuleInfo& rule) {
  return match_phrase(rule, PlannedRequest{});
}

Result<Engine> Engine::load(const Host& host, Locations locations, const EngineOptions& options) {
  Diagnostics errors;
  auto config = load_config(host, locations.config_files);
  if (!config) return std::move(config).take_errors();
  // The pack search depends on config: `[policies] dir` / VECTIMUS_POLICY_DIR do what
  // --policy-dir does, and the flag wins over both.
  if (!locations.packs.policy_dir && config->policy_dir) {
    locations.packs.policy_dir = config->policy_dir;
    const auto origin = config->origins.find(std::string_view("policies.dir"));
    if (origin != config->origins.end()) {
      locations.packs.policy_dir_origin = origin->second.where
                                              ? "`[policies] dir` (" + origin->second.label + ")"
                                              : "`" + origin->second.label + "`";
      locations.packs.policy_dir_where = origin->second.where;
    }
  }
  {
    auto compiled = load_packs(host, locations.packs);
    if (!compiled) {
      errors.insert(errors.end(), compiled.errors().begin(), compiled.errors().end());
    } else if (errors.empty()) {
      Engine engine;
      engine.host_ = &host;
      engine.locations_ = std::move(locations);
      engine.config_ = std::move(config).value();
      engine.packs_ = std::make_shared<const PolicyPacks>(std::move(compiled).value());
      engine.options_ = options;
      const auto& rules = engine.packs_->rules;
      const auto& packs = engine.packs_->packs;
      // `rule disable --for`: one failed open when no rule is disabled for a while.
      const TempDisables temp =
          engine.locations_.project
              ? read_temp_disables(host, *engine.locations_.project,
                                   host.now_ns ? host.now_ns() / 1'000'000'000 : 0)
              : TempDisables{};
      for (uint32_t i = 0; i < rules.size(); ++i) {
        if (engine.config_.rule_disabled(rules[i].id)) continue;
        if (temp.contains(rules[i].id)) continue;
        if (engine.config_.pack_disabled(packs[rules[i].pack].manifest.name)) continue;
        engine.candidates_.push_back(i);
      }
      engine.candidates_.push_back(static_cast<uint32_t>(rules.size()));  // permit-all
      engine.enabled_.assign(rules.size() + 1, false);
      for (const uint32_t i : engine.candidates_) engine.enabled_[i] = true;
      engine.unresolved_ = unresolved_identity(engine.config_);
      engine.unresolved_entities_ = entities_for(engine.unresolved_);
      if (options.use_index) {
        engine.index_ = std::make_shared<LazyIndex>();
        if (options.index_after_requests == 0 || engine.packs_->index) engine.rule_index();
      }
      return engine;
    }
  }
  return errors;
}

Enforcement Engine::enforcement_of(uint32_t rule) const {
  const RuleInfo& info = packs_->rules[rule];
  if (auto it = config_.enforcement.find(info.id); it != config_.enforcement.end()) {
    return it->second;
  }
  if (info.enforcement) return parse_enforcement(*info.enforcement).value_or(Enforcement::deny);
  return Enforcement::deny;
}

bool Engine::rule_enabled(uint32_t rule) const {
  return rule < enabled_.size() && enabled_[rule];
}

interpreter::Entities Engine::entities_for(const Identity& identity) {
  interpreter::Entities entities;
  entities.add(principal_entity(identity));
  entities.finish();
  return entities;
}

const index::PolicyIndex* Engine::rule_index() const {
  if (!index_) return nullptr;
  std::call_once(index_->once, [this] {
    index_->index =
        packs_->index
            ? packs_->index
            : std::make_shared<const index::PolicyIndex>(index::PolicyIndex::build(packs_->set()));
  });
  return index_->index.get();
}

void Engine::evaluate(EvaluatedRequest& request, const interpreter::Entities& entities) const {
  const interpreter::Request& req = request.planned.request;
  interpreter::Response response;
  const index::PolicyIndex* rules = nullptr;
  if (index_ && (packs_->index || index_->evaluated.fetch_add(1, std::memory_order_relaxed) >=
                                      options_.index_after_requests)) {
    rules = rule_index();
  }
  if (rules != nullptr) {
    // Enabled rules (and the permit-all) that the index keeps, ascending.
    std::vector<uint32_t> evaluated = rules->candidates(req, entities);
    std::erase_if(evaluated, [&](uint32_t i) { return !rule_enabled(i); });
    response = interpreter::authorize(packs_->policies->with(evaluated), evaluated, req, entities);
  } else {
    response =
        interpreter::authorize(packs_->policies->with(candidates_), candidates_, req, entities);
  }
  const auto rule_count = static_cast<uint32_t>(packs_->rules.size());
  if (response.decision == interpreter::Decision::deny) {
    for (uint32_t i : response.reasons) {
      if (i < rule_count) request.matched.push_back(i);
    }
  }
  request.errors = response.errors;
}

std::vector<std::string> Engine::inspect_content(const normalise::Event& event,
                                                 const RequestFacts& facts,
                                                 Decision& decision) const {
  const std::size_t limit = config_.content_max_bytes;
  std::vector<std::string> unchecked;
  auto add_lines = [&](const std::string& path, bool from_script, std::string_view text) {
    const normalise::AnalysedContent content = normalise::analyse_content(path, text, facts.home);
    for (const normalise::AnalysedLine& a : content.lines) {
      const normalise::ContentLine& line = a.line;
      EvaluatedRequest r;
      r.planned = request_for_content_line(event, facts, path, from_script, line.number, line.text,
                                           a.analysis);
      decision.requests.push_back(std::move(r));
      // Only a shell script's lines run as written: a bound in prose or source code (a long
      // minified line) stops nothing that would run.
      if (!content.shell) continue;
      for (PlannedRequest& p : requests_for_script_line(event, facts, path, from_script,
                                                        line.number, line.text, a.analysis)) {
        decision.requests.push_back(EvaluatedRequest{std::move(p), {}, {}});
      }
      for (const std::string& bound : a.analysis.bounds) {
        const std::string where = std::string(from_script ? "script " : "content ") + path + ":" +
                                  std::to_string(line.number);
        decision.bounds.push_back(where + ": " + bound);
        unchecked.push_back("line " + std::to_string(line.number) +
                            (from_script ? " of the script `" : " of the content written to `") +
                            path + "` " + shell::bound_phrase(bound) +
                            ", so it was not fully checked");
      }
    }
  };
  if (event.action_type == ActionType::file_write && event.content) {
    const std::string path = event.file_path.value_or("<content>");
    std::string_view text = *event.content;
    if (text.size() > limit) {
      unchecked.push_back("the content of `" + path + "` is over the " + std::to_string(limit) +
                          "-byte inspection limit, so it was not fully checked");
      text = text.substr(0, limit);
    }
    add_lines(path, false, text);
  }
  if (event.analysis) {
    const std::string cwd = event.cwd.value_or(host_->cwd);
    for (const std::string& script : normalise::scripts_run(*event.analysis, cwd)) {
      FileRead read = host_->fs->read(script, limit);
      if (read.status == FileRead::Status::missing || read.status == FileRead::Status::error) {
        decision.debug_log.push_back(
            "vectimus: script `" + script + "` not inspected: " +
            (read.status == FileRead::Status::missing ? std::string("no such file") : read.error));
        continue;
      }
      if (read.text.find('\0') != std::string::npos) {
        decision.debug_log.push_back("vectimus: script `" + script +
                                     "` not inspected: it is a binary file");
        continue;
      }
      if (read.status == FileRead::Status::too_large) {
        unchecked.push_back("the content of `" + script + "` is over the " + std::to_string(limit) +
                            "-byte inspection limit, so it was not fully checked");
      }
      add_lines(script, true, read.text);
    }
  }
  return unchecked;
}

Decision Engine::decide(const normalise::Event& given) const {
  // normalise_payload analyses every command line; an event built by hand may come without its
  // analysis, which normalise then makes here, so such an event is not checked any less.
  std::optional<normalise::Event> analysed;
  if (!given.analysis && given.command && runs_commands(given.action_type)) {
    analysed = given;
    analysed->analysis =
        normalise::analyse_command(*given.command, locations_.home.value_or(RequestFacts{}.home));
  }
  const normalise::Event& event = analysed ? *analysed : given;
  Decision decision;
  const bool resolve = packs_->uses_principal || options_.always_resolve_identity;
  decision.identity =
      resolve ? resolve_identity(*host_, config_, event, locations_.project) : unresolved_;
  std::optional<interpreter::Entities> resolved;
  if (resolve) resolved = entities_for(decision.identity);
  const interpreter::Entities& entities = resolve ? *resolved : unresolved_entities_;
  RequestFacts facts;
  facts.principal = principal_uid(decision.identity);
  facts.mcp_server_approved = event.mcp_server && config_.mcp_server_allowed(*event.mcp_server);
  if (locations_.home) facts.home = *locations_.home;
  if (locations_.project) facts.project = *locations_.project;

  std::vector<PlannedRequest> planned_requests = requests_for_event(event, facts);
  decision.requests.reserve(planned_requests.size());
  for (PlannedRequest& planned : planned_requests) {
    decision.requests.push_back(EvaluatedRequest{std::move(planned), {}, {}});
  }
  // Why the call cannot be allowed unseen: the command line's analysis stopped at a bound
  // (first), content over the inspection limit, content lines whose analysis stopped at a bound.
  std::vector<std::string> unchecked;
  if (event.analysis) {
    for (const std::string& bound : event.analysis->bounds) {
      decision.bounds.push_back("command: " + bound);
      unchecked.push_back("the command " + shell::bound_phrase(bound) +
                          ", so it was not fully checked");
    }
  }
  for (std::string& why : inspect_content(event, facts, decision)) {
    unchecked.push_back(std::move(why));
  }

  for (uint32_t r = 0; r < decision.requests.size(); ++r) {
    EvaluatedRequest& request = decision.requests[r];
    evaluate(request, entities);
    for (uint32_t rule : request.matched) {
      decision.matches.push_back(RuleMatch{rule, r, enforcement_of(rule)});
    }
    for (const auto& e : request.errors) {
      if (e.policy >= packs_->rules.size()) continue;
      decision.debug_log.push_back("vectimus: rule " + std::string(packs_->rules[e.policy].id) +
                                   " skipped: " + e.message);
    }
  }
  std::sort(decision.matches.begin(), decision.matches.end(),
            [](const RuleMatch& a, const RuleMatch& b) {
              return a.rule != b.rule ? a.rule < b.rule : a.request < b.request;
            });

  Verdict verdict = Verdict::allow;
  for (const RuleMatch& m : decision.matches) verdict = std::max(verdict, verdict_of(m.level));
  if (!unchecked.empty()) verdict = std::max(verdict, Verdict::escalate);
  decision.evaluated = verdict;

  // The reason lists each rule once (its first match), at the level that decided.
  std::vector<std::string> phrases;
  std::vector<uint32_t> seen;
  for (const RuleMatch& m : decision.matches) {
    if (std::find(seen.begin(), seen.end(), m.rule) != seen.end()) continue;
    seen.push_back(m.rule);
    const std::string phrase =
        match_phrase(packs_->rules[m.rule], decision.requests[m.request].planned);
    if (m.level == Enforcement::observe) {
      decision.log.push_back("vectimus: observed (not enforced): " + phrase);
    } else if (verdict_of(m.level) == verdict) {
      phrases.push_back(phrase);
    }
  }
  if (verdict == Verdict::escalate) {
    phrases.insert(phrases.end(), unchecked.begin(), unchecked.end());
  }
  if (verdict != Verdict::allow) {
    std::string reason =
        verdict == Verdict::deny ? "vectimus: blocked by " : "vectimus: approval needed: ";
    for (std::size_t i = 0; i < phrases.size(); ++i) {
      if (i > 0) reason += verdict == Verdict::deny ? "; also blocked by " : "; also ";
      reason += phrases[i];
    }
    decision.reason = std::move(reason);
  }
  decision.verdict = verdict;
  if (config_.observe) {
    decision.observe_mode = true;
    if (verdict != Verdict::allow) {
      decision.log.push_back("vectimus: observe mode, allowed: " + decision.reason);
    }
    decision.verdict = Verdict::allow;
  }
  return decision;
}

const Result<Engine>& Session::engine_for(const std::optional<std::string>& cwd) {
  const int64_t now = host_.now_ns ? host_.now_ns() : 0;
  const std::string& start = cwd && !cwd->empty() ? *cwd : host_.cwd;
  if (now != 0) {
    if (auto hit = located_.find(start); hit != located_.end() && now < hit->second.until_ns) {
      return *hit->second.engine;
    }
  }
  Locations locations = locate(host_, cwd, options_.policy_dir);
  const std::string key = locations.project.value_or("");
  auto it = engines_.find(key);
  if (it == engines_.end()) {
    it = engines_
             .emplace(key, std::make_unique<Result<Engine>>(
                               Engine::load(host_, std::move(locations), options_)))
             .first;
  }
  if (now != 0) {
    if (located_.size() >= kLocateCacheSize) located_.clear();
    located_.insert_or_assign(start, Located{it->second.get(), now + kLocateCacheNs});
  }
  return *it->second;
}

}  // namespace vectimus::engine
