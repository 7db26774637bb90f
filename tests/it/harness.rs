//! A small builder, in the style of just's `Test`, that runs the real
//! `reprise` binary in a fresh temporary folder (or a given one) and
//! returns what a user would see: exit code, stdout, stderr and the files
//! written; or spawns it at a pseudo-terminal.
//!
//! ```ignore
//! Test::new().runbook(RB).args(["run", "runbook.yaml", "--yes"]).run().success();
//! let out = Test::at(dir).args(["verify", "j.jsonl"]).run().success();
//! let mut s = Test::at(dir).args(["attach", "j.jsonl"]).pty();
//! ```

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where a test runs: its own temporary folder, or one a test shares
/// between several commands (a drill and the terminals attached to it).
enum Dir {
    Temp(std::sync::Arc<tempfile::TempDir>),
    At(PathBuf),
}

impl Dir {
    fn path(&self) -> &Path {
        match self {
            Dir::Temp(d) => d.path(),
            Dir::At(p) => p,
        }
    }
}

/// The binary under test, for the few tests that must name it inside a
/// shell script (a pipeline, `su -c` as another account).
pub const BIN: &str = env!("CARGO_BIN_EXE_reprise");

/// The name [`Test::runbook`] writes.
pub const RUNBOOK: &str = "runbook.yaml";

/// A bound on how long a pseudo-terminal test waits for what it expects: a
/// guard against a hung test, not a timing assertion.
pub const PTY_BOUND: std::time::Duration = std::time::Duration::from_secs(60);

/// A test case: files to create, arguments, environment.
pub struct Test {
    dir: Dir,
    args: Vec<String>,
    /// Variables set (`Some`) or unset (`None`), applied in order.
    env: Vec<(String, Option<String>)>,
    stdin: Option<String>,
    size: Option<(u16, u16)>,
    /// A program the binary runs under, and its arguments before it.
    under: Option<(String, Vec<String>)>,
    /// The pseudo-terminal echoes what is typed (see [`Test::echo`]).
    echo: bool,
}

/// What the binary did.
#[derive(Debug)]
pub struct Output {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// The folder the binary ran in.
    pub dir: PathBuf,
    /// Keeps a test's own temporary folder while its output is read, even
    /// once the `Test` is gone (`Test::new()...run()` in one expression).
    pub keep: Option<std::sync::Arc<tempfile::TempDir>>,
}

impl Test {
    /// An empty temporary folder.
    pub fn new() -> Self {
        Test::in_dir(Dir::Temp(std::sync::Arc::new(
            tempfile::tempdir().expect("temporary folder"),
        )))
    }

    /// Runs in `dir`, which the caller keeps (several commands on one
    /// drill).
    pub fn at(dir: &Path) -> Self {
        Test::in_dir(Dir::At(dir.to_path_buf()))
    }

    fn in_dir(dir: Dir) -> Self {
        Test {
            dir,
            args: Vec::new(),
            env: Vec::new(),
            stdin: None,
            size: None,
            under: None,
            echo: false,
        }
    }

    /// Writes `text` as the runbook, [`RUNBOOK`].
    pub fn runbook(self, text: &str) -> Self {
        self.file(RUNBOOK, text)
    }

