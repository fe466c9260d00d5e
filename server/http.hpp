// The HTTP layer of the team server: Boost.Beast on Asio, asynchronous, one thread per core. It
// is the only file that includes Beast (and Asio's TLS); everything it learns from a request
// goes to App::handle (server/app.hpp) as plain types.
//
// Per connection: a session that owns its buffer, parser and deadlines. Waiting for a request
// on a kept-alive connection is bounded by the idle timeout, reading a request once its first
// byte arrived by the read timeout (so a client that trickles bytes is cut off), the header and
// body by their size limits (431, 413), the number of connections by max_connections (503). An
// /events subscriber holds a socket, not a thread: its writes are driven by the hub's wake-ups
// and a heartbeat timer. The same handler serves TCP (optionally TLS) and a Unix socket.
#pragma once

#include <functional>
#include <iosfwd>

#include "server/policy_store.hpp"
#include "server/settings.hpp"

namespace vectimus::server {

// Serves until SIGINT or SIGTERM (0), or fails to start (1, the reason on `err`). Prints
// `vectimus server listening on http://HOST:PORT` (or https://, or unix:PATH) on `out` once it
// listens. `store` must be loaded.
int serve(const Settings& settings, PolicyStore& store, std::ostream& out, std::ostream& err);

}  // namespace vectimus::server
