//! The hosts of one remote attempt: one `ssh` per host, at most the step's
//! `max_parallel` at once, connections dropped before the login tried
//! again, and one combined exit for the engine.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::Via;
use super::{SSH_ERROR, Session};
use crate::event::Ending;
use crate::exec::fleet::{is_connection_setup_failure, lost_line, ssh_failure};
use crate::exec::hold::Gate;
use crate::exec::process::{Attempt, Fanout, Notify, OnHost, Report, Spawner, TAIL_LINES};
use crate::exec::watch::Watch;
use crate::exec::{Exit, Launch};
use crate::runbook::StepIndex;

/// Pauses before starting again the `ssh` of a host whose connection was
/// dropped before the login (a bastion's or a server's `MaxStartups`), in
/// milliseconds: three more tries, then the failure stands.
const SETUP_RETRIES: [u64; 3] = [500, 1500, 3000];

/// The hosts of a remote attempt: those not started yet, those waiting to
/// try a dropped connection again, and each host's end once known.
struct Fan {
    step: StepIndex,
    attempt: u32,
    hosts: Vec<String>,
    exits: Vec<Option<Exit>>,
    notify: Notify,
    session: Option<Arc<Session>>,
    sent: bool,
    /// Not started yet, in `host:` order.
    pending: VecDeque<usize>,
    /// Dropped before the login: when to try again, and the host.
    again: Vec<(Instant, usize)>,
    /// Connection tries of each host so far.
    tries: Vec<usize>,
    /// How each running host's `ssh` reaches it (given back at its end).
    via: Vec<Via>,
    /// Hosts whose `ssh` runs now.
    running: usize,
    /// Most hosts running at once.
    limit: usize,
    /// Stopped (abort, Ctrl-C): nothing more starts.
    stopped: bool,
    /// Holds the hosts' scripts until the attempt's `step_started` is
    /// written (hosts started later find it open).
    gate: Gate,
}

impl Fan {
    /// Host `i`'s `ssh` ended: a connection dropped before the login is
    /// tried again after a pause; any other end is recorded.
    fn ssh_ended(&mut self, i: usize, mut exit: Exit) {
        self.running = self.running.saturating_sub(1);
        if let Some(s) = &self.session {
            s.connected(&self.hosts[i]);
            s.release(&self.hosts[i], self.via[i]);
            // A command whose shared connection died under it (its master
            // gave up a host that stopped answering) ends with ssh's 255
            // and no word from ssh: say so, it is not the command's code.
            if exit.ending.exit_code == Some(SSH_ERROR)
                && !exit.ending.timed_out
                && !self.stopped
                && ssh_failure(&exit.output_tail).is_none()
                && !s.still_up(&self.hosts[i], self.via[i])
            {
                let prefix = if self.hosts.len() > 1 {
                    format!("[{}] ", self.hosts[i])
                } else {
                    String::new()
                };
                let line = format!("{prefix}{}", lost_line(&self.hosts[i]));
                (self.notify)(Report::Line {
                    step: self.step,
                    line: line.clone(),
                });
                exit.output_tail.push(line);
            }
        }
        let tries = self.tries[i];
        let dropped = exit.ending.exit_code == Some(SSH_ERROR)
            && exit
                .output_tail
                .iter()
                .rev()
                .take(3)
                .any(|l| is_connection_setup_failure(l));
        if dropped && !self.stopped && tries <= SETUP_RETRIES.len() {
            let pause = SETUP_RETRIES[tries - 1];
            tracing::info!(host = %self.hosts[i], pause, "ssh connection dropped before the login: trying again");
            (self.notify)(Report::Line {
                step: self.step,
                line: format!(
                    "[{}] the connection was closed before the login: trying again in {:.1} s",
                    self.hosts[i],
                    pause as f64 / 1000.0
                ),
            });
            self.again
                .push((Instant::now() + std::time::Duration::from_millis(pause), i));
            return;
        }
        self.record(i, exit);
    }

    /// Records host `i`'s end; sends the combined exit after the last one.
    fn record(&mut self, i: usize, exit: Exit) {
        (self.notify)(Report::HostExited {
            host: self.hosts[i].clone(),
            exit: exit.clone(),
        });
        self.exits[i] = Some(exit);
        if !self.sent && self.exits.iter().all(Option::is_some) {
            self.sent = true;
            let exits: Vec<&Exit> = self.exits.iter().flatten().collect();
            (self.notify)(Report::Exited(combine(&exits)));
        }
    }

