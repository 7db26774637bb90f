//! Who may record what, and the approvals a step is waiting for.
//!
//! Pure bookkeeping for the engine (no I/O): the roles' accounts were
//! resolved on this machine before the drill started
//! ([`Membership`](crate::roles::Membership)); the account of each input
//! comes from the OS (the process's `getuid`, an attached client's peer
//! credentials), never from what a client claims.
//!
//! Rules, when the runbook has a `roles:` table (without one everything is
//! allowed, as before):
//!
//! - a coordinator (the account that started the drill, or a member of the
//!   role `coordinator`) may record any step; when it is not itself a
//!   member of the step's role, the record says for which role it was made;
//! - any other account may record only the steps of its roles;
//! - a refused action records nothing and gets a message naming the role,
//!   its members and the coordinators.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::refusal::{Item, NotAdded, Refusal, Team};
use crate::roles::{COORDINATOR, Membership};

/// What the engine knows about who may act.
#[derive(Debug, Clone, Default)]
pub struct Access {
    membership: Membership,
    /// The account that started the drill (a coordinator).
    starter: Option<String>,
}

/// Whether an account may record a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Allowed; `for_role` is set when a coordinator records a step of a
    /// role it is not a member of.
    Allowed {
        /// The step's role, recorded on its behalf.
        for_role: Option<String>,
    },
    /// Refused: nothing is recorded; the refusal says why and who may.
    Refused(Refusal),
}

impl Access {
    /// Roles resolved on this machine; `starter` is the account that
    /// started the drill.
    pub fn new(membership: Membership, starter: Option<String>) -> Self {
        Access {
            membership,
            starter,
        }
    }

    /// Whether roles are enforced at all.
    pub fn enforced(&self) -> bool {
        self.membership.enforced()
    }

    /// Whether `name` is a role of the `roles:` table.
    pub fn has_role(&self, name: &str) -> bool {
        self.membership.has_role(name)
    }

    /// Whether `account` is a coordinator.
    pub fn is_coordinator(&self, account: &str) -> bool {
        self.starter.as_deref() == Some(account) || self.membership.is_member(COORDINATOR, account)
    }

    /// May `account` record step `step_id` (item `number`) of `role`?
    pub fn check(
        &self,
        step_id: &str,
        number: usize,
        role: Option<&str>,
        account: Option<&str>,
    ) -> Verdict {
        if !self.enforced() {
            return Verdict::Allowed { for_role: None };
        }
        let member = |a: &str| role.is_some_and(|r| self.membership.is_member(r, a));
        match account {
            Some(a) if member(a) => Verdict::Allowed { for_role: None },
            Some(a) if self.is_coordinator(a) => Verdict::Allowed {
                for_role: role.map(str::to_string),
            },
            _ => Verdict::Refused(self.refusal(step_id, number, role, account)),
        }
    }

    fn refusal(
        &self,
        step_id: &str,
        number: usize,
        role: Option<&str>,
        account: Option<&str>,
    ) -> Refusal {
        Refusal::NotYours {
            account: account.map(str::to_string),
            step: Item {
                number: number as u32,
                id: step_id.to_string(),
            },
            team: role.map(|r| Team {
                role: r.to_string(),
                members: self.membership.accounts(r).map(str::to_string).collect(),
            }),
            coordinators: self.coordinators(),
        }
    }

    /// May `account` add a step of `role` during the drill (`add`)? A
    /// coordinator may add any step; another account only a step of one
    /// of its roles, so that the step it adds is one it may record. With a
    /// `roles:` table, `role` must be one of it (a typo would leave the
    /// step to the coordinators alone).
    pub fn check_add(&self, role: Option<&str>, account: Option<&str>) -> Result<(), NotAdded> {
        if !self.enforced() {
            return Ok(());
        }
        if let Some(r) = role
            && !self.has_role(r)
        {
            let names: Vec<&str> = self.membership.names().collect();
            return Err(NotAdded::UnknownRole {
                role: r.to_string(),
                suggestion: crate::diagnostic::suggest(r, names.iter().copied())
                    .map(str::to_string),
                roles: names.into_iter().map(str::to_string).collect(),
            });
        }
        match (account, role) {
            (Some(a), _) if self.is_coordinator(a) => Ok(()),
            (Some(a), Some(r)) if self.membership.is_member(r, a) => Ok(()),
            (_, Some(r)) => Err(NotAdded::NotOwnRole {
                account: account.map(str::to_string),
                mine: self.roles_of(account),
                role: r.to_string(),
                coordinators: self.coordinators(),
            }),
            (_, None) => Err(NotAdded::NoRoleGiven {
                account: account.map(str::to_string),
                mine: self.roles_of(account),
                coordinators: self.coordinators(),
            }),
        }
    }

    /// `account`'s roles, for messages.
    fn roles_of(&self, account: Option<&str>) -> Vec<String> {
        match account {
            Some(a) => self
                .membership
                .names()
                .filter(|r| self.membership.is_member(r, a))
                .map(str::to_string)
                .collect(),
            None => Vec::new(),
        }
    }

