/// Top level of a runbook.
pub const TOP: &[&str] = &[
    "version",
    "name",
    "description",
    "owner",
    "lang",
    "scenario",
    "scope",
    "contacts",
    "objectives",
    "vars",
    "hosts",
    "roles",
    "notify",
    "defaults",
    "phases",
    "steps",
];
/// `objectives`.
pub const OBJECTIVES: &[&str] = &["rto", "rpo", "criteria", "services"];
/// A service of `objectives.services`.
pub const SERVICE: &[&str] = &["rto", "rpo"];
/// A variable written as a mapping.
pub const VAR: &[&str] = &["value", "secret", "required", "prompt"];
/// `defaults`.
pub const DEFAULTS: &[&str] = &[
    "timeout",
    "retries",
    "retry_delay",
    "on_failure",
    "role",
    "host",
    "jobs",
];
/// A target of the top-level `notify` list.
pub const NOTIFY: &[&str] = &[
    "name",
    "on",
    "roles",
    "run",
    "after",
    "factor",
    "rto_share",
    "timeout",
    "retries",
];
/// A host of the top-level `hosts` table.
pub const HOST: &[&str] = &[
    "address",
    "user",
    "port",
    "identity_file",
    "jump",
    "known_hosts",
    "max_parallel",
    "max_sessions",
];
/// A role of the top-level `roles` table.
pub const ROLE: &[&str] = &["members", "groups"];
/// A phase.
pub const PHASE: &[&str] = &["id", "title", "needs", "steps"];
/// A step.
pub const STEP: &[&str] = &[
    "id",
    "title",
    "instructions",
    "role",
    "needs",
    "run",
    "confirm",
    "approvals",
    "estimate",
    "timeout",
    "retries",
    "retry_delay",
    "on_failure",
    "rollback",
    "critical",
    "env",
    "workdir",
    "tags",
    "only",
    "idempotent",
    "host",
    "max_parallel",
    "restores",
    "records",
];
/// Keys that only make sense on a step with `run` (errors on a manual step).
pub const COMMAND_ONLY: &[&str] = &[
    "timeout",
    "retries",
    "retry_delay",
    "idempotent",
    "host",
    "max_parallel",
];
