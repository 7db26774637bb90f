//! Aborting and rolling back: running process groups ended, open questions
//! retracted, then each completed step's rollback offered in reverse order.

use super::{
    Action, Decision, ENGINE, Engine, Event, Exit, Finish, Identity, Launch, Outcome, Question,
    Rollback, Source, Stage, State, StepIndex, describe_failure,
};
use crate::event::EngineReason;

impl<'a> Engine<'a> {
    pub(super) fn begin_abort(&mut self, by: Identity, reason: Option<String>, rollback: bool) {
        if self.stage != Stage::Running {
            return;
        }
        self.aborted = true;
        self.stage = Stage::Aborting { rollback };
        self.emit(Event::AbortRequested {
            by: by.name,
            origin: by.origin,
            reason,
            rollback,
        });
        self.ready.clear();
        self.queue.clear();
        self.retries.clear();
        let mut kill = false;
        for step in self.indices() {
            let state = self.states[step.get()].clone();
            let aborted = || {
                Finish::new(Outcome::Aborted, Source::Engine, ENGINE.into())
                    .reason(Some(EngineReason::Aborted.text()))
            };
            match state {
                State::Running { attempt } => {
                    self.set(step, State::Killing { attempt });
                    kill = true;
                }
                State::Queued { .. } | State::Retrying { .. } => self.finish(step, aborted()),
                State::Open | State::Confirming | State::Interrupted => {
                    self.action(Action::Retract { step });
                    self.finish(step, aborted());
                }
                State::Failed {
                    attempts,
                    exit,
                    reason,
                } => {
                    self.action(Action::Retract { step });
                    let finish = Finish::new(Outcome::Failed, Source::Engine, ENGINE.into())
                        .reason(reason.or(Some(EngineReason::AbortedBeforeDecision.text())))
                        .exit(&exit, attempts);
                    self.finish(step, finish);
                }
                State::Pending | State::Killing { .. } | State::Finished { .. } => {}
            }
        }
        if kill {
            self.action(Action::KillAll);
        } else {
            self.after_abort();
        }
    }

    /// Every process of the aborted drill has ended.
    pub(super) fn after_abort(&mut self) {
        let Stage::Aborting { rollback } = self.stage else {
            return;
        };
        if !rollback {
            self.finish_run();
            return;
        }
        let todo: Vec<StepIndex> = self
            .completed
            .iter()
            .copied()
            .filter(|s| self.step(*s).rollback.is_some())
            .collect();
        self.stage = Stage::RollingBack {
            todo,
            current: None,
        };
        self.next_rollback();
    }

    pub(super) fn next_rollback(&mut self) {
        let Stage::RollingBack { todo, current } = &mut self.stage else {
            return;
        };
        match todo.pop() {
            Some(step) => {
                *current = Some((step, false));
                self.action(Action::Ask(Question::Rollback { step }));
            }
            None => self.finish_run(),
        }
    }

    pub(super) fn rollback_decision(
        &mut self,
        step: StepIndex,
        decision: Decision,
        reason: Option<String>,
        by: Identity,
    ) {
        match decision {
            Decision::Run | Decision::MarkDone => {
                // The driver fills in the pid once the command has started.
                self.emit(Event::RollbackStarted {
                    step: self.id(step),
                    pid: None,
                });
                let s = self.step(step);
                match &s.rollback {
                    Some(Rollback::Command(command)) => {
                        let launch = Launch {
                            step,
                            attempt: 0,
                            command: command.value.clone(),
                            env: s.env.clone(),
                            workdir: s.workdir.clone(),
                            timeout: s.timeout.map(|t| t.value),
                            hosts: s.hosts.iter().map(|h| h.value.clone()).collect(),
                            max_parallel: s
                                .max_parallel
                                .unwrap_or(crate::runbook::DEFAULT_MAX_PARALLEL_HOSTS),
                        };
                        if let Stage::RollingBack { current, .. } = &mut self.stage {
                            *current = Some((step, true));
                        }
                        self.running += 1;
                        self.action(Action::StartCommand(launch));
                    }
                    _ => {
                        self.emit(Event::RollbackFinished {
                            step: self.id(step),
                            outcome: Outcome::Done,
                            exit_code: None,
                            reason,
                            by: by.name,
                            origin: by.origin,
                        });
                        self.next_rollback();
                    }
                }
            }
            Decision::Skip if reason.is_some() => {
                self.emit(Event::RollbackFinished {
                    step: self.id(step),
                    outcome: Outcome::Skipped,
                    exit_code: None,
                    reason,
                    by: by.name,
                    origin: by.origin,
                });
                self.next_rollback();
            }
            Decision::Abort => {
                self.emit(Event::AbortRequested {
                    by: by.name,
                    origin: by.origin,
                    reason,
                    rollback: false,
                });
                self.finish_run();
            }
            _ => self.action(Action::Ask(Question::Rollback { step })),
        }
    }

    pub(super) fn rollback_exited(&mut self, exit: Exit) {
        let Stage::RollingBack {
            current: Some((step, true)),
            ..
        } = self.stage
        else {
            return;
        };
        if step != exit.step {
            return;
        }
        self.running -= 1;
        let (outcome, reason) = if exit.success() {
            (Outcome::Done, None)
        } else {
            (Outcome::Failed, Some(describe_failure(&exit)))
        };
        let by = self.operator.clone();
        self.emit(Event::RollbackFinished {
            step: self.id(step),
            outcome,
            exit_code: exit.ending.exit_code,
            reason,
            by: by.name,
            origin: by.origin,
        });
        self.next_rollback();
    }
}
