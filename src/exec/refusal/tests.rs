//! Every refusal in English, word for word as the engine wrote it before
//! it spoke through Fluent, and in French with no English left.

use super::*;

fn item(number: u32, id: &str) -> Item {
    Item {
        number,
        id: id.into(),
    }
}

fn coords() -> Vec<String> {
    vec!["root".into(), "coord1".into()]
}

/// Every kind of refusal, with its English words.
fn every_refusal() -> Vec<(Refusal, &'static str)> {
    let added = |n: NotAdded| Refusal::NotAdded(n);
    vec![
        (
            Refusal::Ended {
                step: item(2, "b"),
                outcome: Outcome::Skipped,
            },
            "refused: step 2 `b` has ended already (skipped); nothing was changed",
        ),
        (
            Refusal::NeedsReason {
                change: "re-estimating",
                step: item(3, "c"),
            },
            "refused: re-estimating step 3 `c` needs a reason; nothing was changed",
        ),
        (
            Refusal::Running { step: item(1, "a") },
            "refused: step 1 `a` is running and cannot be cancelled; wait for it, or abort the \
             drill",
        ),
        (
            Refusal::NeverAutoApproved {
                step: item(1, "switch"),
                needed: 2,
            },
            "refused: step 1 `switch` needs 2 approvals and an incident is never approved \
             automatically; confirm it at a terminal",
        ),
        (
            Refusal::ApprovedAlready {
                account: "stor1".into(),
                step: item(2, "switch"),
                count: 1,
                needed: 2,
            },
            "refused: account `stor1` has already approved step 2 `switch` (1 of 2); another \
             account must confirm",
        ),
        (
            Refusal::NotYours {
                account: Some("labo1".into()),
                step: item(1, "a"),
                team: Some(Team {
                    role: "storage".into(),
                    members: vec!["stor1".into(), "stor2".into()],
                }),
                coordinators: coords(),
            },
            "refused: account `labo1` may not record step 1 `a`: it belongs to role `storage` \
             (stor1, stor2) or a coordinator (root, coord1); nothing was recorded",
        ),
        (
            Refusal::NotYours {
                account: None,
                step: item(1, "a"),
                team: Some(Team {
                    role: "storage".into(),
                    members: vec![],
                }),
                coordinators: vec![],
            },
            "refused: an operator without a known account may not record step 1 `a`: it \
             belongs to role `storage` (nobody on this machine) or a coordinator (none); \
             nothing was recorded",
        ),
        (
            Refusal::NotYours {
                account: Some("stor1".into()),
                step: item(4, "d"),
                team: None,
                coordinators: coords(),
            },
            "refused: account `stor1` may not record step 4 `d`: it has no role, so only a \
             coordinator (root, coord1) may; nothing was recorded",
        ),
        (
            Refusal::AlreadyRecorded {
                step: item(3, "call-vendor"),
                by: "alice".into(),
                at: "2026-11-29T08:01:02Z".parse().unwrap(),
                what: "done".into(),
            },
            "#3 call-vendor: already recorded by alice at 08:01:02 UTC (done); nothing was \
             recorded",
        ),
        (
            added(NotAdded::NoTitle),
            "refused: a new step needs a title; nothing was added",
        ),
        (
            added(NotAdded::NoReason),
            "refused: a new step needs a reason (`reason …`); nothing was added",
        ),
        (
            added(NotAdded::NoCommand),
            "refused: `run` needs a command; nothing was added",
        ),
        (
            added(NotAdded::NoStep(9)),
            "refused: there is no step 9; nothing was added",
        ),
        (
            added(NotAdded::Started {
                step: item(2, "b"),
                state: Started::Ended(Outcome::Done),
            }),
            "refused: step 2 `b` has ended (done) and cannot wait for a new step any more; \
             nothing was added",
        ),
        (
            added(NotAdded::Started {
                step: item(2, "b"),
                state: Started::Running,
            }),
            "refused: step 2 `b` is running and cannot wait for a new step any more; nothing \
             was added",
        ),
        (
            added(NotAdded::Started {
                step: item(2, "b"),
                state: Started::UnderWay,
            }),
            "refused: step 2 `b` is under way and cannot wait for a new step any more; nothing \
             was added",
        ),
        (
            added(NotAdded::Cycle(vec![item(3, "b"), item(5, "d")])),
            "refused: the new step would wait for itself: new step → #3 b → #5 d → new step; \
             choose other `after`/`before` steps; nothing was added",
        ),
        (
            added(NotAdded::UnknownRole {
                role: "lba".into(),
                suggestion: Some("lab".into()),
                roles: vec!["lab".into(), "storage".into()],
            }),
            "refused: role `lba` is not in the runbook's `roles:` (did you mean `lab`?); \
             nothing was added",
        ),
        (
            added(NotAdded::UnknownRole {
                role: "x".into(),
                suggestion: None,
                roles: vec!["lab".into(), "storage".into()],
            }),
            "refused: role `x` is not in the runbook's `roles:` (the roles are: lab, storage); \
             nothing was added",
        ),
        (
            added(NotAdded::NotOwnRole {
                account: Some("labo1".into()),
                mine: vec!["lab".into()],
                role: "storage".into(),
                coordinators: coords(),
            }),
            "refused: account `labo1` may add steps only for its own roles (lab), not for \
             `storage`: ask a member of `storage` or a coordinator (root, coord1); nothing was \
             added",
        ),
        (
            added(NotAdded::NoRoleGiven {
                account: Some("guest".into()),
                mine: vec![],
                coordinators: coords(),
            }),
            "refused: account `guest` may add a step only for one of its roles (it has none): \
             give it one (`role NAME`), or ask a coordinator (root, coord1); nothing was added",
        ),
        (
            added(NotAdded::NotOwner {
                step: item(2, "check"),
                owner: Some("storage".into()),
                coordinators: coords(),
            }),
            "refused: only those who may record step 2 `check` (`storage`) or a coordinator \
             (root, coord1) may make it wait for a new step; nothing was added",
        ),
        (
            added(NotAdded::NotOwner {
                step: item(2, "check"),
                owner: None,
                coordinators: coords(),
            }),
            "refused: only those who may record step 2 `check` (no role) or a coordinator \
             (root, coord1) may make it wait for a new step; nothing was added",
        ),
    ]
}

