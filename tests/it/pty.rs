//! `reprise run` driven through a real pseudo-terminal: the live view, the
//! line prompt, Ctrl-C, and what ends up in the journal.

use std::path::Path;
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession as Session;
use expectrl::{Eof, Expect, Regex};
use serde_json::Value;

use crate::harness::Test;

/// Two manual steps open at once, next to a command.
const DRILL: &str = r#"version: 1
name: pty drill
steps:
  - id: call-vendor
    title: Call the storage vendor
    role: storage
    estimate: 10m
    instructions: |
      Open a **P1** ticket.
  - id: check-backups
    title: Check last night's backups
    role: dba
  - id: warm-up
    title: Warm up the caches
    run: "echo warming; sleep 1; echo warm"
    timeout: 1m
"#;

/// A command that outlives the test unless it is stopped.
const LONG: &str = r#"version: 1
name: pty abort
steps:
  - id: wait-for-sync
    title: Wait for the replica
    run: "echo syncing; sleep 60"
    timeout: 5m
  - id: call-vendor
    title: Call the storage vendor
"#;

/// A regex for `parts` in order, with anything the live view puts between
/// words (colour codes, spaces) allowed between them.
pub(crate) fn styled(parts: &[&str]) -> Regex<String> {
    Regex(parts.join(r"(?:\x1b\[[0-9;]*m|[ \t])*"))
}

pub(crate) fn spawn(dir: &Path, runbook: &str, args: &[&str]) -> Session {
    spawn_with(dir, runbook, args, None)
}

/// Spawns `reprise run` in a pseudo-terminal, live unless `no_color`.
fn spawn_with(dir: &Path, runbook: &str, args: &[&str], no_color: Option<&str>) -> Session {
    std::fs::write(dir.join("drill.yaml"), runbook).unwrap();
    let test = Test::at(dir)
        .args(["run", "drill.yaml", "--journal", "drill.journal"])
        .args(args)
        .env("REPRISE_KILL_GRACE_MS", "200");
    match no_color {
        Some(v) => test.env("NO_COLOR", v),
        None => test.env_remove("NO_COLOR"),
    }
    .pty()
}

/// The item number captured by the first group of `pattern`.
pub(crate) fn number(session: &mut Session, pattern: Regex<String>) -> String {
    let found = session
        .expect(pattern)
        .unwrap_or_else(|e| panic!("expected an open item: {e}"));
    String::from_utf8_lossy(found.get(1).expect("a number")).into_owned()
}

/// Waits for the live line of a running command to show its first output:
/// its process is running (the line itself appears before the spawn).
fn running(session: &mut Session, output: &str) {
    expect(
        session,
        styled(&["│", output]),
        "a running command's output",
    );
}

pub(crate) fn expect(session: &mut Session, needle: impl expectrl::Needle, what: &str) {
    if let Err(e) = session.expect(needle) {
        panic!("expected {what}: {e}");
    }
}

/// Waits for the end and returns the exit code and the rest of the output.
pub(crate) fn finish(mut session: Session) -> (i32, String) {
    let rest = match session.expect(Eof) {
        Ok(c) => {
            // `Eof` matches everything left.
            let mut bytes = c.before().to_vec();
            c.matches().for_each(|m| bytes.extend_from_slice(m));
            String::from_utf8_lossy(&bytes).into_owned()
        }
        // Still running: `wait_exit` kills it and fails the test.
        Err(e) => format!("<{e}>"),
    };
    let code = match crate::harness::wait_exit(&mut session, Duration::from_secs(60)) {
        WaitStatus::Exited(_, code) => code,
        other => panic!("reprise did not exit normally: {other:?}\n{rest}"),
    };
    (code, rest)
}

pub(crate) fn journal(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("drill.journal"))
        .expect("journal")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

pub(crate) fn finished<'a>(events: &'a [Value], step: &str) -> &'a Value {
    events
        .iter()
        .find(|e| e["event"] == "step_finished" && e["step"] == step)
        .unwrap_or_else(|| panic!("no step_finished for {step} in {events:#?}"))
}

/// The outcome recorded for `step`.
fn outcome<'a>(events: &'a [Value], step: &str) -> &'a Value {
    &finished(events, step)["outcome"]
}

