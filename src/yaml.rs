//! Reads YAML text into a small tree where every node, and every mapping
//! key, keeps the [`Span`] it was written at.
//!
//! The tree is built from granit-parser's event stream (the parser under
//! serde-saphyr) rather than through serde, because serde loses positions
//! for keys and cannot report a duplicate key with both of its lines. Doing
//! it by hand also puts every resource limit in one place:
//!
//! - nesting is capped at [`MAX_DEPTH`] levels (the parser stops there, so
//!   100,000 `[` cost nothing);
//! - every value counts against a node budget sized from the input (see
//!   [`node_budget`]); an alias counts as many nodes as the value it repeats,
//!   so an alias bomb stops long before it grows, while a big honest file is
//!   never refused;
//! - a single value longer than [`MAX_SCALAR_BYTES`] is refused.
//!
//! Policy, written down here because the format leaves it open:
//!
//! - one document per file; a second one is an error;
//! - YAML tags (`!!str`, `!custom`) are errors: reprise reads values by key and
//!   a tag could only make a value mean something the reader did not expect;
//! - anchors and aliases are allowed (within the budget); an alias shares
//!   the span of the value it repeats;
//! - merge keys (`<<`) are ordinary keys, which the runbook parser rejects as
//!   unknown;
//! - mapping keys must be scalars; duplicate keys are errors pointing at the
//!   second key and naming the line of the first.

use std::rc::Rc;

use serde_saphyr::granit_parser;

use crate::diagnostic::Diagnostic;
use crate::runbook::Span;

mod build;

use build::Builder;

/// Deepest nesting of sequences and mappings accepted. A runbook needs about
/// eight levels; the limit only has to stop hostile input early.
pub const MAX_DEPTH: usize = 64;

/// Longest single value accepted, in bytes. Instructions of a few pages are a
/// few kilobytes; a megabyte value is a mistake or an attack.
pub const MAX_SCALAR_BYTES: usize = 1 << 20;

/// How many nodes (after expanding aliases) a document of `bytes` bytes may
/// hold. Without aliases a document cannot hold more nodes than it has bytes,
/// so this never refuses an honest file, while aliases may add at most about
/// 100,000 repeated nodes on top.
pub fn node_budget(bytes: usize) -> usize {
    bytes.saturating_add(100_000)
}

/// One value of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Where the value is written (for a collection, from its first to its
    /// last character).
    pub span: Span,
    /// What it is.
    pub value: Value,
}

/// The three kinds of YAML value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Text, as written (after YAML unescaping); not typed yet.
    Scalar(Scalar),
    /// A list.
    Sequence(Vec<Rc<Node>>),
    /// Keys and values, in file order, without duplicate keys.
    Mapping(Vec<Entry>),
}

/// A scalar and how it was written, which decides how it may be read: only
/// a plain scalar can be a number, a boolean or null.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    /// The text after unescaping.
    pub text: String,
    /// True for plain (unquoted, non-block) scalars.
    pub plain: bool,
}

/// One `key: value` of a mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The key's text.
    pub key: String,
    /// Where the key is written.
    pub key_span: Span,
    /// The value.
    pub value: Rc<Node>,
}

impl Node {
    /// True for the YAML null: an empty plain scalar, `~` or `null`.
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar(s) if s.plain && matches!(s.text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// The value's kind as an error message names it ("found a mapping").
    pub fn kind(&self) -> &'static str {
        match &self.value {
            _ if self.is_null() => "nothing (null)",
            Value::Scalar(s) if !s.plain => "a string",
            Value::Scalar(s) if is_bool(&s.text) => "a boolean",
            Value::Scalar(s) if is_number(&s.text) => "a number",
            Value::Scalar(_) => "a string",
            Value::Sequence(_) => "a list",
            Value::Mapping(_) => "a mapping",
        }
    }

    /// The scalar, if this is one.
    pub fn scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The entries, if this is a mapping.
    pub fn mapping(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Mapping(m) => Some(m),
            _ => None,
        }
    }

    /// The items, if this is a sequence.
    pub fn sequence(&self) -> Option<&[Rc<Node>]> {
        match &self.value {
            Value::Sequence(s) => Some(s),
            _ => None,
        }
    }
}

fn is_bool(s: &str) -> bool {
    matches!(s, "true" | "True" | "TRUE" | "false" | "False" | "FALSE")
}

fn is_number(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'_')
        && s.bytes().any(|b| b.is_ascii_digit())
}

/// The result of reading a document: the root (absent when the document
/// could not be read at all) and every problem found.
#[derive(Debug)]
pub struct Document {
    /// The top-level value; `None` after a fatal error.
    pub root: Option<Rc<Node>>,
    /// Errors found; when not empty the tree (if any) is still usable for
    /// finding further errors, but not for running anything.
    pub errors: Vec<Diagnostic>,
}

/// Converts granit markers into a [`Span`]. Byte offsets are always present
/// for string input.
fn span(text: &str, s: &granit_parser::Span) -> Span {
    let start = s.start.byte_offset().unwrap_or(0).min(text.len());
    let end = s
        .end
        .byte_offset()
        .unwrap_or(start)
        .clamp(start, text.len());
    Span {
        line: u32::try_from(s.start.line()).unwrap_or(u32::MAX),
        column: u32::try_from(s.start.col() + 1).unwrap_or(u32::MAX),
        offset: start,
        len: end - start,
    }
}

/// The first tab from the start of `at`'s line to the end of the next
/// line: where the parser stopped on a tab is the value it was reading
/// (`title: A` above a tab-indented `run:`), not the tab.
fn tab_near(text: &str, at: Span) -> Option<Span> {
    let start = text[..at.offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let rest = &text[start..];
    let two_lines = rest
        .match_indices('\n')
        .nth(1)
        .map_or(rest.len(), |(i, _)| i);
    let tab = start + rest[..two_lines].find('\t')?;
    let line_start = text[..tab].rfind('\n').map_or(0, |i| i + 1);
    Some(Span {
        line: u32::try_from(text[..tab].matches('\n').count() + 1).unwrap_or(u32::MAX),
        column: u32::try_from(text[line_start..tab].chars().count() + 1).unwrap_or(u32::MAX),
        offset: tab,
        len: 1,
    })
}

/// Extends `start` to cover up to `end` (exclusive end offset).
fn cover(start: Span, end_offset: usize) -> Span {
    Span {
        len: end_offset.saturating_sub(start.offset).max(start.len),
        ..start
    }
}

/// Reads `text` (one YAML document) into a tree.
pub fn parse(text: &str) -> Document {
    Builder::new(text).run()
}

/// Narrows a span to the end of its first line, for errors about a whole
/// collection (its first line is enough to recognise it).
pub fn first_line(text: &str, s: Span) -> Span {
    let rest = text.get(s.offset..s.offset + s.len).unwrap_or("");
    Span {
        len: rest.find('\n').unwrap_or(rest.len()).max(1),
        ..s
    }
}

#[cfg(test)]
mod tests;
