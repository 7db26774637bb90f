use super::*;
use crate::event::{Event, PlannedPhase, PlannedStep, Stamped};
use crate::runbook::{Duration, Mode, PhaseId, StepId};

const PLAIN: Palette = Palette::PLAIN;

fn at(minute: i64, event: Event) -> Stamped {
    let base: Timestamp = "2026-11-29T08:00:00Z".parse().unwrap();
    Stamped {
        time: base + jiff::SignedDuration::from_secs(minute * 60),
        event,
    }
}

/// The hospital's night: 20 steps, 11 roles, 12 manual steps open,
/// 6 commands running (two of them overrunning), one failed attempt
/// waiting for a decision, one command waiting for a job slot.
struct Crisis {
    timeline: Timeline,
    steps: BTreeSet<usize>,
    open: BTreeSet<usize>,
    last_output: Vec<Option<String>>,
}

fn crisis() -> Crisis {
    crisis_named(|i| format!("step-{:02}", i + 1), None)
}

/// [`crisis`] with step ids from `name` and, when given, one role for
/// every step.
fn crisis_named(name: fn(usize) -> String, one_role: Option<&str>) -> Crisis {
    const ROLES: [&str; 11] = [
        "lab",
        "dba",
        "network",
        "storage",
        "vendor",
        "nursing",
        "it-ops",
        "security",
        "comms",
        "facilities",
        "management",
    ];
    let planned: Vec<PlannedStep> = (0..20)
        .map(|i| PlannedStep {
            role: Some(one_role.unwrap_or(ROLES[i % ROLES.len()]).to_string()),
            estimate: Some(Duration::from_secs(600 + 60 * i as u64)),
            ..PlannedStep::new(
                StepId::new(name(i)),
                format!("Title of step {}", i + 1),
                PhaseId::new("main"),
                if i < 12 {
                    StepKind::Manual
                } else {
                    StepKind::Command
                },
            )
        })
        .collect();
    let id = |i: usize| StepId::new(name(i));
    let mut events = vec![at(
        0,
        Event::RunStarted {
            runbook: "lab.yaml".into(),
            runbook_sha256: "00".into(),
            name: "Lab system recovery".into(),
            mode: Mode::Drill,
            dry_run: false,
            operator: "alice".into(),
            host: "ops1".into(),
            reprise_version: "0.1.0".into(),
            rto: Some(Duration::from_secs(4 * 3600)),
            rpo: None,
            services: Vec::new(),
            phases: vec![PlannedPhase {
                id: PhaseId::new("main"),
                title: "main".into(),
            }],
            steps: planned,
            exercise: None,
            origin: Default::default(),
        },
    )];
    // Manual steps opened a minute apart: step 1 has waited longest.
    for i in 0..12 {
        events.push(at(i as i64, Event::StepReady { step: id(i) }));
    }
    // Commands 13..18 started at minute 2..7; 19 failed; 20 queued.
    for i in 12..20 {
        events.push(at(i as i64 - 10, Event::StepReady { step: id(i) }));
    }
    for i in 12..19 {
        events.push(at(
            i as i64 - 10,
            Event::StepStarted {
                step: id(i),
                attempt: 1,
                pid: Some(100 + i as u32),
            },
        ));
    }
    events.push(at(
        20,
        Event::AttemptFinished {
            step: id(18),
            attempt: 1,
            ending: crate::event::Ending::exited(4),
        },
    ));
    let timeline = Timeline::from_events(&events);
    let mut open: BTreeSet<usize> = (0..12).collect();
    open.insert(18);
    let mut last_output = vec![None; 20];
    last_output[12] = Some("restoring: 64% of lab_results".into());
    Crisis {
        timeline,
        steps: (0..20).collect(),
        open,
        last_output,
    }
}

fn draw(c: &Crisis, size: Size, minute: i64) -> String {
    let live = Live {
        timeline: &c.timeline,
        steps: &c.steps,
        open: &c.open,
        last_output: &c.last_output,
        prompt: Some(("reprise> ", "done 3")),
    };
    let base: Timestamp = "2026-11-29T08:00:00Z".parse().unwrap();
    let now = base + jiff::SignedDuration::from_secs(minute * 60);
    let f = frame(&live, now, size, PLAIN);
    for line in f.lines() {
        assert!(
            console::measure_text_width(line) < usize::from(size.cols),
            "wider than {size:?}: {line:?}"
        );
    }
    assert!(
        f.lines().len() <= usize::from(size.rows) / 2 || f.lines().len() <= 2,
        "taller than half of {size:?}"
    );
    f.lines().join("\n")
}

