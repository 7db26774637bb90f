//! The `roles:` table: which Unix accounts may record which steps.
//!
//! A runbook without `roles:` keeps `role` as a label, as before. With the
//! table, a step's `role` names one of its entries, and the engine lets an
//! account record a step only if the account belongs to that role (listed
//! under `members`, or in one of its `groups`) or is a coordinator (the
//! account that started the drill, or a member of the `coordinator` role).
//!
//! Group membership is a fact of the machine the drill runs on: it is
//! resolved here, by the driver's side (see [`Directory`]), never by the
//! engine, which stays free of I/O. `check` only warns about accounts and
//! groups this machine does not know, since a drill may run elsewhere.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::Diagnostic;
use crate::runbook::Runbook;
pub use crate::runbook::role::Role;

/// The role whose members may record any step.
pub const COORDINATOR: &str = "coordinator";

/// True for a role name: any text a step's `role` label may be (`DBA`,
/// `DSI – astreinte`), without control characters, not blank, at most 64
/// characters.
pub fn is_valid_role_name(s: &str) -> bool {
    !s.trim().is_empty() && s.chars().count() <= 64 && !s.chars().any(char::is_control)
}

/// True for a portable Unix account or group name (POSIX portable
/// characters, not starting with `-`, at most 32 characters).
pub fn is_valid_account_name(s: &str) -> bool {
    let mut bytes = s.bytes();
    s.len() <= 32
        && matches!(bytes.next(), Some(b) if b.is_ascii_alphanumeric() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

impl Runbook {
    /// The `roles:` entry named `name`, if any.
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name.value == name)
    }
}

/// Who belongs to which role, resolved on this machine: each role's
/// accounts (its `members` plus the members of its `groups`). Built once
/// before the drill starts and handed to the engine.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Membership {
    /// Role name → accounts.
    roles: BTreeMap<String, BTreeSet<String>>,
    /// Whether the runbook has a `roles:` table at all (without one,
    /// nothing is enforced).
    enforced: bool,
}

impl Membership {
    /// Resolves `runbook`'s roles with `directory` (the system's accounts
    /// and groups, or a fake one in tests).
    pub fn resolve(runbook: &Runbook, directory: &dyn Directory) -> Self {
        let roles = runbook
            .roles
            .iter()
            .map(|r| {
                let mut accounts: BTreeSet<String> =
                    r.members.iter().map(|m| m.value.clone()).collect();
                for g in &r.groups {
                    accounts.extend(directory.group_members(&g.value));
                }
                (r.name.value.clone(), accounts)
            })
            .collect();
        Membership {
            roles,
            enforced: !runbook.roles.is_empty(),
        }
    }

    /// Whether roles are enforced (the runbook has a `roles:` table).
    pub fn enforced(&self) -> bool {
        self.enforced
    }

    /// Whether the table has a role named `role`.
    pub fn has_role(&self, role: &str) -> bool {
        self.roles.contains_key(role)
    }

    /// The accounts of `role` (empty for an unknown role).
    pub fn accounts(&self, role: &str) -> impl Iterator<Item = &str> {
        self.roles
            .get(role)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }

    /// Whether `account` belongs to `role`.
    pub fn is_member(&self, role: &str, account: &str) -> bool {
        self.roles.get(role).is_some_and(|a| a.contains(account))
    }

    /// The roles' names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.roles.keys().map(String::as_str)
    }
}

/// The machine's accounts and groups, as the roles need them.
pub trait Directory {
    /// Whether an account of that name exists.
    fn has_account(&self, name: &str) -> bool;
    /// Whether a group of that name exists.
    fn has_group(&self, name: &str) -> bool;
    /// The accounts in the group: its listed members and the accounts whose
    /// primary group it is.
    fn group_members(&self, name: &str) -> Vec<String>;
}

/// The system's account database (`getpwnam`, `getgrnam`, `getpwent`).
#[derive(Debug, Clone, Copy, Default)]
pub struct System;

impl Directory for System {
    fn has_account(&self, name: &str) -> bool {
        matches!(nix::unistd::User::from_name(name), Ok(Some(_)))
    }

    fn has_group(&self, name: &str) -> bool {
        matches!(nix::unistd::Group::from_name(name), Ok(Some(_)))
    }

    fn group_members(&self, name: &str) -> Vec<String> {
        let Ok(Some(group)) = nix::unistd::Group::from_name(name) else {
            return Vec::new();
        };
        let mut members = group.mem.clone();
        // Accounts whose primary group it is are not listed in the group
        // entry: read them from the password database.
        members.extend(primary_members(group.gid.as_raw()));
        members.sort();
        members.dedup();
        members
    }
}

