//! Diagnostics: what is wrong in a runbook, where, and what to do about it.
//!
//! Every layer that reads a runbook (parse, validate, graph) reports problems
//! as [`Diagnostic`]s with the span of the exact offending value; `check`
//! renders them rustc-style (`path:line:column`, the source line, a caret) or
//! as JSON.

use serde::Serialize;

use crate::runbook::Span;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Shown; fails `check` only with `--strict`.
    Warning,
    /// The runbook cannot be used.
    Error,
}

/// One problem found in a runbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `unknown-key`, `cycle`.
    pub code: &'static str,
    /// A lowercase sentence fragment saying what is wrong.
    pub message: String,
    /// The exact value at fault; `None` for problems of the whole file
    /// (unreadable, empty).
    pub span: Option<Span>,
    /// Short text under the caret.
    pub label: Option<String>,
    /// What to do, e.g. "did you mean `needs`?".
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(code: &'static str, message: impl Into<String>, span: Option<Span>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            label: None,
            hint: None,
        }
    }

    /// A warning at `span`.
    pub fn warning(code: &'static str, message: impl Into<String>, span: Option<Span>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message, span)
        }
    }

    /// Adds the text shown under the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The closest candidate to `word` among `candidates`, if it is close enough
/// to be a plausible typo (used for "did you mean" hints).
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Line starts of a source text, to turn byte offsets into lines and
/// columns without rescanning the text for every diagnostic.
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(line_starts_after(text.as_bytes()));
        Lines { text, starts }
    }

    /// The 0-based index of the line holding byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// 1-based line and column (in characters) of byte `offset`.
    pub fn line_column(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let i = self.line_index(offset);
        let start = self.starts[i];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (to_u32(i + 1), to_u32(column + 1))
    }

    /// The text of the line holding byte `offset` (without its line break)
    /// and the byte offset where it starts.
    pub fn line_at(&self, offset: usize) -> (&'a str, usize) {
        let offset = offset.min(self.text.len());
        let start = self.starts[self.line_index(offset)];
        let rest = &self.text[start..];
        let end = rest.find('\n').unwrap_or(rest.len());
        let line = rest[..end].strip_suffix('\r').unwrap_or(&rest[..end]);
        (line, start)
    }
}

fn line_starts_after(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1)
}

/// Longest caret drawn, in bytes; longer values show their start.
const MAX_CARET: usize = 120;

/// The smallest char boundary of `s` at or after `i` (or its length).
fn ceil_char_boundary(s: &str, i: usize) -> usize {
    (i..s.len())
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(s.len())
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Renders diagnostics the way rustc and cargo do:
///
/// ```text
/// error[unknown-key]: unknown key `neds` in step
///   --> runbook.yaml:7:9
///    |
///  7 |         neds: [stop-app]
///    |         ^^^^ unknown key
///    |
///    = help: did you mean `needs`?
/// ```
///
/// `source` is the file's text, or `None` when it could not be read (the
/// diagnostics then have no span and no source line is shown).
pub fn render(diagnostics: &[Diagnostic], path: &str, source: Option<&str>, color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};

    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let lines = source.map(Lines::new);
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(d.message.as_str()).id(d.code);
        let shown: String;
        let mut group = match (d.span, &lines) {
            (Some(span), Some(lines)) => {
                let (line, start) = lines.line_at(span.offset);
                let from = (span.offset - start).min(line.len());
                // The caret stays on the first line of a multi-line value,
                // and a huge value is cut short: only its start is shown.
                let to = (from + span.len.clamp(1, MAX_CARET))
                    .min(line.len())
                    .max(from);
                let to = ceil_char_boundary(line, to);
                let cut = ceil_char_boundary(line, to + 40);
                // A cut line says so: what is shown is not the whole line.
                shown = if cut < line.trim_end().len() {
                    format!("{}…", &line[..cut])
                } else {
                    line[..cut].to_string()
                };
                let line = shown.as_str();
                let (number, _) = lines.line_column(span.offset);
                let mut annotation = AnnotationKind::Primary.span(from..to);
                if let Some(label) = &d.label {
                    annotation = annotation.label(label.as_str());
                }
                title.element(
                    Snippet::source(line)
                        .line_start(number as usize)
                        .path(path)
                        .fold(false)
                        .annotation(annotation),
                )
            }
            _ => title.element(Origin::path(path)),
        };
        if let Some(hint) = &d.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
}

