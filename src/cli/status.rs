//! `reprise status`: a read-only view of a drill from its journal, for the
//! rest of the crisis cell in another terminal. It takes no lock and never
//! writes; `--follow` re-reads the journal as it grows.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration as StdDuration;

use jiff::Timestamp;

use crate::event::{Event, RunResult, Stamped};
use crate::exit;
use crate::journal;
use crate::runbook::{Duration, StepKind};
use crate::timeline::{RtoVerdict, StepRecord, StepState, Timeline};

mod services;

/// Show where a drill stands: every step's state, open manual steps,
/// elapsed time against the RTO.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  reprise status journals/postgres-failover-20261129T080000Z.jsonl
  reprise status --follow journals/postgres-failover-20261129T080000Z.jsonl

Read only: it takes no lock and never writes, so the rest of the crisis cell \
can follow a drill from another terminal while it runs. With --follow, a \
terminal is redrawn every half second; a pipe gets one line per new event.

A journal whose hash chain is broken (edited after it was written) is \
refused with exit 2; --force shows it anyway, marked unverified.

Exit codes: 0 shown, 2 unreadable, damaged or edited journal. With --follow, once \
the drill finishes: its result, as `reprise run` gives it (0 recovered, 1 \
degraded, 3 aborted).")]
pub struct Args {
    /// The drill's journal.
    #[arg(value_name = "JOURNAL")]
    pub journal: PathBuf,

    /// Keep watching: redraw as the journal grows, until the drill finishes
    /// (or Ctrl-C).
    #[arg(short, long)]
    pub follow: bool,

    /// Serve a live, read-only page of the drill for a wall screen, at
    /// ADDR (default 127.0.0.1:8080), until Ctrl-C.
    #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = "127.0.0.1:8080", conflicts_with = "follow")]
    pub serve: Option<String>,

    /// With --serve: require this token in every request's URL
    /// (`?token=…`); `--token` alone makes a random one. Printed at start.
    #[arg(long, value_name = "TOKEN", num_args = 0..=1, default_missing_value = "", requires = "serve")]
    pub token: Option<String>,

    /// Show a journal whose hash chain is broken (it was edited), marked
    /// unverified, instead of refusing it.
    #[arg(long)]
    pub force: bool,
}

/// How often `--follow` looks at the journal.
const POLL: StdDuration = StdDuration::from_millis(500);

pub fn run(args: Args) -> super::Result {
    if let Some(addr) = &args.serve {
        // The wall screen is taken as the truth by a whole room: an edited
        // journal is refused there too.
        let journal = journal::read(&args.journal).map_err(super::verify::error)?;
        super::integrity::warn(&super::integrity::check(
            &journal,
            args.force,
            "status --serve",
        )?);
        drop(journal);
        return super::serve::run(&args.journal, addr, args.token.as_deref());
    }
    // Read as a stream, the chain checked as it goes: memory follows the
    // steps and what people did, not the journal's length (the log needs
    // only the plan, holds and the records it lists).
    let mut timeline = Timeline::new();
    let mut people = Vec::new();
    let mut lines = 0;
    let streamed = journal::stream_verified(&args.journal, |entry| {
        lines += 1;
        timeline.apply(&crate::escape::stamped(&entry.stamped));
        if Log::reads(&entry.stamped.event) {
            people.push(entry.stamped.clone());
        }
    })
    .map_err(super::verify::error)?;
    if let Some(torn) = &streamed.torn {
        // While a drill writes, the last line may be caught half-written:
        // not worth a warning when following.
        if !args.follow {
            eprintln!("warning: {}: {torn}; it is ignored", args.journal.display());
        }
    }
    let unverified = super::integrity::judge(streamed.chain, &args.journal, args.force, "status")?;
    super::integrity::warn(&unverified);
    let log = Log::from_events(people.iter());
    drop(people);
    if timeline.header.is_none() {
        return Err(super::Error::invalid(format!(
            "journal {} does not start with `run_started`",
            args.journal.display()
        )));
    }
    let live = live_holder(&args.journal);
    let width = terminal_width();
    let view = render(
        &timeline,
        Timestamp::now(),
        live.as_deref(),
        &args.journal,
        &log,
    );
    super::print(&fit(&marked(&view, unverified.as_deref()), width))?;
    if !args.follow {
        return Ok(exit::SUCCESS);
    }
    let result = match timeline.result {
        Some((_, result)) => result,
        None => follow(&args.journal, lines, args.force, unverified.is_some())?,
    };
    // Following is waiting for the drill: its end is the answer, for a
    // script as much as for a person.
    Ok(match result {
        RunResult::Recovered => exit::SUCCESS,
        RunResult::Degraded => exit::DEGRADED,
        RunResult::Aborted => exit::ABORTED,
    })
}

