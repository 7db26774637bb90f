//! Remote steps: commands run on the runbook's `hosts` through the system's
//! OpenSSH client. The reasons behind each choice are in `docs/remote.md`.
//!
//! - `ssh` always runs with `BatchMode=yes` (a missing key or an unknown
//!   host key fails at once instead of prompting in the middle of a drill),
//!   a connect timeout and keep-alives, and never turns host key checking
//!   off.
//! - Connections are shared: `ControlMaster=auto` with one socket per host
//!   (more when a host runs more commands at once than its `max_sessions`,
//!   see [`shared`]) in a private `0700` folder made for the drill
//!   ([`Session`]), each master checked alive before reuse, kept a
//!   short while after the last step (`ControlPersist`) and closed with
//!   `ssh -O exit` when the session ends. OpenSSH backgrounds the master
//!   in a session of its own, so killing a step's process group never kills
//!   the connection other steps share.
//! - The remote command line is a fixed `sh -s`. What to run travels on
//!   ssh's standard input as a small POSIX shell script ([`script`]): the
//!   variables, each exported with single-quote quoting (data, never code,
//!   and never on a command line that `ps` shows), then the command.
//! - The script runs the command in a process group of its own (`setsid`)
//!   with two watchers: one reads the script's standard input, which ends
//!   when the local `ssh` ends (timeout, abort, Ctrl-C, even a crash of
//!   reprise), and then ends the group (`SIGTERM`, 2 s, `SIGKILL`); the
//!   other does the same when the step's timeout (plus a margin) passes on
//!   the remote clock, in case the connection hangs rather than closes.
//! - A step with several hosts runs one `ssh` per host ([`spawn_all`]):
//!   separate sub-attempts, each line of output prefixed with its host, each
//!   host's end reported on its own ([`Report::HostExited`]), and one
//!   combined exit for the engine when the last host is done.

//!
//! The parts: [`options`] (the `ssh` options every connection gets),
//! [`sockets`] (the private folder of the shared connections' sockets),
//! [`script`] (what runs on the remote side), [`fan`] (the hosts of one
//! attempt, started boundedly).

mod fan;
mod options;
mod script;
mod shared;
mod sockets;

pub use fan::{Pump, combine, spawn_all};
pub(crate) use options::{opt, ssh_options};
pub use script::{quote, script};
pub use shared::Via;

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::hosts::Host;
use crate::runbook::Runbook;
use options::spec_host;
use shared::{Conns, Master};
use sockets::{close_sockets, private_dir, remove_stale, socket_base};

/// Seconds `ssh` waits for a TCP connection before giving up.
pub const CONNECT_TIMEOUT: u64 = 10;

/// Seconds a shared connection stays open after its last step.
pub const CONTROL_PERSIST: u64 = 60;

/// Seconds the remote side waits, beyond the step's timeout, before ending
/// the command itself: the local timeout normally fires first and is the
/// one recorded.
pub const REMOTE_MARGIN: u64 = 5;

pub use crate::exec::fleet::SSH_ERROR;

/// How long a shared connection's master has to answer whether it is
/// alive before it is given up.
const CHECK_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// What every remote attempt of a drill shares: the hosts, and the private
/// folder of the shared connections' sockets. Dropping it closes the
/// connections and removes the folder.
#[derive(Debug)]
pub struct Session {
    hosts: Vec<Host>,
    base_dir: PathBuf,
    /// `0700`, made for this session; holds one socket per host and jump
    /// host.
    control_dir: PathBuf,
    /// False when no folder with a short enough path exists: every `ssh`
    /// then connects on its own.
    sharing: bool,
    /// Each host's shared connections, by host name.
    conns: Mutex<HashMap<String, Conns>>,
    /// Hosts the runbook reaches with one command only (one step, no
    /// rollback): a shared connection would only add a master process
    /// and its teardown to that one login, so they connect on their own.
    single_use: std::collections::HashSet<String>,
    /// Jump hosts whose shared connection a host's `ssh` is opening: which
    /// host, and since when. Other hosts behind that jump host wait for
    /// it, so that a bastion sees one connection, not one per host.
    jump_opening: Mutex<HashMap<String, (String, Instant)>>,
}

impl crate::exec::process::Hosts for Session {
    fn start(
        self: Arc<Self>,
        spawner: &crate::exec::process::Spawner,
        launch: &crate::exec::Launch,
        step_id: &str,
        notify: crate::exec::process::Notify,
        watch: &mut crate::exec::watch::Watch,
        gate: &crate::exec::hold::Gate,
    ) -> Result<crate::exec::process::Attempt, crate::exec::Exit> {
        spawn_all(self, spawner, launch, step_id, notify, watch, gate)
    }
}