    /// The next host that may start now, if any.
    fn next(&mut self, now: Instant) -> Option<usize> {
        if self.stopped || self.running >= self.limit {
            return None;
        }
        if let Some(k) = self.again.iter().position(|(at, _)| *at <= now) {
            return Some(self.again.swap_remove(k).1);
        }
        let ready = |h: &String| self.session.as_ref().is_none_or(|s| s.may_start(h));
        let k = self.pending.iter().position(|&i| ready(&self.hosts[i]))?;
        self.pending.remove(k)
    }

    /// Every host not started: recorded as not started.
    fn stop(&mut self) {
        self.stopped = true;
        let left: Vec<usize> = self
            .pending
            .drain(..)
            .chain(self.again.drain(..).map(|(_, i)| i))
            .collect();
        for i in left {
            self.record(
                i,
                Exit {
                    step: self.step,
                    attempt: self.attempt,
                    ending: Ending::unstarted("not started: the step was stopped first"),
                    ..Exit::default()
                },
            );
        }
    }
}

/// The part of a remote attempt that starts its hosts: at most the step's
/// `max_parallel` at once, the next ones as hosts end. The driver calls
/// [`Pump::pump`] (through [`Attempt::pump`]) after every event.
pub struct Pump {
    fan: Arc<Mutex<Fan>>,
    launch: Launch,
    step_id: String,
}

impl std::fmt::Debug for Pump {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pump")
            .field("step", &self.step_id)
            .finish_non_exhaustive()
    }
}

impl Pump {
    fn lock(&self) -> std::sync::MutexGuard<'_, Fan> {
        self.fan.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts every host that may start now; the new `ssh` processes join
    /// `peers`.
    pub fn pump(&self, spawner: &Spawner, watch: &mut Watch, peers: &mut Vec<Attempt>) {
        let now = Instant::now();
        loop {
            let Some(i) = self.lock().next(now) else {
                return;
            };
            if let Some(a) = self.start(spawner, watch, i) {
                peers.push(a);
            }
        }
    }

    /// Starts host `i`'s `ssh`; `None` when it could not start (recorded).
    fn start(&self, spawner: &Spawner, watch: &mut Watch, i: usize) -> Option<Attempt> {
        let (host, many, via, gate) = {
            let mut fan = self.lock();
            fan.tries[i] += 1;
            fan.running += 1;
            let host = fan.hosts[i].clone();
            let via = fan.session.as_ref().map_or(Via::Own, |s| s.claim(&host));
            fan.via[i] = via;
            (host, fan.hosts.len() > 1, via, fan.gate.clone())
        };
        let host_notify: Notify = {
            let fan = self.fan.clone();
            let notify = self.lock().notify.clone();
            Arc::new(move |report| match report {
                Report::Exited(exit) => fan
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .ssh_ended(i, exit),
                other => notify(other),
            })
        };
        let prefix = many.then(|| format!("[{host}] "));
        let ssh = self
            .lock()
            .session
            .as_ref()
            .and_then(|s| s.command(&host, via));
        let on = OnHost {
            host: &host,
            ssh,
            script: host_script(spawner, &self.launch, &host),
        };
        match spawner.spawn_on(
            &self.launch,
            &self.step_id,
            Some(on),
            prefix,
            host_notify,
            watch,
            &gate,
        ) {
            Ok(a) => Some(a),
            Err(exit) => {
                let mut fan = self.lock();
                fan.running -= 1;
                if let Some(s) = &fan.session {
                    s.release(&host, via);
                }
                fan.record(i, exit);
                None
            }
        }
    }

    /// When a host waiting to try again may start, or soon when a host
    /// waits for a jump host's shared connection.
    pub fn next_deadline(&self) -> Option<Instant> {
        let fan = self.lock();
        if fan.stopped {
            return None;
        }
        let again = fan.again.iter().map(|(at, _)| *at).min();
        let waiting = (!fan.pending.is_empty() && fan.running < fan.limit)
            .then(|| Instant::now() + std::time::Duration::from_millis(50));
        again.into_iter().chain(waiting).min()
    }

    /// Starts nothing more: the hosts not started are recorded so.
    pub fn stop(&self) {
        self.lock().stop();
    }
}

impl Fanout for Pump {
    fn pump(&self, spawner: &Spawner, watch: &mut Watch, peers: &mut Vec<Attempt>) {
        Pump::pump(self, spawner, watch, peers);
    }

    fn next_deadline(&self) -> Option<Instant> {
        Pump::next_deadline(self)
    }

    fn stop(&self) {
        Pump::stop(self);
    }
}

