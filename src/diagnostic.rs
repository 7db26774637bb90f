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
}
