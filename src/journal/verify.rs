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
mod tests {
    use std::path::Path;

    use super::*;
    use crate::journal::{fixtures, read_bytes};

    /// A finished journal of six lines, as bytes, one entry per line.
    fn lines() -> Vec<String> {
        let bytes = fixtures::journal_bytes(&fixtures::drill(4));
        String::from_utf8(bytes)
            .unwrap()
            .lines()
            .map(|l| format!("{l}\n"))
            .collect()
    }

    fn check(lines: &[String]) -> Result<Summary, Error> {
        let journal = read_bytes(Path::new("j.jsonl"), lines.concat().as_bytes())?;
        verify(&journal)
    }

    #[track_caller]
    fn bad_line(lines: &[String]) -> (usize, String) {
        let err = check(lines).expect_err("tampering must be detected");
        (err.line().expect("the error names a line"), err.to_string())
    }

    #[test]
    fn paper_records_must_carry_both_marks() {
        use crate::event::{Outcome, Stamped};
        use crate::identity::Origin;
        use crate::runbook::StepId;
        let marked = Origin {
            transcribed_at: Some(Timestamp::UNIX_EPOCH),
            ..Origin::default()
        };
        let began = |source, origin: &Origin| Stamped {
            time: Timestamp::UNIX_EPOCH,
            event: Event::StepBegan {
                step: StepId::new("s1"),
                by: "JD".into(),
                origin: origin.clone(),
                source,
            },
        };
        let finished = |source, origin: &Origin| Stamped {
            time: Timestamp::UNIX_EPOCH,
            event: Event::StepFinished {
                step: StepId::new("s1"),
                outcome: Outcome::Done,
                exit_code: None,
                reason: None,
                by: "JD".into(),
                origin: origin.clone(),
                source,
                attempts: 0,
                output_tail: vec![],
            },
        };
        let journal = |e: Stamped| {
            let bytes = fixtures::journal_bytes(&[fixtures::started(1), e]);
            verify(&read_bytes(Path::new("j.jsonl"), &bytes).unwrap())
        };
        assert!(journal(began(Source::Paper, &marked)).is_ok());
        assert!(journal(finished(Source::Paper, &marked)).is_ok());
        for (e, expected) in [
            (
                began(Source::Operator, &marked),
                "line 2 is a `step_began` with `source: operator`",
            ),
            (
                began(Source::Paper, &Origin::default()),
                "line 2 is a `step_began` from paper without `transcribed_at`",
            ),
            (
                finished(Source::Paper, &Origin::default()),
                "line 2 is a `step_finished` from paper without `transcribed_at`",
            ),
            (
                finished(Source::Command, &marked),
                "line 2 is a `step_finished` with `transcribed_at` that is not from paper",
            ),
        ] {
            let err = journal(e).unwrap_err().to_string();
            assert!(err.contains(expected), "{err}");
        }
    }

    #[test]
    fn only_notes_and_comings_and_goings_may_be_an_observers() {
        use crate::event::{Outcome, Source, Stamped};
        use crate::identity::Origin;
        let observer = Origin {
            account: Some("audit1".into()),
            observer: true,
            ..Origin::default()
        };
        let journal = |event: Event| {
            let e = Stamped {
                time: Timestamp::UNIX_EPOCH,
                event,
            };
            let bytes = fixtures::journal_bytes(&[fixtures::started(1), e]);
            verify(&read_bytes(Path::new("j.jsonl"), &bytes).unwrap())
        };
        let note = Event::Note {
            text: "the vendor took 40 min to answer".into(),
            by: "auditor".into(),
            origin: observer.clone(),
            step: None,
        };
        assert!(journal(note).is_ok());
        let finished = Event::StepFinished {
            step: crate::runbook::StepId::new("s1"),
            outcome: Outcome::Done,
            exit_code: None,
            reason: None,
            by: "auditor".into(),
            origin: observer,
            source: Source::Operator,
            attempts: 0,
            output_tail: Vec::new(),
        };
        let err = journal(finished).unwrap_err().to_string();
        assert!(
            err.contains("line 2 is a `step_finished` marked `observer`"),
            "{err}"
        );
    }

    #[test]
    fn an_untouched_journal_is_intact() {
        let s = check(&lines()).unwrap();
        assert_eq!(s.events, 6);
        assert_eq!(s.name, "fixture");
        assert_eq!(s.result, Some(RunResult::Recovered));
        assert_eq!(s.head, crate::journal::line_hash(lines()[5].as_bytes()));
    }

