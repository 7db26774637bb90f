//! Paper mode: turning what was written on a paper checklist into journal
//! records (`reprise transcribe`).
//!
//! A sheet gives, per step, the start and end times written by hand, the
//! outcome, the initials and a reason ([`Entry`]; read from a YAML file by
//! [`sheet::parse`] or typed at a terminal). [`records`] checks the entries
//! against what the journal already holds and against each other, and
//! returns the events to append: `step_began` at the start time and
//! `step_finished` at the end time, both with `source: paper`, the initials
//! as `by`, and the transcriber's OS account and the moment of transcription
//! (`account`, `transcribed_at`). Nothing is fixed silently: a step that
//! ends before it starts, starts before a step it comes after has ended, or
//! is earlier than what the journal holds for it, is a [`Problem`] located
//! at the sheet's entry, and then nothing is written.

use std::collections::HashMap;

use jiff::Timestamp;

use crate::event::{Event, Outcome, RunResult, Source, Stamped};
use fluent_templates::fluent_bundle::FluentValue;

use crate::i18n::Lang;
use crate::identity::Origin;
use crate::runbook::{Mode, StepId};
use crate::timeline::{StepState, Timeline};

pub mod sheet;

/// One step as written on a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The step.
    pub step: StepId,
    /// The start time written, if any.
    pub start: Option<Timestamp>,
    /// The end time written, if any.
    pub end: Option<Timestamp>,
    /// The box ticked.
    pub outcome: Outcome,
    /// The initials written.
    pub initials: String,
    /// The restore point written in the step's restore-point box: the
    /// moment the restored data dates from, and the same time as written
    /// with its offset (for the record).
    pub restore_point: Option<(Timestamp, String)>,
    /// The reason written.
    pub reason: Option<String>,
    /// Where the entry was read: `sheet.yaml:12:3`, or `step 4` at a
    /// terminal; every problem about it starts with this.
    pub place: String,
}

/// A contradiction or a missing value, located at a sheet's entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `sheet.yaml:12:3` or `step 4`.
    pub place: String,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
}

impl Problem {
    /// The problem, its place first and its hint below, with the words
    /// around them in `lang` (the message and hint are already said in
    /// the sheet's language).
    pub fn said(&self, lang: Lang) -> String {
        let mut out = lang.tr_args(
            "paper-problem",
            &[
                ("place", FluentValue::from(self.place.clone())),
                ("message", FluentValue::from(self.message.clone())),
            ],
        );
        if let Some(h) = &self.hint {
            out.push_str("\n  ");
            out.push_str(&lang.tr_args("hint-line", &[("text", FluentValue::from(h.clone()))]));
        }
        out
    }
}

/// In English (`said` in another language).
impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.said(Lang::En))
    }
}

/// What [`records`] decided.
#[derive(Debug, Clone, Default)]
pub struct Transcription {
    /// The events to append, in time order.
    pub events: Vec<Stamped>,
    /// Steps on the sheet that the journal already holds with the same
    /// outcome: left as the journal has them.
    pub kept: Vec<StepId>,
    /// Things to look at that do not stop the transcription (a step whose
    /// prerequisite has no record yet).
    pub warnings: Vec<String>,
}

/// A step's number, as on the sheet (1-based position in the runbook).
fn number(timeline: &Timeline, id: &str) -> usize {
    timeline
        .steps
        .iter()
        .position(|s| s.id().as_str() == id)
        .map_or(0, |i| i + 1)
}

