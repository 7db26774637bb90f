//! What a resume needs from a journal: the drill's state as presets for the
//! engine, and what changed in the runbook since the drill started.

use std::collections::HashMap;

use crate::event::{Decision, Outcome, PlannedStep};
use crate::exec::Preset;
use crate::exec::fleet;
use crate::runbook::{OnFailure, Runbook, StepId, StepIndex, StepKind};
use crate::timeline::{StepState, Timeline};

/// The drill's state replayed from its journal, for the engine.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replay {
    /// One preset per step with a recorded outcome or cut short.
    pub presets: Vec<Preset>,
    /// Steps that were running or open when the drill stopped, in file
    /// order (also in `presets` as [`Preset::Interrupted`]).
    pub interrupted: Vec<StepIndex>,
    /// Steps recorded in the journal that the runbook no longer has (only
    /// with `--allow-changed`): their records stay in the journal, unused.
    pub unknown: Vec<StepId>,
}

/// Rebuilds the presets that put the engine where the journal left it:
/// finished steps as [`Preset::Recorded`] (they never run again), steps
/// running, open or cut short as [`Preset::Interrupted`]. A command that
/// was only waiting for a free slot, or a `confirm` step not yet confirmed,
/// never ran: it gets no preset and is simply announced again.
pub fn replay(runbook: &Runbook, timeline: &Timeline) -> Replay {
    replay_with(runbook, timeline, None)
}

/// An abort the journal records as decided (`abort_requested`) in a drill
/// that did not finish: reprise stopped while it ended the running
/// commands, or while it rolled back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbortUnderWay {
    /// The abort rolls back completed steps.
    pub rollback: bool,
    /// Steps recorded `done` by the drill (not given on the command line),
    /// in the order the journal recorded them.
    pub completed: Vec<StepId>,
    /// Steps whose rollback is recorded as finished (done, failed or
    /// declined): never offered again.
    pub rolled_back: Vec<StepId>,
}

/// The abort under way in `events`, if one was decided. Whether it rolls
/// back is `abort_requested.rollback`; journals written before that field
/// existed tell it by a `rollback` decision or a rollback record after it.
pub fn abort_under_way<'a>(
    events: impl IntoIterator<Item = &'a crate::event::Stamped>,
) -> Option<AbortUnderWay> {
    use crate::event::{Event, Source};
    let mut abort: Option<AbortUnderWay> = None;
    let mut completed = Vec::new();
    let mut rollback_chosen = false;
    for e in events {
        match &e.event {
            Event::StepFinished {
                step,
                outcome: Outcome::Done,
                source,
                ..
            } if *source != Source::CommandLine => completed.push(step.clone()),
            Event::Decision {
                decision: Decision::Rollback,
                ..
            } => rollback_chosen = true,
            Event::AbortRequested { rollback, .. } => {
                let a = abort.get_or_insert_with(|| AbortUnderWay {
                    rollback: false,
                    completed: Vec::new(),
                    rolled_back: Vec::new(),
                });
                a.rollback |= *rollback || rollback_chosen;
            }
            Event::RollbackStarted { .. } => {
                if let Some(a) = &mut abort {
                    a.rollback = true;
                }
            }
            Event::RollbackFinished { step, .. } => {
                if let Some(a) = &mut abort {
                    a.rollback = true;
                    a.rolled_back.push(step.clone());
                }
            }
            Event::RunFinished { .. } => return None,
            _ => {}
        }
    }
    abort.map(|mut a| {
        a.completed = completed;
        a
    })
}

/// [`replay`], finishing the `abort` under way if there is one: then no
/// step is re-run or asked about. Steps recorded `aborted` stay aborted;
/// steps that were running when reprise stopped (their leftovers are
/// stopped first) are recorded `aborted`; with a rollback, the rollbacks
/// not yet recorded as finished are offered, newest completion first
/// ([`Preset::Aborting`]).
pub fn replay_with(runbook: &Runbook, timeline: &Timeline, abort: Option<AbortUnderWay>) -> Replay {
    let mut replay = replay_inner(runbook, timeline, abort.is_some());
    if let Some(abort) = abort {
        let index = step_index(runbook);
        let cut = std::mem::take(&mut replay.interrupted);
        replay
            .presets
            .retain(|p| !matches!(p, Preset::Interrupted { .. }));
        let to_roll_back = if abort.rollback {
            abort
                .completed
                .iter()
                .filter(|id| !abort.rolled_back.contains(id))
                .filter_map(|id| index.get(id.as_str()).copied())
                .collect()
        } else {
            Vec::new()
        };
        replay.presets.push(Preset::Aborting {
            rollback: abort.rollback,
            cut,
            to_roll_back,
        });
    }
    replay
}