#[test]
fn a_crisis_at_80x24() {
    insta::assert_snapshot!(
        "frame-80x24",
        draw(&crisis(), Size { rows: 24, cols: 80 }, 25)
    );
}

#[test]
fn a_crisis_at_80x15() {
    insta::assert_snapshot!(
        "frame-80x15",
        draw(&crisis(), Size { rows: 15, cols: 80 }, 25)
    );
}

#[test]
fn a_crisis_at_150x50() {
    insta::assert_snapshot!(
        "frame-150x50",
        draw(
            &crisis(),
            Size {
                rows: 50,
                cols: 150
            },
            25
        )
    );
}

#[test]
fn long_ids_and_roles_keep_each_items_time_and_what_to_type_at_80_columns() {
    // The hospital runbook's ids and roles, not `step-01` and `lab`.
    let c = crisis_named(
        |i| format!("verifier-dpi-prescription-{:02}", i + 1),
        Some("DSI – équipe virtualisation"),
    );
    let shown = draw(&c, Size { rows: 24, cols: 80 }, 25);
    let items: Vec<&str> = shown.lines().filter(|l| l.contains("verifier")).collect();
    assert!(items.len() >= 8, "{shown}");
    for row in &items {
        assert!(console::measure_text_width(row) <= 79, "{row}");
        assert!(row.contains("/ est "), "the time is cut: {row}\n{shown}");
        assert!(row.contains("DSI"), "the role is lost: {row}");
    }
    assert!(
        items.iter().any(|r| r.contains("failed → answer 19")),
        "{shown}"
    );
    assert!(items.iter().any(|r| r.contains("→ done 1 ")), "{shown}");
}

#[test]
fn a_tiny_terminal_keeps_the_prompt_and_the_overall_line() {
    let text = draw(&crisis(), Size { rows: 4, cols: 40 }, 25);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("drill 0/20"), "{text}");
    assert!(lines[1].starts_with("reprise> done 3"), "{text}");
}

#[test]
fn the_most_urgent_come_first_and_the_rest_is_counted() {
    let text = draw(&crisis(), Size { rows: 15, cols: 80 }, 25);
    let first = text.lines().next().unwrap();
    assert!(first.contains("#19") && first.contains("failed"), "{text}");
    assert!(text.contains("more: "), "{text}");
    assert!(text.contains("(`list`)"), "{text}");
}

#[test]
fn a_team_sees_its_own_items_and_the_others_counted() {
    let c = crisis();
    let live = Live {
        timeline: &c.timeline,
        steps: &c.steps,
        open: &c.open,
        last_output: &c.last_output,
        prompt: Some(("reprise> ", "")),
    };
    let base: Timestamp = "2026-11-29T08:00:00Z".parse().unwrap();
    let now = base + jiff::SignedDuration::from_secs(25 * 60);
    let roles: BTreeSet<String> = ["lab".to_string(), "dba".to_string()].into();
    let size = Size { rows: 24, cols: 80 };
    let f = frame_for(&live, &roles, now, size, PLAIN);
    let text = f.lines().join("\n");
    // lab: steps 1 and 12; dba: steps 2 and 13 (roles repeat every 11).
    let rows: Vec<&String> = f.items.iter().filter(|l| l.contains('#')).collect();
    assert_eq!(rows.len(), 4, "{text}");
    for r in &rows {
        assert!(r.contains("lab") || r.contains("dba"), "{text}");
    }
    let last = f.items.last().unwrap();
    assert!(last.contains("+16 for other roles"), "{text}");
    assert!(f.lines().len() <= 12, "{text}");
    // Without roles, the same drill shows every role.
    let all = frame(&live, now, size, PLAIN).items.join("\n");
    assert!(
        all.contains("network") && !all.contains("other roles"),
        "{all}"
    );
}

#[test]
fn a_long_typed_line_keeps_its_end() {
    let line = prompt_line("reprise> ", &"x".repeat(100), 39, PLAIN);
    assert!(line.starts_with('…'), "{line}");
    assert!(console::measure_text_width(&line) <= 39, "{line}");
}
