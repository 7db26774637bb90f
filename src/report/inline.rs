//! The markup-neutral pieces the Markdown and HTML reports are made of: an
//! [`Inline`] says what a piece of text *is* (journal text, an identifier,
//! an outcome…), a [`Cell`] is a table cell, and [`say`] puts typed pieces
//! into a translated message. Every section builder uses them; each
//! renderer decides how they are marked up.

use crate::i18n::{Lang, Piece};

/// The message `id` in `lang`, its arguments put in as typed pieces where
/// the language's word order puts them.
pub fn say(lang: Lang, id: &str, args: Vec<(&'static str, Inline)>) -> Vec<Inline> {
    let names: Vec<&'static str> = args.iter().map(|(n, _)| *n).collect();
    let mut values: Vec<Option<Inline>> = args.into_iter().map(|(_, v)| Some(v)).collect();
    lang.pieces(id, &names)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Said(s) => Some(Inline::Plain(s)),
            Piece::Arg(i) => values.get_mut(i).and_then(Option::take),
        })
        .collect()
}

/// A piece of a fact or a row, tagged with what it is rather than how it
/// looks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// reprise's own wording, written as is: it holds no markup character
    /// and its spaces matter.
    Plain(&'static str),
    /// Text from the journal (names, times, words): escaped by the renderer.
    Text(String),
    /// Text an operator typed, which may run over several lines (a reason,
    /// an observation): escaped, its line breaks kept.
    Lines(String),
    /// An identifier, path or hash.
    Code(String),
    /// Something the reader must not miss.
    Strong(String),
    /// A side remark.
    Muted(Vec<Inline>),
    /// What should have been recorded and was not.
    Missing(&'static str),
    /// A verdict with the outcome class it is coloured by (`done`,
    /// `failed`, `open`).
    Outcome(&'static str, String),
    /// Secondary detail about what precedes it: in brackets in Markdown, on
    /// its own line in HTML.
    Aside(Vec<Inline>),
}

/// A table cell.
pub type Cell = Vec<Inline>;
