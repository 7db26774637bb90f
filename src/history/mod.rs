//! Drill history: what past drills of a runbook really took.
//!
//! [`load`] reads journals one event at a time ([`journal::stream`]) into a
//! [`Timeline`], folds it into a [`Drill`] (one small record per step) and
//! drops it, so memory grows with the number of steps and drills, never
//! with the number of events. `reprise plan --history` ([`forecast`])
//! turns the drills into per-step medians and 90th percentiles and a
//! forecast of the time to recovery; `reprise compare`
//! ([`crate::compare`]) sets drills side by side.
//!
//! What counts as a step's **actual time** in one drill (only steps that
//! ended `done` in that drill, and only when the drill measured them):
//!
//! - a manual step: from when it became ready (opened for the operator) to
//!   when its outcome was recorded;
//! - a command (`confirm` steps too): the sum of its attempts' running
//!   times, retries included (pauses between attempts and waiting for a
//!   confirmation are not the command's time).
//!
//! A step given on the command line (`--assume-done`) or never started has
//! no actual time. Dry runs measure nothing and are skipped.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration as StdDuration;

use jiff::Timestamp;

use crate::event::{Outcome, PlannedStep, RunResult};
use crate::journal;
use crate::runbook::{Duration, Mode, StepId, StepKind};
use crate::timeline::services::ServiceState;
use crate::timeline::{StepRecord, TimeSplit, Timeline, span};

pub mod candidates;
pub mod forecast;
mod render;
pub mod stats;
pub mod suggest;

/// One step as one drill saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRun {
    /// The step as planned in that drill's `run_started` (shared with
    /// the other drills that planned it the same way).
    pub planned: Arc<PlannedStep>,
    /// Its outcome, when recorded.
    pub outcome: Option<Outcome>,
    /// Its actual time (see the module comment), when it ended `done` and
    /// was measured.
    pub actual: Option<StdDuration>,
    /// Attempts of its command.
    pub attempts: u32,
    /// Why it was skipped or failed, when said.
    pub reason: Option<String>,
}

impl StepRun {
    /// Whether the step deviated from the plan in this drill: failed,
    /// skipped, aborted, or retried.
    pub fn deviation(&self) -> Option<Deviation> {
        match self.outcome {
            Some(Outcome::Failed) => Some(Deviation::Failed),
            Some(Outcome::Skipped) => Some(Deviation::Skipped),
            Some(Outcome::Aborted) => Some(Deviation::Aborted),
            _ if self.attempts > 1 => Some(Deviation::Retried(self.attempts)),
            _ => None,
        }
    }
}

/// How a step deviated in one drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deviation {
    /// Ended failed.
    Failed,
    /// Was skipped.
    Skipped,
    /// Was running or open when the drill was aborted.
    Aborted,
    /// Needed this many attempts.
    Retried(u32),
}

impl std::fmt::Display for Deviation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Deviation::Failed => f.write_str("failed"),
            Deviation::Skipped => f.write_str("skipped"),
            Deviation::Aborted => f.write_str("aborted"),
            Deviation::Retried(n) => write!(f, "{n} attempts"),
        }
    }
}

/// One service as one drill saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRun {
    /// Its name.
    pub name: String,
    /// Its RTO in that drill's plan.
    pub rto: Option<Duration>,
    /// Its RPO in that drill's plan.
    pub rpo: Option<Duration>,
    /// Whether every step restoring it was done.
    pub restored: bool,
    /// From the start of the drill to its restoration.
    pub time_to_recovery: Option<StdDuration>,
    /// Data lost: from its earliest restore point to the start of the
    /// drill, when a restore point was recorded.
    pub data_loss: Option<StdDuration>,
}

/// One past drill, as far as history needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Drill {
    /// The journal it was read from.
    pub path: PathBuf,
    /// The plan's name.
    pub name: String,
    /// The runbook path recorded.
    pub runbook: String,
    /// SHA-256 of the runbook at the start (and after a resume with
    /// `--allow-changed`, the last one recorded).
    pub runbook_sha256: String,
    /// When it started.
    pub started: Timestamp,
    /// Drill or incident.
    pub mode: Mode,
    /// How it ended; `None` when the journal stops early.
    pub result: Option<RunResult>,
    /// The RTO recorded in the plan.
    pub rto: Option<Duration>,
    /// From the start to the last step outcome, when it recovered or ended
    /// degraded.
    pub time_to_recovery: Option<StdDuration>,
    /// Where the time went, summed over the steps.
    pub split: TimeSplit,
    /// Every planned step, in the plan's order.
    pub steps: Vec<StepRun>,
    /// The steps added during the drill (`step_added`), in order.
    pub added: Vec<candidates::Added>,
    /// Each service of the plan recorded (`objectives.services`), in its
    /// order.
    pub services: Vec<ServiceRun>,
    /// The last line was torn and left out.
    pub torn: bool,
    /// The language of the runbook's reports (`lang:`), as recorded.
    pub lang: Option<String>,
    /// With `--force`: the journal is damaged at this line; what follows
    /// was left out.
    pub damaged_at: Option<usize>,
}

