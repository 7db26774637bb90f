//! The live region under the scrolling lines, as a pure function of the
//! drill's state, the terminal's size and `now` ([`frame`]), so that the
//! live view, an attached terminal and the tests draw the same thing.
//!
//! It always fits the terminal: the prompt and the overall line are always
//! there; the items take at most half the rows (the other half keeps the
//! latest lines and questions readable), grouped by role, the most urgent
//! first (failed, overrunning, waiting longest), and the ones that do not
//! fit are counted on a `+N more` line that points at `list`. No line is
//! wider than the terminal: a line that wraps would push the prompt off
//! the screen. Wide terminals get more columns (the title, the last output).

use std::collections::{BTreeSet, HashMap};

use jiff::Timestamp;

use super::lines::{self, Palette};

mod row;
use crate::runbook::StepKind;
use crate::timeline::{StepRecord, StepState, Timeline};
use row::{more_line, others_line, row};

/// A terminal's size in character cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Lines.
    pub rows: u16,
    /// Columns.
    pub cols: u16,
}

impl Size {
    /// The classic terminal, assumed when the size cannot be read.
    pub const CLASSIC: Size = Size { rows: 24, cols: 80 };

    /// The size of the terminal on stderr, or [`Size::CLASSIC`].
    pub fn of_stderr() -> Size {
        match console::Term::stderr().size_checked() {
            Some((rows, cols)) if rows > 0 && cols > 0 => Size { rows, cols },
            _ => Size::CLASSIC,
        }
    }

    /// From this width on, item lines also show titles and last output.
    const WIDE: u16 = 120;
    /// Below this width, the role column is left out.
    const NARROW: u16 = 60;
}

/// What the live region is drawn from.
#[derive(Debug, Clone, Copy)]
pub struct Live<'a> {
    /// The drill so far.
    pub timeline: &'a Timeline,
    /// Positions of the steps that may have a line (ready, running, failed,
    /// or asked about); others are skipped without a look.
    pub steps: &'a BTreeSet<usize>,
    /// Positions of the steps with a question waiting for the operator.
    pub open: &'a BTreeSet<usize>,
    /// Each step's last output line, by position.
    pub last_output: &'a [Option<String>],
    /// The prompt and what is typed after it, when an operator types here.
    pub prompt: Option<(&'a str, &'a str)>,
}

/// The live region, top to bottom: item lines (with a `+N more` line when
/// some do not fit), the overall line, the prompt line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// One line per shown item, then `+N more` if any are left out.
    pub items: Vec<String>,
    /// Steps ended, running, waiting, time against the RTO.
    pub overall: String,
    /// The prompt with what is typed and a cursor.
    pub prompt: Option<String>,
}

impl Frame {
    /// Every line, top to bottom.
    pub fn lines(&self) -> Vec<&str> {
        self.items
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(self.overall.as_str()))
            .chain(self.prompt.as_deref())
            .collect()
    }
}

/// How urgent an item is: the order of the live region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Urgency {
    /// A failed attempt, or a step interrupted by a stop.
    Failed,
    /// Beyond its estimate.
    Overrunning,
    /// Waiting for a person (manual step, confirmation, rollback).
    Waiting,
    /// A command running within its estimate.
    Running,
    /// Ready, waiting for a free job slot.
    Queued,
}

/// One item of the region, before it is written out.
struct Item<'a> {
    position: usize,
    rec: &'a StepRecord,
    open: bool,
    urgency: Urgency,
    /// Time since the step began (ready or started).
    elapsed: std::time::Duration,
}

/// The live region for `live` at `now` on a terminal of `size`.
pub fn frame(live: &Live<'_>, now: Timestamp, size: Size, p: Palette) -> Frame {
    frame_for(live, &BTreeSet::new(), now, size, p)
}

