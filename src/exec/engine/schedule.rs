//! Scheduling: ready steps announced (opened for a person, queued for a
//! command), due retries queued, queued commands started while job slots
//! and their hosts have room, the drill ended when nothing is left.

use super::{
    Action, ENGINE, Engine, Event, Finish, Launch, Outcome, Question, Source, Stage, State,
    StepIndex, StepKind, fleet,
};
use crate::event::EngineReason;

impl<'a> Engine<'a> {
    /// Announces ready steps, moves due retries to the queue, starts queued
    /// commands while slots are free, and ends the drill when nothing is
    /// left to do.
    pub(super) fn pump(&mut self) {
        if self.stage != Stage::Running {
            return;
        }
        while let Some((at, step)) = self.retries.first().copied() {
            if at > self.now {
                break;
            }
            self.retries.pop_first();
            if let State::Retrying { attempt, .. } = self.states[step.get()] {
                self.set(step, State::Queued { attempt });
                self.queue.insert(step);
            }
        }
        // Held: running commands finish, open items stay open, nothing
        // new opens or starts (ready steps wait in order).
        while !self.held {
            while let Some(step) = self.ready.pop_front() {
                self.announce(step);
            }
            let jobs = self.config.jobs.max(1);
            let mut started = false;
            // The first queued step (file order) whose hosts have room.
            while self.running < jobs
                && self.stage == Stage::Running
                && let Some(step) = self.queue.iter().copied().find(|&s| self.host_load.fits(s))
            {
                self.queue.remove(&step);
                self.launch(step);
                started = true;
            }
            if self.ready.is_empty() && !started {
                break;
            }
        }
        if self.stage == Stage::Running && self.active == 0 && self.ready.is_empty() {
            self.finish_run();
        }
    }

    /// A step's dependencies are all satisfied.
    fn announce(&mut self, step: StepIndex) {
        if self.states[step.get()] != State::Pending
            || self.stage != Stage::Running
            || self.overlay.holds(step)
        {
            return;
        }
        let s = self.step(step);
        let (kind, idempotent) = (s.kind(), s.idempotent);
        if !s.applies_in(self.config.mode) {
            let reason = s.only.map(|m| EngineReason::OnlyIn(m).text());
            self.finish(
                step,
                Finish::new(Outcome::NotApplicable, Source::Engine, ENGINE.into()).reason(reason),
            );
            return;
        }
        if std::mem::take(&mut self.interrupted[step.get()]) {
            // Announced already before the interruption.
            match kind {
                StepKind::Manual => {
                    self.set(step, State::Open);
                    self.action(Action::Ask(Question::Manual { step }));
                }
                _ if idempotent => {
                    let attempt = self.attempts[step.get()] + 1;
                    self.set(step, State::Queued { attempt });
                    self.queue.insert(step);
                }
                _ => {
                    self.set(step, State::Interrupted);
                    let hosts = self.hosts_of(step);
                    self.action(Action::Ask(Question::Interrupted { step, hosts }));
                }
            }
            return;
        }
        self.emit(Event::StepReady {
            step: self.id(step),
        });
        match kind {
            StepKind::Manual => {
                self.set(step, State::Open);
                self.action(Action::Ask(Question::Manual { step }));
            }
            StepKind::Confirm => {
                self.set(step, State::Confirming);
                self.action(Action::Ask(Question::Confirm { step }));
            }
            StepKind::Command => {
                self.set(step, State::Queued { attempt: 1 });
                self.queue.insert(step);
            }
        }
    }

    fn launch(&mut self, step: StepIndex) {
        let State::Queued { attempt } = self.states[step.get()] else {
            return;
        };
        let s = self.step(step);
        let Some(command) = &s.run else {
            return;
        };
        // A remote step runs only where it is not done yet.
        let hosts = fleet::remaining(&self.host_states[step.get()]);
        if !s.hosts.is_empty() && hosts.is_empty() {
            // Done on every host before an interruption (its end was not
            // recorded): nothing is left to run.
            let by = self.operator.clone();
            self.finish(
                step,
                Finish::new(Outcome::Done, Source::Engine, by)
                    .reason(Some(EngineReason::DoneBeforeInterruption.text())),
            );
            self.completed.push(step);
            return;
        }
        let launch = Launch {
            step,
            attempt,
            command: command.value.clone(),
            env: s.env.clone(),
            workdir: s.workdir.clone(),
            timeout: s.timeout.map(|t| t.value),
            hosts,
            max_parallel: s
                .max_parallel
                .unwrap_or(crate::runbook::DEFAULT_MAX_PARALLEL_HOSTS),
        };
        self.attempts[step.get()] = attempt;
        self.set(step, State::Running { attempt });
        self.emit(Event::StepStarted {
            step: self.id(step),
            attempt,
            pid: None,
        });
        self.action(Action::StartCommand(launch));
    }
}
