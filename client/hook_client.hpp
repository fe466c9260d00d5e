// The hook in client mode: how `vectimus hook` asks a team server for its answer. The pipeline
// decides when to ask and what to do with the reply (pipeline/decide.hpp); this is only the
// exchange: POST the agent's payload, unchanged, to `<url>/v1/hooks/<source>` with the API key
// in `X-Vectimus-API-Key`, within the configured timeout, and hand back status, body and the
// `X-Vectimus-Decision` header (the server's contract: that endpoint answers exactly what the
// command hook would print).
#pragma once

#include <string>
#include <string_view>

#include "pipeline/decide.hpp"

namespace vectimus::client {

// `<base>/v1/hooks/<source>`, the base without its trailing slashes.
std::string hook_endpoint(std::string_view base_url, std::string_view source);

// A pipeline::AskServer over the HTTP client (http_client.hpp). Never throws.
pipeline::ServerReply ask_hook_server(const pipeline::ServerTarget& target, std::string_view source,
                                      std::string_view bytes);

}  // namespace vectimus::client
