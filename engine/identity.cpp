#include "engine/identity.hpp"

namespace vectimus::engine {

Identity unresolved_identity(const Config& config) {
  Identity out;
  out.type = config.identity_type.value_or(IdentityType::user);
  out.groups = config.groups.value_or(std::vector<std::string>{});
  out.id = "unresolved";
  out.origin = "unresolved";
  return out;
}

Identity resolve_identity(const Host& host, const Config& config, const normalise::Event& event,
                          const std::optional<std::string>& project) {
  Identity out = unresolved_identity(config);
  if (event.user_email && !event.user_email->empty()) {
    out.id = *event.user_email;
    out.origin = "payload";
    return out;
  }
  if (project && host.git_email && host.fs->exists(join_path(*project, ".git"))) {
    if (auto email = host.git_email(*project)) {
      out.id = *email;
      out.origin = "git";
      return out;
    }
  }
  if (host.os_user) {
    if (std::string user = host.os_user(); !user.empty()) {
      out.id = std::move(user);
      out.origin = "os";
      return out;
    }
  }
  out.id = "unknown";
  out.origin = "unknown";
  return out;
}

ir::EntityUid principal_uid(const Identity& identity) {
  return ir::EntityUid{identity.type == IdentityType::agent ? "Vectimus::Agent" : "Vectimus::User",
                       identity.id};
}

interpreter::Entity principal_entity(const Identity& identity) {
  std::vector<interpreter::Value> groups;
  for (const std::string& g : identity.groups) groups.push_back(interpreter::Value::string(g));
  interpreter::Entity entity;
  entity.uid = principal_uid(identity);
  entity.attrs =
      interpreter::Value::record({{"groups", interpreter::Value::set(std::move(groups))}});
  return entity;
}

}  // namespace vectimus::engine
