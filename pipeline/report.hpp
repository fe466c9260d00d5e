// JSON views of a pipeline Outcome, shared by `explain`, `eval` and (later) the server and the
// audit log: Cedar values in Cedar's JSON format (entities as `{"__entity":{"type","id"}}`),
// normalised events, decisions with their requests and matched rules, and the hook answer.
#pragma once

#include <string>

#include "interpreter/value.hpp"
#include "normalise/event.hpp"
#include "pipeline/decide.hpp"
#include "support/json_writer.hpp"

namespace vectimus::pipeline {

void write_uid(JsonWriter& w, const ir::EntityUid& uid);
void write_value(JsonWriter& w, const interpreter::Value& value);
void write_event(JsonWriter& w, const normalise::Event& event);

// `{"decision","rules":[ids in document order],"reason"}`: one line of `vectimus eval`.
std::string summary_json(const Outcome& outcome);

struct ExplainDetail {
  std::string source;  // the `--source` value
  bool index = false;  // each request also shows the rule index's atoms and candidates
};

// The whole story of one decision, for `vectimus explain`: the event, where config and packs
// came from, the principal, each Cedar request with the rules it matched and the rules that
// errored, the matched rules with their enforcement, any analysis bound that was hit, the
// decision and the exact hook answer.
std::string explain_json(const Outcome& outcome, const ExplainDetail& detail);

}  // namespace vectimus::pipeline