#[test]
fn two_open_steps_closed_in_the_opposite_order_with_a_note_and_a_handover() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = spawn(dir.path(), DRILL, &["--operator", "alice"]);

    // Both manual steps are announced and open at once, each with a number.
    let vendor = number(&mut p, styled(&[r"#(\d+)", "call-vendor", "—"]));
    expect(
        &mut p,
        "Open a P1 ticket.",
        "the instructions as plain text",
    );
    let backups = number(&mut p, styled(&[r"#(\d+)", "check-backups", "—"]));
    assert_ne!(vendor, backups);
    // The overall line counts them; each has its own line with its time
    // against its estimate.
    expect(&mut p, "2 waiting for you", "the overall line");
    expect(
        &mut p,
        styled(&[
            "storage",
            "call-vendor",
            "to do",
            "→",
            r"done \d+",
            r"\d+s / est 10m",
        ]),
        "the open step's line",
    );
    // The command runs meanwhile.
    expect(
        &mut p,
        styled(&["warm-up", "done"]),
        "the command to finish",
    );

    // Closed in the opposite order.
    p.send_line(format!("done {backups}")).unwrap();
    expect(
        &mut p,
        styled(&["check-backups", "done"]),
        "check-backups done",
    );
    p.send_line("note vendor ticket 4711").unwrap();
    expect(&mut p, "alice: vendor ticket 4711", "the note");
    p.send_line("handover bob night shift").unwrap();
    expect(
        &mut p,
        styled(&["alice hands over to", "bob"]),
        "the handover",
    );
    // A skip without a reason asks for one.
    p.send_line(format!("skip {vendor}")).unwrap();
    expect(
        &mut p,
        format!("why skip #{vendor}?").as_str(),
        "a reason question",
    );
    p.send_line("vendor already on site").unwrap();
    expect(
        &mut p,
        styled(&["call-vendor", "skipped"]),
        "call-vendor skipped",
    );

    let (code, rest) = finish(p);
    assert_eq!(code, 0, "recovered\n{rest}");
    assert!(
        rest.contains("journal:"),
        "the summary names the journal\n{rest}"
    );
    assert!(
        rest.contains("\x1b[?25h"),
        "the cursor is shown again\n{rest:?}"
    );

    let events = journal(dir.path());
    let backups = finished(&events, "check-backups");
    assert_eq!(backups["outcome"], "done");
    assert_eq!(backups["by"], "alice");
    assert_eq!(backups["source"], "operator");
    let vendor = finished(&events, "call-vendor");
    assert_eq!(vendor["outcome"], "skipped");
    assert_eq!(vendor["by"], "bob");
    assert_eq!(vendor["reason"], "vendor already on site");
    assert_eq!(outcome(&events, "warm-up"), "done", "{events:#?}");
    // check-backups was recorded before call-vendor.
    let at = |step: &str| {
        events
            .iter()
            .position(|e| e["event"] == "step_finished" && e["step"] == step)
    };
    assert!(at("check-backups") < at("call-vendor"));
    assert!(
        events.iter().any(|e| e["event"] == "note"
            && e["text"] == "vendor ticket 4711"
            && e["by"] == "alice")
    );
    assert!(events.iter().any(|e| e["event"] == "handover"
        && e["from"] == "alice"
        && e["to"] == "bob"
        && e["note"] == "night shift"));
}

#[test]
fn ctrl_c_asks_whether_to_abort_and_records_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = spawn(dir.path(), LONG, &["--operator", "alice"]);
    number(&mut p, styled(&[r"#(\d+)", "call-vendor", "—"]));
    running(&mut p, "syncing");

    p.send("\x03").unwrap();
    expect(&mut p, "abort the drill?", "the abort question");
    p.send_line("wrong site").unwrap();

    let (code, rest) = finish(p);
    assert_eq!(code, 3, "aborted\n{rest}");
    assert!(
        rest.contains("\x1b[?25h"),
        "the cursor is shown again\n{rest:?}"
    );
    let events = journal(dir.path());
    assert!(
        events.iter().any(|e| e["event"] == "abort_requested"
            && e["by"] == "alice"
            && e["reason"] == "wrong site"),
        "{events:#?}"
    );
    assert_eq!(outcome(&events, "wait-for-sync"), "aborted", "{events:#?}");
    assert_eq!(outcome(&events, "call-vendor"), "aborted", "{events:#?}");
}

