//! Per-host state of remote steps: where a step on several hosts stands on
//! each of them, why it failed there, and the words the operator reads
//! ("done on db1, db3; failed on db2: exit 1; not finished on db4").
//!
//! The engine keeps one [`HostState`] per host of each remote step, so that
//! a retry (`retries:`, the operator's `retry`) and a resume run the command
//! again only where it failed or did not finish: a one-shot action (promote
//! a replica, append a line) that succeeded on a host is not repeated
//! there. `retry_all` is the explicit choice to run it everywhere again.

use super::Exit;
use crate::event::{Decision, Ending, HostCause};

/// The exit code `ssh` uses for its own errors (cannot connect, key
/// refused, host key unknown).
pub const SSH_ERROR: i32 = 255;

/// How many of its last lines of output a failed host keeps in its
/// `host_finished` record.
pub const HOST_TAIL: usize = 5;

/// Where a remote step stands on one host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostStatus {
    /// The command succeeded there: not run again by a retry or a resume.
    Done,
    /// It failed there, and why (said `exit 1`, `unreachable`).
    Failed(Failure),
    /// It has not run there yet, is running, or its end was never recorded.
    NotFinished,
}

/// Why a command failed on one host: what its words are made of, so
/// that each renderer says them in its language ([`Failure::words`] in
/// English).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Classified (`host_finished.cause`), with the exit code and the
    /// signal its words need.
    Cause {
        /// Why.
        cause: HostCause,
        /// The command's exit code (not `ssh`'s 255 of a timeout or abort).
        exit_code: Option<i32>,
        /// The signal that ended `ssh`.
        signal: Option<String>,
    },
    /// Not classified (a journal from before causes were recorded): how
    /// `ssh` ended.
    Ended(Ending),
}

impl Failure {
    /// A classified failure.
    pub fn of(cause: HostCause, exit_code: Option<i32>, signal: Option<&str>) -> Failure {
        Failure::Cause {
            cause,
            exit_code,
            signal: signal.map(str::to_string),
        }
    }

    /// In English: `exit 1`, `unreachable`, `timed out`.
    pub fn words(&self) -> String {
        match self {
            Failure::Cause {
                cause,
                exit_code,
                signal,
            } => cause.text(*exit_code, signal.as_deref()),
            Failure::Ended(ending) => ending.words(),
        }
    }
}

/// One host of a remote step and where the step stands on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostState {
    /// The host's name in the runbook.
    pub host: String,
    /// Where the step stands there.
    pub status: HostStatus,
}

impl HostState {
    /// Every host of a step, none finished.
    pub fn fresh<'a>(hosts: impl IntoIterator<Item = &'a str>) -> Vec<HostState> {
        hosts
            .into_iter()
            .map(|h| HostState {
                host: h.to_string(),
                status: HostStatus::NotFinished,
            })
            .collect()
    }
}

/// The hosts of a step grouped by state, in `host:` order; hosts that
/// failed for the same reason are listed together.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Groups<'a> {
    /// Where it succeeded.
    pub done: Vec<&'a str>,
    /// Where it failed: why, and the hosts.
    pub failed: Vec<(&'a Failure, Vec<&'a str>)>,
    /// Where it did not finish.
    pub open: Vec<&'a str>,
}

/// [`Groups`] of `hosts`.
pub fn groups(hosts: &[HostState]) -> Groups<'_> {
    let mut g = Groups::default();
    for h in hosts {
        match &h.status {
            HostStatus::Done => g.done.push(h.host.as_str()),
            HostStatus::NotFinished => g.open.push(h.host.as_str()),
            HostStatus::Failed(why) => match g.failed.iter_mut().find(|(w, _)| *w == why) {
                Some((_, names)) => names.push(&h.host),
                None => g.failed.push((why, vec![&h.host])),
            },
        }
    }
    g
}

