//! `status`'s services block: each service of `objectives.services`,
//! restored or not and when, against its RTO, and the data it lost (from
//! its steps' restore points) against its RPO — what the crisis cell asks
//! first ("is the patient record back?"), read from the journal alone.

use std::time::Duration as StdDuration;

use jiff::Timestamp;

use crate::runbook::Duration;
use crate::timeline::services::{ServiceRecovery, ServiceState};
use crate::timeline::{RtoVerdict, Timeline, span};

/// A duration as runbooks write it, to the second.
fn dur(d: StdDuration) -> String {
    Duration::from_secs(d.as_secs()).to_string()
}

/// A moment as `status` writes it (UTC).
fn clock(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M:%SZ").to_string()
}

/// The block, one line per service under a `services:` heading; empty
/// when the runbook names no service.
pub fn block(t: &Timeline, now: Timestamp) -> String {
    let services = t.services();
    if services.is_empty() {
        return String::new();
    }
    let width = services
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::from("services:\n");
    for s in &services {
        out.push_str(&format!(
            "  {:<width$}  {}\n",
            s.name,
            [recovery(t, s, now), data_loss(t, s)].join(" · ")
        ));
    }
    out
}

/// Restored or not, when, and against the RTO.
fn recovery(t: &Timeline, s: &ServiceRecovery, now: Timestamp) -> String {
    let started = t.header.as_ref().map(|h| h.started);
    let state = match (&s.state, started) {
        (ServiceState::Restored(at), Some(started)) => format!(
            "restored at {} after {}",
            clock(*at),
            dur(span(started, *at))
        ),
        (ServiceState::NotRestored { step, outcome }, _) => {
            format!("NOT restored: {step} {outcome}")
        }
        (ServiceState::Pending, _) if t.result.is_none() => {
            format!("not restored yet (by {})", names(&s.steps))
        }
        (ServiceState::NoStep, _) => "restored by no step of this drill".into(),
        _ => "NOT restored".into(),
    };
    let Some(rto) = s.rto else {
        return format!("{state}, no RTO");
    };
    let verdict = match t.service_verdict(s, now) {
        RtoVerdict::Met { margin } => format!("RTO {rto} met, {} to spare", dur(margin)),
        RtoVerdict::Missed { by } => format!("RTO {rto} MISSED by {}", dur(by)),
        RtoVerdict::Open { remaining } => format!("{} left of RTO {rto}", dur(remaining)),
        RtoVerdict::Overdue { by } => format!("RTO {rto} OVERDUE by {}", dur(by)),
        RtoVerdict::NotRecovered | RtoVerdict::NoObjective => format!("RTO {rto} not met"),
    };
    format!("{state}: {verdict}")
}

/// The restore point, the data lost and the RPO.
fn data_loss(t: &Timeline, s: &ServiceRecovery) -> String {
    let reference = t.loss_reference();
    let rpo = s.rpo.map(|r| format!("RPO {r}"));
    match (&s.restore_point, reference) {
        (Some((point, step)), Some(to)) => {
            let lost = span(*point, to);
            let verdict = match s.rpo {
                Some(rpo) if lost.as_secs() <= rpo.as_secs() => format!(": RPO {rpo} met"),
                Some(rpo) => format!(
                    ": RPO {rpo} MISSED by {}",
                    dur(lost - rpo.to_std().min(lost))
                ),
                None => ", no RPO".into(),
            };
            let on = t
                .step(step.as_str())
                .and_then(|s| s.restore_point.as_ref())
                .and_then(|r| r.host.as_ref())
                .map_or(String::new(), |h| format!(" on {h}"));
            format!(
                "restore point {} ({step}{on}): {} of data lost{verdict}",
                clock(*point),
                dur(lost)
            )
        }
        _ => {
            let yet = if t.result.is_none() { " yet" } else { "" };
            match rpo {
                Some(rpo) => {
                    format!("{rpo}: no restore point recorded{yet}, data lost not measured")
                }
                None => "no restore point, no RPO".into(),
            }
        }
    }
}

