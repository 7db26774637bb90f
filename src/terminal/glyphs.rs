//! The symbols a terminal can show. The drill's lines are written with
//! Unicode symbols (`✔ ✘ ☐ ▶ ⚠ …`); just before they reach a terminal,
//! [`Glyphs::render`] swaps the ones that terminal cannot draw:
//!
//! - [`Glyphs::Unicode`]: as written (terminal emulators' usual fonts).
//! - [`Glyphs::Console`]: the Linux console (`TERM=linux`), whose fonts
//!   hold a few hundred glyphs: every symbol is one that the console-setup
//!   fonts (Lat15, Lat2, Uni2, Uni3; Fixed, Terminus, VGA) all have.
//! - [`Glyphs::Ascii`]: `--ascii`, `REPRISE_ASCII=1`, or a locale that
//!   says its character set is not UTF-8 (`LANG=C`, `…ISO-8859-1`):
//!   nothing but ASCII is written.

use std::borrow::Cow;

/// Which symbols a terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Glyphs {
    /// Any Unicode symbol.
    #[default]
    Unicode,
    /// What the Linux console's fonts hold.
    Console,
    /// ASCII only.
    Ascii,
}

/// Each symbol reprise writes, as the Linux console shows it, and in ASCII.
const TABLE: &[(char, &str, &str)] = &[
    ('✋', "☐", "[ ]"),
    ('☐', "☐", "[ ]"),
    ('✔', "☑", "ok"),
    ('✓', "☑", "ok"),
    ('✘', "✘", "x"),
    ('×', "×", "x"),
    ('▶', "▶", ">"),
    ('●', "●", "*"),
    ('⚠', "!", "!"),
    ('✎', "¶", "#"),
    ('↩', "←", "<-"),
    ('⇄', "»", "<>"),
    ('↻', "»", ">>"),
    ('↷', "–", "-"),
    ('⏸', "■", "||"),
    ('■', "■", "#"),
    ('⏱', "°", "@"),
    ('✉', "@", "@"),
    ('⇢', "→", "->"),
    ('⇠', "←", "<-"),
    ('⟲', "←", "<-"),
    ('→', "→", "->"),
    ('←', "←", "<-"),
    ('│', "│", "|"),
    ('…', "…", "..."),
    ('·', "·", "-"),
    ('•', "•", "*"),
    ('—', "—", "-"),
    ('–', "–", "-"),
    ('“', "“", "\""),
    ('”', "”", "\""),
    ('‘', "‘", "'"),
    ('’', "’", "'"),
    ('«', "«", "<<"),
    ('»', "»", ">>"),
    ('\u{a0}', " ", " "),
    ('\u{202f}', " ", " "),
];

/// Accented letters of Western European runbooks, without their accents.
const LETTERS: &[(&str, char)] = &[
    ("àâäá", 'a'),
    ("ÀÂÄÁ", 'A'),
    ("éèêë", 'e'),
    ("ÉÈÊË", 'E'),
    ("îïí", 'i'),
    ("ÎÏÍ", 'I'),
    ("ôöó", 'o'),
    ("ÔÖÓ", 'O'),
    ("ùûüú", 'u'),
    ("ÙÛÜÚ", 'U'),
    ("ç", 'c'),
    ("Ç", 'C'),
    ("ñ", 'n'),
    ("Ñ", 'N'),
];

/// The symbols of this process's terminal, chosen once by the command line.
static CHOSEN: std::sync::OnceLock<Glyphs> = std::sync::OnceLock::new();

/// Sets the symbols every terminal line of this process uses (the first
/// call wins).
pub fn choose(glyphs: Glyphs) {
    let _ = CHOSEN.set(glyphs);
}

/// The symbols chosen for this process's terminal ([`Glyphs::Unicode`]
/// when none was chosen: tests, the library).
pub fn chosen() -> Glyphs {
    CHOSEN.get().copied().unwrap_or_default()
}

impl Glyphs {
    /// From `--ascii` (`ascii`), then the environment: `REPRISE_ASCII`
    /// (set and not `0`), the locale (`LC_ALL`, else `LC_CTYPE`, else
    /// `LANG`: a set one that is not UTF-8 means ASCII; none set says
    /// nothing about the terminal and keeps Unicode), and `TERM=linux`.
    pub fn detect(ascii: bool) -> Glyphs {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Glyphs::from_env(
            ascii,
            var("REPRISE_ASCII").as_deref(),
            var("LC_ALL")
                .or_else(|| var("LC_CTYPE"))
                .or_else(|| var("LANG"))
                .as_deref(),
            var("TERM").as_deref(),
        )
    }

