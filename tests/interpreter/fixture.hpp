// Shared test fixture: a request and an entity store, loaded from Cedar JSON.
//
// principal User::"alice" (in Group::"staff", in Group::"all"), action Action::"view" (in
// Action::"read"), resource Doc::"d1" (owner alice), and a context with a command.
#pragma once

#include "interpreter/entities.hpp"
#include "interpreter/request.hpp"

namespace vectimus::test {

struct Fixture {
  interpreter::Request request;
  interpreter::Entities entities;
};

// Aborts the test run (REQUIRE) if the fixture's own JSON does not load.
const Fixture& fixture();

}  // namespace vectimus::test
