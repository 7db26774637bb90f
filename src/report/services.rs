//! The report's per-service recovery (`objectives.services`): when each
//! service came back against its RTO, and the data it lost (from its
//! steps' restore points) against its RPO; and the data loss of the drill
//! as a whole against the plan's RPO.

use jiff::Timestamp;
use serde::Serialize;

use super::inline::{Cell, Inline};
use super::{Report, Time, Verdict, Zone, secs_in};
use crate::event::Outcome;
use crate::i18n::Lang;
use crate::runbook::{Duration, StepId};
use crate::timeline::services::{ServiceRecovery, ServiceState};
use crate::timeline::{RtoVerdict, Timeline};

/// How the data lost compares to the RPO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RpoVerdict {
    /// No RPO to compare with.
    NoObjective,
    /// No restore point was recorded: nothing measured.
    NotMeasured,
    /// The data lost is within the RPO.
    Met,
    /// More data was lost than the RPO allows.
    Missed,
}

/// Data lost, measured from a restore point.
#[derive(Debug, Clone, Serialize)]
pub struct DataLoss {
    /// The RPO it is compared with.
    pub rpo_seconds: Option<u64>,
    /// The earliest restore point recorded, and by which step.
    pub restore_point: Option<Time>,
    /// The step that recorded it.
    pub restore_point_step: Option<StepId>,
    /// The host whose output gave it, for a remote step (the oldest of
    /// its hosts' restore points).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restore_point_host: Option<String>,
    /// What loss is measured to: the start of the drill.
    pub measured_to: Time,
    /// `measured_to` minus the restore point (zero when the restore point
    /// is later).
    pub data_loss_seconds: Option<u64>,
    /// The comparison.
    pub verdict: RpoVerdict,
}

impl DataLoss {
    fn new(
        rpo: Option<Duration>,
        point: Option<(Timestamp, StepId)>,
        to: Timestamp,
        zone: &Zone,
    ) -> Self {
        let loss = point
            .as_ref()
            .map(|(p, _)| crate::timeline::span(*p, to).as_secs());
        let verdict = match (rpo, loss) {
            (None, _) => RpoVerdict::NoObjective,
            (Some(_), None) => RpoVerdict::NotMeasured,
            (Some(rpo), Some(l)) if l <= rpo.as_secs() => RpoVerdict::Met,
            (Some(_), Some(_)) => RpoVerdict::Missed,
        };
        DataLoss {
            rpo_seconds: rpo.map(Duration::as_secs),
            restore_point: point.as_ref().map(|(p, _)| zone.time(*p)),
            restore_point_step: point.map(|(_, s)| s),
            restore_point_host: None,
            measured_to: zone.time(to),
            data_loss_seconds: loss,
            verdict,
        }
    }
}

/// One service's recovery, as the report states it.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceReport {
    /// Its name.
    pub name: String,
    /// Its RTO.
    pub rto_seconds: Option<u64>,
    /// The steps that restore it, in plan order.
    pub restored_by: Vec<StepId>,
    /// `restored`, `not_restored`, `pending` or `no_step`.
    pub state: &'static str,
    /// When it came back (the end of the last step restoring it).
    pub restored_at: Option<Time>,
    /// From the start of the drill to `restored_at`.
    pub time_to_recovery_seconds: Option<u64>,
    /// Against its RTO.
    pub verdict: Verdict,
    /// RTO minus time to recovery (`met`), or time left (`open`).
    pub margin_seconds: Option<u64>,
    /// How far past the RTO (`missed`, `overdue`).
    pub over_seconds: Option<u64>,
    /// The step that kept it from being restored, and how it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_restored: Option<(StepId, Outcome)>,
    /// Data lost, against its RPO.
    pub data_loss: DataLoss,
}

