// What the HTTP layer (server/http.cpp, the only place Beast lives) and the routes
// (server/app.hpp) pass each other: a parsed request, a response, and the Exchange through which
// a route answers, now or later (a held approval), or turns the connection into an event stream.
// Plain types, so every route is testable without a socket.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace vectimus::audit {
class AuditWriter;
struct Gap;
}  // namespace vectimus::audit

namespace vectimus::server {

struct Request {
  std::string_view method;  // "GET", "POST", ...
  std::string_view target;  // path and query, as sent
  std::string_view body;
  std::string_view source_header;   // X-Vectimus-Source
  std::string_view api_key_header;  // X-Vectimus-API-Key
  std::string_view authorization;   // Authorization
  std::string_view last_event_id;   // Last-Event-ID
  std::string_view log_key;         // X-Vectimus-Log-Key (a project's first checkpoint)
};

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::string decision;  // X-Vectimus-Decision, when not empty
  std::string allow;     // Allow (405), when not empty
  // A file of the live page: sent with a Content-Security-Policy that lets it load only itself
  // and talk only to this server, so a decision's text can never run as script there.
  bool page = false;
};

// One request's way back. respond() may be called from any thread, once; a route that neither
// responds nor streams leaves the request waiting (an approval holds it).
class Exchange {
 public:
  virtual ~Exchange() = default;
  virtual void respond(Response response) = 0;
  // Sends the event-stream header and then the hub's events after `after`.
  virtual void stream(uint64_t after) = 0;
};

// What the routes need from the server's event loop.
class Runtime {
 public:
  virtual ~Runtime() = default;
  // Runs `fn` on the loop after `delay`.
  virtual void after(std::chrono::milliseconds delay, std::function<void()> fn) = 0;
  // POSTs `body` (JSON) to `url` in the background; failures go to stderr.
  virtual void send_webhook(std::string url, std::string body) = 0;
  // Group commit (pipeline::DecideOptions::queue_record): takes the audit record, for `writer`,
  // to write with the others of the calling loop's turn before any of that turn's answers
  // leave; false (the default): the caller writes it now.
  virtual bool queue_record(std::shared_ptr<audit::AuditWriter> writer, std::string&& record,
                            int64_t now_ns, const audit::Gap* carried) {
    (void)writer, (void)record, (void)now_ns, (void)carried;
    return false;
  }
};

}  // namespace vectimus::server
