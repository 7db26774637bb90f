//! The languages reprise speaks: message files in Project Fluent's format
//! under `locales/<lang>/`, embedded at build time, so that a third
//! language is a folder of `.ftl` files, not code.
//!
//! Texts from the journal (titles, reasons) are never translated; only
//! reprise's own wording is. A unit test fails when a message exists in one
//! language and not in another.

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_templates::LanguageIdentifier;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks would end up in Markdown and terminals.
        customise: |bundle| {
            bundle.set_use_isolating(false);
            // Defined once, here; Fluent refuses only a second definition.
            let _ = bundle.add_function("DE", |args, _| of_french(args.first()));
        },
    };
}

/// A language reprise has messages for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
}

static IDS: LazyLock<[LanguageIdentifier; 2]> =
    LazyLock::new(|| ["en".parse().expect("en"), "fr".parse().expect("fr")]);

impl Lang {
    /// Every language, in the order `--lang` lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The language's code (`en`, `fr`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// Reads a code (`fr`, `fr_FR.UTF-8`, `en-GB`…): its language part.
    pub fn parse(code: &str) -> Option<Lang> {
        let lang = code
            .split(['_', '-', '.', '@'])
            .next()?
            .to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == lang)
    }

    /// The language of the environment (`LC_ALL`, `LC_MESSAGES`, `LANG`),
    /// if it is one reprise speaks.
    pub fn from_env() -> Option<Lang> {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::parse(&v))
    }

    /// The language of a drill: the runbook's `lang:` if reprise speaks it,
    /// else the environment's, else English.
    pub fn for_runbook(lang: Option<&str>) -> Lang {
        lang.and_then(Lang::parse)
            .or_else(Lang::from_env)
            .unwrap_or_default()
    }

    fn id(self) -> &'static LanguageIdentifier {
        &IDS[self as usize]
    }

    /// The message `id` in this language.
    pub fn tr(self, id: &str) -> String {
        LOCALES.lookup(self.id(), id)
    }

    /// The message `id` with its arguments.
    pub fn tr_args(self, id: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let args: HashMap<std::borrow::Cow<'static, str>, FluentValue<'static>> = args
            .iter()
            .map(|(k, v)| (std::borrow::Cow::Borrowed(*k), v.clone()))
            .collect();
        LOCALES.lookup_with_args(self.id(), id, &args)
    }

    /// The message `id` as a `&'static str`, for the places that hold
    /// reprise's own wording as such. Each distinct text is kept once for
    /// the life of the process (a bounded set: the messages, per language).
    pub fn said(self, id: &str) -> &'static str {
        intern(self.tr(id))
    }

    /// The message `id` cut at its arguments `names`: reprise's own words
    /// and, in the language's order, the index in `names` of each argument,
    /// so that a caller can put typed pieces (escaped text, code) there.
    pub fn pieces(self, id: &str, names: &[&'static str]) -> Vec<Piece> {
        const MARK: char = '\u{E000}';
        let args: Vec<(&'static str, FluentValue<'static>)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (*n, FluentValue::from(format!("{MARK}{i}{MARK}"))))
            .collect();
        let text = self.tr_args(id, &args);
        let mut out = Vec::new();
        for (i, part) in text.split(MARK).enumerate() {
            if i % 2 == 1 {
                if let Ok(n) = part.parse() {
                    out.push(Piece::Arg(n));
                }
            } else if !part.is_empty() {
                out.push(Piece::Said(intern(part.to_string())));
            }
        }
        out
    }

    /// A duration as people of this language write it: the runbook's own
    /// notation in English (`4h12m`, `1h2m3s`, `0s`: the one rule every
    /// English text and `runbook::Duration` follow), « 4 h 12 min » in
    /// French (with no-break spaces).
    pub fn duration(self, secs: u64) -> String {
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        match self {
            Lang::En => {
                if secs == 0 {
                    return "0s".into();
                }
                let mut out = String::new();
                for (n, unit) in [(h, 'h'), (m, 'm'), (s, 's')] {
                    if n > 0 {
                        out.push_str(&format!("{n}{unit}"));
                    }
                }
                out
            }
            // No-break spaces: « 4 h 12 min » never splits across lines.
            Lang::Fr => match (h, m, s) {
                (0, 0, s) => format!("{s}\u{a0}s"),
                (0, m, 0) => format!("{m}\u{a0}min"),
                (0, m, s) => format!("{m}\u{a0}min\u{a0}{s:02}\u{a0}s"),
                (h, 0, 0) => format!("{h}\u{a0}h"),
                (h, m, _) => format!("{h}\u{a0}h\u{a0}{m:02}\u{a0}min"),
            },
        }
    }
}

