//! Signals and the engine's actions on processes: kill one step, kill every
//! process group, and what SIGINT, SIGTERM and SIGHUP mean during a drill.

use super::{Action, Drive, Error, Input, Instant, Interrupt, OperatorInput};

impl Drive<'_, '_, '_> {
    pub(super) fn act(&mut self, action: Action) {
        match action {
            // Started in `carry_out`, before the batch is recorded.
            Action::StartCommand(_) => {}
            Action::Kill { step } => {
                if let Some(a) = self.attempts.get_mut(&step) {
                    a.terminate(Instant::now(), self.spawner.grace);
                }
            }
            Action::KillAll => self.kill_all(),
            Action::Ask(question) => self.operator.ask(&question),
            Action::Retract { step } => self.operator.retract(step),
            Action::Refused { step, by, refusal } => self.operator.refused(step, &by, &refusal),
            Action::Finished(result) => self.result = Some(result),
            Action::Stopped => self.kill_all(),
        }
    }

    pub(super) fn kill_all(&mut self) {
        let now = Instant::now();
        for a in self.attempts.values_mut() {
            if self.forced {
                a.kill();
            } else {
                a.terminate(now, self.spawner.grace);
            }
        }
    }

    pub(super) fn signal(&mut self, sig: i32) -> Result<(), Error> {
        let name = crate::exec::process::signal_name(sig);
        tracing::info!("received {name}");
        if sig == signal_hook::consts::SIGHUP {
            // The terminal went away: whoever was at it is detached, the
            // drill goes on (commands run, outcomes are recorded, questions
            // wait for `reprise attach`).
            self.operator.hung_up();
            return Ok(());
        }
        // Only a signal during an abort or a stop (or during the question
        // whether to abort) forces; an operator who went on is asked again
        // next time.
        let force = if self.aborting || self.stopped.is_some() || self.result.is_some() {
            true
        } else if sig == signal_hook::consts::SIGINT {
            match self.operator.interrupted() {
                Interrupt::Asking => {
                    self.asking = true;
                    return Ok(());
                }
                // `Abort` while the question was open: a Ctrl-C during it.
                Interrupt::Abort => self.asking,
            }
        } else {
            false
        };
        if force {
            // No more grace.
            self.forced = true;
            for a in self.attempts.values_mut() {
                a.kill();
            }
        }
        if self.stopped.is_some() {
            return Ok(());
        }
        if force {
            // During an abort (or its rollbacks), or a second Ctrl-C while
            // the person at the terminal is asked whether to abort: their
            // abort, forced.
            return self.feed(Input::Operator(OperatorInput::Abort {
                by: "signal".into(),
                reason: Some(format!("interrupted by {name}")),
            }));
        }
        // A signal is not an operator's abort: the drill stops, resumable.
        self.feed(Input::Operator(OperatorInput::Stop {
            by: "signal".into(),
            reason: Some(format!("stopped by {name}")),
        }))
    }
}
