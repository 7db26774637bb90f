use super::*;
use crate::event::Event;
use crate::event::{RunResult, Source, Stamped};
use crate::exec::Exit;
use crate::exec::Question;
use crate::runbook::StepId;
use crate::terminal::{at, test_runbook, test_started};

const PLAIN: Palette = Palette::PLAIN;

fn id(s: &str) -> StepId {
    StepId::new(s)
}

/// A whole drill: a retried command overrunning its estimate, two
/// manual steps closed in the opposite order, a note and a handover.
pub(crate) fn story() -> Vec<Stamped> {
    let finished =
        |step: &str, outcome, by: &str, source, reason: Option<&str>| Event::StepFinished {
            origin: Default::default(),
            step: id(step),
            outcome,
            exit_code: None,
            reason: reason.map(str::to_string),
            by: by.into(),
            source,
            attempts: 0,
            output_tail: vec![],
        };
    let attempt = |n, code| Event::AttemptFinished {
        step: id("restart-app"),
        attempt: n,
        ending: crate::event::Ending::exited(code),
    };
    vec![
        test_started("2026-11-29T08:00:00Z"),
        at(
            "08:00:00",
            Event::StepReady {
                step: id("call-vendor"),
            },
        ),
        at(
            "08:00:00",
            Event::StepReady {
                step: id("check-backups"),
            },
        ),
        at(
            "08:00:00",
            Event::StepReady {
                step: id("restart-app"),
            },
        ),
        at(
            "08:00:00",
            Event::StepStarted {
                step: id("restart-app"),
                attempt: 1,
                pid: Some(42),
            },
        ),
        at("08:01:30", attempt(1, 1)),
        at(
            "08:01:31",
            Event::Decision {
                origin: Default::default(),
                step: id("restart-app"),
                decision: Decision::Retry,
                reason: Some("port was still held".into()),
                by: "alice".into(),
                source: Source::Operator,
            },
        ),
        at(
            "08:01:31",
            Event::StepStarted {
                step: id("restart-app"),
                attempt: 2,
                pid: Some(43),
            },
        ),
        at("08:04:31", attempt(2, 0)),
        at(
            "08:04:31",
            Event::StepFinished {
                origin: Default::default(),
                step: id("restart-app"),
                outcome: Outcome::Done,
                exit_code: Some(0),
                reason: None,
                by: "reprise".into(),
                source: Source::Command,
                attempts: 2,
                output_tail: vec![],
            },
        ),
        at(
            "08:05:00",
            Event::Note {
                origin: Default::default(),
                text: "vendor ticket 4711".into(),
                by: "alice".into(),
                step: Some(id("call-vendor")),
            },
        ),
        at(
            "08:06:00",
            Event::Handover {
                account: None,
                origin: None,
                from: "alice".into(),
                to: "bob".into(),
                note: Some("night shift".into()),
            },
        ),
        at(
            "08:12:00",
            finished(
                "check-backups",
                Outcome::Done,
                "bob",
                Source::Operator,
                None,
            ),
        ),
        at(
            "08:15:00",
            finished(
                "call-vendor",
                Outcome::Skipped,
                "bob",
                Source::Operator,
                Some("vendor already on site"),
            ),
        ),
        at(
            "08:15:00",
            Event::RunFinished {
                result: RunResult::Recovered,
            },
        ),
    ]
}

fn fold(events: &[Stamped]) -> Timeline {
    Timeline::from_events(events)
}

