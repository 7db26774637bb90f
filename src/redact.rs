//! Masking of secret values.
//!
//! Every text that leaves the engine (terminal, journal, step logs, reports,
//! `--log-file`) passes through a [`Redactor`] built from the runbook's
//! secret variables, including the output of commands that print them.
//!
//! Output is masked line by line, so a secret of several lines (a private
//! key) is masked as the whole value *and* line by line: each of its lines
//! of at least [`MIN_LINE`] characters is a secret of its own.

use std::borrow::Cow;

/// What a secret is replaced with.
pub const MASK: &str = "***";

/// The shortest line of a multi-line secret that is masked on its own:
/// shorter lines (the `AB==` ending a key) are too likely to be ordinary
/// text, and give away little.
pub const MIN_LINE: usize = 8;

/// Below this many characters a secret's value masks ordinary words too
/// (`check` warns about it).
pub const SHORT: usize = 8;

/// Replaces every occurrence of the secret values with [`MASK`].
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    // Longest first, so that a secret containing another is masked whole.
    secrets: Vec<String>,
}

impl Redactor {
    /// A redactor for these values (empty values are ignored: masking the
    /// empty string would mask everything). A value of several lines also
    /// masks each of its lines of [`MIN_LINE`] characters or more.
    pub fn new<S: AsRef<str>>(secrets: impl IntoIterator<Item = S>) -> Self {
        let mut all: Vec<String> = Vec::new();
        for s in secrets {
            let s = s.as_ref();
            if s.is_empty() {
                continue;
            }
            all.push(s.to_string());
            if s.contains(['\n', '\r']) {
                all.extend(
                    s.split(['\n', '\r'])
                        .map(str::trim)
                        .filter(|l| l.chars().count() >= MIN_LINE)
                        .map(str::to_string),
                );
            }
        }
        all.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        all.dedup();
        Redactor { secrets: all }
    }

    /// Length in bytes of the longest secret (0 when there is none).
    pub fn longest(&self) -> usize {
        self.secrets.first().map_or(0, String::len)
    }

    /// True when there is nothing to mask.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// `text` with every secret masked.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if !self.secrets.iter().any(|s| text.contains(s.as_str())) {
            return Cow::Borrowed(text);
        }
        let mut out = text.to_string();
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), MASK);
            }
        }
        Cow::Owned(out)
    }

    /// `text`, a line that was cut short, with every secret masked, then
    /// without the end that could be the start of a secret the cut split:
    /// masking first means that a secret whole before the cut is masked,
    /// not cut; removing the end means that no part of one is kept. Also
    /// returns the number of bytes removed at the end.
    pub fn redact_cut(&self, text: &str) -> (String, usize) {
        let masked = self.redact(text).into_owned();
        let end = masked.as_bytes();
        let partial = self
            .secrets
            .iter()
            .filter_map(|s| {
                (1..s.len().min(end.len() + 1))
                    .rev()
                    .find(|&k| end.ends_with(&s.as_bytes()[..k]))
            })
            .max()
            .unwrap_or(0);
        let keep = masked.len() - partial;
        // A suffix equal to the start of a secret starts on a character
        // boundary (the secret's first byte starts a character).
        (masked[..keep].to_string(), partial)
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

    #[test]
    fn each_long_enough_line_of_a_multi_line_secret_is_masked() {
        let key = "-----BEGIN KEY-----\r\nMIIEowIBAAKCAQEA1x\n  b3BlbnNzaC1rZXk \nAB==\n-----END KEY-----";
        let r = Redactor::new([key]);
        assert_eq!(r.redact("MIIEowIBAAKCAQEA1x"), "***");
        assert_eq!(r.redact("out: b3BlbnNzaC1rZXk"), "out: ***");
        assert_eq!(r.redact(key), "***");
        // Too short to be masked alone.
        assert_eq!(r.redact("AB=="), "AB==");
    }

    #[test]
    fn a_cut_line_is_masked_then_loses_a_partial_secret_at_its_end() {
        let r = Redactor::new(["hunter2-long"]);
        // A whole secret before the cut is masked, not cut.
        assert_eq!(r.redact_cut("x hunter2-long"), ("x ***".to_string(), 0));
        // The start of one at the cut is dropped.
        assert_eq!(
            r.redact_cut("x hunter2-long y hunt"),
            ("x *** y ".to_string(), 4)
        );
        assert_eq!(r.redact_cut("plain"), ("plain".to_string(), 0));
        let r = Redactor::new(["éé-secret"]);
        assert_eq!(r.redact_cut("a é"), ("a ".to_string(), 2));
    }
}
