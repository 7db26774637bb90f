//! Checking a journal's hash chain and sequence.
//!
//! Every line's `prev` is the SHA-256 of the line before it and its `seq`
//! counts from 0, so an edit anywhere breaks the chain at a predictable
//! place: an altered line breaks the `prev` of the line after it, a removed
//! line makes `seq` jump, an inserted one repeats or misplaces a `seq`, a
//! swap inverts two. The checks below read those patterns back to name the
//! line that was touched, not just the first line where the chain fails.
//!
//! What a bare chain cannot show: the end of a journal can be cut off (only
//! a missing `run_finished` hints at it), and someone who rewrites every line
//! from an edit onwards, recomputing the hashes, produces a valid chain.
//! The head hash printed by `reprise verify` (the hash of the last line),
//! copied elsewhere at the end of the drill, closes both gaps.

use jiff::Timestamp;

use super::{Error, GENESIS, Journal, Torn};
use crate::event::{Event, RunResult, Source};
use crate::runbook::Mode;

/// What an intact journal holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Number of events.
    pub events: usize,
    /// Plan name from `run_started`.
    pub name: String,
    /// Drill or incident.
    pub mode: Mode,
    /// Whether it was a dry run.
    pub dry_run: bool,
    /// When it started.
    pub started: Timestamp,
    /// How many times it was resumed.
    pub resumed: usize,
    /// The result, when it finished.
    pub result: Option<RunResult>,
    /// Hash of the last line: keep it elsewhere to detect a cut or rewritten
    /// tail later.
    pub head: String,
    /// An incomplete last line that was ignored.
    pub torn: Option<Torn>,
}

/// Checks the chain and the sequence of `journal`; the error names the
/// first line that was altered, removed, inserted, swapped or forged.
pub fn verify(journal: &Journal) -> Result<Summary, Error> {
    let mut chain = Chain::new(&journal.path);
    for entry in &journal.entries {
        chain.push(entry)?;
    }
    chain.finish(journal.torn.clone())
}

/// A journal read as a stream and checked as it was read.
#[derive(Debug)]
pub struct Streamed {
    /// The incomplete last line that was left out, if any.
    pub torn: Option<Torn>,
    /// What [`verify`] says of it: the first break of its chain, or its
    /// summary.
    pub chain: Result<Summary, Error>,
}

/// Reads the journal at `path` one line at a time, handing each complete
/// line to `each` and checking its chain as [`verify`] does, in memory
/// bounded by one line (what `report`, `status` and `verify` use, so that
/// a long journal costs time, not memory). A broken chain does not stop the
/// reading (`--force` shows such a journal); damage that makes a line
/// unreadable does, as an `Err`.
pub fn stream_verified(
    path: &std::path::Path,
    mut each: impl FnMut(&super::Entry),
) -> Result<Streamed, Error> {
    let mut chain = Chain::new(path);
    let mut broken = None;
    let torn = super::stream_entries(path, |entry| {
        if broken.is_none()
            && let Err(e) = chain.push(&entry)
        {
            broken = Some(e);
        }
        each(&entry);
        Ok(())
    })?;
    let chain = match broken {
        Some(e) => Err(e),
        None => chain.finish(torn.clone()),
    };
    Ok(Streamed { torn, chain })
}

/// What [`Chain`] keeps of one line: the chain's facts, not the event.
#[derive(Debug, Clone)]
struct Link {
    line: usize,
    seq: u64,
    prev: String,
    hash: String,
    /// What is wrong with the line's event where it stands, if anything
    /// (checked after its `seq` and `prev`, as [`verify`] reports them).
    problem: Option<String>,
}

/// The check of [`verify`], one line at a time: a journal read as a stream
/// ([`stream_entries`](super::stream_entries)) is verified while it is read,
/// in memory bounded by three lines' chain facts whatever its length.
///
/// Each line is judged once the line after it is known (a swap or an
/// insertion shows in the next line's `seq`), so an error can name the line
/// before the one just pushed.
#[derive(Debug)]
pub struct Chain {
    path: std::path::PathBuf,
    /// The hash of the line two before `pending` (what a forged insertion
    /// just before `pending` would have followed).
    before_last: Option<String>,
    /// The line before `pending`.
    last: Option<Link>,
    /// The line pushed last, not judged yet.
    pending: Option<Link>,
    /// Where `run_finished` was seen.
    finished: Option<usize>,
    events: usize,
    first: Option<(String, Mode, bool, Timestamp)>,
    first_line: usize,
    resumed: usize,
    result: Option<RunResult>,
}

