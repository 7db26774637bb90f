//! What the Markdown and HTML reports say, once for both.
//!
//! The two renderers used to each spell out the summary facts, the
//! operators' rows, the step details, the deviations, the observations and
//! the lessons, and could drift apart. Here the words and the values are
//! chosen once, as a few [`Inline`] pieces that say what a piece *is* (text
//! from the journal, an identifier, an emphasis, an outcome); each renderer
//! only decides how that is marked up.

pub use super::inline::{Cell, Inline, say};
use super::{
    DeviationKind, Report, StepReport, Time, Verdict, attempt_text_in, decision_text_in,
    deviation_text_in, secs_in, state_text_in,
};
use crate::i18n::Lang;

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
    let lang = r.lang;
    let secs = |s| secs_in(lang, s);
    let both = |t: &Time| Text(format!("{} — {}", zone.long(t.at), t.utc));
    let fact = |key: &str, value| Fact {
        key: lang.said(&format!("fact-{key}")),
        value,
    };
    let mut facts = vec![
        fact("plan", vec![Text(r.run.name.clone())]),
        fact(
            "runbook",
            vec![
                Code(r.run.runbook.clone()),
                Aside(vec![
                    Muted(vec![Plain("SHA-256")]),
                    Plain(" "),
                    Code(r.run.runbook_sha256.clone()),
                ]),
            ],
        ),
        fact("mode", vec![Text(r.mode_text().into())]),
        fact(
            "dry-run",
            vec![if r.run.dry_run {
                Strong(lang.tr("fact-dry-run-yes"))
            } else {
                Text(lang.tr("fact-dry-run-no"))
            }],
        ),
        fact("started", vec![both(&r.run.started)]),
        fact(
            "ended",
            match &r.run.ended {
                Some(t) => vec![both(t)],
                None => {
                    let mut v = vec![Strong(lang.tr("fact-ended-none"))];
                    v.extend(say(
                        lang,
                        "fact-ended-last",
                        vec![("time", both(&r.run.last_event))],
                    ));
                    v
                }
            },
        ),
        fact(
            "result",
            vec![Text(r.run.result.map_or_else(
                || lang.tr("fact-result-none"),
                |x| match lang {
                    Lang::En => x.to_string(),
                    _ => lang.tr(&format!("result-{x}")),
                },
            ))],
        ),
        fact("elapsed", vec![Text(secs(Some(r.run.elapsed_seconds)))]),
        fact(
            "recovery",
            vec![Text(secs(r.recovery.time_to_recovery_seconds))],
        ),
        fact(
            "rto",
            match r.recovery.rto_seconds {
                Some(rto) => vec![
                    Text(secs(Some(rto))),
                    Plain(" — "),
                    Outcome(verdict_class(r.recovery.verdict), r.verdict_text()),
                ],
                None => vec![Plain(lang.said("fact-none-in-plan"))],
            },
        ),
        fact(
            "rpo",
            match (r.recovery.rpo_seconds, &r.recovery.data_loss) {
                (Some(_), Some(d)) => {
                    let mut v = super::services::rpo_cell(lang, d);
                    v.push(Aside(vec![Text(lang.tr_args(
                        "fact-data-lost",
                        &[("time", secs(d.data_loss_seconds).into())],
                    ))]));
                    v
                }
                (Some(rpo), None) => vec![
                    Text(secs(Some(rpo))),
                    Plain(" "),
                    Muted(vec![Plain(lang.said("fact-rpo-not-measured"))]),
                ],
                (None, _) => vec![Plain(lang.said("fact-none-in-plan"))],
            },
        ),
        fact("operators", vec![Text(r.run.operators.join(", "))]),
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
            "paper",
            vec![Text(lang.tr_args(
                "fact-paper-value",
                &[
                    ("count", paper.len().into()),
                    ("steps", paper.join(", ").into()),
                ],
            ))],
        ));
    }
    facts.extend([
        fact(
            "roles",
            vec![if r.run.roles.is_empty() {
                Plain("—")
            } else {
                Text(r.run.roles.join(", "))
            }],
        ),
        fact("host", vec![Text(r.run.host.clone())]),
        fact("version", vec![Text(r.run.reprise_version.clone())]),
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
    use Inline::{Code, Text};
    if r.run.handovers.is_empty() && r.run.resumes.is_empty() {
        return Vec::new();
    }
    let zone = r.zone();
    let lang = r.lang;
    let mut rows: Vec<(jiff::Timestamp, PeopleRow)> = Vec::new();
    for h in &r.run.handovers {
        let row = PeopleRow {
            time: zone.clock(h.time.at),
            event: say(
                lang,
                "people-handover",
                vec![("from", Text(h.from.clone())), ("to", Text(h.to.clone()))],
            ),
            note: Some(h.note.iter().map(|n| Text(n.clone())).collect()),
        };
        rows.push((h.time.at, row));
    }
    for x in &r.run.resumes {
        let row = PeopleRow {
            time: zone.clock(x.time.at),
            event: say(
                lang,
                "people-resumed",
                vec![
                    ("who", Text(x.operator.clone())),
                    ("host", Text(x.host.clone())),
                    ("time", Text(zone.clock(x.stopped_after.at))),
                ],
            ),
            note: Some(match &x.runbook_sha256 {
                Some(s) => say(
                    lang,
                    "people-runbook-changed",
                    vec![("sha", Code(s.clone()))],
                ),
                None => Vec::new(),
            }),
        };
        rows.push((x.time.at, row));
    }
    rows.sort_by_key(|(at, _)| *at);
    let started = PeopleRow {
        time: zone.clock(r.run.started.at),
        event: say(
            lang,
            "people-started",
            vec![("who", Text(r.run.started_by.clone()))],
        ),
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
    let lang = r.lang;
    let because = |reason: &Option<String>| {
        reason
            .iter()
            .flat_map(|x| [Plain(" — "), Lines(x.clone())])
            .collect::<Vec<_>>()
    };
    let mut lines = Vec::new();
    if let Some(reason) = &s.reason {
        lines.push(say(
            lang,
            "detail-reason",
            vec![("reason", Lines(reason.clone()))],
        ));
    }
    for a in &s.attempts {
        lines.push(say(
            lang,
            "attempt-line",
            vec![
                ("n", Text(a.number.to_string())),
                ("time", Text(zone.clock(a.started.at))),
                ("what", Text(attempt_text_in(lang, a))),
            ],
        ));
    }
    for d in &s.decisions {
        let mut line = say(
            lang,
            "detail-decision",
            vec![
                ("time", Text(zone.clock(d.time.at))),
                ("what", Strong(decision_text_in(lang, d.decision).into())),
                ("by", Text(d.by.clone())),
            ],
        );
        line.extend(because(&d.reason));
        lines.push(line);
    }
    for a in &s.approvals {
        let what = lang.tr(if a.approved {
            "detail-approved"
        } else {
            "detail-refused"
        });
        let mut line = say(
            lang,
            "detail-approval",
            vec![
                ("time", Text(zone.clock(a.time.at))),
                ("what", Strong(what)),
                ("by", Text(a.by.clone())),
            ],
        );
        if let Some(account) = a.account.as_ref().filter(|x| **x != a.by) {
            line.extend(say(
                lang,
                "detail-account",
                vec![("account", Text(account.clone()))],
            ));
        }
        if let Some(role) = &a.for_role {
            line.extend(say(
                lang,
                "detail-for-role",
                vec![("role", Text(role.clone()))],
            ));
        }
        line.push(Text(lang.tr_args(
            "detail-count",
            &[
                ("count", a.count.to_string().into()),
                ("needed", a.needed.to_string().into()),
            ],
        )));
        line.extend(because(&a.reason));
        lines.push(line);
    }
    if let (Some(role), Some(by)) = (&s.recorded_for_role, &s.recorded_by) {
        lines.push(say(
            lang,
            "detail-recorded-for-role",
            vec![("by", Text(by.clone())), ("role", Text(role.clone()))],
        ));
    }
    if let Some(rb) = &s.rollback {
        let outcome = rb.outcome.map_or_else(
            || lang.tr("detail-rollback-no-outcome"),
            |x| match lang {
                Lang::En => x.to_string(),
                _ => lang.tr(&format!("outcome-{x}")),
            },
        );
        let mut line = say(lang, "detail-rollback", vec![("outcome", Text(outcome))]);
        line.extend(rb.exit_code.map(|c| {
            Text(format!(
                ", {}",
                lang.tr_args("exit-code", &[("code", c.to_string().into())])
            ))
        }));
        line.extend(because(&rb.reason));
        lines.push(line);
    }
    Some(Details {
        heading: vec![
            Strong(s.title.clone()),
            Plain(" "),
            Code(s.id.as_str().to_string()),
            Plain(" — "),
            Text(state_text_in(lang, s).into()),
        ],
        lines,
    })
}

/// The columns of the deviations table.
pub fn deviation_columns(lang: Lang) -> [&'static str; 6] {
    ["time", "step", "what", "details", "reason", "by"].map(|c| lang.said(&format!("col-{c}")))
}

/// The columns of the observations table.
pub fn note_columns(lang: Lang) -> [&'static str; 4] {
    ["time", "by", "step", "observation"].map(|c| lang.said(&format!("col-{c}")))
}

/// The title of the observers' notes (`attach --observer`), shown only
/// when there are some.
pub fn observers_title(lang: Lang) -> &'static str {
    lang.said("observers-title")
}

/// What the observers' notes are.
pub fn observers_intro(lang: Lang) -> &'static str {
    lang.said("observers-intro")
}

