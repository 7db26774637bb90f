//! The language of a command's own words on stderr: its errors, hints and
//! warnings. A command that reads a runbook or a journal says them in the
//! drill's language (the runbook's `lang:`), as soon as it knows it
//! ([`speak`]); before that, and for the commands that read neither, in
//! the environment's (`LC_ALL`, `LC_MESSAGES`, `LANG`), else in English.
//!
//! Process-wide, like the terminal's glyphs: one command, one drill, one
//! language; an error made deep in a command is said by `main`.

use std::io::BufRead;
use std::path::Path;
use std::sync::Mutex;

use crate::i18n::{Lang, Msg};

static SPOKEN: Mutex<Option<Lang>> = Mutex::new(None);

/// The drill's language is `lang`: the command's errors and warnings are
/// said in it from now on.
pub fn speak(lang: Lang) {
    *SPOKEN.lock().unwrap_or_else(|e| e.into_inner()) = Some(lang);
}

/// The runbook's `lang:` (`None`: it has none), else the environment's:
/// what [`Lang::for_runbook`] chooses, said from now on.
pub fn speak_runbook(lang: Option<&str>) {
    speak(Lang::for_runbook(lang));
}

/// The language of the drill recorded in `journal` (its `run_started`
/// line's `exercise.lang`), said from now on; nothing changes when the
/// journal cannot be read or names none.
pub fn speak_journal(journal: &Path) {
    if let Some(lang) = of_journal(journal) {
        speak(lang);
    }
}

/// The language the command's own words are said in now.
pub fn spoken() -> Lang {
    let chosen = *SPOKEN.lock().unwrap_or_else(|e| e.into_inner());
    chosen.or_else(Lang::from_env).unwrap_or_default()
}

/// The language named by the first line of a journal (`run_started`),
/// without reading the rest: a journal can be long, and this is only for
/// the words of an error or a warning.
pub fn of_journal(journal: &Path) -> Option<Lang> {
    // A first line longer than this is not worth reading for a language.
    const LIMIT: u64 = 16 << 20;
    let file = std::fs::File::open(journal).ok()?;
    let mut line = String::new();
    std::io::BufReader::new(std::io::Read::take(file, LIMIT))
        .read_line(&mut line)
        .ok()?;
    let first: serde_json::Value = serde_json::from_str(&line).ok()?;
    Lang::parse(first.get("exercise")?.get("lang")?.as_str()?)
}

/// One line of stderr in `lang`: the prefix message `prefix` (`error-line`,
/// `hint-line`, `warning-line`) around `text`, escaped (it quotes paths,
/// runbook and journal text).
pub fn line(lang: Lang, prefix: &'static str, text: &str) -> String {
    let mut line = Msg::new(prefix)
        .arg("text", crate::escape::text(text))
        .said_in(lang);
    line.push('\n');
    line
}

/// Says a warning on stderr, `warning: …`, in the command's language.
pub fn warn(msg: Msg) {
    let lang = spoken();
    super::show_err(&line(lang, "warning-line", &msg.said_in(lang)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Error;

    #[test]
    fn an_error_is_said_in_the_language_chosen_when_it_is_printed() {
        let e = Error::said(crate::i18n::msg!(
            "attach-not-running",
            journal = "j.jsonl",
            socket = "j.jsonl.sock",
            why = "gone"
        ))
        .hint_said(crate::i18n::msg!(
            "attach-not-running-hint",
            journal = "j.jsonl"
        ));
        // The English is kept for those who read `message`.
        assert!(
            e.message.starts_with("no drill is running on j.jsonl"),
            "{}",
            e.message
        );
        let en = e.render(Lang::En);
        assert!(
            en.starts_with("error: no drill is running on j.jsonl"),
            "{en}"
        );
        assert!(
            en.contains("\nhint: carry it on with `reprise resume j.jsonl`"),
            "{en}"
        );
        let fr = e.render(Lang::Fr);
        assert!(
            fr.starts_with("erreur\u{a0}: aucun exercice n'est en cours sur j.jsonl"),
            "{fr}"
        );
        assert!(
            fr.contains("\nconseil\u{a0}: poursuivez-le avec `reprise resume j.jsonl`"),
            "{fr}"
        );
        assert!(!fr.contains("error:") && !fr.contains("no drill"), "{fr}");
    }

    #[test]
    fn an_error_from_below_is_said_as_written_after_the_languages_prefix() {
        let e = Error::invalid("exit 1\u{1b}[2K").hint("do this");
        assert_eq!(e.render(Lang::En), "error: exit 1\\e[2K\nhint: do this\n");
        assert_eq!(
            e.render(Lang::Fr),
            "erreur\u{a0}: exit 1\\e[2K\nconseil\u{a0}: do this\n"
        );
    }

    #[test]
    fn a_message_inside_a_message_is_said_in_the_same_language() {
        let e = Error::said(
            crate::i18n::msg!("integrity-broken")
                .sub("error", crate::i18n::msg!("journal-empty", journal = "j")),
        );
        assert!(
            e.render(Lang::Fr)
                .contains("le journal j ne contient aucun")
        );
        assert!(e.render(Lang::En).contains("journal j holds no event"));
    }

    #[test]
    fn a_journal_names_its_drills_language_on_its_first_line() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("j.jsonl");
        std::fs::write(
            &path,
            "{\"event\":\"run_started\",\"exercise\":{\"lang\":\"fr\"}}\n{}\n",
        )
        .expect("journal");
        assert_eq!(of_journal(&path), Some(Lang::Fr));
        std::fs::write(&path, "{\"event\":\"run_started\"}\n").expect("journal");
        assert_eq!(of_journal(&path), None);
        assert_eq!(of_journal(&dir.path().join("none.jsonl")), None);
    }
}
