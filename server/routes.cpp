#include "server/routes.hpp"

namespace vectimus::server {
namespace {

Route only(RouteKind kind, std::string_view method, std::string_view want, const char* allow) {
  Route r;
  if (method == want || (want == "GET" && method == "HEAD")) {
    r.kind = kind;
  } else {
    r.kind = RouteKind::bad_method;
    r.allow = allow;
  }
  return r;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Route route_of(std::string_view method, std::string_view target) {
  std::string_view path = target;
  std::string_view query;
  if (const std::size_t q = target.find('?'); q != std::string_view::npos) {
    path = target.substr(0, q);
    query = target.substr(q + 1);
  }
  Route r;
  if (path == "/health")
    r = only(RouteKind::health, method, "GET", "GET");
  else if (path == "/healthz")
    r = only(RouteKind::healthz, method, "GET", "GET");
  else if (path == "/ready")
    r = only(RouteKind::ready, method, "GET", "GET");
  else if (path == "/policies")
    r = only(RouteKind::policies, method, "GET", "GET");
  else if (path == "/evaluate")
    r = only(RouteKind::evaluate, method, "POST", "POST");
  else if (path == "/events")
    r = only(RouteKind::events, method, "GET", "GET");
  else if (path == "/v1/approvals")
    r = only(RouteKind::approvals, method, "GET", "GET");
  else if (path == "/v1/bundle")
    r = only(RouteKind::bundle, method, "GET", "GET");
  else if (path == "/v1/checkpoints")
    r = only(RouteKind::checkpoints, method, "POST", "POST");
  else if (path.starts_with("/v1/hooks/")) {
    const std::string_view source = path.substr(10);
    if (source.empty() || source.find('/') != std::string_view::npos) return r;
    r = only(RouteKind::hook, method, "POST", "POST");
    r.param = source;
  } else if (path.starts_with("/v1/approvals/")) {
    const std::string_view rest = path.substr(14);
    const std::size_t slash = rest.find('/');
    if (slash == std::string_view::npos || slash == 0) return r;
    const std::string_view action = rest.substr(slash + 1);
    if (action != "approve" && action != "deny") return r;
    if (method == "POST") {
      r.kind = RouteKind::approve;
    } else if (method == "GET") {
      r.kind = RouteKind::approve_link;
    } else {
      r.kind = RouteKind::bad_method;
      r.allow = "GET, POST";
    }
    r.param = rest.substr(0, slash);
    r.action = action;
  } else if (path == "/" || (path.size() > 1 && path.find("..") == std::string_view::npos &&
                             path.find('/', 1) == std::string_view::npos)) {
    // The page and its files (app.js, style.css) sit at the top level.
    r = only(RouteKind::page, method, "GET", "GET");
    r.param = path == "/" ? std::string_view("index.html") : path.substr(1);
  }
  r.query = query;
  return r;
}

bool needs_key(RouteKind kind) {
  switch (kind) {
    case RouteKind::evaluate:
    case RouteKind::hook:
    case RouteKind::events:
    case RouteKind::approvals:
    case RouteKind::approve:
    case RouteKind::checkpoints: return true;
    default: return false;
  }
}

std::string query_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const std::size_t amp = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, amp);
    query.remove_prefix(std::min(amp + 1, query.size()));
    const std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) != name) continue;
    if (eq == std::string_view::npos) return {};
    std::string out;
    const std::string_view value = pair.substr(eq + 1);
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '%' && i + 2 < value.size() && hex_digit(value[i + 1]) >= 0 &&
          hex_digit(value[i + 2]) >= 0) {
        out += static_cast<char>(hex_digit(value[i + 1]) * 16 + hex_digit(value[i + 2]));
        i += 2;
      } else if (value[i] == '+') {
        out += ' ';
      } else {
        out += value[i];
      }
    }
    return out;
  }
  return {};
}

}  // namespace vectimus::server
