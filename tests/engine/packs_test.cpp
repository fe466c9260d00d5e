// Pack discovery and compilation: built-in < ~/.vectimus/packs < <project>/.vectimus/packs,
// --policy-dir replacing all, and every load error (syntax, duplicate or missing @id, bad
// pack.toml) reported with its place.
#include <algorithm>
#include <catch2/catch.hpp>
#include <stdexcept>

#include "engine/builtin.hpp"
#include "engine/engine.hpp"
#include "ir/print.hpp"
#include "ir/serialize.hpp"
#include "normalise/payload.hpp"
#include "tests/support/test_host.hpp"

using namespace vectimus;
using vectimus::testing::TempTree;
using vectimus::testing::TestHost;

namespace {

const std::string kManifest =
    "[pack]\nname = \"NAME\"\nversion = \"1.0.0\"\ndescription = \"test pack\"\nauthor = "
    "\"tests\"\n";

std::string manifest(const std::string& name) {
  std::string m = kManifest;
  m.replace(m.find("NAME"), 4, name);
  return m;
}

std::string rule(const std::string& id, const std::string& pattern) {
  return "@id(\"" + id + "\")\n@description(\"" + id +
         " rule\")\n"
         "forbid(principal, action == Vectimus::Action::\"shell_command\", resource)\n"
         "when { context.command like \"" +
         pattern + "\" };\n";
}

void write_pack(const TempTree& t, const std::string& dir, const std::string& name,
                const std::string& cedar) {
  t.write(dir + "/pack.toml", manifest(name));
  t.write(dir + "/rules.cedar", cedar);
}

std::vector<std::string> ids(const engine::PolicyPacks& p) {
  std::vector<std::string> out;
  for (const auto& r : p.rules) out.emplace_back(r.id);
  return out;
}

Result<engine::PolicyPacks> load(const TestHost& h, const engine::PackSearch& search) {
  auto packs = engine::discover_packs(h.host, search);
  if (!packs) return std::move(packs).take_errors();
  return engine::compile_packs(std::move(packs).value());
}

}  // namespace

TEST_CASE("the built-in packs are compiled in and load cleanly") {
  CHECK_FALSE(engine::builtin_pack_files().empty());
  CHECK(engine::builtin_samples().find("\"expected\"") != std::string_view::npos);
  TempTree t;
  TestHost h(t.root(), t.path("home"));
  auto p = load(h, {});
  REQUIRE(p.ok());
  REQUIRE(p->packs.size() == 11);  // issue 5's eleven domains, in name order
  CHECK(p->packs.at(0).manifest.name == "agent-governance");
  CHECK(p->packs.at(4).manifest.name == "destructive-ops");
  for (const auto& pack : p->packs) CHECK(pack.location == "built-in");
  CHECK(p->rules.size() >= 90);
  CHECK(std::any_of(p->rules.begin(), p->rules.end(),
                    [](const auto& r) { return r.id == "vectimus-destruct-001"; }));
  CHECK(p->set().policies.size() == p->rules.size() + 1);  // + permit-all
  CHECK(p->set().policies.back().effect == ir::Effect::permit);
  CHECK_FALSE(p->uses_principal);
}

TEST_CASE("a later location replaces a pack of the same name in place; --policy-dir replaces all") {
  TempTree t;
  TestHost h(t.root(), t.path("home"));
  write_pack(t, "home/.vectimus/packs/destructive-ops", "destructive-ops", rule("home-1", "*x*"));
  write_pack(t, "home/.vectimus/packs/extra", "extra", rule("home-2", "*y*"));
  write_pack(t, "proj/.vectimus/packs/extra", "extra", rule("proj-1", "*z*"));
  auto p = load(h, {std::nullopt, t.path("home"), t.path("proj")});
  REQUIRE(p.ok());
  REQUIRE(p->packs.size() >= 3);
  // In place: where the built-in destructive-ops stood (fifth, in name order).
  CHECK(p->packs[4].manifest.name == "destructive-ops");
  CHECK(p->packs[4].location == t.path("home/.vectimus/packs/destructive-ops"));
  std::vector<std::string> got = ids(*p);
  CHECK(std::find(got.begin(), got.end(), "home-1") != got.end());
  CHECK(std::find(got.begin(), got.end(), "proj-1") != got.end());
  CHECK(std::find(got.begin(), got.end(), "home-2") == got.end());
  CHECK(std::find(got.begin(), got.end(), "vectimus-destruct-001") == got.end());

  write_pack(t, "only/a", "a", rule("a-1", "*a*"));
  write_pack(t, "only/b", "b", rule("b-1", "*b*") + rule("b-2", "*c*"));
  p = load(h, {t.path("only"), t.path("home"), t.path("proj")});
  REQUIRE(p.ok());
  CHECK(ids(*p) == std::vector<std::string>{"a-1", "b-1", "b-2"});
  p = load(h, {t.path("only/b"), std::nullopt, std::nullopt});
  REQUIRE(p.ok());
  CHECK(ids(*p) == std::vector<std::string>{"b-1", "b-2"});
}

