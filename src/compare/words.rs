//! The words of `compare` in the drills' language
//! (`locales/<lang>/compare.ftl`): messages, durations (`1h2m` in English,
//! « 1 h 02 min » in French), margins, trends, outcomes and deviations.

use fluent_templates::fluent_bundle::FluentValue;

use super::Trend;
use crate::i18n::Lang;

/// `compare`'s words in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Words(pub Lang);

impl Words {
    /// The message `id`.
    pub fn tr(self, id: &str) -> String {
        self.0.tr(id)
    }

    /// The message `id` with text arguments.
    pub fn args(self, id: &str, args: &[(&'static str, String)]) -> String {
        let args: Vec<(&'static str, FluentValue<'static>)> = args
            .iter()
            .map(|(k, v)| (*k, FluentValue::from(v.clone())))
            .collect();
        self.0.tr_args(id, &args)
    }

    /// The message `id` with a count (for plurals) and text arguments.
    pub fn count(self, id: &str, count: usize, args: &[(&'static str, String)]) -> String {
        let mut all: Vec<(&'static str, FluentValue<'static>)> =
            vec![("count", FluentValue::from(count))];
        all.extend(args.iter().map(|(k, v)| (*k, FluentValue::from(v.clone()))));
        self.0.tr_args(id, &all)
    }

    /// A length of time from seconds (rounded), `-` for none.
    pub fn dur(self, secs: Option<f64>) -> String {
        secs.map_or("-".into(), |s| self.0.duration(s.round().max(0.0) as u64))
    }

    /// A margin: `18m40s`, or `-2m37s` when missed by that much.
    pub fn margin(self, secs: Option<f64>) -> String {
        match secs {
            None => "-".into(),
            Some(s) if s < 0.0 => format!("-{}", self.dur(Some(-s))),
            Some(s) => self.dur(Some(s)),
        }
    }

    /// A margin with its sign: `+1h50m`, `-2m37s`.
    pub fn signed(self, secs: f64) -> String {
        if secs < 0.0 {
            self.margin(Some(secs))
        } else {
            format!("+{}", self.margin(Some(secs)))
        }
    }

    /// A trend: `slower +12.5%`, `steady`, `-`.
    pub fn trend(self, t: Option<Trend>) -> String {
        match t {
            None => "-".into(),
            Some(t) if t.direction == "steady" => self.tr("compare-steady"),
            Some(t) => {
                let word = self.tr(&format!("compare-{}", t.direction));
                match self.0 {
                    Lang::En => format!("{word} {:+}%", t.change_percent),
                    // 12,5 % in French: a decimal comma, a no-break space.
                    _ => format!(
                        "{word} {}\u{a0}%",
                        format!("{:+}", t.change_percent).replace('.', ",")
                    ),
                }
            }
        }
    }

    /// A step's outcome as recorded (`done`, `failed`…).
    pub fn outcome(self, o: &str) -> String {
        match o {
            "done" | "failed" | "skipped" | "aborted" | "not_applicable" => {
                self.tr(&format!("compare-outcome-{o}"))
            }
            other => other.to_string(),
        }
    }

    /// A deviation as the history words it: `failed`, `skipped`,
    /// `aborted`, `3 attempts`.
    pub fn deviation(self, what: &str) -> String {
        if let Some(n) = what
            .strip_suffix(" attempts")
            .and_then(|n| n.parse::<usize>().ok())
        {
            return self.count("compare-attempts", n, &[]);
        }
        match what {
            "failed" | "skipped" | "aborted" => self.tr(&format!("compare-dev-{what}")),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_words_are_the_ones_compare_always_wrote() {
        let w = Words(Lang::En);
        assert_eq!(w.dur(Some(157.0)), "2m37s");
        assert_eq!(w.margin(Some(-157.0)), "-2m37s");
        assert_eq!(w.signed(60.0), "+1m");
        assert_eq!(w.deviation("3 attempts"), "3 attempts");
    }

    #[test]
    fn french_words_read_as_french_writes_them() {
        let w = Words(Lang::Fr);
        assert_eq!(w.margin(Some(-157.0)), "-2\u{a0}min\u{a0}37\u{a0}s");
        assert_eq!(w.deviation("3 attempts"), "3 tentatives");
        assert_eq!(w.deviation("skipped"), "sautée");
        assert_eq!(w.outcome("failed"), "échouée");
        let t = Trend {
            direction: "slower",
            change_percent: 12.5,
        };
        assert_eq!(w.trend(Some(t)), "plus lente +12,5\u{a0}%");
    }
}