#[test]
fn the_english_words_are_the_engines_as_before() {
    for (refusal, english) in every_refusal() {
        assert_eq!(refusal.say(Lang::En), english);
        assert_eq!(refusal.to_string(), english);
        assert_eq!(refusal.has_prefix(), english.starts_with("refused: "));
    }
}

#[test]
fn every_refusal_is_french_in_a_french_drill() {
    // Words of the English refusals that no French one may keep.
    const ENGLISH: &[&str] = &[
        "refused",
        "step ",
        "nothing was",
        "has ended",
        "already",
        "account `",
        "may not",
        "role `",
        "coordinator (",
        "approvals",
        "needs a",
        "new step",
        "is running",
        "under way",
        "did you mean",
        "the roles are",
        "nobody",
        "none",
        "no role",
        "(done)",
        "(skipped)",
        "re-estimating",
    ];
    for (refusal, english) in every_refusal() {
        let fr = refusal.say(Lang::Fr);
        assert_ne!(fr, english);
        for word in ENGLISH {
            assert!(!fr.contains(word), "{word:?} in {fr:?}");
        }
        let prefix = if refusal.has_prefix() {
            "refusé\u{a0}: "
        } else {
            "#3 call-vendor\u{a0}: déjà enregistrée par alice"
        };
        assert!(fr.starts_with(prefix), "{fr:?}");
        // The runbook's own words (ids, roles, accounts) stay as written.
        for name in [
            "`b`",
            "`a`",
            "`switch`",
            "`storage`",
            "`lab`",
            "`d`",
            "`check`",
        ] {
            assert_eq!(
                english.contains(name),
                fr.contains(name),
                "{name} in {english:?} and {fr:?}"
            );
        }
        let faults = crate::i18n::tests::french_spacing_faults(
            &fr.split('`').step_by(2).collect::<Vec<_>>().join(" "),
        );
        assert!(faults.is_empty(), "{faults:?} in {fr:?}");
    }
    let ended = Refusal::Ended {
        step: item(2, "b"),
        outcome: Outcome::Skipped,
    };
    assert_eq!(
        ended.say(Lang::Fr),
        "refusé\u{a0}: l'étape 2 `b` est déjà terminée (sautée)\u{202f}; rien n'a été changé"
    );
    let reason = Refusal::NeedsReason {
        change: "cancelling",
        step: item(3, "c"),
    };
    assert_eq!(
        reason.say(Lang::Fr),
        "refusé\u{a0}: annuler l'étape 3 `c` demande une raison\u{202f}; rien n'a été changé"
    );
}
