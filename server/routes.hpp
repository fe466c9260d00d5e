// The route table: method and path to a route, as a pure function (tested alone).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vectimus::server {

enum class RouteKind : uint8_t {
  page,          // GET / and the page's other files
  health,        // GET /health
  healthz,       // GET /healthz
  ready,         // GET /ready
  policies,      // GET /policies
  evaluate,      // POST /evaluate
  hook,          // POST /v1/hooks/<source>
  events,        // GET /events
  approvals,     // GET /v1/approvals
  approve,       // POST /v1/approvals/<id>/approve|deny
  approve_link,  // GET /v1/approvals/<id>/approve|deny?expires=&sig= (webhook links)
  checkpoints,   // POST /v1/checkpoints (the witness)
  bundle,        // GET /v1/bundle (the signed policy bundle of `[server] bundle`)
  not_found,
  bad_method,  // a known path with another method
};

struct Route {
  RouteKind kind = RouteKind::not_found;
  std::string_view param;   // hook: the source; approve: the approval id; page: the file
  std::string_view action;  // approve, approve_link: "approve" or "deny"
  std::string_view query;   // after `?`
  const char* allow = "";   // bad_method: the methods the path takes
};

Route route_of(std::string_view method, std::string_view target);

// Whether the route needs an API key when keys are configured.
bool needs_key(RouteKind kind);

// The value of `name` in a query string (`a=1&b=2`), percent-decoded; empty when absent.
std::string query_value(std::string_view query, std::string_view name);

}  // namespace vectimus::server
