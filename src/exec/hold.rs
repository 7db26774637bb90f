//! Holding a new command before it runs, until its process id is on disk.
//!
//! `reprise resume` stops the leftovers of a crashed run by the process ids
//! recorded in `step_started`. A process id exists only once the process
//! does, so the record necessarily follows the fork; if reprise died between
//! the two, the command ran with no record of it, and resume started it a
//! second time beside the first (5 of 268 random kills in a red-team pass).
//!
//! So a local command is forked *held*: between `fork` and `exec` the child
//! tells its process id on one pipe and waits on another. The driver
//! records `step_started` with that id, syncs the journal, and only then
//! [releases](Held::release) it: the command's program starts after its id
//! is durable, never before. If reprise dies first, the child sees its
//! parent gone and exits without running anything (the pipe's end, or its
//! parent id changing: a sibling forked meanwhile may hold a copy of the
//! pipe); if the record fails, the driver [cancels](Held::cancel) it.
//!
//! The child is started without copying the drill's memory
//! (`clone(CLONE_VM | CLONE_VFORK)`, as `posix_spawn` does: [`start`] says
//! why and how); the thread that starts it sleeps until it execs, so the
//! start runs in a thread of its own while the child is held.
//!
//! A remote command is held too, at a [`Gate`]: its local `ssh` starts at
//! once (it connects while the record is written), but the script that
//! holds the command goes to `ssh`'s standard input only once the gate
//! opens, after `step_started`. If reprise dies first, that input closes
//! empty: the remote `sh -s` reads nothing and runs nothing.

use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::process::{Command, ExitStatus};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use nix::libc;

mod start;

/// How often a held child looks whether reprise is still there.
const PARENT_CHECK: Duration = Duration::from_millis(100);

/// The stack of the thread that starts one command (it sleeps in `clone`
/// until the command execs): reserved, not used, room for a panic's
/// message in a debug build.
const SPAWN_STACK: usize = 256 * 1024;

/// A command's main process, which reprise alone reaps.
#[derive(Debug)]
pub struct Process {
    pid: u32,
    status: Option<ExitStatus>,
}

impl Process {
    fn new(pid: u32) -> Process {
        Process { pid, status: None }
    }

    /// Its process id.
    pub fn id(&self) -> u32 {
        self.pid
    }