/// Accounts whose primary group is `gid`, read from the password file
/// (`/etc/passwd`), which is where `useradd` writes them; NSS-only accounts
/// (LDAP) count through the group entry's member list.
fn primary_members(gid: u32) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string("/etc/passwd") else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split(':');
            let name = fields.next()?;
            let group = fields.nth(2)?;
            (group.parse::<u32>().ok()? == gid).then(|| name.to_string())
        })
        .collect()
}

/// The name of the account this process runs as (`getuid`), or its number
/// when it has no name.
pub fn current_account() -> String {
    let uid = nix::unistd::getuid();
    match nix::unistd::User::from_uid(uid) {
        Ok(Some(user)) => user.name,
        _ => uid.to_string(),
    }
}

/// Warnings about accounts and groups of `roles:` that `directory` does not
/// know (`unknown-account`, `unknown-group`): the drill may run on another
/// machine, so they are warnings, not errors.
pub fn unknown_names(runbook: &Runbook, directory: &dyn Directory) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for role in &runbook.roles {
        for m in &role.members {
            if !directory.has_account(&m.value) {
                out.push(
                    Diagnostic::warning(
                        "unknown-account",
                        format!(
                            "account `{}` of role `{}` does not exist on this machine",
                            m.value, role.name.value
                        ),
                        Some(m.span),
                    )
                    .with_label("no such account here")
                    .with_hint(
                        "create the account on the machine that runs the drill, or fix the \
                         name (it must be the Unix login name)",
                    ),
                );
            }
        }
        for g in &role.groups {
            if !directory.has_group(&g.value) {
                out.push(
                    Diagnostic::warning(
                        "unknown-group",
                        format!(
                            "group `{}` of role `{}` does not exist on this machine",
                            g.value, role.name.value
                        ),
                        Some(g.span),
                    )
                    .with_label("no such group here")
                    .with_hint(
                        "create the group on the machine that runs the drill, or fix the name",
                    ),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_valid_role_name("storage"));
        assert!(is_valid_role_name("DSI – astreinte"));
        assert!(!is_valid_role_name(" "));
        assert!(!is_valid_role_name("a\u{1b}[2J"));
        assert!(is_valid_account_name("stor1"));
        assert!(is_valid_account_name("_svc"));
        assert!(!is_valid_account_name("-rf"));
        assert!(!is_valid_account_name("a:b"));
        assert!(!is_valid_account_name(&"a".repeat(33)));
    }

    #[test]
    fn the_system_knows_root() {
        assert!(System.has_account("root"));
        assert!(System.has_group("root"));
        assert!(!System.has_account("no-such-account-xyz"));
        assert!(System.group_members("root").iter().any(|m| m == "root"));
    }
}

#[cfg(test)]
mod membership_tests {
    use super::*;

    struct Fake;
    impl Directory for Fake {
        fn has_account(&self, name: &str) -> bool {
            name.starts_with("stor")
        }
        fn has_group(&self, name: &str) -> bool {
            name == "dsi-stockage"
        }
        fn group_members(&self, name: &str) -> Vec<String> {
            if name == "dsi-stockage" {
                vec!["stor3".into()]
            } else {
                Vec::new()
            }
        }
    }

    fn runbook(text: &str) -> Runbook {
        let path = std::path::Path::new("r.yaml");
        match crate::validate::check_text(path, text) {
            Ok(checked) => checked.runbook,
            Err(rejected) => panic!("{}", rejected.render(path, false)),
        }
    }

    #[test]
    fn members_and_group_members_belong_to_a_role() {
        let rb = runbook(
            "version: 1\nname: T\nroles:\n  storage: {members: [stor1], groups: [dsi-stockage]}\n  lab: {members: [labo1]}\nsteps:\n  - {id: a, title: A, role: storage}\n",
        );
        let m = Membership::resolve(&rb, &Fake);
        assert!(m.enforced());
        assert!(m.is_member("storage", "stor1"));
        assert!(m.is_member("storage", "stor3"));
        assert!(!m.is_member("storage", "labo1"));
        assert!(m.is_member("lab", "labo1"));
        assert!(!m.is_member("nope", "stor1"));
        let warnings = unknown_names(&rb, &Fake);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].message.contains("`labo1`"));
    }

    #[test]
    fn without_a_table_nothing_is_enforced() {
        let rb = runbook("version: 1\nname: T\nsteps:\n  - {id: a, title: A, role: anyone}\n");
        assert!(!Membership::resolve(&rb, &Fake).enforced());
        assert_eq!(rb.steps[0].role.as_deref(), Some("anyone"));
    }
}
