//! The restore point typed at the prompt for a manual step that
//! `records: restore_point`: asked when the step is recorded done, read as
//! an operator writes it, checked, and handed to the engine with its offset
//! so that the journal says which moment was meant.
//!
//! Accepted: RFC 3339 with an offset or `Z` (`2026-12-05T23:00:00+01:00`),
//! or a date and time without one (`2026-12-05 23:00`, `2026-12-05T23:00:00`),
//! read in the terminal's time zone (the one the operator's clock shows)
//! and echoed back with its offset. Refused: anything else, and a moment
//! after now (data cannot come from the future: a typo in the date).

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// What the operator types to record the step done without a restore
/// point (nobody can tell yet): recorded as a note instead.
pub const UNKNOWN: &str = "unknown";

/// The question shown at the prompt.
pub fn question(number: u32) -> String {
    format!(
        "restore point of #{number}: the date and time its data dates from \
         (2026-12-05 23:00, or with an offset; `{UNKNOWN}`; Enter to cancel) "
    )
}

/// Reads a typed restore point: the text to hand to the engine (RFC 3339
/// with the offset), or what is wrong with it.
pub fn read(typed: &str, now: Timestamp, zone: &TimeZone) -> Result<String, String> {
    let typed = typed.trim();
    let point = match typed.parse::<Timestamp>() {
        Ok(t) => t.to_zoned_datetime(zone.clone()),
        Err(_) => {
            let civil = typed
                .replacen(' ', "T", 1)
                .parse::<DateTime>()
                .map_err(|_| {
                    format!(
                        "`{typed}` is not a restore point: write its date and time, like \
                         2026-12-05 23:00 (this terminal's time zone) or \
                         2026-12-05T23:00:00+01:00"
                    )
                })?;
            civil
                .to_zoned_datetime(zone.clone())
                .map_err(|e| format!("`{typed}` is not a time in this terminal's time zone: {e}"))?
        }
    };
    if point.timestamp() > now {
        return Err(format!(
            "`{typed}` is later than now ({}): a restore point is when the restored data \
             dates from, so it is in the past; check the date",
            now.to_zoned_datetime(zone.clone())
                .strftime("%Y-%m-%d %H:%M:%S %:z")
        ));
    }
    Ok(point.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris() -> TimeZone {
        TimeZone::get("Europe/Paris").unwrap()
    }

    fn now() -> Timestamp {
        "2026-12-06T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn an_offset_is_kept_and_a_local_time_gets_the_terminals() {
        assert_eq!(
            read("2026-12-05T23:00:00+01:00", now(), &paris()),
            Ok("2026-12-05T23:00:00+01:00".into())
        );
        assert_eq!(
            read("2026-12-05T22:00:00Z", now(), &paris()),
            Ok("2026-12-05T23:00:00+01:00".into())
        );
        assert_eq!(
            read(" 2026-12-05 23:00 ", now(), &paris()),
            Ok("2026-12-05T23:00:00+01:00".into())
        );
        assert_eq!(
            read("2026-07-05T23:00:10", now(), &paris()),
            Ok("2026-07-05T23:00:10+02:00".into()),
            "summer time"
        );
    }

    /// At the prompt: `done` on a step that records a restore point asks
    /// for it, asks again after a wrong one, and sends it before the
    /// outcome; `unknown` records the step done with a note; Enter cancels.
    #[test]
    fn done_asks_for_the_restore_point_before_recording_the_step() {
        use crate::exec::{OperatorInput, Question};
        use crate::runbook::{Record, StepIndex};
        use crate::terminal::prompt::{PROMPT, Session};
        let mut rb = crate::terminal::test_runbook();
        rb.steps[1].records = vec![Record::RestorePoint];
        let mut s = Session::new(&rb, &"alice".into());
        let step = StepIndex(1);
        s.ask(&Question::Manual { step });
        let r = s.line("done 2");
        assert!(r.inputs.is_empty(), "{r:?}");
        assert_eq!(s.prompt(), question(2));
        let r = s.line("last night");
        assert!(r.inputs.is_empty());
        assert!(
            r.text[0].contains("`last night` is not a restore point"),
            "{r:?}"
        );
        assert_eq!(s.prompt(), question(2), "asked again");
        let r = s.line("2026-12-05T22:00:00Z");
        match &r.inputs[..] {
            [
                OperatorInput::RestorePoint { step: a, point, by },
                OperatorInput::Record {
                    step: b,
                    outcome: crate::event::Outcome::Done,
                    ..
                },
            ] => {
                assert_eq!((*a, *b), (step, step));
                assert_eq!(by.name, "alice");
                let t: Timestamp = point.parse().unwrap();
                assert_eq!(t, "2026-12-05T22:00:00Z".parse::<Timestamp>().unwrap());
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(s.prompt(), PROMPT);

        // Given at once, unknown, cancelled.
        s.ask(&Question::Manual { step });
        let r = s.line("done 2 2026-12-05T22:00:00Z");
        assert!(
            matches!(
                &r.inputs[..],
                [
                    OperatorInput::RestorePoint { .. },
                    OperatorInput::Record { reason: None, .. }
                ]
            ),
            "{r:?}"
        );
        s.ask(&Question::Manual { step });
        s.line("done 2");
        let r = s.line("UNKNOWN");
        assert!(
            matches!(&r.inputs[..], [OperatorInput::Note { text, .. }, OperatorInput::Record { .. }] if text.starts_with("no restore point recorded")),
            "{r:?}"
        );
        s.ask(&Question::Manual { step });
        s.line("done 2");
        let r = s.line("");
        assert!(r.inputs.is_empty());
        assert_eq!(r.text, ["cancelled: nothing recorded"]);
        assert_eq!(s.prompt(), PROMPT);
        // A step that records nothing is done at once.
        s.ask(&Question::Manual { step: StepIndex(0) });
        let r = s.line("done 1");
        assert!(
            matches!(&r.inputs[..], [OperatorInput::Record { .. }]),
            "{r:?}"
        );
    }

    #[test]
    fn words_and_future_times_are_refused() {
        let e = read("yesterday", now(), &paris()).unwrap_err();
        assert!(e.contains("`yesterday` is not a restore point"), "{e}");
        let e = read("2026-12-06 12:00", now(), &paris()).unwrap_err();
        assert!(
            e.contains("is later than now (2026-12-06 11:00:00 +01:00)"),
            "{e}"
        );
        let e = read("2026-13-01 12:00", now(), &paris()).unwrap_err();
        assert!(e.contains("is not a restore point"), "{e}");
    }
}
