// Who is acting: the principal of every request, built as a Cedar entity so policies can test
// `principal is Vectimus::Agent` or `principal.groups.contains("oncall")`.
//
// The id comes from the payload (Cursor's user_email), else `git config user.email` in the
// project (only when the project is a git repository), else the OS user. Running git costs a
// process start, so the engine asks for the identity only when some rule reads `principal` (or
// `vectimus explain` shows it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/config.hpp"
#include "support/host.hpp"
#include "interpreter/entities.hpp"
#include "normalise/event.hpp"

namespace vectimus::engine {

struct Identity {
  IdentityType type = IdentityType::user;
  std::string id;
  std::vector<std::string> groups;  // sorted, unique
  std::string origin;               // "payload", "git", "os", or "unresolved" (not looked up)
};

Identity resolve_identity(const Host& host, const Config& config, const normalise::Event& event,
                          const std::optional<std::string>& project);
// The identity without looking anything up: type and groups from config, id "unresolved".
Identity unresolved_identity(const Config& config);

ir::EntityUid principal_uid(const Identity& identity);
// The principal entity: attribute `groups` (a Set of strings), no parents.
interpreter::Entity principal_entity(const Identity& identity);

}  // namespace vectimus::engine
