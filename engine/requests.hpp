// Event -> Cedar request(s). The event itself is one request (`command` is the whole command
// line, so rules written against the raw text, such as a fork bomb's, still apply). A command
// line comes analysed by normalise (Event::analysis, normalise/shell/analysis.hpp; this file
// only maps the analysis, it never parses shell) and each simple command it would run becomes
// one more request: `command` is its canonical text (`r''m -fr /`
// and `/bin/rm -fr /` both read `rm -fr /`), with `raw_command` (the whole line), `program`,
// `args`, `flags`, `provenance` and `unresolved` (Sets of strings where plural), and the action
// classified from that command alone. The whole line's `unresolved` codes are on the event's
// request when there are any.
//
// The context holds only the attributes the event has, so a rule reading an absent attribute
// errors and is skipped, as Cedar intends (docs/cedar.md). Names: tool_name, source, command,
// file_path, file_paths, url, urls, mcp_server, mcp_tool, mcp_plugin, mcp_server_command,
// mcp_server_approved (MCP calls only), package_name, package_names, content, cwd, tool_input
// (MCP and unmapped tools), hook_event_name, permission_mode, agent_id, agent_type, and the
// agent parameters subagent_type, mode, max_turns, run_in_background, model, name,
// description, prompt, team_name, recipient, message_type, message; in server mode
// session_spawn_count and session_message_count (server/flood.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "interpreter/request.hpp"
#include "normalise/event.hpp"
#include "normalise/shell/analysis.hpp"

namespace vectimus::engine {

struct PlannedRequest {
  std::string origin;        // "event"; "command" for a simple command of the line; "content" for a
                             // line of inspected content
  std::string content_path;  // content: the file the line belongs to
  bool from_script = false;  // content: a script the command runs (else: content written)
  uint32_t content_line = 0;  // content: 1-based line number
  interpreter::Request request;
};

struct RequestFacts {
  ir::EntityUid principal;
  bool mcp_server_approved = false;
  // What `~` and `$HOME` mean to the analysis of inspected content (normalise/content.hpp), and
  // of the command line of an event built without normalise_payload (Engine::decide).
  std::string home = "/home/user";
  // The project root the engine found (engine/locate.hpp), empty when none. File accesses are
  // judged inside or outside the project by it when the event's cwd lies in it, else by the cwd.
  std::string project;
};

ir::EntityUid action_uid(normalise::ActionType type);
ir::EntityUid resource_uid(const normalise::Event& event);

// The event's own request, then one per simple command of its analysed command line
// (Event::analysis).
std::vector<PlannedRequest> requests_for_event(const normalise::Event& event,
                                               const RequestFacts& facts);

// The simple commands (and the files they touch) of one analysed line of a shell script
// (normalise/content.hpp), as for the event's own command line, marked as content so the reason
// names the file and line.
std::vector<PlannedRequest> requests_for_script_line(const normalise::Event& event,
                                                     const RequestFacts& facts,
                                                     const std::string& path, bool from_script,
                                                     uint32_t line_number, std::string_view line,
                                                     const shell::Analysis& analysis);

// A line of inspected content as one request: `command` is the raw line, the action what the
// line's analysed commands are (normalise::classify_commands).
PlannedRequest request_for_content_line(const normalise::Event& event, const RequestFacts& facts,
                                        const std::string& path, bool from_script,
                                        uint32_t line_number, std::string_view line,
                                        const shell::Analysis& analysis);

}  // namespace vectimus::engine
