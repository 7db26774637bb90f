//! The reasons the engine itself writes into `step_finished` records (a
//! step aborted, not applicable in this mode…). The journal keeps them in
//! English, word for word as before: they are its stable interface. Who
//! shows a recorded reason says these in the drill's language
//! ([`reason_in`]); any other reason (an operator's) is shown as written.

use std::borrow::Cow;

use crate::i18n::Lang;
use crate::runbook::Mode;

/// A reason the engine writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineReason {
    /// Open or waiting when the drill was aborted.
    Aborted,
    /// Failed and waiting for a decision when the drill was aborted.
    AbortedBeforeDecision,
    /// Its command was running when the drill was aborted.
    AbortedWhileRunning,
    /// Cut short by an abort that reprise did not see to its end.
    AbortedUnrecorded,
    /// A remote step done on every host before an interruption.
    DoneBeforeInterruption,
    /// A step that runs only in this mode (`only:`).
    OnlyIn(Mode),
}

const ALL_FIXED: [EngineReason; 5] = [
    EngineReason::Aborted,
    EngineReason::AbortedBeforeDecision,
    EngineReason::AbortedWhileRunning,
    EngineReason::AbortedUnrecorded,
    EngineReason::DoneBeforeInterruption,
];

impl EngineReason {
    /// As the journal records it.
    pub fn text(self) -> String {
        match self {
            EngineReason::Aborted => "the drill was aborted".into(),
            EngineReason::AbortedBeforeDecision => "the drill was aborted before a decision".into(),
            EngineReason::AbortedWhileRunning => "the drill was aborted while it ran".into(),
            EngineReason::AbortedUnrecorded => {
                "the drill was aborted; reprise stopped before this step's end was recorded".into()
            }
            EngineReason::DoneBeforeInterruption => {
                "done on every host before the interruption".into()
            }
            EngineReason::OnlyIn(mode) => format!("runs only in {mode} mode"),
        }
    }

    /// The engine's reason recorded as `text`, if it is one.
    pub fn of(text: &str) -> Option<EngineReason> {
        if let Some(mode) = text
            .strip_prefix("runs only in ")
            .and_then(|m| m.strip_suffix(" mode"))
        {
            return [Mode::Drill, Mode::Incident]
                .into_iter()
                .find(|m| m.to_string() == mode)
                .map(EngineReason::OnlyIn);
        }
        ALL_FIXED.into_iter().find(|r| r.text() == text)
    }

    /// In `lang` (`locales/*/engine-reasons.ftl`).
    pub fn say(self, lang: Lang) -> String {
        match self {
            EngineReason::Aborted => lang.tr("engine-reason-aborted"),
            EngineReason::AbortedBeforeDecision => lang.tr("engine-reason-aborted-before-decision"),
            EngineReason::AbortedWhileRunning => lang.tr("engine-reason-aborted-while-running"),
            EngineReason::AbortedUnrecorded => lang.tr("engine-reason-aborted-unrecorded"),
            EngineReason::DoneBeforeInterruption => {
                lang.tr("engine-reason-done-before-interruption")
            }
            EngineReason::OnlyIn(mode) => lang.tr(&format!("engine-reason-only-in-{mode}")),
        }
    }
}

/// A recorded reason as `lang` says it: the engine's own words in the
/// language, anyone else's as written.
pub fn reason_in(reason: &str, lang: Lang) -> Cow<'_, str> {
    match EngineReason::of(reason) {
        Some(r) if lang != Lang::En => Cow::Owned(r.say(lang)),
        _ => Cow::Borrowed(reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<EngineReason> {
        let mut all = ALL_FIXED.to_vec();
        all.extend([Mode::Drill, Mode::Incident].map(EngineReason::OnlyIn));
        all
    }

    #[test]
    fn docs_journal_lists_every_reason_the_engine_writes() {
        let doc = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/journal.md"),
        )
        .unwrap();
        for r in all() {
            assert!(
                doc.contains(&format!("`{}`", r.text())),
                "docs/journal.md does not list {:?}",
                r.text()
            );
        }
    }

    #[test]
    fn the_journals_words_are_read_back_and_said_in_each_language() {
        assert_eq!(
            EngineReason::AbortedUnrecorded.text(),
            "the drill was aborted; reprise stopped before this step's end was recorded"
        );
        assert_eq!(
            EngineReason::OnlyIn(Mode::Incident).text(),
            "runs only in incident mode"
        );
        for r in all() {
            let text = r.text();
            assert_eq!(EngineReason::of(&text), Some(r));
            assert_eq!(
                r.say(Lang::En),
                text,
                "the English message is the journal's"
            );
            assert_eq!(reason_in(&text, Lang::En), text);
            let fr = reason_in(&text, Lang::Fr);
            assert_ne!(fr, text);
            for english in ["drill", "aborted", "runs only", "done on", "mode"] {
                assert!(!fr.contains(english), "{english:?} in {fr}");
            }
        }
        assert_eq!(
            reason_in("the drill was aborted", Lang::Fr),
            "l'exercice a été abandonné"
        );
        // An operator's reason is theirs.
        assert_eq!(
            reason_in("vendor unreachable", Lang::Fr),
            "vendor unreachable"
        );
        assert_eq!(EngineReason::of("runs only in night mode"), None);
    }
}
