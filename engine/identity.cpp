#include "engine/identity.hpp"

namespace vectimus::engine {
namespace {

bool take_os_user(const Host& host, Identity& out) {
  if (!host.os_user) return false;
  std::string user = host.os_user();
  if (user.empty()) return false;
  out.id = std::move(user);
  out.origin = "os";
  return true;
}

bool take_git_email(const Host& host, const normalise::Event& event,
                    const std::optional<std::string>& project, Identity& out) {
  if (event.user_email && !event.user_email->empty()) {
    out.id = *event.user_email;
    out.origin = "payload";
    return true;
  }
  if (project && host.git_email && host.fs->exists(join_path(*project, ".git"))) {
    if (auto email = host.git_email(*project)) {
      out.id = *email;
      out.origin = "git";
      return true;
    }
  }
  return false;
}

}  // namespace

Identity unresolved_identity(const Config& config) {
  Identity out;
  out.type = config.identity_type == "agent" ? IdentityType::agent : IdentityType::user;
  out.groups = config.groups;
  out.persona = config.effective_persona();
  out.id = "unresolved";
  out.origin = "unresolved";
  return out;
}

Identity resolve_identity(const Host& host, const Config& config, const normalise::Event& event,
                          const std::optional<std::string>& project) {
  Identity out = unresolved_identity(config);
  bool found = false;
  if (config.identity_resolver == "git") {
    found = take_git_email(host, event, project, out);
  } else if (config.identity_resolver == "env" && config.principal && !config.principal->empty()) {
    out.id = *config.principal;
    out.origin = "env";
    found = true;
  }
  if (!found && !take_os_user(host, out)) {
    out.id = "unknown";
    out.origin = "unknown";
  }
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
      interpreter::Value::record({{"groups", interpreter::Value::set(std::move(groups))},
                                  {"persona", interpreter::Value::string(identity.persona)}});
  return entity;
}

}  // namespace vectimus::engine
