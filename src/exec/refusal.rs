//! Why the engine refused an operator's input: a value, not a sentence.
//!
//! The engine is sans-IO and speaks no language: it says what it refused
//! and why as a [`Refusal`] (in [`Action::Refused`](super::Action)), with
//! the data the words need (the step, its outcome, the role and its
//! members, the coordinators…). Whoever tells the sender says it in the
//! drill's language with [`Refusal::say`], from `locales/*/refusals.ftl`;
//! its English (also [`Refusal`]'s `Display`) is written there once.

use fluent_templates::fluent_bundle::FluentValue;
use jiff::Timestamp;

use crate::event::Outcome;
use crate::i18n::Lang;

/// A step as a refusal names it: its item number and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The item number (1-based, the same on every terminal).
    pub number: u32,
    /// The step's id.
    pub id: String,
}

/// A role as a refusal names it, with its members on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    /// The role's name.
    pub role: String,
    /// Its accounts (none: nobody on this machine may record its steps).
    pub members: Vec<String>,
}

/// What the engine refused, and why. Nothing was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A change to the plan of a step that has ended already.
    Ended {
        /// The step.
        step: Item,
        /// How it ended.
        outcome: Outcome,
    },
    /// A change to the plan without a reason.
    NeedsReason {
        /// The change, as [`PlanChange::verb`](super::PlanChange::verb)
        /// says it (`cancelling`, `re-estimating`, `assigning`).
        change: &'static str,
        /// The step.
        step: Item,
    },
    /// Cancelling a step whose command is running.
    Running {
        /// The step.
        step: Item,
    },
    /// An automatic confirmation of a step with `approvals` in an incident.
    NeverAutoApproved {
        /// The step.
        step: Item,
        /// The approvals it needs.
        needed: u32,
    },
    /// A second confirmation by an account that approved the step already.
    ApprovedAlready {
        /// The account.
        account: String,
        /// The step.
        step: Item,
        /// The approvals it has.
        count: u32,
        /// The approvals it needs.
        needed: u32,
    },
    /// The account may not record the step under `roles:`.
    NotYours {
        /// The sender's OS account (none: not known).
        account: Option<String>,
        /// The step.
        step: Item,
        /// The step's role (none: only a coordinator may record it).
        team: Option<Team>,
        /// The coordinators.
        coordinators: Vec<String>,
    },
    /// A second answer to an item: who was first, when, and with what.
    AlreadyRecorded {
        /// The step.
        step: Item,
        /// Who recorded it.
        by: String,
        /// When.
        at: Timestamp,
        /// What they answered (`done`, `retry`…).
        what: String,
    },
    /// A step that `add` could not add.
    NotAdded(NotAdded),
}

/// Why `add` could not add a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAdded {
    /// No title.
    NoTitle,
    /// No reason.
    NoReason,
    /// `run` without a command.
    NoCommand,
    /// An `after` or `before` item that does not exist.
    NoStep(u32),
    /// A `before` step that is no longer waiting.
    Started {
        /// The step.
        step: Item,
        /// Where it stands.
        state: Started,
    },
    /// The new step would wait for itself through these steps.
    Cycle(Vec<Item>),
    /// A role that is not in `roles:`.
    UnknownRole {
        /// The role typed.
        role: String,
        /// The nearest role's name, if one is near.
        suggestion: Option<String>,
        /// Every role.
        roles: Vec<String>,
    },
    /// An account adding a step for a role it is not in.
    NotOwnRole {
        /// The account (none: not known).
        account: Option<String>,
        /// Its roles.
        mine: Vec<String>,
        /// The role of the new step.
        role: String,
        /// The coordinators.
        coordinators: Vec<String>,
    },
    /// An account that is not a coordinator adding a step without a role.
    NoRoleGiven {
        /// The account (none: not known).
        account: Option<String>,
        /// Its roles.
        mine: Vec<String>,
        /// The coordinators.
        coordinators: Vec<String>,
    },
    /// Holding back a step the account may not record.
    NotOwner {
        /// The step it would come before.
        step: Item,
        /// That step's role or assignee, if any.
        owner: Option<String>,
        /// The coordinators.
        coordinators: Vec<String>,
    },
}

