//! What `reprise attach` says by itself, in the drill's language: the
//! drill stopped or gone, a line typed while it does not run, a role no
//! step has (locales/*/attach-client.ftl).

use std::path::Path;

use crate::i18n::{Lang, msg};

/// The drill's process is gone (its socket closed without a word).
pub fn gone(lang: Lang, journal: &Path) -> [String; 2] {
    [
        msg!("attach-client-gone", journal = journal.display()).said_in(lang),
        comes_back(lang),
    ]
}

/// The drill said it was stopped (held, or resumable).
pub fn stopped(lang: Lang, journal: &Path) -> [String; 2] {
    [
        msg!("attach-client-stopped", journal = journal.display()).said_in(lang),
        comes_back(lang),
    ]
}

fn comes_back(lang: Lang) -> String {
    // Indented under the line it explains (Fluent trims leading spaces).
    format!("  {}", lang.tr("attach-client-comes-back"))
}

/// A line typed while the drill is not running.
pub fn not_recorded(lang: Lang, journal: &Path) -> String {
    format!(
        "  {}",
        msg!("attach-client-not-recorded", journal = journal.display()).said_in(lang)
    )
}

/// Attaching again was refused; `why` is already escaped.
pub fn refused(lang: Lang, why: &str) -> String {
    msg!("attach-client-refused", why = why).said_in(lang)
}

/// The drill ended (a drill of an older reprise does not say it).
pub fn ended(lang: Lang) -> String {
    lang.tr("attach-drill-ended")
}

/// Roles asked for (`--role`, already escaped) that no step has, and the
/// drill's roles.
pub fn unknown_roles(lang: Lang, unknown: &str, known: &[&str]) -> String {
    let known = if known.is_empty() {
        lang.tr("attach-no-roles")
    } else {
        known.join(", ")
    };
    msg!("attach-unknown-role", roles = unknown, known = known).said_in(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_words_are_unchanged() {
        let j = Path::new("j.jsonl");
        assert_eq!(
            stopped(Lang::En, j),
            [
                "⏸ the drill was stopped; carry it on with `reprise resume j.jsonl`;",
                "  this terminal attaches again by itself once it runs (Ctrl-C to leave)"
            ]
        );
        assert_eq!(
            gone(Lang::En, j)[0],
            "⚠ the drill stopped: its process is gone. Carry it on with `reprise resume j.jsonl`;"
        );
        assert_eq!(
            not_recorded(Lang::En, j),
            "  not recorded: the drill is not running (`reprise resume j.jsonl`); `detach` or Ctrl-C to leave"
        );
        assert_eq!(
            refused(Lang::En, "x"),
            "⚠ the drill refused this terminal: x"
        );
        assert_eq!(ended(Lang::En), "the drill ended");
        assert_eq!(
            unknown_roles(Lang::En, "lab", &["dba", "net"]),
            "no step has the role lab: the drill's roles are dba, net"
        );
        assert_eq!(
            unknown_roles(Lang::En, "lab", &[]),
            "no step has the role lab: the drill's roles are none"
        );
    }

    #[test]
    fn a_french_drill_is_told_in_french() {
        let j = Path::new("j.jsonl");
        let said = [
            stopped(Lang::Fr, j).join("\n"),
            gone(Lang::Fr, j).join("\n"),
            not_recorded(Lang::Fr, j),
            refused(Lang::Fr, "x"),
            ended(Lang::Fr),
            unknown_roles(Lang::Fr, "labo", &[]),
        ];
        let french = [
            "l'exercice a été arrêté",
            "son processus a disparu",
            "l'exercice ne tourne pas",
            "a refusé ce terminal",
            "exercice",
            "aucune étape n'a le rôle labo\u{a0}: les rôles de l'exercice sont aucun",
        ];
        for (said, french) in said.iter().zip(french) {
            assert!(said.contains(french), "{said}");
            for english in ["the drill", "carry it on", "no step has", "none"] {
                assert!(!said.contains(english), "{said}");
            }
        }
        assert!(said[0].contains("`reprise resume j.jsonl`"));
        assert!(said[0].contains("ce terminal se rattache"));
    }
}
