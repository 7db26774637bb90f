//! What the Markdown and HTML reports say, once for both.
//!
//! The two renderers used to each spell out the summary facts, the
//! operators' rows, the step details, the deviations, the observations and
//! the lessons, and could drift apart. Here the words and the values are
//! chosen once, as a few [`Inline`] pieces that say what a piece *is* (text
//! from the journal, an identifier, an emphasis, an outcome); each renderer
//! only decides how that is marked up.

use super::{
    DeviationKind, Report, StepReport, Time, Verdict, attempt_text, decision_text, deviation_text,
    secs, state_text,
};

/// A piece of a fact or a row, tagged with what it is rather than how it
/// looks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// reprise's own wording, written as is: it holds no markup character
    /// and its spaces matter.
    Plain(&'static str),
    /// Text from the journal (names, times, words): escaped by the renderer.
    Text(String),
    /// Text an operator typed, which may run over several lines (a reason,
    /// an observation): escaped, its line breaks kept.
    Lines(String),
    /// An identifier, path or hash.
    Code(String),
    /// Something the reader must not miss.
    Strong(String),
    /// A side remark.
    Muted(Vec<Inline>),
    /// What should have been recorded and was not.
    Missing(&'static str),
    /// A verdict with the outcome class it is coloured by (`done`,
    /// `failed`, `open`).
    Outcome(&'static str, String),
    /// Secondary detail about what precedes it: in brackets in Markdown, on
    /// its own line in HTML.
    Aside(Vec<Inline>),
}

/// One line of the summary table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// What the line is about.
    pub key: &'static str,
    /// What the report says about it.
    pub value: Vec<Inline>,
}

/// One line of the "Operators, handovers and resumes" table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeopleRow {
    /// Local clock time.
    pub time: String,
    /// What happened.
    pub event: Vec<Inline>,
    /// A note about it; `None` for an event that takes none (the start),
    /// which Markdown writes as an empty cell of its own.
    pub note: Option<Vec<Inline>>,
}

/// The summary facts, in the order they are shown. The time zone is not
/// among them: each format says it where it reads best.
pub fn facts(r: &Report) -> Vec<Fact> {
    use Inline::{Aside, Code, Muted, Outcome, Plain, Strong, Text};
    let zone = r.zone();
    let both = |t: &Time| Text(format!("{} — {}", zone.long(t.at), t.utc));
    let fact = |key, value| Fact { key, value };
    let mut facts = vec![
        fact("Plan", vec![Text(r.run.name.clone())]),
        fact(
            "Runbook",
            vec![
                Code(r.run.runbook.clone()),
                Aside(vec![
                    Muted(vec![Plain("SHA-256")]),
                    Plain(" "),
                    Code(r.run.runbook_sha256.clone()),
                ]),
            ],
        ),
        fact("Mode", vec![Text(r.mode_text().into())]),
        fact(
            "Dry run",
            vec![if r.run.dry_run {
                Strong("yes — nothing was executed".into())
            } else {
                Text("no".into())
            }],
        ),
        fact("Started", vec![both(&r.run.started)]),
        fact(
            "Ended",
            match &r.run.ended {
                Some(t) => vec![both(t)],
                None => vec![
                    Strong("no end recorded".into()),
                    Plain(" — last event "),
                    both(&r.run.last_event),
                ],
            },
        ),
        fact(
            "Result",
            vec![Text(r.run.result.map_or_else(
                || "none (still running or interrupted)".to_string(),
                |x| x.to_string(),
            ))],
        ),
        fact("Elapsed", vec![Text(secs(Some(r.run.elapsed_seconds)))]),
        fact(
            "Time to recovery",
            vec![Text(secs(r.recovery.time_to_recovery_seconds))],
        ),
        fact(
            "RTO",
            match r.recovery.rto_seconds {
                Some(rto) => vec![
                    Text(secs(Some(rto))),
                    Plain(" — "),
                    Outcome(verdict_class(r.recovery.verdict), r.verdict_text()),
                ],
                None => vec![Plain("none in the plan")],
            },
        ),
        fact(
            "RPO",
            match r.recovery.rpo_seconds {
                Some(rpo) => vec![
                    Text(secs(Some(rpo))),
                    Plain(" "),
                    Muted(vec![Plain("(recorded in the plan, not measured)")]),
                ],
                None => vec![Plain("none in the plan")],
            },
        ),
        fact("Operators", vec![Text(r.run.operators.join(", "))]),
    ];
    // Said once, up front: the times of these steps are those written by
    // hand on paper checklists, not taken by reprise.
    let paper: Vec<String> = r
        .phases
        .iter()
        .flat_map(|p| &p.steps)
        .filter(|s| s.source == Some(crate::event::Source::Paper))
        .map(|s| s.id.to_string())
        .collect();
    if !paper.is_empty() {
        facts.push(fact(
            "Transcribed from paper",
            vec![Text(format!(
                "{} step{} ({}): times and outcomes as written by hand on the checklists",
                paper.len(),
                if paper.len() == 1 { "" } else { "s" },
                paper.join(", ")
            ))],
        ));
    }
    facts.extend([
        fact(
            "Roles involved",
            vec![if r.run.roles.is_empty() {
                Plain("—")
            } else {
                Text(r.run.roles.join(", "))
            }],
        ),
        fact("Host", vec![Text(r.run.host.clone())]),
        fact("reprise version", vec![Text(r.run.reprise_version.clone())]),
    ]);
    facts
}

