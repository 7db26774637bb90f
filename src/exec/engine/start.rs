//! The drill's start: presets from the command line or a resumed journal,
//! the `run_started` record and the plan it carries.

use super::{
    ENGINE, Engine, Event, Finish, Graph, Identity, Mode, Outcome, PlannedPhase, PlannedStep,
    Prerequisite, Preset, RunInfo, Runbook, Source, Stage, State, StepIndex,
};
use crate::event::EngineReason;

impl<'a> Engine<'a> {
    pub(super) fn start(&mut self) {
        if self.stage != Stage::Idle {
            return;
        }
        self.stage = Stage::Running;
        if !self.config.resume {
            let event = self.run_started();
            self.emit(event);
        }
        let presets = std::mem::take(&mut self.config.presets);
        let mut aborting = None;
        // Added steps first: the other presets may name them.
        for preset in &presets {
            if let Preset::Added { id, step } = preset {
                let phase = crate::exec::added::phase_of(self.runbook, &self.overlay.steps, step);
                self.grow(step.to_step(id.clone(), phase), step);
            }
        }
        for preset in &presets {
            match preset {
                Preset::Aborting { .. } => aborting = Some(preset.clone()),
                Preset::Added { .. } => {}
                Preset::Revised { step, estimate } => {
                    if self.valid(*step) {
                        self.estimates[step.get()] = Some(*estimate);
                    }
                }
                Preset::Assigned { step, to } => {
                    if self.valid(*step) {
                        self.assigned[step.get()] = Some(to.clone());
                    }
                }
                Preset::AssumeDone { step, reason } | Preset::Skip { step, reason } => {
                    if !self.valid(*step) || self.states[step.get()] != State::Pending {
                        continue;
                    }
                    let outcome = if matches!(preset, Preset::AssumeDone { .. }) {
                        Outcome::Done
                    } else {
                        Outcome::Skipped
                    };
                    let by = self.operator.clone();
                    self.finish(
                        *step,
                        Finish::new(outcome, Source::CommandLine, by).reason(Some(reason.clone())),
                    );
                }
                Preset::Recorded {
                    step,
                    outcome,
                    dependents_proceed,
                } => {
                    if !self.valid(*step) || self.states[step.get()] != State::Pending {
                        continue;
                    }
                    let proceeds = outcome.satisfies_dependents()
                        || (*outcome == Outcome::Failed && *dependents_proceed);
                    self.settle(*step, *outcome, proceeds);
                    if *outcome == Outcome::Done {
                        self.completed.push(*step);
                    }
                }
                Preset::Interrupted {
                    step,
                    attempts,
                    hosts,
                } => {
                    if self.valid(*step) {
                        self.interrupted[step.get()] = true;
                        self.attempts[step.get()] = *attempts;
                        self.earlier[step.get()] = *attempts;
                        self.preset_hosts(*step, hosts);
                    }
                }
            }
        }
        self.config.presets = presets;
        // Everything ready now, in file order (presets may have released
        // some steps already).
        self.ready = self.readiness.initially_ready().into();
        self.ready.retain(|&s| !self.overlay.holds(s));
        let base = self.runbook.steps.len();
        for i in base..self.states.len() {
            let s = StepIndex(i as u32);
            if self.states[i] == State::Pending && !self.overlay.holds(s) {
                self.ready.push_back(s);
            }
        }
        if let Some(Preset::Aborting {
            rollback,
            cut,
            to_roll_back,
        }) = aborting
        {
            self.resume_abort(rollback, &cut, to_roll_back);
        }
    }

    /// Finishes an abort that the journal records as decided: what was cut
    /// short is recorded `aborted` (its leftovers were stopped by
    /// `resume`), nothing new starts, a rollback carries on with what is
    /// left of it; `abort_requested` is already recorded.
    pub(super) fn resume_abort(
        &mut self,
        rollback: bool,
        cut: &[StepIndex],
        to_roll_back: Vec<StepIndex>,
    ) {
        self.aborted = true;
        self.stage = Stage::Aborting { rollback };
        self.ready.clear();
        self.queue.clear();
        for &step in cut {
            if self.valid(step) && self.states[step.get()] == State::Pending {
                let by = Identity::named(ENGINE);
                self.finish(
                    step,
                    Finish::new(Outcome::Aborted, Source::Engine, by)
                        .reason(Some(EngineReason::AbortedUnrecorded.text())),
                );
            }
        }
        self.ready.clear();
        self.completed = to_roll_back
            .into_iter()
            .filter(|s| self.valid(*s))
            .collect();
        self.after_abort();
    }

