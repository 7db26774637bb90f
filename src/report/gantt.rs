//! The timeline chart: one bar per step on a time axis, grouped by phase,
//! coloured by outcome, the planned duration as a thin bar behind the actual
//! one, and the RTO deadline as a vertical line.
//!
//! [`Layout`] places everything in seconds from the start of the drill;
//! [`svg`] draws it for the HTML report and [`mermaid`] writes it as a
//! Mermaid `gantt` block for the Markdown report.

use std::fmt::Write as _;
use std::time::Duration as StdDuration;

use super::html::esc;
use super::{Report, State, StepReport, duration_in};
use crate::event::Outcome;
use crate::i18n::Lang;
use crate::timeline::span;

/// A step's place on the chart, in seconds from the start of the drill.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Actual interval; `None` for a step never reached.
    pub actual: Option<(f64, f64)>,
    /// Planned interval (estimate), starting where the step began, or at
    /// its planned start when it never began.
    pub planned: Option<(f64, f64)>,
    /// Outcome class: an outcome, `open`, or `pending`.
    pub class: &'static str,
    /// Ends of failed attempts (a retry followed, or a decision).
    pub failures: Vec<f64>,
}

/// The chart's time scale and bars.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Length of the axis, in seconds.
    pub axis: f64,
    /// RTO deadline in seconds, if any.
    pub rto: Option<f64>,
    /// Whether the RTO lies beyond the axis (too far to draw to scale).
    pub rto_beyond: bool,
    /// Tick spacing in seconds.
    pub tick: f64,
    /// One bar per step, in report order.
    pub bars: Vec<Bar>,
}

/// The CSS class of a step's bar.
pub fn class_of(s: &StepReport) -> &'static str {
    match (s.outcome, s.state) {
        (Some(Outcome::Done), _) => "done",
        (Some(Outcome::Failed), _) => "failed",
        (Some(Outcome::Skipped), _) => "skipped",
        (Some(Outcome::Aborted), _) => "aborted",
        (Some(Outcome::NotApplicable), _) => "not_applicable",
        (None, State::Pending) => "pending",
        (None, _) => "open",
    }
}

/// Legend entries: class and label.
pub const LEGEND: [(&str, &str); 7] = [
    ("done", "done"),
    ("failed", "failed"),
    ("skipped", "skipped"),
    ("aborted", "aborted"),
    ("not_applicable", "not applicable"),
    ("open", "open or running"),
    ("pending", "not reached"),
];

impl Layout {
    /// Places every step of the report.
    pub fn new(r: &Report) -> Self {
        let start = r.run.started.at;
        let end_of_journal = r.run.ended.as_ref().unwrap_or(&r.run.last_event).at;
        let off = |t: jiff::Timestamp| span(start, t).as_secs_f64();
        let mut bars = Vec::new();
        let mut latest: f64 = 0.0;
        for s in r.steps() {
            let from = s.began.as_ref().or(s.finished.as_ref()).map(|t| off(t.at));
            let actual = from.map(|a| {
                let b = match &s.finished {
                    Some(f) => off(f.at),
                    None => off(end_of_journal),
                };
                (a, b.max(a))
            });
            let est = s.estimate_seconds.map(|e| e as f64);
            let planned = match (est, from, s.planned_start_seconds) {
                (Some(e), Some(a), _) if s.outcome != Some(Outcome::NotApplicable) => {
                    Some((a, a + e))
                }
                (Some(e), None, Some(p)) => Some((p as f64, p as f64 + e)),
                _ => None,
            };
            for (_, b) in actual.iter().chain(planned.iter()) {
                latest = latest.max(*b);
            }
            let failures = s
                .attempts
                .iter()
                .filter(|a| !a.interrupted && a.exit_code != Some(0))
                .filter_map(|a| a.ended.as_ref().map(|e| off(e.at)))
                .collect();
            bars.push(Bar {
                actual,
                planned,
                class: class_of(s),
                failures,
            });
        }
        latest = latest.max(off(end_of_journal));
        let rto = r.recovery.rto_seconds.map(|x| x as f64);
        // An RTO far beyond the drill would squash every bar to a sliver:
        // then it is marked at the right edge instead of drawn to scale.
        let (axis, rto_beyond) = match rto {
            Some(x) if x <= latest.max(60.0) * 3.0 => (latest.max(x), false),
            Some(_) => (latest, true),
            None => (latest, false),
        };
        let axis = axis.max(60.0) * 1.02;
        Layout {
            axis,
            rto,
            rto_beyond,
            tick: tick_for(axis),
            bars,
        }
    }
}

