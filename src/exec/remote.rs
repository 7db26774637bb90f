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

use std::collections::{BTreeSet, HashMap};
use std::ffi::OsString;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::process::{Attempt, Notify, Report, Spawner, TAIL_LINES};
use super::watch::Watch;
use super::{Exit, Launch};
use crate::hosts::Host;
use crate::runbook::{Command, Duration, Runbook};

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
    /// `0700`, made for this session; holds one socket per host.
    control_dir: PathBuf,
    /// Hosts a step connected to (their master may be open).
    used: Mutex<BTreeSet<String>>,
    /// Hosts whose shared connection a step is opening, and since when.
    opening: Mutex<HashMap<String, Instant>>,
}

impl Session {
    /// A session for `runbook`'s hosts; relative paths in host entries are
    /// resolved against `base_dir` (the runbook's folder).
    pub fn new(runbook: &Runbook, base_dir: &Path) -> std::io::Result<Self> {
        Ok(Session {
            hosts: runbook.hosts.clone(),
            base_dir: base_dir.to_path_buf(),
            control_dir: private_dir()?,
            used: Mutex::new(BTreeSet::new()),
            opening: Mutex::new(HashMap::new()),
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
        let master = if socket.exists() {
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
            opt(&format!("ControlMaster={master}")),
            opt(&format!("ControlPath={}", socket.display())),
            opt(&format!("ControlPersist={CONTROL_PERSIST}")),
        ];
        args.extend(ssh_options(
            &self.hosts,
            host,
            &self.base_dir,
            CONNECT_TIMEOUT,
        ));
        args.push("--".into());
        args.push(host.address.clone().into());
        args.push("sh -s".into());
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(host.name.value.clone());
        let mut cmd = std::process::Command::new("ssh");
        cmd.args(args);
        Some(cmd)
    }

    /// The control socket of host `name`: named by the host's position, so
    /// the path stays short (a Unix socket path has about 100 bytes).
    fn socket(&self, name: &str) -> Option<PathBuf> {
        let i = self.hosts.iter().position(|h| h.name.value == name)?;
        Some(self.control_dir.join(format!("h{i}")))
    }

    /// Closes every shared connection this session may have opened.
    pub fn close(&self) {
        let used = std::mem::take(&mut *self.used.lock().unwrap_or_else(|e| e.into_inner()));
        for name in used {
            let (Some(host), Some(socket)) = (self.host(&name), self.socket(&name)) else {
                continue;
            };
            if !socket.exists() {
                continue;
            }
            let status = std::process::Command::new("ssh")
                .arg(opt(&format!("ControlPath={}", socket.display())))
                .args(["-O", "exit", "--"])
                .arg(&host.address)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status();
            tracing::debug!(host = %name, ?status, "closed the shared ssh connection");
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.close();
        let _ = std::fs::remove_dir_all(&self.control_dir);
    }
}

/// A fresh `0700` folder under the system's temporary folder.
fn private_dir() -> std::io::Result<PathBuf> {
    let base = std::env::temp_dir();
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
/// and the host's own settings.
pub(crate) fn ssh_options(
    hosts: &[Host],
    host: &Host,
    base_dir: &Path,
    connect_timeout: u64,
) -> Vec<OsString> {
    let mut args = vec![
        opt("BatchMode=yes"),
        // Host keys are checked whatever the operator's ssh config says: an
        // unknown key fails, a changed key fails, and no file of known keys
        // is written (a command-line option overrides the config files).
        opt("StrictHostKeyChecking=yes"),
        opt("UpdateHostKeys=no"),
        opt(&format!("ConnectTimeout={connect_timeout}")),
        opt("ServerAliveInterval=10"),
        opt("ServerAliveCountMax=3"),
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
    if let Some(jump) = &host.jump {
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

/// One host's part of a remote attempt, as the aggregator collects them.
struct Fan {
    hosts: Vec<String>,
    exits: Vec<Option<Exit>>,
    notify: Notify,
    sent: bool,
}

impl Fan {
    /// Records host `i`'s end; sends the combined exit after the last one.
    fn host_exited(&mut self, i: usize, exit: Exit) {
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

/// Starts a remote attempt: one `ssh` per host of `launch.hosts`, all
/// ended together on a timeout or an abort. Lines of a multi-host step are
/// prefixed `[host] `. `Err` when no host could be started.
pub fn spawn_all(
    spawner: &Spawner,
    launch: &Launch,
    step_id: &str,
    notify: Notify,
    watch: &mut Watch,
) -> Result<Attempt, Exit> {
    let hosts = launch.hosts.clone();
    let fan = Arc::new(Mutex::new(Fan {
        exits: vec![None; hosts.len()],
        hosts: hosts.clone(),
        notify: notify.clone(),
        sent: false,
    }));
    let mut started: Vec<Attempt> = Vec::with_capacity(hosts.len());
    let mut failed = Vec::new();
    for (i, host) in hosts.iter().enumerate() {
        let host_notify: Notify = {
            let fan = fan.clone();
            let notify = notify.clone();
            Arc::new(move |report| match report {
                Report::Exited(exit) => fan
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .host_exited(i, exit),
                other => notify(other),
            })
        };
        let prefix = (hosts.len() > 1).then(|| format!("[{host}] "));
        match spawner.spawn_on(launch, step_id, Some(host), prefix, host_notify, watch) {
            Ok(a) => started.push(a),
            Err(exit) => failed.push((i, exit)),
        }
    }
    let mut fan = fan.lock().unwrap_or_else(|e| e.into_inner());
    if started.is_empty() {
        // Nothing runs: each host is recorded, and the caller reports the
        // combined end like any attempt that could not start.
        fan.sent = true;
        for (i, exit) in failed {
            fan.host_exited(i, exit);
        }
        let exits: Vec<&Exit> = fan.exits.iter().flatten().collect();
        return Err(combine(&exits));
    }
    for (i, exit) in failed {
        fan.host_exited(i, exit);
    }
    drop(fan);
    let mut main = started.remove(0);
    main.add_peers(started);
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
