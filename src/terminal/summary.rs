//! The end-of-run summary: every step with its outcome, who recorded it,
//! estimate, actual time and overrun; then the result, the time to
//! recovery against the RTO, where the time went, and the journal path.

use std::path::Path;

use console::{Style, measure_text_width};

use crate::event::{Outcome, RunResult, Source};
use crate::timeline::{RtoVerdict, StepRecord, StepState, Timeline};

use super::lines::length;

/// The summary of a drill as a block of text (ends with a newline).
/// Measures anything still open up to the last event, so it is the same
/// whenever it is printed.
pub fn summary(timeline: &Timeline, journal: &Path, color: bool) -> String {
    let paint = |text: &str, style: Style| style.force_styling(color).apply_to(text).to_string();
    let Some(now) = timeline.as_of() else {
        return format!("nothing was recorded\njournal: {}\n", journal.display());
    };
    let mut rows: Vec<[String; 7]> = vec![
        [
            "step", "outcome", "by", "estimate", "actual", "overrun", "reason",
        ]
        .map(|h| paint(h, Style::new().bold())),
    ];
    for rec in &timeline.steps {
        let (outcome, style) = outcome_word(rec);
        let over = rec.overrun(now).filter(|o| o.as_secs() > 0);
        rows.push([
            rec.id().to_string(),
            paint(outcome, style),
            who(rec),
            rec.planned
                .estimate
                .map_or("-".to_string(), |e| e.to_string()),
            rec.duration(now).map_or("-".to_string(), length),
            over.map_or(String::new(), |o| {
                paint(&format!("+{}", length(o)), Style::new().yellow())
            }),
            rec.reason.clone().unwrap_or_default(),
        ]);
    }
    let mut widths = [0usize; 7];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(measure_text_width(cell));
        }
    }
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            line.push_str(&" ".repeat(widths[i] - measure_text_width(cell)));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push('\n');

    let (result, style) = match timeline.result {
        Some((_, RunResult::Recovered)) => ("recovered", Style::new().green().bold()),
        Some((_, RunResult::Degraded)) => ("degraded", Style::new().yellow().bold()),
        Some((_, RunResult::Aborted)) => ("aborted", Style::new().red().bold()),
        None => ("interrupted (no end recorded)", Style::new().red().bold()),
    };
    let mode = timeline
        .header
        .as_ref()
        .map_or("drill".to_string(), |h| h.mode.to_string());
    // A recovery after the RTO says so on the result line itself.
    let missed = match (timeline.result, timeline.rto_verdict(now)) {
        (Some(_), RtoVerdict::Missed { by }) => paint(
            &format!(" — RTO missed by {}", length(by)),
            Style::new().red().bold(),
        ),
        _ => String::new(),
    };
    out.push_str(&format!(
        "result: {mode} {}{missed}\n",
        paint(result, style)
    ));

    let rto = timeline.header.as_ref().and_then(|h| h.rto);
    let elapsed = timeline.elapsed(now).unwrap_or_default();
    let recovery = match (timeline.rto_verdict(now), rto) {
        (RtoVerdict::Met { margin }, Some(rto)) => format!(
            "{} / RTO {rto}: {}",
            length(timeline.time_to_recovery().unwrap_or_default()),
            paint(
                &format!("met, {} to spare", length(margin)),
                Style::new().green()
            )
        ),
        (RtoVerdict::Missed { by }, Some(rto)) => format!(
            "{} / RTO {rto}: {}",
            length(timeline.time_to_recovery().unwrap_or_default()),
            paint(
                &format!("missed by {}", length(by)),
                Style::new().red().bold()
            )
        ),
        (RtoVerdict::NotRecovered, Some(rto)) => {
            format!(
                "not recovered (stopped after {}) / RTO {rto}",
                length(elapsed)
            )
        }
        (RtoVerdict::Open { .. } | RtoVerdict::Overdue { .. }, Some(rto)) => {
            format!("not recovered yet ({} so far) / RTO {rto}", length(elapsed))
        }
        _ => match timeline.time_to_recovery() {
            Some(ttr) => format!("{} (no RTO set)", length(ttr)),
            None => format!(
                "not recovered (stopped after {}), no RTO set",
                length(elapsed)
            ),
        },
    };
    out.push_str(&format!("time to recovery: {recovery}\n"));

    let split = timeline.total_split(now);
    out.push_str("where the time went (summed over steps):\n");
    let mut parts = vec![
        ("running", split.running),
        ("waiting for the operator", split.operator),
        ("waiting for dependencies", split.dependencies),
    ];
    if split.other.as_secs() > 0 {
        parts.push(("other waits (retry delays, job slots)", split.other));
    }
    if split.held.as_secs() > 0 {
        parts.push(("held (run_held to run_released)", split.held));
    }
    let width = parts.iter().map(|(w, _)| w.len()).max().unwrap_or(0);
    for (what, d) in parts {
        out.push_str(&format!("  {what:width$}  {}\n", length(d)));
    }
    out.push_str(&format!("journal: {}\n", journal.display()));
    out
}

