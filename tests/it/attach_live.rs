//! Attached terminals as a crisis cell lives with them: the live region of
//! `run` drawn for each terminal's size and roles, terminals that outlive
//! a killed drill and attach again after `reprise resume`, and a terminal
//! that falls behind, dropped and caught up from a snapshot.
//!
//! The waits below are bounds that turn a hang into a failure, never
//! timing assertions.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use expectrl::session::OsSession as Session;
use expectrl::{Eof, Expect};

use crate::harness::Test;

const BOUND: Duration = Duration::from_secs(60);

const TEAMS: &str = r#"version: 1
name: Live
steps:
  - id: storage-ok
    title: Storage team checks the array
    role: storage
  - id: lab-ok
    title: Lab checks the results
    role: lab
  - id: lab-sign
    title: Lab signs the report
    role: lab
"#;

fn events(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("j.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// Waits until the journal holds an event matching `pred`.
fn wait_for(dir: &Path, what: &str, pred: impl Fn(&serde_json::Value) -> bool) {
    crate::harness::eventually(&format!("{what} in the journal"), || {
        events(dir).iter().any(&pred)
    });
}

/// `args` at a pseudo-terminal of `cols`×`rows`, live (colours on).
fn at_terminal(dir: &Path, args: &[&str], cols: u16, rows: u16) -> Session {
    Test::at(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .size(cols, rows)
        .pty()
}

fn expect(s: &mut Session, needle: &str) {
    if let Err(e) = s.expect(needle) {
        panic!("expected {needle:?}: {e}");
    }
}

/// Waits for the socket beside the journal.
fn wait_socket(dir: &Path) {
    let deadline = Instant::now() + BOUND;
    while UnixStream::connect(dir.join("j.jsonl.sock")).is_err() {
        assert!(
            Instant::now() < deadline,
            "no drill listening beside the journal"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `args` at a pseudo-terminal in the plain style: it prints only on
/// events, so that a test need not read it all the time.
fn plain_terminal(dir: &Path, args: &[&str]) -> Session {
    Test::at(dir).args(args).pty()
}

/// The coordinator's drill of `runbook` at a terminal, once it listens.
fn coordinator(dir: &Path, runbook: &str) -> Session {
    std::fs::write(dir.join("rb.yaml"), runbook).unwrap();
    let mut s = plain_terminal(
        dir,
        &[
            "run",
            "rb.yaml",
            "--journal",
            "j.jsonl",
            "--operator",
            "coord",
        ],
    );
    expect(&mut s, "journal: j.jsonl");
    wait_socket(dir);
    s
}

/// `reprise attach` on pipes (plain lines), its stdout read line by line.
struct Plain {
    child: Child,
    stdin: std::process::ChildStdin,
    lines: Receiver<String>,
    seen: String,
}

impl Plain {
    fn attach(dir: &Path, name: &str) -> Plain {
        let mut child = Test::at(dir)
            .args(["attach", "j.jsonl", "--as", name])
            .command()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let out = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Plain {
            child,
            stdin,
            lines,
            seen: String::new(),
        }
    }

    /// Reads until a line contains `needle`.
    fn expect(&mut self, needle: &str) {
        let deadline = Instant::now() + BOUND;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let hit = line.contains(needle);
                    self.seen.push_str(&line);
                    self.seen.push('\n');
                    if hit {
                        return;
                    }
                }
                Err(_) => panic!("never saw {needle:?} in:\n{}", self.seen),
            }
        }
    }

    fn type_line(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").unwrap();
    }

    fn exit_code(mut self) -> Option<i32> {
        let deadline = Instant::now() + BOUND;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("attach did not leave:\n{}", self.seen);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Plain {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn an_attached_terminal_draws_its_roles_items_in_its_size_and_follows_resizes() {
    let dir = tempfile::tempdir().unwrap();
    let mut coord = coordinator(dir.path(), TEAMS);
    let mut lab = at_terminal(
        dir.path(),
        &["attach", "j.jsonl", "--as", "labo", "--role", "lab"],
        80,
        24,
    );
    // The live region: the lab's two items get the rows, the storage item
    // is counted, the overall line is the one `run` draws.
    expect(&mut lab, "+1 for other roles");
    expect(&mut lab, "0/3 steps ended");
    // At 80 columns an item line has no title; at 150 it has.
    lab.get_process_mut().set_window_size(150, 40).unwrap();
    expect(&mut lab, "Lab checks the results  to do");
    // Keys go through the client's own line editor, as at `run`.
    lab.send("done lab-oj\x7fk\r").unwrap();
    wait_for(dir.path(), "lab-ok by labo", |e| {
        e["event"] == "step_finished" && e["step"] == "lab-ok" && e["by"] == "labo"
    });
    // Ctrl-C leaves this terminal; the drill goes on.
    lab.send("\x03").unwrap();
    lab.expect(Eof).expect("attach leaves on Ctrl-C");
    match crate::harness::wait_exit(&mut lab, BOUND) {
        expectrl::process::unix::WaitStatus::Exited(_, 0) => {}
        other => panic!("attach did not leave with 0: {other:?}"),
    }
    wait_for(dir.path(), "labo detached", |e| {
        e["event"] == "operator_detached" && e["by"] == "labo"
    });
    coord.send_line("done storage-ok").unwrap();
    coord.send_line("done lab-sign").unwrap();
    coord.expect(Eof).expect("the drill's end");
    let all = events(dir.path());
    assert!(
        all.iter()
            .any(|e| e["event"] == "operator_attached" && e["by"] == "labo"),
        "{all:#?}"
    );
    assert_eq!(all.last().unwrap()["result"], "recovered");
}

#[test]
fn attached_terminals_outlive_a_killed_drill_and_attach_again_after_resume() {
    let dir = tempfile::tempdir().unwrap();
    let coord = coordinator(dir.path(), TEAMS);
    let mut labo = Plain::attach(dir.path(), "labo");
    let mut stock = Plain::attach(dir.path(), "stock");
    labo.expect("attached to the drill as labo");
    stock.expect("attached to the drill as stock");
    wait_for(dir.path(), "both attached", |e| {
        e["event"] == "operator_attached" && e["by"] == "stock"
    });
    // The drill's process dies at once (power, OOM killer, kill -9).
    let pid = nix::unistd::Pid::from_raw(coord.get_process().pid().as_raw());
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL).unwrap();
    drop(coord);
    for client in [&mut labo, &mut stock] {
        client.expect("the drill stopped");
        assert!(
            client.seen.contains("reprise resume j.jsonl"),
            "{}",
            client.seen
        );
    }
    let mut resumed = plain_terminal(dir.path(), &["resume", "j.jsonl", "--operator", "coord2"]);
    let teams = std::thread::spawn(move || {
        for client in [&mut labo, &mut stock] {
            client.expect("attached again");
        }
        // One of them finishes the drill.
        labo.expect("lab-sign");
        for step in ["lab-ok", "lab-sign", "storage-ok"] {
            labo.type_line(&format!("done {step}"));
        }
        for client in [&mut labo, &mut stock] {
            client.expect("the drill ended");
        }
        (labo, stock)
    });
    let end = resumed.expect(Eof);
    let Ok((labo, stock)) = teams.join() else {
        let mut rest = String::new();
        if let Ok(m) = &end {
            rest = String::from_utf8_lossy(m.before()).into_owned();
        }
        let files: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        panic!(
            "the teams' terminals failed; the resumed drill ({}) said:\n{rest}\nfiles: {files:?}\njournal: {}",
            end.is_ok(),
            std::fs::read_to_string(dir.path().join("j.jsonl")).unwrap_or_else(|e| e.to_string())
        );
    };
    end.expect("the resumed drill's end");
    assert_eq!(labo.exit_code(), Some(0));
    assert_eq!(stock.exit_code(), Some(0));
    let all = events(dir.path());
    assert_eq!(all.last().unwrap()["result"], "recovered", "{all:#?}");
    for step in ["lab-ok", "lab-sign", "storage-ok"] {
        assert!(
            all.iter()
                .any(|e| e["event"] == "step_finished" && e["step"] == step && e["by"] == "labo"),
            "{step} by labo: {all:#?}"
        );
    }
    Test::at(dir.path())
        .args(["verify", "j.jsonl"])
        .run()
        .success();
}

#[test]
fn run_detach_starts_the_drill_in_the_background_and_a_coordinator_attaches_later() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rb.yaml"), TEAMS).unwrap();
    let out = Test::at(dir.path())
        .args(["run", "rb.yaml", "--journal", "j.jsonl", "--detach"])
        .run()
        .success();
    let stdout = &out.stdout;
    for line in [
        "journal: j.jsonl",
        "socket:  j.jsonl.sock",
        "log:     j.jsonl.log",
        "attach:  reprise attach j.jsonl",
    ] {
        assert!(stdout.contains(line), "{line:?} in {stdout}");
    }
    let pid: i32 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("pid:"))
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or_else(|| panic!("no pid in {stdout}"));
    let pid = nix::unistd::Pid::from_raw(pid);
    // In a session of its own: no terminal to lose.
    assert_eq!(nix::unistd::getsid(Some(pid)).unwrap(), pid);
    // Nobody is attached: the manual steps wait, the drill does not stop.
    wait_for(dir.path(), "lab-sign ready", |e| {
        e["event"] == "step_ready" && e["step"] == "lab-sign"
    });
    assert!(
        !events(dir.path())
            .iter()
            .any(|e| e["event"] == "run_finished" || e["event"] == "run_stopped"),
        "{:#?}",
        events(dir.path())
    );
    // Starting another drill on that journal is refused, and says why.
    let again = Test::at(dir.path())
        .args(["run", "rb.yaml", "--journal", "j.jsonl", "--detach"])
        .run()
        .status(2);
    let err = &again.stderr;
    assert!(
        err.contains("exists already") && err.contains("reprise resume j.jsonl"),
        "{err}"
    );

    // The coordinator attaches later and finishes it.
    let mut coord = Plain::attach(dir.path(), "coord");
    coord.expect("lab-sign");
    for step in ["lab-ok", "lab-sign", "storage-ok"] {
        coord.type_line(&format!("done {step}"));
    }
    coord.expect("the drill ended");
    assert_eq!(coord.exit_code(), Some(0));
    let all = events(dir.path());
    assert_eq!(all.last().unwrap()["result"], "recovered", "{all:#?}");
    assert!(
        all.iter()
            .any(|e| e["event"] == "step_finished" && e["step"] == "lab-ok" && e["by"] == "coord"),
        "{all:#?}"
    );
    let log = std::fs::read_to_string(dir.path().join("j.jsonl.log")).unwrap();
    assert!(log.contains("journal: j.jsonl"), "{log}");
    wait_gone(dir.path());
}

#[test]
fn run_detach_waiting_for_its_drill_is_not_logged_as_a_refused_client() {
    // `run --detach` connects to the socket to know the drill listens,
    // and closes without a word: that was logged as a client refused for
    // a bad greeting, in every detached drill's log.
    let dir = detached(
        "version: 1\nname: Quiet\nsteps:\n  - {id: a, title: A}\n",
        &[("RUST_LOG", "info")],
    );
    // A bad greeting is still logged as one.
    let (mut bad, mut told) = raw(dir.path(), &serde_json::json!("hello"));
    let _ = bad.flush();
    assert!(next(&mut told).is_some_and(|m| m.get("error").is_some()));
    let (mut w, mut r) = raw(dir.path(), &serde_json::json!({"attach": 1, "as": "coord"}));
    // Answered once it is asked: the socket listens before the drill
    // starts, and `done a` typed before `a` is open is refused.
    while let Some(m) = next(&mut r) {
        if m["text"].to_string().contains("done 1") {
            break;
        }
    }
    writeln!(w, "{}", serde_json::json!({"line": "done a"})).unwrap();
    while let Some(m) = next(&mut r) {
        if m["end"] == true {
            break;
        }
    }
    wait_gone(dir.path());
    let log = std::fs::read_to_string(dir.path().join("j.jsonl.log")).unwrap();
    assert_eq!(
        log.matches("a client was refused or left").count(),
        1,
        "the bad greeting, and not the readiness check: {log}"
    );
}

/// A drill started with `run --detach`, in its own folder. A test that
/// fails leaves no drill behind: dropped, it kills its process if it
/// still runs (a failed test once left drills waiting for ever).
struct Detached {
    dir: tempfile::TempDir,
    pid: nix::unistd::Pid,
}

impl Detached {
    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Detached {
    fn drop(&mut self) {
        // Only that drill: its pid may have been reused once it ended.
        let cmdline = std::fs::read(format!("/proc/{}/cmdline", self.pid)).unwrap_or_default();
        let cwd = std::fs::read_link(format!("/proc/{}/cwd", self.pid)).ok();
        let ours = cmdline.split(|b| *b == 0).any(|a| a == b"--detached-drill")
            && cwd.is_some()
            && cwd == std::fs::canonicalize(self.dir.path()).ok();
        if ours {
            let _ = nix::sys::signal::kill(self.pid, nix::sys::signal::Signal::SIGKILL);
        }
    }
}

/// `runbook` started with `run --detach` (and `env`) in a new folder.
fn detached(runbook: &str, env: &[(&str, &str)]) -> Detached {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rb.yaml"), runbook).unwrap();
    let mut t = Test::at(dir.path()).args(["run", "rb.yaml", "--journal", "j.jsonl", "--detach"]);
    for (k, v) in env {
        t = t.env(k, v);
    }
    let out = t.run().success();
    let pid = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("pid:"))
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or_else(|| panic!("no pid in {}", out.stdout));
    Detached {
        dir,
        pid: nix::unistd::Pid::from_raw(pid),
    }
}

/// Waits for the drill's process to end (its socket removed).
fn wait_gone(dir: &Path) {
    let deadline = Instant::now() + BOUND;
    while dir.join("j.jsonl.sock").exists() {
        assert!(Instant::now() < deadline, "the drill did not end");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A raw protocol client (the tests' view of the socket).
fn raw(dir: &Path, hello: &serde_json::Value) -> (UnixStream, BufReader<UnixStream>) {
    let s = UnixStream::connect(dir.join("j.jsonl.sock")).unwrap();
    s.set_read_timeout(Some(BOUND)).unwrap();
    let mut w = s.try_clone().unwrap();
    writeln!(w, "{hello}").unwrap();
    (w, BufReader::new(s))
}

/// The next message, or `None` at the end of the connection.
fn next(r: &mut BufReader<UnixStream>) -> Option<serde_json::Value> {
    let mut line = String::new();
    match r.read_line(&mut line) {
        Ok(0) => None,
        Ok(_) => Some(serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))),
        Err(e) => panic!("no message from the drill: {e}"),
    }
}

#[test]
fn a_terminal_that_falls_behind_is_dropped_and_catches_up_from_a_snapshot() {
    // A terminal is dropped once 8 MiB of messages wait for it: another
    // team records 200 notes of 48 KiB (each reaches every terminal, with
    // its line) while this one reads nothing.
    const NOTES: usize = 200;
    let dir = detached(
        "version: 1\nname: Notes\nsteps:\n  - {id: warm, title: Warm up, run: \"true\"}\n  - {id: sign, title: Sign the report, needs: [warm]}\n",
        &[],
    );
    wait_for(dir.path(), "sign ready", |e| {
        e["event"] == "step_ready" && e["step"] == "sign"
    });
    let (_slow_w, mut slow) = raw(dir.path(), &serde_json::json!({"attach": 1, "as": "slow"}));
    let (mut busy_w, mut busy) = raw(dir.path(), &serde_json::json!({"attach": 1, "as": "busy"}));
    // The busy terminal sends a note, and the next once it has read it
    // back: it never has more than one waiting for it, whatever else
    // runs beside the test.
    let long = "x".repeat(48 * 1024);
    let mut line = String::new();
    for i in 0..NOTES {
        writeln!(
            busy_w,
            "{}",
            serde_json::json!({"line": format!("note {i} {long}")})
        )
        .unwrap();
        loop {
            line.clear();
            if busy.read_line(&mut line).unwrap() == 0 {
                panic!("the busy terminal was dropped after {i} notes");
            }
            if line.contains("\"event\":\"note\"") {
                break;
            }
        }
    }
    let mut got = Vec::new();
    while let Some(m) = next(&mut slow) {
        got.push(m);
    }
    let last = got.last().expect("some messages");
    assert!(
        last["dropped"]
            .as_str()
            .is_some_and(|d| d.contains("fell behind")),
        "the last message says why: {last:.200}"
    );
    let notes_got = got.iter().filter(|m| m["event"]["event"] == "note").count();
    assert!(
        notes_got < NOTES,
        "{notes_got} notes of {NOTES}: nothing was dropped?"
    );
    // The drill went on without waiting for it.
    let all = events(dir.path());
    assert!(
        !all.iter().any(|e| e["event"] == "run_finished"),
        "{all:#?}"
    );

    // Attached again, it gets the snapshot: the open item and its live region.
    let (mut w, mut again) = raw(
        dir.path(),
        &serde_json::json!({"attach": 1, "as": "slow", "size": {"rows": 24, "cols": 100}}),
    );
    let greeting = next(&mut again).unwrap();
    let text = greeting["text"].to_string();
    assert!(text.contains("attached to the drill as slow"), "{text}");
    assert!(text.contains("sign"), "the open item: {text}");
    let frame = next(&mut again).unwrap();
    let frame = &frame["frame"];
    assert!(
        frame["overall"]
            .as_str()
            .is_some_and(|o| o.contains("1/2 steps ended")),
        "{frame}"
    );
    assert!(frame["items"].to_string().contains("sign"), "{frame}");
    writeln!(w, "{}", serde_json::json!({"line": "done sign"})).unwrap();
    loop {
        match next(&mut again) {
            Some(m) if m["end"] == true => break,
            Some(_) => {}
            None => panic!("the connection ended before the drill"),
        }
    }
    let all = events(dir.path());
    assert_eq!(all.last().unwrap()["result"], "recovered");
}

#[test]
fn held_time_is_reported_apart_from_waiting() {
    let dir = detached(TEAMS, &[]);
    let (mut w, mut r) = raw(dir.path(), &serde_json::json!({"attach": 1, "as": "coord"}));
    let mut say = |line: &str| writeln!(w, "{}", serde_json::json!({ "line": line })).unwrap();
    say("hold we stop tonight");
    wait_for(dir.path(), "run_held", |e| e["event"] == "run_held");
    // Long enough for whole seconds of hold (the report counts seconds).
    std::thread::sleep(Duration::from_millis(2100));
    say("release");
    wait_for(dir.path(), "run_released", |e| e["event"] == "run_released");
    for step in ["storage-ok", "lab-ok", "lab-sign"] {
        say(&format!("done {step}"));
    }
    while let Some(m) = next(&mut r) {
        if m["end"] == true {
            break;
        }
    }
    let all = events(dir.path());
    assert_eq!(all.last().unwrap()["result"], "recovered");
    let json = Test::at(dir.path())
        .args(["report", "j.jsonl", "--format", "json"])
        .run()
        .success();
    let report: serde_json::Value = json.json();
    let total = &report["time_split"];
    // Three manual steps open through the hold: 3 × 2 s at least held.
    assert!(total["held_seconds"].as_u64().unwrap() >= 6, "{total}");
    let md = Test::at(dir.path())
        .args(["report", "j.jsonl"])
        .run()
        .success();
    // The tables have the held time in a column of its own, with the
    // same total as the JSON.
    let md = &md.stdout;
    assert!(md.contains("| Dependencies | Other | Held |"), "{md}");
    let held = total["held_seconds"].as_u64().unwrap();
    assert!(held < 60, "a short test drill: {total}");
    let totals = md
        .lines()
        .find(|l| l.starts_with("| **Total**"))
        .expect("the time split's total");
    assert!(totals.ends_with(&format!("| {held}s |")), "{totals}");
    let html = Test::at(dir.path())
        .args(["report", "j.jsonl", "--format", "html"])
        .run()
        .success();
    let html = &html.stdout;
    assert!(html.contains("<th class=\"num\">Held</th>"), "{html}");
    let fr = Test::at(dir.path())
        .args(["report", "j.jsonl", "--lang", "fr"])
        .run()
        .success();
    let fr = &fr.stdout;
    assert!(fr.contains("| Suspension |"), "{fr}");
    // Without a hold, no held column and no held field.
    let plain = tempfile::tempdir().unwrap();
    std::fs::write(plain.path().join("rb.yaml"), TEAMS).unwrap();
    Test::at(plain.path())
        .args(["run", "rb.yaml", "--journal", "j.jsonl", "--yes"])
        .run()
        .success();
    let json = Test::at(plain.path())
        .args(["report", "j.jsonl", "--format", "json"])
        .run()
        .success();
    let report: serde_json::Value = json.json();
    assert!(
        report["time_split"].get("held_seconds").is_none(),
        "{}",
        report["time_split"]
    );
    let md = Test::at(plain.path())
        .args(["report", "j.jsonl"])
        .run()
        .success();
    let md = &md.stdout;
    assert!(md.contains("| Dependencies | Other |\n"), "{md}");
}