#[test]
fn enter_at_the_abort_question_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = spawn(dir.path(), LONG, &["--operator", "alice"]);
    let vendor = number(&mut p, styled(&[r"#(\d+)", "call-vendor", "—"]));
    running(&mut p, "syncing");

    p.send("\x03").unwrap();
    expect(&mut p, "abort the drill?", "the abort question");
    p.send_line("").unwrap();
    expect(&mut p, "going on", "going on");
    // The drill goes on: the open step can still be recorded.
    p.send_line(format!("done {vendor}")).unwrap();
    let shown = p
        .expect(styled(&["call-vendor", "done"]))
        .unwrap_or_else(|e| panic!("expected call-vendor done: {e}"));
    // Regression: `going on` was drawn above the question it answered, so
    // a test waiting for the question again could see it before a second
    // Ctrl-C was even handled.
    let between = String::from_utf8_lossy(shown.before());
    assert!(
        !between.contains("abort the drill?"),
        "the answered question still shown after `going on`: {between:?}"
    );
    p.send_line("abort").unwrap();
    expect(&mut p, "why abort the drill?", "a reason question");
    p.send_line("replica is fine").unwrap();

    let (code, rest) = finish(p);
    assert_eq!(code, 3, "aborted\n{rest}");
    let events = journal(dir.path());
    assert_eq!(outcome(&events, "call-vendor"), "done", "{events:#?}");
    assert_eq!(outcome(&events, "wait-for-sync"), "aborted", "{events:#?}");
    assert!(
        events.iter().any(|e| e["event"] == "abort_requested"
            && e["by"] == "alice"
            && e["reason"] == "replica is fine"),
        "{events:#?}"
    );
}

#[test]
fn a_ctrl_c_after_going_on_asks_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = spawn(dir.path(), LONG, &["--operator", "alice"]);
    number(&mut p, styled(&[r"#(\d+)", "call-vendor", "—"]));
    running(&mut p, "syncing");

    p.send("\x03").unwrap();
    expect(&mut p, "abort the drill?", "the abort question");
    p.send_line("").unwrap();
    expect(&mut p, "going on", "going on");
    // The question was answered: this is a new first Ctrl-C, not a second.
    p.send("\x03").unwrap();
    // The line printed when the question opens, not the prompt (which a
    // redraw may show again): the second Ctrl-C has been handled.
    expect(&mut p, "⚠ Ctrl-C", "the abort question again");
    p.send_line("second thoughts").unwrap();

    let (code, rest) = finish(p);
    assert_eq!(code, 3, "aborted\n{rest}");
    let events = journal(dir.path());
    let aborts: Vec<_> = events
        .iter()
        .filter(|e| e["event"] == "abort_requested")
        .collect();
    assert_eq!(aborts.len(), 1, "{events:#?}");
    assert_eq!(
        aborts[0]["by"], "alice",
        "not forced by the signal: {events:#?}"
    );
    assert_eq!(aborts[0]["reason"], "second thoughts", "{events:#?}");
}

#[test]
fn a_second_ctrl_c_forces_the_abort() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = spawn(dir.path(), LONG, &["--operator", "alice"]);
    number(&mut p, styled(&[r"#(\d+)", "call-vendor", "—"]));
    running(&mut p, "syncing");

    p.send("\x03").unwrap();
    expect(&mut p, "abort the drill?", "the abort question");
    p.send("\x03").unwrap();

    let (code, rest) = finish(p);
    assert_eq!(code, 3, "aborted\n{rest}");
    let events = journal(dir.path());
    assert!(
        events.iter().any(|e| e["event"] == "abort_requested"),
        "{events:#?}"
    );
    assert_eq!(outcome(&events, "wait-for-sync"), "aborted", "{events:#?}");
}