/// The hosts of a step in one line, grouped by state in `host:` order:
/// `done on db1, db3; failed on db2: exit 1; not finished on db4`. Hosts
/// that failed for the same reason are listed together. Empty for a local
/// step.
pub fn summary(hosts: &[HostState]) -> String {
    let Groups { done, failed, open } = groups(hosts);
    let mut parts = Vec::new();
    if !done.is_empty() {
        parts.push(format!("done on {}", done.join(", ")));
    }
    for (why, names) in failed {
        parts.push(format!("failed on {}: {}", names.join(", "), why.words()));
    }
    if !open.is_empty() {
        parts.push(format!("not finished on {}", open.join(", ")));
    }
    parts.join("; ")
}

/// Where a remote step stands on each of its `hosts`, from its record:
/// done where an attempt since the last `retry_all` succeeded, failed where
/// the last attempt that ended there failed, not finished where the last
/// attempt never recorded its end. Empty for a local step. What `resume`
/// continues from, and what a failure line shows when nobody is asked.
pub fn recorded<'a>(
    hosts: impl IntoIterator<Item = &'a str>,
    rec: &crate::timeline::StepRecord,
) -> Vec<HostState> {
    let mut states = HostState::fresh(hosts);
    if states.is_empty() {
        return states;
    }
    let since = rec
        .decisions
        .iter()
        .filter(|d| d.decision == Decision::RetryAll)
        .map(|d| d.time)
        .next_back();
    for a in &rec.attempts {
        if since.is_some_and(|t| a.started < t) {
            continue;
        }
        // The attempt ran where the step was not done yet.
        for s in &mut states {
            if s.status != HostStatus::Done {
                s.status = HostStatus::NotFinished;
            }
        }
        for h in &a.hosts {
            if let Some(s) = states.iter_mut().find(|s| s.host == h.host) {
                s.status = if h.succeeded() {
                    HostStatus::Done
                } else {
                    HostStatus::Failed(match h.cause {
                        Some(c) => Failure::of(c, h.ending.exit_code, h.ending.signal.as_deref()),
                        None => Failure::Ended(h.ending.clone()),
                    })
                };
            }
        }
    }
    states
}

/// The hosts whose command must run (again): every host not done.
pub fn remaining(hosts: &[HostState]) -> Vec<String> {
    hosts
        .iter()
        .filter(|h| h.status != HostStatus::Done)
        .map(|h| h.host.clone())
        .collect()
}

/// Why a host's command failed, from how its `ssh` ended: `None` when it
/// succeeded. `aborted` says the drill was being aborted (its `ssh` was
/// ended by reprise, so its exit code 255 is not the command's).
pub fn classify(exit: &Exit, aborted: bool) -> Option<HostCause> {
    if exit.success() {
        return None;
    }
    if exit.ending.error.is_some() {
        return Some(HostCause::NotStarted);
    }
    if exit.ending.timed_out {
        return Some(HostCause::TimedOut);
    }
    if aborted {
        return Some(HostCause::Aborted);
    }
    match exit.ending.exit_code {
        Some(SSH_ERROR) => Some(ssh_failure(&exit.output_tail).unwrap_or(HostCause::Exit)),
        Some(_) => Some(HostCause::Exit),
        None if exit.ending.signal.is_some() => Some(HostCause::Signal),
        None => Some(HostCause::Exit),
    }
}

/// What `ssh` itself said when it failed (exit code 255), from its last
/// lines: `None` when none of them is one of ssh's own errors (the remote
/// command exited 255 itself).
pub fn ssh_failure(tail: &[String]) -> Option<HostCause> {
    tail.iter().rev().take(HOST_TAIL).find_map(|line| {
        let l = line.as_str();
        if l.contains("Host key verification failed")
            || l.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
            || l.contains("host key is known")
            || l.contains("Host key for") && l.contains("has changed")
        {
            Some(HostCause::HostKey)
        } else if l.contains("Permission denied (")
            || l.contains("Too many authentication failures")
            || l.contains("No more authentication methods")
        {
            Some(HostCause::Auth)
        } else if is_connection_lost(l) {
            Some(HostCause::ConnectionLost)
        } else if is_connection_setup_failure(l)
            || l.contains("Connection refused")
            || l.contains("Connection timed out")
            || l.contains("No route to host")
            || l.contains("Network is unreachable")
            || l.contains("Could not resolve hostname")
            || l.contains("Name or service not known")
            || l.contains("Operation timed out")
        {
            Some(HostCause::Unreachable)
        } else {
            None
        }
    })
}

