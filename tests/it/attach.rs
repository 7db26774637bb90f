//! `reprise attach`: another terminal records its own steps in a running
//! drill, under the account the operating system gives.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use expectrl::Expect;
use expectrl::session::OsSession as Session;

use crate::harness::Test;
use crate::screen::Screen;

const TEAMS: &str = r#"version: 1
name: Attach
steps:
  - id: storage-ok
    title: Storage team checks the array
    role: storage
  - id: lab-ok
    title: Lab checks results
    role: lab
"#;

fn journal(dir: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("j.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// A drill of [`TEAMS`] run by `coord` at a pseudo-terminal, once its
/// socket is there.
fn coordinator() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rb.yaml"), TEAMS).unwrap();
    let mut session = Test::at(dir.path())
        .args([
            "run",
            "rb.yaml",
            "--journal",
            "j.jsonl",
            "--operator",
            "coord",
        ])
        .env_remove("NO_COLOR")
        .pty();
    session
        .expect("reprise>")
        .expect("the coordinator's prompt");
    crate::harness::eventually("the socket beside the journal", || {
        dir.path().join("j.jsonl.sock").exists()
    });
    (dir, session)
}

#[test]
fn an_attached_terminal_records_its_step_under_its_own_name_and_account() {
    let (dir, coordinator) = coordinator();
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir.path().join("j.jsonl.sock"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "only the starting account may attach");

    let mut lab = Test::at(dir.path())
        .args(["attach", "j.jsonl", "--as", "labo"])
        .command()
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = lab.stdin.take().unwrap();
    let mut out = BufReader::new(lab.stdout.take().unwrap());
    let mut seen = String::new();
    let mut line = String::new();
    while !seen.contains("lab-ok") {
        line.clear();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "attach ended early: {seen}"
        );
        seen.push_str(&line);
    }
    assert!(seen.contains("attached to the drill as labo"), "{seen}");
    writeln!(stdin, "done lab-ok").unwrap();
    while !seen.contains("lab-ok done") {
        line.clear();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "attach ended early: {seen}"
        );
        seen.push_str(&line);
    }
    writeln!(stdin, "detach").unwrap();
    assert!(lab.wait().unwrap().success(), "detach leaves with 0");
    let mut coordinator = Screen::new(coordinator);
    coordinator.wait_for("(or `done storage-ok`)", 1);
    coordinator.type_line("done storage-ok");
    coordinator.wait_end(&dir.path().join("j.jsonl"));

    let events = journal(dir.path());
    let lab_done = events
        .iter()
        .find(|e| e["event"] == "step_finished" && e["step"] == "lab-ok")
        .expect("lab-ok recorded");
    assert_eq!(lab_done["by"], "labo");
    let me = nix::unistd::User::from_uid(nix::unistd::getuid())
        .unwrap()
        .unwrap()
        .name;
    assert_eq!(
        lab_done["account"],
        me.as_str(),
        "the account comes from the socket"
    );
    let storage = events
        .iter()
        .find(|e| e["event"] == "step_finished" && e["step"] == "storage-ok")
        .unwrap();
    assert_eq!(storage["by"], "coord");
    assert!(
        !dir.path().join("j.jsonl.sock").exists(),
        "the socket is removed at the end"
    );
}

#[test]
fn a_bad_greeting_is_refused_and_the_drill_goes_on() {
    let (dir, coordinator) = coordinator();
    for greeting in ["not json\n", "{\"attach\": 99}\n"] {
        let mut s = UnixStream::connect(dir.path().join("j.jsonl.sock")).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(greeting.as_bytes()).unwrap();
        let mut answer = String::new();
        BufReader::new(s).read_line(&mut answer).unwrap();
        assert!(answer.contains("\"error\""), "{greeting:?} → {answer}");
    }
    // The prompt is drawn from the start, before the items open: typed
    // then, `done` gets "not an open item" (it once did, when the
    // journal's first sync was slow, and the drill waited for ever).
    let mut coordinator = Screen::new(coordinator);
    coordinator.wait_for("(or `done storage-ok`)", 1);
    coordinator.wait_for("(or `done lab-ok`)", 1);
    coordinator.type_line("done storage-ok");
    coordinator.type_line("done lab-ok");
    coordinator.wait_end(&dir.path().join("j.jsonl"));
    let events = journal(dir.path());
    assert_eq!(events.last().unwrap()["result"], "recovered", "{events:#?}");
}

#[test]
fn attach_without_a_running_drill_names_resume() {
    let t = Test::new().args(["attach", "nowhere.jsonl"]);
    let out = t.run();
    out.code(2);
    assert!(
        out.stderr.contains("no drill is running on nowhere.jsonl"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("reprise resume nowhere.jsonl"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_fan_out_of_thousands_of_ready_steps_does_not_drop_an_attached_terminal() {
    // One answer makes 1,500 steps ready at once: a burst of 1,500
    // `step_ready` lines for every terminal within a millisecond. A queue
    // bounded at 1,024 messages dropped every terminal there ("fell
    // behind"), though none was slow.
    const STEPS: usize = 1_500;
    let dir = tempfile::tempdir().unwrap();
    let mut rb = String::from("version: 1\nname: Fan-out\nsteps:\n  - {id: go, title: Go}\n");
    for i in 1..=STEPS {
        rb.push_str(&format!(
            "  - {{id: c{i}, title: Command {i}, run: 'true', needs: [go]}}\n"
        ));
    }
    std::fs::write(dir.path().join("rb.yaml"), rb).unwrap();
    Test::at(dir.path())
        .args([
            "run",
            "rb.yaml",
            "--journal",
            "j.jsonl",
            "--jobs",
            "4",
            "--detach",
        ])
        .run()
        .success();
    let mut s = UnixStream::connect(dir.path().join("j.jsonl.sock")).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    s.write_all(b"{\"attach\": 1, \"as\": \"team\"}\n").unwrap();
    let mut r = BufReader::new(s.try_clone().unwrap());
    let mut line = String::new();
    while !line.contains("done 1") {
        line.clear();
        assert!(r.read_line(&mut line).unwrap() > 0, "closed before `go`");
    }
    s.write_all(b"{\"line\": \"done go\"}\n").unwrap();
    let (mut ready, mut last) = (0, String::new());
    loop {
        line.clear();
        if r.read_line(&mut line).unwrap() == 0 {
            break;
        }
        ready += usize::from(line.contains("\"event\":\"step_ready\""));
        last = line.clone();
    }
    assert!(
        last.contains("\"end\""),
        "the terminal was not told the end: {last}"
    );
    assert_eq!(ready, STEPS, "every step_ready reached the terminal");
    let events = journal(dir.path());
    assert_eq!(events.last().unwrap()["result"], "recovered");
    assert!(
        !events
            .iter()
            .any(|e| e["event"] == "operator_detached" && e["reason"] == "connection closed"),
        "the terminal was dropped: {:?}",
        events
            .iter()
            .filter(|e| e["event"] == "operator_detached")
            .collect::<Vec<_>>()
    );
}