/// A tick spacing giving at most ten ticks.
fn tick_for(axis: f64) -> f64 {
    const STEPS: [f64; 14] = [
        10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0, 21600.0,
        43200.0, 86400.0,
    ];
    STEPS
        .into_iter()
        .find(|s| axis / s <= 10.0)
        .unwrap_or_else(|| (axis / 10.0 / 86400.0).ceil() * 86400.0)
}

const WIDTH: f64 = 1000.0;
const LABEL_W: f64 = 300.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 56.0;
const ROW: f64 = 22.0;
const PHASE_ROW: f64 = 24.0;

fn truncate(s: &str, max: usize) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        s
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// The chart as inline SVG. Every step is one `g.step` holding exactly one
/// `rect.bar` (`data-step` carries its id); the RTO deadline is `line.rto`.
pub fn svg(r: &Report) -> String {
    let l = Layout::new(r);
    let lang = r.lang;
    let zone = r.zone();
    let start = r.run.started.at;
    let plot = WIDTH - LABEL_W - RIGHT;
    let x = |secs: f64| LABEL_W + secs / l.axis * plot;
    let rows: usize = r.phases.iter().map(|p| p.steps.len()).sum();
    let chart_h = TOP + r.phases.len() as f64 * PHASE_ROW + rows as f64 * ROW + 8.0;
    let legend_h = 28.0;
    let height = chart_h + legend_h;
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<svg class="gantt" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-labelledby="gantt-title">"#
    );
    let _ = write!(
        o,
        r#"<title id="gantt-title">{}</title>"#,
        esc(&lang.tr_args("gantt-title", &[("name", r.run.name.clone().into())]))
    );

    // Time axis: grid lines and clock times.
    let mut t = 0.0;
    while t <= l.axis {
        let px = x(t);
        let at = start
            .checked_add(StdDuration::from_secs_f64(t))
            .unwrap_or(start);
        let _ = write!(
            o,
            r#"<line class="grid" x1="{px:.1}" y1="{y1}" x2="{px:.1}" y2="{y2:.1}"/><text class="tick" x="{px:.1}" y="{ty}" text-anchor="middle">{}</text><text class="tick-offset" x="{px:.1}" y="{ty2}" text-anchor="middle">+{}</text>"#,
            esc(&zone.hhmm(at)),
            esc(&short(lang, t)),
            y1 = TOP - 4.0,
            y2 = chart_h - 8.0,
            ty = 14.0,
            ty2 = 28.0,
        );
        t += l.tick;
    }

    let mut y = TOP;
    let mut bars = l.bars.iter();
    for phase in &r.phases {
        let _ = write!(
            o,
            r#"<g class="phase" data-phase="{}"><rect class="phase-band" x="0" y="{y:.1}" width="{WIDTH}" height="{PHASE_ROW}"/><text class="phase-title" x="6" y="{ty:.1}">{}</text></g>"#,
            esc(&phase.id),
            esc(&truncate(&phase.title, 90)),
            ty = y + 16.0,
        );
        y += PHASE_ROW;
        for s in &phase.steps {
            let Some(bar) = bars.next() else { break };
            let mid = y + ROW / 2.0;
            let _ = write!(
                o,
                r#"<g class="step" data-step="{}" data-outcome="{}">"#,
                esc(s.id.as_str()),
                bar.class
            );
            // Plain words for people (`not applicable`), not the CSS class.
            let state = super::state_text_in(lang, s);
            let took = |d| {
                lang.tr_args(
                    "gantt-took",
                    &[
                        ("state", state.into()),
                        ("time", duration_in(lang, d).into()),
                    ],
                )
            };
            let tip = match (s.duration_seconds, s.estimate_seconds) {
                (Some(d), Some(e)) => format!(
                    "{} — {} ({})",
                    s.title,
                    took(d),
                    lang.tr_args("gantt-planned", &[("time", duration_in(lang, e).into())])
                ),
                (Some(d), None) => format!("{} — {}", s.title, took(d)),
                _ => format!("{} — {state}", s.title),
            };
            // A remote step says where it ran, and where its last attempt
            // failed: the bar alone cannot show hosts.
            let tip = if s.hosts.is_empty() {
                tip
            } else {
                let failed = s
                    .attempts
                    .last()
                    .map(super::failed_hosts)
                    .unwrap_or_default();
                let mut t = format!("{tip} — {} {}", lang.said("on-hosts"), s.hosts.join(", "));
                if !failed.is_empty() {
                    t.push_str(
                        &lang.tr_args("attempt-failed-on", &[("hosts", failed.join(", ").into())]),
                    );
                }
                t
            };
            let _ = write!(o, "<title>{}</title>", esc(&tip));
            let _ = write!(
                o,
                r#"<text class="label" x="{lx}" y="{ty:.1}">{}</text>"#,
                esc(&truncate(&s.title, 44)),
                lx = 14.0,
                ty = mid + 4.0,
            );
            if let Some((a, b)) = bar.planned {
                let _ = write!(
                    o,
                    r#"<rect class="planned" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}"/>"#,
                    x(a),
                    mid - 8.0,
                    (x(b) - x(a)).max(1.0),
                    16.0
                );
            }
            match bar.actual {
                Some((a, b)) => {
                    let _ = write!(
                        o,
                        r#"<rect class="bar {}" data-step="{}" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="2"/>"#,
                        bar.class,
                        esc(s.id.as_str()),
                        x(a),
                        mid - 5.0,
                        (x(b) - x(a)).max(2.0),
                        10.0
                    );
                }
                None => {
                    let _ = write!(
                        o,
                        r#"<rect class="bar pending" data-step="{}" x="{:.1}" y="{:.1}" width="0" height="10"/><text class="not-reached" x="{:.1}" y="{:.1}">{}</text>"#,
                        esc(s.id.as_str()),
                        LABEL_W,
                        mid - 5.0,
                        LABEL_W + 4.0,
                        mid + 4.0,
                        esc(lang.said("gantt-not-reached"))
                    );
                }
            }
            for f in &bar.failures {
                let _ = write!(
                    o,
                    r#"<path class="fail-mark" d="M{:.1} {:.1} l6 -7 h-12 z"/>"#,
                    x(*f),
                    mid - 4.0
                );
            }
            o.push_str("</g>");
            y += ROW;
        }
    }

    if r.run.status == super::Status::RunningOrInterrupted {
        // Where the journal stops: nothing after this line is known.
        let px = x(span(start, r.run.last_event.at).as_secs_f64());
        let _ = write!(
            o,
            r#"<line class="last-event" x1="{px:.1}" y1="{y1}" x2="{px:.1}" y2="{y2:.1}"/><text class="last-event-label" x="{lx:.1}" y="{ty}">{}</text>"#,
            esc(lang.said("gantt-journal-ends")),
            y1 = TOP - 6.0,
            y2 = chart_h - 8.0,
            lx = px + 4.0,
            ty = TOP - 10.0,
        );
    }
    if let Some(rto) = l.rto {
        let label = lang.tr_args(
            "gantt-rto",
            &[(
                "time",
                duration_in(lang, StdDuration::from_secs_f64(rto).as_secs()).into(),
            )],
        );
        if l.rto_beyond {
            let px = WIDTH - RIGHT;
            let _ = write!(
                o,
                r#"<line class="rto beyond" x1="{px:.1}" y1="{y1}" x2="{px:.1}" y2="{y2:.1}"/><text class="rto-label" x="{lx:.1}" y="{ty}" text-anchor="end">{}</text>"#,
                esc(&lang.tr_args("gantt-beyond", &[("label", label.clone().into())])),
                y1 = TOP - 6.0,
                y2 = chart_h - 8.0,
                lx = px - 4.0,
                ty = TOP - 10.0,
            );
        } else {
            let px = x(rto);
            let _ = write!(
                o,
                r#"<line class="rto" x1="{px:.1}" y1="{y1}" x2="{px:.1}" y2="{y2:.1}"/><text class="rto-label" x="{lx:.1}" y="{ty}" text-anchor="end">{}</text>"#,
                esc(&label),
                y1 = TOP - 6.0,
                y2 = chart_h - 8.0,
                lx = px - 4.0,
                ty = TOP - 10.0,
            );
        }
    }

    // Legend.
    let mut lx = 14.0;
    let ly = chart_h + 8.0;
    for (class, _) in LEGEND {
        let label = lang.said(&format!("legend-{class}"));
        let _ = write!(
            o,
            r#"<g class="legend-item"><rect class="swatch {class}" x="{lx:.1}" y="{ly:.1}" width="14" height="10" rx="2"/><text class="legend" x="{tx:.1}" y="{ty:.1}">{label}</text></g>"#,
            tx = lx + 18.0,
            ty = ly + 9.0,
        );
        lx += 26.0 + label.chars().count() as f64 * 6.6;
    }
    let _ = write!(
        o,
        r#"<g class="legend-item"><rect class="planned" x="{lx:.1}" y="{y:.1}" width="22" height="16"/><text class="legend" x="{tx:.1}" y="{ty:.1}">{}</text></g>"#,
        lang.said("legend-planned"),
        y = ly - 3.0,
        tx = lx + 26.0,
        ty = ly + 9.0,
    );
    lx += 26.0 + lang.said("legend-planned").chars().count() as f64 * 6.6;
    let _ = write!(
        o,
        r#"<g class="legend-item"><path class="fail-mark" d="M{:.1} {:.1} l6 -7 h-12 z"/><text class="legend" x="{tx:.1}" y="{ty:.1}">{}</text></g>"#,
        lx + 6.0,
        ly + 8.0,
        lang.said("legend-failed-attempt"),
        tx = lx + 16.0,
        ty = ly + 9.0,
    );
    lx += 26.0 + lang.said("legend-failed-attempt").chars().count() as f64 * 6.6;
    if l.rto.is_some() {
        let _ = write!(
            o,
            r#"<g class="legend-item"><line class="rto" x1="{lx:.1}" y1="{y1:.1}" x2="{lx:.1}" y2="{y2:.1}"/><text class="legend" x="{tx:.1}" y="{ty:.1}">{}</text></g>"#,
            lang.said("legend-rto"),
            y1 = ly - 3.0,
            y2 = ly + 13.0,
            tx = lx + 6.0,
            ty = ly + 9.0,
        );
    }
    o.push_str("</svg>");
    o
}

