//! Who may connect to a drill's socket.
//!
//! By default only the account that started the drill (the socket is
//! `0600`); with `--group GROUP`, members of that Unix group too (`0660`,
//! the socket's group set to it). Teams on other machines come in with
//! `ssh -t crisis-host reprise attach JOURNAL`: SSH authenticates them, the
//! group lets them in, no `sudo` is needed. The file mode is the gate; the
//! server checks the peer's credentials (`SO_PEERCRED`) again, so that a
//! socket created under a lax umask admits nobody else either.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use nix::unistd::{Gid, Group, Uid, User};

/// Who may attach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Only the account that started the drill (and root).
    Owner,
    /// Also the members of this Unix group.
    Group {
        /// Its name, for messages.
        name: String,
        /// Its id.
        gid: Gid,
    },
}

impl Access {
    /// `--group NAME`, when given: the group must exist on this machine.
    pub fn for_group(name: Option<&str>) -> Result<Access, String> {
        let Some(name) = name else {
            return Ok(Access::Owner);
        };
        match Group::from_name(name) {
            Ok(Some(g)) => Ok(Access::Group {
                name: g.name,
                gid: g.gid,
            }),
            Ok(None) => Err(format!(
                "--group {name}: there is no Unix group `{name}` on this machine; create it \
                 (`groupadd {name}`) and add the teams' accounts to it (`usermod -aG {name} \
                 ACCOUNT`)"
            )),
            Err(e) => Err(format!(
                "--group {name}: cannot read the group database: {e}"
            )),
        }
    }

    /// Sets the socket's mode (and group).
    pub(super) fn apply(&self, socket: &Path) -> std::io::Result<()> {
        match self {
            Access::Owner => {
                std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o600))
            }
            Access::Group { gid, .. } => {
                std::os::unix::fs::chown(socket, None, Some(gid.as_raw()))?;
                std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o660))
            }
        }
    }

    /// Whether the peer `uid` (primary group `gid`) may attach; the
    /// refusal says who may and how to be let in.
    pub(super) fn admits(&self, uid: u32, gid: u32) -> Result<(), String> {
        let me = Uid::effective();
        if uid == me.as_raw() || uid == 0 {
            return Ok(());
        }
        let account = crate::identity::account_name(uid);
        let owner = crate::identity::account_name(me.as_raw());
        match self {
            Access::Owner => Err(format!(
                "account `{account}` may not attach: this drill admits only `{owner}`, who \
                 started it (start it with `--group GROUP` to let a Unix group attach)"
            )),
            Access::Group { name, gid: g } => {
                if gid == g.as_raw() || member(name, &account, *g) {
                    Ok(())
                } else {
                    Err(format!(
                        "account `{account}` may not attach: this drill admits `{owner}` and \
                         the Unix group `{name}`, which `{account}` is not in"
                    ))
                }
            }
        }
    }
}

/// Whether `account` is in group `name` (`gid`): listed as a member, or
/// the group is its primary group.
fn member(name: &str, account: &str, gid: Gid) -> bool {
    let listed = Group::from_name(name)
        .ok()
        .flatten()
        .is_some_and(|g| g.mem.iter().any(|m| m == account));
    listed
        || User::from_name(account)
            .ok()
            .flatten()
            .is_some_and(|u| u.gid == gid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_group_is_refused_with_how_to_create_it() {
        let e = Access::for_group(Some("no-such-group-reprise")).unwrap_err();
        assert!(e.contains("no Unix group `no-such-group-reprise`"), "{e}");
        assert!(e.contains("groupadd no-such-group-reprise"), "{e}");
        assert_eq!(Access::for_group(None), Ok(Access::Owner));
    }

    #[test]
    fn the_owner_is_admitted_and_a_stranger_is_told_who_may() {
        let me = Uid::effective().as_raw();
        assert_eq!(Access::Owner.admits(me, 12345), Ok(()));
        let stranger = 4_000_000_000;
        if me == stranger {
            return;
        }
        let e = Access::Owner.admits(stranger, 4_000_000_000).unwrap_err();
        assert!(e.contains("account `4000000000` may not attach"), "{e}");
        assert!(e.contains("--group GROUP"), "{e}");
        let group = Access::Group {
            name: "crisis".into(),
            gid: Gid::from_raw(4_000_000_001),
        };
        assert_eq!(group.admits(stranger, 4_000_000_001), Ok(()));
        let e = group.admits(stranger, 4_000_000_000).unwrap_err();
        assert!(e.contains("the Unix group `crisis`"), "{e}");
    }
}