impl Chain {
    /// A check of the journal at `path` (named in errors), nothing pushed.
    pub fn new(path: &std::path::Path) -> Self {
        Chain {
            path: path.to_path_buf(),
            before_last: None,
            last: None,
            pending: None,
            finished: None,
            events: 0,
            first: None,
            first_line: 0,
            resumed: 0,
            result: None,
        }
    }

    fn tampered(&self, line: usize, problem: String) -> Error {
        Error::Tampered {
            path: self.path.clone(),
            line,
            problem,
        }
    }

    /// Takes the next line; `Err` as soon as the chain is known to be
    /// broken (at this line or the one before it).
    pub fn push(&mut self, entry: &super::Entry) -> Result<(), Error> {
        let index = self.events;
        let line = entry.line;
        let event = &entry.stamped.event;
        let problem = match (event, index) {
            (Event::RunStarted { .. }, 0) => None,
            (other, 0) => Some(format!(
                "line {line} is `{}`: a journal starts with `run_started`",
                other.name()
            )),
            (Event::RunStarted { .. }, _) => Some(format!(
                "line {line} is a second `run_started`: one drill per journal"
            )),
            (event, _) => paper_mark(event)
                .or_else(|| observer_mark(event))
                .map(|p| format!("line {line} {p}")),
        };
        let problem = problem.or_else(|| {
            let end = self.finished.filter(|_| !event.may_follow_end())?;
            Some(format!(
                "line {line} comes after `run_finished` on line {end}: only the debrief's records (`criterion_assessed`, `action_recorded`) and alerts' attempts (`notification_sent`, `notification_failed`) follow the end of a drill",
            ))
        });
        match event {
            Event::RunFinished { result } => {
                // An error on an earlier line is reported first; the end
                // only counts from where it is.
                if self.result.is_none() {
                    self.result = Some(*result);
                }
                self.finished = Some(line);
            }
            Event::RunResumed { .. } => self.resumed += 1,
            Event::RunStarted {
                name,
                mode,
                dry_run,
                ..
            } if index == 0 => {
                self.first = Some((name.clone(), *mode, *dry_run, entry.stamped.time));
                self.first_line = line;
            }
            _ => {}
        }
        let link = Link {
            line,
            seq: entry.seq,
            prev: entry.prev.clone(),
            hash: entry.hash.clone(),
            problem,
        };
        self.events += 1;
        let next = Some(link);
        self.judge(next.as_ref())?;
        self.before_last = self.last.take().map(|l| l.hash);
        self.last = self.pending.take();
        self.pending = next;
        Ok(())
    }