/// `15m`, `1h30m`, `0`: an axis offset.
fn short(lang: Lang, secs: f64) -> String {
    let s = secs.round() as u64;
    if s == 0 {
        return "0".into();
    }
    lang.duration(s)
}

/// Text safe inside a Mermaid task or section name: Mermaid gives `:`,
/// `;`, `#` and `%%` meaning there, and the text ends up in HTML.
pub fn mermaid_text(s: &str) -> String {
    let cleaned: String =
        s.chars()
            .map(|c| match c {
                ':' | ';' | '#' | '%' | '<' | '>' | '&' | '"' | '`' | '{' | '}' | '[' | ']'
                | '\\' => ' ',
                c if c.is_control() => ' ',
                c => c,
            })
            .collect();
    let t = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() { "untitled".into() } else { t }
}

/// The chart as a Mermaid `gantt` block (without the fence). Mermaid has
/// three task styles: `done` for done steps, `crit` for failed or aborted
/// ones, `active` (lighter) for the planned durations; the other outcomes
/// keep the default style and say their outcome in the task name.
pub fn mermaid(r: &Report) -> String {
    let l = Layout::new(r);
    let lang = r.lang;
    let start_ms = r.run.started.at.as_millisecond();
    let ms = |secs: f64| start_ms + (secs * 1000.0).round() as i64;
    let mut o = String::new();
    o.push_str("gantt\n");
    let _ = writeln!(o, "    title {}", mermaid_text(&r.run.name));
    o.push_str("    dateFormat x\n");
    let _ = writeln!(o, "    axisFormat %H:%M");
    let mut bars = l.bars.iter();
    let mut n = 0;
    for phase in &r.phases {
        let _ = writeln!(o, "    section {}", mermaid_text(&phase.title));
        for s in &phase.steps {
            let Some(bar) = bars.next() else { break };
            n += 1;
            let tag = match bar.class {
                "done" => "done, ",
                "failed" | "aborted" => "crit, ",
                _ => "",
            };
            // The hosts, as in the SVG chart's tooltip: a bar alone cannot
            // say where a remote step ran.
            let title = if s.hosts.is_empty() {
                mermaid_text(&s.title)
            } else {
                mermaid_text(&format!(
                    "{} {} {}",
                    s.title,
                    lang.said("on-hosts"),
                    s.hosts.join(", ")
                ))
            };
            match bar.actual {
                Some((a, b)) => {
                    // Mermaid draws nothing for an empty interval.
                    let b = b.max(a + 1.0);
                    let _ = writeln!(
                        o,
                        "    {title} ({}) :{tag}s{n}, {}, {}",
                        lang.said(&format!("mermaid-{}", bar.class)),
                        ms(a),
                        ms(b)
                    );
                }
                None => {
                    let _ = writeln!(
                        o,
                        "    {title} ({}) :milestone, s{n}, {1}, {1}",
                        lang.said("mermaid-pending"),
                        ms(0.0)
                    );
                }
            }
            if let Some((a, b)) = bar.planned {
                let _ = writeln!(
                    o,
                    "    {} {} :active, p{n}, {}, {}",
                    lang.said("mermaid-planned"),
                    duration_in(lang, StdDuration::from_secs_f64(b - a).as_secs()),
                    ms(a),
                    ms(b)
                );
            }
        }
    }
    if let Some(rto) = l.rto {
        let _ = writeln!(o, "    section {}", lang.said("mermaid-objective"));
        let _ = writeln!(
            o,
            "    {} {} :milestone, rto, {2}, {2}",
            lang.said("legend-rto"),
            duration_in(lang, StdDuration::from_secs_f64(rto).as_secs()),
            ms(rto)
        );
    }
    o
}