    /// [`Glyphs::detect`] from given values (tests).
    pub fn from_env(
        ascii: bool,
        reprise_ascii: Option<&str>,
        locale: Option<&str>,
        term: Option<&str>,
    ) -> Glyphs {
        let utf8 = |l: &str| {
            let l = l.to_ascii_lowercase();
            l.contains("utf-8") || l.contains("utf8")
        };
        if ascii || reprise_ascii.is_some_and(|v| v != "0") || locale.is_some_and(|l| !utf8(l)) {
            Glyphs::Ascii
        } else if term == Some("linux") {
            Glyphs::Console
        } else {
            Glyphs::Unicode
        }
    }

    /// A live line of `width` columns at most, after [`Glyphs::render`]
    /// (whose ASCII stand-ins can be wider than the symbols they replace).
    pub fn fit(self, line: &str, width: usize) -> String {
        let shown = self.render(line);
        if self == Glyphs::Unicode || console::measure_text_width(&shown) <= width {
            return shown.into_owned();
        }
        let tail = if self == Glyphs::Ascii { "." } else { "…" };
        console::truncate_str(&shown, width, tail).into_owned()
    }

    /// `text` with the symbols this terminal cannot show swapped (escape
    /// codes and ASCII untouched).
    pub fn render<'a>(self, text: &'a str) -> Cow<'a, str> {
        if self == Glyphs::Unicode || text.is_ascii() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len() + 8);
        for c in text.chars() {
            if c.is_ascii() {
                out.push(c);
                continue;
            }
            match TABLE.iter().find(|(g, _, _)| *g == c) {
                Some((_, console, ascii)) => out.push_str(if self == Glyphs::Console {
                    console
                } else {
                    ascii
                }),
                None if self == Glyphs::Console => out.push(c),
                None => out.push(
                    LETTERS
                        .iter()
                        .find(|(from, _)| from.contains(c))
                        .map_or('?', |(_, to)| *to),
                ),
            }
        }
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_writes_nothing_else() {
        let line = "☐ 08:00:00 #1 call-vendor — Appeler l’équipe  [role: dba · est 10m] ✋ ✔ ✘ ▶ ⚠ ✎ ↩ → │ … 漢";
        let ascii = Glyphs::Ascii.render(line);
        assert!(ascii.is_ascii(), "{ascii}");
        assert_eq!(
            ascii,
            "[ ] 08:00:00 #1 call-vendor - Appeler l'equipe  [role: dba - est 10m] [ ] ok x > ! # <- -> | ... ?"
        );
        // Colour codes pass through.
        assert_eq!(
            Glyphs::Ascii.render("\x1b[32m✔\x1b[0m"),
            "\x1b[32mok\x1b[0m"
        );
    }

    #[test]
    fn the_console_gets_symbols_its_fonts_have() {
        // Checked against console-setup 1.221's Lat15, Lat2, Uni2 and Uni3
        // fonts (Fixed16, Terminus16, VGA16): each has all of these.
        const CONSOLE_FONTS: &str = "☐☑✘×▶●!¶←»–■°@→│…·•—“”‘’«» ";
        for (glyph, console, _) in TABLE {
            for c in console.chars() {
                assert!(
                    c.is_ascii() || CONSOLE_FONTS.contains(c),
                    "{glyph} is shown as {c}, which the console may not have"
                );
            }
        }
        assert_eq!(
            Glyphs::Console.render("✋ #1 ✔ done ⚠ é"),
            "☐ #1 ☑ done ! é"
        );
        assert_eq!(Glyphs::Unicode.render("✔ ✋"), "✔ ✋");
    }

    #[test]
    fn a_live_line_still_fits_its_width_in_ascii() {
        let line = "#12 ☐ call-vendor  Call the storage vendor — now";
        let width = console::measure_text_width(line);
        let fitted = Glyphs::Ascii.fit(line, width);
        assert!(fitted.is_ascii(), "{fitted}");
        assert!(console::measure_text_width(&fitted) <= width, "{fitted}");
        assert!(fitted.starts_with("#12 [ ] call-vendor"), "{fitted}");
    }

    #[test]
    fn detected_from_the_flag_the_locale_and_the_terminal() {
        let d = Glyphs::from_env;
        assert_eq!(d(true, None, Some("C.UTF-8"), None), Glyphs::Ascii);
        assert_eq!(d(false, Some("1"), None, None), Glyphs::Ascii);
        assert_eq!(d(false, Some("0"), None, None), Glyphs::Unicode);
        assert_eq!(d(false, None, Some("C"), None), Glyphs::Ascii);
        assert_eq!(
            d(false, None, Some("fr_FR.ISO-8859-1"), None),
            Glyphs::Ascii
        );
        assert_eq!(d(false, None, Some("fr_FR.utf8"), None), Glyphs::Unicode);
        assert_eq!(d(false, None, None, Some("xterm")), Glyphs::Unicode);
        assert_eq!(
            d(false, None, Some("en_GB.UTF-8"), Some("linux")),
            Glyphs::Console
        );
        assert_eq!(d(false, None, Some("POSIX"), Some("linux")), Glyphs::Ascii);
    }
}
