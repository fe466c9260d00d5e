// Checks a rule's reads of `context` against what the normaliser can put there
// (normalise/attributes.hpp, the one table of context attributes), so a rule that can never
// fire for a reason Cedar does not see is reported:
//
// - `unknown-attribute`: `context.comand` (or `context has comand`) names an attribute no event
//   ever carries; the warning names the nearest one ("did you mean `command`?").
// - `attribute-out-of-scope`: the rule's action scope (`action == ...`, `action in [...]`) holds
//   no action type whose requests carry the attribute (`context.url` in a `file_write` rule).
//   An unconstrained action scope is every type, so only unknown names are reported there.
// - `pattern-never-matches`: a `like` pattern, or a string compared with `==` or `contains`,
//   whose fixed start cannot begin what the normaliser produces for that attribute: a relative
//   path (`context.file_path like "src/*"`) where paths are absolute whenever the agent sends a
//   cwd, as every supported agent does. Not reported when the rule also matches the same file
//   in any folder (`like "*/src/*"` beside it): the relative form is then the deliberate
//   fallback for a payload without a cwd, which the built-in packs keep.
//
// All findings are warnings: the rule is valid Cedar. Each kind is reported once per attribute
// per rule, at the first place it is read. `vectimus lint` reports them (`--strict` makes them
// errors); the pack loader (engine/packs.cpp) collects them for packs that are not built in.
#pragma once

#include "ir/ir.hpp"
#include "support/diagnostic.hpp"

namespace vectimus::engine {

Diagnostics check_context_reads(const ir::Policy& policy);

}  // namespace vectimus::engine
