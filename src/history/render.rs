//! The forecast of `reprise plan --history`, as text and as JSON.
//!
//! JSON (`--format json`), one object; durations in runbook notation and in
//! whole seconds (`*_secs`), `null` when unknown:
//!
//! ```text
//! name, mode, drills (how many were used), other_versions (how many of
//!                them ran a runbook with another SHA-256), first_drill,
//!                last_drill (RFC 3339)
//! rto, rto_secs
//! steps[]        in file order: {id, estimate, estimate_secs, drills,
//!                 median, median_secs, p90, p90_secs, min_secs, max_secs,
//!                 off_by_percent (p90 against the estimate), applicable}
//! without_history  applicable steps with no measurement (they keep their estimate)
//! forecast[]     {way: "estimates"|"median"|"p90", total, total_secs,
//!                 steps: [critical path ids], rto_margin_secs (negative:
//!                 exceeds), exceeds_rto}
//! services[]     each of objectives.services, in file order: {name, rto,
//!                 rto_secs, forecast: [{way, at, at_secs (null: no
//!                 applicable step restores it), rto_margin_secs,
//!                 exceeds_rto}], verdict}
//! verdict        the one-line summary the text ends with
//! candidates[]   steps added during past drills in 2 drills or more:
//!                {title, id (proposed), drills, role, run, after[],
//!                 before[] (runbook ids), median_secs, p90_secs,
//!                 reasons[], yaml (the step to paste)}
//! ```

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::forecast::{Forecast, StepHistory, path_names};
use super::stats::secs;
use crate::plan::Margin;
use crate::runbook::Duration;

fn dur(d: std::time::Duration) -> Duration {
    Duration::from_secs(secs(d))
}