/// Whether `line` is ssh saying the server closed or reset the connection
/// before the login: what `sshd` does to connections beyond its
/// `MaxStartups`, a transient refusal worth retrying (the remote command
/// never started).
pub fn is_connection_setup_failure(line: &str) -> bool {
    line.contains("kex_exchange_identification")
        || line.contains("Connection reset by peer")
        || (line.contains("Connection closed by") && line.contains(" port "))
        || line.contains("banner exchange")
}

/// Whether `line` is ssh (or reprise) saying the connection was lost after
/// the login, under a running command: keep-alives unanswered, closed by
/// the host, or a shared connection gone. Whether the command finished on
/// the host is then unknown.
pub fn is_connection_lost(line: &str) -> bool {
    (line.contains("Timeout, server") && line.contains("not responding"))
        || (line.contains("Connection to") && line.contains("closed by remote host"))
        || line.contains("client_loop: send disconnect")
        || (line.contains("shared connection to") && line.contains("was lost"))
}

/// What the output of a host says when its shared connection died under
/// its command (ssh itself says nothing then).
pub fn lost_line(host: &str) -> String {
    format!(
        "ssh: the shared connection to {host} was lost while the command ran (the host stopped \
         answering or closed it): whether the command finished there is unknown"
    )
}

/// A host's own last lines, at most [`HOST_TAIL`], without the `[host] `
/// prefix its lines carry in a step on several hosts.
pub fn host_tail(exit: &Exit, host: &str) -> Vec<String> {
    let tail = &exit.output_tail;
    let prefix = format!("[{host}] ");
    tail[tail.len().saturating_sub(HOST_TAIL)..]
        .iter()
        .map(|l| l.strip_prefix(&prefix).unwrap_or(l).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Decision;
    use crate::exec::engine::Engine;
    use crate::exec::{Action, Config, Input, OperatorInput, Output, Preset, Question};
    use crate::runbook::StepIndex;

    fn checked(extra: &str) -> crate::validate::Checked {
        let yaml = format!(
            "version: 1\nname: Hosts\nhosts:\n  db1: {{address: 10.0.0.1}}\n  \
             db2: {{address: 10.0.0.2}}\n  db3: {{address: 10.0.0.3}}\nsteps:\n  \
             - id: promote\n    title: Promote\n    host: [db1, db2, db3]\n    \
             run: promote\n{extra}"
        );
        crate::validate::check_text(std::path::Path::new("h.yaml"), &yaml)
            .unwrap_or_else(|_| panic!("valid runbook"))
    }

    fn config(presets: Vec<Preset>) -> Config {
        Config {
            jobs: 4,
            operator: "alice".into(),
            presets,
            resume: false,
            ..Config::default()
        }
    }

    /// The hosts of each command started and the questions asked.
    fn started(out: &[Output]) -> Vec<Vec<String>> {
        out.iter()
            .filter_map(|o| match o {
                Output::Action(Action::StartCommand(l)) => Some(l.hosts.clone()),
                _ => None,
            })
            .collect()
    }

    fn asked(out: &[Output]) -> Vec<Question> {
        out.iter()
            .filter_map(|o| match o {
                Output::Action(Action::Ask(q)) => Some(q.clone()),
                _ => None,
            })
            .collect()
    }

    fn code(attempt: u32, code: i32) -> Exit {
        Exit {
            step: StepIndex(0),
            attempt,
            ending: crate::event::Ending::exited(code),
            ..Exit::default()
        }
    }

    /// Feeds an attempt's host ends and its combined end.
    fn attempt(engine: &mut Engine, n: u32, ends: &[(&str, i32)]) -> Vec<Output> {
        let now = jiff::Timestamp::now();
        let mut out = Vec::new();
        for (host, c) in ends {
            out.extend(engine.handle(
                now,
                Input::HostExited {
                    host: host.to_string(),
                    exit: code(n, *c),
                },
            ));
        }
        let worst = ends.iter().map(|(_, c)| *c).find(|c| *c != 0).unwrap_or(0);
        out.extend(engine.handle(now, Input::CommandExited(code(n, worst))));
        out
    }

    #[test]
    fn a_retry_runs_only_where_the_command_failed() {
        let c = checked("    retries: 2\n    retry_delay: 0s\n");
        let mut engine = Engine::new(&c.runbook, &c.graph, config(vec![]));
        let now = jiff::Timestamp::now();
        let out = engine.handle(now, Input::Start);
        assert_eq!(started(&out), [["db1", "db2", "db3"]]);
        let mut out = attempt(&mut engine, 1, &[("db1", 0), ("db2", 1), ("db3", 0)]);
        out.extend(engine.handle(jiff::Timestamp::now(), Input::Tick));
        assert_eq!(started(&out), [["db2"]]);
        let out = attempt(&mut engine, 2, &[("db2", 0)]);
        assert!(engine.is_finished(), "{out:?}");
    }

    #[test]
    fn the_failure_question_shows_each_host_and_retry_all_runs_everywhere() {
        let c = checked("    on_failure: ask\n");
        let mut engine = Engine::new(&c.runbook, &c.graph, config(vec![]));
        engine.handle(jiff::Timestamp::now(), Input::Start);
        let out = attempt(&mut engine, 1, &[("db1", 0), ("db2", 1)]);
        let q = asked(&out);
        assert_eq!(q.len(), 1, "{out:?}");
        // db3 never reported (its ssh is counted in the combined exit).
        assert_eq!(
            summary(q[0].hosts()),
            "done on db1; failed on db2: exit 1; not finished on db3"
        );
        let decide = |decision| {
            Input::Operator(OperatorInput::Decide {
                step: StepIndex(0),
                decision,
                reason: Some("the replica is back".into()),
                by: "alice".into(),
                auto: false,
            })
        };
        let out = engine.handle(jiff::Timestamp::now(), decide(Decision::Retry));
        assert_eq!(started(&out), [["db2", "db3"]]);
        let out = attempt(&mut engine, 2, &[("db2", 1), ("db3", 0)]);
        assert_eq!(
            summary(asked(&out)[0].hosts()),
            "done on db1, db3; failed on db2: exit 1"
        );
        let out = engine.handle(jiff::Timestamp::now(), decide(Decision::RetryAll));
        assert_eq!(started(&out), [["db1", "db2", "db3"]]);
    }

    #[test]
    fn a_resume_runs_only_the_hosts_not_done() {
        let c = checked("");
        let hosts = |statuses: [HostStatus; 3]| -> Vec<HostState> {
            ["db1", "db2", "db3"]
                .iter()
                .zip(statuses)
                .map(|(h, status)| HostState {
                    host: h.to_string(),
                    status,
                })
                .collect()
        };
        let preset = Preset::Interrupted {
            step: StepIndex(0),
            attempts: 1,
            hosts: hosts([
                HostStatus::Done,
                HostStatus::NotFinished,
                HostStatus::Failed(Failure::of(HostCause::Exit, Some(1), None)),
            ]),
        };
        let mut engine = Engine::new(&c.runbook, &c.graph, config(vec![preset]));
        let out = engine.handle(jiff::Timestamp::now(), Input::Start);
        let q = asked(&out);
        assert_eq!(
            summary(q[0].hosts()),
            "done on db1; failed on db3: exit 1; not finished on db2"
        );
        let out = engine.handle(
            jiff::Timestamp::now(),
            Input::Operator(OperatorInput::Decide {
                step: StepIndex(0),
                decision: Decision::Run,
                reason: None,
                by: "alice".into(),
                auto: false,
            }),
        );
        assert_eq!(started(&out), [["db2", "db3"]]);

        // Done everywhere before the interruption: nothing runs again.
        let preset = Preset::Interrupted {
            step: StepIndex(0),
            attempts: 1,
            hosts: hosts([HostStatus::Done, HostStatus::Done, HostStatus::Done]),
        };
        let c = checked("    idempotent: true\n");
        let mut engine = Engine::new(&c.runbook, &c.graph, config(vec![preset]));
        let out = engine.handle(jiff::Timestamp::now(), Input::Start);
        assert!(started(&out).is_empty(), "{out:?}");
        assert!(engine.is_finished(), "{out:?}");
    }

    fn exit(code: Option<i32>, tail: &[&str]) -> Exit {
        Exit {
            ending: crate::event::Ending {
                exit_code: code,
                ..Default::default()
            },
            output_tail: tail.iter().map(|s| s.to_string()).collect(),
            ..Exit::default()
        }
    }

    #[test]
    fn the_summary_groups_hosts_by_state() {
        let hosts = vec![
            HostState {
                host: "db1".into(),
                status: HostStatus::Done,
            },
            HostState {
                host: "db2".into(),
                status: HostStatus::Failed(Failure::of(HostCause::Exit, Some(1), None)),
            },
            HostState {
                host: "db3".into(),
                status: HostStatus::Done,
            },
            HostState {
                host: "db4".into(),
                status: HostStatus::NotFinished,
            },
            HostState {
                host: "db5".into(),
                status: HostStatus::Failed(Failure::of(HostCause::Unreachable, None, None)),
            },
            HostState {
                host: "db6".into(),
                status: HostStatus::Failed(Failure::of(HostCause::Exit, Some(1), None)),
            },
        ];
        assert_eq!(
            summary(&hosts),
            "done on db1, db3; failed on db2, db6: exit 1; failed on db5: unreachable; \
             not finished on db4"
        );
        assert_eq!(remaining(&hosts), ["db2", "db4", "db5", "db6"]);
        assert_eq!(summary(&[]), "");
    }

    #[test]
    fn ssh_failures_are_told_from_the_commands_own() {
        let c = |code, tail: &[&str]| classify(&exit(code, tail), false);
        assert_eq!(c(Some(0), &[]), None);
        assert_eq!(c(Some(1), &["boom"]), Some(HostCause::Exit));
        assert_eq!(
            c(Some(255), &["exit 255 on purpose"]),
            Some(HostCause::Exit)
        );
        assert_eq!(
            c(
                Some(255),
                &["[db1] ssh: connect to host 10.0.0.1 port 22: Connection refused"]
            ),
            Some(HostCause::Unreachable)
        );
        assert_eq!(
            c(
                Some(255),
                &["kex_exchange_identification: Connection closed by remote host"]
            ),
            Some(HostCause::Unreachable)
        );
        assert_eq!(
            c(Some(255), &["u@h: Permission denied (publickey)."]),
            Some(HostCause::Auth)
        );
        assert_eq!(
            c(Some(255), &["Host key verification failed."]),
            Some(HostCause::HostKey)
        );
        let timed = Exit {
            ending: crate::event::Ending {
                exit_code: Some(255),
                timed_out: true,
                ..Default::default()
            },
            ..Exit::default()
        };
        assert_eq!(classify(&timed, true), Some(HostCause::TimedOut));
        assert_eq!(
            classify(&exit(Some(255), &[]), true),
            Some(HostCause::Aborted)
        );
        let not_started = Exit {
            ending: crate::event::Ending::unstarted("`ssh` not found"),
            ..Exit::default()
        };
        assert_eq!(classify(&not_started, false), Some(HostCause::NotStarted));
    }
}