    /// Writes a file (folders created as needed).
    pub fn file(self, name: &str, content: impl AsRef<[u8]>) -> Self {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, content).unwrap();
        self
    }

    /// Adds arguments.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_string()));
        self
    }

    /// Forgets the arguments given so far (to run another command in the
    /// same folder).
    pub fn without_args(mut self) -> Self {
        self.args.clear();
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.into(), Some(v.into())));
        self
    }

    /// Unsets an environment variable (`NO_COLOR`, for a live view at a
    /// pseudo-terminal); set and unset apply in the order given.
    pub fn env_remove(mut self, k: &str) -> Self {
        self.env.push((k.into(), None));
        self
    }

    /// The pseudo-terminal's size, columns × rows (see [`Test::pty`]).
    pub fn size(mut self, cols: u16, rows: u16) -> Self {
        self.size = Some((cols, rows));
        self
    }

    /// The pseudo-terminal echoes what is typed, as a person's terminal
    /// does (expectrl starts it with echo off): a hidden prompt's switch
    /// to no echo can then be seen (`get_echo`).
    pub fn echo(mut self) -> Self {
        self.echo = true;
        self
    }

    /// Feeds standard input (otherwise it is empty).
    pub fn stdin(mut self, s: &str) -> Self {
        self.stdin = Some(s.into());
        self
    }

    /// Runs the binary under another program, `program before… reprise
    /// args…`: `setsid --ctty` for a session with a controlling terminal,
    /// `prlimit --data=N --` for a memory bound. Same folder and
    /// environment.
    pub fn under(mut self, program: &str, before: &[&str]) -> Self {
        let before = before.iter().map(|a| a.to_string()).collect();
        self.under = Some((program.into(), before));
        self
    }

    /// The temporary folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs the binary with other arguments in the same folder and returns
    /// its standard output (exit code not checked).
    pub fn clone_run(&self, args: &[&str]) -> String {
        let out = Command::new(BIN)
            .current_dir(self.dir.path())
            .args(args)
            .output()
            .expect("run reprise");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The command, as a user would type it: no colours, no `RUST_LOG`, no
    /// SSH origin, then the test's own environment.
    pub fn command(&self) -> Command {
        let mut cmd = match &self.under {
            None => Command::new(BIN),
            Some((program, before)) => {
                let mut cmd = Command::new(program);
                cmd.args(before).arg(BIN);
                cmd
            }
        };
        cmd.current_dir(self.dir.path())
            .args(&self.args)
            .env("NO_COLOR", "1")
            .env_remove("RUST_LOG")
            .env_remove("SSH_CONNECTION");
        for (k, v) in &self.env {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        cmd
    }

    /// Starts the binary in the background (a drill that other commands
    /// watch, attach to or interrupt), standard input, output and error
    /// closed; [`Test::command`] for other plumbing.
    pub fn spawn(&self) -> std::process::Child {
        use std::process::Stdio;
        self.command()
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn reprise {:?}: {e}", self.args))
    }

    /// Spawns the binary at a pseudo-terminal (`TERM=xterm-256color` unless
    /// the test sets another, plain lines unless
    /// [`Test::env_remove`]`("NO_COLOR")`), its expectations bounded by
    /// [`PTY_BOUND`].
    pub fn pty(&self) -> expectrl::session::OsSession {
        let mut cmd = self.command();
        if !self.env.iter().any(|(k, v)| k == "TERM" && v.is_some()) {
            cmd.env("TERM", "xterm-256color");
        }
        if self.echo {
            use std::os::unix::process::CommandExt;
            // In the child, after expectrl turned echo off, before exec:
            // only system calls, nothing allocated.
            unsafe {
                cmd.pre_exec(|| {
                    use nix::sys::termios::{LocalFlags, SetArg, tcgetattr, tcsetattr};
                    let tty = std::os::fd::BorrowedFd::borrow_raw(0);
                    let mut t = tcgetattr(tty)?;
                    t.local_flags.insert(LocalFlags::ECHO);
                    tcsetattr(tty, SetArg::TCSANOW, &t)?;
                    Ok(())
                });
            }
        }
        let mut s = expectrl::session::OsSession::spawn(cmd)
            .unwrap_or_else(|e| panic!("spawn reprise {:?} in a pseudo-terminal: {e}", self.args));
        if let Some((cols, rows)) = self.size {
            s.get_process_mut()
                .set_window_size(cols, rows)
                .expect("set the window size");
        }
        s.set_expect_timeout(Some(PTY_BOUND));
        s
    }

    /// [`Test::pty`], once the terminal shows `needle` (the prompt, "attached
    /// to the drill as …").
    pub fn pty_until(&self, needle: &str) -> expectrl::session::OsSession {
        use expectrl::Expect;
        let mut s = self.pty();
        if let Err(e) = s.expect(needle) {
            panic!("reprise {:?} never showed {needle:?}: {e}", self.args);
        }
        s
    }

    /// Runs the binary and returns its output; a test's own folder stays
    /// until both the `Test` and the output are dropped.
    pub fn run(&self) -> Output {
        let cmd = self.command();
        let out = assert_cmd::Command::from_std(cmd)
            .write_stdin(self.stdin.clone().unwrap_or_default())
            .timeout(std::time::Duration::from_secs(120))
            .output()
            .expect("run reprise");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            dir: self.dir.path().to_path_buf(),
            keep: match &self.dir {
                Dir::Temp(d) => Some(d.clone()),
                Dir::At(_) => None,
            },
        }
    }
}