/// The width of the terminal on standard output, `None` for a pipe (lines
/// are then whole).
fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let (_, cols) = console::Term::stdout().size();
    Some(usize::from(cols.max(20)))
}

/// Every line cut to `width` columns (with `…`): a wrapped line would
/// scroll the view's top off a small terminal.
fn fit(text: &str, width: Option<usize>) -> String {
    let Some(width) = width else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(&console::truncate_str(line, width - 1, "…"));
        out.push('\n');
    }
    out
}

/// Where `word` first stands on its own in `line` (after a space, before
/// a space, a colon or the end).
fn word_at(line: &str, word: &str) -> Option<usize> {
    line.match_indices(word).map(|(i, _)| i).find(|&i| {
        let after = &line[i + word.len()..];
        line[..i].ends_with(' ') && (after.is_empty() || after.starts_with([' ', ':']))
    })
}

/// What people did, from the journal: the latest notes, decisions,
/// handovers, holds and changes to the plan, and whether the drill is
/// held now.
#[derive(Debug, Default)]
pub struct Log {
    /// `08:14:02 #3 restart-app: alice decided: retry (port held)`, oldest
    /// first, at most [`Log::KEEP`].
    pub recent: Vec<String>,
    /// `since 08:20:00 by alice: vendor on site at 7:00`, while held.
    pub held: Option<String>,
}

impl Log {
    /// How many recent entries are kept.
    const KEEP: usize = 8;

    /// Whether [`Log::from_events`] reads `event` at all (the others can
    /// be left out of what it is given).
    fn reads(event: &Event) -> bool {
        matches!(event, Event::RunStarted { .. } | Event::RunFinished { .. }) || Self::worth(event)
    }

    /// Whether `event` is one of the records the log lists.
    fn worth(event: &Event) -> bool {
        matches!(
            event,
            Event::Decision { .. }
                | Event::Note { .. }
                | Event::Handover { .. }
                | Event::RunHeld { .. }
                | Event::RunReleased { .. }
                | Event::StepCancelled { .. }
                | Event::EstimateRevised { .. }
                | Event::StepAssigned { .. }
                | Event::AbortRequested { .. }
                | Event::RunStopped { .. }
                | Event::RunResumed { .. }
        )
    }

    fn of(journal: &crate::journal::Journal) -> Log {
        Self::from_events(journal.events())
    }

    fn from_events<'a>(events: impl Iterator<Item = &'a Stamped>) -> Log {
        let mut numbers: std::collections::HashMap<String, usize> = Default::default();
        let mut log = Log::default();
        let mut recent = std::collections::VecDeque::new();
        for e in events {
            let e = crate::escape::stamped(e);
            match &e.event {
                Event::RunStarted { steps, .. } => {
                    for (i, s) in steps.iter().enumerate() {
                        numbers.insert(s.id.as_str().to_string(), i + 1);
                    }
                }
                Event::RunHeld { by, reason, .. } => {
                    log.held = Some(format!(
                        "since {} by {by}{}",
                        e.time.strftime("%H:%M:%S"),
                        reason.as_ref().map_or(String::new(), |r| format!(": {r}"))
                    ));
                }
                Event::RunReleased { .. } | Event::RunFinished { .. } => log.held = None,
                _ => {}
            }
            if !Self::worth(&e.event) {
                continue;
            }
            let mut line = describe(&e);
            // `restart-app: …` → `#3 restart-app: …`, wherever the step's
            // id stands as a word.
            if let Some(step) = e.event.step()
                && let Some(n) = numbers.get(step.as_str())
                && let Some(at) = word_at(&line, step.as_str())
            {
                line.insert_str(at, &format!("#{n} "));
            }
            if recent.len() == Self::KEEP {
                recent.pop_front();
            }
            recent.push_back(line);
        }
        log.recent = recent.into();
        log
    }
}

