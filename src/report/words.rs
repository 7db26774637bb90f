//! The words every format shares: a step's state, an attempt, a host's
//! ending, a decision, a deviation and the points to review, in the report's
//! language (the `_in` forms) or English.

use crate::event::EndingPart;

use super::{
    AttemptReport, Decision, DeviationKind, HostReport, Lang, Outcome, Report, Source, State,
    Status, StepId, StepReport, Verdict,
};

/// `exit code 1`, `killed by SIGKILL`, `timed out`, `could not start: …`.
pub fn attempt_detail(a: &crate::timeline::Attempt) -> String {
    attempt_detail_in(Lang::En, a)
}

/// How an attempt ended, in `lang`.
pub fn attempt_detail_in(lang: Lang, a: &crate::timeline::Attempt) -> String {
    let tr = |id: &str, name: &'static str, x: String| lang.tr_args(id, &[(name, x.into())]);
    let mut parts = Vec::new();
    for part in a.ending.parts() {
        parts.push(match part {
            EndingPart::TimedOut => lang.tr("attempt-timed-out"),
            EndingPart::Killed(sig) => tr("attempt-killed", "signal", sig.to_string()),
            EndingPart::Exit(c) => exit_text(lang, c),
            EndingPart::CouldNotStart(e) => tr("attempt-could-not-start", "error", e.to_string()),
            EndingPart::NoStatus => continue,
        });
    }
    if a.interrupted {
        parts.push(lang.tr("attempt-ended-interrupted"));
    }
    if parts.is_empty() {
        parts.push(lang.tr("attempt-ended-failed"));
    }
    let mut s = parts.join(", ");
    let failed: Vec<String> = a
        .failed_hosts()
        .map(|h| {
            format!(
                "{} ({})",
                h.host,
                host_ending_in(
                    lang,
                    h.ending.exit_code,
                    h.ending.signal.as_deref(),
                    h.ending.timed_out,
                    h.ending.error.as_deref()
                )
            )
        })
        .collect();
    if !failed.is_empty() {
        s.push_str(&tr("attempt-failed-on", "hosts", failed.join(", ")));
    }
    s
}

/// How a command ended on a host, in plain words: `exit code 0`,
/// `timed out, killed by SIGTERM`, `ssh could not start: …`.
pub fn host_ending(
    exit_code: Option<i32>,
    signal: Option<&str>,
    timed_out: bool,
    error: Option<&str>,
) -> String {
    host_ending_in(Lang::En, exit_code, signal, timed_out, error)
}

/// [`host_ending`] in `lang`.
pub fn host_ending_in(
    lang: Lang,
    exit_code: Option<i32>,
    signal: Option<&str>,
    timed_out: bool,
    error: Option<&str>,
) -> String {
    let mut parts = Vec::new();
    if timed_out {
        parts.push(lang.tr("host-timed-out"));
    }
    if let Some(sig) = signal {
        parts.push(lang.tr_args("host-killed", &[("signal", sig.to_string().into())]));
    }
    if let Some(c) = exit_code {
        parts.push(exit_text(lang, c));
    }
    if let Some(e) = error {
        parts.push(lang.tr_args("host-could-not-start", &[("error", e.to_string().into())]));
    }
    if parts.is_empty() {
        parts.push(lang.tr("host-no-status"));
    }
    parts.join(", ")
}

/// How a command ended on a host, for the per-host tables.
/// A failure with a recorded cause reads `unreachable: ssh: connect to
/// host … Connection refused` (the cause, then the host's last line).
pub fn host_text(h: &HostReport) -> String {
    host_text_in(Lang::En, h)
}

/// [`host_text`] in `lang`.
pub fn host_text_in(lang: Lang, h: &HostReport) -> String {
    let Some(cause) = h.cause else {
        return host_ending_in(
            lang,
            h.exit_code,
            h.signal.as_deref(),
            h.timed_out,
            h.error.as_deref(),
        );
    };
    let mut text = cause.say(lang, h.exit_code, h.signal.as_deref());
    let last = h.error.as_deref().or_else(|| {
        h.output_tail
            .iter()
            .rev()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
    });
    if let Some(last) = last {
        text.push_str(": ");
        text.push_str(last);
    }
    text
}

