//! Making untrusted text safe to print on a terminal.
//!
//! Runbooks, journals and the output of commands can hold control
//! characters: a carriage return or `ESC [2K` that erases what came before
//! it on the line, OSC sequences that set the window title or write the
//! clipboard, bidirectional overrides that reorder what is shown. Printed
//! raw, such text can show a reviewer `systemctl restart billing` where the
//! command really is `touch /tmp/PWNED # …`. Every text of that origin goes
//! through [`line`] (one line: names, commands, journal fields) or [`text`]
//! (several lines: instructions, notes) before it reaches a terminal; the
//! control characters then show as visible escapes (`\r`, `\e`, `\x07`,
//! `\u{202e}`) and nothing is hidden.
//!
//! A backslash is left as it is: a literal `\e` typed in a runbook shows as
//! `\e`, which hides nothing either.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::event::Event;

/// `s` with every control character escaped, including line ends and tabs:
/// for text shown on one line (a step's name, a command line, a field of the
/// journal, a line of a command's output).
pub fn line(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// `s` with every control character escaped except line ends (`\n`) and
/// tabs, which keep their meaning: for text shown on several lines (a manual
/// step's instructions, a note). A `\r` is escaped, also before a `\n`.
pub fn text(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

/// True when `s` holds a character that [`line`] would escape other than a
/// line end or a tab: what `check` warns about in commands.
pub fn has_hidden(s: &str) -> bool {
    s.chars().any(|c| c != '\n' && c != '\t' && needs_escape(c))
}

/// True for the characters a terminal would interpret rather than show: C0
/// controls, DEL, C1 controls (U+0080–U+009F, which some terminals take as
/// 8-bit escapes, `\u{9b}` being a CSI), and the bidirectional-formatting
/// characters that reorder the text around them ("Trojan Source").
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Fields of a journal record shown on several lines ([`text`]); every
/// other string is escaped as one [`line`].
const MULTI_LINE: &[&str] = &["instructions", "text", "note"];

/// `event` with every string escaped for a terminal (see [`MULTI_LINE`]):
/// what a consumer that prints events (the terminal view, `status`) folds
/// instead of the event as recorded. Identifiers and enum values never hold
/// control characters (the parser refuses them), so they come back
/// unchanged. Borrowed when there is nothing to escape.
pub fn event(event: &Event) -> Cow<'_, Event> {
    let Ok(mut value) = serde_json::to_value(event) else {
        return Cow::Borrowed(event);
    };
    if !escape_value(&mut value, false) {
        return Cow::Borrowed(event);
    }
    match serde_json::from_value(value) {
        Ok(escaped) => Cow::Owned(escaped),
        Err(_) => Cow::Borrowed(event),
    }
}

/// [`event`] for a stamped event.
pub fn stamped(stamped: &crate::event::Stamped) -> Cow<'_, crate::event::Stamped> {
    match event(&stamped.event) {
        Cow::Borrowed(_) => Cow::Borrowed(stamped),
        Cow::Owned(event) => Cow::Owned(crate::event::Stamped {
            time: stamped.time,
            event,
        }),
    }
}

/// Escapes the strings of `value` in place; true if any changed.
fn escape_value(value: &mut serde_json::Value, keep_lines: bool) -> bool {
    match value {
        serde_json::Value::String(s) => match escape(s, keep_lines) {
            Cow::Owned(e) => {
                *s = e;
                true
            }
            Cow::Borrowed(_) => false,
        },
        serde_json::Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, v| escape_value(v, keep_lines) | changed),
        serde_json::Value::Object(map) => map.iter_mut().fold(false, |changed, (k, v)| {
            escape_value(v, MULTI_LINE.contains(&k.as_str())) | changed
        }),
        _ => false,
    }
}

fn escape(s: &str, keep_lines: bool) -> Cow<'_, str> {
    let keep = |c: char| keep_lines && (c == '\n' || c == '\t');
    if !s.chars().any(|c| needs_escape(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !needs_escape(c) || keep(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{1b}' => out.push_str("\\e"),
            '\0' => out.push_str("\\0"),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_carriage_return_and_an_erase_sequence_are_shown_not_obeyed() {
        let hostile = "touch /tmp/PWNED # \r\u{1b}[2K    systemctl restart billing";
        assert_eq!(
            line(hostile),
            "touch /tmp/PWNED # \\r\\e[2K    systemctl restart billing"
        );
    }

    #[test]
    fn every_kind_of_control_is_escaped_visibly() {
        assert_eq!(line("a\u{7}b\0c\u{7f}"), "a\\x07b\\0c\\x7f");
        assert_eq!(line("x\u{9b}31m"), "x\\u{9b}31m");
        assert_eq!(line("ab\u{202e}cd"), "ab\\u{202e}cd");
        assert_eq!(line("osc\u{1b}]52;c;Zm9v\u{7}"), "osc\\e]52;c;Zm9v\\x07");
        assert_eq!(line("one\ntwo\tthree"), "one\\ntwo\\tthree");
    }

    #[test]
    fn text_keeps_lines_and_tabs_but_not_carriage_returns() {
        assert_eq!(text("one\r\ntwo\tthree\u{1b}[H"), "one\\r\ntwo\tthree\\e[H");
    }

    #[test]
    fn an_event_comes_back_with_its_text_escaped_and_its_ids_intact() {
        use crate::event::{Outcome, Source};
        use crate::runbook::StepId;
        let finished = |reason: &str, tail: &str| Event::StepFinished {
            origin: Default::default(),
            step: StepId::new("drop-replica"),
            outcome: Outcome::Failed,
            exit_code: Some(1),
            reason: Some(reason.into()),
            by: "alice".into(),
            source: Source::Operator,
            attempts: 1,
            output_tail: vec![tail.into()],
        };
        let hostile = finished("fake\r\u{1b}]0;title\u{7}", "\u{1b}]52;c;Zm9v\u{7}");
        assert_eq!(
            event(&hostile).into_owned(),
            finished("fake\\r\\e]0;title\\x07", "\\e]52;c;Zm9v\\x07")
        );
        let plain = finished("no space left", "disk full");
        assert!(matches!(event(&plain), Cow::Borrowed(_)));
        let note = Event::Note {
            origin: Default::default(),
            text: "two\nlines\u{1b}[2J".into(),
            by: "bob\r".into(),
            step: None,
        };
        let Event::Note { text, by, .. } = event(&note).into_owned() else {
            unreachable!()
        };
        assert_eq!((text.as_str(), by.as_str()), ("two\nlines\\e[2J", "bob\\r"));
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        for s in ["systemctl restart billing", "é ü 日本 ✓ — 'quoted' \\e"] {
            assert!(matches!(line(s), Cow::Borrowed(_)));
            assert_eq!(line(s), s);
        }
        assert!(!has_hidden("a\tb\nc"));
        assert!(has_hidden("a\rb"));
    }
}
