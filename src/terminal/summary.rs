//! The end-of-run summary: every step with its outcome, who recorded it,
//! estimate, actual time and overrun; then the result, the time to
//! recovery against the RTO, where the time went, and the journal path.

use std::path::Path;

use console::{Style, measure_text_width};

use crate::event::{Outcome, RunResult, Source};
use crate::i18n::Lang;
use crate::timeline::{RtoVerdict, StepRecord, StepState, Timeline};

/// The summary of a drill as a block of text (ends with a newline).
/// Measures anything still open up to the last event, so it is the same
/// whenever it is printed.
pub fn summary(timeline: &Timeline, journal: &Path, color: bool) -> String {
    summary_in(Lang::En, timeline, journal, color)
}

/// [`summary`] in `lang` (the drill's `lang:`, then `LANG`).
pub fn summary_in(lang: Lang, timeline: &Timeline, journal: &Path, color: bool) -> String {
    let paint = |text: &str, style: Style| style.force_styling(color).apply_to(text).to_string();
    let t = |id: &str| lang.tr(id);
    let timed = |id: &str, d: std::time::Duration| {
        lang.tr_args(id, &[("time", lang.duration(d.as_secs()).into())])
    };
    let journal_line = lang.tr_args(
        "summary-journal",
        &[("path", journal.display().to_string().into())],
    );
    let Some(now) = timeline.as_of() else {
        return format!("{}\n{journal_line}\n", t("summary-nothing"));
    };
    let mut rows: Vec<[String; 7]> = vec![
        [
            "step", "outcome", "by", "estimate", "actual", "overrun", "reason",
        ]
        .map(|h| paint(&t(&format!("summary-col-{h}")), Style::new().bold())),
    ];
    for rec in &timeline.steps {
        let (outcome, style) = outcome_word(rec);
        let over = rec.overrun(now).filter(|o| o.as_secs() > 0);
        rows.push([
            rec.id().to_string(),
            paint(&t(&format!("summary-outcome-{outcome}")), style),
            who(lang, rec),
            rec.planned
                .estimate
                .map_or("-".to_string(), |e| lang.duration(e.as_secs())),
            rec.duration(now)
                .map_or("-".to_string(), |d| lang.duration(d.as_secs())),
            over.map_or(String::new(), |o| {
                paint(
                    &format!("+{}", lang.duration(o.as_secs())),
                    Style::new().yellow(),
                )
            }),
            rec.reason.as_deref().map_or(String::new(), |r| {
                crate::event::reason_in(r, lang).into_owned()
            }),
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
        None => ("interrupted", Style::new().red().bold()),
    };
    let result = t(&format!("summary-result-{result}"));
    let mode = timeline
        .header
        .as_ref()
        .map_or("drill".to_string(), |h| h.mode.to_string());
    let mode = t(&format!("summary-mode-{mode}"));
    // A recovery after the RTO says so on the result line itself.
    let missed = match (timeline.result, timeline.rto_verdict(now)) {
        (Some(_), RtoVerdict::Missed { by }) => paint(
            &timed("summary-rto-missed-by", by),
            Style::new().red().bold(),
        ),
        _ => String::new(),
    };
    out.push_str(&lang.tr_args(
        "summary-result-line",
        &[
            ("mode", mode.into()),
            ("result", paint(&result, style).into()),
            ("missed", missed.into()),
        ],
    ));
    out.push('\n');

    let rto = timeline.header.as_ref().and_then(|h| h.rto);
    let rto_text = rto.map(|r| lang.duration(r.as_secs()));
    let elapsed = timeline.elapsed(now).unwrap_or_default();
    let with_rto = |id: &str, d: std::time::Duration, rto: &str| {
        lang.tr_args(
            id,
            &[
                ("time", lang.duration(d.as_secs()).into()),
                ("rto", rto.to_string().into()),
            ],
        )
    };
    let ttr = timeline.time_to_recovery().unwrap_or_default();
    let recovery = match (timeline.rto_verdict(now), rto_text.as_deref()) {
        (RtoVerdict::Met { margin }, Some(rto)) => format!(
            "{} {}",
            with_rto("summary-against-rto", ttr, rto),
            paint(&timed("summary-rto-met", margin), Style::new().green())
        ),
        (RtoVerdict::Missed { by }, Some(rto)) => format!(
            "{} {}",
            with_rto("summary-against-rto", ttr, rto),
            paint(&timed("summary-rto-missed", by), Style::new().red().bold())
        ),
        (RtoVerdict::NotRecovered, Some(rto)) => {
            with_rto("summary-not-recovered-rto", elapsed, rto)
        }
        (RtoVerdict::Open { .. } | RtoVerdict::Overdue { .. }, Some(rto)) => {
            with_rto("summary-not-recovered-yet-rto", elapsed, rto)
        }
        _ => match timeline.time_to_recovery() {
            Some(ttr) => timed("summary-no-rto", ttr),
            None => timed("summary-not-recovered-no-rto", elapsed),
        },
    };
    out.push_str(&format!("{} {recovery}\n", t("summary-recovery")));

    let split = timeline.total_split(now);
    out.push_str(&format!("{}\n", t("summary-split")));
    let mut parts = vec![
        (t("summary-running"), split.running),
        (t("summary-operator"), split.operator),
        (t("summary-dependencies"), split.dependencies),
    ];
    if split.other.as_secs() > 0 {
        parts.push((t("summary-other"), split.other));
    }
    if split.held.as_secs() > 0 {
        parts.push((t("summary-held"), split.held));
    }
    let width = parts
        .iter()
        .map(|(w, _)| measure_text_width(w))
        .max()
        .unwrap_or(0);
    for (what, d) in parts {
        let pad = " ".repeat(width - measure_text_width(&what));
        out.push_str(&format!("  {what}{pad}  {}\n", lang.duration(d.as_secs())));
    }
    out.push_str(&journal_line);
    out.push('\n');
    out
}

/// The step's state, as the `summary-outcome-*` message it is said by.
fn outcome_word(rec: &StepRecord) -> (&'static str, Style) {
    match rec.state {
        StepState::Finished(o) => match o {
            Outcome::Done => ("done", Style::new().green()),
            Outcome::Failed => ("failed", Style::new().red().bold()),
            Outcome::Skipped => ("skipped", Style::new().yellow()),
            Outcome::Aborted => ("aborted", Style::new().red()),
            Outcome::NotApplicable => ("not_applicable", Style::new().dim()),
        },
        StepState::Pending => ("pending", Style::new().dim()),
        StepState::Ready => ("open", Style::new().yellow()),
        StepState::Running { .. } => ("running", Style::new().yellow()),
        StepState::AttemptFailed { .. } => ("attempt-failed", Style::new().red()),
    }
}

fn who(lang: Lang, rec: &StepRecord) -> String {
    let by = |id: &str, by: &str| lang.tr_args(id, &[("by", by.to_string().into())]);
    match (rec.source, &rec.by) {
        (Some(Source::Command), _) => lang.tr("summary-by-command"),
        (Some(Source::Engine), _) => "-".to_string(),
        (Some(Source::CommandLine), _) => lang.tr("summary-by-command-line"),
        (Some(Source::AutoConfirmed), Some(b)) => by("summary-by-yes", b),
        (Some(Source::Paper), Some(b)) => by("summary-by-paper", b),
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
    fn a_french_summary_leaves_no_english() {
        let tl = Timeline::from_events(&story());
        let s = summary_in(Lang::Fr, &tl, Path::new("j.jsonl"), false);
        for french in [
            "étape",
            "estimation",
            "sautée",
            "fait",
            "commande",
            "+5\u{a0}min",
            "résultat de l'exercice\u{a0}: reprise réussie",
            "délai de reprise\u{a0}: 15\u{a0}min / DMIA 1\u{a0}h\u{a0}: respectée, avec 45\u{a0}min de marge",
            "attente de l'opérateur",
            "journal\u{a0}: j.jsonl",
        ] {
            assert!(s.contains(french), "no {french:?} in\n{s}");
        }
        for english in [
            "step ",
            "outcome",
            "done",
            "skipped",
            "result:",
            "recovered",
            "RTO",
            "spare",
            "running",
            "waiting",
            "journal:",
            "4m30s",
        ] {
            assert!(!s.contains(english), "{english:?} left in English:\n{s}");
        }
    }

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