/// The message `id` in `lang` with text arguments.
fn words(lang: Lang, id: &str, args: &[(&'static str, String)]) -> String {
    let args: Vec<(&'static str, FluentValue<'static>)> = args
        .iter()
        .map(|(k, v)| (*k, FluentValue::from(v.clone())))
        .collect();
    lang.tr_args(id, &args)
}

/// `step 4 (switch)` in `lang`.
fn step_name(lang: Lang, timeline: &Timeline, id: &str) -> String {
    words(
        lang,
        "paper-step",
        &[
            ("number", number(timeline, id).to_string()),
            ("id", id.to_string()),
        ],
    )
}

/// A time in messages: in the local time zone, as the sheets were written.
fn clock(t: Timestamp) -> String {
    t.to_zoned_datetime(jiff::tz::TimeZone::system())
        .strftime("%Y-%m-%d %H:%M:%S %Z")
        .to_string()
}

/// Checks `entries` against `timeline` (the journal so far, at least its
/// `run_started`) and returns the records to append, or every problem found.
/// `origin` is the transcriber's (its `transcribed_at` set); warnings are
/// said in `lang`.
pub fn records(
    timeline: &Timeline,
    entries: &[Entry],
    origin: &Origin,
    lang: Lang,
) -> Result<Transcription, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut out = Transcription::default();
    // Said in the sheet's language: messages, hints (by id), step names
    // and outcomes.
    let problem = |e: &Entry, message: String, hint: Option<&str>| Problem {
        place: e.place.clone(),
        message,
        hint: hint.map(|h| lang.tr(h)),
    };
    let say = |id: &str, args: &[(&'static str, String)]| words(lang, id, args);
    let name = |id: &str| step_name(lang, timeline, id);
    let said_outcome = |o: Outcome| lang.tr(&format!("paper-outcome-{o}"));
    let warning = |id: &str, e: &Entry, steps: &[&str]| {
        let mut args = vec![("place", e.place.clone())];
        args.extend(
            steps
                .iter()
                .zip(["step", "need"])
                .map(|(s, k)| (k, name(s))),
        );
        say(id, &args)
    };

    // When each step ended, by the journal or by the sheet.
    let mut ended: HashMap<&str, Timestamp> = HashMap::new();
    for s in &timeline.steps {
        if let (Some(t), Some(_)) = (s.finished, s.outcome()) {
            ended.insert(s.id().as_str(), t);
        }
    }
    let mut seen: HashMap<&str, &Entry> = HashMap::new();
    let mut fresh: Vec<&Entry> = Vec::new();
    for e in entries {
        let id = e.step.as_str();
        let Some(rec) = timeline.step(id) else {
            problems.push(problem(
                e,
                say("paper-no-such-step", &[("step", id.to_string())]),
                Some("paper-no-such-step-hint"),
            ));
            continue;
        };
        if seen.insert(id, e).is_some() {
            problems.push(problem(
                e,
                say("paper-twice", &[("step", name(id))]),
                Some("paper-twice-hint"),
            ));
            continue;
        }
        if matches!(e.outcome, Outcome::Failed | Outcome::Skipped)
            && e.reason.as_deref().is_none_or(|r| r.trim().is_empty())
        {
            problems.push(problem(
                e,
                say(
                    "paper-no-reason",
                    &[("step", name(id)), ("outcome", said_outcome(e.outcome))],
                ),
                Some("paper-no-reason-hint"),
            ));
        }
        if e.outcome == Outcome::Aborted {
            problems.push(problem(
                e,
                say("paper-aborted", &[("step", name(id))]),
                Some("paper-aborted-hint"),
            ));
        }
        if let (Some(s), Some(end)) = (e.start, e.end)
            && end < s
        {
            problems.push(problem(
                e,
                say(
                    "paper-ends-before-start",
                    &[("step", name(id)), ("end", clock(end)), ("start", clock(s))],
                ),
                Some("paper-ends-before-start-hint"),
            ));
        }
        if e.start.is_none() && e.end.is_none() {
            problems.push(problem(
                e,
                say("paper-no-time", &[("step", name(id))]),
                Some("paper-no-time-hint"),
            ));
            continue;
        }
        if let Some((point, _)) = e.restore_point {
            restore_point_problems(e, point, &name(id), &mut problems, lang);
        }
        if let Some(outcome) = rec.outcome() {
            if outcome == e.outcome {
                if e.restore_point.is_some() {
                    out.warnings.push(warning("paper-point-kept", e, &[id]));
                }
                out.kept.push(e.step.clone());
            } else {
                problems.push(problem(
                    e,
                    say(
                        "paper-recorded-otherwise",
                        &[
                            ("step", name(id)),
                            ("recorded", said_outcome(outcome)),
                            (
                                "at",
                                rec.finished.map_or(String::new(), |t| {
                                    say("paper-recorded-at", &[("time", clock(t))])
                                }),
                            ),
                            ("outcome", said_outcome(e.outcome)),
                        ],
                    ),
                    Some("paper-recorded-otherwise-hint"),
                ));
            }
            continue;
        }
        // An open step: the journal says when it began.
        if let Some(began) = rec.began() {
            for (what, t) in [
                ("paper-starts-before-record", e.start),
                ("paper-ends-before-record", e.end),
            ] {
                if let Some(t) = t
                    && t < began
                {
                    problems.push(problem(
                        e,
                        say(
                            what,
                            &[
                                ("step", name(id)),
                                ("time", clock(t)),
                                ("began", clock(began)),
                            ],
                        ),
                        Some("paper-before-record-hint"),
                    ));
                }
            }
        }
        if let Some(end) = e.end.or(e.start) {
            ended.insert(id, end);
        }
        fresh.push(e);
    }

    // Prerequisites: nothing begins before what it comes after has ended.
    for e in &fresh {
        let id = e.step.as_str();
        let Some(rec) = timeline.step(id) else {
            continue;
        };
        let Some(began) = e.start.or(e.end) else {
            continue;
        };
        if e.outcome == Outcome::NotApplicable {
            continue;
        }
        // Its full prerequisites: the steps it names, and every step of
        // the phases it waits for as a whole.
        let phase_steps = timeline
            .steps
            .iter()
            .filter(|s| rec.planned.needs_phases.contains(&s.planned.phase))
            .map(|s| s.id());
        let mut needs: Vec<&StepId> = rec.planned.needs.iter().chain(phase_steps).collect();
        let mut unique = std::collections::HashSet::new();
        needs.retain(|n| unique.insert(*n));
        for need in needs {
            match ended.get(need.as_str()) {
                Some(&t) if began < t => problems.push(problem(
                    e,
                    say(
                        if e.start.is_some() {
                            "paper-starts-before-need"
                        } else {
                            "paper-ends-before-need"
                        },
                        &[
                            ("step", name(id)),
                            ("time", clock(began)),
                            ("need", name(need.as_str())),
                            ("ended", clock(t)),
                        ],
                    ),
                    Some("paper-before-need-hint"),
                )),
                Some(_) => {}
                None => {
                    out.warnings
                        .push(warning("paper-after-unrecorded", e, &[id, need.as_str()]))
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    for e in fresh {
        if let Some(start) = e.start {
            out.events.push(Stamped {
                time: start,
                event: Event::StepBegan {
                    step: e.step.clone(),
                    by: e.initials.clone(),
                    origin: origin.clone(),
                    source: Source::Paper,
                },
            });
        }
        // The restore-point box, recorded as an operator's answer would
        // be: just before the step's outcome.
        if let Some((point, written)) = &e.restore_point {
            out.events.push(Stamped {
                time: e.end.or(e.start).unwrap_or_default(),
                event: Event::RestorePoint {
                    step: e.step.clone(),
                    point: *point,
                    written: written.clone(),
                    by: e.initials.clone(),
                    origin: origin.clone(),
                    source: Source::Paper,
                    host: None,
                },
            });
        }
        out.events.push(Stamped {
            time: e.end.or(e.start).unwrap_or_default(),
            event: Event::StepFinished {
                step: e.step.clone(),
                outcome: e.outcome,
                exit_code: None,
                reason: e.reason.clone(),
                by: e.initials.clone(),
                origin: origin.clone(),
                source: Source::Paper,
                attempts: 0,
                output_tail: Vec::new(),
            },
        });
    }
    out.events.sort_by_key(|s| s.time);
    if let Some(finish) = finish(timeline, &out.events) {
        out.events.push(finish);
    }
    Ok(out)
}

/// A restore point only for a step done, and no later than the step's
/// end: its data cannot date from after it was brought back.
fn restore_point_problems(
    e: &Entry,
    point: Timestamp,
    name: &str,
    problems: &mut Vec<Problem>,
    lang: Lang,
) {
    let problem = |message: String, hint: &str| Problem {
        place: e.place.clone(),
        message,
        hint: Some(lang.tr(hint)),
    };
    if e.outcome != Outcome::Done {
        problems.push(problem(
            words(
                lang,
                "paper-point-not-done",
                &[
                    ("step", name.to_string()),
                    ("outcome", lang.tr(&format!("paper-outcome-{}", e.outcome))),
                ],
            ),
            "paper-point-not-done-hint",
        ));
    } else if let Some(end) = e.end.or(e.start)
        && point > end
    {
        problems.push(problem(
            words(
                lang,
                "paper-point-after-end",
                &[
                    ("step", name.to_string()),
                    ("point", clock(point)),
                    ("end", clock(end)),
                ],
            ),
            "paper-point-after-end-hint",
        ));
    }
}

/// `run_finished` once every step has an outcome and the journal has none
/// yet: `recovered` unless a step failed or a critical step was skipped.
fn finish(timeline: &Timeline, new: &[Stamped]) -> Option<Stamped> {
    if timeline.result.is_some() || new.is_empty() {
        return None;
    }
    let mut outcomes: HashMap<&str, Outcome> = timeline
        .steps
        .iter()
        .filter_map(|s| Some((s.id().as_str(), s.outcome()?)))
        .collect();
    for e in new {
        if let Event::StepFinished { step, outcome, .. } = &e.event {
            outcomes.insert(step.as_str(), *outcome);
        }
    }
    let mut degraded = false;
    for s in &timeline.steps {
        match outcomes.get(s.id().as_str())? {
            Outcome::Failed | Outcome::Aborted => degraded = true,
            Outcome::Skipped if s.planned.critical => degraded = true,
            _ => {}
        }
    }
    let last = new.iter().map(|e| e.time).max()?;
    Some(Stamped {
        time: last,
        event: Event::RunFinished {
            result: if degraded {
                RunResult::Degraded
            } else {
                RunResult::Recovered
            },
        },
    })
}

/// The `step_finished` records of steps that do not apply in `mode`, for
/// a journal started from paper (a live drill's engine writes them when
/// they become ready; here, at the start).
pub fn not_applicable(timeline: &Timeline, mode: Mode, at: Timestamp) -> Vec<Stamped> {
    timeline
        .steps
        .iter()
        .filter(|s| s.planned.only.is_some_and(|m| m != mode) && s.state == StepState::Pending)
        .map(|s| Stamped {
            time: at,
            event: Event::StepFinished {
                step: s.id().clone(),
                outcome: Outcome::NotApplicable,
                exit_code: None,
                reason: None,
                by: "reprise".into(),
                origin: Origin::default(),
                source: Source::Engine,
                attempts: 0,
                output_tail: Vec::new(),
            },
        })
        .collect()
}

/// The steps in the order a drill takes them (planned start by the
/// estimates, then number): the order a transcription at a terminal asks
/// about them.
pub fn plan_order(timeline: &Timeline) -> Vec<usize> {
    let schedule = timeline.planned_schedule();
    let mut order: Vec<usize> = (0..timeline.steps.len()).collect();
    order.sort_by_key(|&i| (schedule[i].map(|(s, _)| s), i));
    order
}

#[cfg(test)]
mod tests;
