#include "tests/interpreter/fixture.hpp"

#include <catch2/catch.hpp>

#include "interpreter/json.hpp"

namespace vectimus::test {

namespace {

constexpr const char* kEntities = R"([
  {"uid": {"type": "User", "id": "alice"},
   "attrs": {"name": "Alice", "age": 30, "manager": {"__entity": {"type": "User", "id": "bob"}}},
   "parents": [{"type": "Group", "id": "staff"}]},
  {"uid": {"type": "User", "id": "bob"}, "attrs": {"name": "Bob"}, "parents": []},
  {"uid": {"type": "Group", "id": "staff"}, "attrs": {},
   "parents": [{"__entity": {"type": "Group", "id": "all"}}]},
  {"uid": {"type": "Doc", "id": "d1"},
   "attrs": {"owner": {"__entity": {"type": "User", "id": "alice"}}, "tags": ["x", "y"]},
   "parents": []},
  {"uid": {"type": "Action", "id": "view"}, "attrs": {}, "parents": [{"type": "Action", "id": "read"}]}
])";

constexpr const char* kContext = R"({
  "command": "sudo rm -rf / --no-preserve-root",
  "n": 5,
  "tags": ["a", "b"],
  "nested": {"x": 1, "y": {"z": true}},
  "if": "reserved word as a key"
})";

Fixture load() {
  Fixture f;
  Result<interpreter::Entities> entities =
      interpreter::parse_entities_json(make_source("fixture-entities.json", kEntities));
  REQUIRE(entities.ok());
  f.entities = std::move(entities).value();
  Result<interpreter::Value> context =
      interpreter::parse_context_json(make_source("fixture-context.json", kContext));
  REQUIRE(context.ok());
  f.request.context = std::move(context).value();
  f.request.principal = ir::EntityUid{"User", "alice"};
  f.request.action = ir::EntityUid{"Action", "view"};
  f.request.resource = ir::EntityUid{"Doc", "d1"};
  return f;
}

}  // namespace

const Fixture& fixture() {
  static const Fixture f = load();
  return f;
}

}  // namespace vectimus::test
