//! What every format of `compare` says, as markup-neutral tables: the
//! text, Markdown and HTML renderers only lay them out, so they can never
//! disagree.

use super::{Comparison, dur, margin, short_sha, trend_text};

/// One table.
#[derive(Debug, Clone)]
pub struct Table {
    /// An id for the HTML anchor and class.
    pub id: &'static str,
    /// Its heading.
    pub title: String,
    /// Column headings.
    pub columns: Vec<String>,
    /// Which columns hold numbers (right-aligned).
    pub numeric: Vec<bool>,
    /// Rows of cells, as many as columns.
    pub rows: Vec<Vec<String>>,
    /// Sentences shown under the table.
    pub notes: Vec<String>,
}

impl Table {
    fn new(id: &'static str, title: &str, columns: &[(&str, bool)]) -> Self {
        Table {
            id,
            title: title.to_string(),
            columns: columns.iter().map(|(c, _)| c.to_string()).collect(),
            numeric: columns.iter().map(|(_, n)| *n).collect(),
            rows: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// The one-line headline: "3 drills of `X`, 2026-11-30 … 2026-12-09".
pub fn headline(c: &Comparison) -> String {
    let dates: Vec<&str> = c
        .drills
        .iter()
        .map(|d| d.started.local.get(..10).unwrap_or(&d.started.local))
        .collect();
    let span = match (dates.first(), dates.last()) {
        (Some(a), Some(b)) if a != b => format!(", {a} … {b}"),
        (Some(a), _) => format!(", {a}"),
        _ => String::new(),
    };
    format!(
        "{} drill{} of {} compared{span}",
        c.drills.len(),
        if c.drills.len() == 1 { "" } else { "s" },
        c.name
    )
}

/// The drills: when, how they ended, time to recovery against the RTO.
pub fn drills(c: &Comparison) -> Table {
    let mut t = Table::new(
        "drills",
        "Drills",
        &[
            ("#", true),
            ("started", false),
            ("journal", false),
            ("mode", false),
            ("result", false),
            ("time to recovery", true),
            ("RTO", true),
            ("margin", true),
            ("runbook SHA-256", false),
        ],
    );
    for d in &c.drills {
        let local = d.started.local.replace('T', " ");
        t.rows.push(vec![
            format!("#{}", d.number),
            local.get(..16).unwrap_or(&local).to_string(),
            d.journal.clone(),
            d.mode.to_string(),
            d.result.map_or("incomplete".into(), |r| r.to_string()),
            dur(d.time_to_recovery_secs),
            dur(d.rto_secs.map(|s| s as f64)),
            margin(d.rto_margin_secs),
            short_sha(&d.runbook_sha256).to_string(),
        ]);
    }
    t.notes.push(format!(
        "Times in {}. Margin: RTO minus time to recovery (negative: missed by that much).",
        c.time_zone
    ));
    t
}

/// Each runbook change between consecutive drills, one sentence each.
pub fn changes(c: &Comparison) -> Vec<String> {
    c.changes
        .iter()
        .map(|ch| {
            let mut parts = Vec::new();
            if !ch.added.is_empty() {
                parts.push(format!("added {}", ch.added.join(", ")));
            }
            if !ch.removed.is_empty() {
                parts.push(format!("removed {}", ch.removed.join(", ")));
            }
            for s in &ch.changed {
                parts.push(format!("changed {} ({})", s.step, s.what.join(", ")));
            }
            if parts.is_empty() {
                parts.push("no step added, removed or changed in the plan".into());
            }
            format!(
                "runbook changed between #{} and #{} ({} → {}): {}",
                ch.before,
                ch.after,
                short_sha(&ch.sha256_before),
                short_sha(&ch.sha256_after),
                parts.join("; ")
            )
        })
        .collect()
}

/// Each step's actual time per drill, with its trend.
pub fn steps(c: &Comparison) -> Table {
    let mut cols: Vec<(String, bool)> = vec![("step".into(), false), ("estimate".into(), true)];
    cols.extend(c.drills.iter().map(|d| (format!("#{}", d.number), true)));
    cols.push(("trend".into(), false));
    let mut t = Table {
        id: "steps",
        title: "Steps: actual time per drill".into(),
        columns: cols.iter().map(|(c, _)| c.clone()).collect(),
        numeric: cols.iter().map(|(_, n)| *n).collect(),
        rows: Vec::new(),
        notes: Vec::new(),
    };
    for s in &c.steps {
        let mut row = vec![s.id.clone(), dur(s.estimate_secs.map(|e| e as f64))];
        for k in 0..c.drills.len() {
            row.push(match (s.planned[k], s.actual_secs[k], &s.outcome[k]) {
                (false, _, _) => "—".into(),
                (true, Some(a), _) => dur(Some(a)),
                (true, None, Some(o)) => o.clone(),
                (true, None, None) => "-".into(),
            });
        }
        row.push(trend_text(s.trend));
        t.rows.push(row);
    }
    t.notes.push(
        "Actual time: manual steps from ready to recorded, commands their attempts (retries included). \
         — not in that drill's plan; an outcome word when the step did not end done. \
         Trend: the last measurement against the mean of the earlier ones (steady within 10%)."
            .into(),
    );
    t
}

/// Each service's time to recovery per drill, against its RTO, with its
/// trend; `None` when no drill's plan names a service.
pub fn services(c: &Comparison) -> Option<Table> {
    if c.services.is_empty() {
        return None;
    }
    let mut cols: Vec<(String, bool)> = vec![("service".into(), false), ("RTO".into(), true)];
    cols.extend(c.drills.iter().map(|d| (format!("#{}", d.number), true)));
    cols.push(("trend".into(), false));
    let mut t = Table {
        id: "services",
        title: "Services: time to recovery per drill (margin against the RTO)".into(),
        columns: cols.iter().map(|(c, _)| c.clone()).collect(),
        numeric: cols.iter().map(|(_, n)| *n).collect(),
        rows: Vec::new(),
        notes: Vec::new(),
    };
    for s in &c.services {
        let newest_rto = s.rto_secs.iter().rev().flatten().next().copied();
        let mut row = vec![s.name.clone(), dur(newest_rto.map(|r| r as f64))];
        for k in 0..c.drills.len() {
            row.push(
                match (
                    s.planned[k],
                    s.time_to_recovery_secs[k],
                    s.rto_margin_secs[k],
                ) {
                    (false, _, _) => "—".into(),
                    (true, Some(t), Some(m)) => format!("{} ({})", dur(Some(t)), signed(m)),
                    (true, Some(t), None) => dur(Some(t)),
                    (true, None, _) => "not restored".into(),
                },
            );
        }
        row.push(trend_text(s.trend));
        t.rows.push(row);
    }
    t.notes.push(
        "Time to recovery: from the start of the drill to the end of the last step restoring the \
         service; in brackets, its RTO minus that time (negative: missed by that much). \
         — not in that drill's plan."
            .into(),
    );
    let any_loss = c
        .services
        .iter()
        .any(|s| s.data_loss_secs.iter().any(Option::is_some));
    if any_loss {
        for s in &c.services {
            let cells: Vec<String> = (0..c.drills.len())
                .map(|k| match (s.data_loss_secs[k], s.rpo_secs[k]) {
                    (Some(l), Some(r)) => {
                        format!("#{} {} ({})", k + 1, dur(Some(l)), signed(r as f64 - l))
                    }
                    (Some(l), None) => format!("#{} {}", k + 1, dur(Some(l))),
                    (None, _) => format!("#{} not measured", k + 1),
                })
                .collect();
            t.notes.push(format!(
                "Data lost by {} (in brackets, its RPO minus it): {}.",
                s.name,
                cells.join(", ")
            ));
        }
    }
    Some(t)
}

/// A margin with its sign: `+1h50m`, `-2m37s`.
fn signed(secs: f64) -> String {
    if secs < 0.0 {
        margin(Some(secs))
    } else {
        format!("+{}", margin(Some(secs)))
    }
}

/// Where the time went, per drill.
pub fn split(c: &Comparison) -> Table {
    // The held column only when a drill was held, as in the report.
    let held = c.drills.iter().any(|d| d.split.held_secs > 0.0);
    let mut columns = vec![
        ("#", true),
        ("running", true),
        ("waiting for the operator", true),
        ("waiting for dependencies", true),
        ("other", true),
    ];
    if held {
        columns.push(("held", true));
    }
    let mut t = Table::new(
        "split",
        "Where the time went (summed over the steps)",
        &columns,
    );
    for d in &c.drills {
        let s = d.split;
        let mut row = vec![
            format!("#{}", d.number),
            dur(Some(s.running_secs)),
            dur(Some(s.operator_secs)),
            dur(Some(s.dependencies_secs)),
            dur(Some(s.other_secs)),
        ];
        if held {
            row.push(dur(Some(s.held_secs)));
        }
        t.rows.push(row);
    }
    t.notes
        .push("Other: pauses between automatic retries, waiting for a free job slot.".into());
    if held {
        t.notes.push(
            "Held: steps waiting while the drill was held (`hold` … `release`), when nobody \
             was expected to act; taken out of the other waits."
                .into(),
        );
    }
    t
}

/// The deviations of each drill.
pub fn deviations(c: &Comparison) -> Table {
    let mut t = Table::new(
        "deviations",
        "Deviations",
        &[
            ("#", true),
            ("step", false),
            ("what", false),
            ("reason", false),
        ],
    );
    for d in &c.drills {
        for v in &d.deviations {
            let what = if v.kind == "retried" {
                format!("{} attempts", v.attempts)
            } else {
                v.kind.to_string()
            };
            t.rows.push(vec![
                format!("#{}", d.number),
                v.step.clone(),
                what,
                v.reason.clone().unwrap_or_default(),
            ]);
        }
    }
    if t.rows.is_empty() {
        t.notes
            .push("No step failed, was skipped or retried.".into());
    }
    t
}

/// Steps deviating in several drills.
pub fn repeated(c: &Comparison) -> Table {
    let mut t = Table::new(
        "repeated",
        "Steps deviating in several drills",
        &[("step", false), ("drills", true), ("what", false)],
    );
    for r in &c.repeated_deviations {
        let what: Vec<String> = r.drills.iter().map(|(n, w)| format!("#{n} {w}")).collect();
        t.rows.push(vec![
            r.step.clone(),
            r.drills.len().to_string(),
            what.join(", "),
        ]);
    }
    if t.rows.is_empty() {
        t.notes
            .push("No step deviated in more than one drill.".into());
    }
    t
}
