//! What operators send: outcomes recorded for open steps, decisions after
//! a failure, notes, abort requests, and the questions put to them again.

use super::{
    Action, Decision, ENGINE, Engine, Event, Exit, Finish, HostStatus, Identity, OperatorInput,
    Outcome, Question, Source, Stage, State, StepIndex, once, operator_source,
};

impl<'a> Engine<'a> {
    pub(super) fn operator_input(&mut self, input: OperatorInput) {
        match input {
            OperatorInput::Record {
                step,
                outcome,
                reason,
                by,
                auto,
            } => self.record(step, outcome, reason, by, auto),
            OperatorInput::Decide {
                step,
                decision,
                reason,
                by,
                auto,
            } => self.decide(step, decision, reason, by, auto),
            OperatorInput::RestorePoint { step, point, by } => {
                if self.valid(step) {
                    self.points.insert(step, (point, by));
                }
            }
            OperatorInput::Note { text, step, by } => {
                let step = step.filter(|s| self.valid(*s)).map(|s| self.id(s));
                self.emit(Event::Note {
                    text,
                    by: by.name,
                    origin: by.origin,
                    step,
                });
            }
            OperatorInput::Action {
                owner,
                due,
                text,
                step,
                by,
            } => {
                let step = step.filter(|s| self.valid(*s)).map(|s| self.id(s));
                self.emit(Event::ActionRecorded {
                    owner,
                    due,
                    text,
                    by: by.name,
                    origin: by.origin,
                    step,
                });
            }
            OperatorInput::Handover { to, note, by } => {
                let incoming = Identity::new(to.clone(), by.origin.clone());
                let from = std::mem::replace(&mut self.operator, incoming).name;
                self.emit(Event::Handover {
                    from,
                    to,
                    note,
                    account: by.origin.account,
                    origin: by.origin.from,
                });
            }
            OperatorInput::Abort { by, reason } => self.abort_request(by, reason),
            OperatorInput::Attached {
                by,
                roles,
                read_only,
            } => self.emit_live(Event::OperatorAttached {
                by: by.name,
                origin: by.origin,
                roles,
                read_only,
            }),
            OperatorInput::Detached { by, reason } => self.emit_live(Event::OperatorDetached {
                by: by.name,
                origin: by.origin,
                reason,
            }),
            OperatorInput::Stop { by, reason } => {
                if matches!(self.stage, Stage::Finished | Stage::Stopped) {
                    return;
                }
                self.emit(Event::RunStopped {
                    by: by.name,
                    origin: by.origin,
                    reason,
                });
                self.stage = Stage::Stopped;
                self.action(Action::Stopped);
            }
            OperatorInput::Hold { by, reason } => {
                if self.stage == Stage::Running && !self.held {
                    self.held = true;
                    self.emit(Event::RunHeld {
                        by: by.name,
                        origin: by.origin,
                        reason,
                    });
                }
            }
            OperatorInput::Release { by } => {
                if self.held && self.stage != Stage::Finished {
                    self.held = false;
                    self.emit(Event::RunReleased {
                        by: by.name,
                        origin: by.origin,
                    });
                }
            }
            OperatorInput::Refuse { step, reason, by } => self.refuse(step, reason, by),
            OperatorInput::ChangePlan { change, by } => self.change_plan(change, by),
            OperatorInput::Add { step, by } => self.add_step(step, by),
            OperatorInput::Unanswerable { message, .. } => {
                self.abort_request(Identity::named(ENGINE), Some(message))
            }
        }
    }

    /// Records `event` unless the drill is over (nothing follows
    /// `run_finished`).
    pub(super) fn emit_live(&mut self, event: Event) {
        if !matches!(self.stage, Stage::Finished | Stage::Stopped) {
            self.emit(event);
        }
    }

    /// True while held (`run_held`, no `run_released` yet).
    pub fn is_held(&self) -> bool {
        self.held
    }

    pub(super) fn abort_request(&mut self, by: Identity, reason: Option<String>) {
        match self.stage.clone() {
            Stage::Running => self.begin_abort(by, reason, false),
            Stage::RollingBack { current, .. } => {
                self.emit(Event::AbortRequested {
                    by: by.name,
                    origin: by.origin,
                    reason,
                    rollback: false,
                });
                match current {
                    Some((step, true)) => {
                        // The rollback command is killed; its exit ends the
                        // rollbacks.
                        self.stage = Stage::RollingBack {
                            todo: Vec::new(),
                            current: Some((step, true)),
                        };
                        self.action(Action::KillAll);
                    }
                    Some((step, false)) => {
                        self.action(Action::Retract { step });
                        self.finish_run();
                    }
                    None => self.finish_run(),
                }
            }
            Stage::Idle | Stage::Aborting { .. } | Stage::Finished | Stage::Stopped => {}
        }
    }

