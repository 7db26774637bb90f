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

use fluent_templates::fluent_bundle::FluentValue;
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use crate::i18n::Lang;

/// What the operator types to record the step done without a restore
/// point (nobody can tell yet): recorded as a note instead. Accepted in
/// every language, besides the language's own word (`inconnu`).
pub const UNKNOWN: &str = "unknown";

/// Whether `typed` says the restore point is not known.
pub fn is_unknown(typed: &str, lang: Lang) -> bool {
    let typed = typed.trim();
    typed.eq_ignore_ascii_case(UNKNOWN)
        || typed.to_lowercase() == lang.tr("restore-point-unknown").to_lowercase()
}

/// The question shown at the prompt, in the drill's language.
pub fn question(number: u32, lang: Lang) -> String {
    lang.tr_args(
        "restore-point-question",
        &[
            ("number", number.into()),
            (
                "unknown",
                FluentValue::from(lang.tr("restore-point-unknown")),
            ),
        ],
    ) + " "
}

/// Reads a typed restore point: the text to hand to the engine (RFC 3339
/// with the offset), or what is wrong with it (in `lang`).
pub fn read(typed: &str, now: Timestamp, zone: &TimeZone, lang: Lang) -> Result<String, String> {
    let typed = typed.trim();
    let say = |id: &str, more: &[(&'static str, String)]| {
        let mut args = vec![("typed", FluentValue::from(typed.to_string()))];
        args.extend(more.iter().map(|(k, v)| (*k, FluentValue::from(v.clone()))));
        lang.tr_args(id, &args)
    };
    let point = match typed.parse::<Timestamp>() {
        Ok(t) => t.to_zoned_datetime(zone.clone()),
        Err(_) => {
            let civil = typed
                .replacen(' ', "T", 1)
                .parse::<DateTime>()
                .map_err(|_| say("restore-point-not-a-point", &[]))?;
            civil
                .to_zoned_datetime(zone.clone())
                .map_err(|e| say("restore-point-not-in-zone", &[("error", e.to_string())]))?
        }
    };
    if point.timestamp() > now {
        let now = now
            .to_zoned_datetime(zone.clone())
            .strftime("%Y-%m-%d %H:%M:%S %:z")
            .to_string();
        return Err(say("restore-point-later-than-now", &[("now", now)]));
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
            read("2026-12-05T23:00:00+01:00", now(), &paris(), Lang::En),
            Ok("2026-12-05T23:00:00+01:00".into())
        );
        assert_eq!(
            read("2026-12-05T22:00:00Z", now(), &paris(), Lang::En),
            Ok("2026-12-05T23:00:00+01:00".into())
        );
        assert_eq!(
            read(" 2026-12-05 23:00 ", now(), &paris(), Lang::En),
            Ok("2026-12-05T23:00:00+01:00".into())
        );
        assert_eq!(
            read("2026-07-05T23:00:10", now(), &paris(), Lang::En),
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
        assert_eq!(s.prompt(), question(2, Lang::En));
        let r = s.line("last night");
        assert!(r.inputs.is_empty());
        assert!(
            r.text[0].contains("`last night` is not a restore point"),
            "{r:?}"
        );
        assert_eq!(s.prompt(), question(2, Lang::En), "asked again");
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
        let e = read("yesterday", now(), &paris(), Lang::En).unwrap_err();
        assert!(e.contains("`yesterday` is not a restore point"), "{e}");
        let e = read("2026-12-06 12:00", now(), &paris(), Lang::En).unwrap_err();
        assert!(
            e.contains("is later than now (2026-12-06 11:00:00 +01:00)"),
            "{e}"
        );
        let e = read("2026-13-01 12:00", now(), &paris(), Lang::En).unwrap_err();
        assert!(e.contains("is not a restore point"), "{e}");
    }

    #[test]
    fn a_french_drill_asks_and_refuses_in_french_and_takes_inconnu() {
        let fr = Lang::Fr;
        let q = question(2, fr);
        assert!(
            q.starts_with("point de restauration de #2\u{a0}: la date"),
            "{q:?}"
        );
        assert!(
            q.contains("`inconnu`\u{202f}; Entrée pour annuler"),
            "{q:?}"
        );
        assert!(!q.contains("restore point of"), "{q}");
        assert!(question(2, Lang::En).starts_with("restore point of #2: the date"));
        let e = read("hier soir", now(), &paris(), fr).unwrap_err();
        assert!(
            e.contains("`hier soir` n'est pas un point de restauration"),
            "{e}"
        );
        assert!(!e.contains("is not a restore point"), "{e}");
        let e = read("2026-12-06 12:00", now(), &paris(), fr).unwrap_err();
        assert!(
            e.contains("est postérieur à maintenant (2026-12-06 11:00:00 +01:00)"),
            "{e}"
        );
        assert!(!e.contains("later than now"), "{e}");
        assert_eq!(
            read("2026-12-05 23:00", now(), &paris(), fr),
            Ok("2026-12-05T23:00:00+01:00".into())
        );
        for word in ["unknown", "UNKNOWN", "inconnu", "Inconnu"] {
            assert!(is_unknown(word, fr), "{word}");
        }
        assert!(is_unknown("unknown", Lang::En));
        assert!(!is_unknown("inconnu", Lang::En));
        assert!(!is_unknown("hier", fr));
    }
}