/// Step ids, comma-separated.
fn names(steps: &[crate::runbook::StepId]) -> String {
    steps
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Event, Outcome, PlannedService, PlannedStep, Source, Stamped};
    use crate::runbook::{Mode, PhaseId, StepId, StepKind};

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(1_795_939_200 + s).unwrap()
    }

    fn step(id: &str, restores: &[&str]) -> PlannedStep {
        PlannedStep {
            fingerprints: Default::default(),
            id: StepId::new(id),
            title: id.into(),
            phase: PhaseId::new("main"),
            kind: StepKind::Command,
            role: None,
            estimate: None,
            critical: false,
            needs: vec![],
            only: None,
            hosts: Vec::new(),
            needs_phases: Vec::new(),
            restores: restores.iter().map(|s| s.to_string()).collect(),
            records: Vec::new(),
        }
    }

    fn service(name: &str, rto: u64, rpo: Option<u64>) -> PlannedService {
        PlannedService {
            name: name.into(),
            rto: Some(Duration::from_secs(rto)),
            rpo: rpo.map(Duration::from_secs),
        }
    }

    fn started() -> Stamped {
        Stamped {
            time: at(0),
            event: Event::RunStarted {
                origin: Default::default(),
                runbook: "plan.yaml".into(),
                runbook_sha256: String::new(),
                name: "Hospital".into(),
                mode: Mode::Drill,
                dry_run: false,
                operator: "alice".into(),
                host: "h1".into(),
                reprise_version: "0.1.0".into(),
                rto: None,
                rpo: None,
                services: vec![
                    service("DPI", 3600, Some(900)),
                    service("SIL", 1800, None),
                    service("LAB", 600, Some(60)),
                ],
                phases: Vec::new(),
                steps: vec![
                    step("restore-dpi", &["DPI"]),
                    step("restore-sil", &["SIL"]),
                    step("restore-lab", &["LAB"]),
                ],
                exercise: None,
            },
        }
    }

    fn finished(step: &str, s: i64, outcome: Outcome) -> Stamped {
        Stamped {
            time: at(s),
            event: Event::StepFinished {
                origin: Default::default(),
                step: StepId::new(step),
                outcome,
                exit_code: None,
                reason: None,
                by: "reprise".into(),
                source: Source::Command,
                attempts: 1,
                output_tail: vec![],
            },
        }
    }

    /// One service back within its RTO with a restore point inside its
    /// RPO, one still open, one whose step failed.
    #[test]
    fn each_service_says_whether_it_is_back_when_and_against_its_objectives() {
        let events = vec![
            started(),
            Stamped {
                time: at(500),
                event: Event::RestorePoint {
                    step: StepId::new("restore-dpi"),
                    point: at(-600),
                    written: String::new(),
                    by: "reprise".into(),
                    origin: Default::default(),
                    source: Source::Command,
                    host: None,
                },
            },
            finished("restore-dpi", 600, Outcome::Done),
            finished("restore-lab", 700, Outcome::Failed),
        ];
        let t = Timeline::from_events(&events);
        let text = block(&t, at(1000));
        assert_eq!(
            text,
            "services:\n\
             \x20 DPI  restored at 2026-11-29 08:10:00Z after 10m: RTO 1h met, 50m to spare · \
             restore point 2026-11-29 07:50:00Z (restore-dpi): 10m of data lost: RPO 15m met\n\
             \x20 SIL  not restored yet (by restore-sil): 13m20s left of RTO 30m · \
             no restore point, no RPO\n\
             \x20 LAB  NOT restored: restore-lab failed: RTO 10m not met · \
             RPO 1m: no restore point recorded yet, data lost not measured\n"
        );
        // Past its RTO, an open service is overdue.
        assert!(
            block(&t, at(2000))
                .contains("SIL  not restored yet (by restore-sil): RTO 30m OVERDUE by 3m20s"),
            "{}",
            block(&t, at(2000))
        );
    }

    #[test]
    fn a_restore_point_older_than_the_rpo_is_missed() {
        let events = vec![
            started(),
            Stamped {
                time: at(5),
                event: Event::RestorePoint {
                    step: StepId::new("restore-dpi"),
                    point: at(-3600),
                    written: String::new(),
                    by: "alice".into(),
                    origin: Default::default(),
                    source: Source::Operator,
                    host: None,
                },
            },
        ];
        let t = Timeline::from_events(&events);
        let text = block(&t, at(10));
        assert!(
            text.contains("(restore-dpi): 1h of data lost: RPO 15m MISSED by 45m"),
            "{text}"
        );
    }

    #[test]
    fn no_services_no_block() {
        let mut e = started();
        if let Event::RunStarted { services, .. } = &mut e.event {
            services.clear();
        }
        assert_eq!(block(&Timeline::from_events(&[e]), at(0)), "");
    }
}