    pub(super) fn record(
        &mut self,
        step: StepIndex,
        outcome: Outcome,
        reason: Option<String>,
        by: Identity,
        auto: bool,
    ) {
        if !self.valid(step) {
            return;
        }
        if self.states[step.get()] != State::Open {
            self.already_answered(step, &by);
            return;
        }
        if !self.gate(step, &by, auto, outcome == Outcome::Done) {
            return;
        }
        let reason = reason.filter(|r| !r.trim().is_empty());
        if outcome == Outcome::Done
            || (matches!(outcome, Outcome::Skipped | Outcome::Failed) && reason.is_some())
        {
            self.answered(step, &by, outcome.to_string());
        }
        let source = operator_source(auto);
        match outcome {
            Outcome::Done => {
                self.finish(step, Finish::new(Outcome::Done, source, by).reason(reason));
                self.completed.push(step);
            }
            Outcome::Skipped if reason.is_some() => {
                self.finish(
                    step,
                    Finish::new(Outcome::Skipped, source, by).reason(reason),
                );
            }
            Outcome::Failed if reason.is_some() => {
                let exit = Exit {
                    step,
                    ..Exit::default()
                };
                self.failed_by_operator(step, exit, reason, by, source, false);
            }
            _ => self.ask_again(step),
        }
    }

    /// A manual step recorded failed: `on_failure` applies, the record is the
    /// operator's.
    pub(super) fn failed_by_operator(
        &mut self,
        step: StepIndex,
        exit: Exit,
        reason: Option<String>,
        by: Identity,
        source: Source,
        recorded: bool,
    ) {
        use crate::runbook::OnFailure;
        let policy = self.step(step).on_failure;
        let finish = Finish::new(Outcome::Failed, source, by.clone()).reason(reason.clone());
        match policy {
            OnFailure::Ask => {
                // The failure and its reason are recorded now, on their own
                // event: the decision that follows (continue, retry…) has a
                // reason of its own, and a crash before it must not lose
                // this one.
                if !recorded {
                    self.emit(Event::Decision {
                        step: self.id(step),
                        decision: Decision::MarkFailed,
                        reason: reason.clone(),
                        by: by.name.clone(),
                        origin: by.origin.clone(),
                        source,
                    });
                }
                self.set(
                    step,
                    State::Failed {
                        attempts: 0,
                        exit: exit.clone(),
                        reason,
                    },
                );
                let hosts = self.hosts_of(step);
                self.action(Action::Ask(Question::Failed { step, exit, hosts }));
            }
            OnFailure::Continue => self.finish(step, finish.proceeds(true)),
            OnFailure::Abort | OnFailure::Rollback => {
                self.finish(step, finish);
                let id = self.id(step);
                self.begin_abort(
                    ENGINE.into(),
                    Some(format!("step `{id}` failed (on_failure: {policy})")),
                    policy == OnFailure::Rollback,
                );
            }
        }
    }