/// Where a step that no longer waits stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Started {
    /// It has ended.
    Ended(Outcome),
    /// Its command is running.
    Running,
    /// Otherwise under way (asking, waiting for a slot…).
    UnderWay,
}

type Args = Vec<(&'static str, FluentValue<'static>)>;

impl Refusal {
    /// The refusal in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        let item = |s: &Item| -> Args {
            vec![
                ("number", s.number.to_string().into()),
                ("id", s.id.clone().into()),
            ]
        };
        let with = |s: &Item, more: Args| -> Args { item(s).into_iter().chain(more).collect() };
        match self {
            Refusal::Ended { step, outcome } => lang.tr_args(
                "refusal-ended",
                &with(step, vec![("outcome", outcome_word(lang, *outcome).into())]),
            ),
            Refusal::NeedsReason { change, step } => lang.tr_args(
                "refusal-needs-reason",
                &with(
                    step,
                    vec![(
                        "change",
                        lang.tr_args("refusal-change", &[("change", (*change).into())])
                            .into(),
                    )],
                ),
            ),
            Refusal::Running { step } => lang.tr_args("refusal-running", &item(step)),
            Refusal::NeverAutoApproved { step, needed } => lang.tr_args(
                "refusal-never-auto-approved",
                &with(step, vec![("needed", needed.to_string().into())]),
            ),
            Refusal::ApprovedAlready {
                account,
                step,
                count,
                needed,
            } => lang.tr_args(
                "refusal-approved-already",
                &with(
                    step,
                    vec![
                        ("account", account.clone().into()),
                        ("count", count.to_string().into()),
                        ("needed", needed.to_string().into()),
                    ],
                ),
            ),
            Refusal::NotYours {
                account,
                step,
                team,
                coordinators,
            } => {
                let mut args = with(
                    step,
                    vec![
                        ("who", who(lang, account.as_deref()).into()),
                        (
                            "coordinators",
                            list(lang, coordinators, "refusal-coordinators-none").into(),
                        ),
                    ],
                );
                match team {
                    Some(t) => {
                        args.push(("role", t.role.clone().into()));
                        let members = list(lang, &t.members, "refusal-members-none");
                        args.push(("members", members.into()));
                        lang.tr_args("refusal-not-yours-role", &args)
                    }
                    None => lang.tr_args("refusal-not-yours", &args),
                }
            }
            Refusal::AlreadyRecorded { step, by, at, what } => lang.tr_args(
                "prompt-already-recorded",
                &with(
                    step,
                    vec![
                        ("by", by.clone().into()),
                        // UTC: the engine reads no time zone, and the time
                        // must read the same on every terminal of the cell.
                        ("at", at.strftime("%H:%M:%S UTC").to_string().into()),
                        (
                            "what",
                            lang.tr_args("refusal-answer", &[("what", what.clone().into())])
                                .into(),
                        ),
                    ],
                ),
            ),
            Refusal::NotAdded(why) => lang.tr_args(
                "refusal-not-added",
                &[("why", FluentValue::from(why.say(lang)))],
            ),
        }
    }

    /// Whether its words start with the language's `refused:` (all but
    /// [`Refusal::AlreadyRecorded`], which names the item first).
    pub fn has_prefix(&self) -> bool {
        !matches!(self, Refusal::AlreadyRecorded { .. })
    }
}

