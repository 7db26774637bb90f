//! The inline SVG charts of the HTML comparison: the RTO margin over the
//! drills, and one small chart per measured step (its actual time per
//! drill against its estimate). Text in them is escaped with
//! [`crate::report::html::esc`]; no script, no external resource.

use std::fmt::Write as _;

use super::{Comparison, StepRow};
use crate::report::html::esc;

/// x of drill `k` (0-based) of `n` across `[left, left + width]`.
fn x_of(k: usize, n: usize, left: f64, width: f64) -> f64 {
    if n <= 1 {
        left + width / 2.0
    } else {
        left + width * k as f64 / (n - 1) as f64
    }
}

/// The RTO margin of each drill, with the RTO as the zero line: above it
/// the drill met the RTO by that much, below it missed it.
pub fn margin_chart(c: &Comparison) -> String {
    let (w, h) = (760.0, 280.0);
    let (left, right, top, bottom) = (70.0, 30.0, 20.0, 50.0);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let n = c.drills.len();
    let margins: Vec<Option<f64>> = c.drills.iter().map(|d| d.rto_margin_secs).collect();
    let hi = margins.iter().flatten().fold(0.0f64, |a, &b| a.max(b));
    let lo = margins.iter().flatten().fold(0.0f64, |a, &b| a.min(b));
    let pad = ((hi - lo) * 0.1).max(60.0);
    let (hi, lo) = (hi + pad, lo - pad);
    let y_of = |v: f64| top + ph * (hi - v) / (hi - lo);
    let words = c.words;
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<svg class="margin" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{}">"#,
        esc(&words.tr("compare-chart-label"))
    );
    let _ = write!(
        o,
        r#"<rect class="met-zone" x="{left}" y="{top}" width="{pw}" height="{:.1}"/><rect class="missed-zone" x="{left}" y="{:.1}" width="{pw}" height="{:.1}"/>"#,
        y_of(0.0) - top,
        y_of(0.0),
        top + ph - y_of(0.0)
    );
    let zero = y_of(0.0);
    let _ = write!(
        o,
        r#"<line class="rto" x1="{left}" x2="{:.1}" y1="{zero:.1}" y2="{zero:.1}"/><text class="axis" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
        left + pw,
        left - 6.0,
        zero + 4.0,
        esc(&words.tr("compare-chart-rto"))
    );
    for (v, anchor) in [(hi - pad, "top"), (lo + pad, "bottom")] {
        if v.abs() >= 1.0 {
            let _ = write!(
                o,
                r#"<text class="axis {anchor}" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                left - 6.0,
                y_of(v) + 4.0,
                esc(&words.margin(Some(v)))
            );
        }
    }
    let mut points = Vec::new();
    for (k, d) in c.drills.iter().enumerate() {
        let x = x_of(k, n, left + 20.0, pw - 40.0);
        let date = d.started.local.get(..10).unwrap_or_default();
        let _ = write!(
            o,
            r#"<text class="axis" x="{x:.1}" y="{:.1}" text-anchor="middle">#{}</text><text class="axis date" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            top + ph + 18.0,
            d.number,
            top + ph + 34.0,
            esc(date)
        );
        match d.rto_margin_secs {
            Some(m) => points.push((x, y_of(m), k, m)),
            None => {
                let why = esc(&words.tr(if d.rto_secs.is_none() {
                    "compare-chart-no-rto"
                } else {
                    "compare-chart-not-recovered"
                }));
                let _ = write!(
                    o,
                    r#"<text class="norecovery" data-drill="{}" x="{x:.1}" y="{:.1}" text-anchor="middle">{why}</text>"#,
                    d.number,
                    zero - 8.0
                );
            }
        }
    }
    if points.len() > 1 {
        let path: Vec<String> = points
            .iter()
            .map(|(x, y, _, _)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            o,
            r#"<polyline class="trend" points="{}"/>"#,
            path.join(" ")
        );
    }
    for (x, y, k, m) in points {
        let d = &c.drills[k];
        let class = if m < 0.0 { "missed" } else { "met" };
        let _ = write!(
            o,
            r#"<circle class="drill {class}" data-drill="{}" cx="{x:.1}" cy="{y:.1}" r="5"><title>{}</title></circle>"#,
            d.number,
            esc(&words.args(
                "compare-chart-point",
                &[
                    ("number", d.number.to_string()),
                    ("journal", d.journal.clone()),
                    ("ttr", words.dur(d.time_to_recovery_secs)),
                    ("rto", words.dur(d.rto_secs.map(|s| s as f64))),
                    ("margin", words.margin(Some(m))),
                ]
            ))
        );
    }
    o.push_str("</svg>");
    o
}

/// A small chart of one step: its actual time per drill (a point per
/// measured drill) and its estimate (a dashed line).
pub fn step_chart(c: &Comparison, s: &StepRow) -> String {
    let (w, h) = (200.0, 56.0);
    let (left, top, pw, ph) = (6.0, 6.0, 188.0, 44.0);
    let n = c.drills.len();
    let est = s.estimate_secs.map(|e| e as f64);
    let max = s
        .actual_secs
        .iter()
        .flatten()
        .copied()
        .chain(est)
        .fold(1.0f64, f64::max)
        * 1.1;
    let y_of = |v: f64| top + ph * (1.0 - v / max);
    let words = c.words;
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<svg class="spark" data-step="{}" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{}">"#,
        esc(&s.id),
        esc(&words.args("compare-chart-step-label", &[("step", s.id.clone())]))
    );
    let _ = write!(
        o,
        r#"<rect class="frame" x="{left}" y="{top}" width="{pw}" height="{ph}"/>"#
    );
    if let Some(e) = est {
        let y = y_of(e);
        let _ = write!(
            o,
            r#"<line class="estimate" x1="{left}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}"><title>{}</title></line>"#,
            left + pw,
            esc(&words.args(
                "compare-chart-estimate",
                &[("estimate", words.dur(Some(e)))]
            ))
        );
    }
    let pts: Vec<(usize, f64, f64)> = s
        .actual_secs
        .iter()
        .enumerate()
        .filter_map(|(k, a)| a.map(|a| (k, x_of(k, n, left + 8.0, pw - 16.0), a)))
        .collect();
    if pts.len() > 1 {
        let path: Vec<String> = pts
            .iter()
            .map(|(_, x, a)| format!("{x:.1},{:.1}", y_of(*a)))
            .collect();
        let _ = write!(
            o,
            r#"<polyline class="actual" points="{}"/>"#,
            path.join(" ")
        );
    }
    for (k, x, a) in pts {
        let over = est.is_some_and(|e| a > e);
        let _ = write!(
            o,
            r#"<circle class="point{}" data-drill="{}" cx="{x:.1}" cy="{:.1}" r="3"><title>#{}: {}</title></circle>"#,
            if over { " over" } else { "" },
            k + 1,
            y_of(a),
            k + 1,
            esc(&words.dur(Some(a)))
        );
    }
    o.push_str("</svg>");
    o
}
