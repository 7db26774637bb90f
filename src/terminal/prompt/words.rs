//! What the prompt says: the help, an answer accepted, a suggested answer,
//! how a command ended, a confirmation's details.

use super::{Decision, Question};

/// The words the prompt understands, for `help` and for error messages.
pub const HELP: &[(&str, &str)] = &[
    (
        "done N",
        "manual step N is done (a manual rollback: it was carried out)",
    ),
    ("fail N [REASON]", "manual step N failed"),
    (
        "skip N [REASON]",
        "leave step N (or rollback N) out; dependents go on",
    ),
    (
        "run N",
        "run the command of N (a confirmation, a rollback, an interrupted step)",
    ),
    ("retry N [REASON]", "run failed step N again"),
    (
        "mark-done N [REASON]",
        "mark failed or interrupted step N done by hand",
    ),
    ("mark-failed N [REASON]", "mark interrupted step N failed"),
    (
        "continue N [REASON]",
        "leave failed step N failed; its dependents go on",
    ),
    (
        "rollback N [REASON]",
        "abort and undo the completed steps (failed step N)",
    ),
    (
        "abort [N] [REASON]",
        "stop the drill (N: about failed step N)",
    ),
    (
        "refuse N [REASON]",
        "refuse to approve step N (a step needing approvals); it stays waiting",
    ),
    (
        "add TITLE; after N; before N; reason WHY[; run CMD]",
        "add an unplanned step (also role, estimate, timeout); a command runs once confirmed",
    ),
    (
        "cancel N REASON",
        "step N is not needed: skipped, dependents go on",
    ),
    (
        "estimate N DURATION|until TIME REASON",
        "a new estimate for step N (2h, or until 2026-12-07T14:00)",
    ),
    (
        "assign N ROLE|ACCOUNT REASON",
        "hand step N to another role or person",
    ),
    ("note [#N] TEXT", "record an observation (about item N)"),
    (
        "action OWNER DUE TEXT",
        "record a corrective action (DUE as YYYY-MM-DD) for the debrief",
    ),
    (
        "handover NAME [NOTE]",
        "hand over to NAME: later records are theirs",
    ),
    (
        "hold REASON",
        "no new step starts until `release` (running ones finish)",
    ),
    ("release", "end the hold: steps start again"),
    (
        "detach",
        "leave this terminal (also Ctrl-D); the drill goes on",
    ),
    ("list", "show the open items"),
    ("help", "show this list"),
];

/// A confirmation's role, hosts, instructions and command, indented, as
/// `list` shows them under its item.
pub(super) fn confirm_details(step: &crate::runbook::Step) -> Vec<String> {
    let info = crate::terminal::lines::StepInfo::of(step);
    let mut lines = Vec::new();
    if let Some(role) = &info.role {
        lines.push(format!("    role: {role}"));
    }
    lines.extend(crate::terminal::lines::before_command(&info));
    lines
}

/// The commands an item accepts, ready to type.
pub fn accepted(question: &Question, n: u32) -> String {
    let words: &[&str] = match question {
        Question::Manual { .. } => &["done", "fail", "skip"],
        Question::Confirm { .. } => &["run", "skip"],
        Question::Failed { .. } => &[
            "retry",
            "mark-done",
            "skip",
            "continue",
            "abort",
            "rollback",
        ],
        Question::Rollback { .. } => &["run", "skip"],
        Question::Interrupted { .. } => &["run", "mark-done", "mark-failed"],
    };
    let mut words: Vec<String> = words.iter().map(|w| format!("`{w} {n}`")).collect();
    if !question.hosts().is_empty() {
        // A remote step: `retry`/`run` only where it is not done yet.
        words.insert(1, format!("`retry-all {n}`"));
    }
    words.join(", ")
}

/// What an item accepts, the first with the step id as well (the prompt
/// takes either): `` `done 3` (or `done call-vendor`), `fail 3`, `skip 3` ``.
pub fn suggested(question: &Question, n: u32, id: &str) -> String {
    let all = accepted(question, n);
    let first = all.split(", ").next().unwrap_or_default();
    let word = first
        .trim_matches('`')
        .split(' ')
        .next()
        .unwrap_or_default();
    let with_id = format!("{first} (or `{word} {id}`)");
    all.replacen(first, &with_id, 1)
}

/// `, exit 2`, `, timed out`… for a failed attempt: its ending's words.
pub fn exit_words(ending: &crate::event::Ending) -> String {
    format!(", {}", ending.words())
}

pub(super) fn help_lines() -> Vec<String> {
    let width = HELP.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    let mut lines = vec![
        "N is an item number (shown as #N) or a step id; a missing REASON is asked for."
            .to_string(),
    ];
    lines.extend(HELP.iter().map(|(c, d)| format!("  {c:width$}  {d}")));
    lines.push("  Ctrl-C asks whether to abort; Ctrl-C again while asked forces it.".to_string());
    lines
}

pub(super) fn decision_verb(decision: Decision) -> &'static str {
    match decision {
        Decision::Run => "run",
        Decision::Retry => "retry",
        Decision::RetryAll => "retry on every host",
        Decision::MarkDone => "mark done",
        Decision::MarkFailed => "mark failed",
        Decision::Skip => "skip",
        Decision::Continue => "continue past",
        Decision::Abort => "abort at",
        Decision::Rollback => "roll back at",
    }
}
