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
mod tests;
