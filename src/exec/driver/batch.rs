//! One batch of the engine's outputs carried out in order: its events
//! recorded (synced, or left for the group commit), its commands started
//! held and released once their `step_started` is written, then the other
//! actions (the order and why are in the module [`driver`](super)'s
//! documentation).

use std::time::Instant;

use super::{Drive, Error, Msg, START_SYNC_DELAY};
use crate::event::{Event, Stamped};
use crate::exec::process::{Report, Starting};
use crate::exec::{Action, Output};
use crate::runbook::StepIndex;

impl Drive<'_, '_, '_> {
    /// Syncs `step_started` events written since the last sync.
    pub(super) fn sync_starts(&mut self) -> Result<(), Error> {
        if self.unsynced.is_some() {
            for sink in self.sinks.iter_mut() {
                sink.flush().map_err(Error::Sink)?;
            }
            self.synced();
        }
        Ok(())
    }

    /// Everything written so far is on disk: nothing waits for a sync.
    fn synced(&mut self) {
        self.unsynced = None;
        self.unsynced_ready.clear();
    }

    /// Gives `events` to each sink in turn (the journal first), flushing
    /// each when `sync` is set.
    fn record(&mut self, events: &[Stamped], sync: bool) -> Result<(), Error> {
        if events.is_empty() {
            return Ok(());
        }
        for sink in self.sinks.iter_mut() {
            for e in events {
                sink.event(e).map_err(Error::Sink)?;
            }
            if sync {
                sink.flush().map_err(Error::Sink)?;
            }
        }
        if sync {
            self.synced();
        }
        for e in events {
            match &e.event {
                Event::AbortRequested { .. } => self.aborting = true,
                Event::RunStopped { reason, .. } => {
                    self.stopped = Some(reason.clone().unwrap_or_else(|| "stopped".into()));
                }
                _ => {}
            }
            self.operator.event(e);
        }
        Ok(())
    }

    /// One batch: events to every sink, one flush each, then the actions.
    pub(super) fn carry_out(&mut self, outputs: Vec<Output>) -> Result<(), Error> {
        if outputs.is_empty() {
            return Ok(());
        }
        let mut events = Vec::new();
        let mut actions = Vec::new();
        for o in outputs {
            match o {
                Output::Event(e) => events.push(e),
                Output::Action(a) => actions.push(a),
            }
        }
        // A batch that only records commands ending and steps becoming
        // ready, and starts first attempts of steps whose readiness is
        // already on disk (they waited for a job slot), holds nothing the
        // new commands depend on: it is written but not synced before they
        // start, and synced with whatever ends in the next START_SYNC_DELAY
        // (group commit); the view shows it after that sync. Otherwise the
        // batch is made durable first. Either way it is written before
        // anything starts, and `step_started` waits until its process
        // exists, to carry the pid.
        //
        // A step readied in this batch, or in one not synced yet, waits
        // for that sync: the ending that freed it must be on disk first.
        for e in &events {
            if let Event::StepReady { step } = &e.event {
                self.unsynced_ready.insert(step.as_str().to_string());
            }
        }
        let start_first = events.iter().all(|e| {
            matches!(
                e.event,
                Event::AttemptFinished { .. }
                    | Event::StepFinished { .. }
                    | Event::StepStarted { .. }
                    | Event::StepReady { .. }
            )
        }) && actions.iter().all(|a| match a {
            Action::StartCommand(l) => {
                l.attempt == 1 && !self.unsynced_ready.contains(self.step_id(l.step).as_str())
            }
            _ => true,
        });
        let (mut started, events): (Vec<Stamped>, Vec<Stamped>) =
            events.into_iter().partition(|e| match &e.event {
                Event::StepStarted { .. } => true,
                // A rollback command's start waits for its pid too; a
                // manual rollback's (no command) is recorded in order.
                Event::RollbackStarted { step, .. } => actions.iter().any(|a| {
                    matches!(a, Action::StartCommand(l)
                        if l.attempt == 0 && self.step_id(l.step).as_str() == step.as_str())
                }),
                _ => false,
            });
        self.record(&events, !start_first)?;
        // Local commands are forked held before `exec` (module `hold`) and
        // run once their `step_started`, with the pid, is written: from
        // then on a crash of reprise cannot lose it (the kernel holds it;
        // the sync follows within START_SYNC_DELAY), so `resume` finds and
        // stops what it started. A crash before that leaves a held child,
        // which exits without running anything.
        // Every held command is told before any is waited for: each holds
        // the others' spawn pipes until it execs (module `hold`).
        let (rest, mut starting) = self.start_commands(actions, &mut started);
        // Their time is when they started, not when the engine decided:
        // the sync above can take seconds on a loaded disk, and `resume`
        // stops a leftover only if its leader started when the journal
        // says (a pid reused since is left alone).
        let now = jiff::Timestamp::now();
        for e in &mut started {
            e.time = e.time.max(now);
        }
        if let Err(e) = self.record(&started, false) {
            starting.iter_mut().for_each(|(_, s)| s.stop());
            for (_, s) in starting {
                s.cancel();
            }
            return Err(e);
        }
        starting.iter_mut().for_each(|(_, s)| s.go());
        for (step, s) in starting {
            match s.release(&mut self.watch) {
                Ok(attempt) => {
                    self.attempts.insert(step, attempt);
                }
                // Reported through the channel like any other exit, so
                // that it is handled in its own batch.
                Err(exit) => {
                    let _ = self.tx.send(Msg::Report(Report::Exited(exit)));
                }
            }
        }
        if !started.is_empty() || (start_first && !events.is_empty()) {
            self.unsynced
                .get_or_insert_with(|| Instant::now() + START_SYNC_DELAY);
        }
        for action in rest {
            // What the operator is told follows its cause: a question (or
            // a refusal) is shown after the lines of the events that led
            // to it, which a group commit has written but not yet shown.
            if matches!(action, Action::Ask(_) | Action::Refused { .. }) {
                self.sync_starts()?;
            }
            self.act(action);
        }
        Ok(())
    }

    /// The id of `step`, the runbook's or one added during the drill.
    fn step_id(&self, step: StepIndex) -> crate::runbook::StepId {
        self.engine
            .step_id(step)
            .cloned()
            .unwrap_or_else(|| self.runbook.step(step).id.value.clone())
    }

    /// Forks the batch's commands (local ones held before `exec`), filling
    /// their pids into the matching `step_started` events; returns the
    /// other actions and the commands to release once those are durable.
    fn start_commands(
        &mut self,
        actions: Vec<Action>,
        events: &mut [Stamped],
    ) -> (Vec<Action>, Vec<(StepIndex, Starting)>) {
        let mut rest = Vec::with_capacity(actions.len());
        let mut starting = Vec::new();
        for action in actions {
            let Action::StartCommand(launch) = action else {
                rest.push(action);
                continue;
            };
            let id = self.step_id(launch.step).as_str().to_string();
            match self
                .spawner
                .start(&launch, &id, self.notify.clone(), &mut self.watch)
            {
                Ok(s) => {
                    let pid = s.pid();
                    tracing::debug!(step = %id, attempt = launch.attempt, pid, "forked");
                    for e in events.iter_mut() {
                        match &mut e.event {
                            Event::StepStarted {
                                step,
                                attempt: n,
                                pid: p,
                            } if step.as_str() == id && *n == launch.attempt => {
                                *p = Some(pid);
                            }
                            // A rollback is attempt 0.
                            Event::RollbackStarted { step, pid: p }
                                if step.as_str() == id && launch.attempt == 0 =>
                            {
                                *p = Some(pid);
                            }
                            _ => {}
                        }
                    }
                    starting.push((launch.step, s));
                }
                // Reported through the channel like any other exit, so
                // that it is handled in its own batch.
                Err(exit) => {
                    let _ = self.tx.send(Msg::Report(Report::Exited(exit)));
                }
            }
        }
        (rest, starting)
    }
}