/// What host `host` runs, for its `ssh`'s standard input: the runbook's
/// variables and the step's `env` as data (never in `ssh`'s environment or
/// arguments), and `REPRISE_HOST`, the host's name in the runbook
/// (several may share an address).
fn host_script(spawner: &Spawner, launch: &Launch, host: &str) -> String {
    let mut env = Vec::with_capacity(launch.env.len() + 1);
    env.push(("REPRISE_HOST".to_string(), host.to_string()));
    env.extend(launch.env.iter().cloned());
    super::script(
        &spawner.vars,
        &env,
        launch.workdir.as_deref(),
        &launch.command,
        launch.timeout,
    )
}

/// One exit for the engine out of every host's: successful when all are;
/// otherwise the code, signal and error of the first host (in `host:`
/// order) that failed (each host's own is in its `host_finished` event);
/// timed out when any host was; the tail is the last lines over all hosts.
pub fn combine(exits: &[&Exit]) -> Exit {
    let Some(first) = exits.first() else {
        return Exit::default();
    };
    let mut out = Exit {
        step: first.step,
        attempt: first.attempt,
        ending: Ending {
            timed_out: exits.iter().any(|e| e.ending.timed_out),
            ..Ending::exited(0)
        },
        ..Exit::default()
    };
    if let Some(failed) = exits.iter().find(|e| !e.success()) {
        out.ending.exit_code = failed.ending.exit_code;
        out.ending.signal = failed.ending.signal.clone();
        out.ending.error = failed.ending.error.clone();
    }
    let mut tail: Vec<String> = exits.iter().flat_map(|e| e.output_tail.clone()).collect();
    if tail.len() > TAIL_LINES {
        tail.drain(..tail.len() - TAIL_LINES);
    }
    out.output_tail = tail;
    out
}

/// Starts a remote attempt: one `ssh` per host of `launch.hosts`, at most
/// `launch.max_parallel` at once (the others start as hosts end, through
/// the returned attempt's [`Attempt::pump`]), all ended together on an
/// abort. Lines of a multi-host step are prefixed `[host] `. The command
/// reaches a host only once `gate` opens (the attempt is recorded).
/// `Err` when no host could be started.
pub fn spawn_all(
    session: Arc<Session>,
    spawner: &Spawner,
    launch: &Launch,
    step_id: &str,
    notify: Notify,
    watch: &mut Watch,
    gate: &Gate,
) -> Result<Attempt, Exit> {
    let n = launch.hosts.len();
    let fan = Arc::new(Mutex::new(Fan {
        step: launch.step,
        attempt: launch.attempt,
        hosts: launch.hosts.clone(),
        exits: vec![None; n],
        notify: notify.clone(),
        session: Some(session),
        sent: false,
        pending: (0..n).collect(),
        again: Vec::new(),
        tries: vec![0; n],
        via: vec![Via::Own; n],
        running: 0,
        limit: (launch.max_parallel as usize).max(1),
        stopped: false,
        gate: gate.clone(),
    }));
    let pump = Pump {
        fan: fan.clone(),
        launch: launch.clone(),
        step_id: step_id.to_string(),
    };
    // Until one host runs, the combined end is the caller's to report (an
    // attempt that could not start at all).
    pump.lock().sent = true;
    let mut started = Vec::new();
    pump.pump(spawner, watch, &mut started);
    // Hosts all waiting for a jump host's connection that another step is
    // opening: the first starts anyway, so that the attempt has a process.
    while started.is_empty() {
        let Some(i) = pump.lock().pending.pop_front() else {
            break;
        };
        started.extend(pump.start(spawner, watch, i));
    }
    if started.is_empty() {
        let fan = pump.lock();
        let exits: Vec<&Exit> = fan.exits.iter().flatten().collect();
        return Err(combine(&exits));
    }
    // A host runs: the combined end cannot have been due yet.
    pump.lock().sent = false;
    let mut main = started.remove(0);
    main.add_peers(started);
    main.set_pump(Box::new(pump));
    Ok(main)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combining_takes_the_first_failure_and_every_tail() {
        let ok = Exit {
            ending: crate::event::Ending::exited(0),
            output_tail: vec!["[a] fine".into()],
            ..Exit::default()
        };
        let bad = Exit {
            ending: crate::event::Ending::exited(3),
            output_tail: vec!["[b] broken".into()],
            ..Exit::default()
        };
        let all_ok = combine(&[&ok, &ok]);
        assert!(all_ok.success(), "{all_ok:?}");
        let one_bad = combine(&[&ok, &bad]);
        assert!(!one_bad.success());
        assert_eq!(one_bad.ending.exit_code, Some(3));
        assert_eq!(one_bad.output_tail, ["[a] fine", "[b] broken"]);
    }
}
