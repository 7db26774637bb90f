//! `status`'s services block: each service of `objectives.services`,
//! restored or not and when, against its RTO, and the data it lost (from
//! its steps' restore points) against its RPO — what the crisis cell asks
//! first ("is the patient record back?"), read from the journal alone.

use jiff::Timestamp;

use super::say::Say;
use crate::timeline::services::{ServiceRecovery, ServiceState};
use crate::timeline::{RtoVerdict, Timeline, span};

/// The block, one line per service under a `services:` heading, in
/// `say`'s language; empty when the runbook names no service.
pub fn block(t: &Timeline, now: Timestamp, say: &Say) -> String {
    let lang = say.lang;
    let services = t.services();
    if services.is_empty() {
        return String::new();
    }
    let width = services
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = lang.tr("status-svc-heading");
    out.push('\n');
    for s in &services {
        out.push_str(&format!(
            "  {:<width$}  {}\n",
            s.name,
            [recovery(t, s, now, say), data_loss(t, s, say)].join(" · ")
        ));
    }
    out
}

/// Restored or not, when, and against the RTO.
fn recovery(t: &Timeline, s: &ServiceRecovery, now: Timestamp, say: &Say) -> String {
    let (lang, dur) = (say.lang, |d| say.dur(d));
    let started = t.header.as_ref().map(|h| h.started);
    let state = match (&s.state, started) {
        (ServiceState::Restored(at), Some(started)) => lang.tr_args(
            "status-svc-restored",
            &[
                ("time", say.moment(*at).into()),
                ("duration", dur(span(started, *at)).into()),
            ],
        ),
        (ServiceState::NotRestored { step, outcome }, _) => lang.tr_args(
            "status-svc-not-restored-by",
            &[
                ("step", step.to_string().into()),
                ("outcome", say.outcome(*outcome).into()),
            ],
        ),
        (ServiceState::Pending, _) if t.result.is_none() => {
            lang.tr_args("status-svc-pending", &[("steps", names(&s.steps).into())])
        }
        (ServiceState::NoStep, _) => lang.tr("status-svc-no-step"),
        _ => lang.tr("status-svc-not-restored"),
    };
    let Some(rto) = s.rto else {
        return lang.tr_args("status-svc-no-rto", &[("state", state.into())]);
    };
    let rto = || ("rto", say.est(rto).into());
    let verdict = match t.service_verdict(s, now) {
        RtoVerdict::Met { margin } => lang.tr_args(
            "status-svc-rto-met",
            &[rto(), ("margin", dur(margin).into())],
        ),
        RtoVerdict::Missed { by } => {
            lang.tr_args("status-svc-rto-missed", &[rto(), ("by", dur(by).into())])
        }
        RtoVerdict::Open { remaining } => lang.tr_args(
            "status-svc-rto-open",
            &[rto(), ("left", dur(remaining).into())],
        ),
        RtoVerdict::Overdue { by } => {
            lang.tr_args("status-svc-rto-overdue", &[rto(), ("by", dur(by).into())])
        }
        RtoVerdict::NotRecovered | RtoVerdict::NoObjective => {
            lang.tr_args("status-svc-rto-not-met", &[rto()])
        }
    };
    lang.tr_args(
        "status-svc-verdict",
        &[("state", state.into()), ("verdict", verdict.into())],
    )
}