impl Drill {
    /// Folds a whole timeline (the journal read to its end); planned steps
    /// already in `shared` are shared rather than copied.
    pub fn from_timeline(path: &Path, t: &Timeline, shared: &mut SharedPlan) -> Option<Drill> {
        let h = t.header.as_ref()?;
        let now = t.as_of().unwrap_or(h.started);
        let sha = t
            .resumes
            .iter()
            .rev()
            .find_map(|r| r.runbook_sha256.clone())
            .unwrap_or_else(|| h.runbook_sha256.clone());
        Some(Drill {
            path: path.to_path_buf(),
            name: h.name.clone(),
            runbook: h.runbook.clone(),
            runbook_sha256: sha,
            started: h.started,
            mode: h.mode,
            result: t.result.map(|(_, r)| r),
            rto: h.rto,
            lang: h.exercise.lang.clone(),
            time_to_recovery: t.time_to_recovery(),
            split: t.total_split(now),
            steps: t
                .steps
                .iter()
                .map(|s| StepRun {
                    planned: shared.get(&s.planned),
                    outcome: s.outcome(),
                    actual: actual_time(s),
                    attempts: s.attempts.len() as u32,
                    reason: s.reason.clone(),
                })
                .collect(),
            added: candidates::Added::of(t),
            services: t
                .services()
                .iter()
                .map(|s| ServiceRun {
                    name: s.name.clone(),
                    rto: s.rto,
                    rpo: s.rpo,
                    restored: matches!(s.state, ServiceState::Restored(_)),
                    time_to_recovery: s.time_to_recovery(h.started),
                    data_loss: t.loss_reference().and_then(|to| s.data_loss(to)),
                })
                .collect(),
            torn: false,
            damaged_at: None,
        })
    }

    /// The run of step `id`, when this drill planned it.
    pub fn step(&self, id: &str) -> Option<&StepRun> {
        self.steps.iter().find(|s| s.planned.id.as_str() == id)
    }

    /// The journal's file name, for tables.
    pub fn label(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }
}

/// Planned steps met so far, so that drills of the same runbook hold one
/// copy of each: memory then grows with the steps, plus a small record per
/// step and drill.
#[derive(Debug, Default)]
pub struct SharedPlan {
    by_id: HashMap<StepId, Arc<PlannedStep>>,
}

impl SharedPlan {
    /// The shared copy of `p`, made on first sight (or when it changed).
    pub fn get(&mut self, p: &PlannedStep) -> Arc<PlannedStep> {
        if let Some(a) = self.by_id.get(&p.id)
            && **a == *p
        {
            return a.clone();
        }
        let a = Arc::new(p.clone());
        self.by_id.insert(p.id.clone(), a.clone());
        a
    }
}

/// A step's actual time in one drill (see the module comment).
pub fn actual_time(s: &StepRecord) -> Option<StdDuration> {
    if s.outcome() != Some(Outcome::Done) {
        return None;
    }
    match s.planned.kind {
        StepKind::Manual => Some(span(s.ready?, s.finished?)),
        StepKind::Command | StepKind::Confirm => {
            let mut total = StdDuration::ZERO;
            let mut any = false;
            for a in s.attempts.iter().filter(|a| a.start_known) {
                if let Some(end) = a.ended.or(a.cut) {
                    total += span(a.started, end);
                    any = true;
                }
            }
            any.then_some(total)
        }
    }
}

/// How journals are read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only drills of the plan with this name; others are skipped with a
    /// warning.
    pub name: Option<String>,
    /// Use damaged journals up to their damage (with a warning) instead of
    /// refusing them, and skip unreadable ones.
    pub force: bool,
}

/// What [`load`] read.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The drills, by start time (oldest first).
    pub drills: Vec<Drill>,
    /// What was skipped or left out, and why: one sentence each.
    pub warnings: Vec<String>,
}

/// Why journals cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A journal is damaged or unreadable (and `force` is off).
    #[error("{0}")]
    Journal(#[from] journal::Error),
    /// A file is not a drill's journal.
    #[error("{}: not a drill's journal: it does not begin with `run_started`", .0.display())]
    NotAJournal(PathBuf),
    /// A folder could not be listed.
    #[error("cannot list {}: {source}", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Nothing to read.
    #[error("no journal found in {}", .0.display())]
    Empty(PathBuf),
}

impl Error {
    /// Whether `--force` would get past it.
    pub fn forceable(&self) -> bool {
        matches!(
            self,
            Error::Journal(journal::Error::Damaged { .. }) | Error::NotAJournal(_)
        )
    }
}

