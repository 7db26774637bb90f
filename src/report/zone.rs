//! Times as the report shows them: in the drill's time zone, with the
//! offset, and durations in words.

use super::{Serialize, StdDuration, TimeZone, Timestamp};

/// A moment, in UTC and in the report's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Time {
    /// The instant.
    #[serde(skip)]
    pub at: Timestamp,
    /// RFC 3339 UTC with milliseconds, as in the journal.
    pub utc: String,
    /// RFC 9557 in the report's time zone:
    /// `2026-11-29T09:00:00.000+01:00[Europe/Paris]`.
    pub local: String,
}

/// RFC 3339 UTC with milliseconds, as in the journal.
pub fn utc_rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The report's time zone and how to show times in it.
#[derive(Debug, Clone)]
pub struct Zone {
    tz: TimeZone,
    /// IANA name; `TZ=<rule>` for a POSIX rule; `local time` when the
    /// system zone has no name.
    pub name: String,
}

impl Zone {
    /// The system time zone (honours `TZ`); an error says why it could not
    /// be determined (e.g. `TZ` names no known zone).
    pub fn try_system() -> Result<Self, String> {
        let tz = TimeZone::try_system().map_err(|e| e.to_string())?;
        let mut zone = Zone::new(tz);
        // A POSIX rule such as `TZ=CET-1` has no IANA name: show the rule.
        if zone.tz.iana_name().is_none()
            && let Some(rule) = std::env::var("TZ").ok().filter(|v| !v.is_empty())
        {
            zone.name = format!("TZ={rule}");
        }
        Ok(zone)
    }

    /// The system time zone, or UTC when it cannot be determined.
    pub fn system() -> Self {
        Zone::try_system().unwrap_or_else(|_| Zone::utc())
    }

    /// UTC.
    pub fn utc() -> Self {
        Zone {
            tz: TimeZone::UTC,
            name: "UTC".into(),
        }
    }

    /// A named zone (`Europe/Paris`, `UTC`).
    pub fn named(name: &str) -> Option<Self> {
        TimeZone::get(name).ok().map(Zone::new)
    }

    fn new(tz: TimeZone) -> Self {
        let name = tz.iana_name().unwrap_or("local time").to_string();
        Zone { tz, name }
    }

    /// `2026-11-29 09:00:00 CET (UTC+01:00)`.
    pub fn long(&self, t: Timestamp) -> String {
        let z = t.to_zoned_datetime(self.tz.clone());
        z.strftime("%Y-%m-%d %H:%M:%S %Z (UTC%:z)").to_string()
    }

    /// `09:00:00`.
    pub fn clock(&self, t: Timestamp) -> String {
        t.to_zoned_datetime(self.tz.clone())
            .strftime("%H:%M:%S")
            .to_string()
    }

    /// `09:00`, for chart ticks.
    pub fn hhmm(&self, t: Timestamp) -> String {
        t.to_zoned_datetime(self.tz.clone())
            .strftime("%H:%M")
            .to_string()
    }

    /// RFC 9557, e.g. `2026-11-29T09:00:00.000+01:00[Europe/Paris]`.
    pub fn rfc9557(&self, t: Timestamp) -> String {
        let z = t.to_zoned_datetime(self.tz.clone());
        match self.tz.iana_name() {
            Some(name) => format!("{}[{name}]", z.strftime("%Y-%m-%dT%H:%M:%S%.3f%:z")),
            None => z.strftime("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string(),
        }
    }

    /// UTC offset at `t`, e.g. `+01:00`.
    pub fn offset(&self, t: Timestamp) -> String {
        t.to_zoned_datetime(self.tz.clone())
            .strftime("%:z")
            .to_string()
    }
}

impl Zone {
    /// A moment in UTC and in this zone.
    pub fn time(&self, t: Timestamp) -> Time {
        Time {
            at: t,
            utc: utc_rfc3339(t),
            local: self.rfc9557(t),
        }
    }
}

/// A length of time for people, in the runbook's own notation (`45s`,
/// `12m5s`, `1h`), as the terminal, `status` and `plan` show it: one way
/// to write a duration everywhere.
pub fn human(d: StdDuration) -> String {
    crate::runbook::Duration::from_secs(d.as_secs()).to_string()
}