/// The restore point, the data lost and the RPO.
fn data_loss(t: &Timeline, s: &ServiceRecovery, say: &Say) -> String {
    let (lang, dur) = (say.lang, |d| say.dur(d));
    let reference = t.loss_reference();
    match (&s.restore_point, reference) {
        (Some((point, step)), Some(to)) => {
            let lost = span(*point, to);
            let host = t
                .step(step.as_str())
                .and_then(|s| s.restore_point.as_ref())
                .and_then(|r| r.host.clone());
            let mut args = vec![
                ("time", say.moment(*point).into()),
                ("step", step.to_string().into()),
                ("lost", dur(lost).into()),
            ];
            let id = match host {
                Some(h) => {
                    args.push(("host", h.into()));
                    "status-svc-point-on"
                }
                None => "status-svc-point",
            };
            let point = ("point", lang.tr_args(id, &args).into());
            match s.rpo {
                Some(rpo) if lost.as_secs() <= rpo.as_secs() => {
                    lang.tr_args("status-svc-rpo-met", &[point, ("rpo", say.est(rpo).into())])
                }
                Some(rpo) => lang.tr_args(
                    "status-svc-rpo-missed",
                    &[
                        point,
                        ("rpo", say.est(rpo).into()),
                        ("by", dur(lost - rpo.to_std().min(lost)).into()),
                    ],
                ),
                None => lang.tr_args("status-svc-no-rpo", &[point]),
            }
        }
        _ => match s.rpo {
            Some(rpo) => lang.tr_args(
                if t.result.is_none() {
                    "status-svc-unmeasured-yet"
                } else {
                    "status-svc-unmeasured"
                },
                &[("rpo", say.est(rpo).into())],
            ),
            None => lang.tr("status-svc-nothing"),
        },
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
    use crate::i18n::Lang;
    use crate::report::Zone;
    use crate::runbook::{Duration, Mode, PhaseId, StepId, StepKind};

    /// French, with times in Paris.
    fn paris() -> Say {
        Say::new(Lang::Fr, Zone::named("Europe/Paris"))
    }

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(1_795_939_200 + s).unwrap()
    }

    fn step(id: &str, restores: &[&str]) -> PlannedStep {
        PlannedStep {
            restores: restores.iter().map(|s| s.to_string()).collect(),
            ..PlannedStep::new(StepId::new(id), id, PhaseId::new("main"), StepKind::Command)
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
        let text = block(&t, at(1000), &Say::default());
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
            block(&t, at(2000), &Say::default())
                .contains("SIL  not restored yet (by restore-sil): RTO 30m OVERDUE by 3m20s"),
            "{}",
            block(&t, at(2000), &Say::default())
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
        let text = block(&t, at(10), &Say::default());
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
        assert_eq!(
            block(&Timeline::from_events(&[e]), at(0), &Say::default()),
            ""
        );
    }

    /// In a French drill (`lang: fr`), the same block in French: no English
    /// word left, durations « 10 min », times in the local zone.
    #[test]
    fn the_block_follows_the_drills_language() {
        let events = vec![
            started(),
            Stamped {
                time: at(500),
                event: Event::RestorePoint {
                    step: StepId::new("restore-dpi"),
                    point: at(-1200),
                    written: String::new(),
                    by: "reprise".into(),
                    origin: Default::default(),
                    source: Source::Command,
                    host: Some("db2".into()),
                },
            },
            finished("restore-dpi", 600, Outcome::Done),
            finished("restore-lab", 700, Outcome::Failed),
        ];
        let t = Timeline::from_events(&events);
        let text = block(&t, at(1000), &paris());
        assert_eq!(
            text,
            "services\u{a0}:\n\
             \x20 DPI  rétabli le 2026-11-29 09:10:00 CET (UTC+01:00) après 10\u{a0}min\u{a0}: \
             DMIA 1\u{a0}h respectée, avec 50\u{a0}min de marge · point de restauration \
             2026-11-29 08:40:00 CET (UTC+01:00) (restore-dpi sur db2)\u{a0}: 20\u{a0}min de données \
             perdues\u{a0}: PDMA 15\u{a0}min DÉPASSÉE de 5\u{a0}min\n\
             \x20 SIL  pas encore rétabli (par restore-sil)\u{a0}: 13\u{a0}min\u{a0}20\u{a0}s restantes \
             sur une DMIA de 30\u{a0}min · aucun point de restauration, pas de PDMA\n\
             \x20 LAB  NON rétabli\u{a0}: restore-lab échouée\u{a0}: DMIA 10\u{a0}min non tenue · \
             PDMA 1\u{a0}min\u{a0}: aucun point de restauration encore enregistré, données perdues non mesurées\n"
        );
        let en = block(&t, at(1000), &Say::default());
        assert!(
            en.contains("restore point 2026-11-29 07:40:00Z (restore-dpi on db2): 20m of data lost: RPO 15m MISSED by 5m"),
            "{en}"
        );
    }
}
