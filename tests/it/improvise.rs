//! Issue 25: the plan changes while the drill runs — steps added at the
//! prompt (`add`), through a real pseudo-terminal, across a `kill -9` and
//! a resume.

use std::time::Duration;

use expectrl::Expect;
use expectrl::session::OsSession as Session;

use crate::harness::Test;
use crate::pty::{expect, finish, finished, journal, number, spawn, styled};

/// Two planned manual steps, the second after the first.
const TWO: &str = r#"version: 1
name: improvised drill
steps:
  - id: detach-array
    title: Detach the failed array
  - id: restart-db
    title: Restart the database
    needs: [detach-array]
"#;

fn resume(dir: &std::path::Path) -> Session {
    Test::at(dir)
        .args(["resume", "drill.journal", "--operator", "bob"])
        .env_remove("NO_COLOR")
        .pty()
}

#[test]
fn an_added_step_holds_its_dependent_survives_kill_9_and_reaches_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = spawn(dir.path(), TWO, &["--operator", "alice"]);
    assert_eq!(
        number(&mut p, styled(&[r"#(\d+)", "detach-array", "—"])),
        "1"
    );
    // A cycle: after 2, before 1 (2 already waits for 1).
    p.send_line("add Check the array; after 2; before 1; reason x")
        .unwrap();
    expect(
        &mut p,
        "step 1 `detach-array` is under way",
        "an open step cannot wait for a new one",
    );
    p.send_line("add Restore vol7 from tape; after 1; before 2; role storage; estimate 2h; reason vol7 is corrupted")
        .unwrap();
    expect(
        &mut p,
        styled(&["#3", "added-3", "added by alice:", "Restore vol7 from tape"]),
        "the added step, with the next item number",
    );
    p.send_line("done 1").unwrap();
    assert_eq!(
        number(&mut p, styled(&[r"#(\d+)", "added-3", "—", "Restore vol7"])),
        "3",
        "the added step opens once step 1 is done"
    );
    // Step 2 does not open: it waits for the added step (checked in the
    // journal below: its `step_ready` follows the added step's end).
    p.send_line("list").unwrap();
    expect(&mut p, "#3 added-3 (manual step)", "the added step open");

    // reprise dies with the added step open.
    p.get_process_mut()
        .kill(expectrl::process::unix::Signal::SIGKILL)
        .unwrap();
    let _ = crate::harness::wait_exit(&mut p, Duration::from_secs(30));

    let mut p = resume(dir.path());
    assert_eq!(
        number(&mut p, styled(&[r"#(\d+)", "added-3", "—", "Restore vol7"])),
        "3",
        "after a resume, the added step is open again under its number"
    );
    p.send_line("done 3").unwrap();
    assert_eq!(
        number(&mut p, styled(&[r"#(\d+)", "restart-db", "—"])),
        "2",
        "the dependent opens once the added step is done"
    );
    p.send_line("done 2").unwrap();
    let (code, rest) = finish(p);
    assert_eq!(code, 0, "recovered\n{rest}");

    let events = journal(dir.path());
    let added: Vec<_> = events
        .iter()
        .filter(|e| e["event"] == "step_added")
        .collect();
    assert_eq!(added.len(), 1, "the refused cycle recorded nothing");
    assert_eq!(added[0]["step"], "added-3");
    assert_eq!(added[0]["after"][0], "detach-array");
    assert_eq!(added[0]["before"][0], "restart-db");
    assert_eq!(added[0]["reason"], "vol7 is corrupted");
    assert_eq!(added[0]["by"], "alice");
    assert_eq!(finished(&events, "added-3")["by"], "bob");
    let at = |step: &str| {
        events
            .iter()
            .position(|e| e["event"] == "step_finished" && e["step"] == step)
            .unwrap()
    };
    let ready = events
        .iter()
        .position(|e| e["event"] == "step_ready" && e["step"] == "restart-db")
        .unwrap();
    assert!(
        at("added-3") < ready,
        "restart-db waited for the added step"
    );

    let path = dir.path().join("drill.journal");
    let path = path.to_str().unwrap();
    let report = Test::at(dir.path())
        .args(["report", "--format", "md", path])
        .run();
    let md = &report.stdout;
    let changes = crate::evidence::section(md, "## Changes to the plan during the exercise");
    assert!(changes.contains("Restore vol7 from tape"), "{md}");
    assert!(changes.contains("vol7 is corrupted"), "{md}");
    Test::at(dir.path()).args(["verify", path]).run().success();
}

#[test]
fn a_cycle_is_refused_with_the_cycle_shown() {
    let dir = tempfile::tempdir().unwrap();
    let three =
        format!("{TWO}  - id: reopen\n    title: Reopen the service\n    needs: [restart-db]\n");
    let mut p = spawn(dir.path(), &three, &["--operator", "alice"]);
    // Wide enough for the refusal on one row (at 80 columns it is broken
    // between words, the live view drawn between its rows).
    p.get_process_mut().set_window_size(119, 24).unwrap();
    number(&mut p, styled(&[r"#(\d+)", "detach-array", "—"]));
    p.send_line("add Check replication; after reopen; before 2; reason lag seen")
        .unwrap();
    expect(
        &mut p,
        "the new step would wait for itself: new step → #2 restart-db → #3 reopen → new step",
        "the cycle, step by step",
    );
    p.send_line("abort enough").unwrap();
    let (code, _) = finish(p);
    assert_eq!(code, 3);
    assert!(
        !journal(dir.path())
            .iter()
            .any(|e| e["event"] == "step_added")
    );
}