    pub(super) fn decide(
        &mut self,
        step: StepIndex,
        decision: Decision,
        reason: Option<String>,
        by: Identity,
        auto: bool,
    ) {
        if !self.valid(step) {
            return;
        }
        let reason = reason.filter(|r| !r.trim().is_empty());
        if let Stage::RollingBack {
            current: Some((current, false)),
            ..
        } = self.stage
            && current == step
        {
            self.rollback_decision(step, decision, reason, by);
            return;
        }
        if self.stage != Stage::Running {
            return;
        }
        let state = self.states[step.get()].clone();
        let asked = matches!(
            state,
            State::Open | State::Confirming | State::Failed { .. } | State::Interrupted
        );
        if !asked {
            self.already_answered(step, &by);
            return;
        }
        let needs_reason = matches!(
            decision,
            Decision::MarkDone
                | Decision::MarkFailed
                | Decision::Skip
                | Decision::Retry
                | Decision::RetryAll
        ) && !matches!(state, State::Interrupted if matches!(decision, Decision::Retry | Decision::RetryAll));
        if needs_reason && reason.is_none() {
            self.ask_again(step);
            return;
        }
        let allowed = matches!(
            (&state, decision),
            (
                _,
                Decision::Abort | Decision::Rollback | Decision::Skip | Decision::MarkDone
            ) | (State::Confirming | State::Interrupted, Decision::Run)
                | (
                    State::Failed { .. },
                    Decision::Retry | Decision::RetryAll | Decision::Continue
                )
                | (
                    State::Interrupted,
                    Decision::MarkFailed | Decision::Retry | Decision::RetryAll
                )
        );
        if !allowed {
            self.ask_again(step);
            return;
        }
        let approves = matches!(
            (&state, decision),
            (State::Confirming, Decision::Run) | (State::Open, Decision::MarkDone)
        );
        if !self.gate(step, &by, auto, approves) {
            return;
        }
        let source = operator_source(auto);
        self.answered(step, &by, once::decision_word(decision));
        self.emit(Event::Decision {
            step: self.id(step),
            decision,
            reason: reason.clone(),
            by: by.name.clone(),
            origin: self.origin_for(step, &by),
            source,
        });
        let failed_finish = |attempts: u32, exit: &Exit, stored: &Option<String>| {
            // The outcome keeps why it failed; the decision's own reason
            // is on the decision.
            Finish::new(Outcome::Failed, source, by.clone())
                .reason(stored.clone().or_else(|| reason.clone()))
                .exit(exit, attempts)
        };
        match decision {
            Decision::Abort | Decision::Rollback => {
                if let State::Failed {
                    attempts,
                    exit,
                    reason: stored,
                } = &state
                {
                    self.finish(step, failed_finish(*attempts, exit, stored));
                }
                self.begin_abort(by, reason, decision == Decision::Rollback);
            }
            Decision::MarkDone => {
                let mut finish = Finish::new(Outcome::Done, source, by).reason(reason);
                if let State::Failed { attempts, exit, .. } = &state {
                    finish = finish.exit(exit, *attempts);
                    finish.output_tail.clear();
                }
                self.finish(step, finish);
                self.completed.push(step);
            }
            Decision::Skip => {
                let mut finish = Finish::new(Outcome::Skipped, source, by).reason(reason);
                if let State::Failed { attempts, exit, .. } = &state {
                    finish = finish.exit(exit, *attempts);
                    finish.output_tail.clear();
                }
                self.finish(step, finish);
            }
            Decision::Continue => {
                if let State::Failed {
                    attempts,
                    exit,
                    reason: stored,
                } = &state
                {
                    self.finish(step, failed_finish(*attempts, exit, stored).proceeds(true));
                }
            }
            Decision::MarkFailed => {
                let exit = Exit {
                    step,
                    ..Exit::default()
                };
                self.failed_by_operator(step, exit, reason, by, source, true);
            }
            Decision::Run | Decision::Retry => self.run_again(step, &state),
            Decision::RetryAll => {
                for h in &mut self.host_states[step.get()] {
                    h.status = HostStatus::NotFinished;
                }
                self.run_again(step, &state);
            }
        }
    }

    /// Starts a step (again): a command goes to the queue with its next
    /// attempt number, a manual step is opened again.
    pub(super) fn run_again(&mut self, step: StepIndex, state: &State) {
        if self.step(step).run.is_none() {
            self.set(step, State::Open);
            self.action(Action::Ask(Question::Manual { step }));
            return;
        }
        let attempt = match state {
            State::Failed { attempts, .. } => attempts + 1,
            _ => self.attempts[step.get()] + 1,
        };
        self.set(step, State::Queued { attempt });
        self.queue.insert(step);
    }

    pub(super) fn ask_again(&mut self, step: StepIndex) {
        if let Some(q) = self.question(step) {
            self.action(Action::Ask(q));
        }
    }

    /// The question open about `step`, if any.
    pub(super) fn question(&self, step: StepIndex) -> Option<Question> {
        if let Stage::RollingBack {
            current: Some((s, false)),
            ..
        } = self.stage
            && s == step
        {
            return Some(Question::Rollback { step });
        }
        match &self.states[step.get()] {
            State::Open => Some(Question::Manual { step }),
            State::Confirming => Some(Question::Confirm { step }),
            State::Failed { exit, .. } => Some(Question::Failed {
                step,
                exit: exit.clone(),
                hosts: self.hosts_of(step),
            }),
            State::Interrupted => Some(Question::Interrupted {
                step,
                hosts: self.hosts_of(step),
            }),
            _ => None,
        }
    }
}