/// A verdict and its margin or excess, from the timeline's.
pub fn verdict(v: RtoVerdict) -> (Verdict, Option<u64>, Option<u64>) {
    match v {
        RtoVerdict::NoObjective => (Verdict::NoObjective, None, None),
        RtoVerdict::Met { margin } => (Verdict::Met, Some(margin.as_secs()), None),
        RtoVerdict::Missed { by } => (Verdict::Missed, None, Some(by.as_secs())),
        RtoVerdict::NotRecovered => (Verdict::NotRecovered, None, None),
        RtoVerdict::Open { remaining } => (Verdict::Open, Some(remaining.as_secs()), None),
        RtoVerdict::Overdue { by } => (Verdict::Overdue, None, Some(by.as_secs())),
    }
}

/// Every service's recovery, and the drill's data loss against the plan's
/// RPO.
pub fn build(timeline: &Timeline, now: Timestamp, zone: &Zone) -> (Vec<ServiceReport>, DataLoss) {
    let Some(h) = &timeline.header else {
        return (
            Vec::new(),
            DataLoss::new(None, None, Timestamp::UNIX_EPOCH, zone),
        );
    };
    let to = timeline.loss_reference().unwrap_or(h.started);
    let services = timeline
        .services()
        .into_iter()
        .map(|s| service(timeline, &s, now, to, zone))
        .collect();
    let overall = DataLoss::new(h.rpo, timeline.restore_point(), to, zone).on_host(timeline);
    (services, overall)
}

impl DataLoss {
    /// Names the host that gave the restore point, when a remote step's.
    fn on_host(mut self, timeline: &Timeline) -> Self {
        self.restore_point_host = self
            .restore_point_step
            .as_ref()
            .and_then(|id| timeline.step(id.as_str()))
            .and_then(|s| s.restore_point.as_ref())
            .and_then(|r| r.host.clone());
        self
    }
}

fn service(
    timeline: &Timeline,
    s: &ServiceRecovery,
    now: Timestamp,
    to: Timestamp,
    zone: &Zone,
) -> ServiceReport {
    let started = timeline.header.as_ref().map_or(to, |h| h.started);
    let (verdict, margin_seconds, over_seconds) = verdict(timeline.service_verdict(s, now));
    ServiceReport {
        name: s.name.clone(),
        rto_seconds: s.rto.map(Duration::as_secs),
        restored_by: s.steps.clone(),
        state: match s.state {
            ServiceState::Restored(_) => "restored",
            ServiceState::NotRestored { .. } => "not_restored",
            ServiceState::Pending => "pending",
            ServiceState::NoStep => "no_step",
        },
        restored_at: match s.state {
            ServiceState::Restored(t) => Some(zone.time(t)),
            _ => None,
        },
        time_to_recovery_seconds: s.time_to_recovery(started).map(|d| d.as_secs()),
        verdict,
        margin_seconds,
        over_seconds,
        not_restored: match &s.state {
            ServiceState::NotRestored { step, outcome } => Some((step.clone(), *outcome)),
            _ => None,
        },
        data_loss: DataLoss::new(s.rpo, s.restore_point.clone(), to, zone).on_host(timeline),
    }
}

/// The columns of "Services", in `lang`.
pub fn columns(lang: Lang) -> [&'static str; 7] {
    [
        "service",
        "restored-by",
        "recovered-after",
        "rto",
        "restore-point",
        "data-lost",
        "rpo",
    ]
    .map(|c| lang.said(&format!("services-col-{c}")))
}

/// The title of "Services", in `lang`.
pub fn title(lang: Lang) -> &'static str {
    lang.said("services-title")
}

/// What "Services" is for, in `lang`.
pub fn intro(lang: Lang) -> &'static str {
    lang.said("services-intro")
}

