// A Cedar authorization request: who does what to which resource, in what context.
//
// The engine (or the conformance runner) builds one per event; the evaluator and the authorizer
// only read it. The context is a record value, usually from parse_context_json().
#pragma once

#include "interpreter/value.hpp"
#include "ir/entity_uid.hpp"

namespace vectimus::interpreter {

struct Request {
  ir::EntityUid principal;
  ir::EntityUid action;
  ir::EntityUid resource;
  Value context = Value::record({});  // must be a record
};

}  // namespace vectimus::interpreter