    /// The coordinators, for messages: the starter and `coordinator`'s
    /// members.
    pub fn coordinators(&self) -> Vec<String> {
        let mut all: Vec<String> = self.starter.iter().cloned().collect();
        for a in self.membership.accounts(COORDINATOR) {
            if !all.iter().any(|c| c == a) {
                all.push(a.to_string());
            }
        }
        all
    }
}

/// The confirmations a step with `approvals: N` has gathered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Approvals {
    /// Account → when it confirmed (the first time: a repeat counts once).
    given: BTreeMap<String, Timestamp>,
}

impl Approvals {
    /// Counts `account`'s confirmation; false when it had confirmed already.
    pub fn add(&mut self, account: &str, at: Timestamp) -> bool {
        if self.given.contains_key(account) {
            return false;
        }
        self.given.insert(account.to_string(), at);
        true
    }

    /// Distinct accounts that confirmed.
    pub fn count(&self) -> u32 {
        self.given.len() as u32
    }

    /// Whether `account` confirmed already.
    pub fn has(&self, account: &str) -> bool {
        self.given.contains_key(account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roles::Directory;

    struct NoGroups;
    impl Directory for NoGroups {
        fn has_account(&self, _: &str) -> bool {
            true
        }
        fn has_group(&self, _: &str) -> bool {
            true
        }
        fn group_members(&self, _: &str) -> Vec<String> {
            Vec::new()
        }
    }

    fn access(text: &str) -> Access {
        let path = std::path::Path::new("r.yaml");
        let rb = crate::validate::check_text(path, text).unwrap().runbook;
        Access::new(Membership::resolve(&rb, &NoGroups), Some("root".into()))
    }

    const RB: &str = "version: 1\nname: T\nroles:\n  storage: {members: [stor1, stor2]}\n  lab: {members: [labo1]}\n  coordinator: {members: [coord1]}\nsteps:\n  - {id: a, title: A, role: storage}\n";

    #[test]
    fn members_record_their_roles_steps_coordinators_any() {
        let a = access(RB);
        let allowed = Verdict::Allowed { for_role: None };
        assert_eq!(a.check("a", 1, Some("storage"), Some("stor1")), allowed);
        assert_eq!(
            a.check("a", 1, Some("storage"), Some("coord1")),
            Verdict::Allowed {
                for_role: Some("storage".into())
            }
        );
        assert_eq!(
            a.check("a", 1, Some("storage"), Some("root")),
            Verdict::Allowed {
                for_role: Some("storage".into())
            }
        );
        let Verdict::Refused(m) = a.check("a", 1, Some("storage"), Some("labo1")) else {
            panic!("labo1 is not in storage")
        };
        assert_eq!(
            m.to_string(),
            "refused: account `labo1` may not record step 1 `a`: it belongs to role `storage` \
             (stor1, stor2) or a coordinator (root, coord1); nothing was recorded"
        );
        assert!(matches!(
            a.check("a", 1, None, Some("stor1")),
            Verdict::Refused(m) if m.to_string().contains("it has no role")
        ));
        assert!(matches!(
            a.check("a", 1, Some("storage"), None),
            Verdict::Refused(_)
        ));
    }

    #[test]
    fn members_add_steps_for_their_roles_coordinators_any() {
        let a = access(RB);
        assert_eq!(a.check_add(Some("storage"), Some("stor1")), Ok(()));
        assert_eq!(a.check_add(Some("lab"), Some("coord1")), Ok(()));
        assert_eq!(a.check_add(None, Some("root")), Ok(()));
        let said = |r: Result<(), NotAdded>| r.map_err(|n| n.say(crate::i18n::Lang::En));
        assert_eq!(
            said(a.check_add(Some("storage"), Some("labo1"))),
            Err(
                "account `labo1` may add steps only for its own roles (lab), not for \
                 `storage`: ask a member of `storage` or a coordinator (root, coord1)"
                    .into()
            )
        );
        assert!(matches!(
            said(a.check_add(None, Some("labo1"))),
            Err(m) if m.contains("give it one (`role NAME`)")
        ));
        assert!(matches!(
            said(a.check_add(Some("storgae"), Some("root"))),
            Err(m) if m.contains("did you mean `storage`?")
        ));
        assert!(a.check_add(Some("lab"), None).is_err());
    }

    #[test]
    fn without_roles_everyone_may() {
        let a = access("version: 1\nname: T\nsteps:\n  - {id: a, title: A, role: x}\n");
        assert_eq!(
            a.check("a", 1, Some("x"), None),
            Verdict::Allowed { for_role: None }
        );
        assert_eq!(a.check_add(Some("y"), None), Ok(()));
    }

    #[test]
    fn the_same_account_counts_once() {
        let mut ap = Approvals::default();
        let t = Timestamp::UNIX_EPOCH;
        assert!(ap.add("stor1", t));
        assert!(!ap.add("stor1", t));
        assert_eq!(ap.count(), 1);
        assert!(ap.add("stor2", t));
        assert_eq!(ap.count(), 2);
    }
}
