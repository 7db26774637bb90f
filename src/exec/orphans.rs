//! What a command leaves behind when it detaches: found, killed and reaped.
//!
//! Every attempt runs in its own process group, which a timeout, an abort
//! or the end of its main process kills whole. A process that leaves the
//! group (`setsid`, or `setpgid`; a double fork keeps the group) escapes
//! that. So reprise makes itself a *child subreaper*
//! (`PR_SET_CHILD_SUBREAPER`, [`become_subreaper`]): a process whose parent
//! dies is re-parented to reprise instead of to init, and stays reprise's
//! to reap. Every attempt's environment carries
//! [`ENV`]` = `[`token`] (reprise's pid, the step, the attempt), which its
//! descendants inherit: when an attempt ends *failed* (an exit code other
//! than 0, a signal: a timeout, an abort), [`kill_left`] kills every
//! process carrying its token, with its process group, and [`reap`]
//! collects those re-parented to reprise.
//!
//! An attempt that succeeds keeps what it detached: a step may start a
//! service that way on purpose. What remains out of reach is said in
//! `docs/reliability.md`.

use std::sync::Mutex;

use nix::sys::signal::{Signal, kill, killpg};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{Pid, getpgid, getpgrp};

use crate::runbook::StepIndex;

/// The environment variable that marks an attempt's processes.
pub const ENV: &str = "REPRISE_ATTEMPT";

/// Processes killed and not reaped yet.
static KILLED: Mutex<Vec<Pid>> = Mutex::new(Vec::new());

/// Makes this process the subreaper of its descendants (Linux; elsewhere,
/// or when refused, orphans go to init as before and are still killed).
pub fn become_subreaper() {
    #[cfg(target_os = "linux")]
    if let Err(e) = nix::sys::prctl::set_child_subreaper(true) {
        tracing::warn!(
            "cannot become a child subreaper ({e}): processes a step detaches are found only while their parent lives"
        );
    }
}

/// Spawns so far in this process: what makes each token unique.
static SPAWNS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The value of [`ENV`] for one attempt of one step of this drill:
/// reprise's pid, the step, the attempt, and a number of its own, so that
/// two spawners in one process (the unit tests run many at once) never
/// kill each other's commands.
pub fn token(step: StepIndex, attempt: u32) -> String {
    let n = SPAWNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}/{}/{attempt}/{n}", std::process::id(), step.0)
}

/// Kills every process left by the attempt with `token`: each process
/// whose environment carries it (re-parented to reprise, or not yet: its
/// parent may be dying too), with its process group. Returns how many were
/// found.
pub fn kill_left(token: &str) -> usize {
    let mark = format!("{ENV}={token}");
    let ours = getpgrp();
    let mut found = 0;
    for pid in processes() {
        if !carries(pid, &mark) {
            continue;
        }
        found += 1;
        if let Ok(group) = getpgid(Some(pid))
            && group != ours
        {
            let _ = killpg(group, Signal::SIGKILL);
        }
        let _ = kill(pid, Signal::SIGKILL);
        KILLED.lock().unwrap_or_else(|e| e.into_inner()).push(pid);
    }
    if found > 0 {
        tracing::info!("killed {found} process(es) detached by attempt {token}");
    }
    reap();
    found
}

/// Reaps the processes [`kill_left`] killed that have ended (they were
/// re-parented to reprise: nobody else will).
pub fn reap() {
    let mut killed = KILLED.lock().unwrap_or_else(|e| e.into_inner());
    killed.retain(|&pid| {
        matches!(
            waitpid(pid, Some(WaitPidFlag::WNOHANG)),
            Ok(WaitStatus::StillAlive) | Err(nix::errno::Errno::EINTR)
        )
    });
}

/// Every process this user may look at (the others' environment cannot be
/// read anyway).
fn processes() -> Vec<Pid> {
    let me = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pid != me)
        .filter_map(|pid| i32::try_from(pid).ok().map(Pid::from_raw))
        .collect()
}

/// Whether `pid`'s environment holds `mark` (`NAME=value`) as a whole
/// entry.
fn carries(pid: Pid, mark: &str) -> bool {
    std::fs::read(format!("/proc/{pid}/environ"))
        .is_ok_and(|env| env.split(|&b| b == 0).any(|e| e == mark.as_bytes()))
}
