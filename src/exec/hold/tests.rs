//! Tests of the hold: the command runs only once released, never after
//! a cancel or reprise's death, and starts like a spawned one.

use std::io::Read;
use std::time::Duration;

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
    // The kernel kills the held child with its parent (PR_SET_PDEATHSIG;
    // a zombie until whoever adopted it reaps it).
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

/// Run by [`a_held_child_costs_no_thread`] in a process of its own (the
/// other tests start threads): holds several commands at once from one
/// thread and says how many threads the process had before and meanwhile.
#[test]
#[ignore = "a helper process, started by another test"]
fn helper_counts_threads_while_holding() {
    let threads = || std::fs::read_dir("/proc/self/task").unwrap().count();
    let before = threads();
    let mut all: Vec<Held> = (0..8).map(|_| held("true")).collect();
    let during = threads();
    for h in &mut all {
        h.go();
    }
    for h in all {
        assert!(h.release().unwrap().wait().unwrap().success());
    }
    println!("\nthreads {before} {during}");
}

/// The hold used to start each command from a thread of its own, which
/// slept until the command execed: a thread started and ended per command
/// (its stack, its allocator's heap) cost as much as the rest of reprise
/// on `bench/run`. Now held children are started from the caller's thread.
#[test]
fn a_held_child_costs_no_thread() {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "exec::hold::tests::helper_counts_threads_while_holding",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let counts: Vec<usize> = text
        .lines()
        .find_map(|l| l.rsplit_once("threads ").map(|(_, n)| n))
        .expect("the helper said its threads")
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(
        counts[0], counts[1],
        "threads before and while 8 commands are held"
    );
}

/// A held child runs beside the thread that started it and borrows its
/// thread-local storage: through libc, each folder of a `PATH` search that
/// fails would write `ENOENT` into that thread's `errno` while it runs
/// (module `sys`).
#[test]
fn a_held_childs_failed_calls_leave_the_drills_errno_alone() {
    let mut path = (0..200)
        .map(|i| format!("/nonexistent/{i}"))
        .collect::<Vec<_>>()
        .join(":");
    path.push_str(":/usr/bin:/bin");
    for _ in 0..5 {
        let mut cmd = Command::new("true");
        cmd.env("PATH", &path);
        let (out, err) = quiet();
        let Forked::Held(mut h) = hold(cmd, out, err).unwrap() else {
            panic!("not held");
        };
        // SAFETY: this thread's own errno.
        let errno = || unsafe { *libc::__errno_location() };
        // SAFETY: as above.
        unsafe { *libc::__errno_location() = 0 };
        h.go();
        let pid = h.pid();
        let until = std::time::Instant::now() + Duration::from_secs(5);
        // Until the child has exec'd (its program is `true`): no failing
        // call here meanwhile, only reads of memory.
        let execed = || {
            std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "true")
        };
        let mut seen = 0;
        while std::time::Instant::now() < until && seen == 0 {
            seen = errno();
            if execed() {
                break;
            }
        }
        assert_eq!(seen, 0, "the held child wrote the drill's errno");
        assert_eq!(errno(), 0, "the held child wrote the drill's errno");
        assert!(h.release().unwrap().wait().unwrap().success());
    }
}

/// Dropped without a release (the driver unwinding), a held child never
/// runs and is reaped.
#[test]
fn a_held_child_dropped_unreleased_never_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mark = dir.path().join("ran");
    let h = held(&format!("touch {}", mark.display()));
    let pid = h.pid() as i32;
    drop(h);
    std::thread::sleep(Duration::from_millis(100));
    assert!(!mark.exists());
    assert_eq!(
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None),
        Err(nix::errno::Errno::ESRCH)
    );
}
