//! What the prompt says: the help, an answer accepted, a suggested answer,
//! how a command ended, a confirmation's details.

use super::{Decision, Question};
use crate::i18n::Lang;

/// Every command word the prompt understands, as typed in English; each
/// has its word in every language (`word-…` in `locales/*/terminal-live.ftl`).
pub const COMMANDS: &[&str] = &[
    "done",
    "fail",
    "skip",
    "run",
    "retry",
    "retry-all",
    "mark-done",
    "mark-failed",
    "continue",
    "rollback",
    "abort",
    "refuse",
    "add",
    "cancel",
    "estimate",
    "assign",
    "note",
    "action",
    "handover",
    "hold",
    "release",
    "detach",
    "list",
    "help",
];

/// The word typed for `command` in `lang` (`done` → `fait`).
pub fn typed_word(lang: Lang, command: &str) -> String {
    if COMMANDS.contains(&command) {
        lang.tr(&format!("word-{command}"))
    } else {
        command.to_string()
    }
}

/// The command a typed word means, in any language reprise speaks, with
/// or without its accents (`réessayer`, `reessayer`, `retry`): a crisis
/// cell types in its language, and a keyboard without accents still works.
pub fn command_of(word: &str) -> Option<&'static str> {
    let folded = fold(word);
    COMMANDS
        .iter()
        .copied()
        .find(|c| *c == word || Lang::ALL.iter().any(|l| fold(&typed_word(*l, c)) == folded))
}

/// Lower case without accents: what a word is compared by.
pub(crate) fn fold(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c,
        })
        .collect()
}

/// The commands `help` lists, in [`COMMANDS`]' order: each has its
/// syntax (`help-syntax-…`) and its description (`help-…`) in every
/// language. `retry-all` is told with `retry`.
pub fn help_commands() -> impl Iterator<Item = &'static str> {
    COMMANDS.iter().copied().filter(|c| *c != "retry-all")
}

/// `help`'s entries in `lang`: what to type, what it does.
pub fn help_entries(lang: Lang) -> Vec<(String, String)> {
    help_commands()
        .map(|c| {
            (
                lang.tr(&format!("help-syntax-{c}")),
                lang.tr(&format!("help-{c}")),
            )
        })
        .collect()
}

/// A confirmation's role, hosts, instructions and command, indented, as
/// `list` shows them under its item.
pub(super) fn confirm_details(step: &crate::runbook::Step, lang: Lang) -> Vec<String> {
    let info = crate::terminal::lines::StepInfo::of(step);
    let mut lines = Vec::new();
    if let Some(role) = &info.role {
        let role = lang.tr_args("question-role", &[("role", role.clone().into())]);
        lines.push(format!("    {role}"));
    }
    let p = crate::terminal::lines::Palette::new(false, lang);
    lines.extend(crate::terminal::lines::before_command(&info, p));
    lines
}

/// The commands an item accepts, ready to type.
pub fn accepted(question: &Question, n: u32, lang: Lang) -> String {
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
    let typed = |w: &str| format!("`{} {n}`", typed_word(lang, w));
    let mut words: Vec<String> = words.iter().map(|w| typed(w)).collect();
    if !question.hosts().is_empty() {
        // A remote step: `retry`/`run` only where it is not done yet.
        words.insert(1, typed("retry-all"));
    }
    words.join(", ")
}

/// What an item accepts, the first with the step id as well (the prompt
/// takes either): `` `done 3` (or `done call-vendor`), `fail 3`, `skip 3` ``.
pub fn suggested(question: &Question, n: u32, id: &str, lang: Lang) -> String {
    let all = accepted(question, n, lang);
    let first = all.split(", ").next().unwrap_or_default();
    let word = first
        .trim_matches('`')
        .split(' ')
        .next()
        .unwrap_or_default();
    let or = lang.tr_args("question-or", &[("answer", format!("{word} {id}").into())]);
    let with_id = format!("{first} {or}");
    all.replacen(first, &with_id, 1)
}

/// `, exit 2`, `, timed out`… for a failed attempt: its ending's words.
pub fn exit_words(ending: &crate::event::Ending, lang: Lang) -> String {
    format!(", {}", ending_words(ending, lang))
}

/// `exit 2`, `timed out`… in `lang`: [`Ending::words`](crate::event::Ending::words)
/// in the drill's language.
pub fn ending_words(ending: &crate::event::Ending, lang: Lang) -> String {
    use crate::event::EndingPart;
    match ending.summary() {
        EndingPart::CouldNotStart(e) => {
            lang.tr_args("ending-could-not-start", &[("error", e.to_string().into())])
        }
        EndingPart::TimedOut => lang.tr("ending-timed-out"),
        EndingPart::Killed(s) => lang.tr_args("ending-killed", &[("signal", s.to_string().into())]),
        EndingPart::Exit(c) => lang.tr_args("ending-exit", &[("code", c.into())]),
        EndingPart::NoStatus => lang.tr("ending-no-status"),
    }
}

pub(super) fn help_lines(lang: Lang) -> Vec<String> {
    let entries = help_entries(lang);
    let width = entries
        .iter()
        .map(|(c, _)| c.chars().count())
        .max()
        .unwrap_or(0);
    let mut lines = vec![lang.tr("help-intro")];
    lines.extend(entries.iter().map(|(c, d)| format!("  {c:width$}  {d}")));
    lines.push(format!("  {}", lang.tr("help-ctrl-c")));
    let other = lang.tr("help-other-words");
    if !other.is_empty() && other != "-" {
        lines.push(format!("  {other}"));
    }
    lines
}

pub(super) fn decision_verb(decision: Decision, lang: Lang) -> String {
    lang.tr(match decision {
        Decision::Run => "verb-run",
        Decision::Retry => "verb-retry",
        Decision::RetryAll => "verb-retry-all",
        Decision::MarkDone => "verb-mark-done",
        Decision::MarkFailed => "verb-mark-failed",
        Decision::Skip => "verb-skip",
        Decision::Continue => "verb-continue",
        Decision::Abort => "verb-abort",
        Decision::Rollback => "verb-rollback",
    })
}
