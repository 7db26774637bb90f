//! A remote command is held until its `step_started` is written, like a
//! local one (`exec/hold.rs`): its `ssh` connects at once, but the script
//! holding the command reaches the host only when the driver lets it go.
//! A crash of reprise in between must not leave a command running on the
//! host with no record of it, which `resume` would then start a second
//! time. These tests drive the library's spawner against a real sshd,
//! because no run of the binary can be stopped reliably inside that
//! window: "reprise died here" is a killed helper process.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reprise::exec::Launch;
use reprise::exec::process::{Hosts, Notify, Report, Spawner, Starting};
use reprise::exec::remote::Session;
use reprise::exec::watch::Watch;
use reprise::redact::Redactor;
use reprise::runbook::{Command, StepIndex};

use crate::sshd::Sshd;

/// A runbook with one step on `db1` (the test server) that appends a line
/// to `mark`, loaded and checked.
fn checked(dir: &Path, sshd: &Sshd, mark: &Path) -> reprise::validate::Checked {
    let rb = dir.join("rb.yaml");
    std::fs::write(
        &rb,
        crate::ssh::runbook(
            &format!("  db1: {}\n", sshd.host_entry()),
            &format!(
                "  - id: once\n    title: Once\n    host: db1\n    run: 'echo ran >> {}'\n",
                mark.display()
            ),
        ),
    )
    .unwrap();
    reprise::validate::load(&rb).unwrap_or_else(|_| panic!("the runbook is valid"))
}

fn spawner(dir: &Path, checked: &reprise::validate::Checked) -> Spawner {
    Spawner {
        base_dir: dir.to_path_buf(),
        vars: Vec::new(),
        log_dir: dir.to_path_buf(),
        redactor: Redactor::new(Vec::<String>::new()),
        grace: Duration::from_millis(500),
        remote: Session::for_runbook(&checked.runbook, dir)
            .unwrap()
            .map(|s| s as Arc<dyn Hosts>),
    }
}

fn launch(mark: &Path) -> Launch {
    Launch {
        step: StepIndex(0),
        attempt: 1,
        command: Command::Shell(format!("echo ran >> {}", mark.display())),
        env: Vec::new(),
        workdir: None,
        timeout: None,
        hosts: vec!["db1".into()],
        max_parallel: 16,
    }
}

/// Waits (boundedly) for `done`.
fn until(what: &str, mut done: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(15);
    while !done() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether the process is gone (a zombie counts as gone).
fn gone(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |s| {
        s.rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
    })
}

fn sessions(sshd: &Sshd) -> usize {
    sshd.log().matches("Starting session").count()
}

/// The server opened the held `ssh`'s session (its `sh -s` runs, and
/// waits for its script), and a while passed: the old way, without the
/// hold, the command had run on the host by then.
fn wait_for_the_session(sshd: &Sshd, before: usize) {
    until("the held ssh's session", || sessions(sshd) > before);
    std::thread::sleep(Duration::from_millis(1500));
}

fn ran(mark: &Path) -> usize {
    std::fs::read_to_string(mark)
        .map(|s| s.lines().count())
        .unwrap_or(0)
}

#[test]
fn a_remote_command_reaches_its_host_only_once_let_go() {
    let sshd = Sshd::start();
    let dir = tempfile::tempdir().unwrap();
    let mark = dir.path().join("ran");
    let checked = checked(dir.path(), &sshd, &mark);
    let sp = spawner(dir.path(), &checked);
    let (tx, rx) = std::sync::mpsc::channel();
    let notify: Notify = Arc::new(move |r| {
        let _ = tx.send(r);
    });
    let mut watch = Watch::new().unwrap();

    // Started and let go: it runs once, after the go.
    let mut s = sp
        .start(&launch(&mark), "once", notify.clone(), &mut watch)
        .unwrap_or_else(|e| panic!("not started: {e:?}"));
    assert!(matches!(s, Starting::Remote(..)), "{s:?}");
    wait_for_the_session(&sshd, 0);
    assert_eq!(ran(&mark), 0, "the command ran before it was let go");
    s.go();
    let attempt = s.release(&mut watch).unwrap();
    let end = Instant::now() + Duration::from_secs(15);
    let exit = loop {
        assert!(Instant::now() < end, "the released command never ended");
        watch.wait(Duration::from_millis(200));
        if let Some(exit) = rx.try_iter().find_map(|r| match r {
            Report::Exited(e) => Some(e),
            _ => None,
        }) {
            break exit;
        }
    };
    assert!(exit.success(), "{exit:?}");
    assert_eq!(ran(&mark), 1);
    drop(attempt);

    // Started, and its record could not be made: it never runs.
    let before = sessions(&sshd);
    let s = sp
        .start(&launch(&mark), "once", notify, &mut watch)
        .unwrap_or_else(|e| panic!("not started: {e:?}"));
    let pid = s.pid();
    wait_for_the_session(&sshd, before);
    assert_eq!(ran(&mark), 1, "the command ran before it was let go");
    s.cancel();
    until("the cancelled ssh to end", || {
        watch.wait(Duration::from_millis(50));
        gone(pid)
    });
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(ran(&mark), 1, "a cancelled command ran on the host");
}

/// Run by [`a_remote_command_held_by_a_killed_reprise_never_runs`] in a
/// process of its own: starts the step held, says its `ssh`'s process id,
/// and waits to be killed.
#[test]
#[ignore = "a helper process, started by another test"]
fn helper_holds_a_remote_command_until_killed() {
    let dir = PathBuf::from(std::env::var("REPRISE_HELD_DIR").expect("run by another test"));
    let port: u16 = std::env::var("REPRISE_HELD_PORT").unwrap().parse().unwrap();
    let mark = dir.join("ran");
    let rb = dir.join("rb.yaml");
    let checked = reprise::validate::load(&rb).unwrap_or_else(|_| panic!("valid"));
    assert!(
        std::fs::read_to_string(&rb)
            .unwrap()
            .contains(&port.to_string())
    );
    let sp = spawner(&dir, &checked);
    let notify: Notify = Arc::new(|_| {});
    let mut watch = Watch::new().unwrap();
    let s = sp
        .start(&launch(&mark), "once", notify, &mut watch)
        .unwrap_or_else(|e| panic!("not started: {e:?}"));
    println!("held {}", s.pid());
    std::thread::sleep(Duration::from_secs(60));
    drop(s);
}

#[test]
fn a_remote_command_held_by_a_killed_reprise_never_runs() {
    let sshd = Sshd::start();
    let dir = tempfile::tempdir().unwrap();
    let mark = dir.path().join("ran");
    checked(dir.path(), &sshd, &mark);
    let mut helper = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "held::helper_holds_a_remote_command_until_killed",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env("REPRISE_HELD_DIR", dir.path())
        .env("REPRISE_HELD_PORT", sshd.port.to_string())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = std::io::BufReader::new(helper.stdout.take().unwrap());
    let pid: u32 = out
        .lines()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("held ").map(|p| p.trim().parse().unwrap()))
        .expect("the helper said the held ssh's process id");
    wait_for_the_session(&sshd, 0);
    assert_eq!(ran(&mark), 0, "the command ran before it was let go");
    // reprise dies (kill -9): the held ssh's input closes empty.
    helper.kill().unwrap();
    helper.wait().unwrap();
    until("the orphaned ssh to end", || gone(pid));
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        ran(&mark),
        0,
        "the command ran on the host after reprise died before recording it"
    );
}
