//! Reading a sheet: times as written by hand, outcomes, and the YAML file
//! of `reprise transcribe --from` (format in `docs/paper.md`).

use std::fmt;

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use serde_saphyr::Spanned;

use super::{Entry, Problem};
use crate::diagnostic::suggest;
use crate::event::{Outcome, PlannedStep};
use crate::i18n::Lang;
use crate::runbook::StepId;

/// Reads a time written on a sheet: `14h05`, `14:05`, `14h`, `14:05:30`
/// on `date` in `zone`; or a full date and time (`2026-12-06 14:05`,
/// `2026-12-06T14:05:00`, with or without an offset or `Z`), for a drill
/// over midnight. What cannot be read is said in `lang`.
pub fn parse_time(
    text: &str,
    date: Option<Date>,
    zone: &TimeZone,
    lang: Lang,
) -> Result<Timestamp, String> {
    let t = text.trim();
    if let Ok(ts) = t.parse::<Timestamp>() {
        return Ok(ts);
    }
    let civil = t.replacen(' ', "T", 1);
    if let Ok(dt) = civil.parse::<jiff::civil::DateTime>() {
        return dt
            .to_zoned_datetime(zone.clone())
            .map(|z| z.timestamp())
            .map_err(|e| format!("`{t}`: {e}"));
    }
    let time = clock(t).ok_or_else(|| said(lang, "paper-not-a-time", t))?;
    let date = date.ok_or_else(|| said(lang, "paper-no-date", t))?;
    date.to_datetime(time)
        .to_zoned_datetime(zone.clone())
        .map(|z| z.timestamp())
        .map_err(|e| format!("`{t}`: {e}"))
}

/// `14h05`, `14H05`, `14h`, `14:05`, `14:05:30`, `9:05`.
fn clock(t: &str) -> Option<Time> {
    let (h, rest) = t.split_once([':', 'h', 'H']).unwrap_or((t, ""));
    let (m, s) = match rest.split_once(':') {
        Some((m, s)) => (m, Some(s)),
        None => (rest, None),
    };
    let num = |x: &str| -> Option<i8> {
        (!x.is_empty() && x.len() <= 2 && x.bytes().all(|b| b.is_ascii_digit()))
            .then(|| x.parse().ok())
            .flatten()
    };
    if t == h {
        return None; // a bare number is not a time
    }
    let hour = num(h)?;
    let minute = if m.is_empty() && s.is_none() {
        0
    } else {
        num(m)?
    };
    let second = match s {
        Some(s) => num(s)?,
        None => 0,
    };
    Time::new(hour, minute, second, 0).ok()
}