TEST_CASE("a policy file with a syntax error is a load error naming file and line") {
  TempTree t;
  TestHost h(t.root(), t.path("home"));
  write_pack(t, "packs/p", "p",
             "@id(\"x\")\nforbid(principal, action, resource)\nwhen { context.command like };\n");
  auto p = load(h, {t.path("packs"), std::nullopt, std::nullopt});
  REQUIRE_FALSE(p.ok());
  CHECK(p.errors().front().code == "syntax");
  CHECK(render(p.errors().front()).rfind(t.path("packs/p/rules.cedar") + ":3:", 0) == 0);
}

TEST_CASE("a duplicate @id across packs names both places; a missing @id is an error") {
  TempTree t;
  TestHost h(t.root(), t.path("home"));
  write_pack(t, "packs/a", "a", rule("same", "*a*"));
  write_pack(t, "packs/b", "b", "// b\n" + rule("same", "*b*"));
  auto p = load(h, {t.path("packs"), std::nullopt, std::nullopt});
  REQUIRE_FALSE(p.ok());
  REQUIRE(p.errors().size() == 1);
  CHECK(render(p.errors()) ==
        t.path("packs/b/rules.cedar") +
            ":2:1: error: duplicate policy id `same`\n"
            "@id(\"same\")\n^~~~~~~~~~~\n" +
            t.path("packs/a/rules.cedar") +
            ":1:1: note: first defined here\n"
            "@id(\"same\")\n^~~~~~~~~~~\n"
            "help: policy ids must be unique across all loaded files and packs\n");

  // The same id in a user pack and a built-in pack is a duplicate too.
  TempTree u;
  TestHost hu(u.root(), u.path("home"));
  write_pack(u, "home/.vectimus/packs/mine", "mine", rule("vectimus-destruct-001", "*q*"));
  p = load(hu, {std::nullopt, u.path("home"), std::nullopt});
  REQUIRE_FALSE(p.ok());
  CHECK(p.errors().front().code == "duplicate-id");

  write_pack(t, "packs/b", "b", "forbid(principal, action, resource);\n");
  p = load(h, {t.path("packs"), std::nullopt, std::nullopt});
  REQUIRE_FALSE(p.ok());
  CHECK(p.errors().front().code == "missing-id");
  CHECK(render(p.errors().front())
            .rfind(t.path("packs/b/rules.cedar") + ":1:1: error: policy has no `@id` annotation",
                   0) == 0);
}