impl Output {
    /// Asserts that the command succeeded (exit code 0), showing its output
    /// when not.
    #[track_caller]
    pub fn success(self) -> Self {
        self.code(0);
        self
    }

    /// Asserts the exit code (see [`Output::code`]).
    #[track_caller]
    pub fn status(self, expected: i32) -> Self {
        self.code(expected);
        self
    }

    /// Standard output read as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// The records of the journal `name`, in order (a torn last line left
    /// out).
    pub fn journal(&self, name: &str) -> Vec<serde_json::Value> {
        std::fs::read_to_string(self.dir.join(name))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Asserts the exit code, showing the output when it differs.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code, expected,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Reads a file the binary wrote.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }
}

/// Waits until `ready()` holds, polling; `what` names it when it never
/// does. The bound guards against a hung test; it is not a timing
/// assertion.
pub fn eventually(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !ready() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Waits for a program driven on a pseudo-terminal to exit, for at most
/// `limit`; a guard against a hung test, not a timing assertion. A program
/// still running then is killed and the test fails, rather than waiting
/// for ever (an unbounded `wait()` hangs the whole test run).
pub fn wait_exit(
    session: &mut expectrl::session::OsSession,
    limit: std::time::Duration,
) -> expectrl::process::unix::WaitStatus {
    use expectrl::process::unix::{Signal, WaitStatus};
    let process = session.get_process_mut();
    let deadline = std::time::Instant::now() + limit;
    loop {
        match process.status() {
            Ok(WaitStatus::StillAlive) => {}
            Ok(status) => return status,
            Err(e) => panic!("waiting for reprise: {e}"),
        }
        if std::time::Instant::now() > deadline {
            let _ = process.kill(Signal::SIGKILL);
            let _ = process.wait();
            panic!("reprise still running after {limit:?}: killed");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn the_builder_runs_the_binary_on_its_runbook_and_checks_the_exit_code() {
    let good = "version: 1\nname: t\nsteps:\n  - id: a\n    title: A\n    run: \"true\"\n";
    let out = Test::new()
        .runbook(good)
        .args(["run", RUNBOOK, "--journal", "j.jsonl", "--yes"])
        .run()
        .success();
    assert!(
        out.journal("j.jsonl")
            .iter()
            .any(|e| e["event"] == "run_finished")
    );
    let bad = Test::new()
        .runbook("version: 1\nname: t\nsteps: 3\n")
        .args(["check", RUNBOOK])
        .run()
        .status(2);
    assert!(bad.stderr.contains(RUNBOOK), "{}", bad.stderr);
    let json = Test::new()
        .runbook(good)
        .args(["plan", RUNBOOK, "--format", "json"])
        .run()
        .success()
        .json();
    assert!(json.is_object(), "{json}");
}

/// Fails unless `text` says each of `words`.
pub fn says_all(text: &str, words: &[&str]) {
    for w in words {
        assert!(text.contains(w), "{w:?} not in\n{text}");
    }
}

/// Fails if `text` says any of `words` (English left in a French text).
pub fn says_none(text: &str, words: &[&str]) {
    for w in words {
        assert!(!text.contains(w), "{w:?} left in\n{text}");
    }
}
