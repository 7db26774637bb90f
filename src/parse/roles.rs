//! Lowering of the top-level `roles:` table, of a step's (or the defaults')
//! `role:` once the table exists, and of a step's `approvals:`.
//!
//! A child of [`parse`](super) so that it reports errors exactly like the
//! rest of the format (same helpers, same wording).

use super::{Lower, keys};
use crate::diagnostic::{Diagnostic, suggest};
use crate::roles::{Role, is_valid_account_name, is_valid_role_name};
use crate::runbook::Located;
use crate::yaml::{Entry, Node};

impl Lower<'_> {
    /// `roles:`: name → `{members: [accounts], groups: [groups]}`.
    pub(super) fn roles(&mut self, node: &Node) -> Vec<Role> {
        let Some(entries) = node.mapping() else {
            self.wrong_type(node, "a mapping of role names to roles");
            return Vec::new();
        };
        let mut roles: Vec<Role> = Vec::with_capacity(entries.len());
        for entry in entries {
            if !is_valid_role_name(&entry.key) {
                self.error(
                    Diagnostic::error(
                        "invalid-role",
                        format!("`{}` is not a valid role name", entry.key),
                        Some(entry.key_span),
                    )
                    .with_label("invalid name")
                    .with_hint(
                        "a role name is the label steps give in `role`: not blank, without \
                         control characters, at most 64 characters",
                    ),
                );
            }
            let Some(fields) = self.fields(
                &entry.value,
                keys::ROLE,
                "a role (a mapping with `members` and/or `groups`)",
                &format!("in role `{}`", entry.key),
            ) else {
                continue;
            };
            let members = fields
                .value("members")
                .map(|n| self.names(n, "account", &entry.key))
                .unwrap_or_default();
            let groups = fields
                .value("groups")
                .map(|n| self.names(n, "group", &entry.key))
                .unwrap_or_default();
            // Empty as written (a wrong type or a bad name is reported
            // already).
            let empty = |key: &str| {
                fields
                    .value(key)
                    .is_none_or(|n| n.sequence().is_some_and(<[_]>::is_empty))
            };
            if empty("members") && empty("groups") {
                self.error(
                    Diagnostic::error(
                        "empty-role",
                        format!("role `{}` has no members", entry.key),
                        Some(entry.key_span),
                    )
                    .with_label("nobody may record its steps")
                    .with_hint(
                        "list its Unix accounts under `members: [...]`, or its Unix groups \
                         under `groups: [...]`",
                    ),
                );
            }
            roles.push(Role {
                name: Located::new(entry.key.clone(), entry.key_span),
                members,
                groups,
                span: entry.value.span,
            });
        }
        roles
    }

    /// A list of account or group names, each checked and listed once.
    fn names(&mut self, node: &Node, what: &str, role: &str) -> Vec<Located<String>> {
        let Some(names) = self.text_list(node, &format!("a list of {what} names")) else {
            return Vec::new();
        };
        let mut out: Vec<Located<String>> = Vec::with_capacity(names.len());
        for name in names {
            if !is_valid_account_name(&name.value) {
                self.error(
                    Diagnostic::error(
                        "invalid-value",
                        format!("`{}` is not a valid {what} name", name.value),
                        Some(name.span),
                    )
                    .with_label(format!("invalid {what} name"))
                    .with_hint(format!(
                        "write the Unix {what} name: letters, digits, `.`, `_` and `-`, not \
                         starting with `-`"
                    )),
                );
                continue;
            }
            if out.iter().any(|n| n.value == name.value) {
                self.error(
                    Diagnostic::error(
                        "invalid-value",
                        format!("{what} `{}` is listed twice in role `{role}`", name.value),
                        Some(name.span),
                    )
                    .with_label("listed again here")
                    .with_hint("remove the repeat"),
                );
                continue;
            }
            out.push(name);
        }
        out
    }

    /// A `role:` value. With a `roles:` table, it must name one of its
    /// entries; without one it is a free label, as it always was.
    pub(super) fn role_ref(&mut self, node: &Node) -> Option<String> {
        let name = self.text(node)?;
        if self.roles.is_empty() || self.roles.iter().any(|r| r.name.value == name) {
            return Some(name);
        }
        let known: Vec<&str> = self.roles.iter().map(|r| r.name.value.as_str()).collect();
        let hint = match suggest(&name, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "known roles: {}; or add `{name}` under `roles:`",
                super::list(&known)
            ),
        };
        self.error(
            Diagnostic::error(
                "unknown-role",
                format!("unknown role `{name}`"),
                Some(node.span),
            )
            .with_label("not in `roles`")
            .with_hint(hint),
        );
        Some(name)
    }

    /// A step's `approvals: N`: at least 1, on a step that asks (manual or
    /// `confirm: true`), of a role of the `roles:` table, and no more than
    /// the role's members when the role lists no groups (a group's size is
    /// known only on the machine that runs the drill).
    pub(super) fn approvals(
        &mut self,
        entry: &Entry,
        role: Option<&str>,
        asks: bool,
    ) -> Option<Located<u32>> {
        let node = &*entry.value;
        let n = self.count(node)?;
        let span = node.span;
        if n == 0 {
            self.error(
                Diagnostic::error(
                    "invalid-value",
                    "`approvals: 0` would let the step through without anyone's confirmation",
                    Some(span),
                )
                .with_label("zero")
                .with_hint("write at least 1, or remove `approvals`"),
            );
            return None;
        }
        if !asks {
            self.error(
                Diagnostic::error(
                    "approvals-without-confirm",
                    "`approvals` applies to a manual step or a `confirm: true` command, but \
                     this command runs without asking",
                    Some(entry.key_span),
                )
                .with_label("nobody is asked to approve")
                .with_hint("add `confirm: true` to the step, or remove `approvals`"),
            );
            return None;
        }
        let Some(role) = role else {
            self.error(
                Diagnostic::error(
                    "approvals-without-role",
                    "`approvals` needs the step to have a `role`: approvers are its members",
                    Some(entry.key_span),
                )
                .with_label("no `role` on this step")
                .with_hint("add `role: NAME`, naming an entry of the top-level `roles:` table"),
            );
            return None;
        };
        let Some(entry_role) = self.roles.iter().find(|r| r.name.value == role) else {
            if self.roles.is_empty() {
                self.error(
                    Diagnostic::error(
                        "approvals-without-role",
                        format!(
                            "`approvals` needs role `{role}` in a top-level `roles:` table, \
                             which says whose confirmations count"
                        ),
                        Some(entry.key_span),
                    )
                    .with_label("no `roles:` table")
                    .with_hint(format!(
                        "add `roles:` with `{role}: {{ members: [account1, account2] }}`"
                    )),
                );
            }
            // An unknown role is reported at the `role` value.
            return None;
        };
        let members = entry_role.members.len();
        if entry_role.groups.is_empty() && n as usize > members {
            self.error(
                Diagnostic::error(
                    "too-many-approvals",
                    format!(
                        "`approvals: {n}` but role `{role}` has {members} member{}",
                        if members == 1 { "" } else { "s" }
                    ),
                    Some(span),
                )
                .with_label(format!("more than the accounts listed in `{role}`"))
                .with_hint(format!(
                    "add members to role `{role}` (line {}), or lower `approvals`",
                    entry_role.name.span.line
                )),
            );
            return None;
        }
        Some(Located::new(n, span))
    }
}
