//! One entry of the `hosts:` table, as the runbook holds it. What is done
//! with hosts (name checks, per-host limits) is in [`crate::hosts`].

use std::path::PathBuf;

use super::Located;

/// One entry of the top-level `hosts:` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// The name steps use in `host:`.
    pub name: Located<String>,
    /// Host name or IP address given to `ssh`.
    pub address: String,
    /// Remote user (`ssh -l`); `ssh`'s own default when absent.
    pub user: Option<String>,
    /// SSH port (`ssh -p`).
    pub port: Option<u16>,
    /// Private key (`ssh -i`), relative to the runbook's folder unless
    /// absolute or starting with `~`.
    pub identity_file: Option<PathBuf>,
    /// Jump host (`ssh -J`): the name of another host of the table, or an
    /// `[user@]host[:port]` written out.
    pub jump: Option<String>,
    /// `known_hosts` file for this host (`UserKnownHostsFile`), relative to
    /// the runbook's folder: lets a drill ship the host keys it trusts.
    pub known_hosts: Option<PathBuf>,
    /// Most steps running on this host at once.
    pub max_parallel: Option<u32>,
    /// Most commands sharing one connection to this host (the server's
    /// `MaxSessions`); `None` for [`DEFAULT_MAX_SESSIONS`].
    pub max_sessions: Option<u32>,
}

/// The sessions one connection carries unless a host says otherwise:
/// OpenSSH's stock `MaxSessions`.
pub const DEFAULT_MAX_SESSIONS: u32 = 10;

impl Host {
    /// Most commands sharing one connection to this host.
    pub fn session_limit(&self) -> usize {
        self.max_sessions.unwrap_or(DEFAULT_MAX_SESSIONS).max(1) as usize
    }
}
