//! Lowering of what a runbook says about the exercise itself: `scenario:`,
//! `scope:`, `lang:` and `objectives.criteria`.
//!
//! A child of [`parse`](super) so that it reports errors exactly like the
//! rest of the format.

use super::Lower;
use crate::diagnostic::{Diagnostic, suggest};
use crate::yaml::Node;

/// The report languages reprise has messages for.
pub const LANGUAGES: &[&str] = &["en", "fr"];

impl Lower<'_> {
    /// `objectives.criteria`: a list of texts, each a success criterion
    /// written before the exercise.
    pub(super) fn criteria(&mut self, node: &Node) -> Vec<String> {
        let Some(items) = node.sequence() else {
            self.wrong_type(node, "a list of success criteria (texts)");
            return Vec::new();
        };
        let mut criteria = Vec::with_capacity(items.len());
        for item in items {
            if let Some(text) = self.text(item) {
                if text.trim().is_empty() {
                    self.error(
                        Diagnostic::error(
                            "empty-criterion",
                            "a success criterion is empty",
                            Some(item.span),
                        )
                        .with_label("empty text")
                        .with_hint(
                            "say what must be true for the exercise to succeed, or remove the item",
                        ),
                    );
                } else {
                    criteria.push(text);
                }
            }
        }
        criteria
    }

    /// `lang:`: one of [`LANGUAGES`].
    pub(super) fn lang(&mut self, node: &Node) -> Option<String> {
        let text = self.text(node)?;
        let lang = text.trim().to_ascii_lowercase();
        if LANGUAGES.contains(&lang.as_str()) {
            return Some(lang);
        }
        let mut d = Diagnostic::error(
            "unknown-lang",
            format!("reprise has no messages in language `{text}`"),
            Some(node.span),
        )
        .with_label("unknown language");
        d = d.with_hint(match suggest(&lang, LANGUAGES.iter().copied()) {
            Some(l) => format!("did you mean `{l}`?"),
            None => format!("languages: {}", LANGUAGES.join(", ")),
        });
        self.error(d);
        None
    }
}
