//! Folding one journal record into the timeline.

use super::{
    AbortRequest, ApprovalRecord, Attempt, ChangeKind, Decision, DecisionRecord, Duration, Event,
    Handover, Header, Hold, HostRun, Note, PlanChange, RestorePoint, Resume, RollbackRecord,
    Runner, Source, Stamped, StepKind, StepRecord, StepState, Timeline, Timestamp, Wait, span,
};

impl Timeline {
    /// Applies one event.
    pub fn apply(&mut self, stamped: &Stamped) {
        let t = stamped.time;
        self.events += 1;
        if let Event::RunStarted { .. } = &stamped.event {
        } else if self.header.is_none() {
            self.warnings.push(format!(
                "`{}` event at {t} before `run_started`: ignored",
                stamped.event.name()
            ));
            self.last_event = Some(t);
            return;
        }
        match &stamped.event {
            Event::RunStarted {
                runbook,
                runbook_sha256,
                name,
                mode,
                dry_run,
                operator,
                host,
                reprise_version,
                rto,
                rpo,
                services,
                phases,
                steps,
                origin,
                exercise,
                ..
            } => {
                if self.header.is_none() {
                    self.runners.push(Runner {
                        time: t,
                        account: origin.account.clone(),
                        host: host.clone(),
                    });
                }
                if self.header.is_some() {
                    self.warnings
                        .push(format!("a second `run_started` at {t}: ignored"));
                } else {
                    self.header = Some(Header {
                        started: t,
                        runbook: runbook.clone(),
                        runbook_sha256: runbook_sha256.clone(),
                        name: name.clone(),
                        mode: *mode,
                        dry_run: *dry_run,
                        operator: operator.clone(),
                        host: host.clone(),
                        reprise_version: reprise_version.clone(),
                        rto: *rto,
                        rpo: *rpo,
                        services: services.clone(),
                        exercise: exercise.as_deref().cloned().unwrap_or_default(),
                        phases: phases.clone(),
                    });
                    for s in steps {
                        if self.index.contains_key(&s.id) {
                            self.warnings
                                .push(format!("step `{}` planned twice: ignored", s.id));
                            continue;
                        }
                        self.index.insert(s.id.clone(), self.steps.len());
                        self.steps.push(StepRecord::new(s.clone()));
                    }
                }
            }
            Event::RunResumed {
                operator,
                host,
                reprise_version,
                runbook_sha256,
                origin,
                ..
            } => {
                self.runners.push(Runner {
                    time: t,
                    account: origin.account.clone(),
                    host: host.clone(),
                });
                let stopped_after = self.last_event.unwrap_or(t);
                // Whatever was running when the drill stopped ended at some
                // unknown moment after the last event: count it up to there.
                // Nobody waited while reprise was not running: waits pause
                // from the last event to the resume.
                for s in &mut self.steps {
                    if matches!(s.state, StepState::Finished(_)) {
                        continue;
                    }
                    if s.attempts
                        .last()
                        .is_some_and(|a| a.ended.is_none() && !a.interrupted)
                    {
                        s.close_attempt(stopped_after, true);
                        s.state = StepState::Ready;
                        s.waiting = Some((t, Wait::Other));
                    } else if let Some((_, kind)) = s.waiting {
                        s.close_wait(stopped_after, false, &self.holds);
                        s.waiting = Some((t, kind));
                    }
                }
                self.resumes.push(Resume {
                    time: t,
                    stopped_after,
                    operator: operator.clone(),
                    host: host.clone(),
                    reprise_version: reprise_version.clone(),
                    runbook_sha256: runbook_sha256.clone(),
                });
            }
            Event::Handover { from, to, note, .. } => self.handovers.push(Handover {
                time: t,
                from: from.clone(),
                to: to.clone(),
                note: note.clone(),
            }),
            Event::RestorePoint {
                step,
                point,
                written,
                by,
                source,
                host,
                ..
            } => match self.index.get(step) {
                Some(&i) => {
                    let record = RestorePoint {
                        time: t,
                        point: *point,
                        written: written.clone(),
                        by: by.clone(),
                        source: *source,
                        host: host.clone(),
                    };
                    let s = &mut self.steps[i];
                    // Each host of a remote step records its own: the
                    // step's is the oldest (the one that loses the most
                    // data), every host's is kept beside it.
                    if host.is_some() {
                        s.host_restore_points.push(record.clone());
                    }
                    let older = match &s.restore_point {
                        Some(r) if host.is_some() && r.host.is_some() => record.point < r.point,
                        _ => true,
                    };
                    if older {
                        s.restore_point = Some(record);
                    }
                }
                None => self
                    .warnings
                    .push(format!("restore point at {t} of unknown step `{step}`")),
            },
            Event::Note {
                text,
                by,
                step,
                origin,
            } => {
                if let Some(id) = step
                    && !self.index.contains_key(id)
                {
                    self.warnings
                        .push(format!("note at {t} about unknown step `{id}`"));
                }
                self.notes.push(Note {
                    time: t,
                    text: text.clone(),
                    by: by.clone(),
                    step: step.clone(),
                    account: origin.account.clone(),
                    observer: origin.observer,
                });
            }
            Event::RunHeld { by, reason, .. } => {
                if self.holds.last().is_none_or(|h| h.to.is_some()) {
                    self.holds.push(Hold {
                        from: t,
                        to: None,
                        by: by.clone(),
                        reason: reason.clone(),
                    });
                }
            }
            Event::RunReleased { .. } => {
                if let Some(h) = self.holds.last_mut().filter(|h| h.to.is_none()) {
                    h.to = Some(t);
                }
            }
            Event::AbortRequested { by, reason, .. } => self.aborts.push(AbortRequest {
                time: t,
                by: by.clone(),
                reason: reason.clone(),
            }),
            Event::RunFinished { result } => {
                if self.result.is_some() {
                    self.warnings
                        .push(format!("a second `run_finished` at {t}: ignored"));
                } else {
                    self.result = Some((t, *result));
                }
            }
            e @ Event::StepAdded { .. } => self.add_step(t, e),
            e => self.apply_step_event(t, e),
        }
        self.last_event = Some(t);
    }

