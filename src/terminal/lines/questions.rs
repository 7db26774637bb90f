//! What the operator reads when a question opens: the step, its
//! instructions (Markdown as plain text), its command, what to type.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::exec::Question;
use crate::runbook::StepKind;
use crate::terminal::prompt::{exit_words, suggested};

use super::{Palette, StepInfo, clock, tail_lines};

/// What the operator is told when a question opens: the step, what to do,
/// and what to type.
pub fn question_lines(
    q: &Question,
    number: u32,
    info: &StepInfo,
    now: Timestamp,
    tz: &TimeZone,
    p: Palette,
) -> Vec<String> {
    let at = clock(now, tz);
    let n = p.key(format!("#{number}"));
    let head = format!("{} — {}", p.bold(&info.id), info.title);
    let mut facts = Vec::new();
    if let Some(role) = &info.role {
        facts.push(p.say("question-role", &[("role", role.clone().into())]));
    }
    if let Some(est) = info.estimate {
        facts.push(p.say("question-estimate", &[("estimate", p.span(est).into())]));
    }
    let facts = if facts.is_empty() {
        String::new()
    } else {
        format!("  [{}]", facts.join(" · "))
    };
    let mut lines = Vec::new();
    match q {
        Question::Manual { .. } => {
            lines.push(format!("☐ {at} {n} {head}{facts}"));
            if let Some(md) = &info.instructions {
                lines.extend(markdown_text(md).into_iter().map(|l| format!("    {l}")));
            }
        }
        Question::Confirm { .. } => {
            let waits = p.say(
                "question-confirm",
                &[("step", head.into()), ("facts", facts.into())],
            );
            lines.push(format!("? {at} {n} {waits}"));
            lines.extend(before_command(info, p));
        }
        Question::Failed { exit, .. } => {
            lines.push(format!(
                "{} {at} {n} {head} {}{}",
                p.bad("✘"),
                p.bad(p.tr("live-outcome-failed")),
                exit_words(&exit.ending, p.lang)
            ));
            if !q.hosts().is_empty() {
                let hosts = super::hosts::summary(q.hosts(), p);
                lines.push(format!(
                    "    {}",
                    p.say("live-hosts", &[("hosts", hosts.into())])
                ));
            }
            lines.extend(tail_lines(&exit.output_tail, p));
        }
        Question::Rollback { .. } => {
            let back = p.say("question-rollback", &[("step", head.into())]);
            lines.push(format!("↩ {at} {n} {back}"));
            match (&info.rollback, info.kind) {
                (Some(text), StepKind::Manual) => {
                    lines.extend(markdown_text(text).into_iter().map(|l| format!("    {l}")));
                }
                (Some(c), _) => lines.extend(command_lines(c, p)),
                (None, _) => {}
            }
        }
        Question::Interrupted { .. } => {
            let stopped = p.say(
                "question-interrupted",
                &[("step", head.into()), ("facts", facts.into())],
            );
            lines.push(format!("? {at} {n} {stopped}"));
            if !q.hosts().is_empty() {
                let hosts = super::hosts::summary(q.hosts(), p);
                lines.push(format!(
                    "    {}",
                    p.say("live-hosts", &[("hosts", hosts.into())])
                ));
            }
            if let Some(c) = &info.command {
                lines.extend(command_lines(c, p));
            }
        }
    }
    lines.push(format!("    → {}", suggested(q, number, &info.id, p.lang)));
    lines
}

/// What an operator reads before saying go to a command, indented under
/// its item: the hosts it runs on, the instructions (the runbook's
/// "only after …" warnings live there), then the command itself.
pub fn before_command(info: &StepInfo, p: Palette) -> Vec<String> {
    let mut lines = Vec::new();
    if !info.hosts.is_empty() {
        let on = p.say("question-on", &[("hosts", info.hosts.join(", ").into())]);
        lines.push(format!("    {on}"));
    }
    if let Some(md) = &info.instructions {
        lines.extend(markdown_text(md).into_iter().map(|l| format!("    {l}")));
    }
    if let Some(c) = &info.command {
        lines.extend(command_lines(c, p));
    }
    lines
}

/// `    command: first line`, the command's further lines (a shell script)
/// indented under its first.
pub fn command_lines(command: &str, p: Palette) -> Vec<String> {
    let head = format!("    {} ", p.tr("question-command"));
    let width = head.chars().count();
    let mut lines = Vec::new();
    for (i, l) in command.trim_end().lines().enumerate() {
        if i == 0 {
            lines.push(format!("{head}{l}"));
        } else if l.is_empty() {
            lines.push(String::new());
        } else {
            lines.push(format!("{:width$}{l}", ""));
        }
    }
    lines
}

/// Markdown shown as plain text: headings, emphasis, code marks and fences
/// dropped, links written out, list bullets kept.
pub fn markdown_text(md: &str) -> Vec<String> {
    md.trim_end()
        .lines()
        .filter(|l| !l.trim_start().starts_with("```"))
        .map(|l| {
            let trimmed = l.trim_start();
            let indent = &l[..l.len() - trimmed.len()];
            let body = trimmed.trim_start_matches('#');
            let body = if body.len() != trimmed.len() && body.starts_with(' ') {
                body.trim_start()
            } else {
                trimmed
            };
            let body = match body.strip_prefix("* ").or_else(|| body.strip_prefix("- ")) {
                Some(rest) => format!("• {rest}"),
                None => body.to_string(),
            };
            format!("{indent}{}", inline_markdown(&body))
        })
        .collect()
}

/// `**a**` → `a`, `` `b` `` → `b`, `[c](u)` → `c (u)`.
fn inline_markdown(s: &str) -> String {
    let s = s.replace("**", "").replace("__", "").replace('`', "");
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find("](") else { break };
        let Some(end) = after[close + 2..].find(')') else {
            break;
        };
        out.push_str(&rest[..open]);
        let text = &after[..close];
        let url = &after[close + 2..close + 2 + end];
        out.push_str(&format!("{text} ({url})"));
        rest = &after[close + 2 + end + 1..];
    }
    out.push_str(rest);
    out
}
