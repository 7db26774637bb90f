//! Remote steps: commands run on the runbook's `hosts` through the system's
//! OpenSSH client. The reasons behind each choice are in `docs/remote.md`.
//!
//! - `ssh` always runs with `BatchMode=yes` (a missing key or an unknown
//!   host key fails at once instead of prompting in the middle of a drill),
//!   a connect timeout and keep-alives, and never turns host key checking
//!   off.
//! - Connections are shared: `ControlMaster=auto` with one socket per host
//!   in a private `0700` folder made for the drill ([`Session`]), kept a
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

use std::collections::{HashMap, VecDeque};
use std::ffi::OsString;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::fleet::is_connection_setup_failure;
use super::process::{Attempt, Notify, Report, Spawner, TAIL_LINES};
use super::watch::Watch;
use super::{Exit, Launch};
use crate::hosts::Host;
use crate::runbook::{Command, Duration, Runbook, StepIndex};

/// Seconds `ssh` waits for a TCP connection before giving up.
pub const CONNECT_TIMEOUT: u64 = 10;

/// Seconds a shared connection stays open after its last step.
pub const CONTROL_PERSIST: u64 = 60;

/// Seconds the remote side waits, beyond the step's timeout, before ending
/// the command itself: the local timeout normally fires first and is the
/// one recorded.
pub const REMOTE_MARGIN: u64 = 5;

