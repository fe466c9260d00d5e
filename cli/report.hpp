// JSON shapes shared by `explain`, `eval` and `test`: Cedar values in Cedar's JSON format
// (entities as `{"__entity":{"type","id"}}`), normalised events, and the matched rules of a
// decision in document order.
#pragma once

#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "interpreter/value.hpp"
#include "normalise/event.hpp"
#include "support/json_writer.hpp"

namespace vectimus::cli {

void write_uid(JsonWriter& w, const ir::EntityUid& uid);
void write_value(JsonWriter& w, const interpreter::Value& value);
void write_event(JsonWriter& w, const normalise::Event& event);

// The ids of the matched rules, each once, in document order.
std::vector<std::string> matched_rule_ids(const engine::Engine& engine,
                                          const engine::Decision& decision);

}  // namespace vectimus::cli