/// The RTO cell: the objective and how the service fared against it.
fn rto_cell(
    lang: Lang,
    rto: Option<u64>,
    v: Verdict,
    margin: Option<u64>,
    over: Option<u64>,
) -> Cell {
    use Inline::{Outcome, Plain, Text};
    let secs = |s| secs_in(lang, s);
    let Some(rto) = rto else {
        return vec![Plain("—")];
    };
    let timed = |id: &str, s| lang.tr_args(id, &[("time", secs(s).into())]);
    let (class, words) = match v {
        Verdict::Met => ("done", timed("services-rto-met", margin)),
        Verdict::Missed => ("failed", timed("services-rto-missed", over)),
        Verdict::Open => ("open", timed("services-rto-open", margin)),
        Verdict::Overdue => ("failed", timed("services-rto-overdue", over)),
        Verdict::NotRecovered => ("failed", lang.tr("services-rto-not-recovered")),
        Verdict::NoObjective => ("open", String::new()),
    };
    vec![Text(secs(Some(rto))), Plain(" — "), Outcome(class, words)]
}

/// The RPO cell: the objective and the measured loss against it, in
/// `lang`.
pub fn rpo_cell(lang: Lang, d: &DataLoss) -> Cell {
    use Inline::{Muted, Outcome, Plain, Text};
    let secs = |s| secs_in(lang, s);
    let Some(rpo) = d.rpo_seconds else {
        return vec![Plain("—")];
    };
    let judged = match d.verdict {
        RpoVerdict::Met => Outcome("done", lang.tr("services-rpo-met")),
        RpoVerdict::Missed => Outcome(
            "failed",
            lang.tr_args(
                "services-rpo-missed",
                &[(
                    "time",
                    secs(d.data_loss_seconds.map(|l| l.saturating_sub(rpo))).into(),
                )],
            ),
        ),
        _ => Muted(vec![Plain(lang.said("services-rpo-not-measured"))]),
    };
    vec![Text(secs(Some(rpo))), Plain(" — "), judged]
}

/// Every service, one row each, in [`columns`].
pub fn rows(r: &Report) -> Vec<[Cell; 7]> {
    use Inline::{Code, Outcome, Plain, Text};
    let zone = r.zone();
    let lang = r.lang;
    let secs = |s| secs_in(lang, s);
    r.services
        .iter()
        .map(|s| {
            let steps: Vec<Inline> = if s.restored_by.is_empty() {
                vec![Plain("—")]
            } else {
                let mut v = Vec::new();
                for (k, id) in s.restored_by.iter().enumerate() {
                    if k > 0 {
                        v.push(Plain(", "));
                    }
                    v.push(Code(id.to_string()));
                }
                v
            };
            let after = match (&s.restored_at, &s.not_restored) {
                (Some(t), _) => vec![
                    Text(secs(s.time_to_recovery_seconds)),
                    Text(lang.tr_args(
                        "services-recovered-at",
                        &[("time", zone.clock(t.at).into())],
                    )),
                ],
                (None, Some((step, outcome))) => {
                    vec![Outcome(
                        "failed",
                        lang.tr_args(
                            "services-not-restored",
                            &[
                                ("step", step.to_string().into()),
                                ("outcome", super::outcome_in(lang, *outcome).into()),
                            ],
                        ),
                    )]
                }
                (None, None) if s.state == "pending" => {
                    vec![Outcome("open", lang.tr("services-not-yet"))]
                }
                (None, None) => vec![Plain("—")],
            };
            let point = match (&s.data_loss.restore_point, &s.data_loss.restore_point_step) {
                (Some(t), Some(step)) => {
                    let mut cell = vec![Text(zone.long(t.at)), Plain(" "), Code(step.to_string())];
                    if let Some(host) = &s.data_loss.restore_point_host {
                        cell.extend([Plain(" ("), Code(host.clone()), Plain(")")]);
                    }
                    cell
                }
                _ => vec![Plain("—")],
            };
            [
                vec![Text(s.name.clone())],
                steps,
                after,
                rto_cell(
                    lang,
                    s.rto_seconds,
                    s.verdict,
                    s.margin_seconds,
                    s.over_seconds,
                ),
                point,
                vec![Text(secs(s.data_loss.data_loss_seconds))],
                rpo_cell(lang, &s.data_loss),
            ]
        })
        .collect()
}