TEST_CASE("a bad pack.toml, a pack without one, and an unknown @enforcement are load errors") {
  TempTree t;
  TestHost h(t.root(), t.path("home"));
  t.write("packs/p/pack.toml", "[pack]\nname = \"p\"\nversion = 1\ndescription = \"d\"\n");
  t.write("packs/p/rules.cedar", rule("r", "*r*"));
  auto p = load(h, {t.path("packs"), std::nullopt, std::nullopt});
  REQUIRE_FALSE(p.ok());
  REQUIRE(p.errors().size() == 2);
  CHECK(p.errors()[0].message == "`[pack] version` must be a string");
  CHECK(render(p.errors()[0]).rfind(t.path("packs/p/pack.toml") + ":3:11: error: ", 0) == 0);
  CHECK(p.errors()[1].message == "pack.toml has no `[pack] author`");

  // The flat form (no `[pack]` table) is not a pack.toml: each key says where it belongs.
  t.write("packs/p/pack.toml",
          "name = \"p\"\nversion = \"1\"\ndescription = \"d\"\nauthor = \"a\"\n");
  p = load(h, {t.path("packs"), std::nullopt, std::nullopt});
  REQUIRE_FALSE(p.ok());
  CHECK(render(p.errors()[0]) == t.path("packs/p/pack.toml") +
                                     ":4:1: error: unknown key `author`\nauthor = \"a\"\n^~~~~~\n"
                                     "help: did you mean `[pack] author`?\n");
  t.write("packs/p/pack.toml",
          "[pack]\nname = \"p\"\nversion = \"1\"\ndescription = \"d\"\n"
          "author = \"a\"\nlicence = \"MIT\"\n");
  p = load(h, {t.path("packs"), std::nullopt, std::nullopt});
  REQUIRE_FALSE(p.ok());
  CHECK(p.errors()[0].message == "unknown key `[pack] licence`");
  CHECK(p.errors()[0].help == "did you mean `[pack] license`?");

  t.write("packs/p/pack.toml", "name = \"p\n");
  p = load(h, {t.path("packs"), std::nullopt, std::nullopt});
  REQUIRE_FALSE(p.ok());
  CHECK(p.errors()[0].code == "syntax");

  std::filesystem::remove(t.path("packs/p/pack.toml"));
  p = load(h, {t.path("packs"), std::nullopt, std::nullopt});
  REQUIRE_FALSE(p.ok());
  CHECK(p.errors()[0].message ==
        "pack folder `" + t.path("packs/p") + "` has no readable pack.toml");

  write_pack(t, "packs/p", "p",
             "@id(\"r\")\n@enforcement(\"block\")\nforbid(principal, action, resource);\n");
  p = load(h, {t.path("packs"), std::nullopt, std::nullopt});
  REQUIRE_FALSE(p.ok());
  CHECK(p.errors()[0].message == "unknown enforcement `block`");

  p = load(h, {t.path("nowhere"), std::nullopt, std::nullopt});
  REQUIRE_FALSE(p.ok());
  CHECK(p.errors()[0].message == "policy folder `" + t.path("nowhere") + "` does not exist");
}

TEST_CASE("pack.toml is the docs' [pack] table: four required strings, license and requires") {
  const auto parse = [](const std::string& text) {
    return engine::parse_pack_manifest(make_source("pack.toml", text));
  };
  // writing-policies.md's manifest, as written.
  auto m = parse(
      "[pack]\nname = \"my-team\"\nversion = \"1.0.0\"\ndescription = \"Team-specific governance "
      "rules\"\nauthor = \"My Team\"\n");
  REQUIRE(m.ok());
  CHECK(m->name == "my-team");
  CHECK(m->author == "My Team");
  CHECK(m->license.empty());
  CHECK(m->required_packs.empty());
  m = parse(
      "[pack]\nname = \"a\"\nversion = \"1\"\ndescription = \"d\"\nauthor = \"x\"\n"
      "license = \"MIT\"\nrequires = [\"secrets>=0.1\", \"base\"]\n");
  REQUIRE(m.ok());
  CHECK(m->license == "MIT");
  CHECK(m->required_packs == std::vector<std::string>{"secrets>=0.1", "base"});
  m = parse(
      "[pack]\nname = \"a\"\nversion = \"1\"\ndescription = \"d\"\nauthor = \"x\"\n"
      "requires = \"base\"\n");
  REQUIRE(m.ok());
  CHECK(m->required_packs == std::vector<std::string>{"base"});
  m = parse(
      "[pack]\nname = \"a\"\nversion = \"1\"\ndescription = \"d\"\nauthor = \"x\"\n"
      "requires = [1]\n");
  REQUIRE_FALSE(m.ok());
  CHECK(m.errors()[0].message == "`[pack] requires` must be a string or a list of strings");
  m = parse("pack = 1\n");
  REQUIRE_FALSE(m.ok());
  CHECK(m.errors()[0].message == "`pack` must be a table: `[pack]`");
}

TEST_CASE("a policy directory of bare .cedar files is one pack named after it, beside packs") {
  TempTree t;
  TestHost h(t.root(), t.path("home"));
  t.write("my-policies/a.cedar", rule("bare-1", "*a*"));
  t.write("my-policies/b.cedar", rule("bare-2", "*b*"));
  auto p = load(h, {t.path("my-policies"), std::nullopt, std::nullopt});
  REQUIRE(p.ok());
  REQUIRE(p->packs.size() == 1);
  CHECK(p->packs[0].manifest.name == "my-policies");
  CHECK(p->packs[0].location == t.path("my-policies"));
  CHECK(ids(*p) == std::vector<std::string>{"bare-1", "bare-2"});
  // Packs in subfolders join it (hidden folders are skipped); the bare files come first.
  write_pack(t, "my-policies/team", "team", rule("team-1", "*t*"));
  t.mkdir("my-policies/.git");
  p = load(h, {t.path("my-policies/"), std::nullopt, std::nullopt});
  REQUIRE(p.ok());
  CHECK(ids(*p) == std::vector<std::string>{"bare-1", "bare-2", "team-1"});
  // A pack named like the folder would replace its bare files: an error instead.
  write_pack(t, "my-policies/other", "my-policies", rule("other-1", "*o*"));
  p = load(h, {t.path("my-policies"), std::nullopt, std::nullopt});
  REQUIRE_FALSE(p.ok());
  CHECK(p.errors()[0].message.find("form a pack named `my-policies`") != std::string::npos);
  // An existing folder with no policies at all is an error, never "allow everything".
  t.mkdir("empty");
  p = load(h, {t.path("empty"), std::nullopt, std::nullopt});
  REQUIRE_FALSE(p.ok());
  CHECK(p.errors()[0].message == "policy folder `" + t.path("empty") + "` holds no policies");
}

