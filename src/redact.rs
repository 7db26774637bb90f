//! Masking of secret values.
//!
//! Every text that leaves the engine (terminal, journal, step logs, reports,
//! `--log-file`) passes through a [`Redactor`] built from the runbook's
//! secret variables, including the output of commands that print them.

/// What a secret is replaced with.
pub const MASK: &str = "***";

/// Replaces every occurrence of the secret values with [`MASK`].
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    // Longest first, so that a secret containing another is masked whole.
    secrets: Vec<String>,
}

impl Redactor {
    /// A redactor for these values (empty values are ignored: masking the
    /// empty string would mask everything).
    pub fn new<S: AsRef<str>>(secrets: impl IntoIterator<Item = S>) -> Self {
        let mut secrets: Vec<String> = secrets
            .into_iter()
            .map(|s| s.as_ref().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        Redactor { secrets }
    }

    /// Length in bytes of the longest secret (0 when there is none): a text
    /// cut anywhere can end with at most this many bytes less one of a
    /// secret.
    pub fn longest(&self) -> usize {
        self.secrets.first().map_or(0, String::len)
    }

    /// True when there is nothing to mask.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// `text` with every secret masked.
    pub fn redact<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        if !self.secrets.iter().any(|s| text.contains(s.as_str())) {
            return std::borrow::Cow::Borrowed(text);
        }
        let mut out = text.to_string();
        for s in &self.secrets {
            out = out.replace(s.as_str(), MASK);
        }
        std::borrow::Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_every_occurrence_longest_first() {
        let r = Redactor::new(["s3cr3t", "s3cr3t-and-more", ""]);
        assert_eq!(r.redact("a s3cr3t-and-more b s3cr3t"), "a *** b ***");
        assert_eq!(r.redact("nothing here"), "nothing here");
        assert!(Redactor::new([""]).is_empty());
    }
}