#[test]
fn an_added_command_is_confirmed_then_runs_in_its_own_process_group_with_its_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = spawn(dir.path(), TWO, &["--operator", "alice"]);
    number(&mut p, styled(&[r"#(\d+)", "detach-array", "—"]));
    p.send_line(
        "add Show the process group; timeout 2s; reason check isolation; \
         run echo \"pid=$$ pgid=$(cut -d' ' -f5 /proc/$$/stat)\"; sleep 30",
    )
    .unwrap();
    let n = number(
        &mut p,
        styled(&[
            r"#(\d+)",
            "added-3",
            "—",
            "Show the process group",
            "waits for your go",
        ]),
    );
    assert_eq!(n, "3");
    expect(
        &mut p,
        styled(&["command:", "echo", r#"\"pid="#]),
        "the command shown back before it runs",
    );
    p.send_line("run 3 confirmed").unwrap();
    let found = p
        .expect(expectrl::Regex(r"pid=(\d+) pgid=(\d+)"))
        .expect("the command's output");
    let (pid, pgid) = (
        found.get(1).unwrap().to_vec(),
        found.get(2).unwrap().to_vec(),
    );
    assert_eq!(pid, pgid, "the command leads its own process group");
    // The 2s timeout ends it; its on_failure is `ask`.
    let n = number(&mut p, styled(&[r"#(\d+)", "added-3", "—", ".*failed"]));
    p.send_line(format!("skip {n} timeout confirmed")).unwrap();
    p.send_line("done 1").unwrap();
    number(&mut p, styled(&[r"#(\d+)", "restart-db", "—"]));
    p.send_line("done 2").unwrap();
    let (code, rest) = finish(p);
    assert_eq!(code, 0, "recovered\n{rest}");
    let events = journal(dir.path());
    let attempt = events
        .iter()
        .find(|e| e["event"] == "attempt_finished" && e["step"] == "added-3")
        .expect("the added command ran");
    assert_eq!(attempt["timed_out"], true, "{attempt}");
}

/// An RTO of 4h, and 1h30m of estimates.
const FORECAST: &str = r#"version: 1
name: forecast drill
objectives:
  rto: 4h
steps:
  - id: order-part
    title: Order the spare part
    estimate: 1h
  - id: install
    title: Install the part
    estimate: 30m
    needs: [order-part]
"#;

/// `reprise status`'s forecast line.
fn status_forecast(dir: &std::path::Path) -> String {
    let text = Test::at(dir).args(["status", "drill.journal"]).run().stdout;
    text.lines()
        .find(|l| l.starts_with("recovery forecast"))
        .unwrap_or_else(|| panic!("no forecast line in status:\n{text}"))
        .to_string()
}

#[test]
fn a_re_estimate_moves_the_forecast_in_the_live_view_and_in_status() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = spawn(dir.path(), FORECAST, &["--operator", "alice"]);
    let order = number(&mut p, styled(&[r"#(\d+)", "order-part", "—"]));
    // 1h30m of work left, inside the 4h RTO (give or take the seconds
    // the step has been open).
    let before = status_forecast(dir.path());
    let ahead = regex::Regex::new(
        r"^recovery forecast to end at \S+ \S+ \(in 1h(30m|29m\d+s)\), 2h(30m|29m\d+s) within the RTO$",
    )
    .unwrap();
    assert!(ahead.is_match(&before), "{before}");

    p.send_line(format!("estimate {order} 5h the vendor ships tomorrow"))
        .unwrap();
    expect(
        &mut p,
        styled(&["order-part", "re-estimated by alice:", "5h", r"\(was 1h\)"]),
        "the re-estimate recorded",
    );
    expect(
        &mut p,
        styled(&[
            "recovery forecast to end at",
            r"\d\d:\d\d:\d\d",
            r"\(in 5h(?:30m|29m\d+s)\),",
            r"1h30m(?:\d+s)? past the RTO",
        ]),
        "the live view says the recovery now ends past the RTO",
    );
    let after = status_forecast(dir.path());
    let late = regex::Regex::new(
        r"^recovery forecast to end at \S+ \S+ \(in 5h(30m|29m\d+s)\), 1h30m(\d+s)? past the RTO$",
    )
    .unwrap();
    assert!(late.is_match(&after), "{after}");

    p.send_line(format!("done {order}")).unwrap();
    let install = number(&mut p, styled(&[r"#(\d+)", "install", "—"]));
    p.send_line(format!("done {install}")).unwrap();
    let (code, rest) = finish(p);
    assert_eq!(code, 0, "recovered\n{rest}");
}