/// The hosts on which an attempt failed, in the order they ended.
pub fn failed_hosts(a: &AttemptReport) -> Vec<&str> {
    a.hosts
        .iter()
        .filter(|h| h.outcome == Outcome::Failed)
        .map(|h| h.host.as_str())
        .collect()
}

/// One row of a step's per-host table.
pub enum HostRow<'a> {
    /// A host's recorded end.
    Ended(&'a HostReport),
    /// A host with no end recorded in this attempt, and why in plain words.
    NoEnd {
        /// The host's name.
        host: &'a str,
        /// `no end recorded: the drill stopped while it ran`, …
        why: &'static str,
    },
}

/// The per-host rows of a step: every attempt's hosts (ended ones, then
/// those with no recorded end), then the rollback's, each with the attempt
/// it belongs to (`None`: the rollback).
pub fn host_rows(lang: Lang, s: &StepReport) -> Vec<(Option<u32>, HostRow<'_>)> {
    let mut rows: Vec<(Option<u32>, HostRow<'_>)> = Vec::new();
    for a in &s.attempts {
        rows.extend(a.hosts.iter().map(|h| (Some(a.number), HostRow::Ended(h))));
        let why = lang.said(if a.interrupted {
            "host-no-end-interrupted"
        } else if a.ended.is_none() {
            "host-no-end-running"
        } else {
            "host-no-end"
        });
        rows.extend(
            a.hosts_without_end
                .iter()
                .map(|h| (Some(a.number), HostRow::NoEnd { host: h, why })),
        );
    }
    if let Some(r) = &s.rollback {
        rows.extend(r.hosts.iter().map(|h| (None, HostRow::Ended(h))));
    }
    rows
}

/// A duration in seconds for people, `—` when unknown.
pub fn secs(s: Option<u64>) -> String {
    secs_in(Lang::En, s)
}

/// A duration in seconds as `lang` writes it, `—` when unknown.
pub fn secs_in(lang: Lang, s: Option<u64>) -> String {
    s.map_or_else(|| "—".to_string(), |s| duration_in(lang, s))
}

/// A duration as `lang` writes it: the runbook's own notation in English
/// (`12m5s`), « 12 min 05 s » in French.
pub fn duration_in(lang: Lang, s: u64) -> String {
    lang.duration(s)
}

/// A step's state or outcome in plain words.
pub fn state_text(s: &StepReport) -> &'static str {
    state_text_in(Lang::En, s)
}

/// A step's state or outcome in plain words of `lang`.
pub fn state_text_in(lang: Lang, s: &StepReport) -> &'static str {
    lang.said(match (s.outcome, s.state) {
        (Some(Outcome::Done), _) => "state-done",
        (Some(Outcome::Failed), _) => "state-failed",
        (Some(Outcome::Skipped), _) => "state-skipped",
        (Some(Outcome::Aborted), _) => "state-aborted",
        (Some(Outcome::NotApplicable), _) => "state-not-applicable",
        (None, State::Pending) => "state-pending",
        (None, State::Open) => "state-open",
        (None, State::Running) => "state-running",
        (None, State::AttemptFailed) => "state-attempt-failed",
        (None, State::Finished) => "state-finished",
    })
}

/// A deviation kind in plain words.
pub fn deviation_text(k: DeviationKind) -> &'static str {
    deviation_text_in(Lang::En, k)
}

/// A deviation kind in plain words of `lang`.
pub fn deviation_text_in(lang: Lang, k: DeviationKind) -> &'static str {
    lang.said(match k {
        DeviationKind::Failure => "deviation-failure",
        DeviationKind::Failed => "deviation-failed",
        DeviationKind::Skip => "deviation-skip",
        DeviationKind::DoneByHand => "deviation-done-by-hand",
        DeviationKind::MarkedFailed => "deviation-marked-failed",
        DeviationKind::Retry => "deviation-retry",
        DeviationKind::Continue => "deviation-continue",
        DeviationKind::AssumedDone => "deviation-assumed-done",
        DeviationKind::Abort => "deviation-abort",
        DeviationKind::Rollback => "deviation-rollback",
        DeviationKind::Aborted => "deviation-aborted",
        DeviationKind::RollbackNotDone => "deviation-rollback-not-done",
        DeviationKind::Interrupted => "deviation-interrupted",
    })
}

