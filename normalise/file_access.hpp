// Which files a simple command reads or writes, so file rules apply whichever tool touches the
// file: `cat ~/.ssh/id_rsa` is a read of `/home/user/.ssh/id_rsa` just as the agent's Read tool
// would be, and `echo x >> ~/.bashrc` a write of `/home/user/.bashrc`.
//
// Data flow: shell::SimpleCommand (normalise/shell/analysis.hpp) -> file_accesses() -> the
// engine turns each FileAccess into a file_read or file_write request. Sources are redirection
// targets and the operands of the readers and writers listed in file_access.cpp (a table, one
// row per program). Paths are lexically normalised against the command's cwd.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "normalise/shell/analysis.hpp"

namespace vectimus::normalise {

struct FileAccess {
  std::string path;  // normalised; absolute when the cwd is known
  bool write = false;
  std::string_view via;  // "redirection" or "operand"
};

// In command order: redirections first, then operands. A path is listed once per mode.
std::vector<FileAccess> file_accesses(const shell::SimpleCommand& command, std::string_view cwd);

}  // namespace vectimus::normalise