impl NotAdded {
    /// Why, in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        let coordinators =
            |c: &[String]| FluentValue::from(list(lang, c, "refusal-coordinators-none"));
        let mine = |m: &[String]| FluentValue::from(list(lang, m, "refusal-roles-none"));
        match self {
            NotAdded::NoTitle => lang.tr("refusal-add-no-title"),
            NotAdded::NoReason => lang.tr("refusal-add-no-reason"),
            NotAdded::NoCommand => lang.tr("refusal-add-no-command"),
            NotAdded::NoStep(n) => {
                lang.tr_args("refusal-add-no-step", &[("number", n.to_string().into())])
            }
            NotAdded::Started { step, state } => {
                let state = match state {
                    Started::Ended(o) => lang.tr_args(
                        "refusal-add-state-ended",
                        &[("outcome", outcome_word(lang, *o).into())],
                    ),
                    Started::Running => lang.tr("refusal-add-state-running"),
                    Started::UnderWay => lang.tr("refusal-add-state-under-way"),
                };
                lang.tr_args(
                    "refusal-add-started",
                    &[
                        ("number", step.number.to_string().into()),
                        ("id", step.id.clone().into()),
                        ("state", state.into()),
                    ],
                )
            }
            NotAdded::Cycle(steps) => {
                let new = lang.tr("refusal-add-new-step");
                let mut words = vec![new.clone()];
                words.extend(steps.iter().map(|s| format!("#{} {}", s.number, s.id)));
                words.push(new);
                lang.tr_args("refusal-add-cycle", &[("cycle", words.join(" → ").into())])
            }
            NotAdded::UnknownRole {
                role,
                suggestion,
                roles,
            } => {
                let hint = match suggestion {
                    Some(s) => {
                        lang.tr_args("refusal-add-did-you-mean", &[("role", s.clone().into())])
                    }
                    None => lang.tr_args(
                        "refusal-add-the-roles",
                        &[("roles", roles.join(", ").into())],
                    ),
                };
                lang.tr_args(
                    "refusal-add-unknown-role",
                    &[("role", role.clone().into()), ("hint", hint.into())],
                )
            }
            NotAdded::NotOwnRole {
                account,
                mine: m,
                role,
                coordinators: c,
            } => lang.tr_args(
                "refusal-add-not-own-role",
                &[
                    ("who", who(lang, account.as_deref()).into()),
                    ("mine", mine(m)),
                    ("role", role.clone().into()),
                    ("coordinators", coordinators(c)),
                ],
            ),
            NotAdded::NoRoleGiven {
                account,
                mine: m,
                coordinators: c,
            } => lang.tr_args(
                "refusal-add-no-role",
                &[
                    ("who", who(lang, account.as_deref()).into()),
                    ("mine", mine(m)),
                    ("coordinators", coordinators(c)),
                ],
            ),
            NotAdded::NotOwner {
                step,
                owner,
                coordinators: c,
            } => {
                let owner = match owner {
                    Some(o) => format!("`{o}`"),
                    None => lang.tr("refusal-add-no-owner"),
                };
                lang.tr_args(
                    "refusal-add-not-owner",
                    &[
                        ("number", step.number.to_string().into()),
                        ("id", step.id.clone().into()),
                        ("owner", owner.into()),
                        ("coordinators", coordinators(c)),
                    ],
                )
            }
        }
    }
}

/// The refusal in English: what the engine's own tests and logs read.
impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.say(Lang::En))
    }
}

/// Who sent it: `account `a``, or an operator without a known account.
fn who(lang: Lang, account: Option<&str>) -> String {
    match account {
        Some(a) => lang.tr_args("refusal-who-account", &[("account", a.to_string().into())]),
        None => lang.tr("refusal-who-unknown"),
    }
}

/// How a step ended, in `lang`.
fn outcome_word(lang: Lang, outcome: Outcome) -> String {
    lang.tr_args(
        "refusal-outcome",
        &[("outcome", outcome.to_string().into())],
    )
}

/// `a, b`, or the message `empty` for an empty list.
fn list(lang: Lang, names: &[String], empty: &str) -> String {
    if names.is_empty() {
        lang.tr(empty)
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests;
