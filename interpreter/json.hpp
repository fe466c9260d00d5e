// Cedar's JSON data formats, read into interpreter values.
//
// Entities: `[{"uid": {"type","id"}, "attrs": {...}, "parents": [{"type","id"}...], "tags"?}]`.
// Values: JSON bool, integer (exact i64), string, array (Set), object (Record); an object of the
// form `{"__entity": {"type","id"}}` is an entity reference. Without a schema, `{"type","id"}`
// inside attrs or context is a plain record, as in Cedar. `{"__extn": ...}` is rejected with the
// diagnostic code "unsupported"; null and non-integer numbers are errors ("json").
#pragma once

#include "interpreter/entities.hpp"
#include "interpreter/value.hpp"
#include "ir/entity_uid.hpp"
#include "support/result.hpp"

namespace vectimus::interpreter {

Result<Entities> parse_entities_json(const SourcePtr& source);
// A context: must be a JSON object.
Result<Value> parse_context_json(const SourcePtr& source);
// An entity UID given as `{"type","id"}` or `{"__entity":{"type","id"}}`.
Result<ir::EntityUid> parse_entity_uid_json(const SourcePtr& source);

}  // namespace vectimus::interpreter
