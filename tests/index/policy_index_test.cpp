// PolicyIndex on hand-written sets: which policies are candidates, on the real packs and on
// cases that need care (scope hierarchy, entity attributes, missing or non-string values).
#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "index/policy_index.hpp"
#include "interpreter/authorizer.hpp"
#include "tests/index/index_text.hpp"

namespace vectimus::index {
namespace {

using Ids = std::vector<uint32_t>;
using interpreter::Value;

void check_same(const ir::PolicySet& set, const PolicyIndex& index,
                const interpreter::Request& request, const interpreter::Entities& entities) {
  const auto full = interpreter::authorize(set, request, entities);
  const auto fast =
      interpreter::authorize(set, index.candidates(request, entities), request, entities);
  CHECK(fast.decision == full.decision);
  CHECK(fast.reasons == full.reasons);
}

TEST_CASE("built-in packs: candidates and decisions", "[index][packs]") {
  const ir::PolicySet set = test::parse_set(test::packs_text());
  const PolicyIndex index = PolicyIndex::build(set);
  REQUIRE(index.policy_count() == set.policies.size());
  const uint32_t allow_all = static_cast<uint32_t>(set.policies.size() - 1);
  CHECK(index.always_count() == 1);

  const char* const commands[] = {"ls -la",
                                  "sudo rm -rf / --no-preserve-root",
                                  "rm -rf ./build && make -j4",
                                  "rm -rf ~",
                                  "rm -rf $HOME/x",
                                  "mkfs.ext4 /dev/sda1",
                                  "dd if=x of=/dev/sda",
                                  ":(){ :|:& };:",
                                  "chmod -R 777 /",
                                  "echo rm -fr /",
                                  "",
                                  "\xc3\xa9 rm -rf /"};
  for (const char* command : commands) {
    INFO(command);
    const auto request = test::make_request("shell_command", "Bash", {{"command", command}});
    check_same(set, index, request, interpreter::Entities{});
  }
  // Which few rules stay candidates depends on the packs, so here only the share is checked
  // (exact candidate sets are checked on the hand-written sets below): a benign command, another
  // action, and a command without `command` each leave out nearly every rule.
  for (const auto& request :
       {test::make_request("shell_command", "Bash", {{"command", "ls -la"}}),
        test::make_request("file_write", "Write", {{"file_path", "rm -rf /"}}),
        test::make_request("shell_command", "Bash", {})}) {
    const Ids candidates = index.candidates(request);
    CHECK(candidates.back() == allow_all);
    CHECK(candidates.size() * 10 < set.policies.size());
    check_same(set, index, request, interpreter::Entities{});
  }
}

TEST_CASE("built-in packs: git commands through set elements", "[index][packs]") {
  // The git rules ask `context.args.contains("push")` and `context.flags.containsAny([..])`:
  // without set-element atoms every rule on git was a candidate for every git command.
  const ir::PolicySet set = test::parse_set(test::packs_text());
  const PolicyIndex index = PolicyIndex::build(set);
  const auto push = test::make_command_request("git_operation", "git", "git push origin main",
                                               {"push", "origin", "main"}, {});
  INFO(to_text(index.explain(push, interpreter::Entities{}), index, set));
  CHECK(index.candidates(push).size() <= 3);
  check_same(set, index, push, interpreter::Entities{});
  // The engine leaves an empty set out of the context: `context has flags` is then false.
  interpreter::Request no_flags = push;
  std::vector<std::pair<std::string, Value>> fields;
  for (const auto& [key, value] : push.context.as_record()) {
    if (key != "flags") fields.emplace_back(key, value);
  }
  no_flags.context = Value::record(std::move(fields));
  CHECK(index.candidates(no_flags).size() <= 3);
  check_same(set, index, no_flags, interpreter::Entities{});
  // Forced and deleting pushes still reach their rules, and are denied as without the index.
  const auto force =
      test::make_command_request("git_operation", "git", "git push --force origin main",
                                 {"push", "origin", "main"}, {"force"});
  const auto forced =
      interpreter::authorize(set, index.candidates(force), force, interpreter::Entities{});
  CHECK(forced.decision == interpreter::Decision::deny);
  check_same(set, index, force, interpreter::Entities{});
  const auto del =
      test::make_command_request("git_operation", "git", "git push origin --delete main",
                                 {"push", "origin", "main"}, {"delete"});
  CHECK(index.candidates(del).size() > index.candidates(push).size());
  check_same(set, index, del, interpreter::Entities{});
}

TEST_CASE("set elements: contains, containsAny, containsAll", "[index][elements]") {
  const ir::PolicySet set = test::parse_set(R"(
    forbid(principal, action, resource) when { context.args.contains("push") };
    forbid(principal, action, resource) when { context.flags.containsAny(["f", "force"]) };
    forbid(principal, action, resource) when { context.args.containsAll(["push", "main"]) };
    forbid(principal, action, resource) when { principal.groups.contains("ops") };
    forbid(principal, action, resource) when { context.args == "push" };)");
  const PolicyIndex index = PolicyIndex::build(set);
  const auto strings = [](std::initializer_list<const char*> items) {
    std::vector<Value> out;
    for (const char* s : items) out.push_back(Value::string(s));
    return out;
  };
  interpreter::Request r;
  r.principal = {"User", "u"};
  r.action = {"Action", "a"};
  r.resource = {"Tool", "t"};
  r.context = Value::record(
      {{"args", Value::set(strings({"push", "origin"}))}, {"flags", Value::set(strings({"f"}))}});
  CHECK(index.candidates(r) == Ids{0, 1});
  r.context = Value::record({{"args", Value::set(strings({"main", "push"}))},
                             {"flags", Value::set(strings({"force", "x"}))}});
  CHECK(index.candidates(r) == Ids{0, 1, 2});
  // Non-string elements never equal a string; a string where a set is expected matches no
  // element atom (contains would error) but its exact value still counts.
  std::vector<Value> mixed = strings({"main"});
  mixed.push_back(Value::long_(1));
  mixed.push_back(Value::set(strings({"push"})));
  r.context = Value::record({{"args", Value::set(mixed)}, {"flags", Value::string("force")}});
  CHECK(index.candidates(r).empty());
  r.context = Value::record({{"args", Value::string("push")}, {"flags", Value::set({})}});
  CHECK(index.candidates(r) == Ids{4});
  // Through an entity attribute.
  interpreter::Entities store;
  store.add(
      {{"User", "u"}, Value::record({{"groups", Value::set(strings({"dev", "ops"}))}}), {}, {}});
  store.finish();
  CHECK(index.candidates(r, store) == Ids{3, 4});
  const Explanation e = index.explain(r, store);
  REQUIRE(e.matched.size() == 2);
  CHECK(dump(e.matched[0]) == R"(elem(principal.groups,"ops"))");
}

TEST_CASE("explain lists the matched atoms", "[index][explain]") {
  const ir::PolicySet set = test::parse_set(R"(
    @id("rm-root") forbid(principal, action == Vectimus::Action::"shell_command", resource)
      when { context.command like "*rm -rf /*" };
    @id("all") permit(principal, action, resource);)");
  const PolicyIndex index = PolicyIndex::build(set);
  const auto request =
      test::make_request("shell_command", "Bash", {{"command", "sudo rm -rf / now"}});
  const Explanation e = index.explain(request, interpreter::Entities{});
  CHECK(e.candidates == Ids{0, 1});
  CHECK(e.always == Ids{1});
  CHECK(to_text(e, index, set) ==
        "matched: action==Vectimus::Action::\"shell_command\"\n"
        "matched: sub(context.command,\"rm -rf /\")\n"
        "candidate: rm-root and{action==Vectimus::Action::\"shell_command\","
        "sub(context.command,\"rm -rf /\")}\n"
        "candidate: all (always) all\n"
        "2 of 2 policies are candidates\n");
}

TEST_CASE("scope `in` follows the entity store", "[index][scope]") {
  const ir::PolicySet set = test::parse_set(R"(
    forbid(principal in Group::"ops", action in [Action::"write", Action::"exec"], resource);
    forbid(principal, action == Action::"exec", resource is Tool in Folder::"f");)");
  const PolicyIndex index = PolicyIndex::build(set);
  interpreter::Entities store;
  store.add({{"User", "u"}, Value::record({}), {{"Group", "ops"}}, {}});
  store.add({{"Action", "run"}, Value::record({}), {{"Action", "exec"}}, {}});
  store.add({{"Tool", "t"}, Value::record({}), {{"Folder", "f"}}, {}});
  store.finish();
  interpreter::Request r;
  r.principal = {"User", "u"};
  r.action = {"Action", "run"};
  r.resource = {"Tool", "t"};
  CHECK(index.candidates(r, store) == Ids{0});
  r.action = {"Action", "exec"};
  CHECK(index.candidates(r, store) == Ids{0, 1});
  // Without the store the hierarchy is unknown, and so is the membership.
  CHECK(index.candidates(r).empty());
  r.action = {"Action", "write"};
  r.principal = {"Group", "ops"};
  CHECK(index.candidates(r) == Ids{0});
}

TEST_CASE("attribute paths through records and entities", "[index][paths]") {
  const ir::PolicySet set = test::parse_set(R"(
    forbid(principal, action, resource) when { principal.name like "*bob*" };
    forbid(principal, action, resource) when { context.who.name like "*bob*" };
    forbid(principal, action, resource) when { context.rec.inner == "abc" };)");
  const PolicyIndex index = PolicyIndex::build(set);
  interpreter::Entities store;
  store.add({{"User", "u"}, Value::record({{"name", Value::string("bobby")}}), {}, {}});
  store.finish();
  interpreter::Request r;
  r.principal = {"User", "u"};
  r.action = {"Action", "a"};
  r.resource = {"Tool", "t"};
  r.context = Value::record({{"who", Value::entity({"User", "u"})},
                             {"rec", Value::record({{"inner", Value::string("abc")}})}});
  CHECK(index.candidates(r, store) == Ids{0, 1, 2});
  CHECK(index.candidates(r) == Ids{2});  // absent entity: its attribute access errors
  r.context = Value::record({{"who", Value::long_(1)}, {"rec", Value::string("abc")}});
  CHECK(index.candidates(r, store) == Ids{0});
}

TEST_CASE("a context of many fields", "[index][paths]") {
  // More fields than candidates() searches linearly: the lookup falls back to a binary search.
  const ir::PolicySet set = test::parse_set(R"(
    forbid(principal, action, resource) when { context.k7 like "*bob*" };
    forbid(principal, action, resource) when { context.a like "*bob*" };
    forbid(principal, action, resource) when { context.z == "x" };)");
  const PolicyIndex index = PolicyIndex::build(set);
  interpreter::Request r;
  r.principal = {"User", "u"};
  r.action = {"Action", "a"};
  r.resource = {"Tool", "t"};
  std::vector<std::pair<std::string, Value>> fields;
  for (int k = 0; k < 12; ++k) fields.emplace_back("k" + std::to_string(k), Value::string("bob"));
  fields.emplace_back("z", Value::string("x"));
  r.context = Value::record(fields);
  CHECK(index.candidates(r) == Ids{0, 2});
  fields.resize(3);
  fields.emplace_back("a", Value::string("a bob"));
  r.context = Value::record(fields);
  CHECK(index.candidates(r) == Ids{1});
}

TEST_CASE("candidates from several threads and indexes at once", "[index][threads]") {
  // candidates() keeps its buffers per thread: calls on indexes of different sizes, interleaved
  // on each of several threads, must each give what one call alone gives.
  const ir::PolicySet packs = test::parse_set(test::packs_text());
  const ir::PolicySet small = test::parse_set(R"(
    @id("rm") forbid(principal, action == Vectimus::Action::"shell_command", resource)
      when { context.command like "*rm -rf*" };
    @id("all") permit(principal, action, resource);)");
  const PolicyIndex indexes[] = {PolicyIndex::build(packs), PolicyIndex::build(small)};
  const std::vector<interpreter::Request> requests = {
      test::make_request("shell_command", "Bash",
                         {{"command", "sudo rm -rf / --no-preserve-root"}}),
      test::make_request("shell_command", "Bash", {{"command", "ls -la"}}),
      test::make_request("file_write", "Write", {{"file_path", "/etc/passwd"}}),
      test::make_request("shell_command", "Bash", {{"command", "curl x | sh && rm -rf ~"}})};
  std::vector<Ids> expected;
  for (const PolicyIndex& index : indexes) {
    for (const auto& request : requests) expected.push_back(index.candidates(request));
  }
  std::atomic<int> mismatches = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        const size_t i = (round + t) % 2;
        const size_t k = (round / 2 + t) % requests.size();
        if (indexes[i].candidates(requests[k]) != expected[i * requests.size() + k]) ++mismatches;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(mismatches == 0);
}

}  // namespace
}  // namespace vectimus::index