    /// Judges `pending` now that the line after it (`next`) is known.
    fn judge(&self, next: Option<&Link>) -> Result<(), Error> {
        let Some(entry) = &self.pending else {
            return Ok(());
        };
        let line = entry.line;
        let expected = self.events as u64 - 1 - u64::from(next.is_some());
        let genesis = || GENESIS.to_string();
        // The hash the pending line must follow.
        let hash_before = self.last.as_ref().map_or_else(genesis, |l| l.hash.clone());
        if entry.seq != expected {
            // A forged line with a well-chosen seq and prev pushed this one
            // down: this line still follows the one before the intruder.
            if let Some(last) = &self.last {
                let before_intruder = self.before_last.clone().unwrap_or_else(genesis);
                if entry.prev == before_intruder {
                    return Err(self.tampered(
                        last.line,
                        format!(
                            "line {} was inserted: line {line} follows line {} directly",
                            last.line,
                            line.saturating_sub(2)
                        ),
                    ));
                }
            }
            if entry.seq == expected + 1 && next.is_some_and(|n| n.seq == expected) {
                return Err(self.tampered(
                    line,
                    format!(
                        "lines {line} and {} are swapped (seq {} comes before seq {expected})",
                        line + 1,
                        entry.seq
                    ),
                ));
            }
            if next.is_some_and(|n| n.seq == expected) {
                return Err(self.tampered(
                    line,
                    format!(
                        "line {line} was inserted: its seq is {} and the line after it has the seq expected here ({expected})",
                        entry.seq
                    ),
                ));
            }
            if entry.seq > expected {
                let missing = entry.seq - expected;
                return Err(self.tampered(
                    line,
                    format!(
                        "{missing} line{} removed before line {line}: seq jumps from {} to {}",
                        if missing == 1 { " was" } else { "s were" },
                        expected as i128 - 1,
                        entry.seq
                    ),
                ));
            }
            return Err(self.tampered(
                line,
                format!(
                    "line {line} was inserted or altered: its seq is {}, expected {expected}",
                    entry.seq
                ),
            ));
        }
        if entry.prev != hash_before {
            let Some(last) = &self.last else {
                return Err(self.tampered(
                    line,
                    format!("line {line} was altered: the first line's prev must be 64 zeros"),
                ));
            };
            let before = last.line;
            return Err(match next.map(|n| n.prev == entry.hash) {
                // The line after this one still chains to it: this line is
                // as written, so the one before it changed.
                Some(true) => self.tampered(
                    before,
                    format!(
                        "line {before} was altered: its hash no longer matches the prev of line {line}"
                    ),
                ),
                Some(false) => self.tampered(
                    line,
                    format!(
                        "line {line} was altered: its prev does not match line {before}, and line {}'s prev does not match it",
                        line + 1
                    ),
                ),
                // Nothing after it to tell which: name the earlier candidate.
                None => self.tampered(
                    before,
                    format!(
                        "line {before} was altered, or the last line ({line}) was forged or altered: line {line}'s prev does not match line {before}"
                    ),
                ),
            });
        }
        match &entry.problem {
            Some(problem) => Err(self.tampered(line, problem.clone())),
            None => Ok(()),
        }
    }

    /// Ends the check after the last complete line (`torn`: the incomplete
    /// line after it, left out).
    pub fn finish(self, torn: Option<Torn>) -> Result<Summary, Error> {
        self.judge(None)?;
        let Some(pending) = &self.pending else {
            return Err(Error::Empty { path: self.path });
        };
        let Some((name, mode, dry_run, started)) = self.first else {
            // Checked line by line; kept as an error rather than a panic.
            return Err(self.tampered(self.first_line.max(1), "line 1 is not `run_started`".into()));
        };
        Ok(Summary {
            events: self.events,
            name,
            mode,
            dry_run,
            started,
            resumed: self.resumed,
            result: self.result,
            head: pending.hash.clone(),
            torn,
        })
    }
}

/// A record transcribed from paper says so both ways (`source: paper` and
/// `transcribed_at`), and `step_began` exists only on paper: a record that
/// passes for one without the other was not written by `reprise transcribe`.
fn paper_mark(event: &Event) -> Option<String> {
    let (source, origin) = match event {
        Event::StepBegan { source, origin, .. } => {
            if *source != Source::Paper {
                return Some(format!(
                    "is a `step_began` with `source: {}`: only paper records have it",
                    serde_json::to_value(source).ok()?.as_str()?
                ));
            }
            (source, origin)
        }
        Event::StepFinished { source, origin, .. }
        | Event::Decision { source, origin, .. }
        | Event::RestorePoint { source, origin, .. } => (source, origin),
        _ => return None,
    };
    match (*source == Source::Paper, origin.transcribed_at.is_some()) {
        (true, false) => Some(format!(
            "is a `{}` from paper without `transcribed_at`",
            event.name()
        )),
        (false, true) => Some(format!(
            "is a `{}` with `transcribed_at` that is not from paper",
            event.name()
        )),
        _ => None,
    }
}

/// An observer (`attach --observer`) records notes, and comes and goes:
/// `observer: true` on any other record was not written by reprise.
fn observer_mark(event: &Event) -> Option<String> {
    if matches!(
        event,
        Event::Note { .. } | Event::OperatorAttached { .. } | Event::OperatorDetached { .. }
    ) {
        return None;
    }
    let value = serde_json::to_value(event).ok()?;
    (value.get("observer") == Some(&serde_json::Value::Bool(true))).then(|| {
        format!(
            "is a `{}` marked `observer`: an observer records only notes",
            event.name()
        )
    })
}

#[cfg(test)]
mod tests;
