// `[updates] auto_sync`: after the hook has written its answer, start a detached
// `vectimus policy update --if-due` when the last check is older than the interval.
//
// The agent waits for the hook process to exit and reads its stdout to the end, so the check
// never runs in the hook: the child is a new session with stdin, stdout and stderr on
// /dev/null (it holds none of the agent's pipes open) and the hook does not wait for it. The
// hook's own cost when due is one stat of last-check.json and a fork; when not due, the stat
// alone; with auto_sync off (the default), nothing. Several hooks due at once may each start a
// child; `--if-due` checks again under nothing but the last-check time, and install_bundle's
// lock serialises the installs, so they only repeat a cheap "unchanged".
#pragma once

#include <string>

#include "engine/config.hpp"
#include "support/host.hpp"

namespace vectimus::cli {

// Whether `sync_interval_hours` have passed since the last check (or there was none).
bool sync_due(const Host& host, const std::string& home, const engine::Config& config);

// When auto_sync is on and a check is due, starts the detached child. Never throws, never
// waits, never writes to the hook's stdout or stderr.
void start_sync_if_due(const Host& host, const engine::Config& config);

}  // namespace vectimus::cli
