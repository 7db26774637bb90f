//! What every format of `compare` says, as markup-neutral tables: the
//! text, Markdown and HTML renderers only lay them out, so they can never
//! disagree.

use super::{Comparison, short_sha};

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
    /// A table with its title and columns' messages in `c`'s language.
    fn new(c: &Comparison, id: &'static str, title: &str, columns: &[(&str, bool)]) -> Self {
        let w = c.words;
        Table {
            id,
            title: w.tr(title),
            columns: columns
                .iter()
                .map(|(c, _)| match *c {
                    "#" => c.to_string(),
                    id => w.tr(id),
                })
                .collect(),
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
    c.words.count(
        "compare-headline",
        c.drills.len(),
        &[("name", c.name.clone()), ("span", span)],
    )
}

/// The drills: when, how they ended, time to recovery against the RTO.
pub fn drills(c: &Comparison) -> Table {
    let w = c.words;
    let mut t = Table::new(
        c,
        "drills",
        "compare-drills",
        &[
            ("#", true),
            ("compare-col-started", false),
            ("compare-col-journal", false),
            ("compare-col-mode", false),
            ("compare-col-result", false),
            ("compare-col-ttr", true),
            ("compare-col-rto", true),
            ("compare-col-margin", true),
            ("compare-col-sha", false),
        ],
    );
    for d in &c.drills {
        let local = d.started.local.replace('T', " ");
        t.rows.push(vec![
            format!("#{}", d.number),
            local.get(..16).unwrap_or(&local).to_string(),
            d.journal.clone(),
            w.tr(&format!("compare-mode-{}", d.mode)),
            d.result.map_or(w.tr("compare-incomplete"), |r| {
                w.tr(&format!("compare-result-{r}"))
            }),
            w.dur(d.time_to_recovery_secs),
            w.dur(d.rto_secs.map(|s| s as f64)),
            w.margin(d.rto_margin_secs),
            short_sha(&d.runbook_sha256).to_string(),
        ]);
    }
    t.notes
        .push(w.args("compare-drills-note", &[("zone", c.time_zone.clone())]));
    t
}

/// Each runbook change between consecutive drills, one sentence each.
pub fn changes(c: &Comparison) -> Vec<String> {
    let w = c.words;
    c.changes
        .iter()
        .map(|ch| {
            let mut parts = Vec::new();
            if !ch.added.is_empty() {
                parts.push(w.args("compare-added", &[("steps", ch.added.join(", "))]));
            }
            if !ch.removed.is_empty() {
                parts.push(w.args("compare-removed", &[("steps", ch.removed.join(", "))]));
            }
            for s in &ch.changed {
                parts.push(w.args(
                    "compare-changed",
                    &[("step", s.step.clone()), ("what", s.what.join(", "))],
                ));
            }
            if parts.is_empty() {
                parts.push(w.tr("compare-no-change"));
            }
            w.args(
                "compare-change",
                &[
                    ("before", ch.before.to_string()),
                    ("after", ch.after.to_string()),
                    ("from", short_sha(&ch.sha256_before).to_string()),
                    ("to", short_sha(&ch.sha256_after).to_string()),
                    // `; ` reads as a list separator in both languages.
                    ("parts", parts.join("; ")),
                ],
            )
        })
        .collect()
}

/// Each step's actual time per drill, with its trend.
pub fn steps(c: &Comparison) -> Table {
    let w = c.words;
    let mut cols: Vec<(String, bool)> = vec![
        (w.tr("compare-col-step"), false),
        (w.tr("compare-col-estimate"), true),
    ];
    cols.extend(c.drills.iter().map(|d| (format!("#{}", d.number), true)));
    cols.push((w.tr("compare-col-trend"), false));
    let mut t = Table {
        id: "steps",
        title: w.tr("compare-steps"),
        columns: cols.iter().map(|(c, _)| c.clone()).collect(),
        numeric: cols.iter().map(|(_, n)| *n).collect(),
        rows: Vec::new(),
        notes: Vec::new(),
    };
    for s in &c.steps {
        let mut row = vec![s.id.clone(), w.dur(s.estimate_secs.map(|e| e as f64))];
        for k in 0..c.drills.len() {
            row.push(match (s.planned[k], s.actual_secs[k], &s.outcome[k]) {
                (false, _, _) => "—".into(),
                (true, Some(a), _) => w.dur(Some(a)),
                (true, None, Some(o)) => w.outcome(o),
                (true, None, None) => "-".into(),
            });
        }
        row.push(w.trend(s.trend));
        t.rows.push(row);
    }
    t.notes.push(w.tr("compare-steps-note"));
    t
}

/// Each service's time to recovery per drill, against its RTO, with its
/// trend; `None` when no drill's plan names a service.
pub fn services(c: &Comparison) -> Option<Table> {
    if c.services.is_empty() {
        return None;
    }
    let w = c.words;
    let mut cols: Vec<(String, bool)> = vec![
        (w.tr("compare-col-service"), false),
        (w.tr("compare-col-rto"), true),
    ];
    cols.extend(c.drills.iter().map(|d| (format!("#{}", d.number), true)));
    cols.push((w.tr("compare-col-trend"), false));
    let mut t = Table {
        id: "services",
        title: w.tr("compare-services"),
        columns: cols.iter().map(|(c, _)| c.clone()).collect(),
        numeric: cols.iter().map(|(_, n)| *n).collect(),
        rows: Vec::new(),
        notes: Vec::new(),
    };
    for s in &c.services {
        let newest_rto = s.rto_secs.iter().rev().flatten().next().copied();
        let mut row = vec![s.name.clone(), w.dur(newest_rto.map(|r| r as f64))];
        for k in 0..c.drills.len() {
            row.push(
                match (
                    s.planned[k],
                    s.time_to_recovery_secs[k],
                    s.rto_margin_secs[k],
                ) {
                    (false, _, _) => "—".into(),
                    (true, Some(t), Some(m)) => format!("{} ({})", w.dur(Some(t)), w.signed(m)),
                    (true, Some(t), None) => w.dur(Some(t)),
                    (true, None, _) => w.tr("compare-not-restored"),
                },
            );
        }
        row.push(w.trend(s.trend));
        t.rows.push(row);
    }
    t.notes.push(w.tr("compare-services-note"));
    let any_loss = c
        .services
        .iter()
        .any(|s| s.data_loss_secs.iter().any(Option::is_some));
    if any_loss {
        for s in &c.services {
            let cells: Vec<String> = (0..c.drills.len())
                .map(|k| match (s.data_loss_secs[k], s.rpo_secs[k]) {
                    (Some(l), Some(r)) => {
                        format!("#{} {} ({})", k + 1, w.dur(Some(l)), w.signed(r as f64 - l))
                    }
                    (Some(l), None) => format!("#{} {}", k + 1, w.dur(Some(l))),
                    (None, _) => w.args("compare-not-measured", &[("number", (k + 1).to_string())]),
                })
                .collect();
            t.notes.push(w.args(
                "compare-loss",
                &[("service", s.name.clone()), ("cells", cells.join(", "))],
            ));
        }
    }
    Some(t)
}

/// Where the time went, per drill.
pub fn split(c: &Comparison) -> Table {
    // The held column only when a drill was held, as in the report.
    let held = c.drills.iter().any(|d| d.split.held_secs > 0.0);
    let w = c.words;
    let mut columns = vec![
        ("#", true),
        ("compare-col-running", true),
        ("compare-col-operator", true),
        ("compare-col-dependencies", true),
        ("compare-col-other", true),
    ];
    if held {
        columns.push(("compare-col-held", true));
    }
    let mut t = Table::new(c, "split", "compare-split", &columns);
    for d in &c.drills {
        let s = d.split;
        let mut row = vec![
            format!("#{}", d.number),
            w.dur(Some(s.running_secs)),
            w.dur(Some(s.operator_secs)),
            w.dur(Some(s.dependencies_secs)),
            w.dur(Some(s.other_secs)),
        ];
        if held {
            row.push(w.dur(Some(s.held_secs)));
        }
        t.rows.push(row);
    }
    t.notes.push(w.tr("compare-split-other"));
    if held {
        t.notes.push(w.tr("compare-split-held"));
    }
    t
}

/// The deviations of each drill.
pub fn deviations(c: &Comparison) -> Table {
    let w = c.words;
    let mut t = Table::new(
        c,
        "deviations",
        "compare-deviations",
        &[
            ("#", true),
            ("compare-col-step", false),
            ("compare-col-what", false),
            ("compare-col-reason", false),
        ],
    );
    for d in &c.drills {
        for v in &d.deviations {
            let what = if v.kind == "retried" {
                w.count("compare-attempts", v.attempts as usize, &[])
            } else {
                w.deviation(v.kind)
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
        t.notes.push(w.tr("compare-no-deviation"));
    }
    t
}

/// Steps deviating in several drills.
pub fn repeated(c: &Comparison) -> Table {
    let w = c.words;
    let mut t = Table::new(
        c,
        "repeated",
        "compare-repeated",
        &[
            ("compare-col-step", false),
            ("compare-col-drills", true),
            ("compare-col-what", false),
        ],
    );
    for r in &c.repeated_deviations {
        let what: Vec<String> = r
            .drills
            .iter()
            .map(|(n, what)| format!("#{n} {}", w.deviation(what)))
            .collect();
        t.rows.push(vec![
            r.step.clone(),
            r.drills.len().to_string(),
            what.join(", "),
        ]);
    }
    if t.rows.is_empty() {
        t.notes.push(w.tr("compare-no-repeat"));
    }
    t
}