/// Re-reads the journal every [`POLL`] until `run_finished`: a terminal gets
/// the whole view redrawn; a pipe gets one line per new event. Returns the
/// drill's result.
/// `view` under a first line saying it is unverified, when `--force` let a
/// broken chain through.
fn marked(view: &str, unverified: Option<&str>) -> String {
    match unverified {
        Some(problem) => format!(
            "UNVERIFIED: the journal's hash chain is broken ({}); this view may not be what happened\n{view}",
            crate::escape::line(problem)
        ),
        None => view.to_string(),
    }
}

/// Follows the journal from event `seen` on; `warned`: the broken chain
/// was already said.
fn follow(path: &Path, mut seen: usize, force: bool, mut warned: bool) -> super::Result<RunResult> {
    let terminal = std::io::stdout().is_terminal();
    // Unknown at first, so that the first round always reads: events
    // written between the first view and here (the whole rest of the
    // drill, possibly) were otherwise never seen, and `--follow` waited
    // for ever on a finished drill.
    let mut size = None;
    loop {
        std::thread::sleep(POLL);
        let now_size = std::fs::metadata(path).map(|m| m.len()).ok();
        // A terminal redraws anyway: elapsed times move on.
        if now_size == size && !terminal {
            continue;
        }
        size = now_size;
        let journal = journal::read(path).map_err(super::verify::error)?;
        // Edited while followed: refused (or marked) as at the start.
        let unverified = super::integrity::check(&journal, force, "status")?;
        if unverified.is_some() && !warned {
            super::integrity::warn(&unverified);
            warned = true;
        }
        let timeline = escaped_timeline(&journal);
        if terminal {
            let live = live_holder(path);
            let log = Log::of(&journal);
            let view = render(&timeline, Timestamp::now(), live.as_deref(), path, &log);
            let view = fit(&marked(&view, unverified.as_deref()), terminal_width());
            // Clear the screen and home the cursor, then draw.
            super::print(&format!("\x1b[2J\x1b[H{view}"))?;
        } else {
            let mut text = String::new();
            for e in journal.events().skip(seen) {
                text.push_str(&describe(e));
                text.push('\n');
            }
            super::print(&text)?;
        }
        seen = journal.entries.len();
        if let Some((_, result)) = timeline.result {
            return Ok(result);
        }
    }
}

/// Who is running the drill right now (see [`journal::live_holder`]).
fn live_holder(journal: &Path) -> Option<String> {
    journal::live_holder(journal)
}

/// A duration as runbooks write it, to the second (`1h12m`, `45s`).
fn dur(d: StdDuration) -> String {
    Duration::from_secs(d.as_secs()).to_string()
}

/// The whole view, as text.
/// The journal's timeline with its text escaped for the terminal (a
/// forged journal could otherwise move the cursor or rewrite lines).
fn escaped_timeline(journal: &crate::journal::Journal) -> Timeline {
    let mut t = Timeline::new();
    for e in journal.events() {
        t.apply(&crate::escape::stamped(e));
    }
    t
}

