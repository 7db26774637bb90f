//! The commands an interrupted drill left running, stopped before
//! `resume` runs their steps again.

use std::path::Path;

use fluent_templates::fluent_bundle::FluentValue;

use super::said;
use crate::event::Stamped;
use crate::i18n::Lang;
use crate::journal;

/// Commands of the interrupted run may still be running: they live in their
/// own process groups, which a SIGKILL of reprise (or a closed terminal)
/// does not reach. Running an interrupted step again beside its old copy
/// would run it twice at once, so the old copy is stopped first (SIGTERM to
/// the group, a grace, SIGKILL). Only groups on this machine whose leader,
/// if still there, started when the journal says: a pid reused since then
/// is left alone.
/// Each one stopped is said, with the last lines it wrote to its step log
/// in `log_dir` (how far a restore got before it was ended).
pub(super) fn stop<'a>(events: impl IntoIterator<Item = &'a Stamped>, log_dir: &Path, lang: Lang) {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;

    let here = journal::hostname();
    for l in journal::resume::leftovers(events) {
        let Ok(raw) = i32::try_from(l.pid) else {
            continue;
        };
        let group = Pid::from_raw(raw);
        if l.host != here || raw <= 1 || !group_alive(raw) {
            continue;
        }
        // While any member of the group lives, its id is not reused; a live
        // leader must have started with the attempt.
        if let Some(started) = process_start(l.pid) {
            let recorded = l.started.as_second();
            if started < recorded - 5 || started > recorded + 1 {
                continue;
            }
        }
        let what = if l.attempt == 0 {
            lang.tr("resume-leftover-rollback")
        } else {
            lang.tr_args(
                "resume-leftover-attempt",
                &[("n", FluentValue::from(l.attempt))],
            )
        };
        let tail = journal::tail::attempt_tail(log_dir, l.step.as_str(), l.attempt, LEFTOVER_TAIL);
        eprintln!(
            "{}",
            lang.tr_args(
                "resume-leftover",
                &[
                    ("step", said(l.step.as_str())),
                    ("what", FluentValue::from(what)),
                    // A number as written, not grouped as a count.
                    ("pgid", FluentValue::from(l.pid.to_string())),
                    (
                        "tail",
                        FluentValue::from(lang.tr(if tail.is_empty() {
                            "resume-leftover-silent"
                        } else {
                            "resume-leftover-output"
                        })),
                    ),
                ],
            )
        );
        for line in &tail {
            eprintln!("    │ {line}");
        }
        let _ = killpg(group, Signal::SIGTERM);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while group_alive(raw) && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        if group_alive(raw) {
            let _ = killpg(group, Signal::SIGKILL);
        }
    }
}

/// How many of a stopped leftover's last log lines are shown.
const LEFTOVER_TAIL: usize = 3;

/// Whether a process group has a live member (zombies, which only wait to
/// be reaped by their parent, do not count).
fn group_alive(pgid: i32) -> bool {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return false;
    };
    dir.filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
        .any(|stat| {
            // After the command name: state (field 3), ppid, pgrp (field 5).
            let Some(after) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
                return false;
            };
            let mut fields = after.split_whitespace();
            let state = fields.next();
            let pgrp = fields.nth(1).and_then(|f| f.parse::<i32>().ok());
            pgrp == Some(pgid) && !matches!(state, Some("Z" | "X"))
        })
}

/// When a process started (Unix seconds), from `/proc`.
fn process_start(pid: u32) -> Option<i64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces, in parentheses):
    // state is field 3, starttime field 22 (clock ticks since boot).
    let after = &stat[stat.rfind(')')? + 1..];
    let ticks: i64 = after.split_whitespace().nth(19)?.parse().ok()?;
    let boot: i64 = std::fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))?
        .trim()
        .parse()
        .ok()?;
    // USER_HZ, the unit of /proc times, is 100 on every Linux ABI.
    Some(boot + ticks / 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_start_time_is_read_from_proc() {
        let started = process_start(std::process::id()).expect("this process has a start time");
        let now = jiff::Timestamp::now().as_second();
        // This test process started today, not in the future.
        assert!(
            started <= now + 1 && started > now - 86_400,
            "{started} vs {now}"
        );
        assert_eq!(process_start(u32::MAX), None);
    }
}