/// The columns of the observers' notes.
pub fn observer_columns(lang: Lang) -> [&'static str; 4] {
    ["time", "observer", "step", "observation"].map(|c| lang.said(&format!("col-{c}")))
}

/// The columns of "Changes to the plan during the exercise".
pub fn change_columns(lang: Lang) -> [&'static str; 6] {
    ["time", "step", "change", "details", "reason", "by"].map(|c| lang.said(&format!("col-{c}")))
}

/// Every change to the plan, one row each, in [`change_columns`].
pub fn change_rows(r: &Report) -> Vec<[Cell; 6]> {
    use Inline::{Lines, Plain, Text};
    let zone = r.zone();
    let lang = r.lang;
    r.changes
        .iter()
        .map(|c| {
            [
                vec![Text(zone.clock(c.time.at))],
                step_cell(Some(&c.step)),
                vec![Plain(match lang {
                    Lang::En => c.kind,
                    _ => lang.said(&format!("change-{}", c.kind)),
                })],
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

/// Every deviation, one row each, in [`deviation_columns`].
pub fn deviation_rows(r: &Report) -> Vec<[Cell; 6]> {
    use Inline::{Lines, Missing, Plain, Text};
    let zone = r.zone();
    let lang = r.lang;
    r.deviations
        .iter()
        .map(|d| {
            let reason = match (&d.reason, d.kind) {
                (Some(x), _) => Lines(x.clone()),
                // A failure speaks for itself: its details say how.
                (None, DeviationKind::Failure | DeviationKind::Interrupted) => Plain("—"),
                (None, _) => Missing(lang.said("no-reason-recorded")),
            };
            [
                vec![Text(zone.clock(d.time.at))],
                step_cell(d.step.as_ref()),
                vec![Plain(deviation_text_in(lang, d.kind))],
                vec![Text(d.detail_in(lang).unwrap_or_default())],
                vec![reason],
                vec![Text(d.by.clone().unwrap_or_else(|| "—".into()))],
            ]
        })
        .collect()
}

/// Every observation of the players and facilitators, one row each, in
/// [`note_columns`] (the observers' are in [`observer_rows`]).
pub fn note_rows(r: &Report) -> Vec<[Cell; 4]> {
    rows(r, false)
}

/// Whether any note is the players' (not an observer's).
pub fn has_notes(r: &Report) -> bool {
    r.notes.iter().any(|n| !n.observer)
}

/// The observers' notes, one row each, in [`observer_columns`]: who, with
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
    // The JSON keeps the English points; the text says them in its language.
    let points = super::review_points_in(r, r.lang)
        .into_iter()
        .map(|p| vec![Text(p)]);
    notes.chain(points).collect()
}

/// The closing line: where the report comes from and how to check it.
pub fn colophon(r: &Report) -> Vec<Inline> {
    use Inline::{Code, Text};
    let lang = r.lang;
    let torn = if r.journal.torn_line.is_some() {
        lang.tr("colophon-torn")
    } else {
        String::new()
    };
    say(
        lang,
        "colophon",
        vec![
            ("path", Code(r.journal.path.clone())),
            ("events", Text(r.journal.events.to_string())),
            ("torn", Inline::Plain(crate::i18n::intern(torn))),
            ("verify", Code("reprise verify".into())),
        ],
    )
}
