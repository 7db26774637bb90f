//! One row of the live region: an item's number, role, id, status and
//! time, fitted to the terminal's width; the `+N more` and other roles'
//! lines.

use super::{Item, StepKind, StepState, Urgency, lines};
use crate::terminal::lines::Palette;

/// `#12 ✘ dba      restart-app  attempt 1 failed, exit 1 → answer 12  1m40s / est 2m`
pub(super) fn row(
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
                crate::terminal::prompt::exit_words(&a.ending, p.lang)
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
pub(super) fn fitted(
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
pub(super) fn more_line(rest: &[Item<'_>], p: Palette) -> String {
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
pub(super) fn others_line(rest: &[Item<'_>], p: Palette) -> String {
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
pub(super) fn counts(rest: &[Item<'_>], waiting: &str, p: Palette) -> String {
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