fn replay_inner(runbook: &Runbook, timeline: &Timeline, aborting: bool) -> Replay {
    let mut index: HashMap<String, StepIndex> = step_index(runbook)
        .into_iter()
        .map(|(id, i)| (id.to_string(), i))
        .collect();
    let mut replay = Replay::default();
    // Steps added during the drill come back first, numbered after the
    // runbook's, each able to name those added before it.
    let mut added: Vec<crate::runbook::Step> = Vec::new();
    for e in &timeline.added {
        let Some((id, new)) = crate::exec::added::from_event(e, |n| index.get(n).copied()) else {
            continue;
        };
        if index.contains_key(id.as_str()) {
            continue;
        }
        let i = StepIndex((runbook.steps.len() + added.len()) as u32);
        let phase = crate::exec::added::phase_of(runbook, &added, &new);
        added.push(new.to_step(id.clone(), phase));
        index.insert(id.to_string(), i);
        replay.presets.push(Preset::Added { id, step: new });
    }
    let step_at = |i: StepIndex| match i.get().checked_sub(runbook.steps.len()) {
        Some(k) => &added[k],
        None => runbook.step(i),
    };
    for rec in &timeline.steps {
        let Some(&i) = index.get(rec.id().as_str()) else {
            if rec.state != StepState::Pending {
                replay.unknown.push(rec.id().clone());
            }
            continue;
        };
        let step = step_at(i);
        if rec.original_estimate.is_some()
            && let Some(estimate) = rec.planned.estimate
        {
            replay.presets.push(Preset::Revised { step: i, estimate });
        }
        if let Some(to) = &rec.assigned_to {
            replay.presets.push(Preset::Assigned {
                step: i,
                to: to.clone(),
            });
        }
        // Whether the step was under way: a command attempted, a manual
        // step opened.
        let began =
            !rec.attempts.is_empty() || (step.kind() == StepKind::Manual && rec.ready.is_some());
        let interrupted = match rec.state {
            StepState::Pending => false,
            // After a decided abort, a command waiting for a slot is
            // recorded aborted too, as the abort would have.
            StepState::Ready => aborting || step.kind() == StepKind::Manual,
            StepState::Running { .. } | StepState::AttemptFailed { .. } => true,
            // An abort in progress when the drill stopped: the step did not
            // complete, so it is handled like any interrupted step.
            // After a decided abort, an aborted step stays aborted.
            StepState::Finished(Outcome::Aborted) if !aborting => began,
            StepState::Finished(outcome) => {
                let continued = rec
                    .decisions
                    .last()
                    .is_some_and(|d| d.decision == Decision::Continue);
                replay.presets.push(Preset::Recorded {
                    step: i,
                    outcome,
                    dependents_proceed: outcome == Outcome::Failed
                        && (step.on_failure == OnFailure::Continue || continued),
                });
                false
            }
        };
        if interrupted {
            let attempts = rec.attempts.iter().map(|a| a.number).max().unwrap_or(0);
            replay.presets.push(Preset::Interrupted {
                step: i,
                attempts,
                hosts: fleet::recorded(step.hosts.iter().map(|h| h.value.as_str()), rec),
            });
            replay.interrupted.push(i);
        }
    }
    replay
}

/// A command attempt whose start is recorded but whose end is not: its
/// process group may have outlived the reprise that started it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    /// The step.
    pub step: StepId,
    /// The attempt.
    pub attempt: u32,
    /// Its process id (and process group id).
    pub pid: u32,
    /// The machine it ran on (from the `run_started` or `run_resumed` in
    /// force when it started).
    pub host: String,
    /// When it started.
    pub started: jiff::Timestamp,
}

