// The three forms of a Summary (audit/summary.hpp) that `vectimus report` writes.
//
//   text: tables for a terminal; commands on one line, cut at 100 characters.
//   JSON: one document, its shape documented in docs/report.md and stable: keys are only added.
//   HTML: one self-contained page (inline CSS, inline SVG charts of the decisions by outcome and
//         by day; no script, no network), every string from the log HTML-escaped: a command can
//         hold `<script>`.
//
// An empty window is not an error: each form says "no decisions recorded since …" and still
// shows any unread line or gap, which an auditor must see.
#pragma once

#include <string>

#include "audit/summary.hpp"

namespace vectimus::audit {

std::string report_text(const Summary& summary);
std::string report_json(const Summary& summary);
std::string report_html(const Summary& summary);

// `text` with & < > " ' as character references.
std::string html_escape(std::string_view text);

}  // namespace vectimus::audit
