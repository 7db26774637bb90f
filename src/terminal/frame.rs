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
use crate::runbook::StepKind;
use crate::timeline::{StepRecord, StepState, Timeline};

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

/// `#12 ✘ dba      restart-app  attempt 1 failed, exit 1 → answer 12  1m40s / est 2m`
fn row(
    item: &Item<'_>,
    number_width: usize,
    role_width: usize,
    wide: bool,
    last_output: Option<&str>,
    width: usize,
    p: Palette,
) -> String {
    let rec = item.rec;
    let n = item.position + 1;
    let tag = p.key(format!("{:>number_width$}", format!("#{n}")));
    let role = if role_width == 0 {
        String::new()
    } else {
        let r = rec.planned.role.as_deref().unwrap_or("-");
        let r = console::truncate_str(r, role_width, "…");
        format!(
            "{} ",
            p.dim(console::pad_str(
                &r,
                role_width,
                console::Alignment::Left,
                None
            ))
        )
    };
    let id = p.bold(rec.id());
    let timing = lines::against(item.elapsed, rec.planned.estimate, p);
    // What the status shrinks to on a narrow row.
    let mut short = None;
    let answer = || p.key(p.say("frame-answer", &[("number", n.into())]));
    let typed = |command: &str| lines::typed(p, command, n as u32);
    let (glyph, status) = match rec.state {
        StepState::Running { .. } if item.open => (
            "?".to_string(),
            p.say("frame-interrupted", &[("answer", answer().into())]),
        ),
        StepState::Running { attempt } => (
            "▶".to_string(),
            if attempt > 1 {
                p.say("frame-running-attempt", &[("attempt", attempt.into())])
            } else {
                p.tr("frame-running")
            },
        ),
        StepState::Ready if rec.planned.kind == StepKind::Manual => (
            "☐".to_string(),
            if item.open {
                p.say("frame-to-do-then", &[("done", typed("done").into())])
            } else {
                p.tr("frame-to-do")
            },
        ),
        StepState::Ready if item.open => (
            "?".to_string(),
            p.say("frame-waits-go", &[("run", typed("run").into())]),
        ),
        StepState::Ready => ("…".to_string(), p.tr("frame-queued-slot")),
        StepState::AttemptFailed { attempt } => {
            let exit = rec.attempts.last().map_or(String::new(), |a| {
                super::prompt::exit_words(&a.ending, p.lang)
            });
            let next = if item.open {
                p.say("frame-next", &[("answer", answer().into())])
            } else {
                p.tr("frame-retrying")
            };
            short = Some(p.say("frame-failed-short", &[("next", next.clone().into())]));
            (
                p.bad("✘"),
                p.say(
                    "frame-attempt-failed",
                    &[
                        ("attempt", attempt.into()),
                        ("exit", exit.into()),
                        ("next", next.into()),
                    ],
                ),
            )
        }
        StepState::Finished(_) | StepState::Pending => (
            "↩".to_string(),
            p.say(
                "frame-rollback",
                &[("run", typed("run").into()), ("skip", typed("skip").into())],
            ),
        ),
    };
    // A queued step's time is its wait, not work against its estimate.
    let timing = if item.urgency == Urgency::Queued {
        p.length(item.elapsed)
    } else {
        timing
    };
    let title = if wide {
        format!("  {}", rec.planned.title)
    } else {
        String::new()
    };
    let out = match last_output {
        // Last on the line: the first thing cut on a narrow terminal.
        Some(l) if matches!(rec.state, StepState::Running { .. }) => {
            format!("  {} {l}", p.dim("│"))
        }
        _ => String::new(),
    };
    let line = format!("{tag} {glyph} {role}{id}{title}  {status}  {timing}");
    if console::measure_text_width(&line) <= width {
        // The last output, last on the line, is what a cut takes.
        return format!("{line}{out}");
    }
    fitted(
        &format!("{tag} {glyph} {role}"),
        rec.id().as_str(),
        [status.clone(), short.unwrap_or(status)],
        &timing,
        width,
        p,
    )
}

/// A row too wide for its terminal, its time against the estimate kept
/// (what the 80-column rows lost first): the title and the last
/// output go, then the status's short form is used, then the id is cut.
fn fitted(
    head: &str,
    id: &str,
    [status, short]: [String; 2],
    timing: &str,
    width: usize,
    p: Palette,
) -> String {
    let line = |id: &str, status: &str| format!("{head}{}  {status}  {timing}", p.bold(id));
    let full = line(id, &status);
    if console::measure_text_width(&full) <= width {
        return full;
    }
    let short_line = line(id, &short);
    let over = console::measure_text_width(&short_line).saturating_sub(width);
    if over == 0 {
        return short_line;
    }
    // The id cut last, and never below a few letters to recognise it by.
    let keep = console::measure_text_width(id).saturating_sub(over).max(8);
    line(&console::truncate_str(id, keep, "…"), &short)
}