/// Attempts started and never recorded as finished, with their pid.
pub fn leftovers<'a>(events: impl IntoIterator<Item = &'a crate::event::Stamped>) -> Vec<Leftover> {
    use crate::event::Event;
    let mut host = String::new();
    let mut open: Vec<Leftover> = Vec::new();
    for e in events {
        match &e.event {
            Event::RunStarted { host: h, .. } | Event::RunResumed { host: h, .. } => {
                host = h.clone();
            }
            Event::StepStarted {
                step,
                attempt,
                pid: Some(pid),
            } => open.push(Leftover {
                step: step.clone(),
                attempt: *attempt,
                pid: *pid,
                host: host.clone(),
                started: e.time,
            }),
            // A rollback command is attempt 0.
            Event::RollbackStarted {
                step,
                pid: Some(pid),
            } => open.push(Leftover {
                step: step.clone(),
                attempt: 0,
                pid: *pid,
                host: host.clone(),
                started: e.time,
            }),
            Event::AttemptFinished { step, attempt, .. } => {
                open.retain(|l| !(l.step == *step && l.attempt == *attempt));
            }
            Event::RollbackFinished { step, .. } => {
                open.retain(|l| !(l.step == *step && l.attempt == 0));
            }
            Event::StepFinished { step, .. } => {
                open.retain(|l| !(l.step == *step && l.attempt != 0));
            }
            _ => {}
        }
    }
    open
}

/// One difference between the plan recorded in the journal and the runbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A step the journal does not know.
    Added {
        /// Step id.
        id: String,
        /// Its title.
        title: String,
    },
    /// A step of the journal that the runbook no longer has.
    Removed {
        /// Step id.
        id: String,
        /// Its recorded title.
        title: String,
    },
    /// A step whose recorded fields differ.
    Changed {
        /// Step id.
        id: String,
        /// Each differing field: name, recorded value, new value.
        fields: Vec<(&'static str, String, String)>,
        /// Settings the journal knows only by fingerprint (command,
        /// instructions, timeout…) that differ: their names.
        settings: Vec<String>,
    },
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Added { id, title } => write!(f, "+ {id}: {title}"),
            Change::Removed { id, title } => write!(f, "- {id}: {title}"),
            Change::Changed {
                id,
                fields,
                settings,
            } => {
                write!(f, "~ {id}:")?;
                for (i, (name, old, new)) in fields.iter().enumerate() {
                    let sep = if i == 0 { " " } else { "; " };
                    write!(f, "{sep}{name} {old} → {new}")?;
                }
                if !settings.is_empty() {
                    let sep = if fields.is_empty() { " " } else { "; " };
                    let verb = if settings.len() == 1 {
                        "differs"
                    } else {
                        "differ"
                    };
                    write!(f, "{sep}{} {verb}", settings.join(", "))?;
                }
                Ok(())
            }
        }
    }
}

/// Steps added, removed or changed between the recorded plan and `now`, in
/// file order (removed steps where they were). Commands, instructions and
/// other settings are compared by their fingerprints (journals from before
/// them record none: a change there shows no step difference).
pub fn plan_changes(recorded: &[PlannedStep], now: &[PlannedStep]) -> Vec<Change> {
    let old: HashMap<&str, &PlannedStep> = recorded.iter().map(|s| (s.id.as_str(), s)).collect();
    let new: HashMap<&str, &PlannedStep> = now.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut changes = Vec::new();
    for s in recorded {
        if !new.contains_key(s.id.as_str()) {
            changes.push(Change::Removed {
                id: s.id.to_string(),
                title: s.title.clone(),
            });
        }
    }
    for s in now {
        let Some(o) = old.get(s.id.as_str()) else {
            changes.push(Change::Added {
                id: s.id.to_string(),
                title: s.title.clone(),
            });
            continue;
        };
        let mut fields = Vec::new();
        let mut diff = |name, a: String, b: String| {
            if a != b {
                fields.push((name, a, b));
            }
        };
        diff("title", quote(&o.title), quote(&s.title));
        diff("kind", o.kind.to_string(), s.kind.to_string());
        diff("phase", o.phase.to_string(), s.phase.to_string());
        diff("needs", list(&o.needs), list(&s.needs));
        diff("role", opt(&o.role), opt(&s.role));
        diff("estimate", opt(&o.estimate), opt(&s.estimate));
        diff("critical", o.critical.to_string(), s.critical.to_string());
        diff("only", opt(&o.only), opt(&s.only));
        diff("hosts", list(&o.hosts), list(&s.hosts));
        diff("restores", list(&o.restores), list(&s.restores));
        let settings: Vec<String> = crate::fingerprint::differing(&o.fingerprints, &s.fingerprints)
            .into_iter()
            .map(str::to_string)
            .collect();
        if !fields.is_empty() || !settings.is_empty() {
            changes.push(Change::Changed {
                id: s.id.to_string(),
                fields,
                settings,
            });
        }
    }
    changes
}

