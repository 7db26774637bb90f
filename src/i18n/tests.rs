//! The messages in every language, checked.

use super::*;
use std::collections::BTreeSet;

fn ids(lang: &str) -> BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(lang);
    let mut ids = BTreeSet::new();
    for f in std::fs::read_dir(&dir).expect("locale folder") {
        let path = f.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("ftl file");
        for line in text.lines() {
            let starts_message = line.chars().next().is_some_and(|c| c.is_ascii_lowercase());
            if let Some((id, _)) = line.split_once(" =").filter(|_| starts_message) {
                ids.insert(format!(
                    "{}:{id}",
                    path.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    ids
}

#[test]
fn every_message_exists_in_every_language() {
    let en = ids("en");
    assert!(en.len() > 10, "English messages found: {}", en.len());
    for lang in Lang::ALL {
        let other = ids(lang.code());
        let missing: Vec<_> = en.difference(&other).collect();
        let extra: Vec<_> = other.difference(&en).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}: missing {missing:?}, not in English {extra:?}",
            lang.code()
        );
    }
}

#[test]
fn every_message_is_defined_once_per_language() {
    // Fluent refuses a bundle with two messages of the same name, and
    // fluent-templates panics on it at the first lookup.
    for lang in Lang::ALL {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang.code());
        let mut seen = BTreeSet::new();
        for f in std::fs::read_dir(&dir).expect("locale folder") {
            let text = std::fs::read_to_string(f.expect("entry").path()).expect("ftl");
            for line in text.lines() {
                let starts_message = line.chars().next().is_some_and(|c| c.is_ascii_lowercase());
                if let Some((id, _)) = line.split_once(" =").filter(|_| starts_message) {
                    assert!(seen.insert(id.to_string()), "{}: {id} twice", lang.code());
                }
            }
        }
    }
}

/// The ids given as literals to `msg!` and `Msg::new` in the code.
fn ids_in_code() -> BTreeSet<String> {
    fn walk(dir: &std::path::Path, out: &mut BTreeSet<String>) {
        for f in std::fs::read_dir(dir).expect("source folder") {
            let path = f.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source");
                for start in ["msg!(\"", "Msg::new(\""] {
                    for (i, _) in text.match_indices(start) {
                        let rest = &text[i + start.len()..];
                        if let Some(end) = rest.find('"') {
                            out.insert(rest[..end].to_string());
                        }
                    }
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut out,
    );
    out
}

#[test]
fn every_message_the_code_says_exists() {
    let known: BTreeSet<String> = ids("en")
        .into_iter()
        .filter_map(|i| i.split_once(':').map(|(_, id)| id.to_string()))
        .collect();
    let used = ids_in_code();
    assert!(used.len() > 20, "ids found in the code: {}", used.len());
    let missing: Vec<_> = used.difference(&known).collect();
    assert!(
        missing.is_empty(),
        "said but not in locales/en: {missing:?}"
    );
}

#[test]
fn messages_resolve_in_each_language() {
    assert_eq!(Lang::En.tr("standards-title"), "Standards map");
    assert_eq!(
        Lang::Fr.tr("standards-title"),
        "Correspondance avec les référentiels"
    );
}

#[test]
fn messages_cut_at_their_arguments_in_the_language_order() {
    let en = Lang::En.pieces("attempt-line", &["n", "time", "what"]);
    assert_eq!(
        en,
        [
            Piece::Said("Attempt "),
            Piece::Arg(0),
            Piece::Said(" at "),
            Piece::Arg(1),
            Piece::Said(": "),
            Piece::Arg(2)
        ]
    );
    assert_eq!(
        Lang::Fr.pieces("attempt-line", &["n", "time", "what"])[0],
        Piece::Said("Tentative ")
    );
    // The same text is kept once.
    assert!(std::ptr::eq(
        Lang::En.said("report-steps"),
        Lang::En.said("report-steps")
    ));
}

#[test]
fn durations_read_as_each_language_writes_them() {
    assert_eq!(
        Lang::Fr.duration(4 * 3600 + 12 * 60),
        "4\u{a0}h\u{a0}12\u{a0}min"
    );
    assert_eq!(Lang::En.duration(4 * 3600 + 12 * 60), "4h12m");
    assert_eq!(Lang::En.duration(3600 + 120 + 3), "1h2m3s");
    assert_eq!(Lang::En.duration(0), "0s");
    assert_eq!(Lang::Fr.duration(90), "1\u{a0}min\u{a0}30\u{a0}s");
}

/// Where French typography wants a no-break space, and a text has a
/// plain one (or none): `(what, where)` for each.
pub(crate) fn french_spacing_faults(text: &str) -> Vec<(String, usize)> {
    const NBSP: char = '\u{a0}';
    const NNBSP: char = '\u{202f}';
    let chars: Vec<char> = text.chars().collect();
    let mut faults = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        // A colon takes a word space, ; ? ! a thin one; `?` glued to
        // a word only when it is not text at all (a URL, `a/p/n`).
        let wanted = match c {
            ':' => Some(NBSP),
            ';' | '?' | '!' => Some(NNBSP),
            _ => None,
        };
        if let (Some(w), Some(b)) = (wanted, before) {
            // `09:38`, `https://`, `--lang=fr` are not punctuation.
            let spaced = b == ' ' || b == NBSP || b == NNBSP;
            let glued_word = !spaced && after.is_none_or(|a| a == ' ' || a == '\n');
            if (spaced && b != w && !(c == ':' && b == NNBSP)) || glued_word {
                faults.push((format!("{b}{c}"), i));
            }
        }
        if c == '«' && after != Some(NBSP) && after != Some(NNBSP) {
            faults.push(("« ".to_string(), i));
        }
        if c == '»' && before != Some(NBSP) && before != Some(NNBSP) {
            faults.push((" »".to_string(), i));
        }
    }
    faults
}

#[test]
fn french_messages_put_no_break_spaces_before_double_punctuation() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/fr");
    let mut faults = Vec::new();
    for f in std::fs::read_dir(&dir).expect("locale folder") {
        let path = f.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("ftl file");
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') {
                continue;
            }
            // Only reprise's words: not `{ $arg }` placeables, not
            // `code` spans (commands keep their own spelling).
            let line = line
                .replace(r#"{ "\u202F" }"#, "\u{202f}")
                .replace(r#"{ "\u00A0" }"#, "\u{a0}");
            let words: String = line
                .split('{')
                .enumerate()
                .map(|(i, part)| {
                    if i == 0 {
                        part
                    } else {
                        part.split_once('}').map_or("", |(_, rest)| rest)
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
                .split('`')
                .step_by(2)
                .collect::<Vec<_>>()
                .join(" ");
            for (what, _) in french_spacing_faults(&words) {
                faults.push(format!("{}:{}: {what:?} in {line}", path.display(), n + 1));
            }
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
    // The rule finds what it is for.
    assert_eq!(french_spacing_faults("durée : 4 h").len(), 1);
    assert_eq!(french_spacing_faults("prêt ? oui").len(), 1);
    assert_eq!(french_spacing_faults("« DMIA »").len(), 2);
    assert!(french_spacing_faults("durée\u{a0}: 09:38, prêt\u{202f}?").is_empty());
}

#[test]
fn french_de_is_elided_before_a_vowel_or_a_mute_h() {
    assert_eq!(de("alice"), "d'");
    assert_eq!(de("Hélène"), "d'");
    assert_eq!(de("Émile"), "d'");
    assert_eq!(de("bob"), "de ");
    assert_eq!(de("`x`"), "de ");
    assert_eq!(de(""), "de ");
    assert_eq!(de("\u{1b}[1malice\u{1b}[0m"), "d'");
    let note = |who: &str| {
        Lang::Fr.tr_args(
            "status-ev-note",
            &[
                ("who", FluentValue::from(who.to_string())),
                ("text", FluentValue::from("prêt")),
            ],
        )
    };
    assert_eq!(note("alice"), "remarque d'alice\u{a0}: prêt");
    assert_eq!(note("Hélène"), "remarque d'Hélène\u{a0}: prêt");
    assert_eq!(note("bob"), "remarque de bob\u{a0}: prêt");
    // English has no such rule.
    assert_eq!(
        Lang::En.tr_args(
            "status-ev-note",
            &[
                ("who", FluentValue::from("alice")),
                ("text", FluentValue::from("ready")),
            ],
        ),
        "note by alice: ready"
    );
}

/// Every French message that puts `de` before a name or a word from
/// the runbook elides it through `DE(…)`: none writes `de { $… }`
/// except before a number or a duration.
#[test]
fn french_messages_elide_de_before_names() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/fr");
    // Arguments that are always a number or a duration (« de 5 min »).
    const NUMBERS: [&str; 9] = [
        "time", "by", "rto", "margin", "over", "estimate", "left", "count", "spare",
    ];
    let mut faults = Vec::new();
    for f in std::fs::read_dir(&dir).expect("locale folder") {
        let path = f.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("ftl file");
        for (n, line) in text.lines().enumerate() {
            for (i, _) in line.match_indices("de { $") {
                let name: String = line[i + 6..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                let word_start = i == 0 || !line[..i].ends_with(char::is_alphanumeric);
                if word_start && !NUMBERS.contains(&name.as_str()) {
                    faults.push(format!("{}:{}: {line}", path.display(), n + 1));
                }
            }
        }
    }
    assert!(
        faults.is_empty(),
        "use {{ DE($…) }}:\n{}",
        faults.join("\n")
    );
}

#[test]
fn locale_codes_name_their_language() {
    assert_eq!(Lang::parse("fr_FR.UTF-8"), Some(Lang::Fr));
    assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
    assert_eq!(Lang::parse("de_DE"), None);
}
