//! One entry of the `notify:` table (where alerts go and what about), as the
//! runbook holds it. Deciding and sending alerts is [`crate::notify`]'s job.

use super::{Command, Duration};

/// What a target can be told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A manual step or a confirmation opens (or is still unanswered
    /// after the target's `after`).
    StepWaiting,
    /// A step runs or stays open past its estimate times `factor`.
    StepOverrun,
    /// The forecast end of the recovery (what is left of the plan, from
    /// now) passes the RTO; or, with `rto_share`, that share of the RTO is
    /// used and the drill is not over.
    RtoAtRisk,
    /// A step failed.
    StepFailed,
    /// Someone held the drill.
    RunHeld,
    /// The drill ended.
    RunFinished,
    /// `reprise notify-test`.
    Test,
}

impl Kind {
    /// Every kind a runbook may name, with its name.
    pub const NAMED: [(&'static str, Kind); 6] = [
        ("step_waiting", Kind::StepWaiting),
        ("step_overrun", Kind::StepOverrun),
        ("rto_at_risk", Kind::RtoAtRisk),
        ("step_failed", Kind::StepFailed),
        ("run_held", Kind::RunHeld),
        ("run_finished", Kind::RunFinished),
    ];

    /// The name written in runbooks, the journal and `REPRISE_EVENT`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Test => "test",
            k => Kind::NAMED
                .iter()
                .find(|(_, x)| *x == k)
                .map_or("test", |(n, _)| n),
        }
    }

    /// Reads a name.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::NAMED.iter().find(|(n, _)| *n == s).map(|(_, k)| *k)
    }
}

/// A ratio written as a number (`1.5`, `0.8`), kept in hundredths so that
/// runbooks compare exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio(pub u32);

impl Ratio {
    /// As a number.
    pub fn get(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

/// Where alerts go: one entry of `notify:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// A name for the journal and messages (`name:`, default `notify-N`).
    pub name: String,
    /// What it is told about.
    pub on: Vec<Kind>,
    /// Only alerts about steps of these roles (drill-wide alerts always
    /// go); empty: every role.
    pub roles: Vec<String>,
    /// The command.
    pub command: Command,
    /// For `step_waiting`: tell only when the step is still unanswered
    /// after this long (none: at once).
    pub after: Option<Duration>,
    /// For `step_overrun`: how far past the estimate (1.5 = 50% over).
    pub factor: Ratio,
    /// For `rto_at_risk`: also tell when this share of the RTO is used
    /// (0.8 = 80%), whatever the forecast.
    pub rto_share: Option<Ratio>,
    /// How long one attempt may take.
    pub timeout: Duration,
    /// Attempts after the first, with back-off.
    pub retries: u32,
}

impl Target {
    /// A target with the defaults for everything but its command.
    pub fn new(name: impl Into<String>, on: Vec<Kind>, command: Command) -> Target {
        Target {
            name: name.into(),
            on,
            roles: Vec::new(),
            command,
            after: None,
            factor: Ratio(150),
            rto_share: None,
            timeout: Duration::from_secs(30),
            retries: 3,
        }
    }
}