fn ids(steps: &[crate::runbook::StepId]) -> String {
    steps
        .iter()
        .map(|s| crate::escape::line(s.as_str()).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

fn off_by(h: &StepHistory) -> String {
    match (h.off_by_percent(), h.measured, h.estimate) {
        (_, None, _) => "no history".into(),
        (_, Some(_), None) => "no estimate".into(),
        (Some(p), Some(_), Some(_)) if p > 0 => format!("+{p}%"),
        (Some(p), Some(_), Some(_)) => format!("{p}%"),
        (None, Some(_), Some(_)) => "estimate 0s".into(),
    }
}

impl Forecast<'_> {
    /// The forecast as aligned plain text.
    pub fn to_text(&self) -> String {
        let rb = self.runbook;
        let mut out = String::new();
        let period = match self.period {
            Some((a, b)) if a.strftime("%F").to_string() != b.strftime("%F").to_string() => {
                format!(" ({} … {})", a.strftime("%F"), b.strftime("%F"))
            }
            Some((a, _)) => format!(" ({})", a.strftime("%F")),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "{}: forecast from {} past drill{}{period}, mode {}",
            crate::escape::line(&rb.name),
            self.drills,
            if self.drills == 1 { "" } else { "s" },
            self.mode
        );
        if self.other_versions > 0 {
            let _ = writeln!(
                out,
                "{} of the {} drills ran another version of this runbook (its SHA-256 differs): steps are matched by id.",
                self.other_versions, self.drills
            );
        }
        let rows: Vec<[String; 6]> = self
            .steps
            .iter()
            .filter(|h| h.applicable)
            .map(|h| {
                let m = h.measured;
                [
                    rb.step(h.index).id.value.to_string(),
                    h.estimate.map_or("-".into(), |e| e.to_string()),
                    m.map_or("-".into(), |m| dur(m.median).to_string()),
                    m.map_or("-".into(), |m| dur(m.p90).to_string()),
                    m.map_or(0, |m| m.count).to_string(),
                    off_by(h),
                ]
            })
            .collect();
        let head = [
            "step",
            "estimate",
            "median",
            "p90",
            "drills",
            "estimate vs p90",
        ];
        let mut w = head.map(str::len);
        for r in &rows {
            for (k, c) in r.iter().enumerate() {
                w[k] = w[k].max(c.chars().count());
            }
        }
        let line = |out: &mut String, r: [&str; 6]| {
            let _ = writeln!(
                out,
                "  {:<w0$}  {:>w1$}  {:>w2$}  {:>w3$}  {:>w4$}  {}",
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                w0 = w[0],
                w1 = w[1],
                w2 = w[2],
                w3 = w[3],
                w4 = w[4]
            );
        };
        out.push('\n');
        line(&mut out, head);
        for r in &rows {
            line(&mut out, [&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]]);
        }
        if self.without_history > 0 {
            let _ = writeln!(
                out,
                "\n{} of {} steps have no history and keep their estimate.",
                self.without_history,
                rows.len()
            );
        }
        out.push_str("\ntime to recovery (critical path)\n");
        let tw = self
            .ways
            .iter()
            .map(|w| w.path.total.to_string().len())
            .max()
            .unwrap_or(0);
        for way in &self.ways {
            let _ = writeln!(
                out,
                "  {:<24}{:>tw$}  {}",
                way.label,
                way.path.total.to_string(),
                path_names(rb, &way.path)
            );
        }
        self.services_text(&mut out);
        let _ = writeln!(out, "\n{}", self.verdict());
        self.candidates_text(&mut out);
        out
    }

    /// Steps added in several drills, with the lines to paste.
    fn candidates_text(&self, out: &mut String) {
        if self.candidates.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "\nsteps added during past drills, candidates for the runbook (added in {} drills or more):",
            super::candidates::MIN_DRILLS
        );
        let esc = |s: &str| crate::escape::line(s).into_owned();
        for c in &self.candidates {
            let mut facts = vec![format!("added in {} of {} drills", c.drills, self.drills)];
            if let Some(r) = &c.role {
                facts.push(format!("role {}", esc(r)));
            }
            if !c.after.is_empty() {
                facts.push(format!("after {}", ids(&c.after)));
            }
            if !c.before.is_empty() {
                facts.push(format!("before {}", ids(&c.before)));
            }
            if let Some(m) = c.measured {
                facts.push(format!("took {} median, {} p90", dur(m.median), dur(m.p90)));
            }
            let _ = writeln!(out, "\n  “{}”: {}", esc(&c.title), facts.join(", "));
            let reasons: Vec<String> = c.reasons.iter().take(3).map(|r| esc(r)).collect();
            let more = c.reasons.len().saturating_sub(3);
            let _ = writeln!(
                out,
                "    why: {}{}",
                reasons.join("; "),
                if more > 0 {
                    format!(" (and {more} more)")
                } else {
                    String::new()
                }
            );
            let _ = writeln!(out, "    in the runbook's steps:");
            for l in c.yaml() {
                let _ = writeln!(out, "      {}", esc(&l));
            }
            for b in &c.before {
                let _ = writeln!(
                    out,
                    "    and in step `{}`: add `{}` to its `needs`",
                    esc(b.as_str()),
                    c.id
                );
            }
        }
    }

    /// Each service back at, the three ways, against its own RTO.
    fn services_text(&self, out: &mut String) {
        if self.services.is_empty() {
            return;
        }
        let head = ["service", "estimates", "median", "p90"];
        let rows: Vec<[String; 4]> = self
            .services
            .iter()
            .map(|s| {
                let at = s.at.map(|a| a.map_or("-".into(), |a| a.to_string()));
                [
                    crate::escape::line(&s.service.name.value).into_owned(),
                    at[0].clone(),
                    at[1].clone(),
                    at[2].clone(),
                ]
            })
            .collect();
        let mut w = head.map(str::len);
        for r in &rows {
            for (k, c) in r.iter().enumerate() {
                w[k] = w[k].max(c.chars().count());
            }
        }
        out.push_str("\nservices back at (from the start of the drill)\n");
        let _ = writeln!(
            out,
            "  {:<w0$}  {:>w1$}  {:>w2$}  {:>w3$}",
            head[0],
            head[1],
            head[2],
            head[3],
            w0 = w[0],
            w1 = w[1],
            w2 = w[2],
            w3 = w[3]
        );
        for (r, s) in rows.iter().zip(&self.services) {
            let _ = writeln!(
                out,
                "  {:<w0$}  {:>w1$}  {:>w2$}  {:>w3$}  {}",
                r[0],
                r[1],
                r[2],
                r[3],
                s.verdict(),
                w0 = w[0],
                w1 = w[1],
                w2 = w[2],
                w3 = w[3]
            );
        }
    }

    /// The forecast as JSON (see the module comment).
    pub fn to_json(&self) -> String {
        let rb = self.runbook;
        let rto = self.rto();
        let steps: Vec<Value> = self
            .steps
            .iter()
            .map(|h| {
                let m = h.measured;
                json!({
                    "id": rb.step(h.index).id.value.as_str(),
                    "estimate": h.estimate.map(|e| e.to_string()),
                    "estimate_secs": h.estimate.map(Duration::as_secs),
                    "drills": m.map_or(0, |m| m.count),
                    "median": m.map(|m| dur(m.median).to_string()),
                    "median_secs": m.map(|m| m.median.as_secs_f64()),
                    "p90": m.map(|m| dur(m.p90).to_string()),
                    "p90_secs": m.map(|m| m.p90.as_secs_f64()),
                    "min_secs": m.map(|m| m.min.as_secs_f64()),
                    "max_secs": m.map(|m| m.max.as_secs_f64()),
                    "off_by_percent": h.off_by_percent(),
                    "applicable": h.applicable,
                })
            })
            .collect();
        let forecast: Vec<Value> = self
            .ways
            .iter()
            .map(|w| {
                let margin = rto.map(|r| match w.path.margin(r) {
                    Margin::Within(m) => m.as_secs() as i64,
                    Margin::Exceeds(by) => -(by.as_secs() as i64),
                });
                json!({
                    "way": w.key,
                    "total": w.path.total.to_string(),
                    "total_secs": w.path.total.as_secs(),
                    "steps": w.path.steps.iter().map(|&s| rb.step(s).id.value.as_str()).collect::<Vec<_>>(),
                    "rto_margin_secs": margin,
                    "exceeds_rto": margin.map(|m| m < 0),
                })
            })
            .collect();
        let services: Vec<Value> = self
            .services
            .iter()
            .map(|s| {
                let rto = s.rto();
                let ways: Vec<Value> = self
                    .ways
                    .iter()
                    .zip(s.at)
                    .map(|(w, at)| {
                        let margin = rto.zip(at).map(|(r, a)| r.0 as i64 - a.0 as i64);
                        json!({
                            "way": w.key,
                            "at": at.map(|a| a.to_string()),
                            "at_secs": at.map(Duration::as_secs),
                            "rto_margin_secs": margin,
                            "exceeds_rto": margin.map(|m| m < 0),
                        })
                    })
                    .collect();
                json!({
                    "name": s.service.name.value,
                    "rto": rto.map(|r| r.to_string()),
                    "rto_secs": rto.map(Duration::as_secs),
                    "forecast": ways,
                    "verdict": s.verdict(),
                })
            })
            .collect();
        let v = json!({
            "name": rb.name,
            "mode": self.mode.to_string(),
            "drills": self.drills,
            "other_versions": self.other_versions,
            "first_drill": self.period.map(|p| crate::report::utc_rfc3339(p.0)),
            "last_drill": self.period.map(|p| crate::report::utc_rfc3339(p.1)),
            "rto": rto.map(|r| r.to_string()),
            "rto_secs": rto.map(Duration::as_secs),
            "steps": steps,
            "without_history": self.without_history,
            "forecast": forecast,
            "services": services,
            "verdict": self.verdict(),
            "candidates": self.candidates.iter().map(|c| json!({
                "title": c.title,
                "id": c.id,
                "drills": c.drills,
                "role": c.role,
                "run": c.run,
                "after": c.after.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                "before": c.before.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                "median_secs": c.measured.map(|m| m.median.as_secs_f64()),
                "p90_secs": c.measured.map(|m| m.p90.as_secs_f64()),
                "reasons": c.reasons,
                "yaml": c.yaml().join("\n"),
            })).collect::<Vec<_>>(),
        });
        let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
        s.push('\n');
        s
    }
}