/// [`frame`] for a terminal that works for `roles` (an attached team):
/// the items of those roles get the rows, the other roles' items are
/// counted on one line. With no roles, every item is a team's own.
pub fn frame_for(
    live: &Live<'_>,
    roles: &BTreeSet<String>,
    now: Timestamp,
    size: Size,
    p: Palette,
) -> Frame {
    let width = usize::from(size.cols.max(20)) - 1;
    let fit = |s: String| console::truncate_str(&s, width, "…").into_owned();
    let overall = fit(lines::overall_line(live.timeline, live.open.len(), now, p));
    let prompt = live
        .prompt
        .map(|(prompt, typed)| prompt_line(prompt, typed, width, p));

    let mut items: Vec<Item<'_>> = live
        .steps
        .iter()
        .chain(live.open.iter())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter_map(|&position| {
            let rec = live.timeline.steps.get(position)?;
            let open = live.open.contains(&position);
            let urgency = urgency(rec, open, now)?;
            // A queued step's time is its wait for a slot: the step's own
            // time starts when its command does.
            let elapsed = match rec.waiting_for_slot(now) {
                Some(wait) if urgency == Urgency::Queued => wait,
                _ => rec.duration(now).unwrap_or_default(),
            };
            Some(Item {
                position,
                rec,
                open,
                urgency,
                elapsed,
            })
        })
        .collect();
    let others: Vec<Item<'_>> = if roles.is_empty() {
        Vec::new()
    } else {
        let (mine, others) = items.into_iter().partition(|i| {
            i.rec
                .planned
                .role
                .as_ref()
                .is_some_and(|r| roles.contains(r))
        });
        items = mine;
        others
    };
    // Grouped by role; groups in the order of their most urgent item.
    let key = |i: &Item<'_>| (i.urgency, std::cmp::Reverse(i.elapsed), i.position);
    let mut best: HashMap<Option<&str>, (Urgency, std::cmp::Reverse<_>, usize)> = HashMap::new();
    for i in &items {
        let k = key(i);
        best.entry(i.rec.planned.role.as_deref())
            .and_modify(|b| *b = (*b).min(k))
            .or_insert(k);
    }
    items.sort_by_key(|i| (best[&i.rec.planned.role.as_deref()], key(i)));

    // Half the rows at most (the scrolling lines above need the rest),
    // minus the overall and prompt lines.
    let region = (usize::from(size.rows) / 2).max(2);
    let room =
        region.saturating_sub(1 + usize::from(prompt.is_some()) + usize::from(!others.is_empty()));
    // No room at all (a tiny terminal): the overall line counts them.
    let (shown, more) = if items.len() <= room {
        (items.len(), false)
    } else {
        (room.saturating_sub(1), room > 0)
    };
    let number_width = items
        .iter()
        .map(|i| digits(i.position + 1) + 1)
        .max()
        .unwrap_or(2);
    let role_width = if size.cols < Size::NARROW {
        0
    } else {
        items[..shown]
            .iter()
            .filter_map(|i| i.rec.planned.role.as_deref())
            .map(console::measure_text_width)
            .max()
            .unwrap_or(0)
            .min(12)
    };
    let wide = size.cols >= Size::WIDE;
    let mut out: Vec<String> = items[..shown]
        .iter()
        .map(|i| {
            let last = live.last_output.get(i.position).and_then(|l| l.as_deref());
            fit(row(i, number_width, role_width, wide, last, width, p))
        })
        .collect();
    if more {
        out.push(fit(more_line(&items[shown..], p)));
    }
    if !others.is_empty() && region > 2 {
        out.push(fit(others_line(&others, p)));
    }
    Frame {
        items: out,
        overall,
        prompt,
    }
}

fn digits(n: usize) -> usize {
    n.to_string().len()
}

/// Where an item goes in the region; `None` for a step with no line.
fn urgency(rec: &StepRecord, open: bool, now: Timestamp) -> Option<Urgency> {
    let over = rec.overrun(now).is_some_and(|o| !o.is_zero());
    Some(match rec.state {
        StepState::AttemptFailed { .. } => Urgency::Failed,
        // Asked about while its journal says it runs: interrupted.
        StepState::Running { .. } if open => Urgency::Failed,
        _ if over && !matches!(rec.state, StepState::Finished(_) | StepState::Pending) => {
            Urgency::Overrunning
        }
        StepState::Running { .. } => Urgency::Running,
        StepState::Ready if open || rec.planned.kind == StepKind::Manual => Urgency::Waiting,
        StepState::Ready => Urgency::Queued,
        // A rollback question is about a step that ended.
        StepState::Finished(_) | StepState::Pending if open => Urgency::Waiting,
        StepState::Finished(_) | StepState::Pending => return None,
    })
}

/// The prompt and what is typed, with a cursor; a long line keeps its end
/// (where the cursor is) and cuts its beginning.
pub fn prompt_line(prompt: &str, typed: &str, width: usize, p: Palette) -> String {
    let cursor = console::Style::new()
        .reverse()
        .force_styling(p.color)
        .apply_to(" ");
    let text = format!("{prompt}{typed}");
    let room = width.saturating_sub(1);
    let chars: Vec<char> = text.chars().collect();
    let text = if console::measure_text_width(&text) > room {
        let keep = room.saturating_sub(1);
        let tail: String = chars[chars.len().saturating_sub(keep)..].iter().collect();
        format!("…{tail}")
    } else {
        text
    };
    format!("{text}{cursor}")
}

#[cfg(test)]
mod tests;
