//! The dry run: the plan walked on a simulated clock, commands shown and
//! not run, manual steps taken as done.

use super::{
    Action, BTreeMap, Config, Engine, Error, Event, Graph, Input, OperatorInput, Outcome, Output,
    Question, Redactor, RunResult, Runbook, SignedDuration, Sink, Source, Stamped, StepIndex,
    Timestamp,
};
use crate::i18n::Lang;

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
    /// The step's role, said after a manual step's or a confirmation's
    /// title.
    pub role: Option<String>,
    /// The hosts a command runs on, or a confirmation is for.
    pub hosts: Vec<String>,
    /// A confirmation's instructions, under its line.
    pub instructions: Option<String>,
}

impl PreviewItem {
    fn new(at: crate::runbook::Duration, what: &'static str, step: String, detail: String) -> Self {
        PreviewItem {
            at,
            what,
            step,
            detail,
            role: None,
            hosts: Vec::new(),
            instructions: None,
        }
    }
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
                            items.push(PreviewItem::new(
                                offset(time),
                                what,
                                step.to_string(),
                                reason.unwrap_or_default(),
                            ));
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
                        let what = if l.attempt == 0 { "rollback" } else { "run" };
                        items.push(PreviewItem {
                            hosts: l.hosts.clone(),
                            ..PreviewItem::new(offset(now), what, id(l.step), detail)
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
                                items.push(PreviewItem {
                                    role: s.role.clone(),
                                    ..PreviewItem::new(
                                        offset(now),
                                        "manual",
                                        id(step),
                                        s.title.clone(),
                                    )
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
                            items.push(PreviewItem {
                                role: s.role.clone(),
                                hosts: s.hosts.iter().map(|h| h.value.clone()).collect(),
                                instructions: s.instructions.as_ref().map(|t| t.trim_end().into()),
                                ..PreviewItem::new(offset(now), what, id(step), s.title.clone())
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
    /// The preview as text in `lang`: what would happen in order, then
    /// the timeline. Steps are shown with their item numbers (`#3
    /// restart-app`).
    pub fn render(&self, runbook: &Runbook, lang: Lang) -> String {
        let rto = runbook.objectives.rto.map(|r| r.value);
        let numbers: std::collections::HashMap<&str, u32> = runbook
            .step_indices()
            .map(|i| (runbook.step(i).id.as_str(), i.number()))
            .collect();
        let named = |id: &str| match numbers.get(id) {
            Some(n) => format!("#{n} {id}"),
            None => id.to_string(),
        };
        let time = |d: crate::runbook::Duration| lang.duration(d.0);
        let width = self
            .items
            .iter()
            .map(|i| named(&i.step).chars().count())
            .chain(self.timeline.iter().map(|t| named(&t.0).chars().count()))
            .max()
            .unwrap_or(4);
        let mut out = lang.tr("dry-run-in-order");
        out.push('\n');
        // A multi-line detail (a shell script, a confirmation's
        // instructions) goes on under its first line, in its column.
        let column = 2 + 9 + 1 + 8 + 1 + width + 2;
        for i in &self.items {
            let detail = i.said(lang);
            let mut lines = detail.trim_end().lines();
            out.push_str(&format!(
                "  +{:<8} {:<8} {:<width$}  {}\n",
                time(i.at),
                lang.tr(&format!("dry-run-what-{}", i.what.replace('/', ""))),
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
        out.push('\n');
        out.push_str(&lang.tr("dry-run-timeline"));
        out.push('\n');
        out.push_str(&format!(
            "  {:<9} {:<width$}  {}\n",
            lang.tr("dry-run-col-start"),
            lang.tr("dry-run-col-step"),
            lang.tr("dry-run-col-duration")
        ));
        for (step, at, d) in &self.timeline {
            out.push_str(&format!(
                "  +{:<8} {:<width$}  {}\n",
                time(*at),
                named(step),
                time(*d)
            ));
        }
        out.push('\n');
        let total = time(self.total);
        out.push_str(&match rto {
            Some(rto) => {
                let id = if self.total <= rto {
                    "dry-run-total-within"
                } else {
                    "dry-run-total-over"
                };
                lang.tr_args(id, &[("total", total.into()), ("rto", time(rto).into())])
            }
            None => lang.tr_args("dry-run-total", &[("total", total.into())]),
        });
        out.push('\n');
        out
    }
}

impl PreviewItem {
    /// What the item shows after its step, in `lang`: the command (and
    /// where it runs), or the title (and whose it is, and the
    /// instructions under it).
    fn said(&self, lang: Lang) -> String {
        let hosts = self.hosts.join(", ");
        // A reason (skipped, not applicable) may be the engine's own.
        let mut out = crate::event::reason_in(&self.detail, lang).into_owned();
        match self.what {
            "run" | "rollback" if !self.hosts.is_empty() => {
                out.push_str("  ");
                out.push_str(&lang.tr_args("dry-run-on", &[("hosts", hosts.into())]));
            }
            "manual" => {
                if let Some(role) = &self.role {
                    out.push(' ');
                    let role = lang.tr_args("dry-run-role", &[("role", role.clone().into())]);
                    out.push_str(&format!("({role})"));
                }
            }
            "confirm" => {
                let mut facts = Vec::new();
                if let Some(role) = &self.role {
                    facts.push(lang.tr_args("dry-run-role", &[("role", role.clone().into())]));
                }
                if !self.hosts.is_empty() {
                    facts.push(lang.tr_args("dry-run-hosts", &[("hosts", hosts.into())]));
                }
                if !facts.is_empty() {
                    out.push_str(&format!(" ({})", facts.join(", ")));
                }
                if let Some(text) = &self.instructions {
                    out.push('\n');
                    out.push_str(text);
                }
            }
            _ => {}
        }
        out
    }
}
