// A project and a home in a temp tree, and a one-line way to issue a receipt into it, for the
// audit tests (receipts, log, tampering, crashes).
#pragma once

#include <string>

#include "audit/issue.hpp"
#include "tests/support/test_host.hpp"

namespace vectimus::testing {

struct AuditProject {
  TempTree tree;
  TestHost th{tree.mkdir("project"), tree.mkdir("home")};

  std::string project() const { return tree.path("project"); }
  std::string home() const { return tree.path("home"); }
  std::string receipts() const { return project() + "/.vectimus/receipts"; }

  static audit::ReceiptFacts facts(const std::string& command) {
    audit::ReceiptFacts f;
    f.timestamp_ns = 1'767'225'600'123'456'000;  // 2026-01-01T00:00:00.123456Z
    f.principal_type = "agent";
    f.principal_id = "claude-code";
    f.tool = "Bash";
    f.normalised_tool = "shell_command";
    f.command = command;
    f.policy_set_hash = "sha256:" + std::string(64, '0');
    f.policy_pack_version = "1.0.0";
    f.matched_policy_id = "no-rm";
    f.outcome = "deny";
    f.reason = "blocked";
    f.evaluation_time_ms = 0.25;
    return f;
  }

  Result<audit::Issued> issue(const std::string& command, bool durable = true) const {
    return audit::issue_receipt(th.host, home(), project(), facts(command), {durable});
  }
};

}  // namespace vectimus::testing