/// French `de` before a name or word, elided to `d'` before a vowel or a
/// mute h (« remarque d'alice », « d'Hélène », « de bob »): the messages
/// write `{ DE($who) }` where a name follows `de`. Numbers, code and marks
/// keep `de`; an argument cut out by [`Lang::pieces`] too (its text is not
/// known there).
fn of_french<'a>(arg: Option<&FluentValue<'a>>) -> FluentValue<'a> {
    let text = match arg {
        Some(FluentValue::String(s)) => s.to_string(),
        Some(FluentValue::Number(n)) => n.as_string().to_string(),
        _ => String::new(),
    };
    FluentValue::from(format!("{}{text}", de(&text)))
}

/// `d'` or `de ` before `word` (see [`of_french`]).
pub fn de(word: &str) -> &'static str {
    // A name the terminal colours starts with its colour (`ESC [ … m`).
    let mut word = word;
    while let Some(rest) = word.strip_prefix("\u{1b}[") {
        word = rest.split_once('m').map_or("", |(_, after)| after);
    }
    let first = word
        .chars()
        .next()
        .map(|c| c.to_lowercase().next().unwrap_or(c));
    match first {
        Some(
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h' | 'à' | 'â' | 'ä' | 'æ' | 'é' | 'è' | 'ê' | 'ë'
            | 'î' | 'ï' | 'ô' | 'ö' | 'œ' | 'ù' | 'û' | 'ü' | 'ÿ',
        ) => "d'",
        _ => "de ",
    }
}

/// One of reprise's own messages, in no language yet: its Fluent id and
/// its arguments, said later in the language chosen then (an error made
/// before the command knows the drill's language, printed after). Build
/// it with [`msg!`].
#[derive(Debug, Clone)]
pub struct Msg {
    id: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// An argument of a [`Msg`]: a value, or another message said in the
/// same language (a journal's error inside a command's).
#[derive(Debug, Clone)]
enum Arg {
    Value(FluentValue<'static>),
    Said(Msg),
}

impl Msg {
    /// The message `id`, without arguments yet.
    pub fn new(id: &'static str) -> Msg {
        Msg {
            id,
            args: Vec::new(),
        }
    }

    /// Adds the text argument `name` (a path, an id, an OS error…).
    pub fn arg(mut self, name: &'static str, value: impl std::fmt::Display) -> Msg {
        self.args
            .push((name, Arg::Value(FluentValue::from(value.to_string()))));
        self
    }

    /// Adds the number argument `name`, for a message whose words depend
    /// on a count (`[one]`, `*[other]`).
    pub fn num(mut self, name: &'static str, n: usize) -> Msg {
        self.args.push((name, Arg::Value(FluentValue::from(n))));
        self
    }

    /// Adds the argument `name`: another message, said in the same
    /// language as this one.
    pub fn sub(mut self, name: &'static str, msg: Msg) -> Msg {
        self.args.push((name, Arg::Said(msg)));
        self
    }

    /// The message's id.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The message said in `lang`.
    pub fn said_in(&self, lang: Lang) -> String {
        let args: Vec<(&'static str, FluentValue<'static>)> = self
            .args
            .iter()
            .map(|(name, arg)| match arg {
                Arg::Value(v) => (*name, v.clone()),
                Arg::Said(m) => (*name, FluentValue::from(m.said_in(lang))),
            })
            .collect();
        lang.tr_args(self.id, &args)
    }
}

/// A [`Msg`]: `msg!("attach-not-running", journal = path.display())`;
/// each argument is taken as text (`Display`).
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Msg::new($id)$(.arg(stringify!($name), &$value))*
    };
}
pub(crate) use msg;

/// A piece of a message cut by [`Lang::pieces`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// reprise's own words.
    Said(&'static str),
    /// The argument at this index.
    Arg(usize),
}

/// One `&'static str` per distinct text: translated words live as long as
/// the process, without growing when a report is rendered again.
pub(crate) fn intern(s: String) -> &'static str {
    static SEEN: LazyLock<std::sync::Mutex<std::collections::HashSet<&'static str>>> =
        LazyLock::new(Default::default);
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(x) = seen.get(s.as_str()) {
        return x;
    }
    let leaked: &'static str = Box::leak(s.into_boxed_str());
    seen.insert(leaked);
    leaked
}

#[cfg(test)]
pub(crate) mod tests;
