// The command table: each command lives in its own file and registers itself on the app.
// A command's callback stores its process exit code in `exit_code`; main returns it.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace vectimus::cli {

void add_cedar_command(CLI::App& app, int& exit_code);  // cedar authorize, cedar run-tests
void add_lint_command(CLI::App& app, int& exit_code);
void add_hook_command(CLI::App& app, int& exit_code);
void add_test_command(CLI::App& app, int& exit_code);
void add_explain_command(CLI::App& app, int& exit_code);
void add_eval_command(CLI::App& app, int& exit_code);
void add_verify_command(CLI::App& app, int& exit_code);    // verify RECEIPT, verify --log
void add_receipts_command(CLI::App& app, int& exit_code);  // receipts list|show|prune|prove|bundle
void add_report_command(CLI::App& app, int& exit_code);
void add_init_command(CLI::App& app, int& exit_code);    // init (cli/init.cpp, setup/)
void add_remove_command(CLI::App& app, int& exit_code);  // remove
void add_status_command(CLI::App& app, int& exit_code);  // status
void add_rule_command(CLI::App& app,
                      int& exit_code);  // rule list|show|disable|enable|enforce|overrides
void add_mcp_command(CLI::App& app, int& exit_code);        // mcp allow|deny|list
void add_observe_command(CLI::App& app, int& exit_code);    // observe on|off|status
void add_pack_command(CLI::App& app, int& exit_code);       // pack list|enable|disable|new
void add_server_command(CLI::App& app, int& exit_code);     // server start
void add_approvals_command(CLI::App& app, int& exit_code);  // approvals list|approve|deny
void add_policy_command(CLI::App& app, int& exit_code);     // policy bundle|update|status
void add_version_flag(CLI::App& app);                       // --version
std::string version_number();                               // "0.1.0", from CMake's project()
void add_doc_command(CLI::App& app, int& exit_code);  // hidden: man pages, completions (doc.cpp)

// Exit codes shared by the commands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 1;  // also: tests failed, lint found errors
inline constexpr int kExitDeny = 2;

}  // namespace vectimus::cli