    pub(super) fn apply_step_event(&mut self, t: Timestamp, event: &Event) {
        let Some(id) = event.step() else { return };
        let Some(&i) = self.index.get(id) else {
            self.warnings.push(format!(
                "`{}` event at {t} for unknown step `{id}`: ignored",
                event.name()
            ));
            return;
        };
        let s = &mut self.steps[i];
        match event {
            Event::StepReady { .. } => {
                if s.ready.is_none() {
                    s.ready = Some(t);
                }
                if !matches!(s.state, StepState::Finished(_)) {
                    if s.state == StepState::Pending {
                        s.state = StepState::Ready;
                    }
                    if s.waiting.is_none() && s.attempts.last().is_none_or(|a| a.ended.is_some()) {
                        s.waiting = Some((t, s.wait_kind_on_ready()));
                    }
                    // A command without confirmation starts as soon as a
                    // job slot is free: until then it waits for one.
                    if s.planned.kind == StepKind::Command && s.attempts.is_empty() {
                        s.queued.get_or_insert(t);
                    }
                }
            }
            // Paper: the start written on the sheet is when work began;
            // what the step waited for before is not known.
            Event::StepBegan { .. } => {
                s.close_wait(t, false, &self.holds);
                s.ready = Some(s.ready.map_or(t, |r| r.min(t)));
                if !matches!(s.state, StepState::Finished(_)) {
                    s.state = StepState::Ready;
                }
            }
            Event::StepStarted { attempt, .. } => {
                s.close_wait(t, false, &self.holds);
                s.close_queue(t);
                // An attempt still open here was cut short by a crash that no
                // `run_resumed` announced.
                s.close_attempt(t, true);
                if s.ready.is_none() {
                    s.ready = Some(t);
                }
                let mut a = Attempt::new(*attempt, t, true);
                a.hosts = s.take_early_hosts(*attempt);
                s.push_attempt(a);
                s.state = StepState::Running { attempt: *attempt };
            }
            Event::AttemptFinished {
                attempt, ending, ..
            } => {
                let open = s
                    .attempts
                    .last()
                    .is_some_and(|a| a.number == *attempt && a.ended.is_none());
                if !open {
                    // A failure to start may come without `step_started`.
                    s.close_wait(t, false, &self.holds);
                    s.close_queue(t);
                    let mut a = Attempt::new(*attempt, t, false);
                    a.hosts = s.take_early_hosts(*attempt);
                    s.push_attempt(a);
                }
                s.close_attempt(t, false);
                if let Some(a) = s.attempts.last_mut() {
                    a.interrupted = false;
                    a.cut = None;
                    a.ended = Some(t);
                    a.ending = ending.clone();
                    if !a.succeeded() {
                        s.state = StepState::AttemptFailed { attempt: *attempt };
                        s.waiting = Some((t, Wait::Other));
                    }
                }
            }
            Event::Decision {
                decision,
                reason,
                by,
                source,
                ..
            } => {
                let by_operator = matches!(source, Source::Operator | Source::AutoConfirmed);
                s.close_wait(t, by_operator, &self.holds);
                if !matches!(s.state, StepState::Running { .. } | StepState::Finished(_)) {
                    s.waiting = Some((t, Wait::Other));
                    // Told to run its command (a confirmation, a retry, an
                    // interrupted step): it waits for a job slot now.
                    if matches!(
                        decision,
                        Decision::Run | Decision::Retry | Decision::RetryAll
                    ) && s.planned.kind != StepKind::Manual
                    {
                        s.queued.get_or_insert(t);
                    }
                }
                s.decisions.push(DecisionRecord {
                    time: t,
                    decision: *decision,
                    reason: reason.clone(),
                    by: by.clone(),
                    source: *source,
                });
            }
            Event::StepFinished {
                outcome,
                exit_code,
                reason,
                by,
                source,
                output_tail,
                origin,
                ..
            } => {
                if let StepState::Finished(before) = s.state {
                    self.warnings.push(format!(
                        "step `{id}` finished twice (was {before}, now {outcome} at {t})"
                    ))
                }
                let by_operator = matches!(source, Source::Operator | Source::AutoConfirmed);
                s.close_wait(t, by_operator, &self.holds);
                s.close_queue(t);
                s.close_attempt(t, false);
                s.state = StepState::Finished(*outcome);
                s.finished = Some(t);
                s.exit_code = *exit_code;
                s.reason = reason.clone();
                s.by = Some(by.clone());
                s.account = origin.account.clone();
                s.source = Some(*source);
                s.output_tail = super::tail::bounded(output_tail, super::tail::STEP_LINES);
                s.for_role = origin.for_role.clone();
            }
            Event::StepCancelled { reason, by, .. } => self.changes.push(PlanChange {
                time: t,
                step: id.clone(),
                kind: ChangeKind::Cancelled,
                detail: None,
                reason: reason.clone(),
                by: by.clone(),
            }),
            Event::EstimateRevised {
                estimate,
                until,
                previous,
                reason,
                by,
                ..
            } => {
                // An end time counts from the step's start (or from now,
                // for a step not yet started).
                let new = match (estimate, until) {
                    (_, Some(u)) => Some(Duration::from_secs(
                        span(s.began().unwrap_or(t).min(*u), *u).as_secs(),
                    )),
                    (e, None) => *e,
                };
                if s.original_estimate.is_none() {
                    s.original_estimate = Some(s.planned.estimate);
                }
                if new.is_some() {
                    s.planned.estimate = new;
                }
                let what = match (estimate, until) {
                    (_, Some(u)) => format!("until {}", u.strftime("%Y-%m-%d %H:%M UTC")),
                    (Some(e), None) => e.to_string(),
                    (None, None) => "?".into(),
                };
                let was = previous.map_or(String::new(), |p| format!(" (was {p})"));
                self.changes.push(PlanChange {
                    time: t,
                    step: id.clone(),
                    kind: ChangeKind::Estimate,
                    detail: Some(format!("{what}{was}")),
                    reason: reason.clone(),
                    by: by.clone(),
                });
            }
            Event::StepAssigned {
                to,
                previous,
                reason,
                by,
                ..
            } => {
                s.assigned_to = Some(to.clone());
                let was = previous
                    .as_ref()
                    .map_or(String::new(), |p| format!(" (was {p})"));
                self.changes.push(PlanChange {
                    time: t,
                    step: id.clone(),
                    kind: ChangeKind::Assigned,
                    detail: Some(format!("to {to}{was}")),
                    reason: reason.clone(),
                    by: by.clone(),
                });
            }
            Event::Approval {
                approved,
                reason,
                by,
                origin,
                count,
                needed,
                ..
            } => s.approvals.push(ApprovalRecord {
                time: t,
                approved: *approved,
                reason: reason.clone(),
                by: by.clone(),
                account: origin.account.clone(),
                count: *count,
                needed: *needed,
                for_role: origin.for_role.clone(),
            }),
            Event::RollbackStarted { .. } => {
                s.rollback = Some(RollbackRecord {
                    started: Some(t),
                    ..RollbackRecord::empty()
                });
            }
            Event::RollbackFinished {
                outcome,
                exit_code,
                reason,
                by,
                ..
            } => {
                let r = s.rollback.get_or_insert_with(RollbackRecord::empty);
                r.finished = Some(t);
                r.outcome = Some(*outcome);
                r.exit_code = *exit_code;
                r.reason = reason.clone();
                r.by = Some(by.clone());
            }
            Event::HostFinished {
                attempt,
                host,
                ending,
                cause,
                output_tail,
                ..
            } => {
                let run = HostRun {
                    host: host.clone(),
                    ended: t,
                    ending: ending.clone(),
                    cause: *cause,
                    output_tail: super::tail::bounded(output_tail, super::tail::HOST_LINES),
                };
                if *attempt == 0 {
                    // Attempt 0 is the rollback command.
                    s.rollback
                        .get_or_insert_with(RollbackRecord::empty)
                        .hosts
                        .push(run);
                } else if let Some(a) = s.attempts.iter_mut().rev().find(|a| a.number == *attempt) {
                    a.hosts.push(run);
                } else {
                    // An attempt that could not start is known only from its
                    // `attempt_finished`, which follows its hosts' ends.
                    s.early_hosts.push((*attempt, run));
                }
            }
            _ => {}
        }
    }
}
