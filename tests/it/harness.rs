//! A small builder that runs the real `reprise` binary in a fresh temporary
//! folder and returns what a user would see: exit code, stdout, stderr and
//! the files written.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A test case: files to create, arguments, environment.
pub struct Test {
    dir: tempfile::TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<String>,
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
    /// The folder the binary ran in (kept alive by the `Test`).
    pub dir: PathBuf,
}

impl Test {
    /// An empty temporary folder.
    pub fn new() -> Self {
        Test {
            dir: tempfile::tempdir().expect("temporary folder"),
            args: Vec::new(),
            env: Vec::new(),
            stdin: None,
        }
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
        self.env.push((k.into(), v.into()));
        self
    }

    /// Feeds standard input (otherwise it is empty).
    pub fn stdin(mut self, s: &str) -> Self {
        self.stdin = Some(s.into());
        self
    }

    /// The temporary folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs the binary with other arguments in the same folder and returns
    /// its standard output (exit code not checked).
    pub fn clone_run(&self, args: &[&str]) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_reprise"))
            .current_dir(self.dir.path())
            .args(args)
            .output()
            .expect("run reprise");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs the binary and returns its output; the folder stays until the
    /// `Test` is dropped.
    pub fn run(&self) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_reprise"));
        cmd.current_dir(self.dir.path())
            .args(&self.args)
            .env("NO_COLOR", "1")
            .env_remove("RUST_LOG")
            .envs(self.env.iter().map(|(k, v)| (k, v)));
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
        }
    }
}

impl Output {
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