/// The outcome class the RTO verdict is coloured by.
fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Met => "done",
        Verdict::Open => "open",
        _ => "failed",
    }
}

/// Who started the drill, then every handover and resume in time order;
/// empty when the drill had neither (one operator from start to end).
pub fn people(r: &Report) -> Vec<PeopleRow> {
    use Inline::{Code, Plain, Text};
    if r.run.handovers.is_empty() && r.run.resumes.is_empty() {
        return Vec::new();
    }
    let zone = r.zone();
    let mut rows: Vec<(jiff::Timestamp, PeopleRow)> = Vec::new();
    for h in &r.run.handovers {
        let row = PeopleRow {
            time: zone.clock(h.time.at),
            event: vec![
                Plain("handover from "),
                Text(h.from.clone()),
                Plain(" to "),
                Text(h.to.clone()),
            ],
            note: Some(h.note.iter().map(|n| Text(n.clone())).collect()),
        };
        rows.push((h.time.at, row));
    }
    for x in &r.run.resumes {
        let row = PeopleRow {
            time: zone.clock(x.time.at),
            event: vec![
                Plain("resumed by "),
                Text(x.operator.clone()),
                Plain(" on "),
                Text(x.host.clone()),
                Plain(" (stopped after "),
                Text(zone.clock(x.stopped_after.at)),
                Plain(")"),
            ],
            note: Some(match &x.runbook_sha256 {
                Some(s) => vec![Plain("runbook changed, now SHA-256 "), Code(s.clone())],
                None => Vec::new(),
            }),
        };
        rows.push((x.time.at, row));
    }
    rows.sort_by_key(|(at, _)| *at);
    let started = PeopleRow {
        time: zone.clock(r.run.started.at),
        event: vec![Plain("started by "), Text(r.run.started_by.clone())],
        note: None,
    };
    std::iter::once(started)
        .chain(rows.into_iter().map(|(_, row)| row))
        .collect()
}

/// What a step's details open with, then one line per reason, attempt,
/// decision and rollback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    /// The step's title, id and state.
    pub heading: Vec<Inline>,
    /// The lines of the list under it.
    pub lines: Vec<Vec<Inline>>,
}