fn quote(s: &str) -> String {
    format!("\"{s}\"")
}

fn list<T: std::fmt::Display>(items: &[T]) -> String {
    let items: Vec<String> = items.iter().map(ToString::to_string).collect();
    format!("[{}]", items.join(", "))
}

fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "(none)".to_string(), ToString::to_string)
}

/// The index of each step id of `runbook`.
pub fn step_index(runbook: &Runbook) -> HashMap<&str, StepIndex> {
    runbook
        .step_indices()
        .map(|i| (runbook.step(i).id.value.as_str(), i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::{PhaseId, StepId, StepKind};

    fn step(id: &str, title: &str, needs: &[&str]) -> PlannedStep {
        PlannedStep {
            needs: needs.iter().map(|n| StepId::new(*n)).collect(),
            ..PlannedStep::new(
                StepId::new(id),
                title,
                PhaseId::new("main"),
                StepKind::Command,
            )
        }
    }

    #[test]
    fn added_removed_and_changed_steps_are_listed() {
        let old = vec![
            step("a", "Stop", &[]),
            step("b", "Copy", &["a"]),
            step("c", "Start", &["b"]),
        ];
        let mut b = step("b", "Copy the data", &["a"]);
        b.kind = StepKind::Confirm;
        let new = vec![step("a", "Stop", &[]), b, step("d", "Check", &["b"])];
        let text: Vec<String> = plan_changes(&old, &new)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            text,
            [
                "- c: Start",
                "~ b: title \"Copy\" → \"Copy the data\"; kind command → confirm",
                "+ d: Check",
            ]
        );
    }

    fn checked(yaml: &str) -> crate::validate::Checked {
        crate::validate::check_text(std::path::Path::new("r.yaml"), yaml)
            .unwrap_or_else(|r| panic!("{:?}", r.diagnostics))
    }

    /// Replays hand-written events of a drill started with the runbook
    /// `recorded` against the runbook `now`.
    fn replayed(recorded: &str, now: &str, events: &[(&str, &str)]) -> Replay {
        use crate::event::{Event, Source, Stamped};
        let started = checked(recorded);
        let mut stamped = vec![Stamped {
            time: jiff::Timestamp::UNIX_EPOCH,
            event: Event::RunStarted {
                origin: Default::default(),
                runbook: "r.yaml".into(),
                runbook_sha256: String::new(),
                name: "r".into(),
                mode: crate::runbook::Mode::Drill,
                dry_run: false,
                operator: "alice".into(),
                host: "h".into(),
                reprise_version: "0".into(),
                rto: None,
                rpo: None,
                services: Vec::new(),
                phases: vec![],
                steps: crate::exec::engine::planned_steps(
                    &started.runbook,
                    &started.graph,
                    crate::runbook::Mode::Drill,
                ),
                exercise: None,
            },
        }];
        for (what, id) in events {
            let step = StepId::new(*id);
            let finished = |outcome| Event::StepFinished {
                origin: Default::default(),
                step: step.clone(),
                outcome,
                exit_code: None,
                reason: None,
                by: "alice".into(),
                source: Source::Operator,
                attempts: 0,
                output_tail: vec![],
            };
            let event = match *what {
                "ready" => Event::StepReady { step: step.clone() },
                "started" => Event::StepStarted {
                    step: step.clone(),
                    attempt: 1,
                    pid: None,
                },
                "continue" => Event::Decision {
                    origin: Default::default(),
                    step: step.clone(),
                    decision: Decision::Continue,
                    reason: Some("later".into()),
                    by: "alice".into(),
                    source: Source::Operator,
                },
                "done" => finished(Outcome::Done),
                "failed" => finished(Outcome::Failed),
                "skipped" => finished(Outcome::Skipped),
                other => panic!("{other}"),
            };
            stamped.push(Stamped {
                time: jiff::Timestamp::UNIX_EPOCH,
                event,
            });
        }
        let timeline = Timeline::from_events(&stamped);
        replay(&checked(now).runbook, &timeline)
    }

    const PLAN: &str = "\
version: 1
name: r
steps:
  - id: a
    title: A
    run: \"true\"
  - id: b
    title: B
    run: \"true\"
  - id: c
    title: C
  - id: d
    title: D
    run: \"true\"
    needs: [a]
  - id: e
    title: E
    run: \"true\"
    needs: [b]
  - id: f
    title: F
    run: \"true\"
    needs: [e]
";

    #[test]
    fn finished_steps_are_recorded_and_running_or_open_ones_interrupted() {
        let r = replayed(
            PLAN,
            PLAN,
            &[
                ("started", "a"),
                ("done", "a"),
                ("started", "b"),
                ("failed", "b"),
                ("continue", "b"),
                ("ready", "c"),
                ("started", "d"),
                ("ready", "e"),
            ],
        );
        assert_eq!(
            r.presets,
            [
                Preset::Recorded {
                    step: StepIndex(0),
                    outcome: Outcome::Done,
                    dependents_proceed: false
                },
                Preset::Recorded {
                    step: StepIndex(1),
                    outcome: Outcome::Failed,
                    dependents_proceed: true
                },
                Preset::Interrupted {
                    step: StepIndex(2),
                    attempts: 0,
                    hosts: vec![],
                },
                Preset::Interrupted {
                    step: StepIndex(3),
                    attempts: 1,
                    hosts: vec![],
                },
            ]
        );
        // `e` was ready but never started: it is announced again, not asked.
        assert_eq!(r.interrupted, [StepIndex(2), StepIndex(3)]);
        assert!(r.unknown.is_empty());
    }

    #[test]
    fn steps_gone_from_the_runbook_are_named() {
        let smaller = PLAN
            .replace("  - id: a\n    title: A\n    run: \"true\"\n", "")
            .replace("    needs: [a]\n", "");
        let r = replayed(
            PLAN,
            &smaller,
            &[("started", "a"), ("done", "a"), ("done", "b")],
        );
        assert_eq!(r.unknown, [StepId::new("a")]);
        assert_eq!(
            r.presets,
            [Preset::Recorded {
                step: StepIndex(0),
                outcome: Outcome::Done,
                dependents_proceed: false
            }]
        );
    }

    #[test]
    fn leftovers_are_attempts_started_and_never_ended() {
        use crate::event::{Event, Stamped};
        let t = jiff::Timestamp::UNIX_EPOCH;
        let started = |step: &str, attempt, pid| Stamped {
            time: t,
            event: Event::StepStarted {
                step: StepId::new(step),
                attempt,
                pid: Some(pid),
            },
        };
        let events = vec![
            Stamped {
                time: t,
                event: Event::RunResumed {
                    origin: Default::default(),
                    operator: "bob".into(),
                    host: "h2".into(),
                    reprise_version: "0".into(),
                    runbook_sha256: None,
                },
            },
            started("a", 1, 10),
            started("b", 1, 11),
            Stamped {
                time: t,
                event: Event::AttemptFinished {
                    step: StepId::new("b"),
                    attempt: 1,
                    ending: crate::event::Ending::exited(1),
                },
            },
            started("b", 2, 12),
        ];
        let l = leftovers(&events);
        let got: Vec<(&str, u32, u32, &str)> = l
            .iter()
            .map(|l| (l.step.as_str(), l.attempt, l.pid, l.host.as_str()))
            .collect();
        assert_eq!(got, [("a", 1, 10, "h2"), ("b", 2, 12, "h2")]);
    }

    #[test]
    fn an_unchanged_plan_has_no_changes() {
        let old = vec![step("a", "Stop", &[]), step("b", "Copy", &["a"])];
        assert!(plan_changes(&old, &old.clone()).is_empty());
    }
}
