//! The dry run: the plan walked on a simulated clock, commands shown and
//! not run, manual steps taken as done.

use super::{
    Action, BTreeMap, Config, Engine, Error, Event, Graph, Input, OperatorInput, Outcome, Output,
    Question, Redactor, RunResult, Runbook, SignedDuration, Sink, Source, Stamped, StepIndex,
    Timestamp,
};

/// What a dry run would do: the order in which steps would run or be asked,
/// and a simulated timeline from the estimates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// In order: what would happen, and when (offset from the start).
    pub items: Vec<PreviewItem>,
    /// Each step's simulated start (offset) and duration, by start.
    pub timeline: Vec<(String, crate::runbook::Duration, crate::runbook::Duration)>,
    /// Simulated end of the drill.
    pub total: crate::runbook::Duration,
}

/// One thing a dry run would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewItem {
    /// Offset from the start.
    pub at: crate::runbook::Duration,
    /// `run`, `confirm`, `manual`, `skip`, `done`, `n/a`, `rollback`.
    pub what: &'static str,
    /// Step id.
    pub step: String,
    /// The command as written (secrets masked), or the title.
    pub detail: String,
}

/// Walks the drill on a simulated clock starting at `start`: each command
/// "succeeds" after its estimate (0 without one), each manual step and
/// confirmation is recorded done after its estimate, nothing is executed and
/// nothing asked. Events go to `sinks` as in a real drill (`config.dry_run`
/// should be true, so the journal says so).
pub fn dry_run(
    runbook: &Runbook,
    graph: &Graph,
    config: Config,
    start: Timestamp,
    redactor: &Redactor,
    sinks: &mut [&mut dyn Sink],
) -> Result<(RunResult, Preview), Error> {
    let operator = config.operator.clone();
    let mut engine = Engine::new(runbook, graph, config);
    // Pending inputs by simulated time; `seq` keeps equal times in order.
    let mut agenda: BTreeMap<(Timestamp, u64), Input> = BTreeMap::new();
    let mut seq = 0u64;
    let offset =
        |t: Timestamp| crate::runbook::Duration(t.duration_since(start).as_secs().max(0) as u64);
    let estimate = |step: StepIndex| {
        let secs = runbook
            .step(step)
            .estimate
            .map_or(0, |e| e.value.as_secs())
            .min(i64::MAX as u64 / 4) as i64;
        SignedDuration::from_secs(secs)
    };
    // The simulated clock stops at the calendar's end rather than panic
    // (estimates are bounded, but a long enough chain of them is not).
    // A day short of the last instant, which the journal's rounding to
    // milliseconds could not write.
    let end = Timestamp::MAX
        .checked_sub(SignedDuration::from_hours(24))
        .unwrap_or(Timestamp::MAX);
    let after =
        |now: Timestamp, step: StepIndex| now.checked_add(estimate(step)).unwrap_or(end).min(end);
    let id = |step: StepIndex| runbook.step(step).id.as_str().to_string();
    let mut items = Vec::new();
    let mut began: BTreeMap<String, Timestamp> = BTreeMap::new();
    let mut timeline = Vec::new();
    let mut result = None;
    let mut now = start;
    let mut input = Some(Input::Start);
    let mut pending_inputs = Vec::new();
    while let Some(i) = input.take() {
        let outputs = engine.handle(now, i);
        for o in &outputs {
            if let Output::Event(e) = o {
                for sink in sinks.iter_mut() {
                    sink.event(e).map_err(Error::Sink)?;
                }
            }
        }
        // Nothing real depends on a simulated event: one sync at the end
        // (below) instead of one per batch keeps a large dry run fast.
        for o in outputs {
            match o {
                Output::Event(Stamped { time, event }) => match event {
                    Event::StepReady { step } | Event::StepStarted { step, .. } => {
                        began.entry(step.to_string()).or_insert(time);
                    }
                    Event::StepFinished {
                        step,
                        outcome,
                        source,
                        reason,
                        ..
                    } => {
                        let what = match (outcome, source) {
                            (Outcome::NotApplicable, _) => Some("n/a"),
                            (Outcome::Done, Source::CommandLine) => Some("done"),
                            (Outcome::Skipped, Source::CommandLine) => Some("skip"),
                            _ => None,
                        };
                        if let Some(what) = what {
                            items.push(PreviewItem {
                                at: offset(time),
                                what,
                                step: step.to_string(),
                                detail: reason.unwrap_or_default(),
                            });
                        }
                        if let Some(b) = began.remove(step.as_str()) {
                            let (from, to) = (offset(b), offset(time));
                            timeline.push((
                                step.to_string(),
                                from,
                                crate::runbook::Duration(to.0.saturating_sub(from.0)),
                            ));
                        }
                    }
                    _ => {}
                },
                Output::Action(action) => match action {
                    Action::StartCommand(l) => {
                        let command = redactor.redact(&l.command.to_string()).into_owned();
                        let mut detail = command;
                        for (k, v) in &l.env {
                            detail.push_str(&format!("  [{k}={}]", redactor.redact(v)));
                        }
                        if !l.hosts.is_empty() {
                            detail.push_str(&format!("  (on {})", l.hosts.join(", ")));
                        }
                        items.push(PreviewItem {
                            at: offset(now),
                            what: if l.attempt == 0 { "rollback" } else { "run" },
                            step: id(l.step),
                            detail,
                        });
                        let exit = crate::exec::Exit {
                            step: l.step,
                            attempt: l.attempt,
                            ending: crate::event::Ending::exited(0),
                            ..crate::exec::Exit::default()
                        };
                        pending_inputs.push((after(now, l.step), Input::CommandExited(exit)));
                    }
                    Action::Ask(q) => {
                        let step = q.step();
                        let s = runbook.step(step);
                        let (what, answer, at) = match q {
                            Question::Manual { .. } => {
                                let mut detail = s.title.clone();
                                if let Some(role) = &s.role {
                                    detail.push_str(&format!(" (role: {role})"));
                                }
                                items.push(PreviewItem {
                                    at: offset(now),
                                    what: "manual",
                                    step: id(step),
                                    detail,
                                });
                                let record = OperatorInput::Record {
                                    step,
                                    outcome: Outcome::Done,
                                    reason: None,
                                    by: operator.clone(),
                                    auto: true,
                                };
                                (None, record, after(now, step))
                            }
                            other => {
                                let what = match other {
                                    Question::Confirm { .. } => Some("confirm"),
                                    _ => None,
                                };
                                let decision = match other {
                                    Question::Failed { .. } => crate::event::Decision::Continue,
                                    Question::Rollback { .. } => crate::event::Decision::Run,
                                    _ => crate::event::Decision::Run,
                                };
                                let decide = OperatorInput::Decide {
                                    step,
                                    decision,
                                    reason: None,
                                    by: operator.clone(),
                                    auto: true,
                                };
                                (what, decide, now)
                            }
                        };
                        if let Some(what) = what {
                            // A confirmation: who, where and the runbook's
                            // warnings, before its command (the next item).
                            let mut detail = s.title.clone();
                            let mut facts = Vec::new();
                            if let Some(role) = &s.role {
                                facts.push(format!("role: {role}"));
                            }
                            if !s.hosts.is_empty() {
                                let hosts: Vec<&str> =
                                    s.hosts.iter().map(|h| h.value.as_str()).collect();
                                facts.push(format!("on: {}", hosts.join(", ")));
                            }
                            if !facts.is_empty() {
                                detail.push_str(&format!(" ({})", facts.join(", ")));
                            }
                            if let Some(text) = &s.instructions {
                                detail.push('\n');
                                detail.push_str(text.trim_end());
                            }
                            items.push(PreviewItem {
                                at: offset(now),
                                what,
                                step: id(step),
                                detail,
                            });
                        }
                        pending_inputs.push((at, Input::Operator(answer)));
                    }
                    Action::Finished(r) => result = Some(r),
                    Action::Kill { .. }
                    | Action::KillAll
                    | Action::Retract { .. }
                    | Action::Stopped
                    | Action::Refused { .. } => {}
                },
            }
        }
        for (at, i) in pending_inputs.drain(..) {
            agenda.insert((at, seq), i);
            seq += 1;
        }
        if result.is_some() {
            break;
        }
        if let Some(((at, _), i)) = agenda.pop_first() {
            now = at;
            input = Some(i);
        } else if let Some(d) = engine.next_deadline() {
            now = d;
            input = Some(Input::Tick);
        }
    }
    for sink in sinks.iter_mut() {
        sink.flush().map_err(Error::Sink)?;
    }
    timeline.sort_by_key(|t| t.1);
    Ok((
        result.unwrap_or(RunResult::Aborted),
        Preview {
            items,
            timeline,
            total: offset(now),
        },
    ))
}