pub fn render(t: &Timeline, now: Timestamp, live: Option<&str>, path: &Path, log: &Log) -> String {
    let mut out = String::new();
    let Some(h) = &t.header else {
        return out;
    };
    out.push_str(&format!(
        "{} — {}{}\nstarted {} by {} on {}\n",
        h.name,
        h.mode,
        if h.dry_run { ", dry run" } else { "" },
        h.started.strftime("%Y-%m-%d %H:%M:%SZ"),
        h.operator,
        h.host,
    ));
    let elapsed = dur(t.elapsed(now).unwrap_or_default());
    let rto = h.rto.map(|r| r.to_string());
    let timing = match (t.rto_verdict(now), rto) {
        (RtoVerdict::NoObjective, _) | (_, None) => format!("elapsed {elapsed} (no RTO)"),
        (RtoVerdict::Open { remaining }, Some(rto)) => {
            format!("elapsed {elapsed} of RTO {rto}: {} left", dur(remaining))
        }
        (RtoVerdict::Overdue { by }, Some(rto)) => {
            format!("elapsed {elapsed} of RTO {rto}: OVERDUE by {}", dur(by))
        }
        (RtoVerdict::Met { margin }, Some(rto)) => format!(
            "recovered in {} against RTO {rto}: met with {} to spare",
            dur(t.time_to_recovery().unwrap_or_default()),
            dur(margin)
        ),
        (RtoVerdict::Missed { by }, Some(rto)) => format!(
            "recovered in {} against RTO {rto}: MISSED by {}",
            dur(t.time_to_recovery().unwrap_or_default()),
            dur(by)
        ),
        (RtoVerdict::NotRecovered, Some(rto)) => {
            format!("elapsed {elapsed}, RTO {rto}: not recovered")
        }
    };
    out.push_str(&timing);
    out.push('\n');
    // Where the plan (with its revised estimates) says the recovery ends.
    if let Some(o) = t.outlook(now) {
        let when = o.end.strftime("%Y-%m-%d %H:%M:%SZ").to_string();
        let palette = crate::terminal::lines::Palette { color: false };
        out.push_str(&format!(
            "{}\n",
            crate::terminal::lines::outlook_words(&o, now, &when, palette)
        ));
    }
    match (t.result, live) {
        (Some((at, result)), _) => out.push_str(&format!(
            "finished {result} at {}\n",
            at.strftime("%Y-%m-%d %H:%M:%SZ")
        )),
        (None, Some(holder)) => out.push_str(&format!("in progress: {holder}\n")),
        (None, None) => out.push_str(&format!(
            "not running: stopped after {}; carry on with `reprise resume {}`\n",
            t.last_event
                .map(|l| l.strftime("%Y-%m-%d %H:%M:%SZ").to_string())
                .unwrap_or_default(),
            path.display()
        )),
    }
    if let Some(r) = t.resumes.last() {
        out.push_str(&format!(
            "resumed {} time{}, last at {} by {}\n",
            t.resumes.len(),
            if t.resumes.len() == 1 { "" } else { "s" },
            r.time.strftime("%Y-%m-%d %H:%M:%SZ"),
            r.operator
        ));
    }
    if let Some(hand) = t.handovers.last() {
        out.push_str(&format!("operator: {} (since handover)\n", hand.to));
    }
    if let Some(held) = &log.held {
        out.push_str(&format!("HELD {held} (no new step starts)\n"));
    }

    let mut counts: Vec<(String, usize)> = Vec::new();
    for s in &t.steps {
        let label = state_label(s);
        match counts.iter_mut().find(|(l, _)| *l == label) {
            Some((_, n)) => *n += 1,
            None => counts.push((label, 1)),
        }
    }
    out.push_str(&format!(
        "steps: {} ({} in all)\n",
        counts
            .iter()
            .map(|(l, n)| format!("{n} {l}"))
            .collect::<Vec<_>>()
            .join(", "),
        t.steps.len()
    ));

    let services = services::block(t, now);
    if !services.is_empty() {
        out.push('\n');
        out.push_str(&services);
    }
    let waiting: Vec<&StepRecord> = t.steps.iter().filter(|s| waits_for_operator(s)).collect();
    if !waiting.is_empty() && !t.is_finished() {
        out.push_str("\nwaiting for the operator:\n");
        for s in &waiting {
            let number = t.number(s.id().as_str()).unwrap_or_default();
            out.push_str(&step_line(t, number, s, now));
        }
    }
    let next = next_steps(t);
    if !next.is_empty() && !t.is_finished() {
        out.push_str("\nnext, when what they wait for ends:\n");
        for &i in next.iter().take(NEXT) {
            out.push_str(&step_line(t, i as u32 + 1, &t.steps[i], now));
        }
        if next.len() > NEXT {
            out.push_str(&format!("  … and {} more\n", next.len() - NEXT));
        }
    }
    if !log.recent.is_empty() {
        out.push_str("\nlatest notes, decisions, handovers and holds:\n");
        for l in &log.recent {
            out.push_str(&format!("  {l}\n"));
        }
    }
    out.push_str("\nsteps:\n");
    for (i, s) in t.steps.iter().enumerate() {
        out.push_str(&step_line(t, i as u32 + 1, s, now));
    }
    out
}

