//! Execution events: the one stream the engine emits.
//!
//! The terminal view, the journal and the step logs consume these events;
//! reports and `status` read them back from the journal. They are the
//! journal's stable interface (documented in `docs/journal.md`): add fields
//! and events, never rename or remove them.
//!
//! Events carry ids, not indices, so that a journal can be read without the
//! runbook; `run_started` embeds the plan (phases and steps with their
//! estimates) for the same reason.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::identity::Origin;
use crate::runbook::{Duration, Mode, StepId};

mod ending;
mod notification;
mod plan;
mod query;
mod reason;
mod values;

pub use ending::{Ending, EndingPart};
pub use notification::NotificationAbout;
pub use plan::{AddedStep, ExerciseInfo, PlannedPhase, PlannedService, PlannedStep};
pub use reason::{EngineReason, reason_in};
pub use values::{
    Assessment, Decision, HostCause, Outcome, RESTORE_POINT_VAR, RunResult, Source,
    parse_restore_point,
};

/// An event and when it happened (by the engine's clock).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stamped {
    /// When the event happened (written as RFC 3339 UTC with milliseconds).
    #[serde(with = "millis")]
    pub time: Timestamp,
    /// What happened.
    #[serde(flatten)]
    pub event: Event,
}

/// Something that happened during a drill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// The drill started. Always the first event of a journal.
    RunStarted {
        /// Runbook path as given.
        runbook: String,
        /// Hex SHA-256 of the runbook's bytes.
        runbook_sha256: String,
        /// Plan name.
        name: String,
        /// Drill or incident.
        mode: Mode,
        /// Nothing executed.
        dry_run: bool,
        /// Who started it.
        operator: String,
        /// The OS account and origin of whoever started or resumed it
        /// (`account`, `from`).
        #[serde(flatten)]
        origin: Origin,
        /// Machine it ran on.
        host: String,
        /// reprise version.
        reprise_version: String,
        /// Recovery time objective.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rto: Option<Duration>,
        /// Recovery point objective.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rpo: Option<Duration>,
        /// The services of `objectives.services`, with their own
        /// objectives, in runbook order.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        services: Vec<PlannedService>,
        /// Phases in order.
        phases: Vec<PlannedPhase>,
        /// Steps in file order.
        steps: Vec<PlannedStep>,
        /// Scenario, scope, success criteria and language, when the
        /// runbook says any of them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exercise: Option<Box<ExerciseInfo>>,
    },
    /// The drill was resumed from its journal after an interruption.
    RunResumed {
        /// Who resumed it.
        operator: String,
        /// The OS account and origin of whoever started or resumed it
        /// (`account`, `from`).
        #[serde(flatten)]
        origin: Origin,
        /// Machine it resumed on.
        host: String,
        /// reprise version.
        reprise_version: String,
        /// Set when the runbook changed and `--allow-changed` was given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        runbook_sha256: Option<String>,
    },
    /// Every dependency of the step has ended; a manual step is now open.
    StepReady {
        /// Step id.
        step: StepId,
    },
    /// An attempt of a command started.
    StepStarted {
        /// Step id.
        step: StepId,
        /// 1 for the first attempt.
        attempt: u32,
        /// Process id of the command (its process group id too).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pid: Option<u32>,
    },
    /// An attempt of a command ended (every attempt is recorded; the step's
    /// outcome follows in `step_finished` once no retry is left).
    AttemptFinished {
        /// Step id.
        step: StepId,
        /// Attempt number.
        attempt: u32,
        /// How it ended (`exit_code`, `signal`, `timed_out`, `error`).
        #[serde(flatten)]
        ending: Ending,
    },
    /// A remote command ended on one of its step's hosts (a step with
    /// `host` records one per host and attempt, before `attempt_finished`).
    HostFinished {
        /// Step id.
        step: StepId,
        /// Attempt number (0 for a rollback).
        attempt: u32,
        /// The host's name in the runbook.
        host: String,
        /// How it ended there (`exit_code`: the command's, or 255 from
        /// ssh; `signal`: ssh killed by one; `timed_out`; `error`: ssh
        /// could not be started).
        #[serde(flatten)]
        ending: Ending,
        /// Why it failed on this host, classified (absent when it
        /// succeeded, and in journals written before reprise 0.2).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cause: Option<HostCause>,
        /// This host's own last lines of output, for a failure.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        output_tail: Vec<String>,
    },
    /// The operator made a choice about a step.
    Decision {
        /// Step id.
        step: StepId,
        /// What was chosen.
        decision: Decision,
        /// Why (required for every deviation).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Who decided.
        by: String,
        /// The OS account and origin of whoever made it (`account`,
        /// `from`; absent for the engine's own records and old journals).
        #[serde(flatten)]
        origin: Origin,
        /// How the decision was made.
        source: Source,
    },
    /// Work on a step began, as written on a paper checklist: `time` is the
    /// start time on the sheet (`reprise transcribe`; a live drill records
    /// `step_ready` and `step_started` instead).
    StepBegan {
        /// Step id.
        step: StepId,
        /// The initials written on the sheet.
        by: String,
        /// The OS account that transcribed it, and when (`account`,
        /// `from`, `transcribed_at`).
        #[serde(flatten)]
        origin: Origin,
        /// Always `paper`.
        source: Source,
    },
    /// A step reached its outcome.
    StepFinished {
        /// Step id.
        step: StepId,
        /// How it ended.
        outcome: Outcome,
        /// Exit code of the last attempt, for commands.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exit_code: Option<i32>,
        /// Why (skips, failures, marks by hand, aborts).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Who recorded it (operator name, or `reprise` for the engine).
        by: String,
        /// The OS account and origin of whoever made it (`account`,
        /// `from`; absent for the engine's own records and old journals).
        #[serde(flatten)]
        origin: Origin,
        /// How the outcome was decided.
        source: Source,
        /// Number of attempts made (commands).
        #[serde(default, skip_serializing_if = "is_zero")]
        attempts: u32,
        /// Last lines of output of a failed command, secrets masked.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        output_tail: Vec<String>,
    },
    /// An account confirmed, or refused, a step that needs `approvals: N`
    /// distinct confirmations. The step proceeds (its `decision` or
    /// `step_finished` follows) once `count` reaches `needed`.
    Approval {
        /// Step id.
        step: StepId,
        /// True for a confirmation, false for a refusal.
        approved: bool,
        /// Why (required for a refusal).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Who (declared name).
        by: String,
        /// The OS account and origin that made it (and `for_role`, when
        /// a coordinator approved for a role it is not in).
        #[serde(flatten)]
        origin: Origin,
        /// Distinct accounts that have confirmed so far (this one included).
        count: u32,
        /// Confirmations the step needs (`approvals`).
        needed: u32,
    },
    /// An unplanned step was added during the drill (`add` at a prompt):
    /// the whole definition, so that `resume` can rebuild it (it is not in
    /// the runbook file). It gets the next item number after the runbook's
    /// last step (and the steps added before it).
    StepAdded {
        /// Its id (`added-13`).
        step: StepId,
        /// Its item number.
        number: u32,
        /// What it is and where it fits.
        #[serde(flatten)]
        added: Box<AddedStep>,
        /// Why.
        reason: String,
        /// Who.
        by: String,
        /// The OS account and origin of whoever added it.
        #[serde(flatten)]
        origin: Origin,
    },
    /// A step was cancelled during the drill: it turned out not to be
    /// needed. Its `step_finished` (`skipped`, `source: operator`, the same
    /// reason) follows; its dependents go on.
    StepCancelled {
        /// Step id.
        step: StepId,
        /// Why.
        reason: String,
        /// Who.
        by: String,
        /// The OS account and origin of whoever made it.
        #[serde(flatten)]
        origin: Origin,
    },
    /// A step not yet finished got a new estimate during the drill.
    EstimateRevised {
        /// Step id.
        step: StepId,
        /// The new expected duration (from the step's start).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        estimate: Option<Duration>,
        /// The new expected end, as a time (`until 2026-12-07T14:00`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<Timestamp>,
        /// The estimate it replaces (the runbook's, or an earlier revision).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        previous: Option<Duration>,
        /// Why.
        reason: String,
        /// Who.
        by: String,
        /// The OS account and origin of whoever made it.
        #[serde(flatten)]
        origin: Origin,
    },
    /// A step was handed to another role or person during the drill (with
    /// `roles:`, the new owner may then record it).
    StepAssigned {
        /// Step id.
        step: StepId,
        /// The role (of `roles:`) or the person (an account) it goes to.
        to: String,
        /// Its role or assignee before.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        previous: Option<String>,
        /// Why.
        reason: String,
        /// Who.
        by: String,
        /// The OS account and origin of whoever made it.
        #[serde(flatten)]
        origin: Origin,
    },
    /// A rollback of a completed step started.
    RollbackStarted {
        /// Step being undone.
        step: StepId,
        /// Process id (and process group id) of the rollback command, so
        /// that `resume` can stop it; absent for a manual rollback and in
        /// journals written before it was recorded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pid: Option<u32>,
    },
    /// A rollback ended.
    RollbackFinished {
        /// Step undone.
        step: StepId,
        /// `done`, `failed` or `skipped` (the operator declined it).
        outcome: Outcome,
        /// Exit code of the rollback command.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exit_code: Option<i32>,
        /// Why, when declined or failed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Who recorded it.
        by: String,
        /// The OS account and origin of whoever made it (`account`,
        /// `from`; absent for the engine's own records and old journals).
        #[serde(flatten)]
        origin: Origin,
    },
    /// A free-text observation.
    Note {
        /// The observation.
        text: String,
        /// Who wrote it.
        by: String,
        /// The OS account and origin of whoever made it (`account`,
        /// `from`; absent for the engine's own records and old journals).
        #[serde(flatten)]
        origin: Origin,
        /// The step it is about, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<StepId>,
    },
    /// The restore point a step brought back: the moment its restored data
    /// dates from (a command printed `REPRISE_RESTORE_POINT=<time>`, or an
    /// operator entered it for a step with `records: restore_point`).
    /// Recorded before the step's `step_finished`; the report measures the
    /// data lost against the RPO from it.
    RestorePoint {
        /// Step id.
        step: StepId,
        /// The restore point, RFC 3339 in UTC.
        #[serde(with = "millis")]
        point: Timestamp,
        /// As written (with its offset), for the record.
        written: String,
        /// Who gave it (`reprise` when a command printed it).
        by: String,
        /// The OS account and origin of whoever gave it (`account`,
        /// `from`; absent when a command printed it).
        #[serde(flatten)]
        origin: Origin,
        /// `command` or `operator`.
        source: Source,
        /// The host whose output printed it, for a remote step (each host
        /// of a step on several hosts records its own; the step's restore
        /// point is the oldest of them). Absent for a local step, an
        /// operator's answer and journals written before it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<String>,
    },
    /// Another operator takes over.
    Handover {
        /// Outgoing operator.
        from: String,
        /// Incoming operator.
        to: String,
        /// Handover note.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// The OS account that typed the handover (`from` is taken by the
        /// outgoing operator's name).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        account: Option<String>,
        /// Where that account came from (its `SSH_CONNECTION` client).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        origin: Option<String>,
    },
    /// The operator (or a signal) asked to abort.
    AbortRequested {
        /// Who asked (or `signal`).
        by: String,
        /// The OS account and origin of whoever made it (`account`,
        /// `from`; absent for the engine's own records and old journals).
        #[serde(flatten)]
        origin: Origin,
        /// Why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// The abort rolls back the steps completed during the drill
        /// (`on_failure: rollback`, or the operator chose `rollback`), so
        /// that `resume` carries the rollback on. Absent: a plain abort.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        rollback: bool,
    },
    /// A terminal attached to the running drill (`reprise attach`).
    OperatorAttached {
        /// The name it records under (`--as`, default the login).
        by: String,
        /// Its OS account (`SO_PEERCRED`) and origin (`SSH_CONNECTION`).
        #[serde(flatten)]
        origin: Origin,
        /// The roles it declared (`--role`), if any.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        roles: Vec<String>,
        /// It only watches (`--read-only`).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        read_only: bool,
    },
    /// A terminal left the drill (`detach`, Ctrl-D, a hang-up, a closed
    /// connection); the drill goes on.
    OperatorDetached {
        /// The name it recorded under.
        by: String,
        /// Its OS account and origin.
        #[serde(flatten)]
        origin: Origin,
        /// How it left: `detach`, `hang-up`, `terminal closed`,
        /// `connection closed`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The drill was stopped without an operator's abort (SIGTERM, or
    /// SIGINT with nobody to ask): running commands were ended and nothing
    /// more is recorded; `reprise resume` continues it.
    RunStopped {
        /// `signal`.
        by: String,
        /// Its OS account and origin, when a person stopped it.
        #[serde(flatten)]
        origin: Origin,
        /// Why (`stopped by SIGTERM`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// An operator held the drill: no new step starts or opens until
    /// `run_released`; running commands finish, open items stay open.
    RunHeld {
        /// Who.
        by: String,
        /// Their OS account and origin.
        #[serde(flatten)]
        origin: Origin,
        /// Why (`we stop tonight, restart at 7:00`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The hold ended: steps start again.
    RunReleased {
        /// Who.
        by: String,
        /// Their OS account and origin.
        #[serde(flatten)]
        origin: Origin,
    },
    /// The drill ended. Always the last event of a complete journal but
    /// for the debrief's records (`criterion_assessed`, `action_recorded`).
    RunFinished {
        /// Recovered, degraded or aborted.
        result: RunResult,
    },
    /// An alert reached its target (`notify:`): the target's command
    /// succeeded.
    NotificationSent {
        /// What it was about and where it went.
        #[serde(flatten)]
        about: NotificationAbout,
        /// Which attempt succeeded.
        attempt: u32,
    },
    /// An attempt to send an alert failed (retried unless `last`).
    NotificationFailed {
        /// What it was about and where it went.
        #[serde(flatten)]
        about: NotificationAbout,
        /// Which attempt.
        attempt: u32,
        /// Why (`exit 7: …`, `timed out after 30s`).
        error: String,
        /// No attempt follows: the alert was not delivered.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        last: bool,
    },
    /// A success criterion of `objectives.criteria` was assessed (at the
    /// end of the drill or afterwards with `reprise assess`). The latest
    /// assessment of a criterion is the one that counts.
    CriterionAssessed {
        /// 1-based number of the criterion in `run_started.exercise.criteria`.
        criterion: u32,
        /// Met, partly met or not met.
        verdict: Assessment,
        /// Why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
        /// Who assessed it (declared name).
        by: String,
        /// The OS account and origin of whoever recorded it (`account`,
        /// `from`).
        #[serde(flatten)]
        origin: Origin,
    },
    /// A corrective action decided during or after the drill. Its id, for
    /// `reprise actions --close`, is the first 8 hex digits of this line's
    /// hash.
    ActionRecorded {
        /// Who must carry it out.
        owner: String,
        /// When it is due.
        due: jiff::civil::Date,
        /// What must be done.
        text: String,
        /// Who recorded it.
        by: String,
        /// The OS account and origin of whoever recorded it (`account`,
        /// `from`).
        #[serde(flatten)]
        origin: Origin,
        /// The step it is about, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<StepId>,
    },
}

/// Journal timestamps: RFC 3339, UTC, exactly three fractional digits.
mod millis {
    use jiff::{Timestamp, Unit};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        let t = t
            .round(Unit::Millisecond)
            .map_err(serde::ser::Error::custom)?;
        s.collect_str(&format_args!("{}", t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ")))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests;