#[test]
fn no_color_at_a_terminal_gives_plain_lines_and_the_same_prompt() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = spawn_with(dir.path(), DRILL, &["--operator", "alice"], Some("1"));
    let vendor = number(&mut p, Regex(r"#(\d+) call-vendor — ".to_string()));
    let backups = number(&mut p, Regex(r"#(\d+) check-backups — ".to_string()));
    p.send_line(format!("done {backups}")).unwrap();
    expect(&mut p, "check-backups done", "check-backups done");
    p.send_line(format!("fail {vendor}")).unwrap();
    expect(
        &mut p,
        format!("why did #{vendor} fail?").as_str(),
        "a reason question",
    );
    p.send_line("no answer from the vendor").unwrap();
    // A failure goes by the step's `on_failure` (`ask` by default): a new
    // item asks what to do next.
    let failed = number(
        &mut p,
        Regex(r"#(\d+) call-vendor — Call the storage vendor failed".to_string()),
    );
    // The choices' line is broken between words at 80 columns.
    expect(
        &mut p,
        Regex(format!(r"`continue\s+{failed}`")),
        "the choices",
    );
    p.send_line(format!("continue {failed} vendor calls back tomorrow"))
        .unwrap();
    expect(&mut p, "call-vendor failed", "call-vendor failed");

    let (code, rest) = finish(p);
    assert_eq!(code, 1, "degraded\n{rest}");
    assert!(rest.contains("result: drill degraded"), "{rest}");
    assert!(!rest.contains('\x1b'), "no escape codes: {rest:?}");
    let events = journal(dir.path());
    assert_eq!(outcome(&events, "call-vendor"), "failed", "{events:#?}");
    assert!(
        events.iter().any(|e| e["event"] == "decision"
            && e["step"] == "call-vendor"
            && e["decision"] == "continue"
            && e["by"] == "alice"),
        "{events:#?}"
    );
}

/// A command that always fails, listed before a manual step: asked about
/// second, it is still #1.
const FLAKY: &str = r#"version: 1
name: pty numbers
steps:
  - id: flaky
    title: Restart the flaky service
    run: "echo trying; exit 3"
    timeout: 1m
  - id: call-vendor
    title: Call the storage vendor
"#;

/// Regression (issue 16): an item's number changed when its step failed,
/// again after a retry, and restarted at #1 after a resume. It is the
/// step's position in the runbook, whatever happens.
#[test]
fn item_numbers_stay_the_same_across_a_failure_a_retry_and_a_resume() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = spawn(dir.path(), FLAKY, &["--operator", "alice"]);
    let failed = |p: &mut Session| {
        number(
            p,
            styled(&[
                r"#(\d+)",
                "flaky",
                "—",
                "Restart the flaky service",
                "failed",
            ]),
        )
    };
    assert_eq!(
        number(&mut p, styled(&[r"#(\d+)", "call-vendor", "—"])),
        "2"
    );
    assert_eq!(failed(&mut p), "1", "a failure keeps the step's number");
    // The answer is suggested with the number and the id.
    expect(
        &mut p,
        "`retry 1` (or `retry flaky`)",
        "both ways to answer",
    );
    p.send_line("retry 1 port was held").unwrap();
    expect(&mut p, styled(&["flaky", "retry"]), "the retry recorded");
    assert_eq!(failed(&mut p), "1", "a retry keeps the step's number");

    // reprise dies with both questions open.
    p.get_process_mut()
        .kill(expectrl::process::unix::Signal::SIGKILL)
        .unwrap();
    let _ = crate::harness::wait_exit(&mut p, Duration::from_secs(30));

    let mut p = Test::at(dir.path())
        .args(["resume", "drill.journal", "--operator", "bob"])
        .env_remove("NO_COLOR")
        .pty();
    assert_eq!(
        number(&mut p, styled(&[r"#(\d+)", "flaky", "—"])),
        "1",
        "after a resume, the same number"
    );
    assert_eq!(
        number(&mut p, styled(&[r"#(\d+)", "call-vendor", "—"])),
        "2",
        "after a resume, the same number"
    );
    p.send_line("done call-vendor").unwrap();
    expect(
        &mut p,
        styled(&["#2", "call-vendor", "done"]),
        "done by id, shown with the number",
    );
    p.send_line("mark-done 1 restarted by hand").unwrap();
    let (code, rest) = finish(p);
    assert_eq!(code, 0, "recovered\n{rest}");
}