/// Who recorded a step's outcome, and how, in plain words.
pub fn recorded_text(s: &StepReport) -> String {
    recorded_text_in(Lang::En, s)
}

/// Who recorded a step's outcome, and how, in plain words of `lang`.
pub fn recorded_text_in(lang: Lang, s: &StepReport) -> String {
    let by_how = |by: &String, id: &str| lang.tr_args(id, &[("by", by.clone().into())]);
    match (&s.recorded_by, s.source) {
        (Some(_), Some(Source::Command)) => lang.tr("recorded-command"),
        (Some(by), Some(Source::AutoConfirmed)) => format!("{by} (--yes)"),
        (Some(by), Some(Source::CommandLine)) => by_how(by, "recorded-command-line"),
        (Some(by), Some(Source::Paper)) => by_how(by, "recorded-paper"),
        (Some(by), Some(Source::Engine)) if by == "reprise" => by.clone(),
        (Some(by), Some(Source::Engine)) => format!("{by} (reprise)"),
        (Some(by), _) => by.clone(),
        (None, _) => "—".into(),
    }
}

/// Points for the debrief derived from the facts (overruns, deviations,
/// missed objective), besides the operators' own observations.
pub(super) fn review_points(r: &Report) -> Vec<String> {
    review_points_in(r, Lang::En)
}

/// The review points in `lang`.
pub fn review_points_in(r: &Report, lang: Lang) -> Vec<String> {
    let mut v = Vec::new();
    let tr = |id: &str, args: &[(&'static str, String)]| {
        let args: Vec<_> = args.iter().map(|(k, x)| (*k, x.clone().into())).collect();
        lang.tr_args(id, &args)
    };
    let verdict = r.verdict_text_in(lang);
    if matches!(r.recovery.verdict, Verdict::Missed | Verdict::Overdue) {
        v.push(tr(
            "review-rto",
            &[
                ("verdict", verdict),
                (
                    "path",
                    r.critical_path
                        .actual
                        .steps
                        .iter()
                        .map(StepId::as_str)
                        .collect::<Vec<_>>()
                        .join(" → "),
                ),
            ],
        ));
    }
    let because = |s: &StepReport| {
        s.reason
            .as_deref()
            .map(|x| tr("review-because", &[("reason", x.to_string())]))
            .unwrap_or_default()
    };
    for s in r.steps() {
        let step = || [("step", s.id.to_string()), ("title", s.title.clone())];
        match s.outcome {
            Some(Outcome::Failed) => {
                let hosts = s
                    .attempts
                    .last()
                    .map(failed_hosts)
                    .filter(|f| !f.is_empty())
                    .map(|f| tr("review-on-hosts", &[("hosts", f.join(", "))]))
                    .unwrap_or_default();
                let [a, b] = step();
                v.push(tr(
                    "review-failed",
                    &[a, b, ("hosts", hosts), ("reason", because(s))],
                ));
            }
            Some(Outcome::Skipped) if s.critical => {
                let [a, b] = step();
                v.push(tr(
                    "review-critical-skipped",
                    &[a, b, ("reason", because(s))],
                ));
            }
            _ => {}
        }
        if let (Some(o), Some(e)) = (s.overrun_seconds, s.estimate_seconds) {
            let [a, b] = step();
            v.push(tr(
                "review-overran",
                &[
                    a,
                    b,
                    ("estimate", secs_in(lang, Some(e))),
                    ("over", secs_in(lang, Some(o))),
                ],
            ));
        }
        if s.attempts.len() > 1 {
            let [a, b] = step();
            v.push(tr(
                "review-attempts",
                &[a, b, ("count", s.attempts.len().to_string())],
            ));
        }
    }
    v
}

/// An attempt in plain words: `exit code 1 after 2m00s`.
pub fn attempt_text(a: &AttemptReport) -> String {
    attempt_text_in(Lang::En, a)
}

/// An attempt in plain words of `lang`.
pub fn attempt_text_in(lang: Lang, a: &AttemptReport) -> String {
    let tr = |id: &str, name: &'static str, x: String| lang.tr_args(id, &[(name, x.into())]);
    let mut parts = Vec::new();
    if a.timed_out {
        parts.push(lang.tr("attempt-timed-out"));
    }
    if let Some(sig) = &a.signal {
        parts.push(tr("attempt-killed", "signal", sig.to_string()));
    }
    if let Some(c) = a.exit_code {
        parts.push(tr("exit-code", "code", c.to_string()));
    }
    if let Some(e) = &a.error {
        parts.push(tr("attempt-could-not-start", "error", e.to_string()));
    }
    let mut s = parts.join(", ");
    if a.interrupted {
        s = tr(
            "attempt-interrupted",
            "time",
            secs_in(lang, a.duration_seconds),
        );
    } else if a.ended.is_none() {
        s = lang.tr("attempt-still-running");
    } else if let Some(d) = a.duration_seconds {
        s = lang.tr_args(
            "attempt-after",
            &[("what", s.into()), ("time", secs_in(lang, Some(d)).into())],
        );
    }
    let failed = failed_hosts(a);
    if !failed.is_empty() {
        s.push_str(&tr("attempt-failed-on", "hosts", failed.join(", ")));
    }
    s
}

/// A decision in plain words.
pub fn decision_text(d: Decision) -> &'static str {
    decision_text_in(Lang::En, d)
}

