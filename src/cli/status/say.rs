//! How `status` words things in the drill's language: its messages
//! (`locales/<lang>/status.ftl`), durations (`10m` in English, « 10 min »
//! in French), times (UTC in English, as `status` always showed them; the
//! local time zone, named, in French, as the report shows them) and the
//! names of outcomes, results, modes and decisions.

use std::time::Duration as StdDuration;

use fluent_templates::fluent_bundle::FluentValue;
use jiff::Timestamp;

use crate::event::{Decision, Ending, EndingPart, HostCause, Outcome, RunResult};
use crate::i18n::Lang;
use crate::report::{Zone, duration_in};
use crate::runbook::{Duration, Mode};

/// The language and clock of one `status` view.
#[derive(Debug, Clone)]
pub struct Say {
    /// The language of every fixed text.
    pub lang: Lang,
    /// Where times are shown: `None` for UTC with a `Z` (English).
    zone: Option<Zone>,
}

impl Default for Say {
    fn default() -> Self {
        Say::new(Lang::En, None)
    }
}

impl Say {
    /// `lang`, with times in `zone` (`None`: UTC, marked `Z`).
    pub fn new(lang: Lang, zone: Option<Zone>) -> Say {
        Say { lang, zone }
    }

    /// The words for `lang` as `status` shows them on this machine:
    /// English in UTC as always; other languages in the local time zone
    /// (`TZ`), as the report does.
    pub fn local(lang: Lang) -> Say {
        match lang {
            Lang::En => Say::new(lang, None),
            _ => Say::new(lang, Some(Zone::system())),
        }
    }

    /// The message `id`.
    pub fn tr(&self, id: &str) -> String {
        self.lang.tr(id)
    }

    /// The message `id` with its arguments (all text).
    pub fn tr_args(&self, id: &str, args: &[(&'static str, String)]) -> String {
        let args: Vec<(&'static str, FluentValue<'static>)> = args
            .iter()
            .map(|(k, v)| (*k, FluentValue::from(v.clone())))
            .collect();
        self.lang.tr_args(id, &args)
    }

    /// The message `id` with a count `count` (for plurals) and text
    /// arguments.
    pub fn tr_count(&self, id: &str, count: usize, args: &[(&'static str, String)]) -> String {
        let mut all: Vec<(&'static str, FluentValue<'static>)> =
            vec![("count", FluentValue::from(count))];
        all.extend(args.iter().map(|(k, v)| (*k, FluentValue::from(v.clone()))));
        self.lang.tr_args(id, &all)
    }

    /// A length of time: `1h12m` in English, « 1 h 12 min » in French.
    pub fn dur(&self, d: StdDuration) -> String {
        duration_in(self.lang, d.as_secs())
    }

    /// A duration of the runbook (an estimate, an RTO), in the same words.
    pub fn est(&self, d: Duration) -> String {
        duration_in(self.lang, d.to_std().as_secs())
    }

    /// A date and time: `2026-11-29 08:00:00Z`, or
    /// `2026-11-29 09:00:00 CET (UTC+01:00)` in the local zone.
    pub fn moment(&self, t: Timestamp) -> String {
        match &self.zone {
            None => t.strftime("%Y-%m-%d %H:%M:%SZ").to_string(),
            Some(z) => z.long(t),
        }
    }

    /// A time of day on the 24-hour clock: `08:00:00`.
    pub fn clock(&self, t: Timestamp) -> String {
        match &self.zone {
            None => t.strftime("%H:%M:%S").to_string(),
            Some(z) => z.clock(t),
        }
    }

    /// The zone times are shown in, when it is not UTC's `Z`.
    pub fn zone_name(&self) -> Option<&str> {
        self.zone.as_ref().map(|z| z.name.as_str())
    }

    /// A step's outcome: `done`, `fait`.
    pub fn outcome(&self, o: Outcome) -> String {
        self.tr(&format!("status-outcome-{o}"))
    }

    /// How a drill ended: `recovered`, `reprise réussie`.
    pub fn result(&self, r: RunResult) -> String {
        self.tr(&format!("status-result-{r}"))
    }

    /// Drill or incident.
    pub fn mode(&self, m: Mode) -> String {
        self.tr(&format!("status-mode-{m}"))
    }

    /// An operator's decision: `mark done`, `marquer fait`.
    pub fn decision(&self, d: Decision) -> String {
        let id = match d {
            Decision::Run => "run",
            Decision::Retry => "retry",
            Decision::RetryAll => "retry-all",
            Decision::MarkDone => "mark-done",
            Decision::MarkFailed => "mark-failed",
            Decision::Skip => "skip",
            Decision::Continue => "continue",
            Decision::Abort => "abort",
            Decision::Rollback => "rollback",
        };
        self.tr(&format!("status-decision-{id}"))
    }

    /// How an attempt (or its run on one host) ended: its
    /// [`Ending::summary`] in this language.
    pub fn ending(&self, ending: &Ending) -> String {
        match ending.summary() {
            EndingPart::CouldNotStart(e) => {
                self.tr_args("status-end-not-started", &[("error", e.to_string())])
            }
            EndingPart::TimedOut => self.tr("status-end-timed-out"),
            EndingPart::Killed(s) => {
                self.tr_args("status-end-signal", &[("signal", s.to_string())])
            }
            EndingPart::Exit(c) => self.tr_args("status-end-exit", &[("code", c.to_string())]),
            EndingPart::NoStatus => self.tr("status-cause-failed"),
        }
    }

    /// Why a host failed: [`HostCause::say`], the words the report and
    /// the terminal use.
    pub fn cause(&self, c: HostCause, exit_code: Option<i32>, signal: Option<&str>) -> String {
        c.say(self.lang, exit_code, signal)
    }
}

impl Say {
    /// A success criterion's assessment: `partly met`.
    pub fn verdict(&self, a: crate::event::Assessment) -> String {
        let id = match a {
            crate::event::Assessment::Met => "met",
            crate::event::Assessment::PartlyMet => "partly_met",
            crate::event::Assessment::NotMet => "not_met",
        };
        self.tr(&format!("status-verdict-{id}"))
    }
}
