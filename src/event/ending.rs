//! How a command attempt, or its run on one host, ended: the one type that
//! `attempt_finished`, `host_finished`, the timeline and the engine's exits
//! share, and the one place that says it in words.

use serde::{Deserialize, Serialize};

/// How a command attempt (or its run on one host) ended.
///
/// Flattened into `attempt_finished` and `host_finished`: its fields are
/// theirs on the wire (`exit_code`, `signal`, `timed_out`, `error`), each
/// left out when absent, so the journal's lines are the same as before this
/// type existed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Ending {
    /// Exit code, when the process exited (255 from `ssh` itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    /// Signal name, when the process was killed by one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<String>,
    /// The attempt hit the step's timeout.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub timed_out: bool,
    /// Could not be started at all (e.g. program not found).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One thing that can be said about an ending; renderers turn it into
/// words of their language ([`EndingPart::en`] for English).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndingPart<'a> {
    /// It could not be started: why.
    CouldNotStart(&'a str),
    /// It hit the step's timeout.
    TimedOut,
    /// It was killed by this signal.
    Killed(&'a str),
    /// It exited with this code.
    Exit(i32),
    /// Nothing was recorded about how it ended.
    NoStatus,
}

impl Ending {
    /// Ended with exit code `code`.
    pub fn exited(code: i32) -> Ending {
        Ending {
            exit_code: Some(code),
            ..Ending::default()
        }
    }

    /// Could not be started, for this reason.
    pub fn unstarted(error: impl Into<String>) -> Ending {
        Ending {
            error: Some(error.into()),
            ..Ending::default()
        }
    }

    /// Whether it succeeded: exit code 0, no signal, no timeout, started.
    pub fn success(&self) -> bool {
        self.exit_code == Some(0)
            && self.signal.is_none()
            && !self.timed_out
            && self.error.is_none()
    }

    /// The one part that says why it ended: that it could not start, then
    /// the timeout (the signal that followed is the timeout's), the
    /// signal, the exit code.
    pub fn summary(&self) -> EndingPart<'_> {
        if let Some(e) = &self.error {
            EndingPart::CouldNotStart(e)
        } else if self.timed_out {
            EndingPart::TimedOut
        } else if let Some(s) = &self.signal {
            EndingPart::Killed(s)
        } else if let Some(c) = self.exit_code {
            EndingPart::Exit(c)
        } else {
            EndingPart::NoStatus
        }
    }

    /// Everything recorded, in the order the reports say it: the timeout,
    /// the signal, the exit code, why it could not start. Empty when
    /// nothing was recorded.
    pub fn parts(&self) -> Vec<EndingPart<'_>> {
        let mut parts = Vec::new();
        if self.timed_out {
            parts.push(EndingPart::TimedOut);
        }
        if let Some(s) = &self.signal {
            parts.push(EndingPart::Killed(s));
        }
        if let Some(c) = self.exit_code {
            parts.push(EndingPart::Exit(c));
        }
        if let Some(e) = &self.error {
            parts.push(EndingPart::CouldNotStart(e));
        }
        parts
    }

    /// [`Ending::summary`] in English: `exit 3`, `timed out`, `killed by
    /// SIGKILL`, `could not start: …`, `failed`.
    pub fn words(&self) -> String {
        self.summary().en()
    }
}

impl EndingPart<'_> {
    /// In English.
    pub fn en(self) -> String {
        match self {
            EndingPart::CouldNotStart(e) => format!("could not start: {e}"),
            EndingPart::TimedOut => "timed out".into(),
            EndingPart::Killed(s) => format!("killed by {s}"),
            EndingPart::Exit(c) => format!("exit {c}"),
            EndingPart::NoStatus => "failed".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timed_out() -> Ending {
        Ending {
            signal: Some("SIGTERM".into()),
            timed_out: true,
            ..Ending::default()
        }
    }

    #[test]
    fn the_summary_says_why_first() {
        assert_eq!(Ending::exited(3).words(), "exit 3");
        assert_eq!(timed_out().words(), "timed out");
        let killed = Ending {
            signal: Some("SIGKILL".into()),
            ..Ending::default()
        };
        assert_eq!(killed.words(), "killed by SIGKILL");
        let unstarted = Ending {
            error: Some("`x` not found".into()),
            ..Ending::default()
        };
        assert_eq!(unstarted.words(), "could not start: `x` not found");
        assert_eq!(Ending::default().words(), "failed");
    }

    #[test]
    fn parts_list_everything_recorded_in_order() {
        assert_eq!(
            timed_out().parts(),
            vec![EndingPart::TimedOut, EndingPart::Killed("SIGTERM")]
        );
        assert!(Ending::default().parts().is_empty());
    }

    #[test]
    fn only_a_clean_exit_zero_is_a_success() {
        assert!(Ending::exited(0).success());
        assert!(!Ending::exited(1).success());
        assert!(!Ending::default().success());
        let zero_but_timed_out = Ending {
            timed_out: true,
            ..Ending::exited(0)
        };
        assert!(!zero_but_timed_out.success());
    }

    #[test]
    fn on_the_wire_its_fields_are_the_records_own() {
        let json = serde_json::to_string(&timed_out()).unwrap();
        assert_eq!(json, r#"{"signal":"SIGTERM","timed_out":true}"#);
        assert_eq!(
            serde_json::to_string(&Ending::exited(0)).unwrap(),
            r#"{"exit_code":0}"#
        );
    }
}