/// `+7 more: 4 waiting for you, 3 running (`list`)`.
fn more_line(rest: &[Item<'_>], p: Palette) -> String {
    let more = p.say(
        "frame-more",
        &[
            ("count", rest.len().into()),
            ("counts", counts(rest, "frame-count-waiting-you", p).into()),
            ("list", p.key(format!("`{}`", p.word("list"))).into()),
        ],
    );
    format!("   {more}")
}

/// `+5 for other roles: 3 waiting, 2 running (`list`)`.
fn others_line(rest: &[Item<'_>], p: Palette) -> String {
    let others = p.say(
        "frame-others",
        &[
            ("count", rest.len().into()),
            ("counts", counts(rest, "frame-count-waiting", p).into()),
            ("list", p.key(format!("`{}`", p.word("list"))).into()),
        ],
    );
    format!("   {others}")
}

/// `4 waiting for you, 3 running`; `waiting` is the message for the items
/// waiting for a person (this terminal's, or another team's).
fn counts(rest: &[Item<'_>], waiting: &str, p: Palette) -> String {
    let count = |u: Urgency| rest.iter().filter(|i| i.urgency == u).count();
    let mut parts = Vec::new();
    for (n, what) in [
        (count(Urgency::Failed), "frame-count-failed"),
        (count(Urgency::Overrunning), "frame-count-overrunning"),
        (count(Urgency::Waiting), waiting),
        (count(Urgency::Running), "frame-count-running"),
        (count(Urgency::Queued), "frame-count-queued"),
    ] {
        if n > 0 {
            parts.push(p.say(what, &[("count", n.into())]));
        }
    }
    parts.join(", ")
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
mod tests {
    use super::*;
    use crate::event::{Event, PlannedPhase, PlannedStep, Stamped};
    use crate::runbook::{Duration, Mode, PhaseId, StepId};

    const PLAIN: Palette = Palette::PLAIN;

    fn at(minute: i64, event: Event) -> Stamped {
        let base: Timestamp = "2026-11-29T08:00:00Z".parse().unwrap();
        Stamped {
            time: base + jiff::SignedDuration::from_secs(minute * 60),
            event,
        }
    }

    /// The hospital's night: 20 steps, 11 roles, 12 manual steps open,
    /// 6 commands running (two of them overrunning), one failed attempt
    /// waiting for a decision, one command waiting for a job slot.
    struct Crisis {
        timeline: Timeline,
        steps: BTreeSet<usize>,
        open: BTreeSet<usize>,
        last_output: Vec<Option<String>>,
    }

    fn crisis() -> Crisis {
        crisis_named(|i| format!("step-{:02}", i + 1), None)
    }

    /// [`crisis`] with step ids from `name` and, when given, one role for
    /// every step.
    fn crisis_named(name: fn(usize) -> String, one_role: Option<&str>) -> Crisis {
        const ROLES: [&str; 11] = [
            "lab",
            "dba",
            "network",
            "storage",
            "vendor",
            "nursing",
            "it-ops",
            "security",
            "comms",
            "facilities",
            "management",
        ];
        let planned: Vec<PlannedStep> = (0..20)
            .map(|i| PlannedStep {
                role: Some(one_role.unwrap_or(ROLES[i % ROLES.len()]).to_string()),
                estimate: Some(Duration::from_secs(600 + 60 * i as u64)),
                ..PlannedStep::new(
                    StepId::new(name(i)),
                    format!("Title of step {}", i + 1),
                    PhaseId::new("main"),
                    if i < 12 {
                        StepKind::Manual
                    } else {
                        StepKind::Command
                    },
                )
            })
            .collect();
        let id = |i: usize| StepId::new(name(i));
        let mut events = vec![at(
            0,
            Event::RunStarted {
                runbook: "lab.yaml".into(),
                runbook_sha256: "00".into(),
                name: "Lab system recovery".into(),
                mode: Mode::Drill,
                dry_run: false,
                operator: "alice".into(),
                host: "ops1".into(),
                reprise_version: "0.1.0".into(),
                rto: Some(Duration::from_secs(4 * 3600)),
                rpo: None,
                services: Vec::new(),
                phases: vec![PlannedPhase {
                    id: PhaseId::new("main"),
                    title: "main".into(),
                }],
                steps: planned,
                exercise: None,
                origin: Default::default(),
            },
        )];
        // Manual steps opened a minute apart: step 1 has waited longest.
        for i in 0..12 {
            events.push(at(i as i64, Event::StepReady { step: id(i) }));
        }
        // Commands 13..18 started at minute 2..7; 19 failed; 20 queued.
        for i in 12..20 {
            events.push(at(i as i64 - 10, Event::StepReady { step: id(i) }));
        }
        for i in 12..19 {
            events.push(at(
                i as i64 - 10,
                Event::StepStarted {
                    step: id(i),
                    attempt: 1,
                    pid: Some(100 + i as u32),
                },
            ));
        }
        events.push(at(
            20,
            Event::AttemptFinished {
                step: id(18),
                attempt: 1,
                ending: crate::event::Ending::exited(4),
            },
        ));
        let timeline = Timeline::from_events(&events);
        let mut open: BTreeSet<usize> = (0..12).collect();
        open.insert(18);
        let mut last_output = vec![None; 20];
        last_output[12] = Some("restoring: 64% of lab_results".into());
        Crisis {
            timeline,
            steps: (0..20).collect(),
            open,
            last_output,
        }
    }

    fn draw(c: &Crisis, size: Size, minute: i64) -> String {
        let live = Live {
            timeline: &c.timeline,
            steps: &c.steps,
            open: &c.open,
            last_output: &c.last_output,
            prompt: Some(("reprise> ", "done 3")),
        };
        let base: Timestamp = "2026-11-29T08:00:00Z".parse().unwrap();
        let now = base + jiff::SignedDuration::from_secs(minute * 60);
        let f = frame(&live, now, size, PLAIN);
        for line in f.lines() {
            assert!(
                console::measure_text_width(line) < usize::from(size.cols),
                "wider than {size:?}: {line:?}"
            );
        }
        assert!(
            f.lines().len() <= usize::from(size.rows) / 2 || f.lines().len() <= 2,
            "taller than half of {size:?}"
        );
        f.lines().join("\n")
    }

    #[test]
    fn a_crisis_at_80x24() {
        insta::assert_snapshot!(
            "frame-80x24",
            draw(&crisis(), Size { rows: 24, cols: 80 }, 25)
        );
    }

    #[test]
    fn a_crisis_at_80x15() {
        insta::assert_snapshot!(
            "frame-80x15",
            draw(&crisis(), Size { rows: 15, cols: 80 }, 25)
        );
    }

    #[test]
    fn a_crisis_at_150x50() {
        insta::assert_snapshot!(
            "frame-150x50",
            draw(
                &crisis(),
                Size {
                    rows: 50,
                    cols: 150
                },
                25
            )
        );
    }

    #[test]
    fn long_ids_and_roles_keep_each_items_time_and_what_to_type_at_80_columns() {
        // The hospital runbook's ids and roles, not `step-01` and `lab`.
        let c = crisis_named(
            |i| format!("verifier-dpi-prescription-{:02}", i + 1),
            Some("DSI – équipe virtualisation"),
        );
        let shown = draw(&c, Size { rows: 24, cols: 80 }, 25);
        let items: Vec<&str> = shown.lines().filter(|l| l.contains("verifier")).collect();
        assert!(items.len() >= 8, "{shown}");
        for row in &items {
            assert!(console::measure_text_width(row) <= 79, "{row}");
            assert!(row.contains("/ est "), "the time is cut: {row}\n{shown}");
            assert!(row.contains("DSI"), "the role is lost: {row}");
        }
        assert!(
            items.iter().any(|r| r.contains("failed → answer 19")),
            "{shown}"
        );
        assert!(items.iter().any(|r| r.contains("→ done 1 ")), "{shown}");
    }

    #[test]
    fn a_tiny_terminal_keeps_the_prompt_and_the_overall_line() {
        let text = draw(&crisis(), Size { rows: 4, cols: 40 }, 25);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[0].starts_with("drill 0/20"), "{text}");
        assert!(lines[1].starts_with("reprise> done 3"), "{text}");
    }

    #[test]
    fn the_most_urgent_come_first_and_the_rest_is_counted() {
        let text = draw(&crisis(), Size { rows: 15, cols: 80 }, 25);
        let first = text.lines().next().unwrap();
        assert!(first.contains("#19") && first.contains("failed"), "{text}");
        assert!(text.contains("more: "), "{text}");
        assert!(text.contains("(`list`)"), "{text}");
    }

    #[test]
    fn a_team_sees_its_own_items_and_the_others_counted() {
        let c = crisis();
        let live = Live {
            timeline: &c.timeline,
            steps: &c.steps,
            open: &c.open,
            last_output: &c.last_output,
            prompt: Some(("reprise> ", "")),
        };
        let base: Timestamp = "2026-11-29T08:00:00Z".parse().unwrap();
        let now = base + jiff::SignedDuration::from_secs(25 * 60);
        let roles: BTreeSet<String> = ["lab".to_string(), "dba".to_string()].into();
        let size = Size { rows: 24, cols: 80 };
        let f = frame_for(&live, &roles, now, size, PLAIN);
        let text = f.lines().join("\n");
        // lab: steps 1 and 12; dba: steps 2 and 13 (roles repeat every 11).
        let rows: Vec<&String> = f.items.iter().filter(|l| l.contains('#')).collect();
        assert_eq!(rows.len(), 4, "{text}");
        for r in &rows {
            assert!(r.contains("lab") || r.contains("dba"), "{text}");
        }
        let last = f.items.last().unwrap();
        assert!(last.contains("+16 for other roles"), "{text}");
        assert!(f.lines().len() <= 12, "{text}");
        // Without roles, the same drill shows every role.
        let all = frame(&live, now, size, PLAIN).items.join("\n");
        assert!(
            all.contains("network") && !all.contains("other roles"),
            "{all}"
        );
    }

    #[test]
    fn a_long_typed_line_keeps_its_end() {
        let line = prompt_line("reprise> ", &"x".repeat(100), 39, PLAIN);
        assert!(line.starts_with('…'), "{line}");
        assert!(console::measure_text_width(&line) <= 39, "{line}");
    }
}