/// One diagnostic as JSON, for editors and CI: `file`, `line`, `column`,
/// `end_line`, `end_column` (the end is exclusive), `severity`, `code`,
/// `message`, `hint`. Whole-file problems have `line` and `column` null.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonDiagnostic {
    /// The file, as given on the command line.
    pub file: String,
    /// 1-based line of the start.
    pub line: Option<u32>,
    /// 1-based column (characters) of the start.
    pub column: Option<u32>,
    /// 1-based line of the end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    /// 1-based column just past the end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
    /// `error` or `warning`.
    pub severity: Severity,
    /// Stable code, e.g. `unknown-key`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// What to do, if anything helps.
    pub hint: Option<String>,
}

/// Converts diagnostics of one file into their JSON form.
pub fn to_json(
    diagnostics: &[Diagnostic],
    path: &str,
    source: Option<&str>,
) -> Vec<JsonDiagnostic> {
    let lines = source.map(Lines::new);
    diagnostics
        .iter()
        .map(|d| {
            let (start, end) = match (d.span, &lines) {
                (Some(span), Some(lines)) => (
                    Some(lines.line_column(span.offset)),
                    Some(lines.line_column(span.offset + span.len)),
                ),
                (Some(span), None) => (Some((span.line, span.column)), None),
                _ => (None, None),
            };
            JsonDiagnostic {
                file: path.to_string(),
                line: start.map(|s| s.0),
                column: start.map(|s| s.1),
                end_line: end.map(|e| e.0),
                end_column: end.map(|e| e.1),
                severity: d.severity,
                code: d.code,
                message: d.message.clone(),
                hint: d.hint.clone(),
            }
        })
        .collect()
}

/// True when diagnostics written to stderr may use colour: stderr is a
/// terminal and `NO_COLOR` is unset or empty.
pub fn stderr_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_close_typos_only() {
        let keys = ["needs", "run", "title", "timeout"];
        assert_eq!(suggest("neds", keys), Some("needs"));
        assert_eq!(suggest("timout", keys), Some("timeout"));
        assert_eq!(suggest("banana", keys), None);
    }

    fn sample() -> (String, Diagnostic) {
        let text = "a: 1\nsteps:\n  - neds: [x]\n".to_string();
        let d = Diagnostic::error(
            "unknown-key",
            "unknown key `neds` in step",
            Some(Span {
                line: 3,
                column: 5,
                offset: 16,
                len: 4,
            }),
        )
        .with_label("unknown key")
        .with_hint("did you mean `needs`?");
        (text, d)
    }

    #[test]
    fn renders_rustc_style_with_a_caret_under_the_value() {
        let (text, d) = sample();
        let out = render(&[d], "r.yaml", Some(&text), false);
        assert_eq!(
            out,
            "error[unknown-key]: unknown key `neds` in step\n \
             --> r.yaml:3:5\n  \
             |\n\
             3 |   - neds: [x]\n  \
             |     ^^^^ unknown key\n  \
             |\n  \
             = help: did you mean `needs`?\n\n"
        );
    }

    #[test]
    fn whole_file_problems_have_no_source_line() {
        let d = Diagnostic::error("not-utf8", "not UTF-8", None);
        let out = render(&[d], "r.yaml", None, false);
        assert!(out.starts_with("error[not-utf8]: not UTF-8\n"), "{out}");
        assert!(out.contains("r.yaml"), "{out}");
        assert!(!out.contains('|'), "{out}");
    }

    #[test]
    fn json_has_start_and_end_positions() {
        let (text, d) = sample();
        let json = to_json(&[d], "r.yaml", Some(&text));
        assert_eq!(
            serde_json::to_value(&json).unwrap(),
            serde_json::json!([{
                "file": "r.yaml", "line": 3, "column": 5, "end_line": 3, "end_column": 9,
                "severity": "error", "code": "unknown-key",
                "message": "unknown key `neds` in step", "hint": "did you mean `needs`?"
            }])
        );
    }

    #[test]
    fn lines_count_columns_in_characters() {
        let lines = Lines::new("é: 1\nab\r\ncd");
        assert_eq!(lines.line_column(0), (1, 1));
        assert_eq!(lines.line_column(4), (1, 4));
        assert_eq!(lines.line_column(6), (2, 1));
        assert_eq!(lines.line_at(7), ("ab", 6));
        assert_eq!(lines.line_column(12), (3, 3));
    }
}