/// The details of a step worth a closer look (it deviated, ran remotely or
/// left output); `None` for a step that simply went as planned.
pub fn details(r: &Report, s: &StepReport) -> Option<Details> {
    use Inline::{Code, Lines, Plain, Strong, Text};
    let worth_telling = s.reason.is_some()
        || !s.decisions.is_empty()
        || s.attempts
            .iter()
            .any(|a| a.exit_code != Some(0) || a.interrupted)
        || !s.output_tail.is_empty()
        || s.rollback.is_some()
        || !s.hosts.is_empty()
        || s.recorded_for_role.is_some()
        || !s.approvals.is_empty();
    if !worth_telling {
        return None;
    }
    let zone = r.zone();
    let because = |reason: &Option<String>| {
        reason
            .iter()
            .flat_map(|x| [Plain(" — "), Lines(x.clone())])
            .collect::<Vec<_>>()
    };
    let mut lines = Vec::new();
    if let Some(reason) = &s.reason {
        lines.push(vec![Plain("Reason: "), Lines(reason.clone())]);
    }
    for a in &s.attempts {
        lines.push(vec![
            Plain("Attempt "),
            Text(a.number.to_string()),
            Plain(" at "),
            Text(zone.clock(a.started.at)),
            Plain(": "),
            Text(attempt_text(a)),
        ]);
    }
    for d in &s.decisions {
        let mut line = vec![
            Plain("Decision at "),
            Text(zone.clock(d.time.at)),
            Plain(": "),
            Strong(decision_text(d.decision).into()),
            Plain(" by "),
            Text(d.by.clone()),
        ];
        line.extend(because(&d.reason));
        lines.push(line);
    }
    for a in &s.approvals {
        let mut line = vec![
            Plain("Approval at "),
            Text(zone.clock(a.time.at)),
            Plain(": "),
            Strong(if a.approved { "approved" } else { "refused" }.into()),
            Plain(" by "),
            Text(a.by.clone()),
        ];
        if let Some(account) = a.account.as_ref().filter(|x| **x != a.by) {
            line.extend([Plain(" (account "), Text(account.clone()), Plain(")")]);
        }
        if let Some(role) = &a.for_role {
            line.extend([Plain(" for role "), Text(role.clone())]);
        }
        line.push(Text(format!(", {} of {}", a.count, a.needed)));
        line.extend(because(&a.reason));
        lines.push(line);
    }
    if let (Some(role), Some(by)) = (&s.recorded_for_role, &s.recorded_by) {
        lines.push(vec![
            Plain("Recorded by "),
            Text(by.clone()),
            Plain(" for role "),
            Text(role.clone()),
            Plain(" (a coordinator outside that role)"),
        ]);
    }
    if let Some(rb) = &s.rollback {
        let mut line = vec![
            Plain("Rollback: "),
            Text(
                rb.outcome
                    .map_or_else(|| "started, no outcome".to_string(), |x| x.to_string()),
            ),
        ];
        line.extend(rb.exit_code.map(|c| Text(format!(", exit code {c}"))));
        line.extend(because(&rb.reason));
        lines.push(line);
    }
    Some(Details {
        heading: vec![
            Strong(s.title.clone()),
            Plain(" "),
            Code(s.id.as_str().to_string()),
            Plain(" — "),
            Text(state_text(s).into()),
        ],
        lines,
    })
}

/// A table cell.
pub type Cell = Vec<Inline>;

/// The columns of the deviations table.
pub const DEVIATION_COLUMNS: [&str; 6] = ["Time", "Step", "What", "Details", "Reason", "By"];

/// The columns of the observations table.
pub const NOTE_COLUMNS: [&str; 4] = ["Time", "By", "Step", "Observation"];

/// Said in place of the deviations table when there is none.
pub const NO_DEVIATION: &str = "None: every step went as planned.";

/// Said in place of the observations table when there is none.
pub const NO_NOTE: &str = "No observation was recorded during the drill.";

/// The title of the observers' notes (`attach --observer`), shown only
/// when there are some.
pub const OBSERVERS_TITLE: &str = "Observers' notes";

/// What the observers' notes are.
pub const OBSERVERS_INTRO: &str = "Written during the exercise by observers (attached with `--observer`: they watch and record notes, never a step), each under their own account.";

/// The columns of the observers' notes.
pub const OBSERVER_COLUMNS: [&str; 4] = ["Time", "Observer", "Step", "Observation"];

/// What "Where the time went" measures.
pub const TIME_SPLIT_INTRO: &str = "Per step, from the start of the drill to its outcome: its command running, waiting for the operator, waiting for its dependencies, and other pauses (retry delays, waiting for a free job slot).";

/// What "Lessons and actions" is for.
pub const LESSONS_INTRO: &str = "For the debrief: each observation, then points the report derived from the facts. Assign an owner and a date to each action.";

/// The columns of "Changes to the plan during the exercise".
pub const CHANGE_COLUMNS: [&str; 6] = ["Time", "Step", "Change", "Details", "Reason", "By"];

/// What "Changes to the plan during the exercise" is for.
pub const CHANGES_INTRO: &str = "Every step cancelled, re-estimated or handed over while the drill ran, with who, when and why: what the next version of the plan should absorb.";

