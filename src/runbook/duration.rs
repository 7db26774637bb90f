//! `Duration`: a length of time as a runbook writes it (`90s`, `15m`,
//! `1h30m`, `2h`), read, bounded and displayed in the same notation.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A length of time as written in a runbook: `90s`, `15m`, `1h30m`, `2h`.
///
/// Whole seconds only; displayed in the same notation (`1h30m`), so that
/// what reprise prints can be pasted back into a runbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(pub u64);

impl Duration {
    /// Zero seconds.
    pub const ZERO: Duration = Duration(0);

    /// A duration of `secs` seconds.
    pub fn from_secs(secs: u64) -> Self {
        Duration(secs)
    }

    /// Whole seconds.
    pub fn as_secs(self) -> u64 {
        self.0
    }

    /// As a standard library duration.
    pub fn to_std(self) -> std::time::Duration {
        std::time::Duration::from_secs(self.0)
    }
}

/// The longest duration a runbook may write (366 days): beyond it an
/// estimate, a timeout or an objective is a typo, and times computed from
/// it (a dry run's simulated clock) would leave the calendar.
pub const MAX_DURATION: Duration = Duration(366 * 86_400);

/// Why a duration could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// Not in the notation.
    #[error("`{0}` is not a duration: write it like `90s`, `15m`, `1h30m` or `2h`")]
    Syntax(String),
    /// Longer than [`MAX_DURATION`].
    #[error("`{0}` is longer than the longest duration a runbook may hold, 366d")]
    TooLong(String),
}

impl FromStr for Duration {
    type Err = DurationError;

    /// Accepts one or more `<number><unit>` groups with units in the order
    /// `d`, `h`, `m`, `s`, each at most once (`1h30m`, `45s`, `2d`), up to
    /// [`MAX_DURATION`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let d = Duration::parse_unbounded(s)?;
        if d > MAX_DURATION {
            return Err(DurationError::TooLong(s.to_string()));
        }
        Ok(d)
    }
}

impl Duration {
    /// The notation without the bound: a journal written before the bound
    /// existed must still read.
    fn parse_unbounded(s: &str) -> Result<Self, DurationError> {
        let err = || DurationError::Syntax(s.to_string());
        if s.is_empty() {
            return Err(err());
        }
        let units = [('d', 86_400u64), ('h', 3_600), ('m', 60), ('s', 1)];
        let mut next_unit = 0;
        let mut total: u64 = 0;
        let mut rest = s;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 || digits > 9 {
                return Err(err());
            }
            let n: u64 = rest[..digits].parse().map_err(|_| err())?;
            let unit = rest[digits..].chars().next().ok_or_else(err)?;
            let pos = units[next_unit..]
                .iter()
                .position(|(u, _)| *u == unit)
                .ok_or_else(err)?;
            total = total
                .checked_add(n.checked_mul(units[next_unit + pos].1).ok_or_else(err)?)
                .ok_or_else(err)?;
            next_unit += pos + 1;
            rest = &rest[digits + 1..];
        }
        Ok(Duration(total))
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::i18n::Lang::En.duration(self.0))
    }
}

impl Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Duration::parse_unbounded(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::{Duration, DurationError, MAX_DURATION};

    #[test]
    fn durations_parse_the_documented_forms() {
        for (text, secs) in [
            ("90s", 90),
            ("15m", 900),
            ("1h30m", 5400),
            ("2h", 7200),
            ("1d2h", 93_600),
            ("1h0m5s", 3605),
        ] {
            assert_eq!(text.parse::<Duration>(), Ok(Duration(secs)), "{text}");
        }
    }

    #[test]
    fn durations_are_bounded_at_366_days() {
        assert_eq!("366d".parse::<Duration>(), Ok(MAX_DURATION));
        assert_eq!(
            "3000000d".parse::<Duration>(),
            Err(DurationError::TooLong("3000000d".into()))
        );
    }

    #[test]
    fn durations_reject_everything_else() {
        for text in [
            "",
            "15",
            "m",
            "1.5h",
            "30m1h",
            "1h1h",
            "15 m",
            "-5m",
            "1H",
            "9999999999s",
            "3000000d",
            "367d",
            "366d1s",
        ] {
            assert!(
                text.parse::<Duration>().is_err(),
                "{text} should be rejected"
            );
        }
    }

    #[test]
    fn durations_display_round_trips() {
        for secs in [0, 1, 59, 60, 61, 3600, 5400, 93_600, 3605] {
            let d = Duration(secs);
            assert_eq!(d.to_string().parse::<Duration>(), Ok(d));
        }
        assert_eq!(Duration(5400).to_string(), "1h30m");
    }
}