/// The journal files named by `args`: files as given, folders for their
/// `*.jsonl` files (not recursive), sorted by name.
pub fn expand(args: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for arg in args {
        if arg.is_dir() {
            let entries = std::fs::read_dir(arg).map_err(|source| Error::Folder {
                path: arg.clone(),
                source,
            })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "jsonl") && p.is_file())
                .collect();
            if found.is_empty() {
                return Err(Error::Empty(arg.clone()));
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(arg.clone());
        }
    }
    Ok(files)
}

/// Reads every journal of `paths` (files or folders, see [`expand`]) into
/// drills, oldest first. Journals are read in parallel, one per thread
/// (at most one thread per CPU, four at most), each into its own small
/// timeline; what is kept and said does not depend on the order they
/// finish in.
pub fn load(paths: &[PathBuf], options: &Options) -> Result<Loaded, Error> {
    let files = expand(paths)?;
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(4)
        .min(files.len());
    let results: Vec<Read> = if threads <= 1 {
        let mut shared = SharedPlan::default();
        files
            .iter()
            .map(|p| read_one(p, options.force, &mut shared))
            .collect()
    } else {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let mut slots: Vec<Option<Read>> = (0..files.len()).map(|_| None).collect();
        std::thread::scope(|s| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let mut shared = SharedPlan::default();
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(path) = files.get(i) else { break };
                            done.push((i, read_one(path, options.force, &mut shared)));
                        }
                        done
                    })
                })
                .collect();
            for w in workers {
                let done = w.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
                for (i, r) in done {
                    slots[i] = Some(r);
                }
            }
        });
        slots.into_iter().flatten().collect()
    };
    let mut loaded = Loaded::default();
    for (path, result) in files.iter().zip(results) {
        match result {
            Ok((drill, warning)) => {
                loaded.warnings.extend(warning);
                if let Some(name) = &options.name
                    && &drill.name != name
                {
                    loaded.warnings.push(format!(
                        "{}: skipped: a drill of `{}`, not of `{name}`",
                        path.display(),
                        drill.name
                    ));
                    continue;
                }
                loaded.drills.push(drill);
            }
            Err(Skip::Dry) => loaded.warnings.push(format!(
                "{}: skipped: a dry run measures nothing",
                path.display()
            )),
            Err(Skip::Error(e)) if options.force && e.forceable() => {
                loaded.warnings.push(format!("{e}: skipped (--force)"))
            }
            Err(Skip::Error(e)) => return Err(e),
        }
    }
    loaded.drills.sort_by_key(|d| d.started);
    Ok(loaded)
}

/// One journal read: the drill and what was left out of it, or why it
/// was not used.
type Read = Result<(Drill, Option<String>), Skip>;

enum Skip {
    Dry,
    Error(Error),
}

impl From<journal::Error> for Skip {
    fn from(e: journal::Error) -> Self {
        Skip::Error(Error::Journal(e))
    }
}

/// Reads one journal; the warning says what was left out of it.
fn read_one(path: &Path, force: bool, shared: &mut SharedPlan) -> Read {
    let mut timeline = Timeline::new();
    let mut first = true;
    let mut not_a_drill = false;
    let streamed = journal::stream(path, |e| {
        if first {
            first = false;
            not_a_drill = !matches!(e.event, crate::event::Event::RunStarted { .. });
        }
        if !not_a_drill {
            timeline.apply(&e);
        }
    });
    if not_a_drill || (streamed.is_ok() && timeline.header.is_none()) {
        return Err(Skip::Error(Error::NotAJournal(path.to_path_buf())));
    }
    let (torn, damaged_at) = match streamed {
        Ok(torn) => (torn, None),
        Err(e @ journal::Error::Damaged { .. }) if force && timeline.header.is_some() => {
            (None, e.line().map(|l| (l, e.to_string())))
        }
        Err(e) => return Err(e.into()),
    };
    if timeline.header.as_ref().is_some_and(|h| h.dry_run) {
        return Err(Skip::Dry);
    }
    let mut drill = Drill::from_timeline(path, &timeline, shared)
        .ok_or_else(|| Skip::Error(Error::NotAJournal(path.to_path_buf())))?;
    drill.torn = torn.is_some();
    drill.damaged_at = damaged_at.as_ref().map(|(l, _)| *l);
    let warning = match (&torn, &damaged_at) {
        (_, Some((line, e))) => Some(format!(
            "{e}: used up to line {} (--force)",
            line.saturating_sub(1)
        )),
        (Some(t), None) => Some(format!("{}: {t}; it was left out", path.display())),
        _ => None,
    };
    Ok((drill, warning))
}

#[cfg(test)]
mod tests;
