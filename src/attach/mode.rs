//! What an attached terminal may record.
//!
//! A team's terminal types the same words as the coordinator's. A
//! read-only terminal (`attach --read-only`) only watches: the live view,
//! `list`, `help`. An observer (`attach --observer`, the crisis exercise's
//! observers, apart from players and facilitators) watches and writes
//! notes (`note TEXT`), recorded as observations under its own account and
//! listed apart in the report. Anything else typed there records nothing
//! and says why.

use fluent_templates::fluent_bundle::FluentValue;

use crate::i18n::Lang;

/// The capacity a client attached in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Records outcomes, decisions, notes (within its roles).
    Player,
    /// Watches only.
    ReadOnly,
    /// Watches and records notes as an observer.
    Observer,
}

impl Mode {
    /// From the client's greeting: `--observer` wins over `--read-only`
    /// (an observer is read-only plus notes).
    pub fn of(read_only: bool, observer: bool) -> Mode {
        match (read_only, observer) {
            (_, true) => Mode::Observer,
            (true, false) => Mode::ReadOnly,
            (false, false) => Mode::Player,
        }
    }

    /// Recorded in `operator_attached.read_only`: it records no step.
    pub fn read_only(self) -> bool {
        self != Mode::Player
    }

    /// Said when it attaches, after who it is, in the drill's language.
    pub fn greeting(self, lang: Lang) -> String {
        lang.tr(match self {
            Mode::Player => "attach-mode-player",
            Mode::ReadOnly => "attach-mode-read-only",
            Mode::Observer => "attach-mode-observer",
        })
    }

    /// `None` when `line` may go to the prompt; otherwise what to say
    /// instead (nothing is recorded).
    pub fn screen(self, line: &str, lang: Lang) -> Option<String> {
        let typed = line.split_whitespace().next().unwrap_or("");
        // The command a word means in any language (`liste`, `aide`).
        let word = crate::terminal::prompt::command_of(typed).unwrap_or(typed);
        let watching = matches!(word, "" | "help" | "?" | "list" | "ls");
        match self {
            Mode::Player => None,
            Mode::ReadOnly if watching => None,
            Mode::Observer if watching || word == "note" => None,
            Mode::ReadOnly => Some(refusal(lang, "attach-read-only-refused", typed)),
            Mode::Observer => Some(refusal(lang, "attach-observer-refused", typed)),
        }
    }
}

/// Why `typed` records nothing here, in the drill's language.
fn refusal(lang: Lang, id: &str, typed: &str) -> String {
    lang.tr_args(id, &[("typed", FluentValue::from(typed.to_string()))])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_only_terminal_only_watches_and_an_observer_also_notes() {
        for line in [
            "done 1",
            "skip 2 no",
            "hold night",
            "abort",
            "note hello",
            "handover bob",
        ] {
            let said = Mode::ReadOnly.screen(line, Lang::En).unwrap_or_default();
            assert!(said.contains("nothing was recorded"), "{line}: {said}");
        }
        // In the drill's language too.
        for line in ["list", "help", "", "liste", "aide"] {
            assert_eq!(Mode::ReadOnly.screen(line, Lang::En), None, "{line}");
            assert_eq!(Mode::Observer.screen(line, Lang::En), None, "{line}");
        }
        assert_eq!(
            Mode::Observer.screen("note the vendor is late", Lang::En),
            None
        );
        assert!(Mode::ReadOnly.screen("fait 1", Lang::En).is_some());
        let said = Mode::Observer.screen("done 1", Lang::En).unwrap();
        assert!(said.contains("only `note TEXT`"), "{said}");
        assert_eq!(Mode::Player.screen("done 1", Lang::En), None);
        assert_eq!(Mode::of(true, true), Mode::Observer);
        assert!(Mode::Observer.read_only() && !Mode::Player.read_only());
    }

    #[test]
    fn a_french_drill_tells_a_watching_terminal_in_french() {
        let fr = Lang::Fr;
        let said = Mode::ReadOnly.screen("fait 1", fr).unwrap();
        assert!(
            said.contains("lecture seule") && said.contains("rien n'a été enregistré"),
            "{said}"
        );
        assert!(!said.contains("nothing was recorded"), "{said}");
        assert!(
            said.contains("\u{a0}:") && said.contains("\u{202f};"),
            "{said:?}"
        );
        let said = Mode::Observer.screen("fait 1", fr).unwrap();
        assert!(said.contains("n'enregistre que `note TEXTE`"), "{said}");
        assert!(!said.contains("only `note TEXT`"), "{said}");
        assert_eq!(
            Mode::Observer.screen("note le fournisseur est en retard", fr),
            None
        );
        assert_eq!(Mode::ReadOnly.screen("liste", fr), None);
        for mode in [Mode::Player, Mode::ReadOnly, Mode::Observer] {
            let fr = mode.greeting(Lang::Fr);
            assert!(fr.contains("`détacher` pour partir"), "{fr}");
            assert!(mode.greeting(Lang::En).contains("`detach` to leave"));
        }
        assert!(
            Mode::ReadOnly
                .greeting(Lang::Fr)
                .starts_with("lecture seule\u{a0}:")
        );
        assert_eq!(
            Mode::ReadOnly.greeting(Lang::En),
            "read-only: you see the drill, nothing you type is recorded; `detach` to leave"
        );
    }
}
