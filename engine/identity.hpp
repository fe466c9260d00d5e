// Who is acting: the principal of every request, built as a Cedar entity so policies can test
// `principal is Vectimus::Agent`, `principal.groups.contains("oncall")` or
// `principal.persona == "reviewer"`.
//
// The id comes from `[identity] resolver` (architecture.md):
//   git     the payload's user email (Cursor's user_email), else `git config user.email` in the
//           project (only when the project is a git repository), else the OS user (the default);
//   env     VECTIMUS_PRINCIPAL, else the OS user;
//   system  the OS user.
// The entity type is `[identity] identity_type` (VECTIMUS_IDENTITY_TYPE; agent when CI=true),
// its attributes `groups` and `persona` (`[identity] persona`, VECTIMUS_PERSONA, else
// `default_persona`). Running git costs a process start, so the engine asks for the identity
// only when some rule reads `principal` (or `vectimus explain` shows it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/config.hpp"
#include "interpreter/entities.hpp"
#include "normalise/event.hpp"
#include "support/host.hpp"

namespace vectimus::engine {

struct Identity {
  IdentityType type = IdentityType::user;
  std::string id;
  std::vector<std::string> groups;  // sorted, unique
  std::string persona;
  // "payload", "git", "env", "os", "unknown", or "unresolved" (not looked up)
  std::string origin;
};

Identity resolve_identity(const Host& host, const Config& config, const normalise::Event& event,
                          const std::optional<std::string>& project);
// The identity without looking anything up: type, groups and persona from config, id
// "unresolved".
Identity unresolved_identity(const Config& config);

ir::EntityUid principal_uid(const Identity& identity);
// The principal entity: attributes `groups` (a Set of strings) and `persona` (a String).
interpreter::Entity principal_entity(const Identity& identity);

}  // namespace vectimus::engine