fn outcome_word(rec: &StepRecord) -> (&'static str, Style) {
    match rec.state {
        StepState::Finished(o) => match o {
            Outcome::Done => ("done", Style::new().green()),
            Outcome::Failed => ("failed", Style::new().red().bold()),
            Outcome::Skipped => ("skipped", Style::new().yellow()),
            Outcome::Aborted => ("aborted", Style::new().red()),
            Outcome::NotApplicable => ("n/a", Style::new().dim()),
        },
        StepState::Pending => ("pending", Style::new().dim()),
        StepState::Ready => ("open", Style::new().yellow()),
        StepState::Running { .. } => ("running", Style::new().yellow()),
        StepState::AttemptFailed { .. } => ("failed?", Style::new().red()),
    }
}

fn who(rec: &StepRecord) -> String {
    match (rec.source, &rec.by) {
        (Some(Source::Command), _) => "command".to_string(),
        (Some(Source::Engine), _) => "-".to_string(),
        (Some(Source::CommandLine), _) => "command line".to_string(),
        (Some(Source::AutoConfirmed), Some(by)) => format!("{by} (--yes)"),
        (Some(Source::Paper), Some(by)) => format!("{by} (paper)"),
        (_, Some(by)) => by.clone(),
        (_, None) => "-".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Event, Stamped};
    use crate::runbook::StepId;
    use crate::terminal::at;
    use crate::terminal::lines::tests::story;

    #[test]
    fn a_recovered_drill() {
        let tl = Timeline::from_events(&story());
        insta::assert_snapshot!(summary(&tl, Path::new("drills/failover.journal"), false), @r"
        step           outcome  by       estimate  actual  overrun  reason
        call-vendor    skipped  bob      10m       15m     +5m      vendor already on site
        check-backups  done     bob      -         12m
        restart-app    done     command  2m        4m31s   +2m31s

        result: drill recovered
        time to recovery: 15m / RTO 1h: met, 45m to spare
        where the time went (summed over steps):
          running                   4m30s
          waiting for the operator  27m1s
          waiting for dependencies  0s
        journal: drills/failover.journal
        ");
    }

    #[test]
    fn an_aborted_drill_past_its_rto() {
        let mut events: Vec<Stamped> = story().into_iter().take(8).collect();
        events.push(at(
            "09:10:00",
            Event::AbortRequested {
                origin: Default::default(),
                by: "alice".into(),
                reason: Some("wrong site".into()),
                rollback: false,
            },
        ));
        for (id, by) in [
            ("restart-app", "reprise"),
            ("call-vendor", "reprise"),
            ("check-backups", "reprise"),
        ] {
            events.push(at(
                "09:10:01",
                Event::StepFinished {
                    origin: Default::default(),
                    step: StepId::new(id),
                    outcome: crate::event::Outcome::Aborted,
                    exit_code: None,
                    reason: Some("drill aborted".into()),
                    by: by.into(),
                    source: Source::Engine,
                    attempts: 0,
                    output_tail: vec![],
                },
            ));
        }
        events.push(at(
            "09:10:01",
            Event::RunFinished {
                result: RunResult::Aborted,
            },
        ));
        let tl = Timeline::from_events(&events);
        let text = summary(&tl, Path::new("j"), false);
        insta::assert_snapshot!(text, @r"
        step           outcome  by  estimate  actual   overrun  reason
        call-vendor    aborted  -   10m       1h10m1s  +1h1s    drill aborted
        check-backups  aborted  -   -         1h10m1s           drill aborted
        restart-app    aborted  -   2m        1h10m1s  +1h8m1s  drill aborted

        result: drill aborted
        time to recovery: not recovered (stopped after 1h10m1s) / RTO 1h
        where the time went (summed over steps):
          running                   1h10m
          waiting for the operator  2h20m3s
          waiting for dependencies  0s
        journal: j
        ");
        let colored = summary(&tl, Path::new("j"), true);
        assert!(colored.contains("\x1b["));
        assert_eq!(console::strip_ansi_codes(&colored), text);
    }
}