/// The hosts that `runbook` reaches with one command only: named by one
/// step, which has no rollback. A retry, a resume or a step added during
/// the drill then logs in again, as it would through a lost connection.
fn single_use(runbook: &Runbook) -> std::collections::HashSet<String> {
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for step in &runbook.steps {
        let n = 1 + usize::from(step.rollback.is_some());
        for h in &step.hosts {
            *uses.entry(h.value.as_str()).or_default() += n;
        }
    }
    uses.into_iter()
        .filter(|&(_, n)| n == 1)
        .map(|(h, _)| h.to_string())
        .collect()
}

impl Session {
    /// A session for `runbook`'s hosts; relative paths in host entries are
    /// resolved against `base_dir` (the runbook's folder).
    pub fn new(runbook: &Runbook, base_dir: &Path) -> std::io::Result<Self> {
        let (control_dir, sharing) = match socket_base() {
            Some(base) => {
                remove_stale(&base);
                (private_dir(&base)?, true)
            }
            None => {
                tracing::warn!(
                    "no temporary folder has a path short enough for ssh's connection sockets \
                     (TMPDIR is too long): every remote step connects on its own"
                );
                (PathBuf::new(), false)
            }
        };
        Ok(Session {
            hosts: runbook.hosts.clone(),
            base_dir: base_dir.to_path_buf(),
            control_dir,
            sharing,
            conns: Mutex::new(HashMap::new()),
            single_use: single_use(runbook),
            jump_opening: Mutex::new(HashMap::new()),
        })
    }

    /// The session a drill of `runbook` needs: `None` when no step runs
    /// remotely; `Err` is a message for the operator.
    pub fn for_runbook(runbook: &Runbook, base_dir: &Path) -> Result<Option<Arc<Self>>, String> {
        if runbook.steps.iter().all(|s| s.hosts.is_empty()) {
            return Ok(None);
        }
        Session::new(runbook, base_dir)
            .map(|s| Some(Arc::new(s)))
            .map_err(|e| format!("cannot create a private folder for the ssh connections: {e}"))
    }

    /// The host called `name`.
    pub fn host(&self, name: &str) -> Option<&Host> {
        self.hosts.iter().find(|h| h.name.value == name)
    }

    /// How the next command on host `name` reaches it: through one of
    /// the host's shared connections with a free session (at most its
    /// `max_sessions`), its master checked alive first, or opening one;
    /// [`Via::Own`] without sharing. Every claim is given back with
    /// [`Session::release`] when its `ssh` ends.
    pub fn claim(&self, name: &str) -> Via {
        let (Some(host), Some(i)) = (self.host(name), self.index(name)) else {
            return Via::Own;
        };
        if !self.sharing || self.single_use.contains(name) {
            return Via::Own;
        }
        let mut conns = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        let via = conns.entry(name.to_string()).or_default().claim(
            host.session_limit(),
            Instant::now(),
            |k| self.master(&self.socket_at(i, k)),
        );
        tracing::debug!(host = name, ?via, "ssh connection chosen");
        via
    }

    /// The `ssh` of a command claimed with `via` on host `name` ended.
    pub fn release(&self, name: &str, via: Via) {
        let mut conns = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = conns.get_mut(name) {
            c.release(via);
        }
    }

    /// Whether the shared connection `via` names is still up (always true
    /// for a connection of its own): when it is not after a command ended
    /// with ssh's 255, the connection was lost under the command.
    pub fn still_up(&self, name: &str, via: Via) -> bool {
        match (via, self.index(name)) {
            (Via::Shared { k, .. }, Some(i)) => {
                shared::check(&self.socket_at(i, k), CHECK_WAIT) == Master::Alive
            }
            _ => true,
        }
    }

    /// Whether the master at `socket` answers; one that does not is given
    /// up (its socket removed, so that a new master can take its place).
    fn master(&self, socket: &Path) -> Master {
        let m = shared::check(socket, CHECK_WAIT);
        if m == Master::Dead {
            tracing::warn!(socket = %socket.display(), "a shared ssh connection does not answer: opening a new one");
            let _ = std::fs::remove_file(socket);
        }
        m
    }

    /// `ssh` ready to run the [`script`] of a step on `name` (the script
    /// goes on its standard input) the way `via` says ([`Session::claim`]),
    /// or `None` for an unknown host.
    pub fn command(&self, name: &str, via: Via) -> Option<std::process::Command> {
        let host = self.host(name)?;
        let i = self.index(name)?;
        let mut args = vec![
            "-T".into(),
            // A `RemoteCommand` or forwardings in the operator's ssh config
            // would replace `sh -s` or fail the connection.
            opt("RemoteCommand=none"),
            opt("ClearAllForwardings=yes"),
        ];
        if let (true, Via::Shared { k, .. }) = (self.sharing, via) {
            let socket = self.socket_at(i, k);
            args.push(opt("ControlMaster=auto"));
            args.push(opt(&format!("ControlPath={}", socket.display())));
            args.push(opt(&format!("ControlPersist={CONTROL_PERSIST}")));
        } else {
            args.push(opt("ControlMaster=no"));
            args.push(opt("ControlPath=none"));
        }
        args.extend(ssh_options(
            &self.hosts,
            host,
            &self.base_dir,
            CONNECT_TIMEOUT,
            false,
        ));
        if let Some(jump) = &host.jump {
            args.push(self.proxy_command(jump));
        }
        args.push("--".into());
        args.push(host.address.clone().into());
        args.push("sh -s".into());
        let mut cmd = std::process::Command::new("ssh");
        cmd.args(args);
        Some(cmd)
    }

