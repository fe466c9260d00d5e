#include "client/hook_client.hpp"

#include <exception>

#include "client/http_client.hpp"

namespace vectimus::client {

namespace {
// A hook answer is a short document; anything near this is not one.
constexpr std::size_t kMaxAnswerBytes = 256 << 10;
}  // namespace

std::string hook_endpoint(std::string_view base_url, std::string_view source) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  return std::string(base_url) + "/v1/hooks/" + std::string(source);
}

pipeline::ServerReply ask_hook_server(const pipeline::ServerTarget& target, std::string_view source,
                                      std::string_view bytes) {
  pipeline::ServerReply reply;
  try {
    Request req;
    req.method = "POST";
    req.url = hook_endpoint(target.url, source);
    req.headers.push_back({"Content-Type", "application/json"});
    if (target.api_key) req.headers.push_back({"X-Vectimus-API-Key", *target.api_key});
    req.body = std::string(bytes);
    Options options;
    options.timeout = target.timeout;
    options.max_body_bytes = kMaxAnswerBytes;
    HttpResult result = request(req, options);
    if (!result) {
      reply.error = result.error().message;
      return reply;
    }
    reply.status = result.response().status;
    reply.body = std::move(result.response().body);
    if (auto decision = result.response().header("X-Vectimus-Decision")) {
      reply.decision = std::string(*decision);
    }
  } catch (const std::exception& e) {
    reply.error = std::string("internal error: ") + e.what();
  }
  return reply;
}

}  // namespace vectimus::client
