//! `reprise status`: a read-only view of a drill from its journal, for the
//! rest of the crisis cell in another terminal. It takes no lock and never
//! writes; `--follow` re-reads the journal as it grows.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration as StdDuration;

use jiff::Timestamp;

use crate::event::{Event, RunResult, Stamped};
use crate::exit;
use crate::i18n::Lang;
use crate::journal;
use crate::timeline::Timeline;

mod describe;
mod render;
mod say;
mod services;

pub use describe::describe_in;
pub use render::render;
pub use say::Say;

/// Show where a drill stands: every step's state, open manual steps,
/// elapsed time against the RTO.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  reprise status journals/postgres-failover-20261129T080000Z.jsonl
  reprise status --follow journals/postgres-failover-20261129T080000Z.jsonl

The view is in the drill's language (the runbook's `lang:`, then LANG, or \
--lang): in French, durations read « 4 h 12 min » and times are on the \
24-hour clock in the local time zone (TZ), named as in the report.

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

    /// Language of the view (and of the --serve page): en or fr (default:
    /// the runbook's `lang:`, then LANG). In French, times are in the local
    /// time zone (TZ).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
}

/// How often `--follow` looks at the journal.
const POLL: StdDuration = StdDuration::from_millis(500);

pub fn run(args: Args) -> super::Result {
    super::words::speak_journal(&args.journal);
    let chosen = super::lang_arg(args.lang.as_deref())?;
    if let Some(lang) = chosen {
        super::words::speak(lang);
    }
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
        return super::serve::run(&args.journal, addr, args.token.as_deref(), chosen);
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
            super::words::warn(
                crate::i18n::msg!("torn-ignored", journal = args.journal.display())
                    .sub("torn", super::verify::torn_said(torn)),
            );
        }
    }
    let unverified = super::integrity::judge(streamed.chain, &args.journal, args.force, "status")?;
    super::integrity::warn(&unverified);
    if timeline.header.is_none() {
        return Err(super::Error::said(crate::i18n::msg!(
            "journal-no-start",
            journal = args.journal.display()
        )));
    }
    let say = Say::local(chosen.unwrap_or_else(|| lang_of(&timeline)));
    let log = Log::from_events(people.iter(), &say);
    drop(people);
    let live = live_holder(&args.journal, &say);
    let width = terminal_width();
    let view = render(
        &timeline,
        Timestamp::now(),
        live.as_deref(),
        &args.journal,
        &log,
        &say,
    );
    super::print(&fit(&marked(&view, unverified.as_deref(), &say), width))?;
    if !args.follow {
        return Ok(exit::SUCCESS);
    }
    let result = match timeline.result {
        Some((_, result)) => result,
        None => follow(&args.journal, lines, args.force, unverified.is_some(), &say)?,
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
/// Symbols as this terminal can show them (`--ascii`…).
fn fit(text: &str, width: Option<usize>) -> String {
    let glyphs = crate::terminal::glyphs::chosen();
    let Some(width) = width else {
        return glyphs.render(text).into_owned();
    };
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = console::truncate_str(line, width - 1, "…");
        out.push_str(&glyphs.fit(&line, width - 1));
        out.push('\n');
    }
    out
}

/// Where `word` first stands on its own in `line` (after a space, before
/// a space, a colon or the end).
fn word_at(line: &str, word: &str) -> Option<usize> {
    line.match_indices(word).map(|(i, _)| i).find(|&i| {
        let after = &line[i + word.len()..];
        line[..i].ends_with(' ') && (after.is_empty() || after.starts_with([' ', ':', '\u{a0}']))
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

    fn of(journal: &crate::journal::Journal, say: &Say) -> Log {
        Self::from_events(journal.events(), say)
    }

    fn from_events<'a>(events: impl Iterator<Item = &'a Stamped>, say: &Say) -> Log {
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
                    let (time, who) = (("time", say.clock(e.time)), ("who", by.clone()));
                    log.held = Some(match reason {
                        Some(r) => say
                            .tr_args("status-held-since-why", &[time, who, ("reason", r.clone())]),
                        None => say.tr_args("status-held-since", &[time, who]),
                    });
                }
                Event::RunReleased { .. } | Event::RunFinished { .. } => log.held = None,
                _ => {}
            }
            if !Self::worth(&e.event) {
                continue;
            }
            let mut line = describe_in(&e, say);
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
fn marked(view: &str, unverified: Option<&str>, say: &Say) -> String {
    match unverified {
        Some(problem) => format!(
            "{}\n{view}",
            say.tr_args(
                "status-unverified",
                &[("problem", crate::escape::line(problem).to_string())]
            )
        ),
        None => view.to_string(),
    }
}

/// Follows the journal from event `seen` on; `warned`: the broken chain
/// was already said.
fn follow(
    path: &Path,
    mut seen: usize,
    force: bool,
    mut warned: bool,
    say: &Say,
) -> super::Result<RunResult> {
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
            let live = live_holder(path, say);
            let log = Log::of(&journal, say);
            let view = render(
                &timeline,
                Timestamp::now(),
                live.as_deref(),
                path,
                &log,
                say,
            );
            let view = fit(&marked(&view, unverified.as_deref(), say), terminal_width());
            // Clear the screen and home the cursor, then draw.
            super::print(&format!("\x1b[2J\x1b[H{view}"))?;
        } else {
            let mut text = String::new();
            for e in journal.events().skip(seen) {
                text.push_str(&describe_in(e, say));
                text.push('\n');
            }
            super::show(&text)?;
        }
        seen = journal.entries.len();
        if let Some((_, result)) = timeline.result {
            return Ok(result);
        }
    }
}

/// Who is running the drill right now (see [`journal::live_holder`]), in
/// `say`'s words.
fn live_holder(journal: &Path, say: &Say) -> Option<String> {
    let holder = journal::live_holder_of(journal)?;
    if say.lang == Lang::En {
        return Some(holder.to_string());
    }
    Some(say.tr_args(
        "status-holder",
        &[
            ("pid", holder.pid.to_string()),
            ("host", holder.host.clone()),
            ("since", say.moment(holder.since)),
        ],
    ))
}

/// The language of a drill's view: the runbook's `lang` (recorded in
/// `run_started`), else the environment's, else English — as the report.
fn lang_of(t: &Timeline) -> Lang {
    Lang::for_runbook(t.header.as_ref().and_then(|h| h.exercise.lang.as_deref()))
}

/// The journal's timeline with its text escaped for the terminal (a
/// forged journal could otherwise move the cursor or rewrite lines).
fn escaped_timeline(journal: &crate::journal::Journal) -> Timeline {
    let mut t = Timeline::new();
    for e in journal.events() {
        t.apply(&crate::escape::stamped(e));
    }
    t
}

#[cfg(test)]
mod tests;
