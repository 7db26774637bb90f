//! `reprise plan --history --suggest`: a unified diff that replaces each
//! `estimate:` value that past drills contradict with their 90th
//! percentile, rounded up to a sensible unit.
//!
//! Only the value's own bytes change (the parser keeps each value's byte
//! range), so comments, quoting, layout and every other line are kept;
//! `git apply` and `patch -p1` accept the diff.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration as StdDuration;

use super::forecast::Forecast;
use crate::runbook::Duration;

/// Lines of context around each change, as `diff -u` gives.
const CONTEXT: usize = 3;

/// When an estimate is replaced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Replace an estimate off from the 90th percentile by more than this
    /// many percent of the estimate.
    pub threshold_percent: u32,
    /// Only with at least this many measurements.
    pub min_drills: usize,
}

/// One estimate to replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The step's id.
    pub step: String,
    /// 1-based line of the value.
    pub line: u32,
    /// The estimate written.
    pub from: Duration,
    /// The estimate suggested.
    pub to: Duration,
}

/// `d` rounded up to a unit people write estimates in: 10 seconds under 2
/// minutes, a minute under 20 minutes, 5 minutes under 2 hours, 15
/// minutes beyond.
pub fn round_up(d: StdDuration) -> Duration {
    let s = d.as_millis().div_ceil(1000) as u64;
    let unit = match s {
        0..120 => 10,
        120..1200 => 60,
        1200..7200 => 300,
        _ => 900,
    };
    Duration::from_secs(s.div_ceil(unit).max(1) * unit)
}

/// The estimates of `forecast` to replace under `rule`, in file order.
pub fn changes(forecast: &Forecast<'_>, rule: Rule) -> Vec<Change> {
    let mut out = Vec::new();
    for h in &forecast.steps {
        let step = forecast.runbook.step(h.index);
        let (Some(est), Some(m)) = (step.estimate, h.measured) else {
            continue;
        };
        if m.count < rule.min_drills.max(1) {
            continue;
        }
        let off = h.off_by_percent().map_or(u64::MAX, |p| p.unsigned_abs());
        if off <= u64::from(rule.threshold_percent) {
            continue;
        }
        let to = round_up(m.p90);
        if to != est.value {
            out.push(Change {
                step: step.id.value.to_string(),
                line: est.span.line,
                from: est.value,
                to,
            });
        }
    }
    out
}

/// The unified diff of `source` (the runbook's text, shown as `path`)
/// with each change of `forecast` under `rule` applied; empty when there is
/// nothing to change.
pub fn diff(source: &str, path: &str, forecast: &Forecast<'_>, rule: Rule) -> String {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for c in changes(forecast, rule) {
        let Some(est) = forecast
            .runbook
            .steps
            .iter()
            .find(|s| s.id.value.as_str() == c.step)
            .and_then(|s| s.estimate)
        else {
            continue;
        };
        let (start, end) = (est.span.offset, est.span.offset + est.span.len);
        let Some(old) = source.get(start..end) else {
            continue;
        };
        // Keep the author's quoting.
        let new = match old.as_bytes().first() {
            Some(&q @ (b'"' | b'\'')) if old.len() >= 2 && old.ends_with(q as char) => {
                format!("{0}{1}{0}", q as char, c.to)
            }
            _ => c.to.to_string(),
        };
        edits.push((start, end, new));
    }
    unified(source, path, &edits)
}

/// A unified diff of `source` with byte ranges replaced (ranges must not
/// span lines).
fn unified(source: &str, path: &str, edits: &[(usize, usize, String)]) -> String {
    if edits.is_empty() {
        return String::new();
    }
    // Lines with their end (newline kept), and where each starts.
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let mut starts = Vec::with_capacity(lines.len());
    let mut at = 0;
    for l in &lines {
        starts.push(at);
        at += l.len();
    }
    let mut changed: BTreeMap<usize, String> = BTreeMap::new();
    for (start, end, new) in edits {
        let i = starts.partition_point(|&s| s <= *start) - 1;
        let line = changed.entry(i).or_insert_with(|| lines[i].to_string());
        // Edits come in file order: a later one on the same line moves by
        // what the earlier ones changed.
        let (a, b) = (start - starts[i], end - starts[i]);
        let old_len = lines[i].len();
        let shift = line.len() as isize - old_len as isize;
        let (a, b) = ((a as isize + shift) as usize, (b as isize + shift) as usize);
        line.replace_range(a..b, new);
    }
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    let keys: Vec<usize> = changed.keys().copied().collect();
    let mut g = 0;
    while g < keys.len() {
        // A hunk: changes whose contexts touch.
        let mut h = g;
        while h + 1 < keys.len() && keys[h + 1] - keys[h] <= 2 * CONTEXT {
            h += 1;
        }
        let first = keys[g].saturating_sub(CONTEXT);
        let last = (keys[h] + CONTEXT).min(lines.len() - 1);
        let count = last - first + 1;
        let _ = writeln!(out, "@@ -{0},{1} +{0},{1} @@", first + 1, count);
        for (i, line) in lines.iter().enumerate().take(last + 1).skip(first) {
            match changed.get(&i) {
                Some(new) => {
                    push_line(&mut out, '-', line);
                    push_line(&mut out, '+', new);
                }
                None => push_line(&mut out, ' ', line),
            }
        }
        g = h + 1;
    }
    out
}

fn push_line(out: &mut String, mark: char, line: &str) {
    out.push(mark);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_round_up_to_a_unit_people_write() {
        let r = |s: u64| round_up(StdDuration::from_secs(s)).to_string();
        assert_eq!(r(0), "10s");
        assert_eq!(r(61), "1m10s");
        assert_eq!(r(125), "3m");
        assert_eq!(r(1200), "20m");
        assert_eq!(r(1201), "25m");
        assert_eq!(r(7300), "2h15m");
        assert_eq!(
            round_up(StdDuration::from_millis(60_001)).to_string(),
            "1m10s"
        );
    }

    #[test]
    fn a_diff_changes_only_the_values_with_context() {
        let src = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\ni: 9\nj: 10\nk: 11\nl: 12";
        let b = src.find("2").unwrap();
        let l = src.rfind("12").unwrap();
        let d = unified(
            src,
            "x.yaml",
            &[(b, b + 1, "20".into()), (l, l + 2, "'x'".into())],
        );
        assert_eq!(
            d,
            "--- a/x.yaml\n+++ b/x.yaml\n\
             @@ -1,5 +1,5 @@\n a: 1\n-b: 2\n+b: 20\n c: 3\n d: 4\n e: 5\n\
             @@ -9,4 +9,4 @@\n i: 9\n j: 10\n k: 11\n-l: 12\n\\ No newline at end of file\n\
             +l: 'x'\n\\ No newline at end of file\n"
        );
        assert_eq!(unified(src, "x.yaml", &[]), "");
    }
}