    pub(super) fn run_started(&self) -> Event {
        let rb = self.runbook;
        let RunInfo {
            runbook,
            runbook_sha256,
            host,
            version,
        } = self.config.info.clone();
        Event::RunStarted {
            runbook,
            runbook_sha256,
            name: rb.name.clone(),
            mode: self.config.mode,
            dry_run: self.config.dry_run,
            operator: self.operator.name.clone(),
            origin: self.operator.origin.clone(),
            host,
            reprise_version: version,
            rto: rb.objectives.rto.map(|d| d.value),
            rpo: rb.objectives.rpo.map(|d| d.value),
            services: planned_services(rb),
            phases: rb
                .phases
                .iter()
                .map(|p| PlannedPhase {
                    id: p.id.value.clone(),
                    title: p.title.clone(),
                })
                .collect(),
            steps: planned_steps(rb, self.graph, self.config.mode),
            exercise: (!rb.exercise.is_empty()).then(|| {
                Box::new(crate::event::ExerciseInfo {
                    scenario: rb.exercise.scenario.clone(),
                    scope: rb.exercise.scope.clone(),
                    criteria: rb.exercise.criteria.clone(),
                    lang: rb.exercise.lang.clone(),
                })
            }),
        }
    }
}

/// The services of `objectives.services` as `run_started` records them.
pub fn planned_services(runbook: &Runbook) -> Vec<crate::event::PlannedService> {
    runbook
        .objectives
        .services
        .iter()
        .map(|s| crate::event::PlannedService {
            name: s.name.value.clone(),
            rto: s.rto.map(|d| d.value),
            rpo: s.rpo.map(|d| d.value),
        })
        .collect()
}

/// The plan as `run_started` records it: every step in file order with its
/// kind, estimate, and full prerequisites: `needs_phases` lists the phases
/// it waits for as a whole (named, or by phase order), `needs` the steps it
/// names plus, for each of those phases, the one step planned to finish
/// last in `mode` (what journals recorded before `needs_phases`, kept for
/// their readers). Phases are named rather than their steps listed so that
/// the record stays linear in size: listing them all is quadratic (ten
/// phases of 10,000 parallel steps would be 900 million entries).
pub fn planned_steps(runbook: &Runbook, graph: &Graph, mode: Mode) -> Vec<PlannedStep> {
    let rb = runbook;
    let starts = crate::plan::earliest_starts(rb, graph, mode);
    let finish = |i: usize| {
        let s = &rb.steps[i];
        let est = if s.applies_in(mode) {
            s.estimate.map_or(0, |e| e.value.as_secs())
        } else {
            0
        };
        starts[i].as_secs().saturating_add(est)
    };
    let last_step: Vec<Option<StepIndex>> = rb
        .phases
        .iter()
        .map(|p| {
            p.steps
                .clone()
                .max_by_key(|&i| finish(i))
                .map(|i| StepIndex(i as u32))
        })
        .collect();
    rb.step_indices()
        .map(|i| {
            let s = rb.step(i);
            let mut needs: Vec<StepIndex> = Vec::new();
            let mut phases: Vec<usize> = Vec::new();
            for p in graph.prerequisites(i) {
                match p {
                    Prerequisite::Step(n) => needs.push(n),
                    Prerequisite::Phase(ph) | Prerequisite::PhaseOrder(ph) => {
                        needs.extend(last_step[ph]);
                        phases.push(ph);
                    }
                }
            }
            let mut seen = std::collections::HashSet::new();
            needs.retain(|n| seen.insert(*n));
            let mut seen = std::collections::HashSet::new();
            phases.retain(|p| seen.insert(*p));
            PlannedStep {
                fingerprints: crate::fingerprint::of(s),
                id: s.id.value.clone(),
                title: s.title.clone(),
                phase: rb.phase_of(i).id.value.clone(),
                kind: s.kind(),
                role: s.role.clone(),
                estimate: s.estimate.map(|e| e.value),
                critical: s.critical,
                needs: needs
                    .into_iter()
                    .map(|n| rb.step(n).id.value.clone())
                    .collect(),
                only: s.only,
                hosts: s.hosts.iter().map(|h| h.value.clone()).collect(),
                needs_phases: phases
                    .into_iter()
                    .map(|p| rb.phases[p].id.value.clone())
                    .collect(),
                restores: s.restores.iter().map(|r| r.value.clone()).collect(),
                records: s.records.clone(),
            }
        })
        .collect()
}
