//! The report's facts from a timeline: [`Report::build`] and the deviations
//! of each step.

use super::{
    ApprovalReport, AttemptReport, ChangeReport, CriticalPaths, Decision, DecisionReport,
    Deviation, DeviationKind, Error, FORMAT_VERSION, HandoverReport, HostReport, JournalInfo,
    NoteReport, Outcome, PathReport, PhaseReport, Recovery, Report, ResumeReport, RollbackReport,
    RtoVerdict, RunInfo, Said, Source, Split, State, Status, StepId, StepReport, StepState,
    Timeline, Verdict, Zone, attempt_detail, review_points, services, span,
};

impl Report {
    /// Builds the report of a timeline. `journal` names the file, `torn_line`
    /// an incomplete last line that was dropped.
    pub fn build(
        timeline: &Timeline,
        journal: &str,
        torn_line: Option<usize>,
        zone: Zone,
    ) -> Result<Report, Error> {
        let h = timeline.header.as_ref().ok_or(Error::NotStarted)?;
        let time = |t| zone.time(t);
        let now = timeline.as_of().unwrap_or(h.started);
        let planned = timeline.planned_critical_path();
        let actual = timeline.actual_critical_path();
        let schedule = timeline.planned_schedule();
        let on_planned: std::collections::HashSet<&StepId> = planned.steps.iter().collect();
        let on_actual: std::collections::HashSet<&StepId> = actual.steps.iter().collect();

        let (service_reports, data_loss) = services::build(timeline, now, &zone);
        let ttr = timeline.time_to_recovery();
        let (verdict, margin, over) = match timeline.rto_verdict(now) {
            RtoVerdict::NoObjective => (Verdict::NoObjective, None, None),
            RtoVerdict::Met { margin } => (Verdict::Met, Some(margin), None),
            RtoVerdict::Missed { by } => (Verdict::Missed, None, Some(by)),
            RtoVerdict::NotRecovered => (Verdict::NotRecovered, None, None),
            RtoVerdict::Open { remaining } => (Verdict::Open, Some(remaining), None),
            RtoVerdict::Overdue { by } => (Verdict::Overdue, None, Some(by)),
        };
        let recovery = Recovery {
            time_to_recovery_seconds: ttr.map(|d| d.as_secs()),
            rto_seconds: h.rto.map(|d| d.as_secs()),
            rpo_seconds: h.rpo.map(|d| d.as_secs()),
            verdict,
            margin_seconds: margin.map(|d| d.as_secs()),
            over_seconds: over.map(|d| d.as_secs()),
            rto_deadline: h
                .rto
                .map(|r| time(h.started.checked_add(r.to_std()).unwrap_or(h.started))),
            data_loss: data_loss.restore_point.is_some().then_some(data_loss),
        };

        let mut phases: Vec<PhaseReport> = h
            .phases
            .iter()
            .map(|p| PhaseReport {
                id: p.id.to_string(),
                title: p.title.clone(),
                steps: Vec::new(),
            })
            .collect();
        let mut phase_index: std::collections::HashMap<String, usize> = phases
            .iter()
            .enumerate()
            .map(|(k, p)| (p.id.clone(), k))
            .collect();
        // Abort requests first: at the same moment, they come before the
        // steps they stopped.
        let mut deviations: Vec<Deviation> = timeline
            .aborts
            .iter()
            .map(|a| Deviation {
                time: time(a.time),
                step: None,
                kind: DeviationKind::Abort,
                detail: None,
                reason: a.reason.clone(),
                by: Some(a.by.clone()),
                said: None,
            })
            .collect();
        for (i, s) in timeline.steps.iter().enumerate() {
            let p = &s.planned;
            let step_hosts = s.hosts();
            let step = StepReport {
                id: p.id.clone(),
                title: p.title.clone(),
                kind: p.kind,
                role: p.role.clone(),
                critical: p.critical,
                only: p.only,
                needs: p.needs.clone(),
                hosts: step_hosts.iter().map(|h| h.to_string()).collect(),
                state: match s.state {
                    StepState::Pending => State::Pending,
                    StepState::Ready => State::Open,
                    StepState::Running { .. } => State::Running,
                    StepState::AttemptFailed { .. } => State::AttemptFailed,
                    StepState::Finished(_) => State::Finished,
                },
                outcome: s.outcome(),
                recorded_by: Timeline::recorded_by(s),
                recorded_account: s.account.clone(),
                performed_by: timeline.performed_by(s),
                ran_as: s.attempts.last().and_then(|a| {
                    let r = timeline
                        .runners
                        .iter()
                        .rev()
                        .find(|r| r.time <= a.started)?;
                    Some((r.account.clone(), r.host.clone()))
                }),
                source: s.source,
                reason: s.reason.clone(),
                exit_code: s.exit_code,
                output_tail: s.output_tail.clone(),
                ready: s.ready.map(time),
                began: s.began().map(time),
                finished: s.finished.map(time),
                estimate_seconds: p.estimate.map(|d| d.as_secs()),
                duration_seconds: s.duration(now).map(|d| d.as_secs()),
                overrun_seconds: s.overrun(now).map(|d| d.as_secs()).filter(|&o| o > 0),
                planned_start_seconds: schedule
                    .get(i)
                    .copied()
                    .flatten()
                    .map(|(st, _)| st.as_secs()),
                attempts: s
                    .attempts
                    .iter()
                    .zip(s.attempt_hosts())
                    .map(|(a, ran)| AttemptReport {
                        number: a.number,
                        started: time(a.started),
                        ended: a.ended.map(time),
                        duration_seconds: a.ended.or(a.cut).map(|e| span(a.started, e).as_secs()),
                        exit_code: a.ending.exit_code,
                        signal: a.ending.signal.clone(),
                        timed_out: a.ending.timed_out,
                        error: a.ending.error.clone(),
                        interrupted: a.interrupted,
                        hosts: a
                            .hosts
                            .iter()
                            .map(|x| HostReport::new(x, a.host_duration(x), &zone))
                            .collect(),
                        hosts_without_end: ran
                            .iter()
                            .filter(|h| !a.hosts.iter().any(|x| x.host == **h))
                            .map(|h| h.to_string())
                            .collect(),
                    })
                    .collect(),
                decisions: s
                    .decisions
                    .iter()
                    .map(|d| DecisionReport {
                        time: time(d.time),
                        decision: d.decision,
                        reason: d.reason.clone(),
                        by: d.by.clone(),
                        source: d.source,
                    })
                    .collect(),
                recorded_for_role: s.for_role.clone(),
                approvals: s
                    .approvals
                    .iter()
                    .map(|a| ApprovalReport {
                        time: time(a.time),
                        approved: a.approved,
                        by: a.by.clone(),
                        account: a.account.clone(),
                        reason: a.reason.clone(),
                        count: a.count,
                        needed: a.needed,
                        for_role: a.for_role.clone(),
                    })
                    .collect(),
                rollback: s.rollback.as_ref().map(|r| RollbackReport {
                    started: r.started.map(time),
                    finished: r.finished.map(time),
                    outcome: r.outcome,
                    exit_code: r.exit_code,
                    reason: r.reason.clone(),
                    by: r.by.clone(),
                    hosts: r
                        .hosts
                        .iter()
                        .map(|x| HostReport::new(x, r.host_duration(x), &zone))
                        .collect(),
                }),
                time_split: timeline.split_of(s, now).map(Split::from),
                planned_critical: on_planned.contains(&p.id),
                actual_critical: on_actual.contains(&p.id),
            };
            deviations.extend(step_deviations(s, &zone));
            match phase_index.get(p.phase.as_str()) {
                Some(&k) => phases[k].steps.push(step),
                None => {
                    // A step whose phase the plan does not list: give it one.
                    phase_index.insert(p.phase.to_string(), phases.len());
                    phases.push(PhaseReport {
                        id: p.phase.to_string(),
                        title: p.phase.to_string(),
                        steps: vec![step],
                    });
                }
            }
        }
        phases.retain(|p| !p.steps.is_empty());
        // Stable: same-time deviations keep their order (aborts, then steps
        // in file order).
        deviations.sort_by_key(|d| d.time.at);

        let ended = timeline.result.map(|(t, _)| time(t));
        let mut report = Report {
            format_version: FORMAT_VERSION,
            time_zone: zone.name.clone(),
            journal: JournalInfo {
                path: journal.to_string(),
                events: timeline.events,
                torn_line,
                unverified: None,
                warnings: timeline.warnings.clone(),
            },
            run: RunInfo {
                name: h.name.clone(),
                runbook: h.runbook.clone(),
                runbook_sha256: h.runbook_sha256.clone(),
                mode: h.mode,
                dry_run: h.dry_run,
                status: if timeline.is_finished() {
                    Status::Finished
                } else {
                    Status::RunningOrInterrupted
                },
                result: timeline.result.map(|(_, r)| r),
                started: time(h.started),
                ended,
                last_event: time(timeline.last_event.unwrap_or(h.started)),
                elapsed_seconds: timeline.elapsed(now).unwrap_or_default().as_secs(),
                host: h.host.clone(),
                reprise_version: h.reprise_version.clone(),
                started_by: h.operator.clone(),
                operators: timeline.operators(),
                roles: timeline.roles(),
                handovers: timeline
                    .handovers
                    .iter()
                    .map(|x| HandoverReport {
                        time: time(x.time),
                        from: x.from.clone(),
                        to: x.to.clone(),
                        note: x.note.clone(),
                    })
                    .collect(),
                resumes: timeline
                    .resumes
                    .iter()
                    .map(|r| ResumeReport {
                        time: time(r.time),
                        stopped_after: time(r.stopped_after),
                        operator: r.operator.clone(),
                        host: r.host.clone(),
                        reprise_version: r.reprise_version.clone(),
                        runbook_sha256: r.runbook_sha256.clone(),
                    })
                    .collect(),
            },
            recovery,
            services: service_reports,
            phases,
            critical_path: CriticalPaths {
                planned: PathReport {
                    steps: planned.steps,
                    seconds: planned.length.as_secs(),
                },
                actual: PathReport {
                    steps: actual.steps,
                    seconds: actual.length.as_secs(),
                },
            },
            time_split: timeline.total_split(now).into(),
            deviations,
            notes: timeline
                .notes
                .iter()
                .map(|n| NoteReport {
                    time: time(n.time),
                    by: n.by.clone(),
                    step: n.step.clone(),
                    text: n.text.clone(),
                    account: n.account.clone(),
                    observer: n.observer,
                })
                .collect(),
            changes: timeline
                .changes
                .iter()
                .map(|c| ChangeReport {
                    time: time(c.time),
                    step: c.step.clone(),
                    kind: match c.kind {
                        crate::timeline::ChangeKind::Added => "added",
                        crate::timeline::ChangeKind::Cancelled => "cancelled",
                        crate::timeline::ChangeKind::Estimate => "re-estimated",
                        crate::timeline::ChangeKind::Assigned => "reassigned",
                    },
                    detail: c.detail.clone(),
                    reason: c.reason.clone(),
                    by: c.by.clone(),
                })
                .collect(),
            by_person: Vec::new(),
            by_team: Vec::new(),
            review_points: Vec::new(),
            dossier: None,
            standards: Vec::new(),
            lang: crate::i18n::Lang::En,
            zone: Some(zone),
        };
        report.by_person = super::who::people(&report);
        report.by_team = super::who::teams(&report);
        report.review_points = review_points(&report);
        Ok(report)
    }

