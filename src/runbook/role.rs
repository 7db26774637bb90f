//! One entry of the `roles:` table, as the runbook holds it. Who belongs to
//! a role on this machine is [`crate::roles`]' job.

use super::{Located, Span};

/// One entry of `roles:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// The role's name, as steps write it in `role`.
    pub name: Located<String>,
    /// Unix accounts, by name.
    pub members: Vec<Located<String>>,
    /// Unix groups whose members belong to the role.
    pub groups: Vec<Located<String>>,
    /// The whole entry, for errors about it.
    pub span: Span,
}
