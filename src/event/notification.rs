//! What an alert was about, shared by its two records.

use serde::{Deserialize, Serialize};

use crate::runbook::StepId;

/// What an alert was about and where it went: the fields
/// `notification_sent` and `notification_failed` share, flattened into
/// both (their journal lines are the same as when each spelled them out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationAbout {
    /// What it was about (`step_waiting`, `step_failed`…).
    pub kind: String,
    /// The target's name.
    pub target: String,
    /// The step it was about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<StepId>,
    /// The service it was about (`rto_at_risk` of one service of
    /// `objectives.services`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
}

#[cfg(test)]
mod tests {
    use crate::event::{Event, Stamped};

    #[test]
    fn notification_lines_of_an_old_journal_read_and_write_back_unchanged() {
        // Written before the shared fields became `NotificationAbout`.
        let lines = [
            r#"{"time":"2026-11-29T08:00:10.000Z","event":"notification_sent","kind":"step_failed","target":"pager","step":"db","attempt":1}"#,
            r#"{"time":"2026-11-29T08:00:11.000Z","event":"notification_failed","kind":"rto_at_risk","target":"chat","service":"dpi","attempt":2,"error":"exit 7: refused","last":true}"#,
            r#"{"time":"2026-11-29T08:00:12.000Z","event":"notification_sent","kind":"run_finished","target":"chat","attempt":1}"#,
        ];
        for line in lines {
            let read: Stamped = serde_json::from_str(line).unwrap();
            assert_eq!(serde_json::to_string(&read).unwrap(), line);
        }
        let read: Stamped = serde_json::from_str(lines[1]).unwrap();
        let Event::NotificationFailed { about, last, .. } = read.event else {
            panic!("{read:?}");
        };
        assert_eq!(about.service.as_deref(), Some("dpi"));
        assert_eq!(about.kind, "rto_at_risk");
        assert!(last);
    }
}