TEST_CASE("the built-in packs load from their compiled form, exactly as parsing them gives") {
  auto compiled = engine::load_compiled_packs(engine::builtin_compiled_packs());
  REQUIRE(compiled.ok());
  CHECK(compiled->compiled);
  auto parsed = engine::compile_packs(engine::builtin_packs());
  REQUIRE(parsed.ok());
  CHECK_FALSE(parsed->compiled);

  REQUIRE(compiled->packs.size() == parsed->packs.size());
  for (size_t p = 0; p < parsed->packs.size(); ++p) {
    const engine::Pack& a = parsed->packs[p];
    const engine::Pack& b = compiled->packs[p];
    CHECK(a.manifest.name == b.manifest.name);
    CHECK(a.manifest.version == b.manifest.version);
    CHECK(a.manifest.description == b.manifest.description);
    CHECK(a.manifest.author == b.manifest.author);
    CHECK(a.location == b.location);
    CHECK(a.manifest_source->name == b.manifest_source->name);
    CHECK(a.manifest_source->text == b.manifest_source->text);
    REQUIRE(a.files.size() == b.files.size());
    for (size_t f = 0; f < a.files.size(); ++f) {
      CHECK(a.files[f]->name == b.files[f]->name);
      CHECK(a.files[f]->text == b.files[f]->text);
    }
  }
  // Every pack's policies dump the same, from the same file.
  REQUIRE(compiled->set().policies.size() == parsed->set().policies.size());
  for (size_t i = 0; i < parsed->set().policies.size(); ++i) {
    const ir::Policy& a = parsed->set().policies[i];
    const ir::Policy& b = compiled->set().policies[i];
    INFO(a.id());
    CHECK(ir::dump(a) == ir::dump(b));
    CHECK(a.positional_id == b.positional_id);
    CHECK(a.source->name == b.source->name);
  }
  // And every field, spans included: the two serialise to the same bytes.
  const auto sources_a =
      engine::policy_sources(parsed->packs, parsed->set().policies.back().source);
  const auto sources_b =
      engine::policy_sources(compiled->packs, compiled->set().policies.back().source);
  auto bytes_a = ir::serialize(parsed->set(), sources_a);
  auto bytes_b = ir::serialize(compiled->set(), sources_b);
  REQUIRE(bytes_a.ok());
  REQUIRE(bytes_b.ok());
  CHECK(*bytes_a == *bytes_b);
  CHECK(*bytes_b == engine::builtin_compiled_packs().set);

  REQUIRE(compiled->rules.size() == parsed->rules.size());
  for (size_t i = 0; i < parsed->rules.size(); ++i) {
    CHECK(compiled->rules[i].id == parsed->rules[i].id);
    CHECK(compiled->rules[i].description == parsed->rules[i].description);
    CHECK(compiled->rules[i].suggested_alternative == parsed->rules[i].suggested_alternative);
    CHECK(compiled->rules[i].controls == parsed->rules[i].controls);
    CHECK(compiled->rules[i].enforcement == parsed->rules[i].enforcement);
    CHECK(compiled->rules[i].pack == parsed->rules[i].pack);
  }
  CHECK(compiled->uses_principal == parsed->uses_principal);
}

TEST_CASE("the engine loads the compiled form unless a pack is added or --policy-dir is given") {
  TempTree t;
  TestHost h(t.root(), t.path("home"));
  t.write("proj/.git/HEAD", "ref: refs/heads/main\n");
  auto e = engine::Engine::load(h.host, engine::locate(h.host, t.path("proj"), std::nullopt), {});
  REQUIRE(e.ok());
  CHECK(e->packs().compiled);
  CHECK(e->packs().set().policies.back().source->name == "<built-in>/allow-unless-forbidden.cedar");

  write_pack(t, "proj/.vectimus/packs/extra", "extra", rule("proj-1", "*z*"));
  e = engine::Engine::load(h.host, engine::locate(h.host, t.path("proj"), std::nullopt), {});
  REQUIRE(e.ok());
  CHECK_FALSE(e->packs().compiled);
  CHECK(e->packs().rules.back().id == "proj-1");

  e = engine::Engine::load(
      h.host, engine::locate(h.host, t.path("proj"), t.path("proj/.vectimus/packs")), {});
  REQUIRE(e.ok());
  CHECK_FALSE(e->packs().compiled);
}

