use super::*;
use crate::runbook::Command;
use std::path::Path;
use std::sync::mpsc;

fn spawner(dir: &Path) -> Spawner {
    Spawner {
        base_dir: dir.to_path_buf(),
        vars: vec![
            ("GREETING".into(), "hello".into()),
            ("TOKEN".into(), "s3cr3t".into()),
        ],
        log_dir: dir.to_path_buf(),
        redactor: Redactor::new(["s3cr3t"]),
        grace: Duration::from_millis(200),
        remote: None,
    }
}

fn launch(command: Command) -> Launch {
    Launch {
        step: StepIndex(0),
        attempt: 1,
        command,
        env: vec![("EXTRA".into(), "x".into())],
        workdir: None,
        timeout: None,
        hosts: Vec::new(),
        max_parallel: 1,
    }
}

/// Runs an attempt to its end, ticking its deadlines.
fn run(sp: &Spawner, l: &Launch) -> (Vec<String>, Exit) {
    let (tx, rx) = mpsc::channel();
    let notify: Notify = Arc::new(move |r| {
        let _ = tx.send(r);
    });
    let mut watch = Watch::new().unwrap();
    let mut attempt = match sp.spawn(l, "s", notify, &mut watch) {
        Ok(a) => a,
        Err(exit) => return (Vec::new(), exit),
    };
    let mut lines = Vec::new();
    loop {
        let wait = attempt
            .next_deadline()
            .map_or(Duration::from_secs(60), |d| {
                d.saturating_duration_since(Instant::now())
            });
        watch.wait(wait);
        for report in rx.try_iter() {
            match report {
                Report::Line { line, .. } => lines.push(line),
                Report::Exited(exit) => return (lines, exit),
                Report::HostExited { .. } => {}
            }
        }
        attempt.tick(Instant::now(), sp.grace);
    }
}

#[test]
fn output_of_both_streams_is_kept_in_order_and_secrets_are_masked() {
    let dir = tempfile::tempdir().unwrap();
    let sp = spawner(dir.path());
    let (lines, exit) = run(
        &sp,
        &launch(Command::Shell(
            "echo \"$GREETING $EXTRA\"; echo err >&2; echo \"token=$TOKEN\"; exit 3".into(),
        )),
    );
    assert_eq!(lines, ["hello x", "err", "token=***"]);
    assert_eq!(exit.ending.exit_code, Some(3));
    assert_eq!(exit.output_tail, lines);
    let log = std::fs::read_to_string(dir.path().join("s.log")).unwrap();
    assert!(log.contains("=== attempt 1"), "{log}");
    assert!(log.contains("token=***\n"), "{log}");
    assert!(!log.contains("s3cr3t"), "{log}");
    assert!(log.contains("=== exit code 3"), "{log}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir.path().join("s.log"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn a_silent_command_leaves_no_log_but_a_later_attempt_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let sp = spawner(dir.path());
    let log = dir.path().join("s.log");
    let (_, exit) = run(&sp, &launch(Command::Argv(vec!["true".into()])));
    assert!(exit.success());
    assert!(!log.exists(), "a log for a command that printed nothing");
    let mut second = launch(Command::Shell("echo out; exit 1".into()));
    second.attempt = 2;
    run(&sp, &second);
    let mut third = launch(Command::Argv(vec!["true".into()]));
    third.attempt = 3;
    run(&sp, &third);
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(lines[0].starts_with("=== attempt 2 — "), "{text}");
    assert_eq!(lines[1..3], ["out", "=== exit code 1"]);
    assert!(lines[3].starts_with("=== attempt 3 — "), "{text}");
    assert_eq!(lines[4], "=== exit code 0");
}

#[test]
fn a_command_that_cannot_start_leaves_a_log_saying_why() {
    let dir = tempfile::tempdir().unwrap();
    let sp = spawner(dir.path());
    run(
        &sp,
        &launch(Command::Argv(vec!["no-such-program-xyz".into()])),
    );
    let text = std::fs::read_to_string(dir.path().join("s.log")).unwrap();
    assert!(
        text.contains("=== could not start: `no-such-program-xyz` not found"),
        "{text}"
    );
}

#[test]
fn a_list_runs_without_a_shell_in_its_workdir() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let sp = spawner(dir.path());
    let mut l = launch(Command::Argv(vec![
        "sh".into(),
        "-c".into(),
        "pwd; echo $0".into(),
        "$GREETING".into(),
    ]));
    l.workdir = Some("sub".into());
    let (lines, exit) = run(&sp, &l);
    assert!(exit.success(), "{exit:?}");
    assert!(lines[0].ends_with("/sub"), "{lines:?}");
    // `$GREETING` in an argv element is text, not a variable.
    assert_eq!(lines[1], "$GREETING");
}