/// How many of the next steps are shown.
const NEXT: usize = 5;

/// Positions of the pending steps that come next: everything they wait
/// for (steps, and whole phases) is under way or ended.
fn next_steps(t: &Timeline) -> Vec<usize> {
    let pending = |s: &StepRecord| s.state == StepState::Pending;
    let busy_phases: std::collections::HashSet<&str> = t
        .steps
        .iter()
        .filter(|s| pending(s))
        .map(|s| s.planned.phase.as_str())
        .collect();
    t.steps
        .iter()
        .enumerate()
        .filter(|(_, s)| pending(s))
        .filter(|(_, s)| {
            s.planned
                .needs
                .iter()
                .all(|n| t.step(n.as_str()).is_some_and(|r| !pending(r)))
                && s.planned
                    .needs_phases
                    .iter()
                    .all(|p| !busy_phases.contains(p.as_str()))
        })
        .map(|(i, _)| i)
        .collect()
}

/// A step is waiting for a person: an open manual step, a command to
/// confirm, a failed attempt awaiting a decision.
fn waits_for_operator(s: &StepRecord) -> bool {
    match s.state {
        StepState::Ready => matches!(s.planned.kind, StepKind::Manual | StepKind::Confirm),
        StepState::AttemptFailed { .. } => true,
        _ => false,
    }
}

fn state_label(s: &StepRecord) -> String {
    match s.state {
        StepState::Pending => "pending".into(),
        StepState::Ready => match s.planned.kind {
            StepKind::Manual => "open".into(),
            StepKind::Confirm => "to confirm".into(),
            StepKind::Command => "ready".into(),
        },
        StepState::Running { .. } => "running".into(),
        StepState::AttemptFailed { .. } => "attempt failed".into(),
        StepState::Finished(o) => o.to_string(),
    }
}

fn step_line(t: &Timeline, number: u32, s: &StepRecord, now: Timestamp) -> String {
    let mut state = state_label(s);
    if let StepState::Running { attempt } | StepState::AttemptFailed { attempt } = s.state
        && attempt > 1
    {
        state.push_str(&format!(" #{attempt}"));
    }
    // The time first: on a narrow terminal the end of the line is cut.
    let timing = if let Some(d) = s.duration(now) {
        match s.planned.estimate {
            Some(est) => {
                let over = s.overrun(now).unwrap_or_default();
                if over.is_zero() {
                    format!("{} of {est}", dur(d))
                } else {
                    format!("{} of {est}, OVER by {}", dur(d), dur(over))
                }
            }
            None => dur(d),
        }
    } else if let Some(est) = s.planned.estimate {
        format!("est. {est}")
    } else {
        String::new()
    };
    let mut detail = Vec::new();
    if let Some(role) = &s.planned.role {
        detail.push(role.clone());
    }
    // Who did it and who recorded it are two facts: a command is run by
    // reprise, never by the operator at the keyboard.
    match (t.performed_by(s), Timeline::recorded_by(s)) {
        (Some(p), Some(r)) if r == "reprise" || p == r => detail.push(format!("by {p}")),
        (Some(p), Some(r)) => detail.push(format!("by {p}, recorded by {r}")),
        (None, Some(r)) => detail.push(format!("recorded by {r}")),
        (Some(p), None) => detail.push(format!("by {p}")),
        (None, None) => {}
    }
    if let Some(reason) = &s.reason {
        detail.push(format!("\"{reason}\""));
    }
    format!(
        "  {:>4} {state:<14} {:<20} {}{}{}\n",
        format!("#{number}"),
        s.planned.id.as_str(),
        if timing.is_empty() {
            String::new()
        } else {
            format!("{timing} · ")
        },
        s.planned.title,
        if detail.is_empty() {
            String::new()
        } else {
            format!("  ({})", detail.join(", "))
        }
    )
}

/// How an attempt (or its run on one host) ended, in `describe`'s words.
fn ending(
    exit_code: Option<i32>,
    signal: Option<&str>,
    timed_out: bool,
    error: Option<&str>,
) -> String {
    if timed_out {
        "timed out".to_string()
    } else if let Some(e) = error {
        format!("could not start: {e}")
    } else if let Some(s) = signal {
        format!("killed by {s}")
    } else {
        format!("exit {}", exit_code.unwrap_or(-1))
    }
}

