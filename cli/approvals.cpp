// `vectimus approvals list|approve ID|deny ID --server URL [--api-key K] [--by NAME]`: a person's
// side of the team server's held escalations (docs/server.md, "Approvals"), over its API with
// the HTTP client of client/. The key comes from --api-key, else VECTIMUS_API_KEY.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "audit/json.hpp"
#include "cli/commands.hpp"
#include "client/http_client.hpp"
#include "support/json_writer.hpp"

namespace vectimus::cli {
namespace {

struct ApprovalsOptions {
  std::string server;
  std::string api_key;
  std::string id;
  std::string by;
  std::string format = "text";
  int timeout_seconds = 10;
};

// One call to the server; prints what went wrong and returns nullopt on any failure.
std::optional<client::Response> call(const ApprovalsOptions& o, const std::string& method,
                                     const std::string& path, const std::string& body) {
  client::Request req;
  req.method = method;
  std::string base = o.server;
  while (!base.empty() && base.back() == '/') base.pop_back();
  req.url = base + path;
  std::string key = o.api_key;
  if (key.empty()) {
    if (const char* env = std::getenv("VECTIMUS_API_KEY")) key = env;
  }
  if (!key.empty()) req.headers.push_back({"X-Vectimus-API-Key", key});
  if (!body.empty()) {
    req.headers.push_back({"Content-Type", "application/json"});
    req.body = body;
  }
  client::Options options;
  options.timeout = std::chrono::seconds(o.timeout_seconds);
  client::HttpResult result = client::request(req, options);
  if (!result) {
    std::cerr << "error: " << result.error().message << '\n';
    return std::nullopt;
  }
  const client::Response& r = result.response();
  if (r.status != 200) {
    std::string why = r.body;
    if (auto parsed = audit::parse_json(r.body)) {
      if (const audit::JsonValue* e = parsed->find("error")) why = e->text;
    }
    std::cerr << "error: the server answered " << r.status << " for " << method << ' ' << path
              << ": " << why << '\n';
    return std::nullopt;
  }
  return r;
}

std::string text_of(const audit::JsonValue* v) {
  if (v == nullptr) return "";
  if (v->kind == audit::JsonValue::Kind::string) return v->text;
  return "";
}

int run_list(const ApprovalsOptions& o) {
  auto r = call(o, "GET", "/v1/approvals", {});
  if (!r) return kExitBadInput;
  if (o.format == "json") {
    std::cout << r->body << '\n';
    return kExitOk;
  }
  auto parsed = audit::parse_json(r->body);
  const audit::JsonValue* list = parsed ? parsed->find("approvals") : nullptr;
  if (list == nullptr || list->kind != audit::JsonValue::Kind::array) {
    std::cerr << "error: the server's answer is not an approvals list\n";
    return kExitBadInput;
  }
  if (list->items.empty()) {
    std::cout << "no pending approvals\n";
    return kExitOk;
  }
  for (const audit::JsonValue& a : list->items) {
    const audit::JsonValue* d = a.find("decision");
    std::string rules;
    if (const audit::JsonValue* rs = d ? d->find("rules") : nullptr) {
      for (const audit::JsonValue& rule : rs->items)
        rules += (rules.empty() ? "" : ",") + rule.text;
    }
    std::cout << text_of(a.find("id")) << "  expires " << text_of(a.find("expires")) << "  "
              << text_of(d ? d->find("source") : nullptr) << "  "
              << text_of(d ? d->find("developer") : nullptr) << "  " << rules << "  "
              << text_of(d ? d->find("summary") : nullptr) << '\n';
  }
  return kExitOk;
}

int run_settle(const ApprovalsOptions& o, const std::string& action) {
  std::string body;
  if (!o.by.empty()) {
    JsonWriter w;
    w.begin_object().key("by").value(o.by).end_object();
    body = w.take();
  }
  auto r = call(o, "POST", "/v1/approvals/" + o.id + "/" + action, body);
  if (!r) return kExitBadInput;
  std::cout << o.id << ' ' << (action == "approve" ? "approved" : "denied") << '\n';
  return kExitOk;
}

}  // namespace

void add_approvals_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ApprovalsOptions>();
  auto* approvals =
      app.add_subcommand("approvals", "A team server's held escalations: list, approve, deny");
  approvals->require_subcommand(1);
  auto* list = approvals->add_subcommand("list", "The pending approvals");
  auto* approve = approvals->add_subcommand("approve", "Let a held call through");
  auto* deny = approvals->add_subcommand("deny", "Refuse a held call");
  for (auto* cmd : {list, approve, deny}) {
    cmd->add_option("--server", o->server, "the server's URL, e.g. https://vectimus.example")
        ->required();
    cmd->add_option("--api-key", o->api_key, "the API key (default: VECTIMUS_API_KEY)");
    cmd->add_option("--timeout", o->timeout_seconds, "seconds to wait for the server")
        ->check(CLI::Range(1, 300));
  }
  list->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  for (auto* cmd : {approve, deny}) {
    cmd->add_option("ID", o->id, "the approval's id (from `approvals list`)")->required();
    cmd->add_option("--by", o->by, "who answers (default: the key's name)");
  }
  list->callback([o, &exit_code] { exit_code = run_list(*o); });
  approve->callback([o, &exit_code] { exit_code = run_settle(*o, "approve"); });
  deny->callback([o, &exit_code] { exit_code = run_settle(*o, "deny"); });
}

}  // namespace vectimus::cli