#[test]
fn a_step_not_applicable_says_which_mode_it_is_for() {
    let show = Show {
        palette: PLAIN,
        live: false,
        operator: false,
    };
    let na = |reason: Option<&str>| {
        at(
            "08:00:00",
            Event::StepFinished {
                origin: Default::default(),
                step: id("call-vendor"),
                outcome: Outcome::NotApplicable,
                exit_code: None,
                reason: reason.map(str::to_string),
                by: "reprise".into(),
                source: Source::Engine,
                attempts: 0,
                output_tail: vec![],
            },
        )
    };
    let lines = |e: Stamped| {
        let events = [test_started("2026-11-29T08:00:00Z"), e];
        let tl = fold(&events);
        event_lines(&tl, &events[1], &TimeZone::UTC, show).join("\n")
    };
    assert_eq!(
        lines(na(Some("runs only in incident mode"))),
        "– 08:00:00 #1 call-vendor not applicable: runs only in incident mode"
    );
    assert_eq!(
        lines(na(None)),
        "– 08:00:00 #1 call-vendor not applicable in this mode"
    );
}

#[test]
fn every_event_of_a_drill_in_plain_lines() {
    let events = story();
    let mut tl = Timeline::new();
    let show = Show {
        palette: PLAIN,
        live: false,
        operator: false,
    };
    let mut out = Vec::new();
    for e in &events {
        tl.apply(e);
        out.extend(event_lines(&tl, e, &TimeZone::UTC, show));
    }
    let text = out.join("\n");
    assert!(!text.contains('\x1b'), "plain lines carry no escape codes");
    insta::assert_snapshot!(text, @r"
        ● 08:00:00 drill “Storage failover” started by alice (3 steps, RTO 1h)
        ☐ 08:00:00 #1 call-vendor — Call the storage vendor (storage) is open
        ☐ 08:00:00 #2 check-backups — Check last night's backups (dba) is open
        ▶ 08:00:00 #3 restart-app — Restart the application started
        ✘ 08:01:30 #3 restart-app attempt 1 failed, exit 1
        ↻ 08:01:31 #3 restart-app retry: port was still held by alice
        ▶ 08:01:31 #3 restart-app attempt 2 started
        ✔ 08:04:31 #3 restart-app done (4m31s / est 2m +2m31s over)
        ✎ 08:05:00 alice (about #1 call-vendor): vendor ticket 4711
        ⇄ 08:06:00 alice hands over to bob: night shift
        ✔ 08:12:00 #2 check-backups done (12m) by bob
        ↷ 08:15:00 #1 call-vendor skipped (15m / est 10m +5m over) by bob: vendor already on site
        ● 08:15:00 drill finished: recovered
        ");
}

#[test]
fn live_lines_leave_starts_to_the_bars_and_announcements_to_the_operator() {
    let events = story();
    let tl = fold(&events);
    let show = Show {
        palette: PLAIN,
        live: true,
        operator: true,
    };
    for e in &events[..5] {
        if !matches!(e.event, Event::RunStarted { .. }) {
            assert!(
                event_lines(&tl, e, &TimeZone::UTC, show).is_empty(),
                "{e:?}"
            );
        }
    }
}

#[test]
fn colour_only_when_asked() {
    let events = story();
    let tl = fold(&events);
    let show = Show {
        palette: Palette {
            color: true,
            ..Palette::PLAIN
        },
        live: false,
        operator: false,
    };
    let done = event_lines(&tl, &events[9], &TimeZone::UTC, show).join("");
    assert!(done.contains("\x1b["), "{done:?}");
    assert_eq!(
        console::strip_ansi_codes(&done),
        "✔ 08:04:31 #3 restart-app done (4m31s / est 2m +2m31s over)"
    );
}

#[test]
fn a_failed_step_shows_its_exit_code_and_last_output() {
    let tl = fold(&story()[..5]);
    let e = at(
        "08:03:00",
        Event::StepFinished {
            origin: Default::default(),
            step: id("restart-app"),
            outcome: Outcome::Failed,
            exit_code: Some(3),
            reason: None,
            by: "reprise".into(),
            source: Source::Command,
            attempts: 1,
            output_tail: vec!["unit app.service not found".into(), "giving up".into()],
        },
    );
    let mut tl = tl;
    tl.apply(&e);
    let show = Show {
        palette: PLAIN,
        live: true,
        operator: true,
    };
    insta::assert_snapshot!(event_lines(&tl, &e, &TimeZone::UTC, show).join("\n"), @r"
        ✘ 08:03:00 #3 restart-app failed, exit 3 (3m / est 2m +1m over)
            │ unit app.service not found
            │ giving up
        ");
}

#[test]
fn bar_lines_mid_drill() {
    let events = story();
    let tl = fold(&events[..8]);
    let now: Timestamp = "2026-11-29T08:02:10Z".parse().unwrap();
    let line = |i: usize, open, out| item_line(&tl.steps[i], i as u32 + 1, open, out, now, PLAIN);
    insta::assert_snapshot!(
        [
            line(0, true, None),
            line(1, false, None),
            line(2, false, Some("waiting for port 8080")),
        ]
        .map(|l| l.unwrap_or_default())
        .join("\n"),
        @r"
        #1 ☐ call-vendor  Call the storage vendor (storage)  2m10s / est 10m
        #2 ☐ check-backups  Check last night's backups (dba)  2m10s
        #3 ▶ restart-app  Restart the application (attempt 2)  2m10s / est 2m +10s over  │ waiting for port 8080
        "
    );
    insta::assert_snapshot!(overall_line(&tl, 2, now, PLAIN), @"drill 0/3 steps ended · 1 running · 2 waiting for you · 2m10s / RTO 1h");
    let late: Timestamp = "2026-11-29T09:20:00Z".parse().unwrap();
    insta::assert_snapshot!(overall_line(&tl, 2, late, PLAIN), @"drill 0/3 steps ended · 1 running · 2 waiting for you · 1h20m / RTO 1h +20m over");
    // Nothing to show for an ended step without a question.
    let end = fold(&events);
    assert_eq!(item_line(&end.steps[2], 3, false, None, now, PLAIN), None);
}

#[test]
fn bar_lines_of_steps_waiting_for_an_answer() {
    let events = story();
    // restart-app's first attempt just failed.
    let tl = fold(&events[..6]);
    let now: Timestamp = "2026-11-29T08:01:40Z".parse().unwrap();
    insta::assert_snapshot!(
        item_line(&tl.steps[2], 3, true, None, now, PLAIN).unwrap(),
        @"#3 ✘ restart-app  Restart the application  attempt 1 failed, exit 1, answer #3 (`list`)  1m40s / est 2m"
    );
    assert!(
        item_line(&tl.steps[2], 3, false, None, now, PLAIN)
            .unwrap()
            .contains("retrying")
    );
    // A step that ended shows only while its rollback is asked.
    let end = fold(&events);
    insta::assert_snapshot!(
        item_line(&end.steps[2], 3, true, None, now, PLAIN).unwrap(),
        @"#3 ↩ restart-app  Restart the application  rollback waiting for run 3 or skip 3"
    );
    // A resumed drill asks about a step its journal says was running.
    let interrupted = fold(&events[..5]);
    insta::assert_snapshot!(
        item_line(&interrupted.steps[2], 3, true, None, now, PLAIN).unwrap(),
        @"#3 ? restart-app  Restart the application  was running when the drill stopped: answer #3 (`list`)"
    );
    // A command ready but not started shows only when it waits for a
    // confirmation.
    let ready = fold(&events[..4]);
    assert_eq!(item_line(&ready.steps[2], 3, false, None, now, PLAIN), None);
    insta::assert_snapshot!(
        item_line(&ready.steps[2], 3, true, None, now, PLAIN).unwrap(),
        @"#3 ? restart-app  Restart the application  waiting for run 3"
    );
}

#[test]
fn questions_tell_what_to_do_and_what_to_type() {
    let info = StepInfo::all(&test_runbook());
    let now: Timestamp = "2026-11-29T08:00:00Z".parse().unwrap();
    let manual = question_lines(
        &Question::Manual {
            step: crate::runbook::StepIndex(0),
        },
        1,
        &info[0],
        now,
        &TimeZone::UTC,
        PLAIN,
    );
    insta::assert_snapshot!(manual.join("\n"), @r"
        ☐ 08:00:00 #1 call-vendor — Call the storage vendor  [role: storage · est 10m]
            Vendor
            Open a P1 ticket at the portal (https://example.com).
            • ask for a field engineer
            ticket --p1
            → `done 1` (or `done call-vendor`), `fail 1`, `skip 1`
        ");
    let failed = question_lines(
        &Question::Failed {
            step: crate::runbook::StepIndex(2),
            exit: Exit {
                ending: crate::event::Ending::exited(2),
                output_tail: vec!["disk full".into()],
                ..Exit::default()
            },
            hosts: vec![],
        },
        4,
        &info[2],
        now,
        &TimeZone::UTC,
        PLAIN,
    );
    insta::assert_snapshot!(failed.join("\n"), @r"
        ✘ 08:00:00 #4 restart-app — Restart the application failed, exit 2
            │ disk full
            → `retry 4` (or `retry restart-app`), `mark-done 4`, `skip 4`, `continue 4`, `abort 4`, `rollback 4`
        ");
    let rollback = question_lines(
        &Question::Rollback {
            step: crate::runbook::StepIndex(2),
        },
        5,
        &info[2],
        now,
        &TimeZone::UTC,
        PLAIN,
    );
    insta::assert_snapshot!(rollback.join("\n"), @r"
        ↩ 08:00:00 #5 roll back restart-app — Restart the application
            command: systemctl stop app
            → `run 5` (or `run restart-app`), `skip 5`
        ");
}

/// A confirmation shows its role, hosts and instructions before its
/// command: the "only after …" warnings of a production step are there.
#[test]
fn a_confirmation_shows_its_instructions_before_its_command() {
    let mut rb = test_runbook();
    let c = &mut rb.steps[2];
    c.confirm = true;
    c.role = Some("ops".into());
    c.instructions = Some("**Production!** only after the DBA's go.".into());
    c.run = Some(crate::runbook::Located::new(
        crate::runbook::Command::Shell("set -eu\nsystemctl restart app\n".into()),
        crate::runbook::Span::default(),
    ));
    c.hosts = vec![crate::runbook::Located::new(
        "db1".to_string(),
        crate::runbook::Span::default(),
    )];
    let info = StepInfo::all(&rb);
    let now: Timestamp = "2026-11-29T08:00:00Z".parse().unwrap();
    let confirm = question_lines(
        &Question::Confirm {
            step: crate::runbook::StepIndex(2),
        },
        3,
        &info[2],
        now,
        &TimeZone::UTC,
        PLAIN,
    );
    insta::assert_snapshot!(confirm.join("\n"), @r"
        ? 08:00:00 #3 restart-app — Restart the application waits for your go  [role: ops · est 2m]
            on: db1
            Production! only after the DBA's go.
            command: set -eu
                     systemctl restart app
            → `run 3` (or `run restart-app`), `skip 3`
        ");
}

#[test]
fn estimates_and_overruns() {
    let s = StdDuration::from_secs;
    assert_eq!(
        against(s(133), Some(Duration(300)), PLAIN),
        "2m13s / est 5m"
    );
    assert_eq!(against(s(300), Some(Duration(300)), PLAIN), "5m / est 5m");
    assert_eq!(
        against(s(433), Some(Duration(300)), PLAIN),
        "7m13s / est 5m +2m13s over"
    );
    assert_eq!(against(s(59), None, PLAIN), "59s");
    let red = against(
        s(433),
        Some(Duration(300)),
        Palette {
            color: true,
            ..Palette::PLAIN
        },
    );
    assert!(red.contains("\x1b["), "an overrun stands out: {red:?}");
}
