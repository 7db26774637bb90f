//! Remote hosts: the `hosts:` table of a runbook, and the per-host limit on
//! steps running at once.
//!
//! A host is a name an author gives a machine (`db1`) and how to reach it
//! with the system's OpenSSH client. Nothing here runs `ssh`: building the
//! invocation is [`exec::remote`](crate::exec::remote)'s job. Names and
//! addresses are checked when the runbook is read so that none of them can
//! be taken by `ssh` for an option (`-oProxyCommand=…` as an address).

pub use crate::runbook::host::{DEFAULT_MAX_SESSIONS, Host};
use crate::runbook::{Runbook, StepIndex};

/// True when `s` can be used as a host name: letters, digits, `.`, `_`,
/// `-`, starting with a letter or digit (so never an `ssh` option, and
/// usable as a file name for the connection socket).
pub fn is_valid_host_name(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && s.len() <= 64
}

/// True when `s` can be handed to `ssh` as an address, a user or a jump
/// spec: not empty, no whitespace or control characters, and not starting
/// with `-` (which `ssh` would read as an option).
pub fn is_safe_ssh_word(s: &str) -> bool {
    !s.is_empty() && !s.starts_with('-') && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl Runbook {
    /// The host called `name`, if the runbook defines it.
    pub fn host(&self, name: &str) -> Option<&Host> {
        self.hosts.iter().find(|h| h.name.value == name)
    }

    /// Names of the hosts some step runs on, in the order of `hosts:`.
    pub fn hosts_used(&self) -> Vec<&Host> {
        self.hosts
            .iter()
            .filter(|h| {
                self.steps
                    .iter()
                    .any(|s| s.hosts.iter().any(|n| n.value == h.name.value))
            })
            .collect()
    }
}

impl crate::runbook::Step {
    /// Where the command runs, as `plan` and `--dry-run` show it
    /// (`on db1, db2`); `None` for a local step.
    pub fn on_hosts(&self) -> Option<String> {
        (!self.hosts.is_empty()).then(|| {
            let names: Vec<&str> = self.hosts.iter().map(|h| h.value.as_str()).collect();
            format!("on {}", names.join(", "))
        })
    }
}

/// How many steps run on each host, against each host's `max_parallel`.
///
/// The engine asks [`HostLoad::fits`] before starting a queued command and
/// reports every change of a step's running state; a runbook without limits
/// costs one branch per call.
#[derive(Debug, Clone, Default)]
pub struct HostLoad {
    /// Per host of the table: its limit and how many steps run on it now.
    limits: Vec<Option<u32>>,
    running: Vec<u32>,
    /// Per step: indices of its hosts in the table.
    step_hosts: Vec<Vec<usize>>,
    /// False when no host has a limit: everything fits.
    limited: bool,
}

impl HostLoad {
    /// Counters for `runbook`, all at zero.
    pub fn new(runbook: &Runbook) -> Self {
        let limits: Vec<Option<u32>> = runbook.hosts.iter().map(|h| h.max_parallel).collect();
        let limited = limits.iter().any(Option::is_some);
        let step_hosts = if limited {
            runbook
                .steps
                .iter()
                .map(|s| {
                    s.hosts
                        .iter()
                        .filter_map(|n| runbook.hosts.iter().position(|h| h.name.value == n.value))
                        .collect()
                })
                .collect()
        } else {
            Vec::new()
        };
        HostLoad {
            running: vec![0; limits.len()],
            limits,
            step_hosts,
            limited,
        }
    }

    /// Whether `step` may start now without exceeding a host's limit.
    pub fn fits(&self, step: StepIndex) -> bool {
        if !self.limited {
            return true;
        }
        self.step_hosts.get(step.get()).is_none_or(|hosts| {
            hosts
                .iter()
                .all(|&h| self.limits[h].is_none_or(|limit| self.running[h] < limit))
        })
    }

    /// `step` started running (`true`) or stopped (`false`).
    pub fn set_running(&mut self, step: StepIndex, running: bool) {
        if !self.limited {
            return;
        }
        if let Some(hosts) = self.step_hosts.get(step.get()) {
            for &h in hosts {
                if running {
                    self.running[h] += 1;
                } else {
                    self.running[h] = self.running[h].saturating_sub(1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Runbook {
        let doc = crate::yaml::parse(text);
        let parsed = crate::parse::parse(text, doc.root.as_ref().unwrap());
        assert!(parsed.errors.is_empty(), "{:#?}", parsed.errors);
        parsed.runbook.unwrap()
    }

    const RUNBOOK: &str = "\
version: 1
name: Hosts
hosts:
  db1: {address: 10.0.0.1, user: pg, port: 2222, identity_file: k, jump: bastion, max_parallel: 1}
  db2: {address: 10.0.0.2}
  bastion: {address: b.example.net}
defaults:
  host: db2
steps:
  - {id: a, title: A, run: 'true', host: db1}
  - {id: b, title: B, run: 'true', host: [db1, db2]}
  - {id: c, title: C, run: 'true'}
  - {id: d, title: D}
";

    #[test]
    fn hosts_and_host_keys_are_read_with_defaults() {
        let rb = parse(RUNBOOK);
        let db1 = rb.host("db1").unwrap();
        assert_eq!(db1.address, "10.0.0.1");
        assert_eq!(db1.user.as_deref(), Some("pg"));
        assert_eq!(db1.port, Some(2222));
        assert_eq!(db1.jump.as_deref(), Some("bastion"));
        assert_eq!(db1.max_parallel, Some(1));
        let names = |i: usize| -> Vec<&str> {
            rb.steps[i].hosts.iter().map(|h| h.value.as_str()).collect()
        };
        assert_eq!(names(0), ["db1"]);
        assert_eq!(names(1), ["db1", "db2"]);
        // The default applies to command steps only.
        assert_eq!(names(2), ["db2"]);
        assert!(names(3).is_empty());
        assert_eq!(rb.steps[1].on_hosts().as_deref(), Some("on db1, db2"));
        assert_eq!(rb.steps[3].on_hosts(), None);
        let used: Vec<&str> = rb
            .hosts_used()
            .iter()
            .map(|h| h.name.value.as_str())
            .collect();
        assert_eq!(used, ["db1", "db2"]);
    }

    #[test]
    fn max_parallel_holds_back_steps_on_a_full_host_only() {
        let rb = parse(RUNBOOK);
        let mut load = HostLoad::new(&rb);
        let (a, b, c) = (StepIndex(0), StepIndex(1), StepIndex(2));
        assert!(load.fits(a) && load.fits(b) && load.fits(c));
        load.set_running(a, true);
        // db1 is full: b (db1 and db2) waits, c (db2, no limit) does not.
        assert!(!load.fits(b));
        assert!(load.fits(c));
        load.set_running(a, false);
        assert!(load.fits(b));
    }

    #[test]
    fn host_names_and_ssh_words() {
        assert!(is_valid_host_name("db1"));
        assert!(is_valid_host_name("db-primary.eu_1"));
        assert!(!is_valid_host_name("-db"));
        assert!(!is_valid_host_name("db 1"));
        assert!(!is_valid_host_name("db/1"));
        assert!(!is_valid_host_name(""));
        assert!(is_safe_ssh_word("10.0.0.5"));
        assert!(is_safe_ssh_word("ops@bastion:2222"));
        assert!(!is_safe_ssh_word("-oProxyCommand=sh"));
        assert!(!is_safe_ssh_word("db 1"));
        assert!(!is_safe_ssh_word(""));
    }
}