impl Preview {
    /// The preview as text: what would happen in order, then the timeline.
    /// Steps are shown with their item numbers (`#3 restart-app`).
    pub fn render(&self, runbook: &Runbook) -> String {
        let rto = runbook.objectives.rto.map(|r| r.value);
        let numbers: std::collections::HashMap<&str, u32> = runbook
            .step_indices()
            .map(|i| (runbook.step(i).id.as_str(), i.number()))
            .collect();
        let named = |id: &str| match numbers.get(id) {
            Some(n) => format!("#{n} {id}"),
            None => id.to_string(),
        };
        let mut out = String::new();
        let width = self
            .items
            .iter()
            .map(|i| named(&i.step).len())
            .chain(self.timeline.iter().map(|t| named(&t.0).len()))
            .max()
            .unwrap_or(4);
        out.push_str("In order, nothing executed and nothing asked:\n");
        // A multi-line detail (a shell script, a confirmation's
        // instructions) goes on under its first line, in its column.
        let column = 2 + 9 + 1 + 8 + 1 + width + 2;
        for i in &self.items {
            let mut lines = i.detail.trim_end().lines();
            out.push_str(&format!(
                "  +{:<8} {:<8} {:<width$}  {}\n",
                i.at.to_string(),
                i.what,
                named(&i.step),
                lines.next().unwrap_or_default()
            ));
            for l in lines {
                if l.trim().is_empty() {
                    out.push('\n');
                } else {
                    out.push_str(&format!("{:column$}{l}\n", ""));
                }
            }
        }
        out.push_str("\nSimulated timeline (from the estimates):\n");
        out.push_str(&format!("  {:<9} {:<width$}  duration\n", "start", "step"));
        for (step, at, d) in &self.timeline {
            out.push_str(&format!(
                "  +{:<8} {:<width$}  {d}\n",
                at.to_string(),
                named(step)
            ));
        }
        out.push_str(&format!("\nEstimated total: {}", self.total));
        if let Some(rto) = rto {
            let verdict = if self.total <= rto { "within" } else { "OVER" };
            out.push_str(&format!(" ({verdict} the RTO of {rto})"));
        }
        out.push('\n');
        out
    }
}