    /// Whether host `name` may start its `ssh` now: not while another
    /// host's `ssh` is opening the shared connection to its jump host
    /// (for at most the connect timeout). The first asking opens it.
    pub fn may_start(&self, name: &str) -> bool {
        let Some(jump) = self.host(name).and_then(|h| h.jump.as_deref()) else {
            return true;
        };
        if !self.sharing || self.master(&self.jump_socket(jump)) == Master::Alive {
            return true;
        }
        let mut opening = self.jump_opening.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        match opening.get(jump) {
            Some((by, since))
                if by != name && now.duration_since(*since).as_secs() < CONNECT_TIMEOUT + 5 =>
            {
                false
            }
            _ => {
                opening.insert(jump.to_string(), (name.to_string(), now));
                true
            }
        }
    }

    /// Host `name`'s `ssh` ended: if it was opening its jump host's
    /// connection, the hosts waiting for it go ahead (through the shared
    /// connection if it was opened, else each on its own).
    pub fn connected(&self, name: &str) {
        let Some(jump) = self.host(name).and_then(|h| h.jump.as_deref()) else {
            return;
        };
        let mut opening = self.jump_opening.lock().unwrap_or_else(|e| e.into_inner());
        if opening.get(jump).is_some_and(|(by, _)| by == name) {
            opening.remove(jump);
        }
    }

    /// The shared connection's socket for jump host `jump` (a name of the
    /// table or an `[user@]host[:port]` spec).
    fn jump_socket(&self, jump: &str) -> PathBuf {
        let key = match self.hosts.iter().position(|h| h.name.value == jump) {
            Some(i) => format!("j{i}"),
            None => {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                jump.hash(&mut h);
                format!("j{:x}", h.finish())
            }
        };
        self.control_dir.join(key)
    }

    /// `-oProxyCommand=ssh … -W %h:%p JUMP`: the host is reached through
    /// one connection to its jump host shared by every host behind it
    /// (`ssh -J` would open one per host, and a bastion with stock
    /// `MaxStartups` drops connections beyond 10 being set up).
    pub(crate) fn proxy_command(&self, jump: &str) -> OsString {
        let socket = self.jump_socket(jump);
        let mut words: Vec<String> = vec!["ssh".into()];
        if self.sharing {
            words.push("-oControlMaster=auto".into());
            words.push(format!("-oControlPath={}", socket.display()));
            words.push(format!("-oControlPersist={CONTROL_PERSIST}"));
        } else {
            words.push("-oControlMaster=no".into());
            words.push("-oControlPath=none".into());
        }
        let (host, mut extra): (Host, Vec<OsString>) =
            match self.hosts.iter().find(|h| h.name.value == jump) {
                Some(j) => (j.clone(), Vec::new()),
                None => (spec_host(jump), Vec::new()),
            };
        extra.extend(ssh_options(
            &self.hosts,
            &host,
            &self.base_dir,
            CONNECT_TIMEOUT,
            true,
        ));
        words.extend(extra.iter().map(|a| a.to_string_lossy().into_owned()));
        words.push("-W".into());
        let mut cmd: Vec<String> = words.iter().map(|w| quote(w).replace('%', "%%")).collect();
        cmd.push("%h:%p".into());
        cmd.push("--".into());
        cmd.push(quote(&host.address).replace('%', "%%"));
        format!("-oProxyCommand={}", cmd.join(" ")).into()
    }

    /// Where host `name` is in the table.
    fn index(&self, name: &str) -> Option<usize> {
        self.hosts.iter().position(|h| h.name.value == name)
    }

    /// The socket of shared connection `k` of the host at `i`: named by
    /// positions, so the path stays short (a Unix socket path has about
    /// 100 bytes).
    fn socket_at(&self, i: usize, k: usize) -> PathBuf {
        match k {
            0 => self.control_dir.join(format!("h{i}")),
            k => self.control_dir.join(format!("h{i}.{k}")),
        }
    }

    /// Closes every shared connection this session opened (hosts' and
    /// jump hosts'), all at once: `ssh -O exit` on each socket of the
    /// session's folder, then waits for them all.
    pub fn close(&self) {
        if !self.sharing {
            return;
        }
        close_sockets(&self.control_dir);
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.close();
        if self.sharing {
            let _ = std::fs::remove_dir_all(&self.control_dir);
        }
    }
}
