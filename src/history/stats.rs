//! Medians and percentiles of measured times.
//!
//! Percentiles interpolate linearly between the two nearest measurements
//! (the "R-7" definition, that of spreadsheets' `PERCENTILE.INC` and
//! numpy's default), so that anyone can check them by hand: the median of
//! 10 and 20 is 15, the 90th percentile of 1…10 is 9.1.

use std::time::Duration as StdDuration;

/// The `p`th quantile (`0.0..=1.0`) of `sorted` (ascending), to the
/// millisecond; `None` when empty.
pub fn quantile(sorted: &[StdDuration], p: f64) -> Option<StdDuration> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    let (a, b) = (sorted[lo].as_millis() as f64, sorted[hi].as_millis() as f64);
    let ms = a + (h - lo as f64) * (b - a);
    Some(StdDuration::from_millis(ms.round() as u64))
}

/// Summary of one step's measurements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// How many drills measured it.
    pub count: usize,
    /// Median.
    pub median: StdDuration,
    /// 90th percentile.
    pub p90: StdDuration,
    /// Shortest.
    pub min: StdDuration,
    /// Longest.
    pub max: StdDuration,
}

impl Summary {
    /// The summary of `samples` (any order); `None` when empty.
    pub fn of(samples: &mut [StdDuration]) -> Option<Summary> {
        samples.sort_unstable();
        Some(Summary {
            count: samples.len(),
            median: quantile(samples, 0.5)?,
            p90: quantile(samples, 0.9)?,
            min: *samples.first()?,
            max: *samples.last()?,
        })
    }
}

/// Whole seconds, rounded to the nearest.
pub fn secs(d: StdDuration) -> u64 {
    (d.as_millis() as u64 + 500) / 1000
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[u64]) -> Vec<StdDuration> {
        v.iter().map(|&x| StdDuration::from_secs(x)).collect()
    }

    #[test]
    fn quantiles_interpolate_between_neighbours() {
        let v = s(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(quantile(&v, 0.5), Some(StdDuration::from_millis(5500)));
        assert_eq!(quantile(&v, 0.9), Some(StdDuration::from_millis(9100)));
        assert_eq!(quantile(&v, 0.0), Some(StdDuration::from_secs(1)));
        assert_eq!(quantile(&v, 1.0), Some(StdDuration::from_secs(10)));
        assert_eq!(quantile(&s(&[7]), 0.9), Some(StdDuration::from_secs(7)));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn a_summary_sorts_first() {
        let mut v = s(&[30, 10, 20]);
        let sum = Summary::of(&mut v).unwrap();
        assert_eq!(sum.median, StdDuration::from_secs(20));
        assert_eq!(sum.p90, StdDuration::from_secs(28));
        assert_eq!((sum.min, sum.max, sum.count), (s(&[10])[0], s(&[30])[0], 3));
    }
}