TEST_CASE("a damaged compiled form is a load error, not a crash") {
  const engine::CompiledPacks good = engine::builtin_compiled_packs();
  engine::CompiledPacks bad = good;
  bad.set = good.set.substr(0, good.set.size() / 2);
  auto truncated = engine::load_compiled_packs(bad);
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.errors()[0].code == "serialized");
  bad = good;
  bad.manifests = good.manifests.first(good.manifests.size() - 1);
  auto missing = engine::load_compiled_packs(bad);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.errors()[0].code == "serialized");
}

namespace {

normalise::Event claude_bash(const std::string& cwd, const std::string& command) {
  const std::string json = "{\"session_id\":\"s\",\"transcript_path\":\"/t\",\"cwd\":\"" + cwd +
                           "\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
                           "\"tool_input\":{\"command\":\"" +
                           command + "\"}}";
  auto outcome = normalise::normalise_payload("claude-code", json);
  REQUIRE(outcome.status == normalise::PayloadStatus::event);
  return outcome.event;
}

}  // namespace

TEST_CASE("a hook decision on the compiled packs decodes only the index's candidates") {
  TempTree t;
  TestHost h(t.root(), t.path("home"));
  t.write("proj/.git/HEAD", "ref: refs/heads/main\n");
  auto e = engine::Engine::load(h.host, engine::locate(h.host, t.path("proj"), std::nullopt), {});
  REQUIRE(e.ok());
  REQUIRE(e->packs().compiled);
  const engine::PackPolicies& policies = *e->packs().policies;
  CHECK(policies.decoded_count() == 0);  // loading decodes nothing

  // A benign command: a couple of candidates per request, not the 100-odd rules.
  CHECK(e->decide(claude_bash(t.path("proj"), "ls -la src")).verdict == engine::Verdict::allow);
  const size_t after_benign = policies.decoded_count();
  CHECK(after_benign > 0);
  CHECK(after_benign <= 8);

  // A dangerous one decodes the rules that can match it, and is still denied.
  const engine::Decision denied = e->decide(claude_bash(t.path("proj"), "rm -rf /"));
  CHECK(denied.verdict == engine::Verdict::deny);
  CHECK(policies.decoded_count() > after_benign);
  CHECK(policies.decoded_count() < policies.size());

  // Everything asked for at once: the whole set, the same as parsing gives.
  CHECK(e->packs().set().policies.size() == policies.size());
  CHECK(policies.decoded_count() == policies.size());
}

TEST_CASE("the compiled rule index is the one built over the parsed packs") {
  auto parsed = engine::compile_packs(engine::builtin_packs());
  REQUIRE(parsed.ok());
  auto compiled = engine::load_compiled_packs(engine::builtin_compiled_packs());
  REQUIRE(compiled.ok());
  REQUIRE(compiled->index != nullptr);
  CHECK(parsed->index == nullptr);  // parsed packs build theirs at run time, when it pays
  CHECK(compiled->index->serialize() == index::PolicyIndex::build(parsed->set()).serialize());
}

TEST_CASE("a policy damaged inside the compiled form throws when decoded, so the hook denies") {
  const engine::CompiledPacks good = engine::builtin_compiled_packs();
  // Damage bytes near the end (the last policies' bodies) one at a time: each either loads and
  // decodes to a policy, or is refused at load, or throws std::runtime_error when decoded:
  // never a crash, never a silently empty rule.
  size_t thrown = 0;
  for (size_t back = 1; back <= 200; ++back) {
    std::string bytes(good.set);
    bytes[bytes.size() - back] = '\x7f';
    engine::CompiledPacks bad = good;
    bad.set = bytes;
    auto packs = engine::load_compiled_packs(bad);
    if (!packs) continue;
    try {
      (void)packs->set();
    } catch (const std::runtime_error& error) {
      ++thrown;
      CHECK(std::string(error.what()).find("corrupted") != std::string::npos);
    }
  }
  CHECK(thrown > 0);
}