/// Issue 15: the reason a manual step failed and the reason to go on are
/// both kept, on their own events, and both reach the report.
#[test]
fn a_failed_manual_step_keeps_its_reason_after_continue() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = spawn_with(dir.path(), DRILL, &["--operator", "alice"], Some("1"));
    let vendor = number(&mut p, Regex(r"#(\d+) call-vendor — ".to_string()));
    let backups = number(&mut p, Regex(r"#(\d+) check-backups — ".to_string()));
    p.send_line(format!("done {backups}")).unwrap();
    expect(&mut p, "check-backups done", "check-backups done");
    p.send_line(format!(
        "fail {vendor} the result does not reach the patient record"
    ))
    .unwrap();
    let failed = number(
        &mut p,
        Regex(r"#(\d+) call-vendor — Call the storage vendor failed".to_string()),
    );
    p.send_line(format!("continue {failed} accepted, ticket opened"))
        .unwrap();
    expect(&mut p, "call-vendor failed", "call-vendor failed");
    let (code, rest) = finish(p);
    assert_eq!(code, 1, "degraded\n{rest}");

    let events = journal(dir.path());
    let reasons: Vec<(&str, &str)> = events
        .iter()
        .filter(|e| e["event"] == "decision" && e["step"] == "call-vendor")
        .map(|e| {
            (
                e["decision"].as_str().unwrap(),
                e["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            (
                "mark_failed",
                "the result does not reach the patient record"
            ),
            ("continue", "accepted, ticket opened")
        ],
        "{events:#?}"
    );
    let report = Test::at(dir.path())
        .env("TZ", "UTC")
        .args(["report", "drill.journal"])
        .run()
        .success();
    let md = &report.stdout;
    for heading in ["## Steps", "## Deviations"] {
        let part = crate::evidence::section(md, heading);
        for reason in [
            "the result does not reach the patient record",
            "accepted, ticket opened",
        ] {
            assert!(part.contains(reason), "{reason} not under {heading}\n{md}");
        }
    }
}

/// A drill whose plan changes while it runs.
const CHANGED: &str = r#"version: 1
name: pty plan changes
steps:
  - id: order-part
    title: Order the spare part
    estimate: 10m
  - id: extra-check
    title: Check the old array
  - id: install
    title: Install the part
    needs: [order-part, extra-check]
"#;

#[test]
fn re_estimate_and_cancel_at_the_prompt_and_the_report_lists_the_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = spawn(dir.path(), CHANGED, &["--operator", "alice"]);
    let order = number(&mut p, styled(&[r"#(\d+)", "order-part", "—"]));
    expect(
        &mut p,
        styled(&["order-part", "to do", r"\d+s / est 10m"]),
        "the original estimate",
    );
    p.send_line("estimate order-part 2h").unwrap();
    expect(
        &mut p,
        "needs a reason",
        "a change without a reason refused",
    );
    p.send_line("estimate order-part 2h the vendor ships tomorrow")
        .unwrap();
    expect(
        &mut p,
        styled(&["order-part", "re-estimated by alice:", "2h", r"\(was 10m\)"]),
        "the re-estimate recorded",
    );
    expect(
        &mut p,
        styled(&["order-part", "to do", "→", r"done \d+", r"\d+s / est 2h"]),
        "the live line with the new estimate",
    );
    p.send_line("cancel extra-check the old array is scrapped")
        .unwrap();
    expect(
        &mut p,
        styled(&["extra-check", "cancelled by alice"]),
        "the cancellation",
    );
    p.send_line(format!("done {order}")).unwrap();
    let install = number(&mut p, styled(&[r"#(\d+)", "install", "—"]));
    p.send_line(format!("done {install}")).unwrap();
    let (code, rest) = finish(p);
    assert_eq!(code, 0, "recovered\n{rest}");

    let events = journal(dir.path());
    let revised = events
        .iter()
        .find(|e| e["event"] == "estimate_revised")
        .expect("estimate_revised");
    assert_eq!(revised["estimate"], "2h");
    assert_eq!(revised["previous"], "10m");
    assert_eq!(revised["by"], "alice");
    let extra = finished(&events, "extra-check");
    assert_eq!(extra["outcome"], "skipped");
    assert_eq!(extra["source"], "operator");
    assert_eq!(extra["reason"], "the old array is scrapped");

    let report = Test::at(dir.path())
        .args(["report", "--format", "md", "drill.journal"])
        .run()
        .success();
    let text = &report.stdout;
    assert!(
        text.contains("## Changes to the plan during the exercise"),
        "{text}"
    );
    assert!(text.contains("2h (was 10m)"), "{text}");
    assert!(text.contains("the old array is scrapped"), "{text}");
    Test::at(dir.path())
        .args(["verify", "drill.journal"])
        .run()
        .success();
}