#[test]
fn a_missing_program_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let sp = spawner(dir.path());
    let (_, exit) = run(
        &sp,
        &launch(Command::Argv(vec!["no-such-program-xyz".into()])),
    );
    assert!(
        exit.ending.error.as_deref().unwrap().contains("not found"),
        "{exit:?}"
    );
    let (_, exit) = run(&sp, &launch(Command::Argv(vec![])));
    assert!(exit.ending.error.is_some());
}

/// Whether `pid` is still a live process. A killed orphan is reaped by
/// init a moment later, so a zombie counts as gone and the check waits
/// (boundedly) for the kill to land.
fn alive(pid: i32) -> bool {
    let live = || {
        nix::sys::signal::kill(Pid::from_raw(pid), None).is_ok()
            && std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .map(|s| {
                    !s.rsplit(')')
                        .next()
                        .unwrap_or("")
                        .trim_start()
                        .starts_with('Z')
                })
                .unwrap_or(false)
    };
    for _ in 0..50 {
        if !live() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    true
}

#[test]
fn a_timeout_ends_the_whole_group() {
    let dir = tempfile::tempdir().unwrap();
    let sp = spawner(dir.path());
    let pidfile = dir.path().join("grandchild.pid");
    let mut l = launch(Command::Shell(format!(
        "sleep 300 & echo $! > {}; trap '' TERM; sleep 300",
        pidfile.display()
    )));
    l.timeout = Some(crate::runbook::Duration(1));
    let (_, exit) = run(&sp, &l);
    assert!(exit.ending.timed_out);
    assert_eq!(exit.ending.signal.as_deref(), Some("SIGKILL"), "{exit:?}");
    let pid: i32 = std::fs::read_to_string(&pidfile)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(!alive(pid), "the grandchild {pid} survived");
}

#[test]
fn a_process_that_left_the_group_holds_the_output_for_the_grace_only() {
    let dir = tempfile::tempdir().unwrap();
    let sp = spawner(dir.path());
    let pidfile = dir.path().join("escaped.pid");
    // `setsid` puts the sleeper out of the command's group: the group
    // kill misses it, and it holds the output pipe open.
    let l = launch(Command::Shell(format!(
        "setsid sleep 30 & echo $! > {}; echo before",
        pidfile.display()
    )));
    let started = Instant::now();
    let (lines, exit) = run(&sp, &l);
    let waited = started.elapsed();
    let pid: i32 = std::fs::read_to_string(&pidfile)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let _ = nix::sys::signal::kill(Pid::from_raw(pid), Signal::SIGKILL);
    assert!(exit.success(), "{exit:?}");
    assert_eq!(lines, ["before"]);
    // Not a timing assertion: the sleeper would hold it 30 s.
    assert!(waited < Duration::from_secs(25), "waited {waited:?}");
}

#[test]
fn many_commands_in_one_watch_keep_their_own_lines() {
    let dir = tempfile::tempdir().unwrap();
    let sp = spawner(dir.path());
    let (tx, rx) = mpsc::channel();
    let notify: Notify = Arc::new(move |r| {
        let _ = tx.send(r);
    });
    let mut watch = Watch::new().unwrap();
    let n = 12;
    for i in 0..n as u32 {
        let mut l = launch(Command::Shell(format!(
            "i=0; while [ $i -lt 300 ]; do echo {i}-$i; i=$((i+1)); done; exit {i}"
        )));
        l.step = StepIndex(i);
        sp.spawn(&l, &format!("s{i}"), notify.clone(), &mut watch)
            .unwrap();
    }
    let mut lines = vec![Vec::new(); n];
    let mut exits = vec![None; n];
    while exits.iter().any(Option::is_none) {
        watch.wait(Duration::from_secs(5));
        for report in rx.try_iter() {
            match report {
                Report::Line { step, line } => lines[step.0 as usize].push(line),
                Report::Exited(exit) => {
                    let i = exit.step.0 as usize;
                    exits[i] = Some(exit);
                }
                Report::HostExited { .. } => {}
            }
        }
    }
    assert!(watch.is_empty());
    for i in 0..n {
        let expected: Vec<String> = (0..300).map(|k| format!("{i}-{k}")).collect();
        assert_eq!(lines[i], expected, "step {i}");
        let exit = exits[i].as_ref().unwrap();
        assert_eq!(exit.ending.exit_code, Some(i as i32));
        assert_eq!(exit.output_tail, expected[300 - TAIL_LINES..]);
    }
}

#[test]
fn a_backgrounded_grandchild_does_not_hang_the_reader_or_survive() {
    let dir = tempfile::tempdir().unwrap();
    let sp = spawner(dir.path());
    let pidfile = dir.path().join("bg.pid");
    let l = launch(Command::Shell(format!(
        "sleep 300 & echo $! > {}; echo started",
        pidfile.display()
    )));
    let (lines, exit) = run(&sp, &l);
    assert!(exit.success());
    assert_eq!(lines, ["started"]);
    let pid: i32 = std::fs::read_to_string(&pidfile)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(!alive(pid), "the background process {pid} survived");
}