    #[test]
    fn a_changed_byte_names_the_changed_line() {
        for target in 0..5 {
            let mut l = lines();
            l[target] = l[target].replacen("2026-11-29T08:", "2026-11-29T09:", 1);
            let (line, text) = bad_line(&l);
            assert_eq!(line, target + 1, "{text}");
            assert!(text.contains("altered"), "{text}");
        }
    }

    /// Approvals and records made for another role are chained like the
    /// rest: a forged count or role is found.
    #[test]
    fn approvals_and_roles_are_covered() {
        use crate::event::{Event, Stamped};
        let mut events = fixtures::drill(2);
        let approval = |count, time: &str| Stamped {
            time: time.parse().unwrap(),
            event: Event::Approval {
                step: crate::runbook::StepId::new("s2"),
                approved: true,
                reason: None,
                by: "stor1".into(),
                origin: crate::identity::Origin {
                    account: Some("stor1".into()),
                    from: None,
                    for_role: Some("storage".into()),
                    transcribed_at: None,
                    observer: false,
                },
                count,
                needed: 2,
            },
        };
        events.insert(2, approval(1, "2026-11-29T08:00:01.500Z"));
        if let Event::StepFinished { origin, .. } = &mut events[3].event {
            origin.for_role = Some("storage".into());
        }
        let text = String::from_utf8(fixtures::journal_bytes(&events)).unwrap();
        assert!(text.contains(r#""event":"approval""#), "{text}");
        assert!(text.contains(r#""for_role":"storage""#), "{text}");
        let l: Vec<String> = text.lines().map(|l| format!("{l}\n")).collect();
        assert_eq!(check(&l).unwrap().events, events.len());
        for (from, to) in [
            (r#""count":1"#, r#""count":2"#),
            (r#""for_role":"storage""#, r#""for_role":"lab""#),
        ] {
            let mut forged = l.clone();
            let i = forged.iter().position(|x| x.contains(from)).unwrap();
            forged[i] = forged[i].replacen(from, to, 1);
            let (line, text) = bad_line(&forged);
            assert_eq!(line, i + 1, "{text}");
        }
    }

    /// An added step's definition is chained like the rest: a forged
    /// `before` (a step that did not wait) or command is found.
    #[test]
    fn added_steps_are_covered() {
        use crate::event::{Event, Stamped};
        use crate::runbook::{PhaseId, StepId, StepKind};
        let mut events = fixtures::drill(2);
        events.insert(
            2,
            Stamped {
                time: "2026-11-29T08:00:01.500Z".parse().unwrap(),
                event: Event::StepAdded {
                    step: StepId::new("added-3"),
                    number: 3,
                    added: Box::new(crate::event::AddedStep {
                        title: "Restore vol7".into(),
                        phase: PhaseId::new("main"),
                        kind: StepKind::Confirm,
                        run: Some("restore vol7".into()),
                        timeout: None,
                        role: None,
                        estimate: None,
                        after: vec![StepId::new("s1")],
                        before: vec![StepId::new("s2")],
                    }),
                    reason: "vol7 is corrupted".into(),
                    by: "alice".into(),
                    origin: Default::default(),
                },
            },
        );
        let text = String::from_utf8(fixtures::journal_bytes(&events)).unwrap();
        assert!(text.contains(r#""event":"step_added""#), "{text}");
        let l: Vec<String> = text.lines().map(|l| format!("{l}\n")).collect();
        assert_eq!(check(&l).unwrap().events, events.len());
        for (from, to) in [
            (r#""before":["s2"]"#, r#""before":["s1"]"#),
            (r#""run":"restore vol7""#, r#""run":"rm -rf /""#),
        ] {
            let mut forged = l.clone();
            let i = forged.iter().position(|x| x.contains(from)).unwrap();
            forged[i] = forged[i].replacen(from, to, 1);
            let (line, text) = bad_line(&forged);
            assert_eq!(line, i + 1, "{text}");
        }
    }

    #[test]
    fn a_changed_prev_names_its_line() {
        let mut l = lines();
        let at = l[2].find("\"prev\":\"").unwrap() + 8;
        let flipped = if &l[2][at..at + 1] == "a" { "b" } else { "a" };
        l[2].replace_range(at..at + 1, flipped);
        let (line, text) = bad_line(&l);
        assert_eq!(line, 3, "{text}");
    }

    #[test]
    fn a_deleted_line_is_named_where_it_was() {
        for target in 0..6 {
            let mut l = lines();
            l.remove(target);
            if target == 5 {
                // The tail can be cut without a trace in the chain: the
                // result is simply gone.
                assert_eq!(check(&l).unwrap().result, None);
                continue;
            }
            let (line, text) = bad_line(&l);
            assert_eq!(line, target + 1, "{text}");
            assert!(text.contains("removed"), "{text}");
        }
    }

    #[test]
    fn swapped_lines_are_named() {
        for target in 0..5 {
            let mut l = lines();
            l.swap(target, target + 1);
            let (line, text) = bad_line(&l);
            assert_eq!(line, target + 1, "{text}");
            assert!(text.contains("swapped"), "{text}");
        }
    }

    #[test]
    fn an_inserted_copy_is_named() {
        let mut l = lines();
        let copy = l[1].clone();
        l.insert(3, copy);
        let (line, text) = bad_line(&l);
        assert_eq!(line, 4, "{text}");
        assert!(text.contains("inserted"), "{text}");
    }

    #[test]
    fn a_well_forged_insertion_is_named() {
        // The forger gives the intruder the right seq and prev.
        let l = lines();
        let mut forged = l[..3].to_vec();
        let seq_fixed = l[2].replacen("\"seq\":2,", "\"seq\":3,", 1);
        let intruder = seq_fixed.replacen(
            &format!(
                "\"prev\":\"{}\"",
                crate::journal::line_hash(l[1].as_bytes())
            ),
            &format!(
                "\"prev\":\"{}\"",
                crate::journal::line_hash(l[2].as_bytes())
            ),
            1,
        );
        forged.push(intruder);
        forged.extend_from_slice(&l[3..]);
        let (line, text) = bad_line(&forged);
        assert_eq!(line, 4, "{text}");
    }

    #[test]
    fn a_forged_append_is_named() {
        // Naive: a copy of an earlier line.
        let mut l = lines();
        l.push(l[2].clone());
        assert_eq!(bad_line(&l).0, 7);

        // Careful: right seq and prev, but after the end of the drill.
        let mut l = lines();
        let last = crate::journal::line_hash(l[5].as_bytes());
        let at = l[2].find("\"prev\":\"").unwrap();
        let forged = format!(
            "{}\"prev\":\"{last}\"}}\n",
            l[2][..at].replacen("\"seq\":2,", "\"seq\":6,", 1)
        );
        l.push(forged);
        let (line, text) = bad_line(&l);
        assert_eq!(line, 7, "{text}");
        assert!(text.contains("after `run_finished`"), "{text}");
    }

    #[test]
    fn a_journal_must_start_with_run_started() {
        let mut v = fixtures::drill(1);
        v.remove(0);
        let bytes = fixtures::journal_bytes(&v);
        let err = verify(&read_bytes(Path::new("j.jsonl"), &bytes).unwrap()).unwrap_err();
        assert_eq!(err.line(), Some(1));
        assert!(
            err.to_string().contains("starts with `run_started`"),
            "{err}"
        );
    }

    #[test]
    fn an_empty_journal_is_an_error() {
        let j = read_bytes(Path::new("j.jsonl"), b"").unwrap();
        assert!(matches!(verify(&j), Err(Error::Empty { .. })));
    }

    /// `report`, `status` and `verify` check the chain as they stream the
    /// journal: the same verdict, line and words as the whole journal's,
    /// for every edit these tests make, and every event handed over.
    #[test]
    fn the_streamed_check_says_what_the_whole_one_says() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut variants = vec![lines()];
        for target in 0..6 {
            let mut l = lines();
            l.remove(target);
            variants.push(l);
            let mut l = lines();
            l[target] = l[target].replacen("alice", "mallory", 1);
            variants.push(l);
            let mut l = lines();
            l.insert(target, l[target].clone());
            variants.push(l);
        }
        for target in 0..5 {
            let mut l = lines();
            l.swap(target, target + 1);
            variants.push(l);
        }
        for l in variants {
            std::fs::write(&path, l.concat()).unwrap();
            let whole = crate::journal::read(&path).unwrap();
            let mut seen = 0;
            let streamed = stream_verified(&path, |_| seen += 1).unwrap();
            assert_eq!(seen, whole.entries.len());
            match (verify(&whole), streamed.chain) {
                (Ok(a), Ok(b)) => assert_eq!(a, b),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("whole: {a:?}, streamed: {b:?}"),
            }
        }
    }
}
