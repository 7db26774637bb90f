//! Exit codes, the same for every command (documented in the README).

use std::process::ExitCode;

/// Success: the runbook is valid, the drill recovered, the journal is intact.
pub const SUCCESS: u8 = 0;
/// The drill finished degraded (some step failed, or a critical one was skipped).
pub const DEGRADED: u8 = 1;
/// Invalid input or usage: bad runbook, bad flag, unreadable or damaged file.
pub const INVALID: u8 = 2;
/// The drill was aborted.
pub const ABORTED: u8 = 3;

/// Converts one of the constants above into a process exit code.
pub fn code(c: u8) -> ExitCode {
    ExitCode::from(c)
}