    /// Waits for it to end and reaps it (once: later calls say the same).
    pub fn wait(&mut self) -> io::Result<ExitStatus> {
        use std::os::unix::process::ExitStatusExt;
        if let Some(s) = self.status {
            return Ok(s);
        }
        let mut raw: libc::c_int = 0;
        loop {
            // SAFETY: a plain system call on our own child.
            if unsafe { libc::waitpid(self.pid as libc::pid_t, &mut raw, 0) } >= 0 {
                let s = ExitStatus::from_raw(raw);
                self.status = Some(s);
                return Ok(s);
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }

    /// `SIGKILL` to it (nothing once reaped: its id may be reused).
    pub fn kill(&mut self) {
        if self.status.is_none() {
            // SAFETY: a plain system call.
            unsafe { libc::kill(self.pid as libc::pid_t, libc::SIGKILL) };
        }
    }
}

impl From<std::process::Child> for Process {
    /// A child `std` started (a remote step's `ssh`), reaped from now on
    /// by its id (dropping `std`'s handle neither kills nor reaps it).
    fn from(child: std::process::Child) -> Process {
        Process::new(child.id())
    }
}

/// A child forked and held before `exec`.
#[derive(Debug)]
pub struct Held {
    pid: u32,
    go: Option<io::PipeWriter>,
    spawn: JoinHandle<io::Result<Process>>,
}

/// What [`hold`] gives back.
#[derive(Debug)]
pub enum Forked {
    /// The child exists and waits for [`Held::release`].
    Held(Held),
    /// The child never reached the hold (folder missing, fork refused…):
    /// the spawn's own error.
    Failed(io::Error),
}

/// Starts `cmd` held (its program, arguments, added environment and
/// folder; in a process group of its own, its input from `/dev/null`, its
/// output on `stdout` and `stderr`): returns once the child exists and has
/// said its process id, or once the start failed before that.
pub fn hold(cmd: Command, stdout: OwnedFd, stderr: OwnedFd) -> io::Result<Forked> {
    let (mut pid_r, pid_w) = io::pipe()?;
    let (go_r, go_w) = io::pipe()?;
    let (err_r, err_w) = io::pipe()?;
    let fds = (pid_w.as_raw_fd(), go_r.as_raw_fd(), go_w.as_raw_fd());
    let spawn = std::thread::Builder::new()
        .name("reprise-spawn".into())
        .stack_size(SPAWN_STACK)
        .spawn(move || {
            let started = start::Plan::new(&cmd, stdout, stderr, fds, err_w.into())
                .and_then(|plan| start::run(plan, err_r));
            // Our copies of the pipes' ends close here (the command's
            // output pipe went with the plan): a child that failed before
            // it said its id leaves the parent reading an end, not
            // waiting.
            drop((pid_w, go_r));
            started.map(Process::new)
        })?;
    let mut pid = [0u8; 4];
    match pid_r.read_exact(&mut pid) {
        Ok(()) => Ok(Forked::Held(Held {
            pid: libc::pid_t::from_ne_bytes(pid) as u32,
            go: Some(go_w),
            spawn,
        })),
        Err(_) => {
            let error = match spawn.join() {
                Ok(Ok(mut child)) => {
                    // Cannot happen (the child ran without saying its id):
                    // it must not run unrecorded.
                    child.kill();
                    let _ = child.wait();
                    io::Error::other("the command started without its process id")
                }
                Ok(Err(e)) => e,
                Err(_) => io::Error::other("the thread starting the command panicked"),
            };
            Ok(Forked::Failed(error))
        }
    }
}

impl Held {
    /// The child's process id (and process group, when it has its own).
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Lets the child `exec` its program (idempotent). Every child held
    /// together must be let go before any is [released](Held::release):
    /// a child forked after another holds a copy of the other's spawn
    /// pipe until it execs, and the other's spawn returns only then.
    pub fn go(&mut self) {
        self.say(b'g');
    }

    /// Tells the child to exit without running its program (idempotent,
    /// and nothing once [`Held::go`] was said).
    pub fn stop(&mut self) {
        self.say(b'n');
    }

    fn say(&mut self, word: u8) {
        if let Some(mut go) = self.go.take() {
            // A child already gone (killed) makes the write fail: the
            // spawn says what happened.
            let _ = go.write_all(&[word]);
        }
    }

    /// Lets the child `exec` its program (if [`Held::go`] was not said
    /// yet) and returns the spawn's result (an error such as a program
    /// not found comes from here).
    pub fn release(mut self) -> io::Result<Process> {
        self.go();
        self.spawn
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the thread starting the command panicked")))
    }

    /// The child exits without running its program (its record could not
    /// be made durable). [`Held::stop`] every child held together first.
    pub fn cancel(mut self) {
        self.stop();
        if let Ok(Ok(mut child)) = self.spawn.join() {
            // Let go before the stop: do not leave it running unrecorded.
            child.kill();
            let _ = child.wait();
        }
    }
}

/// What holds the scripts of a remote attempt's first `ssh` processes
/// until its `step_started` is written: each script writer
/// [waits](Gate::wait) until the gate is [opened](Gate::go) (write the
/// script) or [shut](Gate::stop) (write nothing). Clones share one gate.
#[derive(Debug, Clone, Default)]
pub struct Gate(Arc<(Mutex<Option<bool>>, Condvar)>);

impl Gate {
    /// A gate not decided yet: its writers wait.
    pub fn new() -> Gate {
        Gate::default()
    }

    /// A gate already open (a host started once the attempt is recorded).
    pub fn open() -> Gate {
        let g = Gate::new();
        g.go();
        g
    }

    /// Lets every writer through, now and later (nothing once shut).
    pub fn go(&self) {
        self.decide(true);
    }

    /// Every writer gives up without writing (nothing once opened).
    pub fn stop(&self) {
        self.decide(false);
    }

    fn decide(&self, go: bool) {
        let (state, cv) = &*self.0;
        let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
        if s.is_none() {
            *s = Some(go);
            cv.notify_all();
        }
    }

    /// Blocks until the gate is decided: true when opened.
    pub fn wait(&self) -> bool {
        let (state, cv) = &*self.0;
        let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(go) = *s {
                return go;
            }
            s = cv.wait(s).unwrap_or_else(|e| e.into_inner());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Standard output and error to `/dev/null`.
    fn quiet() -> (OwnedFd, OwnedFd) {
        let null = || OwnedFd::from(std::fs::File::create("/dev/null").unwrap());
        (null(), null())
    }

    fn held(script: &str) -> Held {
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(script);
        let (out, err) = quiet();
        match hold(cmd, out, err).unwrap() {
            Forked::Held(h) => h,
            Forked::Failed(e) => panic!("not held: {e}"),
        }
    }

    #[test]
    fn a_gate_is_decided_once_and_lets_every_waiter_through() {
        let g = Gate::new();
        let waiters: Vec<_> = (0..3)
            .map(|_| {
                let g = g.clone();
                std::thread::spawn(move || g.wait())
            })
            .collect();
        std::thread::sleep(Duration::from_millis(50));
        assert!(
            waiters.iter().all(|w| !w.is_finished()),
            "passed a closed gate"
        );
        g.go();
        g.stop();
        assert!(waiters.into_iter().all(|w| w.join().unwrap()));
        assert!(g.wait(), "a later waiter passes too");
        let shut = Gate::new();
        shut.stop();
        shut.go();
        assert!(!shut.wait());
        assert!(Gate::open().wait());
    }

    #[test]
    fn a_held_command_runs_only_once_released() {
        let dir = tempfile::tempdir().unwrap();
        let mark = dir.path().join("ran");
        let h = held(&format!("echo $$ > {}", mark.display()));
        std::thread::sleep(Duration::from_millis(300));
        assert!(!mark.exists(), "the command ran before its release");
        let pid = h.pid();
        let status = h.release().unwrap().wait().unwrap();
        assert!(status.success());
        let said = std::fs::read_to_string(&mark).unwrap();
        assert_eq!(said.trim(), pid.to_string(), "the id told is the command's");
    }

    /// A child forked after another holds the other's spawn pipe until it
    /// execs: releasing the first before letting the second go waited for
    /// ever.
    #[test]
    fn commands_held_together_are_let_go_together() {
        let mut all: Vec<Held> = (0..3).map(|_| held("true")).collect();
        for h in &mut all {
            h.go();
        }
        for h in all {
            assert!(h.release().unwrap().wait().unwrap().success());
        }
    }

    /// What the held start exists for: the child shares the drill's
    /// memory until it execs (a `fork` would copy it, page tables and all,
    /// for each command): a value the drill writes after the child exists
    /// is the child's too.
    #[test]
    fn a_held_child_shares_the_drills_memory_instead_of_a_copy() {
        use std::io::{Seek, SeekFrom};
        use std::sync::atomic::{AtomicU64, Ordering};
        static MARK: AtomicU64 = AtomicU64::new(1);
        let h = held("true");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64;
        MARK.store(now | 2, Ordering::SeqCst);
        let mut mem = std::fs::File::open(format!("/proc/{}/mem", h.pid())).unwrap();
        mem.seek(SeekFrom::Start(MARK.as_ptr() as u64)).unwrap();
        let mut seen = [0u8; 8];
        mem.read_exact(&mut seen).unwrap();
        assert_eq!(
            u64::from_ne_bytes(seen),
            now | 2,
            "the held child has a copy of the drill's memory"
        );
        assert!(h.release().unwrap().wait().unwrap().success());
    }

    /// Runs `cmd` held, released at once; its output and whether it
    /// succeeded.
    fn output(cmd: Command) -> (String, bool) {
        let (r, w) = io::pipe().unwrap();
        let w2 = w.try_clone().unwrap();
        let h = match hold(cmd, w.into(), w2.into()).unwrap() {
            Forked::Held(h) => h,
            Forked::Failed(e) => panic!("not held: {e}"),
        };
        let pid = nix::unistd::Pid::from_raw(h.pid() as i32);
        assert_eq!(
            nix::unistd::getpgid(Some(pid)).unwrap(),
            pid,
            "its own group"
        );
        let ok = h.release().unwrap().wait().unwrap().success();
        let mut out = String::new();
        io::BufReader::new(r).read_to_string(&mut out).unwrap();
        (out, ok)
    }

    /// The child starts as `std` would start it: its own process group,
    /// no signal blocked, `SIGPIPE` not ignored (Rust ignores it), its
    /// input from `/dev/null`, its folder, its environment (added, taken
    /// away), its program searched in its own `PATH`.
    #[test]
    fn a_held_child_starts_like_a_spawned_one() {
        let mut cmd = Command::new("grep");
        cmd.args(["-E", "^Sig(Blk|Ign)", "/proc/self/status"]);
        let (out, ok) = output(cmd);
        assert!(ok, "{out}");
        let mask = |name: &str| {
            let line = out.lines().find(|l| l.starts_with(name)).expect(name);
            u64::from_str_radix(line.split_whitespace().nth(1).unwrap(), 16).unwrap()
        };
        assert_eq!(mask("SigBlk:"), 0, "signals blocked: {out}");
        assert_eq!(
            mask("SigIgn:") & (1 << (libc::SIGPIPE - 1)),
            0,
            "SIGPIPE ignored: {out}"
        );

        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let script = bin.join("look");
        std::fs::write(
            &script,
            "#!/bin/sh\necho \"in=$(readlink /proc/self/fd/0) pwd=$(pwd) added=$ADDED gone=${HOME-unset}\"\n",
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(bin.join("plain"), "not a program").unwrap();
        let mut cmd = Command::new("look");
        cmd.current_dir(dir.path())
            .env(
                "PATH",
                format!("/nonexistent:{}:/bin:/usr/bin", bin.display()),
            )
            .env("ADDED", "yes")
            .env_remove("HOME");
        let (out, ok) = output(cmd);
        assert!(ok, "{out}");
        let real = dir.path().canonicalize().unwrap();
        assert_eq!(
            out.trim(),
            format!("in=/dev/null pwd={} added=yes gone=unset", real.display())
        );

        let mut cmd = Command::new("plain");
        cmd.env("PATH", bin.as_os_str());
        let (out, err) = quiet();
        let h = match hold(cmd, out, err).unwrap() {
            Forked::Held(h) => h,
            Forked::Failed(e) => panic!("failed before the hold: {e}"),
        };
        let e = h.release().unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::PermissionDenied, "{e}");
    }

    #[test]
    fn a_script_without_a_shebang_runs_in_the_shell_as_execvp_runs_it() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("plain-script");
        std::fs::write(&script, "echo \"run by the shell: $1 $2\"\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut cmd = Command::new(&script);
        cmd.args(["one", "two"]);
        let (out, ok) = output(cmd);
        assert!(ok, "{out}");
        assert_eq!(out.trim(), "run by the shell: one two");
        // Found by the PATH search too.
        let mut cmd = Command::new("plain-script");
        cmd.arg("three").env("PATH", dir.path().as_os_str());
        let (out, ok) = output(cmd);
        assert!(ok, "{out}");
        assert_eq!(out.trim(), "run by the shell: three");
    }

    #[test]
    fn a_cancelled_command_never_runs() {
        let dir = tempfile::tempdir().unwrap();
        let mark = dir.path().join("ran");
        let h = held(&format!("touch {}", mark.display()));
        let pid = h.pid() as i32;
        h.cancel();
        assert!(!mark.exists());
        // Reaped, not a zombie.
        assert_eq!(
            nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None),
            Err(nix::errno::Errno::ESRCH)
        );
    }

    #[test]
    fn a_missing_program_is_the_releases_error() {
        let (out, err) = quiet();
        let h = match hold(Command::new("/nonexistent/program"), out, err).unwrap() {
            Forked::Held(h) => h,
            Forked::Failed(e) => panic!("failed before the hold: {e}"),
        };
        let e = h.release().unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound, "{e}");
    }

    #[test]
    fn a_missing_folder_fails_before_the_hold() {
        let mut cmd = Command::new("true");
        cmd.current_dir("/nonexistent/folder");
        let (out, err) = quiet();
        match hold(cmd, out, err).unwrap() {
            Forked::Failed(e) => assert_eq!(e.kind(), io::ErrorKind::NotFound, "{e}"),
            Forked::Held(h) => panic!("held {}", h.pid()),
        }
    }

    /// Run by [`a_command_held_by_a_killed_reprise_never_runs`] in a process
    /// of its own: holds a command that would create the marker file, says
    /// its process id, and waits to be killed.
    #[test]
    #[ignore = "a helper process, started by another test"]
    fn helper_holds_a_command_until_killed() {
        let mark = std::env::var("REPRISE_HOLD_MARK").expect("run by another test");
        let h = held(&format!("touch {mark}"));
        println!("held {}", h.pid());
        std::thread::sleep(Duration::from_secs(60));
        drop(h);
    }

    #[test]
    fn a_command_held_by_a_killed_reprise_never_runs() {
        use std::io::BufRead;
        let dir = tempfile::tempdir().unwrap();
        let mark = dir.path().join("ran");
        let mut helper = Command::new(std::env::current_exe().unwrap())
            .args([
                "exec::hold::tests::helper_holds_a_command_until_killed",
                "--exact",
                "--ignored",
                "--nocapture",
            ])
            .env("REPRISE_HOLD_MARK", &mark)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let out = std::io::BufReader::new(helper.stdout.take().unwrap());
        let pid: i32 = out
            .lines()
            .map_while(Result::ok)
            .find_map(|l| l.strip_prefix("held ").map(|p| p.trim().parse().unwrap()))
            .expect("the helper said the held process id");
        helper.kill().unwrap();
        helper.wait().unwrap();
        // The held child notices within PARENT_CHECK and exits (a zombie
        // until whoever adopted it reaps it).
        let gone = |pid: i32| match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => true,
            Ok(stat) => stat
                .rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
        };
        let until = std::time::Instant::now() + Duration::from_secs(10);
        while !gone(pid) && std::time::Instant::now() < until {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(gone(pid), "the held child outlived its parent");
        std::thread::sleep(Duration::from_millis(200));
        assert!(!mark.exists(), "the held command ran after its parent died");
    }
}
