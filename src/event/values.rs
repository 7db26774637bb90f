//! The small values records carry: outcomes, results, sources, decisions,
//! why a host failed, how far a criterion was met, restore points.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Completed (by its command, by the operator, or assumed done).
    Done,
    /// Failed (command failure or timeout, or recorded failed by the operator).
    Failed,
    /// Left out, with a reason.
    Skipped,
    /// Was running or open when the drill was aborted.
    Aborted,
    /// Its `only` names the other mode.
    NotApplicable,
}

impl Outcome {
    /// Whether dependents may proceed (`failed` counts only with
    /// `on_failure: continue`, which the engine decides).
    pub fn satisfies_dependents(self) -> bool {
        matches!(
            self,
            Outcome::Done | Outcome::Skipped | Outcome::NotApplicable
        )
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Outcome::Done => "done",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
            Outcome::Aborted => "aborted",
            Outcome::NotApplicable => "not_applicable",
        })
    }
}

/// How a drill ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunResult {
    /// Every step done or skipped, no critical step failed or skipped.
    Recovered,
    /// Finished, but some step failed or a critical one was skipped.
    Degraded,
    /// Stopped before the end.
    Aborted,
}

impl std::fmt::Display for RunResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RunResult::Recovered => "recovered",
            RunResult::Degraded => "degraded",
            RunResult::Aborted => "aborted",
        })
    }
}

/// Why an outcome was recorded the way it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The command's exit status decided.
    Command,
    /// An operator recorded it at the terminal or in an answers file.
    Operator,
    /// `--yes` confirmed it without asking.
    AutoConfirmed,
    /// Given on the command line before the start (`--assume-done`, `--skip`).
    CommandLine,
    /// Decided by the engine (mode, abort, dry run).
    Engine,
    /// Written by hand on a paper checklist and entered afterwards with
    /// `reprise transcribe` (the record's `transcribed_at` and `account`
    /// say when and by whom).
    Paper,
}

/// A choice the operator makes when asked (a failed step with
/// `on_failure: ask`, a `confirm` step, an interrupted step on resume).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Run the command (a `confirm` step, or re-run on resume).
    Run,
    /// Run the failed command again (on a remote step: only on the hosts
    /// where it failed or did not finish).
    Retry,
    /// Run a remote step's command again on every one of its hosts, those
    /// where it already succeeded included.
    RetryAll,
    /// Mark the step done by hand.
    MarkDone,
    /// Mark the step failed (resume of an interrupted step).
    MarkFailed,
    /// Skip the step; dependents proceed.
    Skip,
    /// Leave it failed; dependents proceed.
    Continue,
    /// Abort the drill.
    Abort,
    /// Abort and roll back completed steps.
    Rollback,
}

/// Why a remote command failed on one host (`host_finished.cause`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostCause {
    /// `ssh` could not reach the host (refused, timed out, closed before
    /// the login, name not resolved).
    Unreachable,
    /// The host refused the key (`Permission denied`).
    Auth,
    /// The host's key is unknown or changed (`Host key verification
    /// failed`).
    HostKey,
    /// The command ended with a non-zero exit code (`exit_code`).
    Exit,
    /// `ssh` was killed by a signal (`signal`).
    Signal,
    /// The step's timeout ended it.
    TimedOut,
    /// The drill was aborted while it ran.
    Aborted,
    /// `ssh` could not be started (`error`).
    NotStarted,
    /// The connection was lost while the command ran (the host stopped
    /// answering the keep-alives, or closed it): whether the command
    /// finished there is unknown.
    ConnectionLost,
}

impl HostCause {
    /// The cause in a few words, with the exit code for [`HostCause::Exit`]:
    /// `unreachable`, `exit 1`, `host key unknown or changed`.
    pub fn text(self, exit_code: Option<i32>, signal: Option<&str>) -> String {
        self.say(crate::i18n::Lang::En, exit_code, signal)
    }

    /// [`HostCause::text`] in `lang` (`cause-*` in
    /// `locales/*/report-sections.ftl`): the report, `status` and the
    /// terminal say it the same way.
    pub fn say(
        self,
        lang: crate::i18n::Lang,
        exit_code: Option<i32>,
        signal: Option<&str>,
    ) -> String {
        match self {
            HostCause::Exit => match exit_code {
                Some(c) => lang.tr_args("cause-exit", &[("code", c.to_string().into())]),
                None => lang.tr("cause-exit-unknown"),
            },
            HostCause::Signal => {
                let signal = signal.map_or_else(|| lang.tr("cause-a-signal"), str::to_string);
                lang.tr_args("cause-signal", &[("signal", signal.into())])
            }
            other => {
                let name = serde_json::to_value(other)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                lang.tr(&format!("cause-{name}"))
            }
        }
    }
}

/// How far a success criterion was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    /// Fully met.
    Met,
    /// Partly met.
    PartlyMet,
    /// Not met.
    NotMet,
}

impl std::fmt::Display for Assessment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Assessment::Met => "met",
            Assessment::PartlyMet => "partly met",
            Assessment::NotMet => "not met",
        })
    }
}

impl std::str::FromStr for Assessment {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', ' '], "_")
            .as_str()
        {
            "met" | "atteint" => Ok(Assessment::Met),
            "partly_met" | "partly" | "partial" | "partiellement_atteint" | "partiel" => {
                Ok(Assessment::PartlyMet)
            }
            "not_met" | "missed" | "non_atteint" => Ok(Assessment::NotMet),
            other => Err(format!(
                "`{other}` is not an assessment: write met, partly_met or not_met"
            )),
        }
    }
}

/// What a command prints, at the start of a line, to record the restore
/// point it brought back: `REPRISE_RESTORE_POINT=2026-12-05T23:00:00+01:00`.
pub const RESTORE_POINT_VAR: &str = "REPRISE_RESTORE_POINT=";

/// Reads a restore point as printed or typed: RFC 3339 with an offset or
/// `Z` (`2026-12-05T23:00:00+01:00`).
pub fn parse_restore_point(text: &str) -> Result<Timestamp, String> {
    let text = text.trim();
    text.parse::<Timestamp>().map_err(|_| {
        format!(
            "`{text}` is not a restore point: write a date and time with its offset, like \
                 2026-12-05T23:00:00+01:00"
        )
    })
}
