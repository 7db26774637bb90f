//! Who made a record: the declared name, and what the OS says about it.
//!
//! An operator declares a name (`--operator`, `--as`, default the login);
//! that name is what the journal's `by` says. The OS account that made the
//! record is taken from the OS itself — `getuid` for the process at the
//! terminal, the socket's peer credentials (`SO_PEERCRED`) for an attached
//! client — never from what a client claims. Where the operator came from
//! is the client's `SSH_CONNECTION` when it has one. Both are recorded
//! beside `by` as the optional journal fields `account` and `from`
//! (see `docs/journal.md`, "Who made a record").

use serde::{Deserialize, Serialize};

/// What the OS says about who made a record: flattened into journal
/// records as the optional fields `account` and `from`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Origin {
    /// The OS account (user name, or the numeric uid when the user
    /// database has no entry for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Where the operator came from: the client address of its
    /// `SSH_CONNECTION`, when it came over SSH.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// When the record was typed in from a paper checklist (`reprise
    /// transcribe`); the record's own `time` is the one on the sheet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcribed_at: Option<jiff::Timestamp>,
    /// The step's role, when a coordinator (`roles:`) recorded, decided or
    /// approved a step of a role it is not a member of: "recorded by coord1
    /// for role storage". Set by the engine, never by a client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_role: Option<String>,
    /// Made from a terminal attached as an observer (`reprise attach
    /// --observer`): its notes are observations for the debrief, listed
    /// apart in the report. Set by the drill for that connection, never
    /// read from a record's other fields.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub observer: bool,
}

impl Origin {
    /// True when nothing is known (records made by the engine itself).
    pub fn is_empty(&self) -> bool {
        self.account.is_none() && self.from.is_none() && self.for_role.is_none() && !self.observer
    }

    /// The origin of this process: its real uid's account and its own
    /// `SSH_CONNECTION`.
    pub fn this_process() -> Self {
        Origin {
            account: Some(account_name(nix::unistd::getuid().as_raw())),
            from: std::env::var("SSH_CONNECTION")
                .ok()
                .and_then(|c| ssh_client(&c)),
            transcribed_at: None,
            for_role: None,
            observer: false,
        }
    }

    /// The origin of a peer whose uid the kernel gave (`SO_PEERCRED`), and
    /// the `SSH_CONNECTION` it reported (only an address: it says where, the
    /// account says who).
    pub fn peer(uid: u32, ssh_connection: Option<&str>) -> Self {
        Origin {
            account: Some(account_name(uid)),
            from: ssh_connection.and_then(ssh_client),
            transcribed_at: None,
            for_role: None,
            observer: false,
        }
    }

    /// `alice@10.0.0.7`, `alice`, or empty: for terminal lines.
    pub fn describe(&self) -> String {
        match (&self.account, &self.from) {
            (Some(a), Some(f)) => format!("{a}@{f}"),
            (Some(a), None) => a.clone(),
            (None, Some(f)) => format!("@{f}"),
            (None, None) => String::new(),
        }
    }
}

/// An operator: the declared name and where the OS says it comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Identity {
    /// The declared name (`by` in the journal).
    pub name: String,
    /// The OS account and origin.
    pub origin: Origin,
}

impl Identity {
    /// `name`, at this process's terminal (account from `getuid`, origin
    /// from this process's `SSH_CONNECTION`).
    pub fn local(name: impl Into<String>) -> Self {
        Identity {
            name: name.into(),
            origin: Origin::this_process(),
        }
    }

    /// A name with nothing known about its origin (the engine's own
    /// records, tests).
    pub fn named(name: impl Into<String>) -> Self {
        Identity {
            name: name.into(),
            origin: Origin::default(),
        }
    }

    /// `name` with `origin`.
    pub fn new(name: impl Into<String>, origin: Origin) -> Self {
        Identity {
            name: name.into(),
            origin,
        }
    }
}

impl From<&str> for Identity {
    fn from(name: &str) -> Self {
        Identity::named(name)
    }
}

impl From<String> for Identity {
    fn from(name: String) -> Self {
        Identity::named(name)
    }
}

/// `alice`, or `alice (account root@10.0.0.7)` when the OS says more.
impl std::fmt::Display for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)?;
        match (self.origin.is_empty(), self.origin.observer) {
            (true, _) => {}
            (false, false) => write!(f, " (account {})", self.origin.describe())?,
            (false, true) => write!(f, " (account {}, observer)", self.origin.describe())?,
        }
        Ok(())
    }
}

/// The user name of `uid`, or the number when the user database has none.
pub fn account_name(uid: u32) -> String {
    match nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid)) {
        Ok(Some(user)) => user.name,
        _ => uid.to_string(),
    }
}

/// The client address of an `SSH_CONNECTION` value (`client port server
/// port`), when it looks like one.
fn ssh_client(value: &str) -> Option<String> {
    let mut words = value.split_ascii_whitespace();
    let client = words.next()?;
    let port = words.next()?;
    let plausible = client.len() <= 64
        && client
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '%' | '-' | '_'))
        && port.parse::<u16>().is_ok();
    plausible.then(|| client.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_connection_gives_the_client_address_only() {
        assert_eq!(
            ssh_client("10.0.0.7 52311 10.0.0.1 22").as_deref(),
            Some("10.0.0.7")
        );
        assert_eq!(
            ssh_client("fe80::1%eth0 4000 fe80::2 22").as_deref(),
            Some("fe80::1%eth0")
        );
        assert_eq!(ssh_client("nonsense"), None);
        assert_eq!(ssh_client("\u{1b}[31m 22 x 22"), None);
    }

    #[test]
    fn the_account_of_root_is_named_and_an_unknown_uid_is_a_number() {
        assert_eq!(account_name(0), "root");
        assert_eq!(account_name(4_000_000_000), "4000000000");
    }

    #[test]
    fn origin_serialises_only_what_is_known() {
        let o = Origin {
            account: Some("alice".into()),
            ..Origin::default()
        };
        assert_eq!(serde_json::to_string(&o).unwrap(), r#"{"account":"alice"}"#);
        assert_eq!(serde_json::to_string(&Origin::default()).unwrap(), "{}");
    }
}