/// One plain line per event, for `--follow` into a pipe or a file.
pub fn describe(e: &Stamped) -> String {
    let time = e.time.strftime("%H:%M:%S");
    let what = match &e.event {
        Event::RunStarted { name, mode, .. } => format!("drill started: {name} ({mode})"),
        Event::RunResumed { operator, .. } => format!("resumed by {operator}"),
        Event::StepReady { step } => format!("{step} ready"),
        Event::StepBegan { step, by, .. } => format!("{step} began (paper, {by})"),
        Event::StepStarted { step, attempt, .. } => match attempt {
            1 => format!("{step} started"),
            n => format!("{step} started (attempt {n})"),
        },
        Event::AttemptFinished {
            step,
            attempt,
            exit_code,
            signal,
            timed_out,
            error,
        } => {
            let how = ending(*exit_code, signal.as_deref(), *timed_out, error.as_deref());
            format!("{step} attempt {attempt}: {how}")
        }
        Event::HostFinished {
            step,
            attempt,
            host,
            exit_code,
            signal,
            timed_out,
            error,
            cause,
            ..
        } => {
            let how = match cause {
                Some(c) => c.text(*exit_code, signal.as_deref()),
                None => ending(*exit_code, signal.as_deref(), *timed_out, error.as_deref()),
            };
            format!("{step} attempt {attempt} on {host}: {how}")
        }
        Event::Decision {
            step,
            decision,
            reason,
            by,
            ..
        } => format!(
            "{step}: {by} decided: {}{}",
            crate::terminal::lines::decision_name(*decision),
            reason
                .as_ref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        ),
        Event::StepFinished {
            step,
            outcome,
            reason,
            by,
            ..
        } => format!(
            "{step} {outcome} by {by}{}",
            reason
                .as_ref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        ),
        Event::RestorePoint {
            step,
            written,
            by,
            host,
            ..
        } => {
            let on = host.as_ref().map_or(String::new(), |h| format!(" on {h}"));
            format!("{step}{on}: restore point {written} (given by {by})")
        }
        Event::Approval {
            step,
            approved,
            by,
            count,
            needed,
            ..
        } => format!(
            "{step} {} by {by} ({count} of {needed} approvals)",
            if *approved { "approved" } else { "refused" }
        ),
        Event::StepCancelled {
            step, reason, by, ..
        } => {
            format!("{step} cancelled by {by} ({reason})")
        }
        Event::EstimateRevised {
            step,
            estimate,
            until,
            by,
            ..
        } => match (estimate, until) {
            (_, Some(t)) => format!("{step} re-estimated by {by}: until {t}"),
            (Some(e), None) => format!("{step} re-estimated by {by}: {e}"),
            (None, None) => format!("{step} re-estimated by {by}"),
        },
        Event::StepAssigned { step, to, by, .. } => format!("{step} assigned to {to} by {by}"),
        Event::StepAdded {
            step,
            number,
            added,
            by,
            reason,
            ..
        } => format!("#{number} {step} added by {by}: {} ({reason})", added.title),
        Event::RollbackStarted { step, .. } => format!("{step} rollback started"),
        Event::RollbackFinished { step, outcome, .. } => format!("{step} rollback {outcome}"),
        Event::Note { text, by, step, .. } => match step {
            Some(s) => format!("note by {by} on {s}: {text}"),
            None => format!("note by {by}: {text}"),
        },
        Event::Handover { from, to, .. } => format!("handover from {from} to {to}"),
        Event::AbortRequested { by, .. } => format!("abort requested by {by}"),
        Event::OperatorAttached { by, origin, .. } => {
            format!(
                "{} attached",
                crate::identity::Identity::new(by, origin.clone())
            )
        }
        Event::OperatorDetached { by, origin, .. } => {
            format!(
                "{} detached",
                crate::identity::Identity::new(by, origin.clone())
            )
        }
        Event::RunStopped { reason, .. } => format!(
            "drill stopped ({}): `reprise resume` continues it",
            reason.as_deref().unwrap_or("stopped")
        ),
        Event::RunHeld { by, reason, .. } => match reason {
            Some(r) => format!("held by {by}: {r}"),
            None => format!("held by {by}"),
        },
        Event::RunReleased { by, .. } => format!("released by {by}"),
        Event::RunFinished { result } => format!("drill finished: {result}"),
        Event::NotificationSent {
            kind,
            target,
            attempt,
            ..
        } => format!("alert {kind} sent to {target} (attempt {attempt})"),
        Event::NotificationFailed {
            kind,
            target,
            attempt,
            error,
            ..
        } => format!("alert {kind} to {target} failed (attempt {attempt}): {error}"),
        Event::CriterionAssessed {
            criterion,
            verdict,
            by,
            ..
        } => format!("criterion {criterion} assessed {verdict} by {by}"),
        Event::ActionRecorded {
            owner, due, text, ..
        } => format!("action for {owner}, due {due}: {text}"),
    };
    format!("{time} {what}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Outcome, PlannedPhase, PlannedStep, Source};
    use crate::runbook::{Mode, PhaseId, StepId};

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(1_795_939_200 + s).unwrap()
    }

    #[test]
    fn a_decision_reads_in_words() {
        let line = describe(&Stamped {
            time: at(0),
            event: Event::Decision {
                origin: Default::default(),
                step: StepId::new("restore"),
                decision: crate::event::Decision::MarkDone,
                reason: Some("checked on the console".into()),
                by: "alice".into(),
                source: Source::Operator,
            },
        });
        assert!(
            line.ends_with("restore: alice decided: mark done (checked on the console)"),
            "{line}"
        );
    }

    fn planned(id: &str, kind: StepKind) -> PlannedStep {
        PlannedStep {
            fingerprints: Default::default(),
            id: StepId::new(id),
            title: format!("Title of {id}"),
            phase: PhaseId::new("main"),
            kind,
            role: None,
            estimate: Some(Duration::from_secs(60)),
            critical: false,
            needs: vec![],
            only: None,
            hosts: Vec::new(),
            needs_phases: Vec::new(),
            restores: Vec::new(),
            records: Vec::new(),
        }
    }

    fn timeline() -> Timeline {
        Timeline::from_events(&events())
    }

    fn events() -> Vec<Stamped> {
        vec![
            Stamped {
                time: at(0),
                event: Event::RunStarted {
                    origin: Default::default(),
                    runbook: "plan.yaml".into(),
                    runbook_sha256: String::new(),
                    name: "Failover".into(),
                    mode: Mode::Drill,
                    dry_run: false,
                    operator: "alice".into(),
                    host: "h1".into(),
                    reprise_version: "0.1.0".into(),
                    rto: Some(Duration::from_secs(3600)),
                    rpo: None,
                    services: Vec::new(),
                    phases: vec![PlannedPhase {
                        id: PhaseId::new("main"),
                        title: "Main".into(),
                    }],
                    steps: vec![
                        planned("stop", StepKind::Command),
                        planned("declare", StepKind::Manual),
                        planned("start", StepKind::Command),
                    ],
                    exercise: None,
                },
            },
            Stamped {
                time: at(0),
                event: Event::StepStarted {
                    step: StepId::new("stop"),
                    attempt: 1,
                    pid: None,
                },
            },
            Stamped {
                time: at(0),
                event: Event::StepReady {
                    step: StepId::new("declare"),
                },
            },
            Stamped {
                time: at(30),
                event: Event::StepFinished {
                    origin: Default::default(),
                    step: StepId::new("stop"),
                    outcome: Outcome::Done,
                    exit_code: Some(0),
                    reason: None,
                    by: "reprise".into(),
                    source: Source::Command,
                    attempts: 1,
                    output_tail: vec![],
                },
            },
        ]
    }

    /// `status` at 80 columns: held, what comes next, the latest notes
    /// and decisions with item numbers, no line wider than the terminal.
    #[test]
    fn a_held_drill_shows_what_comes_next_and_what_people_did() {
        let mut events = events();
        if let Event::RunStarted { steps, .. } = &mut events[0].event {
            steps[2].needs = vec![StepId::new("declare")];
            steps[2].title = "Start the application on the standby site, then warm it".into();
        }
        events.extend([
            Stamped {
                time: at(100),
                event: Event::Note {
                    origin: Default::default(),
                    text: "vendor ticket 4711".into(),
                    by: "alice".into(),
                    step: Some(StepId::new("declare")),
                },
            },
            Stamped {
                time: at(200),
                event: Event::Decision {
                    origin: Default::default(),
                    step: StepId::new("declare"),
                    decision: crate::event::Decision::Continue,
                    reason: Some("vendor is on it".into()),
                    by: "bob".into(),
                    source: Source::Operator,
                },
            },
            Stamped {
                time: at(300),
                event: Event::RunHeld {
                    origin: Default::default(),
                    by: "alice".into(),
                    reason: Some("night: restart at 7:00".into()),
                },
            },
        ]);
        let view = render(
            &Timeline::from_events(&events),
            at(600),
            None,
            Path::new("j.jsonl"),
            &Log::from_events(events.iter()),
        );
        let view = fit(&view, Some(80));
        insta::assert_snapshot!(view, @r"
        Failover — drill
        started 2026-11-29 08:00:00Z by alice on h1
        elapsed 10m of RTO 1h: 50m left
        recovery forecast to end at 2026-11-29 08:11:00Z (in 1m), 49m within the RTO
        not running: stopped after 2026-11-29 08:05:00Z; carry on with `reprise resume…
        HELD since 08:05:00 by alice: night: restart at 7:00 (no new step starts)
        steps: 1 done, 1 open, 1 pending (3 in all)

        waiting for the operator:
            #2 open           declare              10m of 1m, OVER by 9m · Title of de…

        next, when what they wait for ends:
            #3 pending        start                est. 1m · Start the application on …

        latest notes, decisions, handovers and holds:
          08:01:40 note by alice on #2 declare: vendor ticket 4711
          08:03:20 #2 declare: bob decided: continue (vendor is on it)
          08:05:00 held by alice: night: restart at 7:00

        steps:
            #1 done           stop                 30s of 1m · Title of stop  (by repr…
            #2 open           declare              10m of 1m, OVER by 9m · Title of de…
            #3 pending        start                est. 1m · Start the application on …
        ");
        assert!(view.lines().all(|l| console::measure_text_width(l) < 80));
    }

    #[test]
    fn open_manual_steps_come_first_and_time_runs_against_the_rto() {
        let view = render(
            &timeline(),
            at(600),
            None,
            Path::new("j.jsonl"),
            &Log::default(),
        );
        let expected = "\
Failover — drill
started 2026-11-29 08:00:00Z by alice on h1
elapsed 10m of RTO 1h: 50m left
recovery forecast to end at 2026-11-29 08:11:00Z (in 1m), 49m within the RTO
not running: stopped after 2026-11-29 08:00:30Z; carry on with `reprise resume j.jsonl`
steps: 1 done, 1 open, 1 pending (3 in all)

waiting for the operator:
    #2 open           declare              10m of 1m, OVER by 9m · Title of declare

next, when what they wait for ends:
    #3 pending        start                est. 1m · Title of start

steps:
    #1 done           stop                 30s of 1m · Title of stop  (by reprise on h1)
    #2 open           declare              10m of 1m, OVER by 9m · Title of declare
    #3 pending        start                est. 1m · Title of start
";
        assert_eq!(view, expected);
    }

    #[test]
    fn a_live_drill_names_its_holder() {
        let view = render(
            &timeline(),
            at(600),
            Some("reprise (pid 7 on host h1) since x"),
            Path::new("j.jsonl"),
            &Log::default(),
        );
        assert!(
            view.contains("in progress: reprise (pid 7 on host h1)"),
            "{view}"
        );
    }

    #[test]
    fn follow_lines_describe_events() {
        let e = Stamped {
            time: at(75),
            event: Event::StepFinished {
                origin: Default::default(),
                step: StepId::new("stop"),
                outcome: Outcome::Skipped,
                exit_code: None,
                reason: Some("done by hand".into()),
                by: "bob".into(),
                source: Source::Operator,
                attempts: 0,
                output_tail: vec![],
            },
        };
        assert_eq!(describe(&e), "08:01:15 stop skipped by bob (done by hand)");
    }
}