/// A restore point as the journal keeps it (`written`): as written when
/// it had its offset, else the time read in `zone` with the offset it had.
pub fn written_point(text: &str, point: Timestamp, zone: &TimeZone) -> String {
    let text = text.trim();
    if text.parse::<Timestamp>().is_ok() {
        return text.to_string();
    }
    point
        .to_zoned_datetime(zone.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Reads a date: `2026-12-06`.
pub fn parse_date(text: &str, lang: Lang) -> Result<Date, String> {
    text.trim()
        .parse::<Date>()
        .map_err(|_| said(lang, "paper-not-a-date", text.trim()))
}

/// The message `id` about the `text` written, in `lang`.
fn said(lang: Lang, id: &str, text: &str) -> String {
    lang.tr_args(
        id,
        &[(
            "text",
            fluent_templates::fluent_bundle::FluentValue::from(text.to_string()),
        )],
    )
}

/// Reads an outcome as ticked: `done`, `failed`, `skipped`, `n.a.`, or
/// as a French sheet prints them: `fait`, `échec`, `sautée`, `s.o.`.
pub fn parse_outcome(text: &str, lang: Lang) -> Result<Outcome, String> {
    match text.trim().to_lowercase().as_str() {
        "done" | "fait" | "faite" => Ok(Outcome::Done),
        "failed" | "échec" | "echec" | "échouée" | "echouee" => Ok(Outcome::Failed),
        "skipped" | "skip" | "sautée" | "sautee" | "sauté" | "saute" => Ok(Outcome::Skipped),
        "n.a." | "n.a" | "na" | "n/a" | "not_applicable" | "s.o." | "s.o" | "so" | "sans objet" => {
            Ok(Outcome::NotApplicable)
        }
        other => Err(said(lang, "paper-not-an-outcome", other)),
    }
}

/// The step a sheet names, by id or by number (`4`, `#4`).
/// What cannot be found is said in `lang`.
pub fn find_step(steps: &[PlannedStep], key: &str, lang: Lang) -> Result<StepId, String> {
    let key = key.trim();
    if let Some(s) = steps.iter().find(|s| s.id.as_str() == key) {
        return Ok(s.id.clone());
    }
    let digits = key.strip_prefix('#').unwrap_or(key);
    if let Ok(n) = digits.parse::<usize>() {
        return match steps.get(n.wrapping_sub(1)) {
            Some(s) => Ok(s.id.clone()),
            None => Err(super::words(
                lang,
                "paper-no-step-number",
                &[("n", n.to_string()), ("count", steps.len().to_string())],
            )),
        };
    }
    let hint = suggest(key, steps.iter().map(|s| s.id.as_str()))
        .map(|s| super::words(lang, "paper-did-you-mean", &[("step", s.to_string())]))
        .unwrap_or_default();
    Err(super::words(
        lang,
        "paper-unknown-step",
        &[("key", key.to_string()), ("hint", hint)],
    ))
}

/// What the top of a sheet file gives besides its steps.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// `date:`.
    pub date: Option<Date>,
    /// `operator:`, who led the drill (for a journal started from paper).
    pub operator: Option<String>,
    /// The steps, in file order.
    pub entries: Vec<Entry>,
}

/// Reads a sheet file (`file` names it in messages) against the plan's
/// `steps`; times without a date are on the file's `date:`, in `zone`.
/// Every problem is returned, each located (a time, date or outcome that
/// cannot be read is said in `lang`).
pub fn parse(
    text: &str,
    file: &str,
    steps: &[PlannedStep],
    zone: &TimeZone,
    lang: Lang,
) -> Result<Sheet, Vec<Problem>> {
    let at = |line: u64, column: u64| format!("{file}:{line}:{column}");
    let raw: RawSheet = match serde_saphyr::from_str::<Option<RawSheet>>(text) {
        Ok(Some(r)) => r,
        Ok(None) => RawSheet::default(),
        Err(e) => {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            let message = e.to_string();
            return Err(vec![Problem {
                place: at(line, column),
                message: super::words(
                    lang,
                    "paper-cannot-read-sheet",
                    &[("why", message.lines().next().unwrap_or("").to_string())],
                ),
                hint: Some(lang.tr("paper-cannot-read-sheet-hint")),
            }]);
        }
    };
    let mut problems = Vec::new();
    let mut sheet = Sheet {
        operator: raw.operator,
        ..Sheet::default()
    };
    if let Some(d) = &raw.date {
        match parse_date(&d.value, lang) {
            Ok(date) => sheet.date = Some(date),
            Err(m) => problems.push(Problem {
                place: at(d.referenced.line(), d.referenced.column()),
                message: m,
                hint: None,
            }),
        }
    }
    for (key, value) in raw.steps.0 {
        let place = at(key.referenced.line(), key.referenced.column());
        let step = match find_step(steps, &key.value, lang) {
            Ok(s) => s,
            Err(m) => {
                problems.push(Problem {
                    place,
                    message: m,
                    hint: None,
                });
                continue;
            }
        };
        let v = value.value;
        let mut time = |t: &Option<Spanned<String>>| -> Option<Timestamp> {
            let t = t.as_ref()?;
            match parse_time(&t.value, sheet.date, zone, lang) {
                Ok(ts) => Some(ts),
                Err(m) => {
                    problems.push(Problem {
                        place: at(t.referenced.line(), t.referenced.column()),
                        message: m,
                        hint: (sheet.date.is_none()).then(|| lang.tr("paper-write-date-once")),
                    });
                    None
                }
            }
        };
        let start = time(&v.start);
        let end = time(&v.end);
        let point = time(&v.restore_point);
        let outcome = match parse_outcome(&v.outcome.value, lang) {
            Ok(o) => o,
            Err(m) => {
                problems.push(Problem {
                    place: at(v.outcome.referenced.line(), v.outcome.referenced.column()),
                    message: m,
                    hint: None,
                });
                continue;
            }
        };
        if (v.start.is_some() && start.is_none())
            || (v.end.is_some() && end.is_none())
            || (v.restore_point.is_some() && point.is_none())
        {
            continue;
        }
        let restore_point = v
            .restore_point
            .as_ref()
            .zip(point)
            .map(|(text, p)| (p, written_point(&text.value, p, zone)));
        sheet.entries.push(Entry {
            step,
            start,
            end,
            outcome,
            initials: v.initials.unwrap_or_else(|| "?".into()),
            restore_point,
            reason: v.reason.filter(|r| !r.trim().is_empty()),
            place,
        });
    }
    if problems.is_empty() {
        Ok(sheet)
    } else {
        Err(problems)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSheet {
    #[serde(default)]
    date: Option<Spanned<String>>,
    #[serde(default)]
    operator: Option<String>,
    #[serde(default)]
    steps: Steps,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    #[serde(default)]
    start: Option<Spanned<String>>,
    #[serde(default)]
    end: Option<Spanned<String>>,
    outcome: Spanned<String>,
    #[serde(default)]
    initials: Option<String>,
    #[serde(default)]
    restore_point: Option<Spanned<String>>,
    #[serde(default)]
    reason: Option<String>,
}

/// The `steps:` mapping, in file order, keys located.
#[derive(Debug, Default)]
struct Steps(Vec<(Spanned<String>, Spanned<RawEntry>)>);

impl<'de> Deserialize<'de> for Steps {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Steps;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of step ids (or numbers) to what the sheet says")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Steps, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    let v = map.next_value::<Spanned<RawEntry>>()?;
                    out.push((k, v));
                }
                Ok(Steps(out))
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn times_as_written_by_hand() {
        let date = Some(Date::new(2026, 12, 6).unwrap());
        let paris = TimeZone::get("Europe/Paris").unwrap();
        for (text, expected) in [
            ("14h05", "2026-12-06T13:05:00Z"),
            ("14H05", "2026-12-06T13:05:00Z"),
            ("14:05", "2026-12-06T13:05:00Z"),
            ("9:05", "2026-12-06T08:05:00Z"),
            ("14h", "2026-12-06T13:00:00Z"),
            ("14:05:30", "2026-12-06T13:05:30Z"),
            ("2026-12-07 01:10", "2026-12-07T00:10:00Z"),
            ("2026-12-07T01:10:00", "2026-12-07T00:10:00Z"),
            ("2026-12-07T01:10:00Z", "2026-12-07T01:10:00Z"),
            ("2026-12-07T01:10:00+02:00", "2026-12-06T23:10:00Z"),
        ] {
            assert_eq!(
                parse_time(text, date, &paris, Lang::En),
                Ok(utc(expected)),
                "{text}"
            );
        }
        for text in ["1405", "25:00", "14:60", "14h5x", "", "h05", "noon"] {
            assert!(parse_time(text, date, &paris, Lang::En).is_err(), "{text}");
        }
        let err = parse_time("14:05", None, &paris, Lang::En).unwrap_err();
        assert!(err.contains("no date"), "{err}");
        let err = parse_time("midi", None, &paris, Lang::Fr).unwrap_err();
        assert_eq!(
            err,
            "`midi` n'est pas une heure\u{a0}: écrivez-la comme `14:05`, `14h05` ou `2026-12-06 14:05`"
        );
        let err = parse_time("14:05", None, &paris, Lang::Fr).unwrap_err();
        assert!(err.contains("n'a pas de date"), "{err}");
        assert_eq!(
            parse_date("6 décembre", Lang::Fr).unwrap_err(),
            "`6 décembre` n'est pas une date\u{a0}: écrivez-la comme `2026-12-06`"
        );
        assert_eq!(
            parse_date("Dec 6", Lang::En).unwrap_err(),
            "`Dec 6` is not a date: write it like `2026-12-06`"
        );
    }

    #[test]
    fn outcomes_and_steps_by_id_or_number() {
        assert_eq!(parse_outcome("n.a.", Lang::En), Ok(Outcome::NotApplicable));
        assert_eq!(parse_outcome("Done", Lang::En), Ok(Outcome::Done));
        // A French sheet's boxes.
        assert_eq!(parse_outcome("Fait", Lang::En), Ok(Outcome::Done));
        assert_eq!(parse_outcome("ÉCHEC", Lang::En), Ok(Outcome::Failed));
        assert_eq!(parse_outcome("sautée", Lang::En), Ok(Outcome::Skipped));
        assert_eq!(parse_outcome("s.o.", Lang::En), Ok(Outcome::NotApplicable));
        assert!(parse_outcome("ok", Lang::En).is_err());
        assert!(
            parse_outcome("ok", Lang::Fr)
                .unwrap_err()
                .starts_with("`ok` n'est pas une issue\u{a0}: écrivez fait, échec, sautée ou s.o.")
        );
        let crate::event::Event::RunStarted { steps, .. } =
            crate::journal::fixtures::started(3).event
        else {
            unreachable!()
        };
        assert_eq!(find_step(&steps, "2", Lang::En).unwrap(), steps[1].id);
        assert_eq!(find_step(&steps, "#3", Lang::En).unwrap(), steps[2].id);
        assert_eq!(
            find_step(&steps, steps[0].id.as_str(), Lang::En).unwrap(),
            steps[0].id
        );
        assert!(
            find_step(&steps, "4", Lang::En)
                .unwrap_err()
                .contains("1 to 3")
        );
        assert!(find_step(&steps, "0", Lang::En).is_err());
    }
}