/// Every change to the plan, one row each, in [`CHANGE_COLUMNS`].
pub fn change_rows(r: &Report) -> Vec<[Cell; 6]> {
    use Inline::{Lines, Plain, Text};
    let zone = r.zone();
    r.changes
        .iter()
        .map(|c| {
            [
                vec![Text(zone.clock(c.time.at))],
                step_cell(Some(&c.step)),
                vec![Plain(c.kind)],
                vec![Text(c.detail.clone().unwrap_or_default())],
                vec![Lines(c.reason.clone())],
                vec![Text(c.by.clone())],
            ]
        })
        .collect()
}

/// A step id, or a dash for what concerns the whole drill.
fn step_cell(step: Option<&crate::runbook::StepId>) -> Cell {
    vec![step.map_or(Inline::Plain("—"), |s| {
        Inline::Code(s.as_str().to_string())
    })]
}

/// Every deviation, one row each, in [`DEVIATION_COLUMNS`].
pub fn deviation_rows(r: &Report) -> Vec<[Cell; 6]> {
    use Inline::{Lines, Missing, Plain, Text};
    let zone = r.zone();
    r.deviations
        .iter()
        .map(|d| {
            let reason = match (&d.reason, d.kind) {
                (Some(x), _) => Lines(x.clone()),
                // A failure speaks for itself: its details say how.
                (None, DeviationKind::Failure | DeviationKind::Interrupted) => Plain("—"),
                (None, _) => Missing("no reason recorded"),
            };
            [
                vec![Text(zone.clock(d.time.at))],
                step_cell(d.step.as_ref()),
                vec![Plain(deviation_text(d.kind))],
                vec![Text(d.detail.clone().unwrap_or_default())],
                vec![reason],
                vec![Text(d.by.clone().unwrap_or_else(|| "—".into()))],
            ]
        })
        .collect()
}

/// Every observation of the players and facilitators, one row each, in
/// [`NOTE_COLUMNS`] (the observers' are in [`observer_rows`]).
pub fn note_rows(r: &Report) -> Vec<[Cell; 4]> {
    rows(r, false)
}

/// Whether any note is the players' (not an observer's).
pub fn has_notes(r: &Report) -> bool {
    r.notes.iter().any(|n| !n.observer)
}

/// The observers' notes, one row each, in [`OBSERVER_COLUMNS`]: who, with
/// their account.
pub fn observer_rows(r: &Report) -> Vec<[Cell; 4]> {
    rows(r, true)
}

fn rows(r: &Report, observers: bool) -> Vec<[Cell; 4]> {
    use Inline::{Lines, Text};
    let zone = r.zone();
    r.notes
        .iter()
        .filter(|n| n.observer == observers)
        .map(|n| {
            let by = match &n.account {
                Some(a) if observers && *a != n.by => format!("{} ({a})", n.by),
                _ => n.by.clone(),
            };
            [
                vec![Text(zone.clock(n.time.at))],
                vec![Text(by)],
                step_cell(n.step.as_ref()),
                vec![Lines(n.text.clone())],
            ]
        })
        .collect()
}

/// The debrief's to-do list: each observation, then the points derived
/// from the facts.
pub fn lessons(r: &Report) -> Vec<Vec<Inline>> {
    use Inline::{Code, Lines, Muted, Plain, Text};
    let notes = r.notes.iter().map(|n| {
        let mut item = vec![Lines(n.text.clone())];
        if let Some(s) = &n.step {
            item.extend([Plain(" ("), Code(s.as_str().to_string()), Plain(")")]);
        }
        item.extend([Plain(" "), Muted(vec![Plain("— "), Text(n.by.clone())])]);
        item
    });
    let points = r.review_points.iter().map(|p| vec![Text(p.clone())]);
    notes.chain(points).collect()
}

/// The closing line: where the report comes from and how to check it.
pub fn colophon(r: &Report) -> Vec<Inline> {
    use Inline::{Code, Plain, Text};
    vec![
        Plain("Generated by reprise from the journal "),
        Code(r.journal.path.clone()),
        Plain(" ("),
        Text(r.journal.events.to_string()),
        Plain(" events"),
        Plain(if r.journal.torn_line.is_some() {
            ", incomplete last line left out"
        } else {
            ""
        }),
        Plain("). The journal is the evidence; check it with "),
        Code("reprise verify".into()),
        Plain("."),
    ]
}
