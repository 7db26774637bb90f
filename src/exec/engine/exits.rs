//! Commands ending: an attempt's exit (per host for remote steps), a
//! retry or a failure under the step's failure policy, restore points.

use crate::event::{Ending, EndingPart, EngineReason};

use super::{
    Action, ENGINE, Engine, Event, Exit, Finish, HostCause, HostState, HostStatus, Identity,
    Outcome, Question, Source, State, StepIndex, Timestamp, fleet,
};

impl<'a> Engine<'a> {
    /// One host of a remote step is done: recorded as it is, the step
    /// itself waits for its combined exit.
    pub(super) fn host_exited(&mut self, host: String, exit: Exit) {
        if !self.valid(exit.step) {
            return;
        }
        let step = exit.step;
        let aborted = exit.attempt > 0 && matches!(self.states[step.get()], State::Killing { .. });
        let cause = fleet::classify(&exit, aborted);
        // An ssh that reprise ended (timeout, abort) exits 255 itself: that
        // is not the command's code, and the cause says what happened.
        let exit_code = match cause {
            Some(HostCause::TimedOut | HostCause::Aborted | HostCause::ConnectionLost) => None,
            _ => exit.ending.exit_code,
        };
        if exit.attempt > 0
            && let Some(state) = self.host_states[step.get()]
                .iter_mut()
                .find(|h| h.host == host)
        {
            state.status = match cause {
                None => HostStatus::Done,
                Some(c) => HostStatus::Failed(fleet::Failure::of(
                    c,
                    exit_code,
                    exit.ending.signal.as_deref(),
                )),
            };
        }
        let output_tail = if cause.is_some() {
            fleet::host_tail(&exit, &host)
        } else {
            Vec::new()
        };
        // A host where the command succeeded has restored its part: its
        // restore point is recorded now, as its own (a retry runs only
        // where the command failed, so it is never asked for again).
        if exit.attempt > 0
            && cause.is_none()
            && let Some(text) = &exit.restore_point
        {
            let by = Identity::named(ENGINE);
            self.restore_point_of(step, text, by, Source::Command, Some(host.clone()));
        }
        self.emit(Event::HostFinished {
            step: self.id(step),
            attempt: exit.attempt,
            host,
            ending: Ending {
                exit_code,
                ..exit.ending
            },
            cause,
            output_tail,
        });
    }

    /// Host states replayed from the journal on resume.
    pub(super) fn preset_hosts(&mut self, step: StepIndex, hosts: &[HostState]) {
        for h in hosts {
            if let Some(state) = self.host_states[step.get()]
                .iter_mut()
                .find(|s| s.host == h.host)
            {
                state.status = h.status.clone();
            }
        }
    }

    /// Where `step` stands on each of its hosts.
    pub(super) fn hosts_of(&self, step: StepIndex) -> Vec<HostState> {
        self.host_states[step.get()].clone()
    }

    pub(super) fn exited(&mut self, exit: Exit) {
        let step = exit.step;
        if !self.valid(step) {
            return;
        }
        if exit.attempt == 0 {
            self.rollback_exited(exit);
            return;
        }
        match self.states[step.get()].clone() {
            State::Running { attempt } if attempt == exit.attempt => {
                self.attempt_finished(&exit);
                if exit.success() {
                    self.command_done(step, &exit);
                } else if attempt - self.earlier[step.get()].min(attempt) <= self.step(step).retries
                {
                    let delay = self.step(step).retry_delay.to_std();
                    let at = self.now.checked_add(delay).unwrap_or(Timestamp::MAX);
                    self.set(
                        step,
                        State::Retrying {
                            attempt: attempt + 1,
                            at,
                        },
                    );
                } else {
                    self.failed(step, attempt, exit, None);
                }
            }
            State::Killing { attempt } if attempt == exit.attempt => {
                self.attempt_finished(&exit);
                if exit.success() {
                    self.command_done(step, &exit);
                } else {
                    let by = Identity::named(ENGINE);
                    self.finish(
                        step,
                        Finish::new(Outcome::Aborted, Source::Engine, by)
                            .reason(Some(EngineReason::AbortedWhileRunning.text()))
                            .exit(&exit, attempt),
                    );
                }
                if self.running == 0 {
                    self.after_abort();
                }
            }
            _ => {}
        }
    }

    pub(super) fn attempt_finished(&mut self, exit: &Exit) {
        let event = Event::AttemptFinished {
            step: self.id(exit.step),
            attempt: exit.attempt,
            ending: exit.ending.clone(),
        };
        self.emit(event);
    }

    pub(super) fn command_done(&mut self, step: StepIndex, exit: &Exit) {
        let by = self.operator.clone();
        let mut finish = Finish::new(Outcome::Done, Source::Command, by).exit(exit, exit.attempt);
        // A successful command's output is in its log; the journal keeps
        // the tail of failures only.
        finish.output_tail.clear();
        if let Some(text) = &exit.restore_point {
            self.restore_point(step, text, Identity::named(ENGINE), Source::Command);
        }
        self.finish(step, finish);
        self.completed.push(step);
    }

    /// Records the restore point a step brought back, or, when it is not
    /// a time, a note saying so (the step's outcome stands either way).
    pub(super) fn restore_point(
        &mut self,
        step: StepIndex,
        text: &str,
        by: Identity,
        source: Source,
    ) {
        self.restore_point_of(step, text, by, source, None);
    }

    /// [`Self::restore_point`] printed on one `host` of a remote step.
    fn restore_point_of(
        &mut self,
        step: StepIndex,
        text: &str,
        by: Identity,
        source: Source,
        host: Option<String>,
    ) {
        let on = host
            .as_ref()
            .map_or(String::new(), |h| format!(" on host {h}"));
        let event = match crate::event::parse_restore_point(text) {
            Ok(point) => Event::RestorePoint {
                step: self.id(step),
                point,
                written: text.trim().to_string(),
                by: by.name,
                origin: by.origin,
                source,
                host,
            },
            Err(e) => Event::Note {
                text: format!("no restore point recorded{on}: {e}"),
                by: ENGINE.into(),
                origin: Default::default(),
                step: Some(self.id(step)),
            },
        };
        self.emit(event);
    }

    /// A step has failed for good (no retry left, or the operator recorded
    /// it failed): apply `on_failure`.
    pub(super) fn failed(
        &mut self,
        step: StepIndex,
        attempts: u32,
        exit: Exit,
        reason: Option<String>,
    ) {
        use crate::runbook::OnFailure;
        let policy = self.step(step).on_failure;
        let by = self.operator.clone();
        let source = if attempts > 0 {
            Source::Command
        } else {
            Source::Operator
        };
        let finish = Finish::new(Outcome::Failed, source, by)
            .reason(reason.clone())
            .exit(&exit, attempts);
        match policy {
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
            OnFailure::Ask => {
                self.set(
                    step,
                    State::Failed {
                        attempts,
                        exit: exit.clone(),
                        reason,
                    },
                );
                let hosts = self.hosts_of(step);
                self.action(Action::Ask(Question::Failed { step, exit, hosts }));
            }
        }
    }
}

/// A short description of a failed attempt, for `reason`: its ending's
/// words, except that the exit code is `exit code 3` (the journal's
/// `reason` has always said so).
pub fn describe_failure(exit: &Exit) -> String {
    match exit.ending.summary() {
        EndingPart::Exit(code) => format!("exit code {code}"),
        other => other.en(),
    }
}
