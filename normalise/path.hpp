// Lexical path normalisation for the paths agents send (file_path, cwd, patch headers).
//
// Policies match paths with `like` patterns such as `*/.env` or `/etc/*`, so `/etc/./passwd`,
// `/tmp/../etc//passwd` and `passwd` (with cwd `/etc`) must all reach them as `/etc/passwd`.
// Purely lexical: the file system is never touched (no symlinks resolved, `~` not expanded, no
// environment read), so the result is the same on every machine and in tests.
#pragma once

#include <string>
#include <string_view>

namespace vectimus::normalise {

// True for `/x`, `C:/x`, `C:\x` and `\\server\share`.
bool is_absolute_path(std::string_view path);

// Collapses `.`, `..` and repeated separators; drops a trailing separator. A relative `path` is
// first joined to `cwd` when `cwd` is absolute; otherwise it stays relative (leading `..` kept,
// empty result is `.`). `..` at the root stays at the root. Windows-shaped paths (a drive letter,
// a UNC prefix, or a relative path under a Windows cwd) use `/` as separator afterwards and an
// upper-case drive letter: `c:\Users\me\..\x` becomes `C:/Users/x`. A path starting with `~`
// keeps `~` (or `~user`) as its root and is never joined to `cwd`. An empty path stays empty.
std::string normalise_path(std::string_view path, std::string_view cwd = {});

}  // namespace vectimus::normalise