/// The exit code `ssh` uses for its own errors (cannot connect, key
/// refused, host key unknown).
pub const SSH_ERROR: i32 = 255;

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
    /// Hosts whose shared connection a step is opening, and since when.
    opening: Mutex<HashMap<String, Instant>>,
    /// Jump hosts whose shared connection a host's `ssh` is opening: which
    /// host, and since when. Other hosts behind that jump host wait for
    /// it, so that a bastion sees one connection, not one per host.
    jump_opening: Mutex<HashMap<String, (String, Instant)>>,
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
            opening: Mutex::new(HashMap::new()),
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

    /// `ssh` ready to run the [`script`] of a step on `name` (the script
    /// goes on its standard input), or `None` for an unknown host.
    pub fn command(&self, name: &str) -> Option<std::process::Command> {
        let host = self.host(name)?;
        let socket = self.socket(name)?;
        // One step opens the shared connection; steps started while it is
        // being opened connect on their own rather than race for the
        // socket (ssh would print a warning into their output).
        let master = if !self.sharing {
            "no"
        } else if socket.exists() {
            "auto"
        } else {
            let mut opening = self.opening.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            match opening.get(name) {
                Some(since) if now.duration_since(*since).as_secs() < CONNECT_TIMEOUT + 5 => "no",
                _ => {
                    opening.insert(name.to_string(), now);
                    "auto"
                }
            }
        };
        let mut args = vec![
            "-T".into(),
            // A `RemoteCommand` or forwardings in the operator's ssh config
            // would replace `sh -s` or fail the connection.
            opt("RemoteCommand=none"),
            opt("ClearAllForwardings=yes"),
        ];
        if self.sharing {
            args.push(opt(&format!("ControlMaster={master}")));
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
        if !self.sharing || self.jump_socket(jump).exists() {
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

    /// The control socket of host `name`: named by the host's position, so
    /// the path stays short (a Unix socket path has about 100 bytes).
    fn socket(&self, name: &str) -> Option<PathBuf> {
        let i = self.hosts.iter().position(|h| h.name.value == name)?;
        Some(self.control_dir.join(format!("h{i}")))
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

/// `ssh -O exit` on every socket of `dir`, all at once, then waits for
/// them all.
fn close_sockets(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let closing: Vec<(PathBuf, std::process::Child)> = entries
        .flatten()
        .map(|e| e.path())
        .filter_map(|socket| {
            let child = std::process::Command::new("ssh")
                .arg(opt(&format!("ControlPath={}", socket.display())))
                // The socket is named: the host is not looked at.
                .args(["-O", "exit", "--", "reprise"])
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .ok()?;
            Some((socket, child))
        })
        .collect();
    for (socket, mut child) in closing {
        let status = child.wait();
        tracing::debug!(socket = %socket.display(), ?status, "closed a shared ssh connection");
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

/// The longest path of the sockets' folder: a Unix socket path holds 108
/// bytes, and ssh first binds the socket's path plus 17 characters.
const MAX_SOCKET_DIR: usize = 75;

/// Where the sockets' folder goes: the system's temporary folder, or when
/// its path is too long for a socket (a long `TMPDIR`), the user's runtime
/// folder or `/tmp`; `None` when none is short enough.
fn socket_base() -> Option<PathBuf> {
    // "/reprise-ssh-" + pid + "-" + 8 hex digits.
    const NAME: usize = 32;
    let candidates = [
        Some(std::env::temp_dir()),
        std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from),
        Some(PathBuf::from("/tmp")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|b| b.as_os_str().len() + NAME <= MAX_SOCKET_DIR && b.is_dir())
}

/// Removes the sockets' folders that killed drills (`kill -9`, a power
/// cut) of this user left in `base`: their process is gone. Their shared
/// connections are closed first.
fn remove_stale(base: &Path) {
    use std::os::unix::fs::MetadataExt;
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    let me = nix::unistd::geteuid().as_raw();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("reprise-ssh-"))
            .and_then(|n| n.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let path = entry.path();
        let mine = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir() && m.uid() == me);
        if mine && !Path::new(&format!("/proc/{pid}")).exists() {
            close_sockets(&path);
            let _ = std::fs::remove_dir_all(&path);
            tracing::info!(folder = %path.display(), "removed the ssh sockets of a drill that was killed");
        }
    }
}

/// A fresh `0700` folder in `base`.
fn private_dir(base: &Path) -> std::io::Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut last = None;
    for n in 0..100u32 {
        let dir = base.join(format!(
            "reprise-ssh-{}-{:x}",
            std::process::id(),
            nanos.wrapping_add(n.wrapping_mul(0x9e37_79b9))
        ));
        // `create` fails if the folder exists: nobody can have prepared it.
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary folder name")))
}

pub(crate) fn opt(o: &str) -> OsString {
    format!("-o{o}").into()
}

/// The options every `ssh` of reprise gets for `host`: batch mode, timeouts,
/// and the host's own settings; its jump host as `-J` when `with_jump`.
pub(crate) fn ssh_options(
    hosts: &[Host],
    host: &Host,
    base_dir: &Path,
    connect_timeout: u64,
    with_jump: bool,
) -> Vec<OsString> {
    let mut args = vec![
        opt("BatchMode=yes"),
        // Host keys are checked whatever the operator's ssh config says: an
        // unknown key fails, a changed key fails, and no file of known keys
        // is written (a command-line option overrides the config files).
        opt("StrictHostKeyChecking=yes"),
        opt("UpdateHostKeys=no"),
        opt(&format!("ConnectTimeout={connect_timeout}")),
        // A frozen connection (shared or not) is given up within about 10
        // seconds instead of stalling every step that uses it.
        opt("ServerAliveInterval=5"),
        opt("ServerAliveCountMax=2"),
    ];
    if let Some(port) = host.port {
        args.push("-p".into());
        args.push(port.to_string().into());
    }
    if let Some(user) = &host.user {
        args.push("-l".into());
        args.push(user.into());
    }
    if let Some(key) = &host.identity_file {
        args.push("-i".into());
        args.push(resolve(base_dir, key).into());
        // Only this key: an agent or default keys must not decide what a
        // drill authenticates with.
        args.push(opt("IdentitiesOnly=yes"));
    }
    if let Some(file) = &host.known_hosts {
        let mut o = OsString::from("-oUserKnownHostsFile=");
        o.push(resolve(base_dir, file));
        args.push(o);
    }
    if let Some(jump) = host.jump.as_ref().filter(|_| with_jump) {
        args.push("-J".into());
        args.push(match hosts.iter().find(|h| h.name.value == *jump) {
            Some(j) => {
                let mut spec = String::new();
                if let Some(u) = &j.user {
                    spec.push_str(u);
                    spec.push('@');
                }
                spec.push_str(&j.address);
                if let Some(p) = j.port {
                    spec.push_str(&format!(":{p}"));
                }
                spec.into()
            }
            None => jump.into(),
        });
    }
    args
}

/// A jump host written out (`[user@]host[:port]`) as a host entry.
fn spec_host(spec: &str) -> Host {
    let (user, rest) = match spec.split_once('@') {
        Some((u, r)) => (Some(u.to_string()), r),
        None => (None, spec),
    };
    let (address, port) = match rest.rsplit_once(':') {
        Some((a, p)) if !a.contains(':') => match p.parse() {
            Ok(p) => (a.to_string(), Some(p)),
            Err(_) => (rest.to_string(), None),
        },
        _ => (rest.to_string(), None),
    };
    Host {
        name: crate::runbook::Located::new(spec.to_string(), Default::default()),
        address,
        user,
        port,
        identity_file: None,
        jump: None,
        known_hosts: None,
        max_parallel: None,
    }
}

/// A path of a host entry: `~` is left to `ssh`, relative paths are the
/// runbook folder's.
fn resolve(base_dir: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() || path.starts_with("~") {
        path.to_path_buf()
    } else {
        base_dir.join(path)
    }
}

/// `s` as one POSIX shell word, taken literally: single quotes, with each
/// `'` written `'\''`.
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// True for names a POSIX shell can export.
fn exportable(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The script `sh -s` reads on the remote host: exports `vars` then `env`,
/// moves to `workdir` (relative to the remote login folder), runs `command`
/// in a process group of its own, ends that group when standard input ends
/// (the local `ssh` is gone) or when `timeout` plus [`REMOTE_MARGIN`] has
/// passed, and exits with the command's status.
///
/// Everything is inside one function called on the last line, so the shell
/// has read the whole script before the watcher starts reading what is left
/// of standard input.
pub fn script(
    vars: &[(String, String)],
    env: &[(String, String)],
    workdir: Option<&Path>,
    command: &Command,
    timeout: Option<Duration>,
) -> String {
    let mut s = String::from("reprise_main() {\n");
    for (name, value) in vars.iter().chain(env) {
        if exportable(name) {
            s.push_str(&format!("export {name}={}\n", quote(value)));
        }
    }
    if let Some(dir) = workdir {
        s.push_str(&format!(
            "cd -- {} || exit 126\n",
            quote(&dir.to_string_lossy())
        ));
    }
    let command = match command {
        Command::Shell(text) => format!("sh -c {}", quote(text)),
        Command::Argv(argv) => argv.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" "),
    };
    s.push_str(&format!(
        r#"exec 3<&0
if command -v setsid >/dev/null 2>&1; then
  reprise_group=1
  setsid {command} </dev/null 3<&- &
else
  reprise_group=
  {command} </dev/null 3<&- &
fi
reprise_pid=$!
reprise_kill() {{
  if [ -n "$reprise_group" ]; then kill -s "$1" -- "-$reprise_pid" 2>/dev/null; fi
  kill -s "$1" "$reprise_pid" 2>/dev/null
}}
reprise_end() {{
  reprise_kill TERM
  sleep 2
  reprise_kill KILL
}}
(
  trap 'kill "$reprise_cat" 2>/dev/null; exit 0' TERM
  cat <&3 >/dev/null &
  reprise_cat=$!
  wait "$reprise_cat"
  reprise_end
) </dev/null >/dev/null 2>&1 &
reprise_watchers=$!
"#
    ));
    if let Some(t) = timeout {
        s.push_str(&format!(
            r#"(
  trap 'kill "$reprise_sleep" 2>/dev/null; exit 0' TERM
  sleep {secs} &
  reprise_sleep=$!
  wait "$reprise_sleep"
  reprise_end
) </dev/null >/dev/null 2>&1 3<&- &
reprise_watchers="$reprise_watchers $!"
"#,
            secs = t.as_secs() + REMOTE_MARGIN
        ));
    }
    s.push_str(
        r#"exec 3<&-
wait "$reprise_pid" 2>/dev/null
reprise_status=$?
kill $reprise_watchers 2>/dev/null
if [ -n "$reprise_group" ]; then kill -s KILL -- "-$reprise_pid" 2>/dev/null; fi
exit "$reprise_status"
}
reprise_main
"#,
    );
    s
}

/// Pauses before starting again the `ssh` of a host whose connection was
/// dropped before the login (a bastion's or a server's `MaxStartups`), in
/// milliseconds: three more tries, then the failure stands.
const SETUP_RETRIES: [u64; 3] = [500, 1500, 3000];

/// The hosts of a remote attempt: those not started yet, those waiting to
/// try a dropped connection again, and each host's end once known.
struct Fan {
    step: StepIndex,
    attempt: u32,
    hosts: Vec<String>,
    exits: Vec<Option<Exit>>,
    notify: Notify,
    session: Option<Arc<Session>>,
    sent: bool,
    /// Not started yet, in `host:` order.
    pending: VecDeque<usize>,
    /// Dropped before the login: when to try again, and the host.
    again: Vec<(Instant, usize)>,
    /// Connection tries of each host so far.
    tries: Vec<usize>,
    /// Hosts whose `ssh` runs now.
    running: usize,
    /// Most hosts running at once.
    limit: usize,
    /// Stopped (abort, Ctrl-C): nothing more starts.
    stopped: bool,
}

impl Fan {
    /// Host `i`'s `ssh` ended: a connection dropped before the login is
    /// tried again after a pause; any other end is recorded.
    fn ssh_ended(&mut self, i: usize, exit: Exit) {
        self.running = self.running.saturating_sub(1);
        if let Some(s) = &self.session {
            s.connected(&self.hosts[i]);
        }
        let tries = self.tries[i];
        let dropped = exit.exit_code == Some(SSH_ERROR)
            && exit
                .output_tail
                .iter()
                .rev()
                .take(3)
                .any(|l| is_connection_setup_failure(l));
        if dropped && !self.stopped && tries <= SETUP_RETRIES.len() {
            let pause = SETUP_RETRIES[tries - 1];
            tracing::info!(host = %self.hosts[i], pause, "ssh connection dropped before the login: trying again");
            (self.notify)(Report::Line {
                step: self.step,
                line: format!(
                    "[{}] the connection was closed before the login: trying again in {:.1} s",
                    self.hosts[i],
                    pause as f64 / 1000.0
                ),
            });
            self.again
                .push((Instant::now() + std::time::Duration::from_millis(pause), i));
            return;
        }
        self.record(i, exit);
    }

    /// Records host `i`'s end; sends the combined exit after the last one.
    fn record(&mut self, i: usize, exit: Exit) {
        (self.notify)(Report::HostExited {
            host: self.hosts[i].clone(),
            exit: exit.clone(),
        });
        self.exits[i] = Some(exit);
        if !self.sent && self.exits.iter().all(Option::is_some) {
            self.sent = true;
            let exits: Vec<&Exit> = self.exits.iter().flatten().collect();
            (self.notify)(Report::Exited(combine(&exits)));
        }
    }

    /// The next host that may start now, if any.
    fn next(&mut self, now: Instant) -> Option<usize> {
        if self.stopped || self.running >= self.limit {
            return None;
        }
        if let Some(k) = self.again.iter().position(|(at, _)| *at <= now) {
            return Some(self.again.swap_remove(k).1);
        }
        let ready = |h: &String| self.session.as_ref().is_none_or(|s| s.may_start(h));
        let k = self.pending.iter().position(|&i| ready(&self.hosts[i]))?;
        self.pending.remove(k)
    }

    /// Every host not started: recorded as not started.
    fn stop(&mut self) {
        self.stopped = true;
        let left: Vec<usize> = self
            .pending
            .drain(..)
            .chain(self.again.drain(..).map(|(_, i)| i))
            .collect();
        for i in left {
            self.record(
                i,
                Exit {
                    step: self.step,
                    attempt: self.attempt,
                    error: Some("not started: the step was stopped first".into()),
                    ..Exit::default()
                },
            );
        }
    }
}

/// The part of a remote attempt that starts its hosts: at most the step's
/// `max_parallel` at once, the next ones as hosts end. The driver calls
/// [`Pump::pump`] (through [`Attempt::pump`]) after every event.
pub struct Pump {
    fan: Arc<Mutex<Fan>>,
    launch: Launch,
    step_id: String,
}

impl std::fmt::Debug for Pump {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pump")
            .field("step", &self.step_id)
            .finish_non_exhaustive()
    }
}

impl Pump {
    fn lock(&self) -> std::sync::MutexGuard<'_, Fan> {
        self.fan.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts every host that may start now; the new `ssh` processes join
    /// `peers`.
    pub fn pump(&self, spawner: &Spawner, watch: &mut Watch, peers: &mut Vec<Attempt>) {
        let now = Instant::now();
        loop {
            let Some(i) = self.lock().next(now) else {
                return;
            };
            if let Some(a) = self.start(spawner, watch, i) {
                peers.push(a);
            }
        }
    }

    /// Starts host `i`'s `ssh`; `None` when it could not start (recorded).
    fn start(&self, spawner: &Spawner, watch: &mut Watch, i: usize) -> Option<Attempt> {
        let (host, many) = {
            let mut fan = self.lock();
            fan.tries[i] += 1;
            fan.running += 1;
            (fan.hosts[i].clone(), fan.hosts.len() > 1)
        };
        let host_notify: Notify = {
            let fan = self.fan.clone();
            let notify = self.lock().notify.clone();
            Arc::new(move |report| match report {
                Report::Exited(exit) => fan
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .ssh_ended(i, exit),
                other => notify(other),
            })
        };
        let prefix = many.then(|| format!("[{host}] "));
        match spawner.spawn_on(
            &self.launch,
            &self.step_id,
            Some(&host),
            prefix,
            host_notify,
            watch,
        ) {
            Ok(a) => Some(a),
            Err(exit) => {
                let mut fan = self.lock();
                fan.running -= 1;
                fan.record(i, exit);
                None
            }
        }
    }

    /// When a host waiting to try again may start, or soon when a host
    /// waits for a jump host's shared connection.
    pub fn next_deadline(&self) -> Option<Instant> {
        let fan = self.lock();
        if fan.stopped {
            return None;
        }
        let again = fan.again.iter().map(|(at, _)| *at).min();
        let waiting = (!fan.pending.is_empty() && fan.running < fan.limit)
            .then(|| Instant::now() + std::time::Duration::from_millis(50));
        again.into_iter().chain(waiting).min()
    }

    /// Starts nothing more: the hosts not started are recorded so.
    pub fn stop(&self) {
        self.lock().stop();
    }
}

/// One exit for the engine out of every host's: successful when all are;
/// otherwise the code, signal and error of the first host (in `host:`
/// order) that failed (each host's own is in its `host_finished` event);
/// timed out when any host was; the tail is the last lines over all hosts.
pub fn combine(exits: &[&Exit]) -> Exit {
    let Some(first) = exits.first() else {
        return Exit::default();
    };
    let mut out = Exit {
        step: first.step,
        attempt: first.attempt,
        exit_code: Some(0),
        timed_out: exits.iter().any(|e| e.timed_out),
        ..Exit::default()
    };
    if let Some(failed) = exits.iter().find(|e| !e.success()) {
        out.exit_code = failed.exit_code;
        out.signal = failed.signal.clone();
        out.error = failed.error.clone();
    }
    let mut tail: Vec<String> = exits.iter().flat_map(|e| e.output_tail.clone()).collect();
    if tail.len() > TAIL_LINES {
        tail.drain(..tail.len() - TAIL_LINES);
    }
    out.output_tail = tail;
    out
}

/// Starts a remote attempt: one `ssh` per host of `launch.hosts`, at most
/// `launch.max_parallel` at once (the others start as hosts end, through
/// the returned attempt's [`Attempt::pump`]), all ended together on an
/// abort. Lines of a multi-host step are prefixed `[host] `. `Err` when no
/// host could be started.
pub fn spawn_all(
    spawner: &Spawner,
    launch: &Launch,
    step_id: &str,
    notify: Notify,
    watch: &mut Watch,
) -> Result<Attempt, Exit> {
    let n = launch.hosts.len();
    let fan = Arc::new(Mutex::new(Fan {
        step: launch.step,
        attempt: launch.attempt,
        hosts: launch.hosts.clone(),
        exits: vec![None; n],
        notify: notify.clone(),
        session: spawner.remote.clone(),
        sent: false,
        pending: (0..n).collect(),
        again: Vec::new(),
        tries: vec![0; n],
        running: 0,
        limit: (launch.max_parallel as usize).max(1),
        stopped: false,
    }));
    let pump = Pump {
        fan: fan.clone(),
        launch: launch.clone(),
        step_id: step_id.to_string(),
    };
    // Until one host runs, the combined end is the caller's to report (an
    // attempt that could not start at all).
    pump.lock().sent = true;
    let mut started = Vec::new();
    pump.pump(spawner, watch, &mut started);
    // Hosts all waiting for a jump host's connection that another step is
    // opening: the first starts anyway, so that the attempt has a process.
    while started.is_empty() {
        let Some(i) = pump.lock().pending.pop_front() else {
            break;
        };
        started.extend(pump.start(spawner, watch, i));
    }
    if started.is_empty() {
        let fan = pump.lock();
        let exits: Vec<&Exit> = fan.exits.iter().flatten().collect();
        return Err(combine(&exits));
    }
    // A host runs: the combined end cannot have been due yet.
    pump.lock().sent = false;
    let mut main = started.remove(0);
    main.add_peers(started);
    main.set_pump(pump);
    Ok(main)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Runs a script the way the remote side does: on `sh -s`'s standard
    /// input, kept open until the output ends (closing it would stop the
    /// command, as a vanished ssh does).
    fn sh(script: &str) -> (String, Option<i32>) {
        use std::io::Write;
        let mut child = std::process::Command::new("sh")
            .arg("-s")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(script.as_bytes()).unwrap();
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        let status = child.wait().unwrap();
        drop(stdin);
        (out, status.code())
    }

    /// Whether a process is still alive (a zombie counts as gone), waiting
    /// boundedly for a kill to land.
    fn alive(pid: i32) -> bool {
        for _ in 0..100 {
            if !live(pid) {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        true
    }

    fn live(pid: i32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| {
                !s.rsplit(')')
                    .next()
                    .unwrap_or("")
                    .trim_start()
                    .starts_with('Z')
            })
            .unwrap_or(false)
    }

    #[test]
    fn the_end_of_standard_input_ends_the_command_group() {
        use std::io::Write;
        let dir = std::env::temp_dir().join(format!("reprise-remote-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pidfile = dir.join("pids");
        let mut child = std::process::Command::new("sh")
            .arg("-s")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(
                script(
                    &[("PIDS".into(), pidfile.display().to_string())],
                    &[],
                    None,
                    &Command::Shell(
                        "trap '' TERM; sleep 300 & echo $$ $! > \"$PIDS.tmp\"; \
                         mv \"$PIDS.tmp\" \"$PIDS\"; wait"
                            .into(),
                    ),
                    None,
                )
                .as_bytes(),
            )
            .unwrap();
        let mut pids = String::new();
        for _ in 0..100 {
            if let Ok(p) = std::fs::read_to_string(&pidfile) {
                pids = p;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let pids: Vec<i32> = pids
            .split_whitespace()
            .map(|p| p.parse().unwrap())
            .collect();
        assert_eq!(pids.len(), 2, "the command did not start");
        assert!(live(pids[0]) && live(pids[1]));
        // What a vanished ssh looks like from the remote side.
        drop(stdin);
        let status = child.wait().unwrap();
        assert!(!status.success());
        for pid in pids {
            assert!(!alive(pid), "{pid} survived the end of standard input");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn quoting_keeps_every_value_literal() {
        let nasty = r#"it's $(touch /tmp/reprise-pwned) `id` "x" \ ; $HOME"#;
        let vars = vec![("NASTY".to_string(), nasty.to_string())];
        let (out, code) = sh(&script(
            &vars,
            &[("lower_ok".into(), "y".into())],
            None,
            &Command::Shell(r#"printf '%s|%s\n' "$NASTY" "$lower_ok""#.into()),
            None,
        ));
        assert_eq!(out, format!("{nasty}|y\n"));
        assert_eq!(code, Some(0));
    }

    #[test]
    fn a_list_is_quoted_element_by_element_and_the_status_comes_back() {
        let (out, code) = sh(&script(
            &[],
            &[],
            None,
            &Command::Argv(vec![
                "sh".into(),
                "-c".into(),
                "echo \"$0\"; exit 7".into(),
                "$HOME; it's".into(),
            ]),
            None,
        ));
        assert_eq!(out, "$HOME; it's\n");
        assert_eq!(code, Some(7));
    }

    #[test]
    fn names_that_cannot_be_exported_are_left_out() {
        let s = script(
            &[("A;rm -rf /".into(), "x".into()), ("OK".into(), "1".into())],
            &[],
            None,
            &Command::Shell("true".into()),
            None,
        );
        assert!(!s.contains("rm -rf"), "{s}");
        assert!(s.contains("export OK='1'"), "{s}");
    }

    #[test]
    fn combining_takes_the_first_failure_and_every_tail() {
        let ok = Exit {
            exit_code: Some(0),
            output_tail: vec!["[a] fine".into()],
            ..Exit::default()
        };
        let bad = Exit {
            exit_code: Some(3),
            output_tail: vec!["[b] broken".into()],
            ..Exit::default()
        };
        let all_ok = combine(&[&ok, &ok]);
        assert!(all_ok.success(), "{all_ok:?}");
        let one_bad = combine(&[&ok, &bad]);
        assert!(!one_bad.success());
        assert_eq!(one_bad.exit_code, Some(3));
        assert_eq!(one_bad.output_tail, ["[a] fine", "[b] broken"]);
    }
}