    /// Adds the dossier's facts (and so its sections and the standards
    /// map), in `lang`.
    pub fn with_dossier(
        mut self,
        dossier: crate::dossier::Dossier,
        lang: crate::i18n::Lang,
    ) -> Self {
        self.standards = crate::dossier::standards::map(self.standards_record(), &dossier);
        self.dossier = Some(dossier);
        self.lang = lang;
        self
    }

    /// What the standards map needs to know of this drill's record.
    pub fn standards_record(&self) -> crate::dossier::standards::Record {
        crate::dossier::standards::Record {
            plan_version: !self.run.runbook_sha256.is_empty(),
            rto_set: self.recovery.rto_seconds.is_some(),
            participants: !self.run.operators.is_empty(),
            ended: self.run.ended.is_some(),
        }
    }
}

/// The deviations one step carries.
pub(super) fn step_deviations(s: &crate::timeline::StepRecord, zone: &Zone) -> Vec<Deviation> {
    let time = |t| zone.time(t);
    let id = Some(s.planned.id.clone());
    let mut v = Vec::new();
    for a in s.attempts.iter().filter(|a| a.interrupted) {
        v.push(Deviation {
            time: time(a.cut.unwrap_or(a.started)),
            step: id.clone(),
            kind: DeviationKind::Interrupted,
            detail: Some(format!("attempt {}", a.number)),
            reason: None,
            by: None,
            said: Some(Said::Attempt(a.number)),
        });
    }
    for a in &s.attempts {
        if a.succeeded() || a.ended.is_none() {
            continue;
        }
        v.push(Deviation {
            time: time(a.ended.unwrap_or(a.started)),
            step: id.clone(),
            kind: DeviationKind::Failure,
            detail: Some(attempt_detail(a)),
            reason: None,
            by: None,
            said: Some(Said::Ending(Box::new(a.clone()))),
        });
    }
    for d in &s.decisions {
        let kind = match d.decision {
            Decision::Run => continue,
            Decision::Retry | Decision::RetryAll => DeviationKind::Retry,
            Decision::MarkDone => DeviationKind::DoneByHand,
            Decision::MarkFailed => DeviationKind::MarkedFailed,
            Decision::Skip => DeviationKind::Skip,
            Decision::Continue => DeviationKind::Continue,
            Decision::Abort => DeviationKind::Abort,
            Decision::Rollback => DeviationKind::Rollback,
        };
        v.push(Deviation {
            time: time(d.time),
            step: id.clone(),
            kind,
            detail: None,
            reason: d.reason.clone(),
            by: Some(d.by.clone()),
            said: None,
        });
    }
    let decided = |k: Decision| s.decisions.iter().any(|d| d.decision == k);
    if let (Some(o), Some(t)) = (s.outcome(), s.finished) {
        let kind = match o {
            Outcome::Done if s.source == Some(Source::CommandLine) => {
                Some(DeviationKind::AssumedDone)
            }
            Outcome::Done
                if !decided(Decision::MarkDone)
                    && s.attempts.last().is_some_and(|a| !a.succeeded()) =>
            {
                Some(DeviationKind::DoneByHand)
            }
            Outcome::Skipped if !decided(Decision::Skip) => Some(DeviationKind::Skip),
            // Recorded failed by hand: the `mark_failed` decision already
            // says so, with its reason (the outcome's reason is the same).
            Outcome::Failed
                if decided(Decision::MarkFailed) && s.source != Some(Source::Command) =>
            {
                None
            }
            Outcome::Failed => Some(DeviationKind::Failed),
            Outcome::Aborted => Some(DeviationKind::Aborted),
            _ => None,
        };
        if let Some(kind) = kind {
            v.push(Deviation {
                time: time(t),
                step: id.clone(),
                kind,
                detail: s.exit_code.map(|c| format!("exit code {c}")),
                reason: s.reason.clone(),
                by: s.by.clone(),
                said: s.exit_code.map(Said::ExitCode),
            });
        }
    }
    if let Some(r) = &s.rollback
        && matches!(r.outcome, Some(Outcome::Failed | Outcome::Skipped))
    {
        v.push(Deviation {
            time: time(r.finished.or(r.started).unwrap_or_default()),
            step: id,
            kind: DeviationKind::RollbackNotDone,
            detail: r.exit_code.map(|c| format!("exit code {c}")),
            reason: r.reason.clone(),
            by: r.by.clone(),
            said: r.exit_code.map(Said::ExitCode),
        });
    }
    v
}