/// A decision in plain words of `lang`.
pub fn decision_text_in(lang: Lang, d: Decision) -> &'static str {
    lang.said(match d {
        Decision::Run => "decision-run",
        Decision::Retry => "decision-retry",
        Decision::RetryAll => "decision-retry-all",
        Decision::MarkDone => "decision-mark-done",
        Decision::MarkFailed => "decision-mark-failed",
        Decision::Skip => "decision-skip",
        Decision::Continue => "decision-continue",
        Decision::Abort => "decision-abort",
        Decision::Rollback => "decision-rollback",
    })
}

/// `Last lines of output (exit code 3):`, over a step's output.
pub fn last_output(lang: Lang, exit_code: Option<i32>) -> String {
    let code = exit_code
        .map(|c| lang.tr_args("last-output-code", &[("code", exit_text(lang, c).into())]))
        .unwrap_or_default();
    lang.tr_args("last-output", &[("code", code.into())])
}

/// `exit code 3`.
pub fn exit_text(lang: Lang, code: i32) -> String {
    lang.tr_args("exit-code", &[("code", code.to_string().into())])
}

impl StepReport {
    /// [`StepReport::performed_by`] in `lang`: `reprise sur HOST` for a
    /// command in French.
    pub fn performed_by_in(&self, lang: Lang) -> Option<String> {
        match (&self.ran_as, lang) {
            (_, Lang::En) | (None, _) => self.performed_by.clone(),
            (Some((None, host)), _) => {
                Some(lang.tr_args("performed-by-reprise", &[("host", host.clone().into())]))
            }
            (Some((Some(account), host)), _) => Some(lang.tr_args(
                "performed-by-reprise-as",
                &[
                    ("account", account.clone().into()),
                    ("host", host.clone().into()),
                ],
            )),
        }
    }
}

/// An outcome in `lang`: `done` in English, `fait` in French.
pub fn outcome_in(lang: Lang, o: Outcome) -> String {
    match lang {
        Lang::En => o.to_string(),
        _ => lang.tr(&format!("outcome-{o}")),
    }
}

/// Number of attempts, `—` when no command ran.
pub fn attempts(s: &StepReport) -> String {
    if s.attempts.is_empty() {
        "—".into()
    } else {
        s.attempts.len().to_string()
    }
}

/// Labels of the two critical paths.
pub fn path_labels(r: &Report) -> [&'static str; 2] {
    [
        r.lang.said("path-planned"),
        r.lang.said(match r.run.status {
            Status::Finished => "path-actual",
            Status::RunningOrInterrupted => "path-actual-so-far",
        }),
    ]
}
